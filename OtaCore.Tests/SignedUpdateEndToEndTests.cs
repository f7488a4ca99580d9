#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using System.Security.Cryptography;
using DeviceApp.Bindings.Host;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Ota.Tools.Images;
using Ota.Tools.Signing;
using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// Signed mode end to end on real parts: packages signed by the host tools, served by the real
    /// `ota serve`, downloaded by the engine (signature checked through the native ECDSA before
    /// STAGED) and installed by the real C bootloader (otahost_boot with the same key built in).
    /// Every hostile package is refused with its own code while the old firmware keeps booting.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class SignedUpdateEndToEndTests
    {
        private static readonly PartitionTable Table = DefaultLayout.Table();

        private sealed class SignedDevice : SignedDeviceRig
        {
            public readonly byte[] Old;

            public SignedDevice()
            {
                BootloaderKeys.Set(File.ReadAllText(SignedDeviceRig.Vector("test_pub.pem")));
                Old = TestPackage.Build("1.0.0", 5, 40000, 1);
                Rig.FlashFactoryImage(Old);
            }

            public OtaConfig Config() => Config("test_pub.pem");

            public byte[] Package(string version, uint updNo, int seed, bool xz = true, uint flags = 0)
            {
                byte[] fw = TestPackage.Body(50000, seed);
                for (int i = 0; i < fw.Length; i += 5) fw[i] = 0x33;
                ImageHeader t = ImagePacker.Template(Table, "app", version, updNo);
                t.Flags = flags;
                byte[] full = ImagePacker.BuildFull(t, fw, Table.App);
                return xz ? ImagePacker.BuildCompressed(full, "6", 1u << 16, Table.Staging) : full;
            }

            public byte[] AppBytes(int n)
            {
                byte[] b = new byte[n];
                Rig.Flash.Read(TestPackage.AppOffset, b, 0, n);
                return b;
            }

            /// <summary>Boots; asserts the old firmware still runs untouched.</summary>
            public string BootKeepsOld()
            {
                Rig.Reboot();
                int rc = Rig.Flash.Boot(out string json);
                Assert.AreEqual(0, rc, json);
                CollectionAssert.AreEqual(Old[ImageHeader.Size..], AppBytes(Old.Length - ImageHeader.Size), "old app untouched");
                Assert.AreEqual("1.0.0", Rig.Store.ReadCurrent().InstalledHeader.Version, json);
                return json;
            }
        }

        [TestMethod]
        public void SignedXzPackageIsVerifiedByTheEngineAndTheBootloader()
        {
            using var d = new SignedDevice();
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 2), d.Key);
            d.Rig.Publish(pkg, "fw_ota.img");
            OtaResult r = d.Rig.Engine(d.Config()).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual(OtaState.Staged, d.Rig.Store.State);

            d.Rig.Reboot();
            Assert.AreEqual(0, d.Rig.Flash.Boot(out string json), json);
            OtaStateRecord rec = d.Rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Trial, rec.State, json);
            Assert.AreEqual("2.0.0", rec.InstalledHeader.Version);
            Assert.AreEqual(6u, rec.MaxUpdNo);
            Assert.AreNotEqual(0u, rec.Flags & OtaStateRecord.FlagSignedSeen, "signed mode is recorded");
        }

        [TestMethod]
        public void TheSignatureIsCheckedOnlyAfterThePipelineWorkerProgrammedEveryPage()
        {
            using var d = new SignedDevice();
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 5), d.Key);
            d.Rig.Publish(pkg, "fw_ota.img");
            OtaPlatform p = d.Rig.Platform();
            var staging = new WatchedStaging(d.Rig.Staging, d.Rig.OtaData) { ProgramDelayMs = 4 }; // a slow flash: pages still queued when the body has arrived
            p.Staging = staging;
            OtaResult r = new OtaEngine(d.Config(), p).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.AreEqual("pipelined", r.StagingWriter);
            Assert.AreEqual(OtaState.Staged, d.Rig.Store.State);
            CollectionAssert.AreEqual(pkg, d.Rig.ReadStaging(pkg.Length));
            Assert.IsNull(staging.Violation, staging.Violation);
        }

        [TestMethod]
        public void UnsignedPackageIsRefusedFromItsHeaderAlone()
        {
            using var d = new SignedDevice();
            d.Rig.Publish(d.Package("2.0.0", 6, 3), "fw_ota.img");
            ulong ops = d.Rig.Flash.OperationCount;
            OtaResult r = d.Rig.Engine(d.Config()).Update();
            Assert.AreEqual(OtaError.SigMissing, r.Error, r.Message);
            Assert.AreEqual(2, r.Requests, "manifest + header probe: the body is never downloaded");
            Assert.AreEqual(ops, d.Rig.Flash.OperationCount, "nothing written");
            d.BootKeepsOld();
        }

        [TestMethod]
        public void DowngradeIsRefusedFromItsHeaderEvenWithSkipUpgradeCheck()
        {
            using var d = new SignedDevice();
            byte[] pkg = ImageSigner.Sign(d.Package("0.9.0", 4, 4, true, ImageFlags.SkipUpgradeCheck), d.Key);
            d.Rig.Publish(pkg, "fw_ota.img");
            OtaConfig c = d.Config();
            c.AllowDowngrade = true;
            OtaResult r = d.Rig.Engine(c).Update();
            Assert.AreEqual(OtaError.InstallRollback, r.Error, r.Message);
            Assert.AreEqual(2, r.Requests);
            d.BootKeepsOld();
        }

        [TestMethod]
        public void TamperedOrForeignPackagesNeverReachStaged()
        {
            using var d = new SignedDevice();
            byte[] good = ImageSigner.Sign(d.Package("2.0.0", 6, 5), d.Key);
            int at = good.Length - SignatureBlock.Size;

            byte[] body = (byte[])good.Clone(); // one body bit, CRCs re-sealed: only the signature sees it
            body[ImageHeader.Size + 1000] ^= 0x04;
            ImageHeader h = ImageHeader.Parse(body, 0);
            h.OrgChecksum = Crc32.Compute(body, ImageHeader.Size, (int)h.ImgLen);
            h.WriteTo(body, 0);

            byte[] flags = (byte[])good.Clone(); // skip_integrity_check added after signing
            ImageHeader hf = ImageHeader.Parse(flags, 0);
            hf.SkipIntegrityCheck = true;
            hf.WriteTo(flags, 0);

            byte[] block = (byte[])good.Clone(); // a signature byte, block CRC re-sealed
            block[at + SignatureBlock.SignatureOffset + 20] ^= 0x01;
            ImageHeader.WriteU32(block, at + SignatureBlock.CrcOffset, Crc32.Compute(block, at, SignatureBlock.CrcOffset));

            byte[] foreign = ImageSigner.Sign(d.Package("2.0.0", 6, 5), d.Other);

            var cases = new[]
            {
                (body, OtaError.SigBad),
                (flags, OtaError.SigBad),
                (block, OtaError.SigBad),
                (foreign, OtaError.SigKeyUnknown),
            };
            int n = 0;
            foreach (var (pkg, want) in cases)
            {
                string name = "bad" + (n++) + "_ota.img";
                d.Rig.Publish(pkg, name);
                OtaResult r = d.Rig.Engine(d.Config()).Update();
                Assert.AreEqual(want, r.Error, name + ": " + r.Message);
                Assert.AreNotEqual(OtaState.Staged, d.Rig.Store.State, name);
                d.BootKeepsOld();
                d.Rig.Unpublish(name);
            }
        }

        [TestMethod]
        public void BootloaderRejectsATamperedPackageStagedBehindTheEnginesBack()
        {
            // A compromised app skips the engine and stages a modified package itself.
            using var d = new SignedDevice();
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 6, false), d.Key);
            pkg[ImageHeader.Size + 10] ^= 0x80;
            ImageHeader h = ImageHeader.Parse(pkg, 0);
            h.OrgChecksum = Crc32.Compute(pkg, ImageHeader.Size, (int)h.ImgLen);
            h.WriteTo(pkg, 0);
            var staging = d.Rig.Staging;
            staging.Erase(0, (uint)((pkg.Length + 4095) & ~4095));
            staging.Write(0, pkg, 0, pkg.Length);
            OtaStateRecord rec = d.Rig.Store.ReadCurrent();
            rec.State = OtaState.Staged;
            rec.StagedHeaderBytes = pkg[..ImageHeader.Size];
            d.Rig.Store.WriteNext(rec, false);

            string json = d.BootKeepsOld();
            OtaStateRecord after = d.Rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Failed, after.State, json);
            Assert.AreEqual(OtaError.SigBad, after.LastError, json);
        }
    }
}
#endif
