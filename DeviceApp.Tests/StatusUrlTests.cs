#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.IO;
using System.Net.Http;
using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using DeviceApp.Flow;
using DeviceApp.HostApp;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore.Config;
using OtaCore.Image;

namespace DeviceApp.Tests
{
    /// <summary>
    /// The device status URL (DeviceStatusService over the state record and the app partition of a
    /// real flash file, HostStatusListener on loopback) that the bench's real-device mode polls.
    /// </summary>
    [TestClass]
    public class StatusUrlTests
    {
        private static Fixture _fx;

        [ClassInitialize]
        public static void Start(TestContext _) { _fx = new Fixture("status", "64K"); }

        [ClassCleanup]
        public static void Stop() { _fx.Delete(); }

        private static (int Code, string Body) Request(string flash, HttpMethod method, System.Action<HostFlash> before = null)
        {
            using HostFlash f = HostFlash.Open(flash);
            before?.Invoke(f);
            var t = HostDeviceApp.ReadPartitionTable(f);
            var service = new DeviceStatusService(f.Partition(t.OtaData.Name, t.OtaData.Offset, t.OtaData.Size), f.Partition(t.App.Name, t.App.Offset, t.App.Size));
            using var listener = new HostStatusListener();
            service.Start(listener, 0);
            using var http = new HttpClient();
            var resp = http.Send(new HttpRequestMessage(method, $"http://127.0.0.1:{listener.Port}/ota/status"));
            return ((int)resp.StatusCode, resp.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        }

        private static uint OrgChecksum(string image) => ImageHeader.Parse(File.ReadAllBytes(image), 0).OrgChecksum;

        [TestMethod]
        public void FreshFlashAnswersTheRunningVersionStateAndBodyCrc()
        {
            var (code, body) = Request(_fx.FreshFlash("fresh"), HttpMethod.Get);
            Assert.AreEqual(200, code);
            var o = (JsonObject)JsonNode.Parse(body);
            Assert.AreEqual("1.0.0", (string)o["version"]);
            Assert.AreEqual("CONFIRMED", (string)o["state"]);
            Assert.AreEqual((long)OrgChecksum(_fx.V1Image), (long)o["app_crc32"]);
        }

        [TestMethod]
        public void TheCrcIsComputedFromTheAppPartitionNotCopiedFromTheHeader()
        {
            var (_, body) = Request(_fx.FreshFlash("rot"), HttpMethod.Get, f =>
            {
                var t = HostDeviceApp.ReadPartitionTable(f);
                var p = f.Partition(t.App.Name, t.App.Offset, t.App.Size);
                var b = new byte[256];
                p.Read(0x100, b, 0, b.Length);
                int i = System.Array.FindIndex(b, x => x != 0);
                Assert.IsTrue(i >= 0, "the sample body has a non-zero byte");
                b[i] = 0; // a programmed bit flip (NOR can only clear bits)
                p.Write(0x100, b, 0, b.Length);
                var back = new byte[256];
                p.Read(0x100, back, 0, back.Length);
                Assert.AreEqual(0, (int)back[i]);
            });
            var o = (JsonObject)JsonNode.Parse(body);
            Assert.AreEqual("1.0.0", (string)o["version"]);
            Assert.AreNotEqual((long)OrgChecksum(_fx.V1Image), (long)o["app_crc32"]);
        }

        [TestMethod]
        public void OnlyGetIsAnswered()
        {
            var (code, _) = Request(_fx.FreshFlash("post"), HttpMethod.Post);
            Assert.AreEqual(405, code);
        }

        [TestMethod]
        public void TheRunningAppAnswersTrialBeforeItsConfirmAndConfirmedAfter()
        {
            using var server = _fx.StartServer();
            string flash = _fx.FreshFlash("update");
            int port = FreePort();
            var config = new OtaConfig { Server = server.BaseUrl, StatusPort = port };
            var probe = new StatusProbe(port);
            var sim = new DeviceSimulator(new SimOptions { FlashPath = flash, Config = config, MaxBoots = 4 });
            // The health check of the new image asks the app's own status URL (live, during the boot).
            sim.BeforeApp = (n, app) => app.Health = probe;
            SimReport r = sim.Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual("2.0.0 TRIAL", probe.LastReason);
            var (code, body) = Request(flash, HttpMethod.Get);
            var o = (JsonObject)JsonNode.Parse(body);
            Assert.AreEqual(200, code);
            Assert.AreEqual("2.0.0", (string)o["version"]);
            Assert.AreEqual("CONFIRMED", (string)o["state"]);
            Assert.AreEqual((long)OrgChecksum(_fx.V2Image), (long)o["app_crc32"]);
        }

        /// <summary>A health check that reads the running app's status URL: "version state".</summary>
        private sealed class StatusProbe : IHealthCheck
        {
            private readonly int _port;
            public StatusProbe(int port) { _port = port; }
            public string LastReason { get; private set; }
            public bool Check()
            {
                using var http = new HttpClient();
                var o = (JsonObject)JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{_port}/").GetAwaiter().GetResult());
                LastReason = (string)o["version"] + " " + (string)o["state"];
                return true;
            }
        }

        private static int FreePort()
        {
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return p;
        }
    }
}
