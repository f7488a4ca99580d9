using System.Net.NetworkInformation;
using System.Threading;
using OtaCore;
using OtaCore.Engine;
using OtaCore.Platform;
using OtaCore.Push;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// Runs the ArduinoOTA push receiver on the device: a background thread polling a
    /// <see cref="PushServer"/> on the configured UDP port, and the mDNS advertisement of
    /// <c>_arduino._tcp</c>. A staged push reboots through the platform's rebooter when the push
    /// config says auto_reboot (the default), like ArduinoOTA.
    /// </summary>
    public class PushDeviceService
    {
        private const int TransferTimeoutMs = 10000;

        private readonly PushServer _server;
        private readonly PushMdnsAdvertiser _mdns = new PushMdnsAdvertiser();
        private Thread _thread;

        /// <summary>
        /// Builds the receiver over <paramref name="platform"/>; <paramref name="config"/> is the
        /// push config, <paramref name="configPartition"/> the partition command 100 writes (null:
        /// refused).
        /// </summary>
        public PushDeviceService(PushConfig config, OtaPlatform platform, IFlashPartition configPartition)
        {
            PushReceiver receiver = new PushReceiver(config, platform, configPartition, new PushRandomNonce(), new byte[4096]);
            _server = new PushServer(receiver, new PushSocketTransport(config.Port), TransferTimeoutMs);
        }

        /// <summary>The receiver (subscribe to its events for logging).</summary>
        public PushReceiver Receiver
        {
            get { return _server.Receiver; }
        }

        /// <summary>Starts the mDNS advertisement and the receiver thread.</summary>
        public void Start()
        {
            NetworkInterface[] nics = NetworkInterface.GetAllNetworkInterfaces();
            byte[] address = nics.Length > 0 ? System.Net.IPAddress.Parse(nics[0].IPv4Address).GetAddressBytes() : new byte[4];
            _mdns.Start(MdnsServiceInfo.For(_server.Receiver.Config, address));
            _thread = new Thread(Run);
            _thread.Start();
        }

        private void Run()
        {
            while (true)
            {
                if (_server.Poll(1000))
                {
                    _server.Receiver.RebootIfStaged();
                }
            }
        }
    }
}
