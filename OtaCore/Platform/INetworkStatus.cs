namespace OtaCore.Platform
{
    /// <summary>
    /// The device's network link (WiFi on ESP32). The engine checks it before a version check and
    /// asks for a reconnect when a download drops.
    /// </summary>
    public interface INetworkStatus
    {
        /// <summary>True when the link is up and has an IP address.</summary>
        bool IsConnected { get; }

        /// <summary>
        /// Tries to (re)establish the link within <paramref name="timeoutMs"/>; true when connected
        /// afterwards. Must not throw for an ordinary failure.
        /// </summary>
        bool Reconnect(int timeoutMs);
    }
}
