using OtaCore;

namespace Ota.Tools.Util;

/// <summary>
/// Minimal command-line parsing for the `ota` commands: positional words, `--name value`
/// options (repeatable), and `--switch` flags. Unknown options are a USAGE error.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    /// <summary>Positional arguments in order.</summary>
    public List<string> Positional { get; } = new();

    /// <summary>True when -h/--help was given.</summary>
    public bool Help => _switches.Contains("--help");

    /// <summary>
    /// Parses <paramref name="args"/>: <paramref name="valueOptions"/> take a value (aliases
    /// like "-o" map through <paramref name="aliases"/>), <paramref name="switches"/> do not.
    /// </summary>
    public static CliArgs Parse(string[] args, string[] valueOptions, string[] switches, Dictionary<string, string>? aliases = null)
    {
        var r = new CliArgs();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (aliases != null && aliases.TryGetValue(a, out var full)) a = full;
            if (a == "-h" || a == "--help") { r._switches.Add("--help"); continue; }
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))
            {
                int eq = a.IndexOf('=');
                string n = a[..eq];
                if (!valueOptions.Contains(n)) throw Usage($"unknown option '{n}'");
                r.Add(n, a[(eq + 1)..]);
                continue;
            }
            if (a.StartsWith("-", StringComparison.Ordinal) && a.Length > 1)
            {
                if (valueOptions.Contains(a))
                {
                    if (i + 1 >= args.Length) throw Usage($"option '{a}' needs a value");
                    r.Add(a, args[++i]);
                }
                else if (switches.Contains(a)) r._switches.Add(a);
                else throw Usage($"unknown option '{a}'");
                continue;
            }
            r.Positional.Add(a);
        }
        return r;
    }

    private void Add(string n, string v)
    {
        if (!_options.TryGetValue(n, out var l)) _options[n] = l = new List<string>();
        l.Add(v);
    }

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name) => _options.TryGetValue(name, out var l) ? l[^1] : null;

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var l) ? l : Array.Empty<string>();

    /// <summary>The value of a required option (USAGE error when missing).</summary>
    public string Require(string name) => Get(name) ?? throw Usage($"missing required option {name}");

    /// <summary>True when the switch was given.</summary>
    public bool Has(string name) => _switches.Contains(name);

    /// <summary>A number option (decimal, 0x hex, K/M suffix) or <paramref name="dflt"/>.</summary>
    public long GetNumber(string name, long dflt)
    {
        string? s = Get(name);
        if (s == null) return dflt;
        long v = OtaCore.Partitions.PartitionTable.ParseNumber(s, true);
        if (v < 0) throw Usage($"{name}: '{s}' is not a number");
        return v;
    }

    /// <summary>A USAGE error (exit code 2).</summary>
    public static OtaException Usage(string detail) => new(OtaError.Usage, detail);
}
