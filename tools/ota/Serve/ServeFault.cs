namespace Ota.Tools.Serve;

/// <summary>
/// What to do wrong while answering one request (issue 5's fault-injecting server). Every field
/// defaults to "behave normally"; an <see cref="IServeFaultHook"/> returns one per request.
/// </summary>
public sealed class ServeFault
{
    /// <summary>Answer with this status and a short text body instead of the file (404, 416, 500, 503).</summary>
    public int? Status { get; set; }

    /// <summary>Wait this long before sending the status line (slow headers).</summary>
    public int HeaderDelayMs { get; set; }

    /// <summary>Answer 200 with the whole file even when Range was asked for.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Close the connection after this many body bytes (-1 = never).</summary>
    public long DropAfterBytes { get; set; } = -1;

    /// <summary>After <see cref="StallAfterBytes"/> body bytes, stop sending for this long.</summary>
    public int StallMs { get; set; }

    /// <summary>Body bytes sent before the stall.</summary>
    public long StallAfterBytes { get; set; }

    /// <summary>Limit the body to this many bytes per second (0 = unlimited).</summary>
    public long ThrottleBytesPerSecond { get; set; }

    /// <summary>Serve the file as if it were only this many bytes long (-1 = whole file).</summary>
    public long TruncateFileTo { get; set; } = -1;

    /// <summary>Serve this file instead of the one asked for (the file "changed": new length/ETag).</summary>
    public string? SubstituteFile { get; set; }

    /// <summary>True when nothing is to be done differently.</summary>
    public bool IsNone => Status == null && HeaderDelayMs == 0 && !IgnoreRange && DropAfterBytes < 0
        && StallMs == 0 && ThrottleBytesPerSecond == 0 && TruncateFileTo < 0 && SubstituteFile == null;
}
