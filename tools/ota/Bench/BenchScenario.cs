using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Tools.Serve;
using OtaCore;

namespace Ota.Tools.Bench;

/// <summary>
/// One scenario file (docs/bench.md "Scenario files"): the firmware to update from and to, engine
/// config overrides, network faults on the update server, power cuts at flash operations of the
/// update phases, and the expected outcome. Every cut point (x mode) becomes one bench case.
/// </summary>
public sealed class BenchScenario
{
    /// <summary>Scenario name (default: the file name without extension).</summary>
    public string Name { get; private set; } = "";

    /// <summary>Free text for the report.</summary>
    public string Description { get; private set; } = "";

    /// <summary>The file it was read from.</summary>
    public string SourcePath { get; private set; } = "";

    /// <summary>Firmware size for the generated sample firmware (bytes).</summary>
    public int FirmwareSize { get; private set; } = 64 * 1024;

    /// <summary>Package kind on the server: "xz" (default) or "full".</summary>
    public string Package { get; private set; } = "xz";

    /// <summary>Engine config keys merged over the bench defaults (OtaConfig JSON).</summary>
    public JsonObject Config { get; private set; } = new();

    /// <summary>Fault rules as written (resolved per firmware set, since change_to may name "@full").</summary>
    public JsonArray Faults { get; private set; } = new();

    /// <summary>Power cuts, or null for a single case without a cut.</summary>
    public PowerCutSpec? PowerCuts { get; private set; }

    /// <summary>What runs at the end of the faulty round: "new", "old" or "any".</summary>
    public string ExpectAfterFaults { get; private set; } = "any";

    /// <summary>What runs once faults stopped: "new" (default) or "old".</summary>
    public string ExpectFinal { get; private set; } = "new";

    /// <summary>Extra erases allowed per sector on top of the bench's bound (docs/bench.md).</summary>
    public int ExtraErasesAllowed { get; private set; }

    /// <summary>Bit rot injected into flash partitions before chosen boots.</summary>
    public List<FlashFault> FlashFaults { get; private set; } = new();

    /// <summary>Header flags (ota pack --flag) of the running firmware 1.0.0.</summary>
    public List<string> OldFlags { get; private set; } = new();

    /// <summary>State record expected at the end (default CONFIRMED).</summary>
    public string ExpectFinalState { get; private set; } = "CONFIRMED";

    /// <summary>Simulator runs with faults before they stop (each run = boots until the app stays up).</summary>
    public int FaultyRuns { get; private set; } = 1;

