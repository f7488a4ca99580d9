#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System.Collections.Generic;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// RangeDownloader + StagingWriter through the engine: network faults injected by the real
    /// `ota serve` (drops, 503/404/500, ignored Range, changed files), retry timeouts on a fake
    /// clock, header/CRC/size errors, and power cuts injected into the real C NOR flash followed
    /// by a reopen ("reboot") and a resume from the durable prefix.
    /// </summary>
    [TestClass]
    public class DownloadTests
    {
        private const string Pkg = "fw.img";

        private static bool IsBody(HttpRequestHead r) => r.Path.EndsWith(Pkg) && r.Header("Range") != "bytes=0-63";

        [TestMethod]
        public void FreshDownloadSendsNoRangeAndWearsEachSectorOnce()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 50000, 1);
            ulong ops0 = rig.Flash.OperationCount;
            OtaResult r = rig.Engine(null).Update();
            int pages = (img.Length + 255) / 256, blocks = (img.Length + 4095) / 4096;
            // staging: one erase per sector + one program per page; otadata: DOWNLOADING and STAGED
            // records (2 programs each into erased slots 0 and 1 of the blank otadata, no erase)
            // + one bit program per block.
            Assert.AreEqual((ulong)(blocks + pages + 4 + blocks), rig.Flash.OperationCount - ops0, "flash operations");
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            CollectionAssert.AreEqual(new[] { "bytes=0-63", "-" }, rig.Faults.RangesFor(Pkg));
            rig.AssertStaged(img);
            int sectors = (img.Length + 4095) / 4096;
            for (int s = 0; s < sectors; s++) Assert.AreEqual(1u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)s * 4096), "sector " + s);
            Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)sectors * 4096), "nothing erased past the package");
            uint otadataErases = rig.Flash.EraseCount(TestPackage.OtaDataOffset) + rig.Flash.EraseCount(TestPackage.OtaDataOffset + 4096);
            Assert.AreEqual(0u, otadataErases, "DOWNLOADING and STAGED records in erased slots, no erase per block");
        }

        [TestMethod]
        public void EveryBlockSizeGivesTheSameStagedBytes()
        {
            foreach (int bs in new[] { 64, 1000, 65536 })
            {
                using var rig = new DeviceRig();
                byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, bs);
                OtaConfig c = rig.Config();
                c.BlockSize = bs;
                OtaResult r = rig.Engine(c).Update();
                Assert.AreEqual(OtaError.Ok, r.Error, bs + ": " + r.Message);
                rig.AssertStaged(img);
            }
        }

        [TestMethod]
        public void DroppedConnectionIsResumedWithRangeFromTheBytesHeld()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 50000, 2);
            rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 10000 }, 1);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(1, r.Retries);
            CollectionAssert.AreEqual(new[] { "bytes=0-63", "-", "bytes=10000-" }, rig.Faults.RangesFor(Pkg));
            Assert.IsTrue(events.Contains("Retry:602"), string.Join(",", events));
            Assert.AreEqual(50, rig.Clock.NowMs, "one quick reconnect pause");
            rig.AssertStaged(img);
        }

        [TestMethod]
        public void RepeatedDropsWithProgressNeverTimeOut()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 40000, 3);
            rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 3000 }, -1);
            OtaConfig c = rig.Config();
            c.RetryTimeoutMs = 60000;
            OtaResult r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual((img.Length - 1) / 3000, r.Retries);
            rig.AssertStaged(img);
        }

        [TestMethod]
        public void NoProgressUntilTheRetryTimeoutIsE602()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 20000, 4);
            rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 5000 }, 1);
            rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 0 }, -1);
            OtaConfig c = rig.Config();
            c.RetryTimeoutMs = 60000;
            OtaEngine e = rig.Engine(c);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.NetTimeout, r.Error, r.Message);
            Assert.IsTrue(r.Message.StartsWith("E602 NET_TIMEOUT: no progress for "), r.Message);
            Assert.AreEqual("DownloadFailed:602", events[^1]);
            // 5 attempts per round: 4 x 50 ms + 1000 ms = 1200 ms; the check at >= 60000 ms ends it.
            Assert.IsTrue(rig.Clock.NowMs >= 60000 && rig.Clock.NowMs < 60000 + 1000, "clock " + rig.Clock.NowMs);
            Assert.AreEqual(250, r.Retries);
            Assert.AreEqual(0, rig.Network.ReconnectAttempts, "the link stayed up");
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, rec.State, "progress kept for a later resume");
            Assert.AreEqual(1, rig.Store.CountLeadingDurableBlocks(10));
        }

        [TestMethod]
        public void LinkLossReconnectsTheNetworkAndResumes()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 5);
            rig.Faults.Add(r => { if (!IsBody(r)) return false; rig.Network.SetConnected(false); return true; }, new ServeFault { DropAfterBytes = 8192 }, 1);
            OtaResult res = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, res.Error, res.Message);
            Assert.AreEqual(1, rig.Network.ReconnectAttempts);
            CollectionAssert.AreEqual(new[] { "bytes=0-63", "-", "bytes=8192-" }, rig.Faults.RangesFor(Pkg));
            rig.AssertStaged(img);
        }

        [TestMethod]
        public void LinkThatNeverComesBackIsE602AfterTheRetryTimeout()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 6);
            rig.Network.ReconnectSucceeds = false;
            rig.Faults.Add(r => { if (!IsBody(r)) return false; rig.Network.SetConnected(false); return true; }, new ServeFault { DropAfterBytes = 8192 }, 1);
            OtaConfig c = rig.Config();
            c.RetryTimeoutMs = 60000;
            OtaResult res = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.NetTimeout, res.Error, res.Message);
            Assert.IsTrue(res.Message.Contains("E601 NET_DOWN"), "last cause is named: " + res.Message);
            Assert.IsTrue(rig.Network.ReconnectAttempts >= 200, "reconnects: " + rig.Network.ReconnectAttempts);
            Assert.AreEqual(2, rig.Faults.RangesFor(Pkg).Length, "no request leaves while the link is down");
        }

        [TestMethod]
        public void StalledTransferTimesOutAndResumes()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 40);
            rig.Faults.Add(IsBody, new ServeFault { StallAfterBytes = 8192, StallMs = 4000 }, 1);
            OtaConfig c = rig.Config();
            c.RequestTimeoutMs = 1000;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            OtaResult r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(1, r.Retries, "the idle read timed out once");
            string[] ranges = rig.Faults.RangesFor(Pkg);
            Assert.AreEqual(3, ranges.Length);
            Assert.IsTrue(ranges[2].StartsWith("bytes=") && ranges[2] != "bytes=0-", ranges[2]);
            Assert.IsTrue(sw.ElapsedMilliseconds < 4000, "did not wait for the stall to end: " + sw.ElapsedMilliseconds + " ms");
            rig.AssertStaged(img);
        }

        [TestMethod]
        public void Status503IsTransientAndRetried()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 10000, 7);
            rig.Faults.Add(IsBody, new ServeFault { Status = 503 }, 2);
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(2, r.Retries);
            rig.AssertStaged(img);
        }

        [TestMethod]
        public void Status404And500FailAtOnceWithoutRetrying()
        {
            foreach (int status in new[] { 404, 500 })
            {
                using var rig = new DeviceRig();
                rig.PublishPackage(Pkg, "1.1", 2, 10000, 8);
                rig.Faults.Add(IsBody, new ServeFault { Status = status }, -1);
                OtaEngine e = rig.Engine(null);
                var events = EngineEvents.Record(e);
                OtaResult r = e.Update();
                Assert.AreEqual(OtaError.HttpStatus, r.Error, r.Message);
                Assert.IsTrue(r.Message.Contains("HTTP " + status), r.Message);
                Assert.AreEqual(0, r.Retries);
                Assert.AreEqual(0, rig.Clock.Sleeps);
                Assert.AreEqual("DownloadFailed:603", events[^1]);
            }
        }

        [TestMethod]
        public void ServerIgnoringRangeWorksFreshButIsE604OnResume()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 9);
            rig.Faults.Add(r => r.Path.EndsWith(Pkg), new ServeFault { IgnoreRange = true }, -1);
            OtaResult ok = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, ok.Error, ok.Message);
            rig.AssertStaged(img);

            using var rig2 = new DeviceRig();
            rig2.Publish(img, Pkg);
            rig2.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 9000 }, 1);
            rig2.Faults.Add(IsBody, new ServeFault { IgnoreRange = true }, -1);
            OtaResult r = rig2.Engine(null).Update();
            Assert.AreEqual(OtaError.HttpNoRange, r.Error, r.Message);
            Assert.IsTrue(r.Message.Contains("bytes=9000-"), r.Message);
            Assert.AreEqual(1, r.Retries, "the drop was retried, the 200 was not");
        }

        [TestMethod]
        public void FileChangedBetweenRequestsIsE605()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 10);
            rig.Publish(TestPackage.Build("1.1", 2, 30000, 11), "other.img", "x", "y");
            string other = System.IO.Path.Combine(rig.ServeRoot, "x", "y", "other.img");
            rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 9000 }, 1);
            rig.Faults.Add(IsBody, new ServeFault { SubstituteFile = other }, -1);
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.HttpLength, r.Error, r.Message);
            Assert.IsTrue(r.Message.Contains("changed"), r.Message);
        }

        [TestMethod]
        public void HeaderChangedBetweenProbeAndBodyIsE605BeforeAnyWrite()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 30000, 12);
            byte[] other = TestPackage.Build("1.1", 2, 30000, 13);
            rig.Publish(other, "other.img", "x", "y");
            rig.Faults.Add(IsBody, new ServeFault { SubstituteFile = System.IO.Path.Combine(rig.ServeRoot, "x", "y", "other.img") }, -1);
            ulong ops = rig.Flash.OperationCount;
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.HttpLength, r.Error, r.Message);
            Assert.AreEqual(ops, rig.Flash.OperationCount);
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
        }

        [TestMethod]
        public void BadHeadersFailWithTheirOwnCodeBeforeAnythingIsWritten()
        {
            byte[] body = TestPackage.Body(8000, 14);
            var cases = new List<(ImageHeader h, OtaError code)>();
            ImageHeader addr = TestPackage.Header("1.1", 2, body); addr.ImgAddr = 0x30000; cases.Add((addr, OtaError.ImgAddr));
            ImageHeader stg = TestPackage.Header("1.1", 2, body); stg.UpgradeImgAddr = 0x200000; cases.Add((stg, OtaError.ImgAddr));
            ImageHeader ota = TestPackage.Header("1.1", 2, body); ota.ImgHeaderAddr = 0x1F000; cases.Add((ota, OtaError.ImgAddr));
            ImageHeader type = TestPackage.Header("1.1", 2, body); type.Attr = 3; cases.Add((type, OtaError.ImgType));
            ImageHeader data = TestPackage.Header("1.1", 2, body); data.Attr = 2; cases.Add((data, OtaError.ImgAddr));
            ImageHeader gz = TestPackage.Header("1.1", 2, body); gz.Attr = 1 | (1u << 16); cases.Add((gz, OtaError.ImgAttr));
            ImageHeader next = TestPackage.Header("1.1", 2, body); next.Next = 64; cases.Add((next, OtaError.ImgNext));
            foreach (var (h, code) in cases)
            {
                using var rig = new DeviceRig();
                rig.SetRunning("1.0", 1, OtaState.Confirmed);
                byte[] img = TestPackage.Join(h, body);
                rig.PublishStatic(img, Pkg, "1.1", 2);
                OtaConfig c = rig.Config();
                c.Server = rig.StaticServer;
                ulong ops = rig.Flash.OperationCount;
                OtaResult r = rig.Engine(c).Update();
                Assert.AreEqual(code, r.Error, r.Message);
                Assert.AreEqual(ops, rig.Flash.OperationCount, "nothing written for " + code);
                Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
            }

            using (var rig = new DeviceRig())
            {
                byte[] img = TestPackage.Build("1.1", 2, 8000, 15);
                img[0] ^= 0xFF;
                rig.PublishStatic(img, Pkg, "1.1", 2);
                OtaConfig c = rig.Config();
                c.Server = rig.StaticServer;
                Assert.AreEqual(OtaError.ImgMagic, rig.Engine(c).Update().Error);
                img = TestPackage.Build("1.1", 2, 8000, 15);
                img[0x3C] ^= 1;
                rig.PublishStatic(img, Pkg, "1.1", 2);
                Assert.AreEqual(OtaError.ImgHeaderCrc, rig.Engine(c).Update().Error);
            }
        }

        [TestMethod]
        public void PackageLargerThanStagingIsE114()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, (int)TestPackage.StagingSize - 60, 16);
            ulong ops = rig.Flash.OperationCount;
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.ImgTooLarge, r.Error, r.Message);
            Assert.AreEqual(ops, rig.Flash.OperationCount);
            Assert.IsTrue(r.BytesReceived < 4096, "only the manifest and the header were fetched: " + r.BytesReceived);
        }

        [TestMethod]
        public void BodyCrcMismatchIsE108AndProgressIsDropped()
        {
            using var rig = new DeviceRig();
            byte[] body = TestPackage.Body(20000, 17);
            ImageHeader h = TestPackage.Header("1.1", 2, body);
            h.OrgChecksum ^= 0x10;
            byte[] img = TestPackage.Join(h, body);
            rig.Publish(img, Pkg);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.ImgBodyCrc, r.Error, r.Message);
            Assert.AreEqual("DownloadFailed:108", events[^1]);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, rec.State);
            Assert.AreEqual(OtaError.ImgBodyCrc, rec.LastError);
            Assert.AreEqual(0, rig.Store.CountDurableBlocks());
        }

        [TestMethod]
        public void PowerCutAnywhereInTheDownloadResumesFromTheDurablePrefix()
        {
            byte[] img = TestPackage.Build("1.1", 2, 40000, 18);
            int checkedCuts = 0;
            foreach (PowerCutMode mode in new[] { PowerCutMode.Before, PowerCutMode.After, PowerCutMode.Torn })
            {
                foreach (ulong at in new ulong[] { 1, 2, 3, 20, 37, 38, 55, 100, 150, 185 })
                {
                    using var rig = new DeviceRig();
                    rig.SetRunning("1.0", 1, OtaState.Confirmed);
                    rig.Publish(img, Pkg);
                    rig.Reboot();
                    rig.Flash.SetPowerCut(at, mode, (uint)at);
                    OtaResult cut = rig.Engine(null).Update();
                    if (cut.Error == OtaError.Ok) continue; // the cut lay after the last operation
                    Assert.AreEqual(OtaError.FlashPowerCut, cut.Error, mode + "@" + at + ": " + cut.Message);

                    rig.Reboot();
                    OtaStateRecord rec = rig.Store.ReadCurrent();
                    Assert.IsNotNull(rec, "a valid record survives " + mode + "@" + at);
                    int durable = rec.State == OtaState.Downloading ? rig.Store.CountLeadingDurableBlocks(100) : 0;
                    int blocks = (img.Length + 4095) / 4096;
                    OtaResult r = rig.Engine(null).Update();
                    Assert.AreEqual(OtaError.Ok, r.Error, mode + "@" + at + ": " + r.Message);
                    long expectFrom = durable == 0 ? 0 : System.Math.Min((long)durable * 4096, img.Length);
                    Assert.AreEqual(expectFrom, r.ResumedFrom, mode + "@" + at);
                    for (int b = 0; b < durable && b < blocks; b++)
                        Assert.AreEqual(0u, rig.Flash.EraseCount(TestPackage.StagingOffset + (uint)b * 4096), "durable block " + b + " erased again");
                    if (durable > 0 && durable < blocks)
                        Assert.AreEqual("bytes=" + expectFrom + "-", rig.Faults.RangesFor(Pkg)[^1]);
                    rig.AssertStaged(img);
                    checkedCuts++;
                }
            }

            Assert.IsTrue(checkedCuts >= 27, "cuts that hit the run: " + checkedCuts);
        }

        [TestMethod]
        public void ChangedFileAfterARebootRestartsFromZero()
        {
            using var rig = new DeviceRig();
            rig.PublishPackage(Pkg, "1.1", 2, 40000, 19);
            OtaEngine e = rig.Engine(null);
            e.Progress += (s, b, t) => { if (b >= 20000) e.Abort(); };
            Assert.AreEqual(OtaError.Aborted, e.Update().Error);
            Assert.IsTrue(rig.Store.CountLeadingDurableBlocks(20) >= 4);

            byte[] v2 = TestPackage.Build("1.2", 3, 36000, 20);
            rig.Unpublish(Pkg);
            rig.Publish(v2, Pkg);
            rig.Reboot();
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(0L, r.ResumedFrom);
            rig.AssertStaged(v2);
        }

        [TestMethod]
        public void CompleteButUnverifiedDownloadIsVerifiedAfterAReboot()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage(Pkg, "1.1", 2, 16384 - 64, 21);
            OtaEngine e = rig.Engine(null);
            ulong start = rig.Flash.OperationCount;
            // Cut the power at the first operation of the STAGED record: find it by a dry run.
            using (var dry = new DeviceRig())
            {
                dry.Publish(img, Pkg);
                ulong s0 = dry.Flash.OperationCount;
                var de = dry.Engine(null);
                long lastOps = 0;
                de.StateChanged += (s, ev, err, d) => { if (ev == OtaEvent.UpgradeStart) lastOps = (long)(dry.Flash.OperationCount - s0); };
                Assert.AreEqual(OtaError.Ok, de.Update().Error);
                rig.Flash.SetPowerCut(start + (ulong)lastOps + 1, PowerCutMode.Before, 1);
            }

            Assert.AreEqual(OtaError.FlashPowerCut, e.Update().Error);
            rig.Reboot();
            Assert.AreEqual(OtaState.Downloading, rig.Store.State);
            Assert.AreEqual(4, rig.Store.CountLeadingDurableBlocks(4));
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual((long)img.Length, r.ResumedFrom);
            Assert.AreEqual(2, r.Requests, "manifest + probe, no body request");
            rig.AssertStaged(img);
        }
    }
}
#endif
