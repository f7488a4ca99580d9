using System.Net;
using DeviceApp.Bindings.Host;
using DeviceApp.HostApp;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Partitions;
using OtaCore.Push;

namespace Ota.Tools.Push;

/// <summary>
/// A device that takes network pushes, simulated on a flash file: the push receiver over the host
/// bindings (UDP/TCP sockets, libotahost flash, MD5/SHA-256), the mDNS responder, and the C
/// bootloader run after each staged push (what the device's reboot would do).
/// </summary>
public sealed class SimulatedPushDevice : IDisposable
{
    private readonly HostFlash _flash;
    private readonly HostNativeServices _native = new();
    private readonly PushHostTransport _transport;
    private readonly MdnsResponder? _mdns;
    private readonly OtaPlatform _platform;

    /// <summary>
    /// Opens <paramref name="flashPath"/> and binds UDP <paramref name="port"/> (0 = any free one)
    /// and, when <paramref name="mdnsPort"/> &gt;= 0, the mDNS responder (0 = any free one).
    /// </summary>
    public SimulatedPushDevice(string flashPath, PushConfig config, IPAddress bind, int port, int mdnsPort)
    {
        _flash = HostFlash.Open(flashPath);
        PartitionTable t = HostDeviceApp.ReadPartitionTable(_flash);
        if (t.App == null || t.Staging == null || t.OtaData == null)
            throw new OtaException(OtaError.PtMissing, "flash partition table lacks app, staging or otadata");
        var platform = new OtaPlatform
        {
            Clock = new SystemClock(),
            Native = _native,
            Staging = _flash.Partition(t.Staging.Name, t.Staging.Offset, t.Staging.Size),
            OtaData = _flash.Partition(t.OtaData.Name, t.OtaData.Offset, t.OtaData.Size),
            App = _flash.Partition(t.App.Name, t.App.Offset, t.App.Size),
        };
        _platform = platform;
        PartitionEntry? cfg = t.Find("config");
        var data = cfg == null ? null : _flash.Partition(cfg.Name, cfg.Offset, cfg.Size);
        Receiver = new PushReceiver(config, platform, data, new PushNonceSource(), new byte[4096]);
        _transport = new PushHostTransport(bind, port);
        Server = new PushServer(Receiver, _transport, 10000);
        if (mdnsPort >= 0)
        {
            _mdns = new MdnsResponder(bind, mdnsPort);
            byte[] addr = bind.Equals(IPAddress.Any) ? IPAddress.Loopback.GetAddressBytes() : bind.GetAddressBytes();
            MdnsServiceInfo info = MdnsServiceInfo.For(config, addr);
            info.Port = _transport.Port;
            _mdns.Start(info);
        }
    }

    /// <summary>The receiver.</summary>
    public PushReceiver Receiver { get; }

    /// <summary>The server (poll it).</summary>
    public PushServer Server { get; }

    /// <summary>The bound push port.</summary>
    public int Port => _transport.Port;

    /// <summary>The bound mDNS port, or -1.</summary>
    public int MdnsPort => _mdns?.Port ?? -1;

    /// <summary>One boot of the C bootloader: its error code and JSON report.</summary>
    public int Boot(out string json) => _flash.Boot(out json);

    /// <summary>
    /// What a healthy app does after a boot on trial: confirms the running image through the
    /// engine (TRIAL → CONFIRMED). Returns false when there was nothing to confirm.
    /// </summary>
    public bool ConfirmRunningImage()
    {
        var network = new HostNetworkStatus();
        using var source = new HttpRangeSource(network);
        var p = new OtaPlatform
        {
            RangeSource = source, Network = network, Clock = _platform.Clock, Native = _native,
            Staging = _platform.Staging, OtaData = _platform.OtaData, App = _platform.App,
        };
        return new OtaEngine(new OtaConfig(), p).Confirm();
    }

    /// <summary>Closes sockets and the flash.</summary>
    public void Dispose()
    {
        _mdns?.Dispose();
        _transport.Dispose();
        _flash.Dispose();
        _native.Dispose();
    }
}
