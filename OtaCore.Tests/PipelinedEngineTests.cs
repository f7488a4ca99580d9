#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.Threading;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// The engine with its default writer, the pipelined one (config "staging_pipeline"), on the
    /// real `ota serve` over 127.0.0.1 and the real libotahost flash: what was true of
    /// erase-as-you-go stays true when a worker thread erases and programs — durable progress
    /// only for pages in flash (checked before every program), resume after power cuts, worker
    /// faults surfacing with their code, aborts and network faults while the worker holds queued
    /// pages, and no worker thread once a run has returned.
    /// </summary>
    [TestClass]
    public class PipelinedEngineTests
    {
        private static OtaPlatform Watched(DeviceRig rig, out WatchedStaging staging)
        {
            OtaPlatform p = rig.Platform();
            staging = new WatchedStaging(rig.Staging, rig.OtaData);
            p.Staging = staging;
            return p;
        }

        private static void AssertNoWorkerLeft(OtaEngine e, WatchedStaging w, string what)
        {
            Assert.IsFalse(e.StagingWorkerRunning, what + ": the engine still has a staging worker");
            Thread t = w.LastThread;
            if (t != null && t != Thread.CurrentThread)
            {
                Assert.IsTrue(t.Join(0) || !t.IsAlive, what + ": the worker thread is still alive");
            }
        }

        private static void AssertDurablePrefixInFlash(DeviceRig rig, byte[] img, int durable, string what)
        {
            byte[] staged = rig.ReadStaging(img.Length);
            long n = Math.Min((long)durable * 4096, img.Length);
            for (int i = 0; i < n; i++)
            {
                if (staged[i] != img[i]) Assert.Fail(what + ": byte " + i + " of a durable block differs from the package");
            }
        }

        [TestMethod]
        public void ThePipelineIsTheDefaultWriterAndCanBeTurnedOff()
        {
            Assert.IsTrue(new OtaConfig().StagingPipeline);
            Assert.AreEqual(8192, new OtaConfig().PipelineRingSize);
            byte[] img = TestPackage.Build("2.0", 3, 300000, 71);
            int sectors = (img.Length + 4095) / 4096;
            int pipedOps = 0, plainOps = 0;
            foreach (bool pipelined in new[] { true, false })
            {
                using var rig = new DeviceRig();
                rig.SetRunning("1.0", 1, OtaState.Confirmed);
                rig.Publish(img, "fw.img");
                OtaConfig c = OtaConfig.Parse("{\"server\":\"" + rig.BaseUrl + "\",\"auto_reboot\":false" + (pipelined ? "" : ",\"staging_pipeline\":false") + "}");
                var e = new OtaEngine(c, Watched(rig, out WatchedStaging w));
                Assert.AreEqual(pipelined, e.PipelinedStaging);
                Assert.AreEqual(pipelined ? 8192 : 0, e.PipelineRingSize);

                OtaResult r = e.Update();

                Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
                Assert.IsTrue(r.Staged);
                Assert.AreEqual(pipelined ? "pipelined" : "erase-as-you-go", r.StagingWriter);
                Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State);
                CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
                Assert.IsNull(w.Violation, w.Violation);
                int[] threads = w.Threads;
                Assert.AreEqual(1, threads.Length, "one thread does all staging flash work");
                if (pipelined)
                {
                    Assert.AreNotEqual(Environment.CurrentManagedThreadId, threads[0], "staging flash work on the worker, not the engine's thread");
                    Assert.AreEqual(w.Operations, r.StagingWorkerOperations);
                    pipedOps = w.Operations;
                }
                else
                {
                    Assert.AreEqual(Environment.CurrentManagedThreadId, threads[0], "erase-as-you-go works in the engine's thread");
                    Assert.AreEqual(0, r.StagingWorkerOperations);
                    plainOps = w.Operations;
                }

                for (int s = 0; s < sectors; s++)
                    Assert.AreEqual(1u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)s * 4096), "sector " + s + " erased once");
                Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)sectors * 4096), "nothing erased past the package");
                AssertNoWorkerLeft(e, w, pipelined ? "pipelined" : "plain");
            }

            // 300 064 bytes = 74 sectors: the pipeline erases 4 whole 64 KiB blocks + 10 sectors
            Assert.AreEqual(plainOps - (74 - 14), pipedOps, "plain " + plainOps + " staging ops, pipelined " + pipedOps);
        }

        [TestMethod]
        public void PowerCutDuringAPipelinedDownloadResumesFromWhatTheWorkerMadeDurable()
        {
            byte[] img = TestPackage.Build("4.1", 6, 150000, 72);
            int blocks = (img.Length + 4095) / 4096;
            int cases = 0, resumedMidway = 0;
            foreach (PowerCutMode mode in new[] { PowerCutMode.Before, PowerCutMode.After, PowerCutMode.Torn })
            {
                foreach (ulong at in new ulong[] { 3, 11, 60, 250, 480, 700 })
                {
                    string what = mode + "@" + at;
                    using var rig = new DeviceRig();
                    rig.SetRunning("1.0", 1, OtaState.Confirmed);
                    rig.Publish(img, "fw.img");
                    rig.Reboot();
                    rig.Flash.SetPowerCut(rig.Flash.OperationCount + at, mode, (uint)at);
                    var e = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w));
                    OtaResult cut = e.Update();
                    AssertNoWorkerLeft(e, w, what);
                    Assert.IsNull(w.Violation, what + ": " + w.Violation);
                    if (cut.Error == OtaError.Ok) continue; // the cut lay after the last operation
                    Assert.AreEqual(OtaError.FlashPowerCut, cut.Error, what + ": " + cut.Message);

                    rig.Reboot();
                    OtaStateRecord rec = rig.Store.ReadCurrent();
                    Assert.IsNotNull(rec, what);
                    int durable = rec.State == OtaState.Downloading ? rig.Store.CountLeadingDurableBlocks(blocks) : 0;
                    AssertDurablePrefixInFlash(rig, img, durable, what);

                    var e2 = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w2));
                    OtaResult r = e2.Update();
                    Assert.AreEqual(OtaError.Ok, r.Error, what + ": " + r.Message);
                    Assert.AreEqual("pipelined", r.StagingWriter, what);
                    Assert.AreEqual(durable == 0 ? 0 : Math.Min((long)durable * 4096, img.Length), r.ResumedFrom, what);
                    Assert.AreEqual(OtaState.Staged, rig.Store.ReadCurrent().State, what);
                    CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length), what);
                    Assert.IsNull(w2.Violation, what + " (resume): " + w2.Violation);
                    for (int b = 0; b < durable && b < blocks; b++)
                        Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)b * 4096), what + ": durable block " + b + " erased again");
                    AssertNoWorkerLeft(e2, w2, what + " (resume)");
                    cases++;
                    if (r.ResumedFrom > 0) resumedMidway++;
                }
            }

            Assert.IsTrue(cases >= 15, "cuts that hit the update: " + cases);
            Assert.IsTrue(resumedMidway >= 6, "cuts after durable progress that resumed midway: " + resumedMidway);
        }

        [TestMethod]
        public void AFaultInTheWorkersFlashOperationFailsTheRunWithItsCodeAndTheNextRunResumes()
        {
            byte[] img = TestPackage.Build("4.2", 6, 120000, 73);
            int blocks = (img.Length + 4095) / 4096;
            var cases = new (int op, Exception fault, OtaError code, string text)[]
            {
                (1, new OtaException(OtaError.FlashIo, "erase failed"), OtaError.FlashIo, "erase failed"),          // the first erase ahead
                (45, new OtaException(OtaError.FlashNor, "0->1 bit"), OtaError.FlashNor, "0->1 bit"),                // a page program
                (200, new System.IO.IOException("flash file gone"), OtaError.FlashIo, "staging flash worker: flash file gone"), // not an OtaException
            };
            foreach (var c in cases)
            {
                string what = "fault at op " + c.op;
                using var rig = new DeviceRig();
                rig.SetRunning("1.0", 1, OtaState.Confirmed);
                rig.Publish(img, "fw.img");
                var e = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w));
                w.FailAtOp = c.op;
                w.Fault = c.fault;
                var events = EngineEvents.Record(e);

                OtaResult r = e.Update();

                Assert.AreEqual(c.code, r.Error, what + ": " + r.Message);
                Assert.IsTrue(r.Message.Contains(c.text), what + ": " + r.Message);
                Assert.AreEqual("DownloadFailed:" + (int)c.code, events[^1], what);
                Assert.AreNotEqual(Environment.CurrentManagedThreadId, w.Threads[0], what + ": the fault hit the worker");
                AssertNoWorkerLeft(e, w, what);
                Assert.IsNull(w.Violation, what + ": " + w.Violation);
                Assert.AreEqual(OtaState.Downloading, rig.Store.State, what + ": progress kept for a resume");
                int durable = rig.Store.CountLeadingDurableBlocks(blocks);
                Assert.IsTrue(durable * 4096L <= w.ProgrammedEnd, what + ": " + durable + " durable blocks, programmed up to " + w.ProgrammedEnd);
                AssertDurablePrefixInFlash(rig, img, durable, what);

                OtaResult again = new OtaEngine(rig.Config(), rig.Platform()).Update();
                Assert.AreEqual(OtaError.Ok, again.Error, what + ": " + again.Message);
                Assert.AreEqual((long)durable * 4096, again.ResumedFrom, what);
                CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length), what);
            }
        }

        [TestMethod]
        public void AbortWhileTheWorkerHoldsQueuedPagesProgramsThemAndEndsTheWorker()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            byte[] img = rig.PublishPackage("fw.img", "4.3", 6, 160000, 74);
            var e = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w));
            w.ProgramDelayMs = 3; // a slow flash: the worker falls behind and the ring fills up
            long abortedAt = -1, programmedAtAbort = -1;
            e.Progress += (s, b, t) =>
            {
                if (abortedAt < 0 && b >= 50000)
                {
                    abortedAt = b;
                    programmedAtAbort = w.ProgrammedEnd;
                    e.Abort();
                }
            };

            OtaResult r = e.Update();

            Assert.AreEqual(OtaError.Aborted, r.Error, r.Message);
            Assert.IsTrue(programmedAtAbort < abortedAt - 4 * 256, "the worker held queued pages at the abort: programmed " + programmedAtAbort + " of " + abortedAt);
            AssertNoWorkerLeft(e, w, "abort");
            Assert.IsNull(w.Violation, w.Violation);
            Assert.AreEqual(abortedAt / 256 * 256, w.ProgrammedEnd, "every whole page queued before the abort was programmed");
            int durable = rig.Store.CountLeadingDurableBlocks(100);
            Assert.AreEqual((int)(abortedAt / 4096), durable, "every block completed before the abort is durable");
            AssertDurablePrefixInFlash(rig, img, durable, "abort");

            OtaResult again = new OtaEngine(rig.Config(), rig.Platform()).Update();
            Assert.AreEqual(OtaError.Ok, again.Error, again.Message);
            Assert.AreEqual((long)durable * 4096, again.ResumedFrom);
            CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
            Assert.AreEqual(OtaState.Staged, rig.Store.State);
        }

        [TestMethod]
        public void ADroppedConnectionWhileTheWorkerIsBehindResumesAtTheBytesHeld()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            byte[] img = rig.PublishPackage("fw.img", "4.4", 6, 100000, 75);
            rig.Faults.Add(h => h.Path.EndsWith("fw.img") && h.Header("Range") != "bytes=0-63", new ServeFault { DropAfterBytes = 30000 }, 1);
            var e = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w));
            w.ProgramDelayMs = 2;

            OtaResult r = e.Update();

            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(1, r.Retries);
            Assert.AreEqual("pipelined", r.StagingWriter);
            CollectionAssert.AreEqual(new[] { "bytes=0-63", "-", "bytes=30000-" }, rig.Faults.RangesFor("fw.img"), "the retry continues after the bytes received, queued ones included");
            CollectionAssert.AreEqual(img, rig.ReadStaging(img.Length));
            Assert.IsNull(w.Violation, w.Violation);
            AssertNoWorkerLeft(e, w, "drop");
        }

        [TestMethod]
        public void AHeaderThatDiffersFromTheProbeStopsBeforeTheWorkerTouchesFlash()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            rig.PublishPackage("fw.img", "1.1", 2, 30000, 76);
            rig.Publish(TestPackage.Build("1.1", 2, 30000, 77), "other.img", "x", "y");
            rig.Faults.Add(h => h.Path.EndsWith("fw.img") && h.Header("Range") != "bytes=0-63",
                new ServeFault { SubstituteFile = System.IO.Path.Combine(rig.ServeRoot, "x", "y", "other.img") }, -1);
            ulong ops = rig.Flash.OperationCount;
            var e = new OtaEngine(rig.Config(), Watched(rig, out WatchedStaging w));

            OtaResult r = e.Update();

            Assert.AreEqual(OtaError.HttpLength, r.Error, r.Message);
            Assert.AreEqual(0, w.Operations, "no staging erase or program");
            Assert.AreEqual(ops, rig.Flash.OperationCount, "nothing written at all");
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
            Assert.IsFalse(e.StagingWorkerRunning);
        }

        [TestMethod]
        public void PipelineRingSizeIsCheckedAndUsed()
        {
            Assert.AreEqual(512, OtaConfig.Parse("{\"pipeline_ring_size\":512}").PipelineRingSize);
            Assert.AreEqual(65536, OtaConfig.Parse("{\"pipeline_ring_size\":65536}").PipelineRingSize);
            Assert.IsFalse(OtaConfig.Parse("{\"staging_pipeline\":false}").StagingPipeline);
            foreach (string bad in new[] { "{\"pipeline_ring_size\":256}", "{\"pipeline_ring_size\":65792}", "{\"pipeline_ring_size\":1000}",
                                           "{\"pipeline_ring_size\":\"8192\"}", "{\"staging_pipeline\":1}" })
            {
                try
                {
                    OtaConfig.Parse(bad);
                    Assert.Fail(bad + " accepted");
                }
                catch (OtaException ex)
                {
                    Assert.AreEqual(OtaError.Config, ex.Code, bad);
                    Assert.IsTrue(ex.Message.Contains(bad.Contains("ring") ? "pipeline_ring_size" : "staging_pipeline"), ex.Message);
                }
            }

            using var rig = new DeviceRig();
            rig.PublishPackage("fw.img", "1.1", 2, 20000, 78);
            OtaConfig c = rig.Config();
            c.PipelineRingSize = 1024;
            var e = new OtaEngine(c, rig.Platform());
            Assert.AreEqual(1024, e.PipelineRingSize);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.StagingWorkerOperations > 0);
        }
    }
}
#endif
