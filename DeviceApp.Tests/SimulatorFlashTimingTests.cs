#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using Ota.Tools.Commands;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore;

namespace DeviceApp.Tests
{
    /// <summary>
    /// `ota sim --flash-timing`: the simulator's modelled flash time per phase is the operation
    /// counts of the run times the model's operation times (a real v1 -> v2 update over HTTP).
    /// </summary>
    [TestClass]
    public class SimulatorFlashTimingTests
    {
        // round numbers: every read of n bytes takes exactly n ms (1 B/ms), no truncation
        private const string RoundSpec = "erase4k=1ms,erase64k=10ms,program=100us,read=1KB/s";

        private static Fixture _fx;
        private static HttpFileServer _server;

        [ClassInitialize]
        public static void Start(TestContext _)
        {
            _fx = new Fixture("simtiming");
            _server = _fx.StartServer();
        }

        [ClassCleanup]
        public static void Stop()
        {
            _server.Dispose();
            _fx.Delete();
        }

        private static SimReport Update(string name, FlashTiming timing)
        {
            var o = _fx.UpdateOptions(_server.BaseUrl, _fx.FreshFlash(name));
            if (timing != null) o.FlashTiming = timing;
            SimReport r = new DeviceSimulator(o).Run();
            Assert.IsTrue(r.Success, r.ToText());
            Assert.IsTrue(r.Boots.Count(b => b.Installed) == 1, r.ToText());
            return r;
        }

        private static ulong U(JsonNode n) => n.GetValue<ulong>();

        [TestMethod]
        public void ARoundModelGivesExactlyTheOperationCountsTimesTheOperationTimes()
        {
            SimReport r = Update("round", FlashTiming.Parse(RoundSpec));
            FlashStats d = r.DownloadStageFlash;
            Assert.IsTrue(d.Programs > 0 && d.BlockErases + d.SectorErases > 0, "the download staged a package");
            Assert.AreEqual(d.SectorErases * 1000 + d.BlockErases * 10000, d.EraseUs);
            Assert.AreEqual(d.Programs * 100, d.ProgramUs);
            Assert.AreEqual(d.BytesRead * 1000, d.ReadUs);
            Assert.AreEqual(d.EraseUs + d.ProgramUs + d.ReadUs, d.ModelledUs);

            BootRecord install = r.Boots.Single(b => b.Installed);
            JsonNode f = install.Bootloader["flash"];
            ulong expected = U(f["sector_erases"]) * 1000 + U(f["block_erases"]) * 10000 + U(f["programs"]) * 100 + U(f["bytes_read"]) * 1000;
            Assert.AreEqual(expected, U(f["modelled_us"]));
            Assert.AreEqual(expected, r.InstallFlashUs);
            Assert.AreEqual(r.InstallFlashUs, r.InstallTargetWriteUs + r.InstallOtherUs);
            // the install's own erases and pages are all in the target; its reads are not
            JsonNode ins = install.Bootloader["install"];
            Assert.IsTrue(r.InstallTargetWriteUs >= U(ins["sector_erases"]) * 1000 + U(ins["block_erases"]) * 10000 + U(ins["pages_programmed"]) * 100, r.ToJson());
            Assert.IsTrue(r.InstallOtherUs >= U(f["bytes_read"]) * 1000, r.ToJson());
            Assert.IsTrue(System.Math.Abs((double)r.InstallFlashUs / r.InstallTargetWriteUs - r.InstallOverheadRatio.Value) < 1e-12);

            string line = r.ToText().Split('\n').Single(l => l.StartsWith("flash time"));
            Assert.AreEqual($"flash time (model {RoundSpec}): download+stage {d.ModelledUs / 1000.0:0} ms, install {r.InstallFlashUs / 1000.0:0} ms"
                + $" = erase/program {r.InstallTargetWriteUs / 1000.0:0} ms + reads/records {r.InstallOtherUs / 1000.0:0} ms ({r.InstallOverheadRatio:0.000}×)", line);
            JsonNode json = JsonNode.Parse(r.ToJson())["flash_time"];
            Assert.AreEqual(RoundSpec, json["model"].GetValue<string>());
            Assert.AreEqual(d.ModelledUs / 1000.0, json["download_stage"]["modelled_ms"].GetValue<double>());
            Assert.AreEqual(r.InstallTargetWriteUs / 1000.0, json["install"]["target_write_ms"].GetValue<double>());
        }

        [TestMethod]
        public void TheDefaultIsTheEsp32Model()
        {
            var defaults = new SimOptions().FlashTiming;
            Assert.AreEqual("esp32", defaults.Spec);
            Assert.AreEqual(45000u, defaults.SectorEraseUs);
            Assert.AreEqual(150000u, defaults.BlockEraseUs);
            Assert.AreEqual(600u, defaults.PageProgramUs);
            Assert.AreEqual(10000u, defaults.ReadBytesPerMs);
            SimReport r = Update("esp32", null);
            FlashStats d = r.DownloadStageFlash;
            Assert.AreEqual(d.SectorErases * 45000 + d.BlockErases * 150000, d.EraseUs);
            Assert.AreEqual(d.Programs * 600, d.ProgramUs);
            // each read rounds down to whole microseconds: bytes / 10 less under one us per read
            Assert.IsTrue(d.ReadUs <= d.BytesRead / 10 && d.ReadUs + d.Reads >= d.BytesRead / 10, d.ReadUs + " us for " + d.BytesRead + " B");
            Assert.IsTrue(r.InstallOverheadRatio >= 1.0 && r.InstallOverheadRatio < 1.5, r.ToText());
            Assert.IsTrue(r.ToText().Contains("\nflash time (ESP32 model): download+stage "), r.ToText());
        }

        [TestMethod]
        public void TheModelOffCountsNoTime()
        {
            SimReport r = Update("off", FlashTiming.Parse("off"));
            Assert.IsTrue(r.DownloadStageFlash.Operations > 0);
            Assert.AreEqual(0UL, r.DownloadStageFlash.ModelledUs);
            Assert.AreEqual(0UL, r.InstallFlashUs);
            Assert.IsNull(r.InstallOverheadRatio);
            Assert.IsTrue(r.ToText().Contains("\nflash time: model off\n"), r.ToText());
        }

        [TestMethod]
        public void ABadSpecIsAUsageErrorAndWritesNothing()
        {
            string flash = _fx.FreshFlash("bad");
            byte[] before = File.ReadAllBytes(flash);
            foreach (string spec in new[] { "fast", "erase4k=45", "read=0MB/s", "erase4k=1ms,erase4k=2ms", "" })
            {
                var e = Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--flash", flash, "--server", _server.BaseUrl, "--flash-timing", spec }));
                Assert.AreEqual(OtaError.Usage, e.Code, spec);
                Assert.IsTrue(e.Message.Contains("--flash-timing"), e.Message);
            }
            ServeTests.CollectionAssertEqual(before, File.ReadAllBytes(flash));
            Assert.AreEqual(2500u, FlashTiming.Parse("read=2.5MB/s").ReadBytesPerMs);
            Assert.AreEqual(45000u, FlashTiming.Parse("read=2.5MB/s").SectorEraseUs);
        }
    }
}
