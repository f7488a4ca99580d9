using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtaCore;

namespace Ota.Tools.Serve;

/// <summary>
/// One rule of a <see cref="FaultPlan"/>: which requests it hits (URL path glob, request number
/// counted by the plan, occurrence number among the requests matching the path, at most N times)
/// and what goes wrong (a <see cref="ServeFault"/>). Written as a JSON object or, on the command
/// line, as "key=value;key=value" with the same keys (docs/bench.md "Fault rules").
/// </summary>
public sealed class FaultRule
{
    /// <summary>Every key a rule may carry.</summary>
    public static readonly string[] Keys =
    {
        "path", "request", "nth", "times", "status", "header_delay_ms", "ignore_range", "drop_after",
        "stall_ms", "stall_after", "throttle", "truncate", "change_to",
    };

    private static readonly int[] AllowedStatus = { 404, 412, 416, 500, 502, 503 };
    private Regex? _pathRegex;

    /// <summary>URL path glob ("*" any characters, "?" one), null = every path.</summary>
    public string? Path { get; private set; }

    /// <summary>Request numbers (counted by the plan since its last reset) this rule hits, null = any.</summary>
    public NumberSet? Requests { get; private set; }

    /// <summary>Occurrences among the requests whose path matches, null = any.</summary>
    public NumberSet? Nth { get; private set; }

    /// <summary>The rule is spent after hitting this many requests (0 = never spent).</summary>
    public int Times { get; private set; }

    /// <summary>What to do to a request this rule hits.</summary>
    public ServeFault Fault { get; } = new();

    /// <summary>The rule as given (for logs and the control endpoint).</summary>
    public string Text { get; private set; } = "";

    /// <summary>True when <paramref name="path"/> matches <see cref="Path"/>.</summary>
    public bool PathMatches(string path) => _pathRegex == null || _pathRegex.IsMatch(path);

    /// <summary>Parses the command-line form "key=value;key=value".</summary>
    /// <param name="text">The rule text.</param>
    /// <param name="resolveFile">Maps a change_to value to a file path (null: relative to the current folder).</param>
    public static FaultRule Parse(string text, Func<string, string>? resolveFile = null)
    {
        var obj = new JsonObject();
        foreach (string raw in text.Split(';'))
        {
            string pair = raw.Trim();
            if (pair.Length == 0) continue;
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new OtaException(OtaError.Usage, $"fault rule: '{pair}' is not key=value");
            string key = pair.Substring(0, eq).Trim(), value = pair.Substring(eq + 1).Trim();
            obj[key] = key is "path" or "request" or "nth" or "change_to" ? JsonValue.Create(value) : ParseScalar(value);
        }
        var rule = FromJson(obj, resolveFile);
        rule.Text = text.Trim();
        return rule;
    }

