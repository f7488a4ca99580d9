using System.Text.Json;
using System.Text.Json.Nodes;
using OtaCore;

namespace Ota.Tools.Serve;

/// <summary>
/// The fault hook `ota serve` and `ota bench` install: an ordered list of <see cref="FaultRule"/>s;
/// the first rule that hits a request decides its fault. The plan counts requests itself (1-based
/// since the last <see cref="Replace"/> or <see cref="Reset"/>), so "request 3" means the third
/// request after the faults were set, whoever sent the earlier ones. Thread-safe: the server asks
/// from one thread per connection and the control endpoint swaps rules while a device downloads.
/// </summary>
public sealed class FaultPlan : IServeFaultHook
{
    private readonly object _lock = new();
    private List<FaultRule> _rules = new();
    private long[] _pathHits = Array.Empty<long>();
    private long[] _applied = Array.Empty<long>();
    private long _requests, _faulted;

    /// <summary>A plan with <paramref name="rules"/> (none: every request is answered normally).</summary>
    public FaultPlan(IEnumerable<FaultRule>? rules = null)
    {
        if (rules != null) Replace(rules);
    }

    /// <summary>Requests seen since the last reset.</summary>
    public long Requests { get { lock (_lock) return _requests; } }

    /// <summary>Requests that got a fault since the last reset.</summary>
    public long Faulted { get { lock (_lock) return _faulted; } }

    /// <summary>Number of rules.</summary>
    public int Count { get { lock (_lock) return _rules.Count; } }

    /// <summary>Installs new rules and restarts every counter.</summary>
    public void Replace(IEnumerable<FaultRule> rules)
    {
        lock (_lock)
        {
            _rules = rules.ToList();
            Reset();
        }
    }

    /// <summary>Restarts the request, occurrence and "times" counters; the rules stay.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _pathHits = new long[_rules.Count];
            _applied = new long[_rules.Count];
            _requests = 0;
            _faulted = 0;
        }
    }

    /// <inheritdoc />
    public ServeFault? Plan(HttpRequestHead request)
    {
        lock (_lock)
        {
            long number = ++_requests;
            ServeFault? chosen = null;
            for (int i = 0; i < _rules.Count; i++)
            {
                var r = _rules[i];
                if (!r.PathMatches(request.Path)) continue;
                long nth = ++_pathHits[i];
                if (chosen != null) continue; // later rules still count their occurrences
                if (r.Requests != null && !r.Requests.Contains(number)) continue;
                if (r.Nth != null && !r.Nth.Contains(nth)) continue;
                if (r.Times > 0 && _applied[i] >= r.Times) continue;
                _applied[i]++;
                chosen = r.Fault;
            }
            if (chosen != null) _faulted++;
            return chosen;
        }
    }

    /// <summary>The rules and counters as JSON (GET /_ota/faults).</summary>
    public string ToJson()
    {
        lock (_lock)
        {
            var rules = new JsonArray();
            for (int i = 0; i < _rules.Count; i++)
            {
                var o = _rules[i].ToJson();
                o["applied"] = _applied[i];
                rules.Add(o);
            }
            var root = new JsonObject { ["requests"] = _requests, ["faulted"] = _faulted, ["rules"] = rules };
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
    }

    /// <summary>
    /// Reads rules from JSON: an array of rule objects, or an object with a "faults" array (a
    /// scenario file's shape). E901 USAGE for anything else.
    /// </summary>
    public static List<FaultRule> RulesFromJson(string json, Func<string, string>? resolveFile = null)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new OtaException(OtaError.Usage, "faults: not JSON: " + e.Message); }
        JsonArray? list = root as JsonArray ?? (root as JsonObject)?["faults"] as JsonArray;
        if (list == null)
        {
            if (root is JsonObject o && !o.ContainsKey("faults")) return new List<FaultRule> { FaultRule.FromJson(o, resolveFile) };
            throw new OtaException(OtaError.Usage, "faults: expected an array of rules or an object with a \"faults\" array");
        }
        return list.Select(n => FaultRule.FromJson(n, resolveFile)).ToList();
    }
}
