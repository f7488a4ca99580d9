using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using DeviceApp.Bindings.NanoFramework;
using DeviceApp.Flow;
using nanoFramework.Networking;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Json;
using OtaCore.Push;
using System.Collections;

namespace DeviceApp
{
    /// <summary>
    /// Device entry point (nanoFramework on ESP32): WiFi up, then the shared update flow over the
    /// nanoFramework bindings, then the application's own work. Configuration lives in the config
    /// partition (littlefs, drive I:): I:\wifi.json {"ssid","password"} and I:\ota.json (OtaConfig
    /// keys, docs/design.md "OtaCore engine"). The simulator runs the same flow as
    /// DeviceApp.HostApp.HostDeviceApp.
    /// </summary>
    public class Program
    {
        private const string WifiConfigPath = "I:\\wifi.json";
        private const string OtaConfigPath = "I:\\ota.json";
        private const string PushConfigPath = "I:\\push.json";
        private const int WifiTimeoutMs = 60000;

        /// <summary>Runs at every boot.</summary>
        public static void Main()
        {
            Hashtable wifi = JsonReader.ParseObject(ReadText(WifiConfigPath), OtaError.Config, "wifi.json");
            OtaConfig config = OtaConfig.Parse(ReadText(OtaConfigPath));

            CancellationTokenSource cts = new CancellationTokenSource(WifiTimeoutMs);
            bool up = WifiNetworkHelper.ConnectDhcp((string)wifi["ssid"], (string)wifi["password"], requiresDateTime: true, token: cts.Token);
            Debug.WriteLine(up ? "wifi: connected" : "wifi: not connected (" + WifiNetworkHelper.Status + "), the update check will fail fast");

            WifiNetworkStatus network = new WifiNetworkStatus();
            OtaPlatform platform = new OtaPlatform();
            platform.Network = network;
            platform.RangeSource = new WebRequestRangeSource(network, config.RootCa); // https: root_ca only
            platform.Clock = new TickClock();
            platform.Native = new NativeServices();
            platform.Rebooter = new PowerRebooter();
            platform.Staging = NativeFlashPartition.Open("app_ota");
            platform.OtaData = NativeFlashPartition.Open("otadata");
            platform.App = NativeFlashPartition.Open("app");

            // Status URL for the bench's real-device mode (docs/bench.md): "status_port" in ota.json.
            if (config.StatusPort > 0)
            {
                new DeviceStatusService(platform.OtaData, platform.App).Start(new HttpStatusListener(), config.StatusPort);
            }

            // Staging is pipelined by default (I:\ota.json "staging_pipeline", "pipeline_ring_size"):
            // the engine allocates its page ring once and a System.Threading.Thread worker erases
            // ahead and programs through NativeFlashPartition while this thread receives; the flow
            // logs which writer ran ("staging: pipelined writer ...") and the worker has ended
            // before Update() returns, so the reboot below never cuts a flash operation short.
            UpdateFlow flow = new UpdateFlow(config, platform, null);
            flow.Log += Log;
            flow.Progress += OnProgress;
            flow.Run(); // reboots inside when an update was staged and auto_reboot is on

            // Network push (ArduinoOTA/espota.py, docs/design.md "Network push (ArduinoOTA)"):
            // I:\push.json in the seed's shape {"ota": {"0": {"port", "passwd", ...}}}.
            if (File.Exists(PushConfigPath))
            {
                PushDeviceService push = new PushDeviceService(PushConfig.Parse(ReadText(PushConfigPath)), platform, NativeFlashPartition.Open("config"));
                push.Receiver.RequireSigned = config.SigningKeys.Count > 0;
                push.Receiver.StateChanged += OnPush;
                push.Start();
            }

            // The application's own work would start here.
            Thread.Sleep(Timeout.Infinite);
        }

        private static void OnPush(PushReceiver sender, PushState state, OtaError error, string detail)
        {
            Debug.WriteLine("push: " + detail);
        }

        private static void Log(string line)
        {
            Debug.WriteLine(line);
        }

        private static void OnProgress(long bytes, long total)
        {
            Debug.WriteLine("ota: " + bytes + "/" + total);
        }

        private static string ReadText(string path)
        {
            using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                byte[] buf = new byte[(int)fs.Length];
                int n = 0;
                while (n < buf.Length)
                {
                    int r = fs.Read(buf, n, buf.Length - n);
                    if (r <= 0)
                    {
                        break;
                    }

                    n += r;
                }

                return Encoding.UTF8.GetString(buf, 0, n);
            }
        }
    }
}
