using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using OtaCore;

namespace Ota.Tools.Bench;

/// <summary>
/// The "power_cuts" part of a scenario: which update phases (download, commit, install, boot,
/// confirm, or all), which flash operations inside them (all, every k-th, a count spread evenly,
/// or explicit 1-based positions within the phase), how each cut hits its operation (before,
/// after, torn) and the torn-write seed.
/// </summary>
public sealed class PowerCutSpec
{
    /// <summary>Phase names in update order.</summary>
    public static readonly string[] PhaseNames = { "download", "commit", "install", "boot", "confirm" };

    /// <summary>Phases whose operations are cut (all of <see cref="PhaseNames"/> for "all").</summary>
    public List<string> Phases { get; private set; } = PhaseNames.ToList();

    /// <summary>Every k-th operation of each selected phase (1 = all).</summary>
    public int Every { get; set; } = 1;

    /// <summary>Operations skipped at the start of each phase before <see cref="Every"/> counts.</summary>
    public int Offset { get; private set; }

    /// <summary>When > 0: this many operations spread evenly over the selected phases.</summary>
    public int Count { get; private set; }

    /// <summary>Explicit positions (1-based within each selected phase), or null.</summary>
    public NumberSet? Ops { get; private set; }

    /// <summary>How a cut hits its operation.</summary>
    public List<PowerCutMode> Modes { get; set; } = new() { PowerCutMode.Torn };

    /// <summary>
    /// When > 0: a second cut, this many flash operations after the power came back from the
    /// first one (same mode) — a cut during the recovery from a cut.
    /// </summary>
    public int SecondAfter { get; private set; }

    /// <summary>Seed of the torn-write randomness (each case adds its operation number).</summary>
    public uint Seed { get; private set; } = 1;

    /// <summary>Reads the JSON object.</summary>
    public static PowerCutSpec FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) throw new OtaException(OtaError.Usage, "power_cuts must be an object");
        var s = new PowerCutSpec();
        foreach (var (key, v) in o)
        {
            switch (key)
            {
                case "phases":
                    if (v is JsonValue pv && pv.TryGetValue(out string? one) && one == "all") { s.Phases = PhaseNames.ToList(); break; }
                    if (v is not JsonArray pa || pa.Count == 0) throw new OtaException(OtaError.Usage, "power_cuts.phases is \"all\" or a list of " + string.Join(", ", PhaseNames));
                    s.Phases = pa.Select(x => BenchScenario.Str(x, "power_cuts.phases[]")).ToList();
                    foreach (var p in s.Phases)
                        if (Array.IndexOf(PhaseNames, p) < 0) throw new OtaException(OtaError.Usage, $"power_cuts.phases: unknown phase '{p}' ({string.Join(", ", PhaseNames)})");
                    break;
                case "every": s.Every = (int)BenchScenario.Num(v, "power_cuts.every", 1, 1000000); break;
                case "offset": s.Offset = (int)BenchScenario.Num(v, "power_cuts.offset", 0, 1000000); break;
                case "count": s.Count = (int)BenchScenario.Num(v, "power_cuts.count", 1, 1000000); break;
                case "ops": s.Ops = NumberSet.FromJson(v, "power_cuts.ops"); break;
                case "modes":
                    if (v is not JsonArray ma || ma.Count == 0) throw new OtaException(OtaError.Usage, "power_cuts.modes is a list of before, after, torn");
                    s.Modes = ma.Select(x => ParseMode(BenchScenario.Str(x, "power_cuts.modes[]"))).ToList();
                    break;
                case "seed": s.Seed = (uint)BenchScenario.Num(v, "power_cuts.seed", 0, uint.MaxValue); break;
                case "second_after": s.SecondAfter = (int)BenchScenario.Num(v, "power_cuts.second_after", 1, 1000000); break;
                default: throw new OtaException(OtaError.Usage, $"unknown power_cuts key '{key}' (phases, every, offset, count, ops, modes, seed, second_after)");
            }
        }
        if (s.Ops != null && (s.Count > 0 || s.Every > 1)) throw new OtaException(OtaError.Usage, "power_cuts: ops excludes every and count");
        return s;
    }

    /// <summary>"before", "after" or "torn".</summary>
    public static PowerCutMode ParseMode(string m) => m switch
    {
        "before" => PowerCutMode.Before,
        "after" => PowerCutMode.After,
        "torn" => PowerCutMode.Torn,
        _ => throw new OtaException(OtaError.Usage, $"power cut mode '{m}' is not before, after or torn"),
    };

    /// <summary>Lower-case name of a mode.</summary>
    public static string ModeName(PowerCutMode m) => m.ToString().ToLowerInvariant();

    /// <summary>
    /// The operations to cut, chosen from <paramref name="map"/> (the reference run's operations
    /// with their phases), in run order.
    /// </summary>
    public List<PhaseMap.Op> Select(PhaseMap map)
    {
        var candidates = new List<PhaseMap.Op>();
        foreach (var op in map.Ops)
        {
            if (!Phases.Contains(op.Phase)) continue;
            if (Ops != null && !Ops.Contains(op.IndexInPhase)) continue;
            candidates.Add(op);
        }
        if (Count > 0 && candidates.Count > Count)
        {
            var spread = new List<PhaseMap.Op>();
            for (int i = 0; i < Count; i++) spread.Add(candidates[(int)((long)i * candidates.Count / Count + candidates.Count / (2 * Count))]);
            candidates = spread.Distinct().ToList();
        }
        if (Every > 1 || Offset > 0) candidates = SamplePerPhase(candidates, Every, Offset);
        return candidates;
    }

    /// <summary>
    /// Every <paramref name="every"/>-th operation of each phase, from its (<paramref name="offset"/>+1)-th
    /// on, so a sparse sample still covers the short phases (commit, confirm).
    /// </summary>
    public static List<PhaseMap.Op> SamplePerPhase(List<PhaseMap.Op> ops, int every, int offset)
    {
        var seen = new Dictionary<string, int>();
        var r = new List<PhaseMap.Op>();
        foreach (var op in ops)
        {
            seen.TryGetValue(op.Phase, out int i);
            seen[op.Phase] = i + 1;
            if (i >= offset && (i - offset) % every == 0) r.Add(op);
        }
        return r;
    }
}
