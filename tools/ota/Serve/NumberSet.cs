using System.Globalization;
using System.Text.Json.Nodes;
using OtaCore;

namespace Ota.Tools.Serve;

/// <summary>
/// A set of positive integers written as "2", "2-5", "7-" (open end) or a comma list of those, or
/// in JSON as a number, an array of numbers, or such a string. Fault rules use it for request and
/// occurrence numbers.
/// </summary>
public sealed class NumberSet
{
    private readonly List<(long From, long To)> _ranges = new();

    /// <summary>True when <paramref name="n"/> is in the set.</summary>
    public bool Contains(long n)
    {
        foreach (var (from, to) in _ranges) if (n >= from && n <= to) return true;
        return false;
    }

    /// <summary>Parses the text form; E901 USAGE naming <paramref name="what"/> on a bad token.</summary>
    public static NumberSet Parse(string text, string what)
    {
        var s = new NumberSet();
        foreach (string raw in text.Split(','))
        {
            string t = raw.Trim();
            int dash = t.IndexOf('-');
            long from, to;
            if (dash < 0)
            {
                from = to = Number(t, what);
            }
            else
            {
                from = Number(t.Substring(0, dash), what);
                string rest = t.Substring(dash + 1).Trim();
                to = rest.Length == 0 ? long.MaxValue : Number(rest, what);
            }
            if (to < from) throw new OtaException(OtaError.Usage, $"{what}: empty range '{t}'");
            s._ranges.Add((from, to));
        }
        return s;
    }

    /// <summary>Reads the JSON form (number, array of numbers, or text form).</summary>
    public static NumberSet FromJson(JsonNode? node, string what)
    {
        if (node is JsonValue v && v.TryGetValue(out long one)) return Parse(one.ToString(CultureInfo.InvariantCulture), what);
        if (node is JsonValue sv && sv.TryGetValue(out string? text) && text != null) return Parse(text, what);
        if (node is JsonArray a)
        {
            var parts = new List<string>();
            foreach (var item in a)
            {
                if (item is JsonValue iv && iv.TryGetValue(out long n)) parts.Add(n.ToString(CultureInfo.InvariantCulture));
                else if (item is JsonValue it && it.TryGetValue(out string? t) && t != null) parts.Add(t);
                else throw new OtaException(OtaError.Usage, $"{what}: array items must be numbers or ranges");
            }
            if (parts.Count == 0) throw new OtaException(OtaError.Usage, $"{what}: empty list");
            return Parse(string.Join(",", parts), what);
        }
        throw new OtaException(OtaError.Usage, $"{what}: expected a number, a list or a range string like \"2-5\"");
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", _ranges.Select(r =>
        r.From == r.To ? r.From.ToString(CultureInfo.InvariantCulture)
        : r.From.ToString(CultureInfo.InvariantCulture) + "-" + (r.To == long.MaxValue ? "" : r.To.ToString(CultureInfo.InvariantCulture))));

    private static long Number(string t, string what)
    {
        if (!long.TryParse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n < 1)
            throw new OtaException(OtaError.Usage, $"{what}: '{t}' is not a number >= 1");
        return n;
    }
}
