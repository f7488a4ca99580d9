#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.IO;
using System.Linq;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore;

namespace DeviceApp.Tests
{
    /// <summary>
    /// The whole device through the simulator: the real C bootloader (libotahost), the DeviceApp
    /// flow over the host bindings, real HTTP from ota serve, a file-backed NOR flash.
    /// </summary>
    [TestClass]
    public class SimulatorTests
    {
        private static Fixture _fx;
        private static HttpFileServer _server;

        [ClassInitialize]
        public static void Start(TestContext _)
        {
            _fx = new Fixture("sim");
            _server = _fx.StartServer();
        }

        [ClassCleanup]
        public static void Stop()
        {
            _server.Dispose();
            _fx.Delete();
        }

        private static SimOptions Options(string flash) => _fx.UpdateOptions(_server.BaseUrl, flash);

        private static byte[] AppPartition(string flash, int length)
        {
            var all = File.ReadAllBytes(flash);
            return all.Skip(0x20000).Take(length).ToArray();
        }

        [TestMethod]
        public void V1UpdatesToV2OverHttpAndBootsItBitExact()
        {
            string flash = _fx.FreshFlash("update");
            SimReport r = new DeviceSimulator(Options(flash)).Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual(true, r.BitExact, r.BitExactNote);
            Assert.AreEqual("2.0.0", r.FinalVersion);
            Assert.AreEqual("CONFIRMED", r.FinalState);
            Assert.AreEqual(2, r.Boots.Count, r.ToText());
            Assert.AreEqual("1.0.0", r.Boots[0].RunningVersion);
            Assert.IsTrue(r.Boots[0].App.RebootRequested);
            Assert.IsTrue(r.Boots[1].Installed);
            Assert.IsTrue(r.Boots[1].App.Confirmed);
            long package = new FileInfo(_fx.V2Package).Length;
            Assert.AreEqual(package, r.PackageLength);
            Assert.IsTrue(r.BytesOnWire >= package && r.BytesOnWire < package + 4096, "wire " + r.BytesOnWire + " for a " + package + " B package");
            Assert.AreEqual("pipelined", r.StagingWriter, "the default writer");
            Assert.AreEqual("pipelined", r.Boots[0].App.StagingWriter);
            Assert.IsTrue(r.StagingWorkerOperations > package / 256, "the worker programmed every page: " + r.StagingWorkerOperations);
            byte[] v2 = File.ReadAllBytes(_fx.V2Image);
            ServeTests.CollectionAssertEqual(v2.Skip(64).ToArray(), AppPartition(flash, v2.Length - 64));
        }

        [TestMethod]
        public void PowerCutMidDownloadResumesFromDurableProgress()
        {
            PowerCutMidDownloadResumes(true);
        }

        [TestMethod]
        public void WithThePipelineOffAPowerCutMidDownloadResumesToo()
        {
            PowerCutMidDownloadResumes(false);
        }

        private static void PowerCutMidDownloadResumes(bool pipelined)
        {
            string writer = pipelined ? "pipelined" : "erase-as-you-go";
            // Where the download's flash operations lie: measured on a clean run of the same setup.
            var co = Options(_fx.FreshFlash("cut-ref-" + writer));
            co.Config.StagingPipeline = pipelined;
            SimReport clean = new DeviceSimulator(co).Run();
            Assert.AreEqual(writer, clean.StagingWriter, clean.ToText());
            Assert.IsTrue(clean.Success, clean.ToText());
            ulong from = clean.Boots[0].FlashOpsAfterBootloader, to = clean.Boots[0].FlashOpsAfterApp;
            Assert.IsTrue(to - from > 40, "the download should take many flash operations, got " + (to - from));
            ulong cut = from + (to - from) * 6 / 10;

            string flash = _fx.FreshFlash("cut-" + writer);
            var o = Options(flash);
            o.Config.StagingPipeline = pipelined;
            o.PowerCutAtOp = cut;
            o.PowerCutMode = PowerCutMode.Torn;
            o.PowerCutSeed = 7;
            SimReport r = new DeviceSimulator(o).Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual(true, r.BitExact, r.BitExactNote);
            Assert.AreEqual(1, r.PowerCuts);
            Assert.AreEqual("app", r.Boots[0].PowerCutIn, r.ToText());
            Assert.AreEqual("1.0.0", r.Boots[1].RunningVersion, "after the cut the old firmware boots");
            var resumed = r.Boots[1].App.Update;
            Assert.IsTrue(resumed.ResumedFrom > 0, "the second boot resumes instead of restarting: " + resumed.Message);
            long package = new FileInfo(_fx.V2Package).Length;
            Assert.IsTrue(r.BytesOnWire < package * 2 - resumed.ResumedFrom / 2,
                "resume re-downloads only the missing part: " + r.BytesOnWire + " B on the wire for " + package + " B");
            Assert.AreEqual("2.0.0", r.FinalVersion);
            Assert.AreEqual(writer, r.Boots[0].App?.StagingWriter ?? writer, "boot 1 (cut) used the " + writer + " writer");
            Assert.AreEqual(writer, r.Boots[1].App.StagingWriter, "the resume used the " + writer + " writer");
        }

