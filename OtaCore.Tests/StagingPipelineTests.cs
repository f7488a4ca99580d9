#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using DeviceApp.Bindings.Host;
using OtaCore.Download;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// The pipelined StagingWriter (issue 9): pages programmed and blocks marked durable by the
    /// StagingPipeline's worker thread, the staging area erased ahead with 64 KiB block erases, on
    /// the libotahost NOR flash (real HTTP for the download case), and power cuts at flash
    /// operations of the pipelined stream followed by a resume.
    /// </summary>
    [TestClass]
    public class StagingPipelineTests
    {
        private static readonly byte[] Tag = Filled(32, 0x5A);

        private static byte[] Filled(int n, byte v)
        {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = v;
            return b;
        }

        private static StagingWriter Writer(DeviceRig rig, StagingPipeline pipe)
        {
            var w = new StagingWriter(rig.Staging, rig.App, rig.Store, rig.Native, new byte[4096]);
            w.OtaData = rig.OtaData;
            w.Pipeline = pipe;
            return w;
        }

        // Feeds img[from..] in pseudo-random chunk sizes (1..6000 bytes).
        private static void Feed(StagingWriter w, byte[] img, int from, int seed)
        {
            var rnd = new Random(seed);
            byte[] chunk = new byte[6000];
            int p = from;
            while (p < img.Length)
            {
                int n = Math.Min(img.Length - p, 1 + rnd.Next(chunk.Length));
                Array.Copy(img, p, chunk, 0, n);
                w.Write(chunk, 0, n);
                p += n;
            }
        }

        [TestMethod]
        public void PipelinedWriterStagesBitExactWithFewerEraseOperations()
        {
            byte[] img = TestPackage.Build("2.0", 3, 300000, 41);
            int sectors = (img.Length + 4095) / 4096;
            ulong opsPlain, opsPiped;
            using (var rig = new DeviceRig())
            {
                ulong s0 = rig.Flash.OperationCount;
                StagingWriter w = Writer(rig, null);
                w.Begin(Tag, null, null);
                Feed(w, img, 0, 1);
                w.Finish(null);
                opsPlain = rig.Flash.OperationCount - s0;
            }

            using (var rig = new DeviceRig())
            {
                ulong s0 = rig.Flash.OperationCount;
                var pipe = new StagingPipeline(rig.Staging, rig.Store, new byte[4096]);
                StagingWriter w = Writer(rig, pipe);
                w.Begin(Tag, null, null);
                Feed(w, img, 0, 2);
                w.Finish(null);
                pipe.Stop();
                opsPiped = rig.Flash.OperationCount - s0;

                OtaStateRecord rec = rig.Store.ReadCurrent();
                Assert.AreEqual(OtaState.Staged, rec.State);
                CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
                for (int s = 0; s < sectors; s++)
                    Assert.AreEqual(1u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)s * 4096), "sector " + s);
                Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)sectors * 4096), "nothing erased past the package");
            }

            // 300 064 bytes = 74 sectors: 4 block erases + 10 sector erases instead of 74 sector erases
            Assert.AreEqual(opsPlain - (74 - 14), opsPiped, "plain " + opsPlain + " ops, pipelined " + opsPiped);
        }

        [TestMethod]
        public void PipelinedDownloadOverHttpStagesExactly()
        {
            using var rig = new DeviceRig();
            byte[] img = TestPackage.Build("2.1", 4, 200000, 42);
            string path = rig.Publish(img, "fw_p.img");
            var pipe = new StagingPipeline(rig.Staging, rig.Store, new byte[8192]);
            StagingWriter w = Writer(rig, pipe);
            var dl = new RangeDownloader(rig.Source, rig.Network, rig.Clock, rig.Config(), new byte[4096]);
            w.Begin(Tag, null, null);
            dl.Fetch(rig.BaseUrl + path, img.Length, null, w);
            w.Finish(null);
            pipe.Stop();
            Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State);
            CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
        }

        [TestMethod]
        public void PowerCutInThePipelinedStreamResumesFromTheDurablePrefix()
        {
            byte[] img = TestPackage.Build("2.2", 5, 140000, 43);
            int blocks = (img.Length + 4095) / 4096;
            int cases = 0;
            foreach (PowerCutMode mode in new[] { PowerCutMode.Before, PowerCutMode.After, PowerCutMode.Torn })
            {
                foreach (ulong at in new ulong[] { 1, 2, 3, 4, 9, 40, 137, 300, 520, 600 })
                {
                    using var rig = new DeviceRig();
                    rig.SetRunning("1.0", 1, OtaState.Confirmed);
                    rig.Reboot();
                    rig.Flash.SetPowerCut(rig.Flash.OperationCount + at, mode, (uint)at);
                    var pipe = new StagingPipeline(rig.Staging, rig.Store, new byte[2048]);
                    StagingWriter w = Writer(rig, pipe);
                    OtaError got = OtaError.Ok;
                    try
                    {
                        w.Begin(Tag, null, null);
                        Feed(w, img, 0, (int)at);
                        w.Finish(null);
                    }
                    catch (OtaException e)
                    {
                        got = e.Code;
                    }
                    finally
                    {
                        pipe.Stop();
                    }

                    if (got == OtaError.Ok) continue; // the cut lay after the last operation
                    Assert.AreEqual(OtaError.FlashPowerCut, got, mode + "@" + at);

                    rig.Reboot();
                    OtaStateRecord rec = rig.Store.ReadCurrent();
                    Assert.IsNotNull(rec, mode + "@" + at);
                    int durable = rec.State == OtaState.Downloading ? rig.Store.CountLeadingDurableBlocks(blocks) : 0;
                    // what is durable is in flash, bit-exact
                    byte[] staged = rig.ReadStaging(img.Length);
                    for (int i = 0; i < Math.Min((long)durable * 4096, img.Length); i++)
                        if (staged[i] != img[i]) Assert.Fail(mode + "@" + at + ": durable byte " + i + " differs");

                    var pipe2 = new StagingPipeline(rig.Staging, rig.Store, new byte[2048]);
                    StagingWriter w2 = Writer(rig, pipe2);
                    long from = w2.TryResume(Tag, null, null);
                    if (from < 0)
                    {
                        w2.Begin(Tag, null, null);
                        from = 0;
                    }

                    Assert.AreEqual(durable == 0 ? 0 : Math.Min((long)durable * 4096, img.Length), from, mode + "@" + at);
                    byte[] rest = new byte[img.Length - from];
                    Array.Copy(img, from, rest, 0, rest.Length);
                    if (rest.Length > 0) w2.Write(rest, 0, rest.Length);
                    w2.Finish(null);
                    pipe2.Stop();
                    Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State, mode + "@" + at);
                    CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length), mode + "@" + at);
                    for (int b = 0; b < durable && b < blocks; b++)
                        Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)b * 4096), mode + "@" + at + ": durable block " + b + " erased again");
                    cases++;
                }
            }

            Assert.IsTrue(cases >= 27, "cuts that hit the stream: " + cases);
        }

        [TestMethod]
        public void WorkerEndsWhenIdleAndRestartsForTheNextPackage()
        {
            using var rig = new DeviceRig();
            var pipe = new StagingPipeline(rig.Staging, rig.Store, new byte[1024]);
            StagingWriter w = Writer(rig, pipe);
            foreach (int seed in new[] { 51, 52 })
            {
                byte[] img = TestPackage.Build("3." + seed, (uint)seed, 50000 + 4 * seed, seed);
                w.Begin(Tag, null, null);
                Feed(w, img, 0, seed);
                w.Finish(null);
                CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
                Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State);
                var until = DateTime.UtcNow.AddSeconds(5);
                while (pipe.WorkerRunning && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);
                Assert.IsFalse(pipe.WorkerRunning, "worker still running after an idle second");
            }
        }

        [TestMethod]
        public void EngineWithAPipelineRingUpdatesAndResumesAfterPowerCuts()
        {
            byte[] img = TestPackage.Build("4.0", 6, 90000, 61);
            int cases = 0;
            foreach (ulong at in new ulong[] { 5, 30, 77, 200, 330 })
            {
                using var rig = new DeviceRig();
                rig.SetRunning("1.0", 1, OtaState.Confirmed);
                rig.Publish(img, "fw_e.img");
                rig.Reboot();
                rig.Flash.SetPowerCut(rig.Flash.OperationCount + at, PowerCutMode.Torn, (uint)at);
                OtaCore.Engine.OtaPlatform p = rig.Platform();
                p.StagingPipelineRing = new byte[4096];
                OtaCore.Engine.OtaResult cut = new OtaCore.Engine.OtaEngine(rig.Config(), p).Update();
                if (cut.Error == OtaError.Ok) continue;
                Assert.AreEqual(OtaError.FlashPowerCut, cut.Error, "@" + at + ": " + cut.Message);
                rig.Reboot();
                p = rig.Platform();
                p.StagingPipelineRing = new byte[4096];
                OtaCore.Engine.OtaResult r = new OtaCore.Engine.OtaEngine(rig.Config(), p).Update();
                Assert.AreEqual(OtaError.Ok, r.Error, "@" + at + ": " + r.Message);
                Assert.IsTrue(r.Staged, "@" + at);
                Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State);
                CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length), "@" + at);
                cases++;
            }

            Assert.IsTrue(cases >= 4, "cuts that hit the update: " + cases);
        }

        [TestMethod]
        public void RingMustHoldTwoPages()
        {
            using var rig = new DeviceRig();
            foreach (int size in new[] { 256, 1000 })
            {
                bool thrown = false;
                try
                {
                    new StagingPipeline(rig.Staging, rig.Store, new byte[size]);
                }
                catch (ArgumentException)
                {
                    thrown = true;
                }

                Assert.IsTrue(thrown, "ring of " + size + " bytes accepted");
            }
        }
    }
}
#endif
