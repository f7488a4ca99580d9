namespace Ota.Tools.Serve;

/// <summary>
/// A single byte range of a "Range: bytes=..." header resolved against a file length
/// (RFC 9110 section 14.1.2): "a-b", "a-" and the suffix form "-n". Multiple ranges are not
/// supported: the server answers those with the whole file (which the RFC allows).
/// </summary>
public readonly struct ByteRange
{
    /// <summary>First byte (inclusive).</summary>
    public long Start { get; }

    /// <summary>Last byte (inclusive).</summary>
    public long End { get; }

    /// <summary>Number of bytes in the range.</summary>
    public long Length => End - Start + 1;

    /// <summary>Creates a range of bytes <paramref name="start"/>..<paramref name="end"/> inclusive.</summary>
    public ByteRange(long start, long end) { Start = start; End = end; }

    /// <summary>What a Range header asks for, once resolved against the file length.</summary>
    public enum Outcome
    {
        /// <summary>No usable Range header (absent, malformed, multi-range, not "bytes"): send 200.</summary>
        Whole,
        /// <summary>One satisfiable range: send 206.</summary>
        Partial,
        /// <summary>Syntactically valid but outside the file: send 416.</summary>
        Unsatisfiable,
    }

    /// <summary>Resolves <paramref name="header"/> (may be null) against <paramref name="fileLength"/>.</summary>
    public static Outcome Resolve(string? header, long fileLength, out ByteRange range)
    {
        range = default;
        if (header == null) return Outcome.Whole;
        string h = header.Trim();
        if (!h.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return Outcome.Whole;
        string spec = h.Substring(6).Trim();
        if (spec.Contains(',')) return Outcome.Whole;
        int dash = spec.IndexOf('-');
        if (dash < 0) return Outcome.Whole;
        string a = spec.Substring(0, dash).Trim(), b = spec.Substring(dash + 1).Trim();
        if (a.Length == 0)
        {
            if (!long.TryParse(b, out long suffix) || suffix < 0 || b.StartsWith('+')) return Outcome.Whole;
            if (suffix == 0 || fileLength == 0) return Outcome.Unsatisfiable;
            range = new ByteRange(Math.Max(0, fileLength - suffix), fileLength - 1);
            return Outcome.Partial;
        }
        if (!long.TryParse(a, out long start) || start < 0 || a.StartsWith('+')) return Outcome.Whole;
        long end = fileLength - 1;
        if (b.Length > 0)
        {
            if (!long.TryParse(b, out end) || end < start || b.StartsWith('+')) return Outcome.Whole;
            end = Math.Min(end, fileLength - 1);
        }
        if (start >= fileLength) return Outcome.Unsatisfiable;
        range = new ByteRange(start, end);
        return Outcome.Partial;
    }
}
