#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using System.Security.Cryptography;
using DeviceApp.Bindings.Host;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Ota.Tools.Images;
using Ota.Tools.Serve;
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
    /// A package rejected for a reason a new download cannot fix (docs/design.md section 9
    /// "Rejected packages") is not downloaded again while the server offers the same one: E611
    /// PACKAGE_REJECTED, event PackageRejected, two requests (manifest + 64-byte probe), no flash
    /// operation. A new ETag, a new header, a changed trust set or ForgetRejected() lets it through;
    /// transient failures are never remembered. Real parts: `ota serve` on 127.0.0.1, the C NOR
    /// flash through libotahost, host ECDSA, the real C bootloader for the bootloader-side case.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class RejectedPackageTests
    {
        private const string Pkg = "fw_ota.img";
        private static readonly PartitionTable Table = DefaultLayout.Table();

        private static bool IsPackage(HttpRequestHead r) => r.Path.EndsWith(Pkg);

        private static bool IsBody(HttpRequestHead r) => IsPackage(r) && r.Header("Range") != "bytes=0-63";

        /// <summary>A device running 1.0.0 (upd_no 5) with the partition table in flash.</summary>
        private sealed class Device : SignedDeviceRig
        {

            public Device()
            {
                byte[] old = TestPackage.Build("1.0.0", 5, 20000, 1);
                Rig.FlashFactoryImage(old);
            }

            public byte[] Package(string version, uint updNo, int seed)
            {
                byte[] fw = TestPackage.Body(30000, seed);
                for (int i = 0; i < fw.Length; i += 5) fw[i] = 0x33;
                return ImagePacker.BuildFull(ImagePacker.Template(Table, "app", version, updNo), fw, Table.App);
            }

            /// <summary>Runs one update check, with the flash operations and server requests it cost.</summary>
            public OtaResult Check(OtaEngine e, out ulong flashOps, out long serverRequests)
            {
                ulong ops = Rig.Flash.OperationCount;
                long req = Rig.ServerRequests;
                OtaResult r = e.Update();
                flashOps = Rig.Flash.OperationCount - ops;
                serverRequests = Rig.ServerRequests - req;
                return r;
            }
        }

        private static void AssertSkipped(Device d, OtaEngine e, OtaError original, string what)
        {
            var events = EngineEvents.Record(e);
            int bodyRequests = Array.FindAll(d.Rig.Faults.RangesFor(Pkg), x => x != "bytes=0-63").Length;
            OtaResult r = d.Check(e, out ulong ops, out long requests);
            Assert.AreEqual(OtaError.PackageRejected, r.Error, what + ": " + r.Message);
            Assert.IsTrue(r.Message.StartsWith("E611 PACKAGE_REJECTED: "), r.Message);
            StringAssert.Contains(r.Message, "E" + (int)original + " " + OtaErrorNames.Name(original));
            Assert.AreEqual("PackageRejected:611", events[^1], what);
            CollectionAssert.DoesNotContain(events, "DownloadStart", what);
            Assert.AreEqual(2, r.Requests, what + ": manifest + header probe only");
            Assert.AreEqual(2L, requests, what + ": requests the server saw");
            Assert.AreEqual(bodyRequests, Array.FindAll(d.Rig.Faults.RangesFor(Pkg), x => x != "bytes=0-63").Length, what + ": no body request");
            Assert.AreEqual(0UL, ops, what + ": no flash operation");
            Assert.IsFalse(r.Staged);
        }

        /// <summary>
        /// A check that downloads the whole package again and rejects it again: the engine gives a
        /// package one more download after its first rejection (the bytes, not the package, may
        /// have been at fault); only the second rejection in a row stops the downloads.
        /// </summary>
        private static void AssertRejectedAgain(OtaEngine e, OtaError original, string what)
        {
            OtaResult r = e.Update();
            Assert.AreEqual(original, r.Error, what + ": " + r.Message);
            Assert.IsTrue(r.BytesReceived > 30000, what + ": the whole package was downloaded once more");
        }

        [TestMethod]
        public void SignatureRejectedPackageIsNotDownloadedAgainUntilTheServerPublishesAFixedOne()
        {
            using var d = new Device();
            byte[] unsignedPkg = d.Package("2.0.0", 6, 3);
            d.Rig.Publish(ImageSigner.Sign(unsignedPkg, d.Other), Pkg);
            OtaResult first = d.Rig.Engine(d.Config("test_pub.pem")).Update();
            Assert.AreEqual(OtaError.SigKeyUnknown, first.Error, first.Message);
            Assert.IsTrue(first.BytesReceived > 30000, "the whole package was downloaded once");
            OtaStateRecord rec = d.Rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, rec.State);
            Assert.AreEqual(OtaError.SigKeyUnknown, rec.LastError);
            Assert.AreEqual(0, d.Rig.Store.CountDurableBlocks(), "progress dropped");

            OtaEngine e = d.Rig.Engine(d.Config("test_pub.pem"));
            AssertRejectedAgain(e, OtaError.SigKeyUnknown, "second check");
            AssertSkipped(d, e, OtaError.SigKeyUnknown, "third check");
            AssertSkipped(d, e, OtaError.SigKeyUnknown, "fourth check, same engine");
            d.Rig.Reboot();
            AssertSkipped(d, d.Rig.Engine(d.Config("test_pub.pem")), OtaError.SigKeyUnknown, "after a reboot");

            // The publisher re-signs the same image with the right key: same header, new ETag.
            byte[] fixedPkg = ImageSigner.Sign(unsignedPkg, d.Key);
            CollectionAssert.AreEqual(ImageSigner.Sign(unsignedPkg, d.Other)[..ImageHeader.Size], fixedPkg[..ImageHeader.Size], "only the signature block differs");
            d.Rig.Publish(fixedPkg, Pkg);
            OtaResult r = d.Rig.Engine(d.Config("test_pub.pem")).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            d.Rig.AssertStaged(fixedPkg);
        }

        [TestMethod]
        public void ANewVersionOnTheServerIsDownloaded()
        {
            using var d = new Device();
            d.Rig.Publish(ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Other), Pkg);
            Assert.AreEqual(OtaError.SigKeyUnknown, d.Rig.Engine(d.Config("test_pub.pem")).Update().Error);
            d.Rig.Unpublish(Pkg);
            byte[] next = ImageSigner.Sign(d.Package("2.0.1", 7, 4), d.Key);
            d.Rig.Publish(next, "fw2_ota.img");
            OtaResult r = d.Rig.Engine(d.Config("test_pub.pem")).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            d.Rig.AssertStaged(next);
        }

        [TestMethod]
        public void AConfigThatGainsTheSignersKeyDownloadsAgain()
        {
            using var d = new Device();
            byte[] foreign = ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Other);
            d.Rig.Publish(foreign, Pkg);
            Assert.AreEqual(OtaError.SigKeyUnknown, d.Rig.Engine(d.Config("test_pub.pem")).Update().Error);
            AssertRejectedAgain(d.Rig.Engine(d.Config("test_pub.pem")), OtaError.SigKeyUnknown, "same keys, second download");
            AssertSkipped(d, d.Rig.Engine(d.Config("test_pub.pem")), OtaError.SigKeyUnknown, "same keys");

            OtaResult r = d.Rig.Engine(d.Config("test_pub.pem", "other_pub.pem")).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.BytesReceived > 30000, "downloaded again");
            d.Rig.AssertStaged(foreign);
        }

        [TestMethod]
        public void ForgetRejectedStartsTheCountAgain()
        {
            using var d = new Device();
            d.Rig.Publish(ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Other), Pkg);
            OtaEngine e = d.Rig.Engine(d.Config("test_pub.pem"));
            Assert.AreEqual(OtaError.SigKeyUnknown, e.Update().Error);
            AssertRejectedAgain(e, OtaError.SigKeyUnknown, "second download");
            AssertSkipped(d, e, OtaError.SigKeyUnknown, "remembered");
            e.ForgetRejected();
            AssertRejectedAgain(e, OtaError.SigKeyUnknown, "downloaded again after ForgetRejected()");
            AssertRejectedAgain(e, OtaError.SigKeyUnknown, "a first rejection again: one more download");
            AssertSkipped(d, e, OtaError.SigKeyUnknown, "remembered again: ForgetRejected() is one-shot");
        }

        [TestMethod]
        public void BodyCrcRejectedUnsignedPackageIsRemembered()
        {
            using var d = new Device();
            byte[] pkg = d.Package("2.0.0", 6, 3);
            pkg[ImageHeader.Size + 100] ^= 0x01; // the header's org_checksum no longer matches
            d.Rig.Publish(pkg, Pkg);
            OtaResult first = d.Rig.Engine(null).Update();
            Assert.AreEqual(OtaError.ImgBodyCrc, first.Error, first.Message);
            AssertRejectedAgain(d.Rig.Engine(null), OtaError.ImgBodyCrc, "a CRC error may be the transfer's: one more download");
            AssertSkipped(d, d.Rig.Engine(null), OtaError.ImgBodyCrc, "same corrupt file");
        }

        [TestMethod]
        public void TransientFailuresAreRetriedAsBefore()
        {
            using var d = new Device();
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Key);
            d.Rig.Publish(pkg, Pkg);
            d.Rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 9000 }, 1);
            d.Rig.Faults.Add(IsBody, new ServeFault { DropAfterBytes = 0 }, -1);
            OtaConfig c = d.Config("test_pub.pem");
            c.RetryTimeoutMs = 60000;
            OtaResult first = d.Rig.Engine(c).Update();
            Assert.AreEqual(OtaError.NetTimeout, first.Error, first.Message);
            Assert.AreEqual(OtaState.Downloading, d.Rig.Store.State);

            d.Rig.Faults.Clear();
            OtaResult r = d.Rig.Engine(c).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            Assert.IsTrue(r.ResumedFrom > 0, "resumed, not skipped: " + r.ResumedFrom);
            d.Rig.AssertStaged(pkg);
        }

        [TestMethod]
        public void AFailedRecordWithAFlashErrorIsNotRemembered()
        {
            using var d = new Device();
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Key);
            d.Rig.Publish(pkg, Pkg);
            OtaStateRecord rec = d.Rig.Store.ReadCurrent();
            rec.State = OtaState.Failed;
            rec.LastError = OtaError.FlashIo; // as if a staging read had failed: not the package's fault
            rec.StagedHeaderBytes = pkg[..ImageHeader.Size];
            d.Rig.Store.WriteNext(rec, false);
            OtaResult r = d.Rig.Engine(d.Config("test_pub.pem")).Update();
            Assert.AreEqual(OtaError.Ok, r.Error, r.Message);
            d.Rig.AssertStaged(pkg);
        }

        [TestMethod]
        public void PackageTheRealBootloaderRejectedIsSkippedTheSameWay()
        {
            // The engine trusts both keys, the bootloader only test_pub: the engine stages a
            // package signed with the other key and the C bootloader refuses it (FAILED, E804).
            using var d = new Device();
            BootloaderKeys.Set(File.ReadAllText(SignedDeviceRig.Vector("test_pub.pem")));
            byte[] pkg = ImageSigner.Sign(d.Package("2.0.0", 6, 3), d.Other);
            d.Rig.Publish(pkg, Pkg);
            OtaConfig both = d.Config("test_pub.pem", "other_pub.pem");
            OtaResult staged = d.Rig.Engine(both).Update();
            Assert.AreEqual(OtaError.Ok, staged.Error, staged.Message);

            d.Rig.Reboot();
            Assert.AreEqual(0, d.Rig.Flash.Boot(out string json), json);
            OtaStateRecord rec = d.Rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Failed, rec.State, json);
            Assert.AreEqual(OtaError.SigKeyUnknown, rec.LastError, json);
            Assert.AreEqual("1.0.0", rec.InstalledHeader.Version, "old firmware keeps booting");

            OtaEngine e = d.Rig.Engine(both);
            var events = EngineEvents.Record(e);
            e.Startup();
            CollectionAssert.AreEqual(new[] { "InstallFailed:804" }, events);
            AssertSkipped(d, e, OtaError.SigKeyUnknown, "bootloader FAILED");
            StringAssert.Contains(e.Update().Message, "the bootloader rejected with E804");
            Assert.AreEqual(OtaState.Failed, d.Rig.Store.State, "nothing written");
        }
    }
}
#endif