        [TestMethod]
        public void CorruptStagedPackageIsRejectedAndTheOldFirmwareKeepsBooting()
        {
            string flash = _fx.FreshFlash("corrupt");
            var o = Options(flash);
            o.MaxBoots = 2;
            o.ExpectImagePath = _fx.V1Image;
            var sim = new DeviceSimulator(o);
            // After boot 1 staged the package, clear bits in the middle of its body (NOR can do that).
            sim.BeforeBoot = (n, f) =>
            {
                if (n != 2) return;
                var b = new byte[16];
                uint at = 0x1E0000 + 20000;
                f.Read(at, b, 0, b.Length);
                for (int i = 0; i < b.Length; i++) b[i] = (byte)(b[i] & 0x5A);
                f.Program(at, b, 0, b.Length);
            };
            // Keep the server from offering the update again in boot 2, so the old image just runs.
            sim.BeforeApp = (n, app) => { if (n == 2) app.Network.SetConnected(false); app.Network.ReconnectSucceeds = n != 2; };
            SimReport r = sim.Run();
            Assert.AreEqual(2, r.Boots.Count, r.ToText());
            var boot2 = r.Boots[1].Bootloader;
            Assert.AreEqual("STAGED", (string)boot2["state_before"]);
            Assert.AreEqual("FAILED", (string)boot2["state_after"], r.ToText());
            Assert.IsNotNull(boot2["error"], "the bootloader reports why it rejected the package");
            Assert.AreEqual(0, r.Boots[1].BootloaderCode, "it still boots an app");
            Assert.AreEqual("1.0.0", r.Boots[1].RunningVersion);
            Assert.IsFalse(r.Boots[1].Installed);
            Assert.AreEqual(true, r.BitExact, "v1 is untouched: " + r.BitExactNote);
            Assert.AreEqual("1.0.0", r.FinalVersion);
        }

        [TestMethod]
        public void WifiDownAtStartFailsFastAndLeavesTheDeviceOnItsFirmware()
        {
            string flash = _fx.FreshFlash("down");
            var o = Options(flash);
            o.ExpectImagePath = _fx.V1Image;
            var sim = new DeviceSimulator(o);
            sim.BeforeApp = (n, app) => { app.Network.SetConnected(false); app.Network.ReconnectSucceeds = false; };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            SimReport r = sim.Run();
            Assert.IsTrue(clock.ElapsedMilliseconds < 30000, "no retry loop when the network is down");
            Assert.IsTrue(r.Success, r.ToText());
            Assert.AreEqual(1, r.Boots.Count);
            Assert.AreEqual(OtaError.NetDown, r.Boots[0].App.Update.Error, r.Boots[0].App.Update.Message);
            Assert.IsFalse(r.Boots[0].App.RebootRequested);
            Assert.AreEqual("1.0.0", r.FinalVersion);
        }
    

        [TestMethod]
        public void UnhealthyNewImageStaysOnTrialAndIsNotConfirmed()
        {
            string flash = _fx.FreshFlash("unhealthy");
            var o = Options(flash);
            var sim = new DeviceSimulator(o);
            sim.BeforeApp = (n, app) => { if (n == 2) app.Health = new NeverHealthy(); };
            SimReport r = sim.Run();
            Assert.AreEqual(2, r.Boots.Count, r.ToText());
            Assert.AreEqual("2.0.0", r.Boots[1].RunningVersion);
            Assert.IsFalse(r.Boots[1].App.Confirmed);
            Assert.AreEqual("TRIAL", r.FinalState, "no confirm without a healthy check");
            Assert.IsNull(r.Boots[1].App.Update, "no update check while on trial");
            Assert.AreEqual(true, r.BitExact, r.BitExactNote);
        }

        private sealed class NeverHealthy : DeviceApp.Flow.IHealthCheck
        {
            public bool Check() => false;
            public string LastReason => "sensor self-test failed";
        }
    }
}
