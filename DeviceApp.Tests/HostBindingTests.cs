#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Tests
{
    [TestClass]
    public class HostBindingTests
    {
        private static string _dir;
        private static byte[] _file;
        private static HttpFileServer _server;

        [ClassInitialize]
        public static void Start(TestContext _)
        {
            _dir = TestImage.TempDir("bind");
            _file = TestImage.RandomFile(Path.Combine(_dir, "pkg.img"), 200000, 11);
            _server = new HttpFileServer(_dir, log: TextWriter.Null);
            _server.Start();
        }

        [ClassCleanup]
        public static void Stop()
        {
            _server.Dispose();
            Directory.Delete(_dir, true);
        }

        [TestMethod]
        public void RangeSourceReadsWholeFileAndRanges()
        {
            using var src = new HttpRangeSource();
            string url = _server.BaseUrl + "/pkg.img";
            using (var whole = src.Get(url, 0, -1, null, 5000))
            {
                Assert.AreEqual(200, whole.Status);
                Assert.AreEqual(0L, whole.Offset);
                Assert.AreEqual((long)_file.Length, whole.TotalLength);
                Assert.IsTrue(whole.ETag.StartsWith("\""));
                ServeTests.CollectionAssertEqual(_file, RangeResponses.ReadAll(whole));
            }
            using (var tail = src.Get(url, 150000, -1, null, 5000))
            {
                Assert.AreEqual(206, tail.Status);
                Assert.AreEqual(150000L, tail.Offset);
                Assert.AreEqual(50000L, tail.Length);
                Assert.AreEqual((long)_file.Length, tail.TotalLength);
                byte[] got = RangeResponses.ReadAll(tail);
                Assert.AreEqual(50000, got.Length);
                Assert.AreEqual(_file[150000], got[0]);
                Assert.AreEqual(_file[199999], got[49999]);
            }
            using (var block = src.Get(url, 4096, 4096, null, 5000))
            {
                Assert.AreEqual(206, block.Status);
                Assert.AreEqual(4096L, block.Length);
                Assert.AreEqual(_file[8191], RangeResponses.ReadAll(block)[4095]);
            }
            Assert.AreEqual(3L, src.RequestCount);
        }

        [TestMethod]
        public void IfMatchWithAStaleEtagAnswers412AndOtherStatusesPassThrough()
        {
            using var src = new HttpRangeSource();
            using (var r = src.Get(_server.BaseUrl + "/pkg.img", 100, -1, "\"stale\"", 5000)) Assert.AreEqual(412, r.Status);
            using (var r = src.Get(_server.BaseUrl + "/missing.img", 0, -1, null, 5000)) Assert.AreEqual(404, r.Status);
            using (var r = src.Get(_server.BaseUrl + "/pkg.img", 900000, -1, null, 5000))
            {
                Assert.AreEqual(416, r.Status);
                Assert.AreEqual((long)_file.Length, r.TotalLength);
            }
        }

        [TestMethod]
        public void DroppedConnectionIsNetTimeoutAndResumeWithRangeCompletes()
        {
            using var server = new HttpFileServer(_dir, log: TextWriter.Null) { Faults = new DropFirst(70000) };
            server.Start();
            using var src = new HttpRangeSource();
            string url = server.BaseUrl + "/pkg.img";
            var got = new byte[_file.Length];
            int have = 0;
            string etag;
            using (var r = src.Get(url, 0, -1, null, 5000))
            {
                etag = r.ETag;
                var e = Expect.Throws<OtaException>(() => { int n; while ((n = r.Read(got, have, 4096)) > 0) have += n; });
                Assert.AreEqual(OtaError.NetTimeout, e.Code);
            }
            Assert.AreEqual(70000, have);
            using (var r = src.Get(url, have, -1, etag, 5000))
            {
                Assert.AreEqual(206, r.Status);
                Assert.AreEqual((long)have, r.Offset);
                int n;
                while ((n = r.Read(got, have, Math.Min(4096, got.Length - have))) > 0) have += n;
            }
            ServeTests.CollectionAssertEqual(_file, got);
        }

        [TestMethod]
        public void StalledBodyTimesOutAsNetTimeout()
        {
            using var server = new HttpFileServer(_dir, log: TextWriter.Null) { Faults = new StallFirst(5000, 3000) };
            server.Start();
            using var src = new HttpRangeSource();
            using var r = src.Get(server.BaseUrl + "/pkg.img", 0, -1, null, 300);
            var buf = new byte[4096];
            int have = 0;
            var e = Expect.Throws<OtaException>(() => { int n; while ((n = r.Read(buf, 0, buf.Length)) > 0) have += n; });
            Assert.AreEqual(OtaError.NetTimeout, e.Code);
            Assert.AreEqual(5000, have);
        }

        [TestMethod]
        public void RefusedConnectionIsNetTimeoutAndDownNetworkIsNetDown()
        {
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
            using var src = new HttpRangeSource();
            var refused = Expect.Throws<OtaException>(() => src.Get("http://127.0.0.1:" + port + "/x", 0, -1, null, 2000));
            Assert.AreEqual(OtaError.NetTimeout, refused.Code);
            var net = new HostNetworkStatus();
            net.SetConnected(false);
            using var gated = new HttpRangeSource(net);
            var down = Expect.Throws<OtaException>(() => gated.Get(_server.BaseUrl + "/pkg.img", 0, -1, null, 2000));
            Assert.AreEqual(OtaError.NetDown, down.Code);
            Assert.IsTrue(net.Reconnect(100));
            using var r = gated.Get(_server.BaseUrl + "/pkg.img", 0, 10, null, 2000);
            Assert.AreEqual(206, r.Status);
        }

        [TestMethod]
        public void FlashPartitionFollowsNorRulesThroughTheCLibrary()
        {
            string path = Path.Combine(_dir, "flash-" + Guid.NewGuid().ToString("N") + ".bin");
            using var flash = HostFlash.Open(path, 4 * 1024 * 1024);
            var part = flash.Partition("app_ota", 0x1E0000, 0x110000);
            var data = new byte[5000];
            new Random(3).NextBytes(data);
            part.Erase(0, 8192);
            part.Write(100, data, 0, data.Length);
            var back = new byte[data.Length];
            part.Read(100, back, 0, back.Length);
            ServeTests.CollectionAssertEqual(data, back);
            var all = File.ReadAllBytes(path);
            Assert.AreEqual(data[0], all[0x1E0000 + 100], "partition offsets are absolute in the file");
            var ones = new byte[] { 0xFF };
            int i = Array.FindIndex(data, b => b != 0xFF);
            var nor = Expect.Throws<OtaException>(() => part.Write((uint)(100 + i), ones, 0, 1));
            Assert.AreEqual(OtaError.FlashNor, nor.Code);
            var range = Expect.Throws<OtaException>(() => part.Read(0x110000 - 10, back, 0, 20));
            Assert.AreEqual(OtaError.FlashRange, range.Code);
            Assert.IsTrue(flash.EraseCount(0x1E0000) >= 1);
        }

        [TestMethod]
        public void PowerCutStopsEveryLaterFlashOperation()
        {
            string path = Path.Combine(_dir, "flash-" + Guid.NewGuid().ToString("N") + ".bin");
            using var flash = HostFlash.Open(path, 4 * 1024 * 1024);
            var part = flash.Partition("app_ota", 0x1E0000, 0x110000);
            ulong before = flash.OperationCount;
            flash.SetPowerCut(before + 3, PowerCutMode.Before, 1);
            var data = new byte[256];
            part.Erase(0, 4096);
            part.Write(0, data, 0, 256);
            var cut = Expect.Throws<OtaException>(() => part.Write(256, data, 0, 256));
            Assert.AreEqual(OtaError.FlashPowerCut, cut.Code);
            Assert.AreEqual(OtaError.FlashPowerCut, Expect.Throws<OtaException>(() => part.Erase(8192, 4096)).Code);
        }

        [TestMethod]
        public void NativeSha256StreamsLikeTheOneShotDigest()
        {
            using var native = new HostNativeServices();
            int h = native.Sha256Begin();
            native.Sha256Update(h, _file, 0, 1000);
            native.Sha256Update(h, _file, 1000, _file.Length - 1000);
            var digest = new byte[40];
            native.Sha256Finish(h, digest, 8);
            byte[] expected = System.Security.Cryptography.SHA256.HashData(_file);
            for (int i = 0; i < 32; i++) Assert.AreEqual(expected[i], digest[8 + i]);
            var e = Expect.Throws<OtaException>(() => native.Sha256Update(h, _file, 0, 1));
            Assert.AreEqual(OtaError.Usage, e.Code);
        }

        private sealed class DropFirst : IServeFaultHook
        {
            private readonly long _after;
            public DropFirst(long after) { _after = after; }
            public ServeFault Plan(HttpRequestHead r) => r.Number == 1 ? new ServeFault { DropAfterBytes = _after } : null;
        }

        private sealed class StallFirst : IServeFaultHook
        {
            private readonly long _after; private readonly int _ms;
            public StallFirst(long after, int ms) { _after = after; _ms = ms; }
            public ServeFault Plan(HttpRequestHead r) => r.Number == 1 ? new ServeFault { StallAfterBytes = _after, StallMs = _ms } : null;
        }
    }
}
