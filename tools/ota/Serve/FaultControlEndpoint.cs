using OtaCore;

namespace Ota.Tools.Serve;

/// <summary>
/// The HTTP control endpoint of the fault-injecting server, at <see cref="Path"/>, so a bench PC
/// can switch faults while a real device downloads: GET lists the rules and counters (JSON);
/// POST replaces the rules (a JSON array of rules, an object with a "faults" array, or one
/// "key=value;key=value" rule per line; counters restart); DELETE removes every rule. A bad body
/// is 400 with the one-line error ("E901 USAGE: fault rule: ..."), other methods 405. Control
/// requests are not counted by the plan.
/// </summary>
public sealed class FaultControlEndpoint
{
    /// <summary>The URL path the endpoint answers.</summary>
    public const string Path = "/_ota/faults";

    /// <summary>Largest accepted request body.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly FaultPlan _plan;
    private readonly Func<string, string>? _resolveFile;

    /// <summary>An endpoint driving <paramref name="plan"/>; change_to files go through <paramref name="resolveFile"/>.</summary>
    public FaultControlEndpoint(FaultPlan plan, Func<string, string>? resolveFile = null)
    {
        _plan = plan;
        _resolveFile = resolveFile;
    }

    /// <summary>True when <paramref name="request"/> is for this endpoint.</summary>
    public bool Matches(HttpRequestHead request) => request.Path == Path;

    /// <summary>Answers one control request: status and a body (JSON on success, one error line otherwise).</summary>
    public (int Status, string Body) Handle(string method, string body)
    {
        try
        {
            switch (method)
            {
                case "GET":
                case "HEAD":
                    return (200, _plan.ToJson());
                case "POST":
                case "PUT":
                    _plan.Replace(ParseBody(body));
                    return (200, _plan.ToJson());
                case "DELETE":
                    _plan.Replace(Array.Empty<FaultRule>());
                    return (200, _plan.ToJson());
                default:
                    return (405, "use GET, POST or DELETE on " + Path);
            }
        }
        catch (OtaException e)
        {
            return (400, e.Message);
        }
    }

    private List<FaultRule> ParseBody(string body)
    {
        string t = body.Trim();
        if (t.Length == 0) return new List<FaultRule>();
        if (t[0] == '[' || t[0] == '{') return FaultPlan.RulesFromJson(t, _resolveFile);
        return t.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => FaultRule.Parse(l, _resolveFile)).ToList();
    }
}
