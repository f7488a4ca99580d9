using System.Collections;
using OtaCore.Json;

namespace OtaCore.Config
{
    /// <summary>
    /// Settings of the OTA engine, mirroring WinnerMicro's OTA menuconfig. Loaded from the JSON
    /// object in the device's config file (the caller reads the file; on a device it lives in the
    /// config partition). Every setter checks its range: a bad value throws
    /// <see cref="OtaException"/> E608 CONFIG naming the key. Keys and ranges: docs/design.md
    /// "OtaCore engine".
    /// </summary>
    public class OtaConfig
    {
        /// <summary>Smallest allowed <see cref="BlockSize"/>.</summary>
        public const int MinBlockSize = 64;
        /// <summary>Largest allowed <see cref="BlockSize"/>.</summary>
        public const int MaxBlockSize = 65536;
        /// <summary>Default <see cref="PipelineRingSize"/>: 8 KiB, 32 pages.</summary>
        public const int DefaultPipelineRingSize = 8192;
        /// <summary>Smallest allowed <see cref="RetryTimeoutMs"/>.</summary>
        public const int MinRetryTimeoutMs = 60000;
        /// <summary>Largest allowed <see cref="RetryTimeoutMs"/>.</summary>
        public const int MaxRetryTimeoutMs = 3600000;

        private int _blockSize = 4096;
        private int _retryTimeoutMs = 120000;
        private int _reconnectCount = 5;
        private int _statusPort;
        private int _pipelineRingSize = DefaultPipelineRingSize;
        private int _reconnectIntervalMs = 50;
        private int _requestTimeoutMs = 10000;
        private string _server = "";
        private string _device = "esp32";
        private string _channel = "stable";
        private readonly ArrayList _signingKeys = new ArrayList();
        private string _rootCa;

        /// <summary>Key "ota_enabled": the engine runs at all (default true).</summary>
        public bool OtaEnabled { get; set; } = true;

        /// <summary>Key "http_enabled": HTTP download is allowed (default true).</summary>
        public bool HttpEnabled { get; set; } = true;

        /// <summary>Key "block_size": bytes per network read, 64..65536 (default 4096).</summary>
        public int BlockSize
        {
            get { return _blockSize; }
            set { _blockSize = CheckRange("block_size", value, MinBlockSize, MaxBlockSize); }
        }

        /// <summary>
        /// Key "retry_timeout_ms": how long a download keeps retrying after the network failed
        /// without any byte arriving, 60000..3600000 (default 120000).
        /// </summary>
        public int RetryTimeoutMs
        {
            get { return _retryTimeoutMs; }
            set { _retryTimeoutMs = CheckRange("retry_timeout_ms", value, MinRetryTimeoutMs, MaxRetryTimeoutMs); }
        }

        /// <summary>
        /// Key "reconnect_count": quick reconnect attempts in a row, <see cref="ReconnectIntervalMs"/>
        /// apart, before a longer pause, 1..100 (default 5).
        /// </summary>
        public int ReconnectCount
        {
            get { return _reconnectCount; }
            set { _reconnectCount = CheckRange("reconnect_count", value, 1, 100); }
        }

        /// <summary>Key "reconnect_interval_ms": pause between quick reconnects, 10..10000 (default 50).</summary>
        public int ReconnectIntervalMs
        {
            get { return _reconnectIntervalMs; }
            set { _reconnectIntervalMs = CheckRange("reconnect_interval_ms", value, 10, 10000); }
        }

        /// <summary>
        /// Key "request_timeout_ms": connect/header timeout and read idle timeout of one HTTP
        /// request, 1000..600000 (default 10000).
        /// </summary>
        public int RequestTimeoutMs
        {
            get { return _requestTimeoutMs; }
            set { _requestTimeoutMs = CheckRange("request_timeout_ms", value, 1000, 600000); }
        }

        /// <summary>
        /// Key "server": base URL of the update server, "http://host[:port][/path]" without a
        /// trailing slash (one is removed). Empty = not configured (default).
        /// </summary>
        public string Server
        {
            get { return _server; }
            set { _server = CheckServer(value); }
        }

