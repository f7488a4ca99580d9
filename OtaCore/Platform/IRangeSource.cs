namespace OtaCore.Platform
{
    /// <summary>
    /// An HTTP(-like) source of byte ranges of a remote file. Device binding: HttpWebRequest with
    /// AddRange; host binding: a real HTTP client on 127.0.0.1. The engine never sees the transport.
    /// </summary>
    public interface IRangeSource
    {
        /// <summary>
        /// Starts a GET of <paramref name="url"/> (absolute "http://host:port/path").
        /// <paramref name="offset"/> &gt; 0 or <paramref name="length"/> &gt;= 0 sends
        /// "Range: bytes=offset-" or "Range: bytes=offset-(offset+length-1)"; offset 0 with length -1
        /// sends no Range header. <paramref name="ifMatchEtag"/> (null = any) is sent as If-Match so
        /// a changed file answers 412 instead of other bytes. Any HTTP status is returned as a
        /// response (the engine judges 404/412/416/500); a transport failure (connect refused or
        /// timed out, connection reset, no answer within <paramref name="timeoutMs"/>) throws
        /// <see cref="OtaException"/> with <see cref="OtaError.NetTimeout"/> (or
        /// <see cref="OtaError.NetDown"/> when the network interface itself is down): both are
        /// transient and retried by the engine.
        /// </summary>
        /// <param name="url">Absolute URL.</param>
        /// <param name="offset">First byte wanted (0 = start).</param>
        /// <param name="length">Number of bytes wanted, or -1 for "to the end".</param>
        /// <param name="ifMatchEtag">ETag the file must still have, or null.</param>
        /// <param name="timeoutMs">Connect/header timeout and per-read idle timeout in ms.</param>
        /// <returns>The response; the caller disposes it.</returns>
        IRangeResponse Get(string url, long offset, long length, string ifMatchEtag, int timeoutMs);
    }
}