    /// <summary>Reads a rule object (keys in <see cref="Keys"/>; anything else is E901 USAGE).</summary>
    public static FaultRule FromJson(JsonNode? node, Func<string, string>? resolveFile = null)
    {
        if (node is not JsonObject o) throw new OtaException(OtaError.Usage, "fault rule: expected a JSON object");
        var r = new FaultRule { Text = o.ToJsonString() };
        bool any = false;
        foreach (var (key, value) in o)
        {
            switch (key)
            {
                case "path":
                    r.Path = Str(value, key);
                    r._pathRegex = new Regex("^" + Regex.Escape(r.Path).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);
                    break;
                case "request": r.Requests = NumberSet.FromJson(value, "fault rule request"); break;
                case "nth": r.Nth = NumberSet.FromJson(value, "fault rule nth"); break;
                case "times": r.Times = (int)Int(value, key, 1, int.MaxValue); break;
                case "status":
                    int st = (int)Int(value, key, 100, 599);
                    if (Array.IndexOf(AllowedStatus, st) < 0)
                        throw new OtaException(OtaError.Usage, $"fault rule: status {st} is not one of {string.Join(", ", AllowedStatus)}");
                    r.Fault.Status = st; any = true;
                    break;
                case "header_delay_ms": r.Fault.HeaderDelayMs = (int)Int(value, key, 1, 600000); any = true; break;
                case "ignore_range": r.Fault.IgnoreRange = Bool(value, key); any |= r.Fault.IgnoreRange; break;
                case "drop_after": r.Fault.DropAfterBytes = Int(value, key, 0, long.MaxValue); any = true; break;
                case "stall_ms": r.Fault.StallMs = (int)Int(value, key, 1, 600000); any = true; break;
                case "stall_after": r.Fault.StallAfterBytes = Int(value, key, 0, long.MaxValue); break;
                case "throttle": r.Fault.ThrottleBytesPerSecond = Int(value, key, 1, long.MaxValue); any = true; break;
                case "truncate": r.Fault.TruncateFileTo = Int(value, key, 0, long.MaxValue); any = true; break;
                case "change_to":
                    string f = Str(value, key);
                    r.Fault.SubstituteFile = System.IO.Path.GetFullPath(resolveFile != null ? resolveFile(f) : f);
                    if (!File.Exists(r.Fault.SubstituteFile))
                        throw new OtaException(OtaError.Io, $"fault rule: change_to file '{r.Fault.SubstituteFile}' does not exist");
                    any = true;
                    break;
                default:
                    throw new OtaException(OtaError.Usage, $"fault rule: unknown key '{key}' (keys: {string.Join(", ", Keys)})");
            }
        }
        if (!any) throw new OtaException(OtaError.Usage, "fault rule: no fault given (status, header_delay_ms, ignore_range, drop_after, stall_ms, throttle, truncate or change_to)");
        return r;
    }

    /// <summary>The rule as a JSON object (the control endpoint lists rules this way).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Path != null) o["path"] = Path;
        if (Requests != null) o["request"] = Requests.ToString();
        if (Nth != null) o["nth"] = Nth.ToString();
        if (Times > 0) o["times"] = Times;
        var f = Fault;
        if (f.Status is int s) o["status"] = s;
        if (f.HeaderDelayMs > 0) o["header_delay_ms"] = f.HeaderDelayMs;
        if (f.IgnoreRange) o["ignore_range"] = true;
        if (f.DropAfterBytes >= 0) o["drop_after"] = f.DropAfterBytes;
        if (f.StallMs > 0) { o["stall_ms"] = f.StallMs; o["stall_after"] = f.StallAfterBytes; }
        if (f.ThrottleBytesPerSecond > 0) o["throttle"] = f.ThrottleBytesPerSecond;
        if (f.TruncateFileTo >= 0) o["truncate"] = f.TruncateFileTo;
        if (f.SubstituteFile != null) o["change_to"] = f.SubstituteFile;
        return o;
    }

    private static JsonNode? ParseScalar(string v)
    {
        if (v == "true") return JsonValue.Create(true);
        if (v == "false") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return JsonValue.Create(n);
        return JsonValue.Create(v);
    }

    private static string Str(JsonNode? n, string key)
    {
        if (n is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrEmpty(s)) return s;
        throw new OtaException(OtaError.Usage, $"fault rule: {key} needs a non-empty string");
    }

    private static long Int(JsonNode? n, string key, long min, long max)
    {
        if (n is JsonValue v && v.TryGetValue(out long x) && x >= min && x <= max) return x;
        if (n is JsonValue d && d.TryGetValue(out double y) && y == Math.Floor(y) && y >= min && y <= max) return (long)y;
        throw new OtaException(OtaError.Usage, $"fault rule: {key} needs a whole number {min}..{(max == long.MaxValue ? "" : max.ToString(CultureInfo.InvariantCulture))}");
    }

    private static bool Bool(JsonNode? n, string key)
    {
        if (n is JsonValue v && v.TryGetValue(out bool b)) return b;
        throw new OtaException(OtaError.Usage, $"fault rule: {key} needs true or false");
    }
}
