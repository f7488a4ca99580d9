using System;

namespace OtaCore.Push
{
    /// <summary>
    /// The device's TCP data connection to the host during a push. Dispose closes it.
    /// </summary>
    public interface IPushConnection : IDisposable
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes; returns the number read, 0 when the host
        /// closed the connection. A read idle longer than the transport's timeout, or a reset,
        /// throws <see cref="OtaException"/> E1006 PUSH_CONNECTION.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Sends ASCII text (a byte count, "OK", "ERROR ..."); E1006 on failure.</summary>
        void Write(string text);
    }
}
