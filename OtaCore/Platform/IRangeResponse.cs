using System;

namespace OtaCore.Platform
{
    /// <summary>
    /// One HTTP response of an <see cref="IRangeSource"/>: status, the range it carries, and a
    /// body read in caller-owned buffers. Dispose closes the connection (also before the end).
    /// </summary>
    public interface IRangeResponse : IDisposable
    {
        /// <summary>HTTP status code (200, 206, 404, 412, 416, 500, ...).</summary>
        int Status { get; }

        /// <summary>
        /// Offset in the file of the first body byte: the start of Content-Range for 206,
        /// 0 for 200 (a server that ignored Range).
        /// </summary>
        long Offset { get; }

        /// <summary>Length of this body in bytes (Content-Length), -1 if unknown.</summary>
        long Length { get; }

        /// <summary>
        /// Length of the whole file: the "/total" of Content-Range for 206, Content-Length for 200,
        /// -1 if unknown.
        /// </summary>
        long TotalLength { get; }

        /// <summary>The ETag header as sent (quotes included), or null when absent.</summary>
        string ETag { get; }

        /// <summary>
        /// Reads up to <paramref name="count"/> body bytes into <paramref name="buffer"/> at
        /// <paramref name="offset"/>; returns the number read, 0 at the end of the body. A dropped
        /// connection or a read idle longer than the request timeout throws
        /// <see cref="OtaException"/> with <see cref="OtaError.NetTimeout"/> (transient). A body
        /// that ends before its Content-Length also throws NetTimeout, never returns 0.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);
    }
}