        /// <summary>Key "device": device type in the manifest path, [A-Za-z0-9._-]+ (default "esp32").</summary>
        public string Device
        {
            get { return _device; }
            set { _device = CheckName("device", value); }
        }

        /// <summary>Key "channel": release channel in the manifest path, [A-Za-z0-9._-]+ (default "stable").</summary>
        public string Channel
        {
            get { return _channel; }
            set { _channel = CheckName("channel", value); }
        }

        /// <summary>Key "allow_downgrade": install a version older than the running one (default false).</summary>
        public bool AllowDowngrade { get; set; }

        /// <summary>Key "allow_same_version": reinstall the running version (default false).</summary>
        public bool AllowSameVersion { get; set; }

        /// <summary>Key "auto_reboot": reboot as soon as an update is staged (default true).</summary>
        public bool AutoReboot { get; set; } = true;

        /// <summary>
        /// Key "status_port": TCP port of the device status URL answered by the app
        /// (DeviceApp's DeviceStatusService, for the bench's real-device mode), 0..65535;
        /// 0 (default) = no status listener.
        /// </summary>
        public int StatusPort
        {
            get { return _statusPort; }
            set { _statusPort = CheckRange("status_port", value, 0, 65535); }
        }

        /// <summary>
        /// Key "staging_pipeline": stage the download with the pipelined writer (default true):
        /// a worker thread erases the staging area ahead of the write pointer and programs the
        /// pages while the engine's thread receives the next ones (docs/design.md "Pipelined
        /// staging"). False: erase-as-you-go, every erase and program in the engine's thread.
        /// </summary>
        public bool StagingPipeline { get; set; } = true;

        /// <summary>
        /// Key "pipeline_ring_size": bytes of the page ring between the receiving thread and the
        /// staging worker, 512..65536 in whole 256-byte pages (default 8192). Allocated once per
        /// engine; only used when <see cref="StagingPipeline"/> is on.
        /// </summary>
        public int PipelineRingSize
        {
            get { return _pipelineRingSize; }
            set
            {
                CheckRange("pipeline_ring_size", value, 512, 65536);
                if (value % 256 != 0)
                {
                    throw new OtaException(OtaError.Config, "pipeline_ring_size = " + value + " is not a multiple of 256 (whole flash pages)");
                }

                _pipelineRingSize = value;
            }
        }

        /// <summary>
        /// Key "signing_keys": PEM public keys (or their base64 bodies) of the trusted update
        /// signers. Any key makes the engine run in signed mode (docs/design.md section 3).
        /// The list itself; add PEM strings to it.
        /// </summary>
        public ArrayList SigningKeys
        {
            get { return _signingKeys; }
        }

        /// <summary>
        /// Key "root_ca": PEM of the CA the https:// server's certificate must chain to (required
        /// for an https server in a config file; null for http).
        /// </summary>
        public string RootCa
        {
            get { return _rootCa; }
            set
            {
                if (value != null && value.IndexOf("-----BEGIN CERTIFICATE-----") < 0)
                {
                    throw new OtaException(OtaError.Config, "root_ca: expected a PEM certificate (-----BEGIN CERTIFICATE-----)");
                }

                _rootCa = value;
            }
        }

        /// <summary>True when <see cref="Server"/> is an https:// URL.</summary>
        public bool Https
        {
            get { return _server.Length > 8 && _server.Substring(0, 8) == "https://"; }
        }

        /// <summary>
        /// Parses the JSON object text of a config file. Unknown keys and wrong types are errors
        /// (E608 CONFIG naming the key), so a typo never silently falls back to a default.
        /// </summary>
        public static OtaConfig Parse(string json)
        {
            return FromJson(JsonReader.ParseObject(json, OtaError.Config, "config"));
        }

