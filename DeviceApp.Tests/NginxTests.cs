#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.IO;
using System.Linq;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore;
using OtaCore.Config;
using OtaCore.Platform;

namespace DeviceApp.Tests
{
    /// <summary>
    /// The device downloader against a server we did not write: Debian's nginx serving the same
    /// files (static manifest written beside them), with Range, ETag and If-Match.
    /// </summary>
    [TestClass]
    public class NginxTests
    {
        private static Fixture _fx;
        private static NginxServer _nginx;

        [ClassInitialize]
        public static void Start(TestContext _)
        {
            _fx = new Fixture("nginx");
            _nginx = new NginxServer(_fx.ServeDir);
            // nginx serves files only: publish the manifest ota serve would compute, as a file.
            var latest = new ManifestService(_fx.ServeDir, TextWriter.Null).Latest("esp32", "stable");
            string dir = Path.Combine(_fx.ServeDir, "manifest", "esp32");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "stable.json"), ManifestService.ToJson("esp32", "stable", latest, _nginx.BaseUrl));
        }

        [ClassCleanup]
        public static void Stop()
        {
            _nginx.Dispose();
            _fx.Delete();
        }

        [TestMethod]
        public void RangeSourceGetsRangesEtagsAndStatusesFromNginx()
        {
            byte[] pkg = File.ReadAllBytes(_fx.V2Package);
            string url = _nginx.BaseUrl + "/esp32/stable/fw-2.0.0_ota.img";
            using var src = new HttpRangeSource();
            string etag;
            using (var whole = src.Get(url, 0, -1, null, 5000))
            {
                Assert.AreEqual(200, whole.Status);
                Assert.AreEqual((long)pkg.Length, whole.TotalLength);
                etag = whole.ETag;
                Assert.IsNotNull(etag);
                ServeTests.CollectionAssertEqual(pkg, RangeResponses.ReadAll(whole));
            }
            using (var tail = src.Get(url, 10000, -1, etag, 5000))
            {
                Assert.AreEqual(206, tail.Status);
                Assert.AreEqual(10000L, tail.Offset);
                Assert.AreEqual((long)pkg.Length, tail.TotalLength);
                ServeTests.CollectionAssertEqual(pkg.Skip(10000).ToArray(), RangeResponses.ReadAll(tail));
            }
            using (var block = src.Get(url, 4096, 4096, etag, 5000))
            {
                Assert.AreEqual(206, block.Status);
                ServeTests.CollectionAssertEqual(pkg.Skip(4096).Take(4096).ToArray(), RangeResponses.ReadAll(block));
            }
            using (var stale = src.Get(url, 100, -1, "\"0-0\"", 5000)) Assert.AreEqual(412, stale.Status);
            using (var past = src.Get(url, pkg.Length + 10, -1, null, 5000)) Assert.AreEqual(416, past.Status);
            using (var missing = src.Get(_nginx.BaseUrl + "/nope.img", 0, -1, null, 5000)) Assert.AreEqual(404, missing.Status);
        }

        [TestMethod]
        public void SimulatedDeviceUpdatesFromNginxBitExact()
        {
            var o = _fx.UpdateOptions(_nginx.BaseUrl, _fx.FreshFlash("nginx-update"));
            SimReport r = new DeviceSimulator(o).Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual(true, r.BitExact, r.BitExactNote);
            Assert.AreEqual("2.0.0", r.FinalVersion);
            Assert.AreEqual("CONFIRMED", r.FinalState);
        }

        [TestMethod]
        public void PowerCutMidDownloadResumesAgainstNginx()
        {
            var config = new OtaConfig();
            config.Server = _nginx.BaseUrl;
            var reference = new DeviceSimulator(new SimOptions { FlashPath = _fx.FreshFlash("nginx-ref"), Config = config }).Run();
            Assert.IsTrue(reference.Success, reference.ToText());
            ulong from = reference.Boots[0].FlashOpsAfterBootloader, to = reference.Boots[0].FlashOpsAfterApp;
            var o = new SimOptions
            {
                FlashPath = _fx.FreshFlash("nginx-cut"), Config = config, ExpectImagePath = _fx.V2Image,
                PowerCutAtOp = from + (to - from) / 3, PowerCutMode = PowerCutMode.Before,
            };
            SimReport r = new DeviceSimulator(o).Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual(1, r.PowerCuts);
            Assert.IsTrue(r.Boots[1].App.Update.ResumedFrom > 0, "resumed with Range from nginx");
            Assert.AreEqual(true, r.BitExact, r.BitExactNote);
        }
    }
}
