using OtaCore;
using OtaCore.Config;
using OtaCore.Platform;

namespace DeviceApp.Flow
{
    /// <summary>
    /// The default health check: the network is up and the update server answers the manifest
    /// request of this device (any status below 500: a 404 "no release" still proves the
    /// network path and the server work). An application adds its own checks by wrapping this.
    /// </summary>
    public class ServerHealthCheck : IHealthCheck
    {
        private readonly OtaConfig _config;
        private readonly INetworkStatus _network;
        private readonly IRangeSource _source;
        private string _reason = "";

        /// <summary>A check of the server in <paramref name="config"/>.</summary>
        public ServerHealthCheck(OtaConfig config, INetworkStatus network, IRangeSource source)
        {
            _config = config;
            _network = network;
            _source = source;
        }

        /// <inheritdoc />
        public string LastReason
        {
            get { return _reason; }
        }

        /// <summary>The manifest URL of the configured server, device and channel.</summary>
        public static string ManifestUrl(OtaConfig config)
        {
            return config.Server + "/manifest/" + config.Device + "/" + config.Channel + ".json";
        }

        /// <inheritdoc />
        public bool Check()
        {
            if (!_network.IsConnected && !_network.Reconnect(_config.RequestTimeoutMs))
            {
                _reason = "network down";
                return false;
            }

            if (_config.Server == null || _config.Server.Length == 0)
            {
                _reason = "network up, no server configured";
                return true;
            }

            try
            {
                IRangeResponse r = _source.Get(ManifestUrl(_config), 0, -1, null, _config.RequestTimeoutMs);
                int status = r.Status;
                r.Dispose();
                _reason = "server answered " + status;
                return status < 500;
            }
            catch (OtaException e)
            {
                _reason = e.Message;
                return false;
            }
        }
    }
}
