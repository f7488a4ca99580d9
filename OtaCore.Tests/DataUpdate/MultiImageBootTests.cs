#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using Ota.Tools.Images;
using OtaCore.DataUpdate;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests.DataUpdate
{
    /// <summary>
    /// Multi-image packages and data updates across the managed side and the real C bootloader
    /// (otahost_boot) on one flash: `ota pack-multi`'s chain (nanoCLR xz + deployment) staged,
    /// installed by the bootloader; the engine's Confirm() confirms the deployment with the app;
    /// DataUpdateControl's explicit restore brings the old deployment back at the next boot.
    /// Chain rules of MultiImagePackage (wrong order, signed input, staging too small).
    /// </summary>
    [TestClass]
    public class MultiImageBootTests
    {
        private const uint Deploy = 0x2F0000;
        private const int DeploySize = 0x80000;

        private static byte[] Pattern(int n, int seed)
        {
            byte[] b = TestPackage.Body(n, seed);
            for (int i = 0; i < n; i += 5) b[i] = 0x11; // compressible, like code
            return b;
        }

        private static void Factory(DeviceRig rig, byte[] v1, byte[] oldDeploy)
        {
            rig.Flash.Program(Deploy, oldDeploy, 0, oldDeploy.Length);
            rig.FlashFactoryImage(v1);
        }

        private static (byte[] chain, byte[] full2, byte[] newDeploy) Chain(bool compat)
        {
            PartitionTable table = DefaultLayout.Table();
            byte[] full2 = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "2.0.0", 2), Pattern(90000, 2), table.App);
            byte[] app = ImagePacker.BuildCompressed(full2, "6", 1u << 17, table.Staging);
            byte[] newDeploy = Pattern(200000, 3);
            byte[] data = ImagePacker.BuildFull(ImagePacker.Template(table, "deploy", "2.0.0", 2), newDeploy, table.Find("deploy"));
            return (MultiImagePackage.Chain(app, data, compat, table), full2, newDeploy);
        }

        private static void Stage(DeviceRig rig, byte[] pkg)
        {
            rig.Staging.Erase(0, (uint)((pkg.Length + 4095) & ~4095));
            rig.Staging.Write(0, pkg, 0, pkg.Length);
            OtaStateRecord r = rig.Store.ReadCurrent();
            r.State = OtaState.Staged;
            r.StagedHeaderBytes = pkg[..ImageHeader.Size];
            rig.Store.WriteNext(r, false);
        }

        private static byte[] Read(DeviceRig rig, uint addr, int n)
        {
            byte[] b = new byte[n];
            rig.Flash.Read(addr, b, 0, n);
            return b;
        }

        private static DeviceRig Installed(bool compat, out byte[] full2, out byte[] oldDeploy, out byte[] newDeploy)
        {
            var rig = new DeviceRig();
            oldDeploy = Pattern(DeploySize, 9);
            Factory(rig, TestPackage.Build("1.0.0", 1, 60000, 1), oldDeploy);
            (byte[] chain, byte[] f2, byte[] nd) = Chain(compat);
            full2 = f2;
            newDeploy = nd;
            Stage(rig, chain);
            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out string json), json);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Trial, rec.State, json);
            Assert.AreEqual("2.0.0", rec.InstalledHeader.Version, "the installed header is the app image alone");
            CollectionAssert.AreEqual(full2[ImageHeader.Size..], Read(rig, TestPackage.AppOffset, full2.Length - ImageHeader.Size));
            CollectionAssert.AreEqual(newDeploy, Read(rig, Deploy, newDeploy.Length));
            return rig;
        }

        [TestMethod]
        public void ChainInstalledThenConfirmedWithTheApp()
        {
            using DeviceRig rig = Installed(true, out _, out _, out byte[] newDeploy);
            var control = new DataUpdateControl(rig.Store);
            Assert.AreEqual(DataUpdatePhase.Trial, control.Phase);
            Assert.AreEqual(Deploy, control.Target);
            OtaEngine e = rig.Engine(null);
            Assert.AreEqual(OtaError.Ok, e.Startup().Error);
            Assert.IsTrue(e.Confirm());
            Assert.AreEqual(DataUpdatePhase.None, control.Phase, "the app's confirm confirms its deployment");
            Assert.IsFalse(control.RequestRestore(), "nothing to restore once confirmed");
            for (int i = 0; i < 5; i++)
            {
                Assert.AreEqual(0, rig.Flash.Boot(out string json), json);
                Assert.IsFalse(json.Contains("data_rollback"), json);
            }
            CollectionAssert.AreEqual(newDeploy, Read(rig, Deploy, newDeploy.Length));
        }

        [TestMethod]
        public void ExplicitRestoreBringsTheOldDeploymentBack()
        {
            using DeviceRig rig = Installed(true, out byte[] full2, out byte[] oldDeploy, out _);
            var control = new DataUpdateControl(rig.Store);
            Assert.IsTrue(control.RequestRestore());
            Assert.AreEqual(DataUpdatePhase.Writing, control.Phase);
            Assert.IsFalse(control.Confirm(), "a restore request is not a trial any more");
            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out string json), json);
            StringAssert.Contains(json, "data_restore");
            CollectionAssert.AreEqual(oldDeploy, Read(rig, Deploy, DeploySize));
            Assert.AreEqual(DataUpdatePhase.None, new DataUpdateControl(rig.Store).Phase);
            CollectionAssert.AreEqual(full2[ImageHeader.Size..], Read(rig, TestPackage.AppOffset, full2.Length - ImageHeader.Size));
        }

        [TestMethod]
        public void EngineDownloadsAChainThatTheBootloaderInstalls()
        {
            using var rig = new DeviceRig();
            byte[] oldDeploy = Pattern(DeploySize, 9);
            Factory(rig, TestPackage.Build("1.0.0", 1, 60000, 1), oldDeploy);
            (byte[] chain, byte[] full2, byte[] newDeploy) = Chain(true);
            rig.PublishStatic(chain, "pair_ota.img", "2.0.0", 2);
            OtaConfig c = rig.Config();
            c.Server = rig.StaticServer;
            OtaResult r = rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(OtaState.Staged, rig.Store.State);
            Assert.AreEqual((long)chain.Length, r.PackageLength);
            CollectionAssert.AreEqual(chain, rig.ReadStaging(chain.Length));
            rig.Reboot();
            Assert.AreEqual(0, rig.Flash.Boot(out string json), json);
            Assert.AreEqual(OtaState.Trial, rig.Store.State, json);
            CollectionAssert.AreEqual(full2[ImageHeader.Size..], Read(rig, TestPackage.AppOffset, full2.Length - ImageHeader.Size));
            CollectionAssert.AreEqual(newDeploy, Read(rig, Deploy, newDeploy.Length));
            Assert.AreEqual(DataUpdatePhase.Trial, new DataUpdateControl(rig.Store).Phase);
        }

        [TestMethod]
        public void WithoutDeployCompatTheBackupIsDropped()
        {
            using DeviceRig rig = Installed(false, out _, out _, out _);
            var control = new DataUpdateControl(rig.Store);
            Assert.AreEqual(DataUpdatePhase.None, control.Phase);
            Assert.IsFalse(control.RequestRestore());
        }

        private static OtaError CodeOf(Action a)
        {
            try
            {
                a();
            }
            catch (OtaException e)
            {
                return e.Code;
            }
            return OtaError.Ok;
        }

        [TestMethod]
        public void ChainRules()
        {
            PartitionTable table = DefaultLayout.Table();
            byte[] app = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "2.0.0", 2), Pattern(5000, 4), table.App);
            byte[] data = ImagePacker.BuildFull(ImagePacker.Template(table, "deploy", "2.0.0", 2), Pattern(3000, 5), table.Find("deploy"));
            Assert.AreEqual(OtaError.ImgNext, CodeOf(() => MultiImagePackage.Chain(data, app, false, table)));
            Assert.AreEqual(OtaError.ImgNext, CodeOf(() => MultiImagePackage.Chain(app, app, false, table)));
            byte[] pkg = MultiImagePackage.Chain(app, data, true, table);
            Assert.AreEqual(2, MultiImagePackage.Parse(pkg).Count);
            Assert.AreEqual((uint)app.Length, ImageHeader.ReadU32(pkg, 0x38));
            Assert.AreEqual(MultiImagePackage.DeployCompatFlag, ImageHeader.ReadU32(pkg, 0x30) & MultiImagePackage.DeployCompatFlag);
            // a next that is not the end of the first image
            byte[] bad = (byte[])pkg.Clone();
            ImageHeader.WriteU32(bad, 0x38, (uint)app.Length + 4);
            ImageHeader.WriteU32(bad, 0x3C, Crc32.Compute(bad, 0, 0x3C));
            Assert.AreEqual(OtaError.ImgNext, CodeOf(() => MultiImagePackage.Parse(bad)));
            // a broken header CRC in the chain
            bad = (byte[])pkg.Clone();
            bad[0x20] ^= 1;
            Assert.AreEqual(OtaError.ImgHeaderCrc, CodeOf(() => MultiImagePackage.Parse(bad)));
            // deploy_compat outside a chain is still a reserved flag bit
            byte[] lone = (byte[])app.Clone();
            ImageHeader.WriteU32(lone, 0x30, MultiImagePackage.DeployCompatFlag);
            ImageHeader.WriteU32(lone, 0x3C, Crc32.Compute(lone, 0, 0x3C));
            Assert.AreEqual(OtaError.ImgFlags, CodeOf(() => MultiImagePackage.Parse(lone)));
            // the package must fit staging
            var small = DefaultLayout.Table();
            byte[] big = ImagePacker.BuildFull(ImagePacker.Template(table, "app", "2.0.0", 2), Pattern(1112000, 6), table.App);
            Assert.AreEqual(OtaError.ImgTooLarge, CodeOf(() => MultiImagePackage.Chain(big, data, false, small)));
        }
    }
}
#endif