    /// <summary>Reads and checks a scenario file (E901 USAGE / E902 IO with the file name).</summary>
    public static BenchScenario Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OtaException(OtaError.Io, $"cannot read scenario '{path}': {e.Message}");
        }
        try { return Parse(text, path); }
        catch (OtaException e) when (e.Code == OtaError.Usage)
        {
            throw new OtaException(OtaError.Usage, $"{path}: {e.Detail}");
        }
    }

    /// <summary>Parses scenario JSON; <paramref name="path"/> names it and anchors relative files.</summary>
    public static BenchScenario Parse(string json, string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new OtaException(OtaError.Usage, "not JSON: " + e.Message); }
        if (root is not JsonObject o) throw new OtaException(OtaError.Usage, "a scenario is a JSON object");
        var s = new BenchScenario
        {
            SourcePath = Path.GetFullPath(path),
            Name = Path.GetFileNameWithoutExtension(path),
        };
        foreach (var (key, value) in o)
        {
            switch (key)
            {
                case "name": s.Name = Str(value, key); break;
                case "description": s.Description = Str(value, key); break;
                case "firmware": s.ReadFirmware(value); break;
                case "config":
                    s.Config = value as JsonObject ?? throw new OtaException(OtaError.Usage, "config must be an object of OtaConfig keys");
                    s.Config = (JsonObject)s.Config.DeepClone();
                    break;
                case "faults":
                    s.Faults = value as JsonArray ?? throw new OtaException(OtaError.Usage, "faults must be an array of fault rules");
                    s.Faults = (JsonArray)s.Faults.DeepClone();
                    foreach (var rule in s.Faults) FaultRule.FromJson(rule, _ => path); // syntax check now; files resolved per run
                    break;
                case "power_cuts": s.PowerCuts = PowerCutSpec.FromJson(value); break;
                case "faulty_runs": s.FaultyRuns = (int)Num(value, key, 1, 10); break;
                case "flash_faults":
                    if (value is not JsonArray ff) throw new OtaException(OtaError.Usage, "flash_faults must be an array");
                    s.FlashFaults = ff.Select(FlashFault.FromJson).ToList();
                    break;
                case "expect": s.ReadExpect(value); break;
                default: throw new OtaException(OtaError.Usage, $"unknown key '{key}' (name, description, firmware, config, faults, flash_faults, power_cuts, faulty_runs, expect)");
            }
        }
        return s;
    }

    private void ReadFirmware(JsonNode? value)
    {
        if (value is not JsonObject f) throw new OtaException(OtaError.Usage, "firmware must be an object");
        foreach (var (key, v) in f)
        {
            switch (key)
            {
                case "size":
                    FirmwareSize = v is JsonValue sv && sv.TryGetValue(out string? t) && t != null ? (int)SizeText(t) : (int)Num(v, "firmware.size", 4096, 1536 * 1024);
                    if (FirmwareSize < 4096 || FirmwareSize > 1536 * 1024) throw new OtaException(OtaError.Usage, "firmware.size must be 4K..1536K");
                    break;
                case "package":
                    Package = Str(v, "firmware.package");
                    if (Package != "xz" && Package != "full") throw new OtaException(OtaError.Usage, "firmware.package is \"xz\" or \"full\"");
                    break;
                case "old_flags":
                    if (v is not JsonArray fl) throw new OtaException(OtaError.Usage, "firmware.old_flags is a list of ota pack --flag names");
                    OldFlags = fl.Select(x => Str(x, "firmware.old_flags[]")).ToList();
                    break;
                default: throw new OtaException(OtaError.Usage, $"unknown firmware key '{key}' (size, package, old_flags)");
            }
        }
    }

    private void ReadExpect(JsonNode? value)
    {
        if (value is not JsonObject e) throw new OtaException(OtaError.Usage, "expect must be an object");
        foreach (var (key, v) in e)
        {
            switch (key)
            {
                case "after_faults":
                    ExpectAfterFaults = Str(v, "expect.after_faults");
                    if (ExpectAfterFaults is not ("new" or "old" or "any")) throw new OtaException(OtaError.Usage, "expect.after_faults is \"new\", \"old\" or \"any\"");
                    break;
                case "final":
                    ExpectFinal = Str(v, "expect.final");
                    if (ExpectFinal is not ("new" or "old")) throw new OtaException(OtaError.Usage, "expect.final is \"new\" or \"old\"");
                    break;
                case "extra_erases": ExtraErasesAllowed = (int)Num(v, "expect.extra_erases", 0, 1000); break;
                case "final_state":
                    ExpectFinalState = Str(v, "expect.final_state");
                    if (ExpectFinalState is not ("CONFIRMED" or "FAILED" or "TRIAL" or "UNCONFIRMED"))
                        throw new OtaException(OtaError.Usage, "expect.final_state is CONFIRMED, FAILED, TRIAL or UNCONFIRMED");
                    break;
                default: throw new OtaException(OtaError.Usage, $"unknown expect key '{key}' (after_faults, final, final_state, extra_erases)");
            }
        }
    }

    internal static long SizeText(string t)
    {
        t = t.Trim().ToUpperInvariant();
        long mul = 1;
        if (t.EndsWith('K')) { mul = 1024; t = t[..^1]; }
        else if (t.EndsWith('M')) { mul = 1024 * 1024; t = t[..^1]; }
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) throw new OtaException(OtaError.Usage, $"'{t}' is not a size");
        return n * mul;
    }

    internal static string Str(JsonNode? n, string key)
    {
        if (n is JsonValue v && v.TryGetValue(out string? s) && s != null) return s;
        throw new OtaException(OtaError.Usage, $"{key} must be a string");
    }

    internal static long Num(JsonNode? n, string key, long min, long max)
    {
        if (n is JsonValue v && v.TryGetValue(out long x) && x >= min && x <= max) return x;
        throw new OtaException(OtaError.Usage, $"{key} must be a whole number {min}..{max}");
    }
}
