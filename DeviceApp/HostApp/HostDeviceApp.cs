using System;
using System.Security.Cryptography;
using DeviceApp.Bindings.Host;
using DeviceApp.Flow;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Partitions;

namespace DeviceApp.HostApp
{
    /// <summary>
    /// The host twin of DeviceApp's Program.Main: builds the platform from host bindings over a
    /// simulated flash (partitions from the binary table at 0x8000, as the bootloader reads it)
    /// and runs the shared <see cref="UpdateFlow"/> once, as one boot of the firmware.
    /// </summary>
    public class HostDeviceApp
    {
        private readonly HostFlash _flash;
        private readonly OtaConfig _config;

        /// <summary>An app on <paramref name="flash"/> with <paramref name="config"/>.</summary>
        public HostDeviceApp(HostFlash flash, OtaConfig config)
        {
            _flash = flash;
            _config = config;
            Network = new HostNetworkStatus();
            Clock = new SystemClock();
            Rebooter = new SimulatorRebooter();
        }

        /// <summary>The simulated WiFi link (tests may take it down).</summary>
        public HostNetworkStatus Network { get; private set; }

        /// <summary>The HTTP range source; set before <see cref="Run"/> to share one across boots.</summary>
        public HttpRangeSource RangeSource { get; set; }

        /// <summary>The clock.</summary>
        public SystemClock Clock { get; private set; }

        /// <summary>Records the app's reboot request.</summary>
        public SimulatorRebooter Rebooter { get; private set; }

        /// <summary>Optional health check (null: <see cref="ServerHealthCheck"/>).</summary>
        public IHealthCheck Health { get; set; }

        /// <summary>
        /// The status URL listener of this boot (config "status_port" &gt; 0; started by
        /// <see cref="Run"/> before the flow, as the device does; null when off). The boot's
        /// owner stops it with <see cref="StopStatus"/> when the app ends (reboot, power cut).
        /// </summary>
        public HostStatusListener StatusListener { get; private set; }

        /// <summary>Stops this boot's status listener, if any.</summary>
        public void StopStatus()
        {
            if (StatusListener != null) StatusListener.Stop();
        }

        /// <summary>The flow of the last <see cref="Run"/> (its engine has the state store).</summary>
        public UpdateFlow Flow { get; private set; }

        /// <summary>Reads the partition table the bootloader uses (binary, at 0x8000).</summary>
        public static PartitionTable ReadPartitionTable(HostFlash flash)
        {
            byte[] buf = new byte[PartitionTable.BinaryLength];
            flash.Read(PartitionTable.TableOffset, buf, 0, buf.Length);
            return PartitionTable.ParseBinary(buf, 0, buf.Length, Md5);
        }

        /// <summary>Runs one boot of the app: the shared flow over host bindings.</summary>
        public FlowOutcome Run(FlowLogHandler log, FlowProgressHandler progress)
        {
            PartitionTable table = ReadPartitionTable(_flash);
            if (table.App == null || table.Staging == null || table.OtaData == null)
                throw new OtaException(OtaError.PtMissing, "flash partition table lacks app, staging or otadata");
            if (RangeSource == null) RangeSource = new HttpRangeSource(Network, _config.RootCa);
            var platform = new OtaPlatform
            {
                RangeSource = RangeSource,
                Network = Network,
                Clock = Clock,
                Native = new HostNativeServices(),
                Rebooter = Rebooter,
                Staging = Part(table.Staging),
                OtaData = Part(table.OtaData),
                App = Part(table.App),
            };
            if (_config.StatusPort > 0 && StatusListener == null)
            {
                StatusListener = new HostStatusListener();
                new DeviceStatusService(platform.OtaData, platform.App).Start(StatusListener, _config.StatusPort);
            }
            Flow = new UpdateFlow(_config, platform, Health);
            if (log != null) Flow.Log += log;
            if (progress != null) Flow.Progress += progress;
            try
            {
                return Flow.Run();
            }
            finally
            {
                ((HostNativeServices)platform.Native).Dispose();
            }
        }

        private HostFlashPartition Part(PartitionEntry e)
        {
            return _flash.Partition(e.Name, e.Offset, e.Size);
        }

        private static byte[] Md5(byte[] data, int offset, int count)
        {
            return MD5.HashData(new ReadOnlySpan<byte>(data, offset, count));
        }
    }
}
