using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="INetworkStatus"/> of the simulated device: loopback is always reachable, but the
    /// simulator (or a test) can take the "WiFi" down and decide whether reconnects succeed.
    /// </summary>
    public sealed class HostNetworkStatus : INetworkStatus
    {
        private volatile bool _connected = true;

        /// <summary>When false, <see cref="Reconnect"/> fails (an access point that stays away).</summary>
        public volatile bool ReconnectSucceeds = true;

        /// <summary>Reconnect attempts so far.</summary>
        public int ReconnectAttempts { get; private set; }

        /// <inheritdoc />
        public bool IsConnected => _connected;

        /// <summary>Takes the link down or brings it up.</summary>
        public void SetConnected(bool connected) => _connected = connected;

        /// <inheritdoc />
        public bool Reconnect(int timeoutMs)
        {
            ReconnectAttempts++;
            if (ReconnectSucceeds) _connected = true;
            return _connected;
        }
    }
}
