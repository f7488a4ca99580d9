#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System.Collections.Generic;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// The engine's state machine against the real `ota serve` on 127.0.0.1 and the real C flash:
    /// every transition, the version policy, events, confirm and the startup report.
    /// </summary>
    [TestClass]
    public class EngineTests
    {
        private static void AssertStagedExactly(DeviceRig rig, byte[] image)
        {
            rig.AssertStaged(image);
            CollectionAssert.AreEqual(image[..64], rig.Store.ReadCurrent().StagedHeaderBytes);
        }

        [TestMethod]
        public void NewerVersionIsDownloadedVerifiedAndStagedWithEveryEventInOrder()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0.0", 1, OtaState.Confirmed);
            byte[] img = rig.PublishPackage("fw-1.1.0.img", "1.1.0", 2, 40000, 1);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            var progress = new List<long>();
            e.Progress += (s, b, t) => { Assert.AreEqual((long)img.Length, t); progress.Add(b); };

            OtaResult r = e.Update();

            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.Staged);
            Assert.AreEqual("1.1.0", r.Version);
            Assert.AreEqual("1.0.0", r.RunningVersion);
            Assert.AreEqual((long)img.Length, r.PackageLength);
            Assert.AreEqual(0L, r.ResumedFrom);
            Assert.AreEqual(3, r.Requests, "manifest, header probe, body");
            Assert.AreEqual(OtaEngineState.Staged, e.State);
            CollectionAssert.AreEqual(new[] { "Start", "ConnectionStart", "Connected", "DownloadStart", "Downloaded", "UpgradeStart", "Staged" }, events);
            Assert.AreEqual((long)img.Length, progress[^1]);
            for (int i = 1; i < progress.Count; i++) Assert.IsTrue(progress[i] > progress[i - 1]);
            AssertStagedExactly(rig, img);
            Assert.AreEqual(OtaState.Staged, e.RecordState);
            Assert.AreEqual("1.0.0", e.RunningVersion, "the installed header is untouched until the bootloader installs");
        }

        [TestMethod]
        public void SameVersionIsNoUpdateAfterOneRequestAndNoFlashWrite()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.1.0", 2, OtaState.Confirmed);
            rig.PublishPackage("fw.img", "1.1.0", 2, 4000, 1);
            ulong ops = rig.Flash.OperationCount;
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);

            OtaResult r = e.Update();

            Assert.AreEqual(OtaError.NoUpdate, r.Error);
            Assert.IsFalse(r.Staged);
            Assert.AreEqual(1, r.Requests);
            Assert.AreEqual("E606 NO_UPDATE: server offers 1.1.0, running 1.1.0 (the same)", r.Message);
            CollectionAssert.AreEqual(new[] { "Start", "ConnectionStart", "Connected", "NoUpdate:606" }, events);
            Assert.AreEqual(ops, rig.Flash.OperationCount);
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
            Assert.AreEqual(OtaEngineState.Idle, e.State);
        }

        [TestMethod]
        public void OlderVersionIsNoUpdateUnlessDowngradeIsAllowed()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("2.0", 5, OtaState.Confirmed);
            byte[] img = TestPackage.Build("1.9.9", 5, 8000, 2); // same upd_no: anti-rollback allows it
            rig.Publish(img, "fw.img");

            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.NoUpdate, r.Error);
            Assert.AreEqual(2, r.Requests, "manifest + header probe for skip_upgrade_check");

            OtaConfig c = rig.Config();
            c.AllowDowngrade = true;
            r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void SkipUpgradeCheckInTheHeaderAllowsAnOlderButNotTheSameVersion()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("2.0", 5, OtaState.Confirmed);
            byte[] body = TestPackage.Body(6000, 3);
            ImageHeader h = TestPackage.Header("1.5", 3, body);
            h.Flags = ImageFlags.SkipUpgradeCheck;
            byte[] img = TestPackage.Join(h, body);
            rig.Publish(img, "rollback.img");

            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            AssertStagedExactly(rig, img);

            using var rig2 = new DeviceRig();
            rig2.SetRunning("1.5", 3, OtaState.Confirmed);
            rig2.Publish(img, "rollback.img");
            Assert.AreEqual(OtaError.NoUpdate, rig2.Engine(null).Update().Error);
        }

        [TestMethod]
        public void AllowSameVersionReinstalls()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("3.1", 9, OtaState.Confirmed);
            byte[] img = rig.PublishPackage("fw.img", "3.1", 9, 5000, 4);
            OtaConfig c = rig.Config();
            c.AllowSameVersion = true;
            Assert.AreEqual(OtaError.Ok, rig.Engine(c).Update().Error);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void UpdNoBelowTheAntiRollbackCounterIsE503LikeTheBootloaderSays()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 5, OtaState.Confirmed);
            rig.PublishPackage("fw.img", "1.1", 4, 6000, 30);
            ulong ops = rig.Flash.OperationCount;
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.InstallRollback, r.Error, r.Message);
            Assert.IsTrue(r.Message.Contains("upd_no 4 is below the anti-rollback counter 5"), r.Message);
            Assert.AreEqual(ops, rig.Flash.OperationCount, "refused from the header: nothing written");

            // Unsigned mode: the publisher's skip_upgrade_check allows it (the bootloader agrees).
            byte[] body = TestPackage.Body(6000, 31);
            ImageHeader h = TestPackage.Header("1.1", 4, body);
            h.Flags = ImageFlags.SkipUpgradeCheck;
            byte[] flagged = TestPackage.Join(h, body);
            rig.Unpublish("fw.img");
            rig.Publish(flagged, "fw2.img");
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error);

            // Signed mode: the flag no longer helps.
            using var rig2 = new DeviceRig();
            rig2.SetRunning("1.0", 5, OtaState.Confirmed);
            OtaStateStore st = rig2.Store;
            OtaStateRecord rec = st.ReadCurrent();
            rec.Flags = OtaStateRecord.FlagSignedSeen;
            st.WriteNext(rec, false);
            rig2.Publish(flagged, "fw2.img");
            OtaResult s2 = rig2.Engine(null).Update();
            Assert.AreNotEqual(OtaError.Ok, s2.Error, "signed mode never stages it: " + s2.Message);
            Assert.AreEqual(OtaState.Confirmed, rig2.Store.State);
        }

        [TestMethod]
        public void UnknownRunningVersionAcceptsTheOffer()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage("fw.img", "0.1", 1, 4096, 5);
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsNull(r.RunningVersion);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void NetworkDownFailsAtOnceWithoutRequestsOrWaiting()
        {
            using var rig = new DeviceRig();
            rig.PublishPackage("fw.img", "1.1", 1, 4000, 1);
            rig.Network.SetConnected(false);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.NetDown, r.Error);
            Assert.IsTrue(r.Message.StartsWith("E601 NET_DOWN: "), r.Message);
            CollectionAssert.AreEqual(new[] { "Start", "ConnectionStart", "ConnectionFailed:601" }, events);
            Assert.AreEqual(0L, rig.ServerRequests);
            Assert.AreEqual(0, rig.Clock.Sleeps);
            Assert.AreEqual(OtaEngineState.Idle, e.State);
        }

        [TestMethod]
        public void DisabledOtaOrHttpIsE607AndMissingServerIsE608()
        {
            using var rig = new DeviceRig();
            OtaConfig c = rig.Config();
            c.OtaEnabled = false;
            Assert.AreEqual(OtaError.OtaDisabled, rig.Engine(c).Update().Error);
            c = rig.Config();
            c.HttpEnabled = false;
            Assert.AreEqual(OtaError.OtaDisabled, rig.Engine(c).Update().Error);
            c = rig.Config();
            c.Server = "";
            OtaResult r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Config, r.Error);
            Assert.AreEqual("E608 CONFIG: server: not set", r.Message);
            Assert.AreEqual(0L, rig.ServerRequests);
        }

        [TestMethod]
        public void MissingPlatformPartIsE608()
        {
            using var rig = new DeviceRig();
            OtaPlatform p = rig.Platform();
            p.Native = null;
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { new OtaEngine(rig.Config(), p); }));
        }

        [TestMethod]
        public void NoManifestOnTheServerIsE603ConnectionFailed()
        {
            using var rig = new DeviceRig();
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.HttpStatus, r.Error);
            Assert.IsTrue(r.Message.Contains("HTTP 404"), r.Message);
            CollectionAssert.AreEqual(new[] { "Start", "ConnectionStart", "ConnectionFailed:603" }, events);
            Assert.AreEqual(0, r.Retries);
        }

        [TestMethod]
        public void UnreachableServerIsRetriedUntilTheTimeoutThenE602ConnectionFailed()
        {
            using var rig = new DeviceRig();
            OtaConfig c = rig.Config();
            c.Server = "http://127.0.0.1:1";
            c.RetryTimeoutMs = 60000;
            OtaEngine e = rig.Engine(c);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.NetTimeout, r.Error, r.Message);
            Assert.AreEqual("ConnectionFailed:602", events[^1]);
            Assert.AreEqual(250, r.Retries);
            Assert.AreEqual(251, r.Requests);
            Assert.IsTrue(rig.Clock.NowMs >= 60000 && rig.Clock.NowMs < 61000, "clock " + rig.Clock.NowMs);
            Assert.AreEqual(250, events.FindAll(x => x == "Retry:602").Count);
        }

        [TestMethod]
        public void AbortDuringARetryWaitStopsAtOnce()
        {
            using var rig = new DeviceRig();
            rig.PublishPackage("fw.img", "1.1", 2, 20000, 41);
            rig.Faults.OnPath("fw.img", new Ota.Tools.Serve.ServeFault { Status = 503 }, -1);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            e.StateChanged += (s, ev, err, d) => { if (ev == OtaEvent.Retry) e.Abort(); };
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Aborted, r.Error, r.Message);
            Assert.AreEqual(1, r.Retries);
            Assert.AreEqual(0, rig.Clock.Sleeps, "no pause after the abort");
            Assert.AreEqual("Abort:609", events[^1]);
            Assert.AreEqual(OtaState.None, rig.Store.State, "the probe failed: nothing was written");
        }

        [TestMethod]
        public void MalformedOrInconsistentManifestsAreE605()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            byte[] img = TestPackage.Build("1.1", 2, 8000, 6);
            OtaConfig c = rig.Config();
            c.Server = rig.StaticServer;
            string[][] edits =
            {
                new[] { "\"size\":", "\"size\":1," },                 // not JSON any more
                new[] { "\"version\":\"1.1\"", "\"version\":\"1.2\"" }, // manifest and header disagree
                new[] { "\"upd_no\":2", "\"upd_no\":3" },
                new[] { "{", "[" },
            };
            foreach (string[] ed in edits)
            {
                rig.PublishStatic(img, "fw.img", "1.1", 2, j => j.Replace(ed[0], ed[1]));
                OtaResult r = rig.Engine(c).Update();
                Assert.AreEqual(OtaError.HttpLength, r.Error, ed[1] + " -> " + r.Message);
                Assert.AreEqual(OtaState.Confirmed, rig.Store.State, "nothing written for " + ed[1]);
            }

            rig.PublishStatic(img, "fw.img", "1.1", 2, j => j.Replace("\"size\":" + img.Length, "\"size\":" + (img.Length + 4)));
            OtaResult sz = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.HttpLength, sz.Error);
            Assert.IsTrue(sz.Message.Contains("the manifest says " + (img.Length + 4)), sz.Message);

            rig.PublishStatic(img, "fw.img", "1.1", 2, j => j.Replace("}", ",\"crc32\":1}"));
            OtaResult crc = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.HttpLength, crc.Error);
            Assert.IsTrue(crc.Message.Contains("org_checksum"), crc.Message);
        }

        [TestMethod]
        public void RelativeManifestUrlAndMatchingCrc32AreAccepted()
        {
            using var rig = new DeviceRig();
            byte[] img = TestPackage.Build("1.1", 2, 8000, 6);
            uint org = ImageHeader.ReadU32(img, 0x18);
            rig.PublishStatic(img, "pkg/fw.img", "1.1", 2, j => j.Replace("}", ",\"crc32\":" + org + "}"));
            OtaConfig c = rig.Config();
            c.Server = rig.StaticServer;
            OtaResult r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void Sha256MismatchIsE108UpgradeFailedAndTheNextRunStartsOver()
        {
            using var rig = new DeviceRig();
            byte[] img = TestPackage.Build("1.1", 2, 12000, 7);
            rig.PublishStatic(img, "fw.img", "1.1", 2, j => System.Text.RegularExpressions.Regex.Replace(j, "\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\"" + new string('0', 64) + "\""));
            OtaConfig c = rig.Config();
            c.Server = rig.StaticServer;
            OtaEngine e = rig.Engine(c);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.ImgBodyCrc, r.Error, r.Message);
            Assert.IsTrue(r.Message.Contains("SHA-256"), r.Message);
            CollectionAssert.AreEqual(new[] { "Start", "ConnectionStart", "Connected", "DownloadStart", "Downloaded", "UpgradeStart", "UpgradeFailed:108" }, events);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, rec.State, "never STAGED");
            Assert.AreEqual(OtaError.ImgBodyCrc, rec.LastError);
            Assert.AreEqual(0, rig.Store.CountDurableBlocks());
            OtaResult second = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.ImgBodyCrc, second.Error, "a first rejection is given one more download: " + second.Message);
            Assert.IsTrue(second.BytesReceived >= img.Length - 64, "downloaded once more: " + second.BytesReceived);
            OtaResult same = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.PackageRejected, same.Error, "after the second rejection the same offer is not fetched again: " + same.Message);

            rig.PublishStatic(img, "fw.img", "1.1", 2); // the manifest is fixed: a new offer
            OtaResult again = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, again.Error, again.Message);
            Assert.AreEqual(0L, again.ResumedFrom);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void AlreadyStagedPackageIsNotDownloadedAgain()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            byte[] img = rig.PublishPackage("fw.img", "1.1", 2, 20000, 8);
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error);
            ulong ops = rig.Flash.OperationCount;
            OtaResult r = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, r.Error);
            Assert.IsTrue(r.Staged);
            Assert.IsTrue(r.Message.Contains("already staged"), r.Message);
            Assert.AreEqual(2, r.Requests);
            Assert.AreEqual(ops, rig.Flash.OperationCount);
        }

        [TestMethod]
        public void TrialImageMustConfirmBeforeUpdatingAndConfirmWritesConfirmed()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("2.0", 3, OtaState.Trial);
            rig.PublishPackage("fw.img", "2.1", 4, 4000, 9);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);

            OtaResult s = e.Startup();
            Assert.AreEqual(OtaError.Ok, s.Error);
            Assert.IsFalse(s.Staged);
            Assert.AreEqual("2.0", s.RunningVersion);
            CollectionAssert.AreEqual(new[] { "Trial" }, events);

            OtaResult u = e.Update();
            Assert.AreEqual(OtaError.StateTransition, u.Error);
            Assert.AreEqual(OtaState.Trial, rig.Store.State);

            Assert.IsTrue(e.Confirm());
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Confirmed, rec.State);
            Assert.AreEqual("2.0", rec.InstalledHeader.Version);
            Assert.AreEqual(3u, rec.MaxUpdNo);
            Assert.IsFalse(e.Confirm(), "nothing left to confirm");
            Assert.AreEqual("Confirmed", events[^1]);

            Assert.AreEqual(OtaError.Ok, e.Update().Error);
        }

        [TestMethod]
        public void ConfirmNeverOverwritesADownloadOrAStagedPackage()
        {
            using var rig = new DeviceRig();
            Assert.IsFalse(rig.Engine(null).Confirm(), "erased otadata: nothing to confirm");
            rig.PublishPackage("fw.img", "1.1", 2, 4000, 10);
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error);
            Assert.IsFalse(rig.Engine(null).Confirm());
            Assert.AreEqual(OtaState.Staged, rig.Store.State);
        }

        [TestMethod]
        public void UnconfirmedImageIsReportedAndTheSameVersionReinstalledAtOnce()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("4.0", 6, OtaState.Unconfirmed);
            byte[] img = rig.PublishPackage("fw.img", "4.0", 6, 9000, 11);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);

            OtaResult r = e.Startup();

            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.Staged);
            Assert.AreEqual("Unconfirmed", events[0]);
            Assert.AreEqual("Staged", events[^1]);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void UnconfirmedImageCanBeConfirmed()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("4.0", 6, OtaState.Unconfirmed);
            Assert.IsTrue(rig.Engine(null).Confirm());
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
        }

        [TestMethod]
        public void RejectedPackageIsReportedAtStartup()
        {
            using var rig = new DeviceRig();
            rig.SetRunning("1.0", 1, OtaState.Confirmed);
            OtaStateStore st = rig.Store;
            OtaStateRecord rec = st.ReadCurrent();
            rec.State = OtaState.Failed;
            rec.LastError = OtaError.XzData;
            st.WriteNext(rec, false);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Startup();
            Assert.AreEqual(OtaError.Ok, r.Error);
            CollectionAssert.AreEqual(new[] { "InstallFailed:203" }, events);
        }

        [TestMethod]
        public void AbortStopsTheDownloadAndALaterRunResumes()
        {
            using var rig = new DeviceRig();
            byte[] img = rig.PublishPackage("fw.img", "1.1", 2, 60000, 12);
            OtaEngine e = rig.Engine(null);
            var events = EngineEvents.Record(e);
            e.Progress += (s, b, t) => { if (b >= 20000) e.Abort(); };
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Aborted, r.Error);
            Assert.AreEqual("Abort:609", events[^1]);
            Assert.AreEqual(OtaState.Downloading, rig.Store.State);
            int durable = rig.Store.CountLeadingDurableBlocks(100);
            Assert.IsTrue(durable >= 4, "durable blocks: " + durable);

            OtaResult again = rig.Engine(null).Update();
            Assert.AreEqual(OtaError.Ok, again.Error, again.Message);
            Assert.AreEqual((long)durable * 4096, again.ResumedFrom);
            AssertStagedExactly(rig, img);
        }

        [TestMethod]
        public void AutoRebootRebootsThroughThePlatformOnceStaged()
        {
            using var rig = new DeviceRig();
            rig.PublishPackage("fw.img", "1.1", 2, 4000, 13);
            OtaPlatform p = rig.Platform();
            var rebooter = new DeviceApp.Bindings.Host.SimulatorRebooter();
            p.Rebooter = rebooter;
            OtaConfig c = rig.Config();
            c.AutoReboot = true;
            var e = new OtaEngine(c, p);
            var events = EngineEvents.Record(e);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Ok, r.Error);
            Assert.IsTrue(rebooter.RebootRequested);
            Assert.AreEqual("Reboot", events[^1]);

            using var rig2 = new DeviceRig();
            rig2.SetRunning("1.1", 2, OtaState.Confirmed);
            rig2.PublishPackage("fw.img", "1.1", 2, 4000, 13);
            OtaPlatform p2 = rig2.Platform();
            var rebooter2 = new DeviceApp.Bindings.Host.SimulatorRebooter();
            p2.Rebooter = rebooter2;
            OtaConfig c2 = rig2.Config();
            c2.AutoReboot = true;
            Assert.AreEqual(OtaError.NoUpdate, new OtaEngine(c2, p2).Update().Error);
            Assert.IsFalse(rebooter2.RebootRequested);
        }
    }
}
#endif