        /// <summary>Builds a config from an already parsed JSON object; see <see cref="Parse"/>.</summary>
        public static OtaConfig FromJson(Hashtable obj)
        {
            OtaConfig c = new OtaConfig();
            foreach (DictionaryEntry e in obj)
            {
                string key = (string)e.Key;
                object v = e.Value;
                switch (key)
                {
                    case "ota_enabled": c.OtaEnabled = Bool(key, v); break;
                    case "http_enabled": c.HttpEnabled = Bool(key, v); break;
                    case "block_size": c.BlockSize = Int(key, v); break;
                    case "retry_timeout_ms": c.RetryTimeoutMs = Int(key, v); break;
                    case "reconnect_count": c.ReconnectCount = Int(key, v); break;
                    case "reconnect_interval_ms": c.ReconnectIntervalMs = Int(key, v); break;
                    case "request_timeout_ms": c.RequestTimeoutMs = Int(key, v); break;
                    case "server": c.Server = Str(key, v); break;
                    case "device": c.Device = Str(key, v); break;
                    case "channel": c.Channel = Str(key, v); break;
                    case "allow_downgrade": c.AllowDowngrade = Bool(key, v); break;
                    case "allow_same_version": c.AllowSameVersion = Bool(key, v); break;
                    case "auto_reboot": c.AutoReboot = Bool(key, v); break;
                    case "status_port": c.StatusPort = Int(key, v); break;
                    case "root_ca": c.RootCa = Str(key, v); break;
                    case "staging_pipeline": c.StagingPipeline = Bool(key, v); break;
                    case "pipeline_ring_size": c.PipelineRingSize = Int(key, v); break;
                    case "signing_keys":
                        ArrayList keys = v as ArrayList;
                        if (keys == null) throw new OtaException(OtaError.Config, key + ": expected an array of PEM strings");
                        foreach (object k in keys) c.SigningKeys.Add(Str(key, k));
                        break;
                    default:
                        throw new OtaException(OtaError.Config, key + ": unknown key");
                }
            }

            if (c.Https && c.RootCa == null)
            {
                throw new OtaException(OtaError.Config, "root_ca: required for an https:// server");
            }

            return c;
        }

        private static bool Bool(string key, object v)
        {
            if (!(v is bool))
            {
                throw new OtaException(OtaError.Config, key + ": expected true or false");
            }

            return (bool)v;
        }

        private static int Int(string key, object v)
        {
            if (!(v is long))
            {
                throw new OtaException(OtaError.Config, key + ": expected an integer");
            }

            long l = (long)v;
            if (l < int.MinValue || l > int.MaxValue)
            {
                throw new OtaException(OtaError.Config, key + " = " + l + " out of range");
            }

            return (int)l;
        }

        private static string Str(string key, object v)
        {
            string s = v as string;
            if (s == null)
            {
                throw new OtaException(OtaError.Config, key + ": expected a string");
            }

            return s;
        }

        private static int CheckRange(string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                throw new OtaException(OtaError.Config,
                    key + " = " + value + " out of range " + min + ".." + max);
            }

            return value;
        }

        private static string CheckName(string key, string value)
        {
            if (value == null || value.Length == 0 || value.Length > 64)
            {
                throw new OtaException(OtaError.Config, key + ": must be 1..64 characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
                if (!ok)
                {
                    throw new OtaException(OtaError.Config, key + " = \"" + value + "\": only A-Z a-z 0-9 . _ - allowed");
                }
            }

            return value;
        }

        private static string CheckServer(string value)
        {
            if (value == null)
            {
                throw new OtaException(OtaError.Config, "server: must be a string");
            }

            if (value.Length == 0)
            {
                return value;
            }

            bool http = value.Length > 7 && value.Substring(0, 7) == "http://";
            bool https = value.Length > 8 && value.Substring(0, 8) == "https://";
            if (!(http || https) || value.IndexOf(' ') >= 0)
            {
                throw new OtaException(OtaError.Config, "server = \"" + value + "\": expected http[s]://host[:port][/path]");
            }

            int schemeEnd = https ? 8 : 7;
            while (value.Length > schemeEnd && value[value.Length - 1] == '/')
            {
                value = value.Substring(0, value.Length - 1);
            }

            return value;
        }
    }
}
