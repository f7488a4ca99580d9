namespace OtaCore.Push
{
    /// <summary>
    /// The sockets of a push receiver, owned by the platform binding: the UDP port invitations
    /// arrive on, and the TCP connection back to the host that sent the last invitation.
    /// </summary>
    public interface IPushTransport
    {
        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for one datagram; returns its length (copied
        /// into <paramref name="buffer"/>, truncated to <paramref name="count"/>) or -1 on timeout.
        /// Remembers the sender for <see cref="Reply"/> and <see cref="Connect"/>.
        /// </summary>
        int Receive(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Sends <paramref name="text"/> (ASCII) as one datagram to the last sender.</summary>
        void Reply(string text);

        /// <summary>
        /// Opens a TCP connection to the last sender's address on <paramref name="port"/> within
        /// <paramref name="timeoutMs"/>; reads on it time out after the same time. Failure throws
        /// <see cref="OtaException"/> E1006 PUSH_CONNECTION.
        /// </summary>
        IPushConnection Connect(int port, int timeoutMs);
    }
}
