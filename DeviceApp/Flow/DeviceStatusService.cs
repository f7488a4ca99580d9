using System.Text;
using OtaCore;
using OtaCore.Image;
using OtaCore.Platform;
using OtaCore.State;

namespace DeviceApp.Flow
{
    /// <summary>
    /// The device status URL of the hardware-in-the-loop bench (docs/bench.md "Real-device mode",
    /// config key "status_port"): every GET answers
    /// <c>{"version": "2.0.0", "state": "CONFIRMED", "app_crc32": 1234567}</c> from the
    /// state record: version = installed_header.ver, state = the state record's state name, app_crc32 = CRC-32
    /// of the running app body (installed_header.img_len bytes of the app partition), computed once
    /// per boot and comparable with the header's org_checksum. No valid state record or installed header:
    /// <c>{"version": null, "state": "NONE"}</c>. The state record is re-read per request, so a confirm
    /// during this boot shows at once.
    /// </summary>
    public class DeviceStatusService
    {
        private const int ChunkLength = 4096;
        private readonly IFlashPartition _otaData;
        private readonly IFlashPartition _app;
        private readonly object _lock = new object();
        private byte[] _crcHeader;
        private uint _crc;

        /// <summary>A service reading <paramref name="otaData"/> (state stateRecord) and <paramref name="app"/> (running app).</summary>
        public DeviceStatusService(IFlashPartition otaData, IFlashPartition app)
        {
            _otaData = otaData;
            _app = app;
        }

        /// <summary>Starts answering on <paramref name="port"/> through <paramref name="listener"/>.</summary>
        public void Start(IStatusListener listener, int port)
        {
            listener.Start(port, Answer);
        }

        /// <summary>The status JSON now (one line, no trailing newline).</summary>
        public string Answer()
        {
            lock (_lock)
            {
                OtaStateRecord stateRecord = new OtaStateStore(_otaData).ReadCurrent();
                ImageHeader installed = stateRecord == null ? null : stateRecord.InstalledHeader;
                if (installed == null)
                {
                    return "{\"version\": null, \"state\": \"" + OtaStateNames.Name(stateRecord == null ? OtaState.None : stateRecord.State) + "\"}";
                }

                StringBuilder sb = new StringBuilder();
                sb.Append("{\"version\": \"");
                AppendEscaped(sb, installed.Version);
                sb.Append("\", \"state\": \"");
                sb.Append(OtaStateNames.Name(stateRecord.State));
                sb.Append("\", \"app_crc32\": ");
                sb.Append(AppCrc(stateRecord.InstalledHeaderBytes, installed).ToString());
                sb.Append("}");
                return sb.ToString();
            }
        }

        // The CRC of the running body; recomputed only if the installed header differs from the
        // one it was computed for (it cannot change within a boot: only the bootloader installs).
        private uint AppCrc(byte[] headerBytes, ImageHeader installed)
        {
            if (_crcHeader != null && Bytes.Equal(_crcHeader, headerBytes))
            {
                return _crc;
            }

            uint length = installed.ImgLen;
            if (length > _app.Size)
            {
                length = _app.Size;
            }

            byte[] buf = new byte[ChunkLength];
            uint crc = Crc32.Initial;
            uint at = 0;
            while (at < length)
            {
                int n = length - at < ChunkLength ? (int)(length - at) : ChunkLength;
                _app.Read(at, buf, 0, n);
                crc = Crc32.Update(crc, buf, 0, n);
                at += (uint)n;
            }

            _crc = crc;
            _crcHeader = (byte[])headerBytes.Clone();
            return crc;
        }

        private static void AppendEscaped(StringBuilder sb, string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '"' || c == '\\')
                {
                    sb.Append('\\');
                    sb.Append(c);
                }
                else if (c < ' ')
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append(c);
                }
            }
        }
    }
}
