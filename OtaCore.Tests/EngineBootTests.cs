#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System.Collections.Generic;
using Ota.Tools.Images;
using OtaCore;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// The engine and the real C bootloader (otahost_boot) sharing one flash: what the engine
    /// stages is what the bootloader installs, and the trial/confirm cycle closes through both.
    /// </summary>
    [TestClass]
    public class EngineBootTests
    {
        [TestMethod]
        public void StagedXzPackageIsInstalledByTheBootloaderThenConfirmed()
        {
            using var rig = new DeviceRig();
            PartitionTable table = DefaultLayout.Table();
            byte[] v1 = TestPackage.Build("1.0.0", 1, 60000, 1);
            rig.FlashFactoryImage(v1);
            byte[] fw2 = TestPackage.Body(80000, 2);
            for (int i = 0; i < fw2.Length; i += 7) fw2[i] = 0x55; // compressible, like code
            byte[] full2 = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "1.1.0", 2), fw2, table.App);
            byte[] pkg = ImagePacker.BuildCompressed(full2, "6", 1u << 17, table.Staging);
            Assert.IsTrue(pkg.Length < full2.Length);
            rig.Publish(pkg, "fw_ota.img");

            OtaEngine e = rig.Engine(null);
            OtaResult r = e.Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual("1.0.0", r.RunningVersion);

            rig.Reboot();
            int rc = rig.Flash.Boot(out string json);
            Assert.AreEqual(0, rc, json);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Trial, rec.State, json);
            Assert.AreEqual("1.1.0", rec.InstalledHeader.Version);
            byte[] app = new byte[fw2.Length];
            rig.Flash.Read(TestPackage.AppOffset, app, 0, app.Length);
            CollectionAssert.AreEqual(full2[ImageHeader.Size..(ImageHeader.Size + fw2.Length)], app);

            OtaEngine after = rig.Engine(null);
            var events = new List<OtaEvent>();
            after.StateChanged += (s, ev, err, d) => events.Add(ev);
            Assert.AreEqual(OtaError.Ok, after.Startup().Error);
            CollectionAssert.AreEqual(new[] { OtaEvent.Trial }, events);
            Assert.IsTrue(after.Confirm());
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);
            Assert.AreEqual("1.1.0", after.RunningVersion);
            Assert.AreEqual(OtaError.NoUpdate, after.Update().Error, "the installed version is now current");
        }

        [TestMethod]
        public void PackageTheBootloaderRejectedIsNotDownloadedAgainButAFixedOneIs()
        {
            using var rig = new DeviceRig();
            PartitionTable table = DefaultLayout.Table();
            byte[] v1 = TestPackage.Build("1.0.0", 1, 30000, 5);
            rig.FlashFactoryImage(v1);
            byte[] full = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "1.1.0", 2), TestPackage.Body(30000, 6), table.App);
            byte[] bad = ImagePacker.BuildCompressed(full, "6", 1u << 16, table.Staging);
            ImageHeader outer = ImageHeader.Parse(bad, 0);
            outer.Version = "1.1.1"; // the inner header still says 1.1.0: E116 in the bootloader only
            outer.WriteTo(bad, 0);
            rig.Publish(bad, "bad_ota.img");
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error, "the engine cannot see inside the xz stream");

            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out string json), json);
            Assert.AreEqual(OtaState.Failed, rig.Store.State, json);
            CollectionAssert.AreEqual(v1[ImageHeader.Size..], ReadApp(rig, v1.Length - ImageHeader.Size), "old app untouched");

            OtaEngine e = rig.Engine(null);
            var events = new List<string>();
            e.StateChanged += (s, ev, err, d) => events.Add(ev + ":" + (int)err);
            Assert.AreEqual(OtaError.Ok, e.Startup().Error);
            CollectionAssert.AreEqual(new[] { "InstallFailed:116" }, events);
            ulong ops = rig.Flash.OperationCount;
            OtaResult again = e.Update();
            Assert.AreEqual(OtaError.PackageRejected, again.Error, again.Message);
            Assert.IsTrue(again.Message.Contains("E116 IMG_INNER_MISMATCH"), again.Message);
            Assert.AreEqual("PackageRejected:611", events[^1]);
            Assert.AreEqual(2, again.Requests, "manifest + header probe only");
            Assert.AreEqual(ops, rig.Flash.OperationCount);

            byte[] good = ImagePacker.BuildCompressed(ImagePacker.BuildFull(ImagePacker.Template(table, "app", "1.1.2", 3), TestPackage.Body(30000, 7), table.App), "6", 1u << 16, table.Staging);
            rig.Publish(good, "good_ota.img");
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error);
            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out json), json);
            Assert.AreEqual(OtaState.Trial, rig.Store.State, json);
            Assert.AreEqual("1.1.2", rig.Store.ReadCurrent().InstalledHeader.Version);
        }

        private static byte[] ReadApp(DeviceRig rig, int count)
        {
            byte[] b = new byte[count];
            rig.Flash.Read(TestPackage.AppOffset, b, 0, count);
            return b;
        }

        [TestMethod]
        public void ImageThatNeverConfirmsBecomesUnconfirmedAndIsReinstalled()
        {
            using var rig = new DeviceRig();
            PartitionTable table = DefaultLayout.Table();
            rig.FlashFactoryImage(TestPackage.Build("1.0.0", 1, 30000, 3));
            byte[] full2 = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "2.0.0", 2), TestPackage.Body(30000, 4), table.App);
            rig.Publish(full2, "fw.img");
            Assert.AreEqual(OtaError.Ok, rig.Engine(null).Update().Error);

            string json = "";
            for (int boot = 0; boot < 8 && rig.Store.State != OtaState.Unconfirmed; boot++)
            {
                rig.Reboot();
                Assert.AreEqual(0, rig.Flash.Boot(out json), json);
            }

            Assert.AreEqual(OtaState.Unconfirmed, rig.Store.State, json);
            OtaEngine e = rig.Engine(null);
            var events = new List<OtaEvent>();
            e.StateChanged += (s, ev, err, d) => events.Add(ev);
            OtaResult r = e.Startup();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.Staged, "same version reinstalled");
            Assert.AreEqual(OtaEvent.Unconfirmed, events[0]);
            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out json), json);
            Assert.AreEqual(OtaState.Trial, rig.Store.State, json);
        }
    }
}
#endif
