using System.Text;

namespace Ota.Tools.Serve;

/// <summary>
/// The request line and headers of one HTTP/1.1 request, as read from the connection. Header names
/// are case-insensitive; a repeated header keeps its last value (the server needs none that repeat).
/// </summary>
public sealed class HttpRequestHead
{
    /// <summary>Longest accepted head (request line + headers).</summary>
    public const int MaxHeadBytes = 16 * 1024;

    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>"GET", "HEAD", ...</summary>
    public string Method { get; private init; } = "";

    /// <summary>The request target with the query removed and %-escapes decoded ("/fw/v2.img").</summary>
    public string Path { get; private init; } = "";

    /// <summary>The raw request target as sent.</summary>
    public string RawTarget { get; private init; } = "";

    /// <summary>"HTTP/1.1" or "HTTP/1.0".</summary>
    public string Version { get; private init; } = "";

    /// <summary>1-based number of this request since the server started (for per-request faults).</summary>
    public long Number { get; internal set; }

    /// <summary>Remote end point text ("127.0.0.1:51234").</summary>
    public string Remote { get; internal set; } = "";

    /// <summary>A header value or null.</summary>
    public string? Header(string name) => _headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the client wants the connection kept open after this response.</summary>
    public bool KeepAlive
    {
        get
        {
            string? c = Header("Connection");
            if (Version == "HTTP/1.0") return c != null && c.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
            return c == null || !c.Equals("close", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// Reads one request head from <paramref name="stream"/>. Returns null when the peer closed the
    /// connection before sending anything; throws <see cref="FormatException"/> for a malformed head.
    /// </summary>
    public static HttpRequestHead? Read(Stream stream)
    {
        var line = new StringBuilder();
        var lines = new List<string>();
        int total = 0;
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                if (total == 0) return null;
                throw new FormatException("connection closed inside the request head");
            }
            if (++total > MaxHeadBytes) throw new FormatException("request head too large");
            if (b == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r') line.Length--;
                if (line.Length == 0)
                {
                    if (lines.Count == 0) continue; // tolerate blank lines before a request
                    break;
                }
                lines.Add(line.ToString());
                line.Clear();
            }
            else
            {
                line.Append((char)b);
            }
        }
        return Parse(lines);
    }

    private static HttpRequestHead Parse(List<string> lines)
    {
        string[] parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new FormatException($"bad request line '{lines[0]}'");
        string target = parts[1];
        string path = target;
        int q = path.IndexOf('?');
        if (q >= 0) path = path.Substring(0, q);
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            int slash = path.IndexOf('/', 7);
            path = slash < 0 ? "/" : path.Substring(slash);
        }
        if (!path.StartsWith('/')) throw new FormatException($"bad request target '{target}'");
        var head = new HttpRequestHead
        {
            Method = parts[0],
            RawTarget = target,
            Path = Uri.UnescapeDataString(path),
            Version = parts[2],
        };
        for (int i = 1; i < lines.Count; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon <= 0) throw new FormatException($"bad header line '{lines[i]}'");
            head._headers[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
        }
        return head;
    }
}
