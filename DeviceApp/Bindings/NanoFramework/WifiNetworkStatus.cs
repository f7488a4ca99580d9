using System.Threading;
using nanoFramework.Networking;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// <see cref="OtaCore.Platform.INetworkStatus"/> over WifiNetworkHelper: connected means the
    /// helper reports NetworkIsReady (link up, IP address, and a valid clock when asked for one);
    /// a reconnect uses the stored WiFi configuration.
    /// </summary>
    public class WifiNetworkStatus : OtaCore.Platform.INetworkStatus
    {
        /// <inheritdoc />
        public bool IsConnected
        {
            get { return WifiNetworkHelper.Status == NetworkHelperStatus.NetworkIsReady; }
        }

        /// <inheritdoc />
        public bool Reconnect(int timeoutMs)
        {
            CancellationTokenSource cts = new CancellationTokenSource(timeoutMs);
            try
            {
                return WifiNetworkHelper.Reconnect(requiresDateTime: false, token: cts.Token);
            }
            catch
            {
                return false;
            }
        }
    }
}
