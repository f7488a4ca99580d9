#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.Security.Cryptography;
using System.Text;
using DeviceApp.Bindings.Host;
using OtaCore.Image;
using OtaCore.Push;
using OtaCore.State;
using OtaCore.Tests.Support;

namespace OtaCore.Tests
{
    /// <summary>
    /// The push receiver's state machine driven directly (no sockets) on the real C flash:
    /// invitation parsing, the MD5 login with back-off on a fake clock, staging of raw and .img
    /// files, every failure leaving the old app bootable by the C bootloader.
    /// </summary>
    [TestClass]
    public class PushReceiverTests
    {
        internal static string Md5Hex(byte[] b) => Convert.ToHexString(MD5.HashData(b)).ToLowerInvariant();

        internal static string Md5Hex(string s) => Md5Hex(Encoding.UTF8.GetBytes(s));

        private static string Send(PushReceiver r, string datagram)
        {
            byte[] b = Encoding.ASCII.GetBytes(datagram);
            return r.HandleDatagram(b, 0, b.Length);
        }

        private static string Invite(PushReceiver r, int cmd, byte[] file, string md5 = null) =>
            Send(r, cmd + " 40000 " + file.Length + " " + (md5 ?? Md5Hex(file)) + "\n");

        // Feeds the file in uneven pieces the way TCP reads deliver it; returns the last reply.
        private static string Stream(PushReceiver r, byte[] file, int piece)
        {
            r.BeginTransfer();
            string reply = null;
            for (int off = 0; off < file.Length && r.State == PushState.Receiving; off += piece)
            {
                int n = Math.Min(piece, file.Length - off);
                reply = r.Receive(file, off, n);
                if (r.State == PushState.Receiving) Assert.AreEqual(n.ToString(), reply);
            }
            return reply;
        }

        [TestMethod]
        public void MalformedInvitationsAreRefusedWithE1001()
        {
            using var rig = new PushRig();
            string md5 = new string('a', 32);
            string[] bad =
            {
                "", "\n", "0 1234 100\n", "7 1234 100 " + md5 + "\n", "0 0 100 " + md5 + "\n",
                "0 70000 100 " + md5 + "\n", "0 1234 0 " + md5 + "\n", "0 1234 -5 " + md5 + "\n",
                "0 1234 100 xyz\n", "0  1234 100 " + md5 + "\n", "0 1234 100 " + md5 + " extra\n",
                "0 1234 100 " + md5 + "\n\n", "0 12a4 100 " + md5 + "\n", "0 1234 99999999999 " + md5 + "\n",
                "0\t1234 100 " + md5 + "\n", " 0 1234 100 " + md5 + "\n",
            };
            foreach (string s in bad)
            {
                string reply = Send(rig.Receiver, s);
                StringAssert.StartsWith(reply, "ERROR E1001 PUSH_INVITATION: ", "for '" + s + "'");
                Assert.AreEqual(PushState.Idle, rig.Receiver.State, s);
                Assert.AreEqual(OtaError.PushInvitation, rig.Receiver.LastError);
            }
            byte[] big = new byte[PushProtocol.MaxDatagram + 1];
            StringAssert.StartsWith(rig.Receiver.HandleDatagram(big, 0, big.Length), "ERROR E1001 ");
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State, "nothing written");
            Assert.AreEqual("OK", Send(rig.Receiver, "0 1234 100 " + md5.ToUpperInvariant()));
            Assert.AreEqual(PushState.Connecting, rig.Receiver.State);
            Assert.AreEqual(1234, rig.Receiver.ConnectPort);
            Assert.AreEqual(md5, rig.Receiver.Invitation.Md5);
        }

        [TestMethod]
        public void LoginUsesStoredDigestAndBacksOffAfterFailures()
        {
            var clock = new FakeClock();
            using var rig = new PushRig(Md5Hex("s3cret"), clock);
            PushReceiver r = rig.Receiver;
            byte[] file = TestPackage.Body(1000, 3);

            string auth = Invite(r, 0, file);
            StringAssert.StartsWith(auth, "AUTH ");
            string nonce = auth.Substring(5);
            Assert.IsTrue(OtaCore.Push.Md5Hex.IsMd5Hex(nonce), nonce);
            Assert.AreEqual(PushState.WaitAuth, r.State);

            // wrong password: "Authentication Failed", back to Idle, 1 s back-off
            string cnonce = Md5Hex("client");
            Assert.AreEqual("Authentication Failed", Send(r, "200 " + cnonce + " " + Md5Hex(Md5Hex("guess") + ":" + nonce + ":" + cnonce) + "\n"));
            Assert.AreEqual(PushState.Idle, r.State);
            Assert.AreEqual(1, r.FailedLogins);
            Assert.AreEqual(OtaError.PushAuth, r.LastError);
            StringAssert.StartsWith(Invite(r, 0, file), "ERROR E1003 PUSH_BUSY: ");
            clock.Advance(999);
            StringAssert.StartsWith(Invite(r, 0, file), "ERROR E1003 ");
            clock.Advance(1);
            string nonce2 = Invite(r, 0, file).Substring(5);
            Assert.AreNotEqual(nonce, nonce2, "a fresh nonce per invitation");

            // the right answer to the OLD nonce is refused (nonces are single-use)
            string replay = Send(r, "200 " + cnonce + " " + Md5Hex(Md5Hex("s3cret") + ":" + nonce + ":" + cnonce) + "\n");
            Assert.AreEqual("Authentication Failed", replay);
            Assert.AreEqual(2, r.FailedLogins);
            clock.Advance(1999);
            StringAssert.StartsWith(Invite(r, 0, file), "ERROR E1003 ", "second failure: 2 s");
            clock.Advance(1);
            string nonce3 = Invite(r, 0, file).Substring(5);

            // a login after the 10 s challenge window is a protocol error
            clock.Advance(PushReceiver.AuthTimeoutMs + 1);
            StringAssert.StartsWith(Send(r, "200 " + cnonce + " " + Md5Hex(Md5Hex("s3cret") + ":" + nonce3 + ":" + cnonce) + "\n"), "ERROR E1007 PUSH_PROTOCOL: ");

            // the right password: OK, the counter resets
            string nonce4 = Invite(r, 0, file).Substring(5);
            Assert.AreEqual("OK", Send(r, "200 " + cnonce + " " + Md5Hex(Md5Hex("s3cret") + ":" + nonce4 + ":" + cnonce) + "\n"));
            Assert.AreEqual(PushState.Connecting, r.State);
            Assert.AreEqual(0, r.FailedLogins);
        }

        [TestMethod]
        public void BackOffDoublesUpToTheCap()
        {
            var clock = new FakeClock();
            using var rig = new PushRig(Md5Hex("pw"), clock);
            PushReceiver r = rig.Receiver;
            byte[] file = TestPackage.Body(64, 1);
            long expected = PushReceiver.BackoffBaseMs;
            for (int i = 1; i <= 9; i++)
            {
                string auth = Invite(r, 0, file);
                StringAssert.StartsWith(auth, "AUTH ", "attempt " + i);
                Assert.AreEqual("Authentication Failed", Send(r, "200 abc " + new string('0', 32)));
                clock.Advance(expected - 1);
                StringAssert.StartsWith(Invite(r, 0, file), "ERROR E1003 ", "attempt " + i + " locked " + expected);
                clock.Advance(1);
                expected = Math.Min(expected * 2, PushReceiver.BackoffMaxMs);
            }
            Assert.AreEqual(PushReceiver.BackoffMaxMs, expected);
        }

        [TestMethod]
        public void ConstantTimeCompareAndLoginDigestMatchTheProtocol()
        {
            Assert.IsTrue(OtaCore.Push.Md5Hex.ConstantTimeEquals("00ff", "00FF"));
            Assert.IsFalse(OtaCore.Push.Md5Hex.ConstantTimeEquals("00ff", "00fe"));
            Assert.IsFalse(OtaCore.Push.Md5Hex.ConstantTimeEquals("00ff", "00ff0"));
            Assert.IsFalse(OtaCore.Push.Md5Hex.ConstantTimeEquals(null, "00"));
            using var native = new DeviceApp.Bindings.Host.HostNativeServices();
            string stored = Md5Hex("admin");
            Assert.AreEqual(Md5Hex(stored + ":n1:c1"), OtaCore.Push.Md5Hex.LoginResponse(native, stored, "n1", "c1"));
            Assert.AreEqual(Md5Hex(""), OtaCore.Push.Md5Hex.OfText(native, ""));
        }

        [TestMethod]
        public void CrcFixupForcesTheChosenChecksum()
        {
            var rnd = new Random(5);
            byte[] fix = new byte[4];
            for (int i = 0; i < 200; i++)
            {
                uint state = (uint)rnd.NextInt64(0, 1L << 32), target = (uint)rnd.NextInt64(0, 1L << 32);
                CrcFixup.Compute(state, target, fix, 0);
                Assert.AreEqual(target, Crc32.Update(state, fix, 0, 4), "state " + state + " target " + target);
            }
        }

        [TestMethod]
        public void RawFirmwareIsWrappedStagedAndBootsBitExact()
        {
            using var rig = new PushRig();
            byte[] fw = TestPackage.Body(150 * 1024 + 3, 21); // not a multiple of 4
            Assert.AreEqual("OK", Invite(rig.Receiver, 0, fw));
            Stream(rig.Receiver, fw, 1460);
            Assert.IsTrue(rig.Receiver.ReceivedAll);
            Assert.AreEqual("OK", rig.Receiver.Finish());
            Assert.AreEqual(PushState.Done, rig.Receiver.State);
            string version = PushReceiver.RawVersionPrefix + Md5Hex(fw).Substring(0, 8);
            Assert.AreEqual(version, rig.Receiver.StagedVersion);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Staged, rec.State);
            ImageHeader h = rec.StagedHeader;
            Assert.AreEqual(ImageType.App, h.ImgType);
            Assert.AreEqual(rig.Table.App.Offset, h.ImgAddr);
            Assert.AreEqual((uint)((fw.Length + 3) / 4 * 4 + 4), h.ImgLen);
            Assert.IsTrue(h.SkipUpgradeCheck);

            var j = rig.BootExpecting(version);
            Assert.AreEqual("TRIAL", (string)j["state_after"]);
            byte[] app = rig.ReadApp(fw.Length + 1);
            for (int i = 0; i < fw.Length; i++)
            {
                if (app[i] != fw[i]) Assert.Fail("app byte " + i);
            }
            Assert.AreEqual(0xFF, app[fw.Length], "padding");
            Assert.AreEqual(0, rig.Boot(out int rc2)["error"]?["code"]?.GetValue<int>() ?? 0, "second boot still verifies the CRC");
            Assert.AreEqual(0, rc2);
        }

        [TestMethod]
        public void MoreBytesThanAnnouncedIsE1004AndNothingIsStaged()
        {
            using var rig = new PushRig();
            byte[] fw = TestPackage.Body(8192, 2);
            byte[] longer = new byte[fw.Length + 10];
            Array.Copy(fw, longer, fw.Length);
            Assert.AreEqual("OK", Invite(rig.Receiver, 0, fw));
            rig.Receiver.BeginTransfer();
            Assert.AreEqual("4096", rig.Receiver.Receive(longer, 0, 4096));
            StringAssert.StartsWith(rig.Receiver.Receive(longer, 4096, longer.Length - 4096), "ERROR E1004 PUSH_SIZE: ");
            Assert.AreEqual(PushState.Failed, rig.Receiver.State);
            Assert.AreNotEqual(OtaState.Staged, rig.Store.State);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void Md5MismatchIsE1005AndTheOldFirmwareBoots()
        {
            using var rig = new PushRig();
            byte[] fw = TestPackage.Body(20000, 4);
            Assert.AreEqual("OK", Invite(rig.Receiver, 0, fw, Md5Hex("something else")));
            Stream(rig.Receiver, fw, 1024);
            StringAssert.StartsWith(rig.Receiver.Finish(), "ERROR E1005 PUSH_MD5: ");
            Assert.AreEqual(PushState.Failed, rig.Receiver.State);
            OtaStateRecord rec = rig.Store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, rec.State);
            Assert.AreEqual(OtaError.PushMd5, rec.LastError);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void ImagePackageGoesThroughTheSameHeaderChecks()
        {
            using var rig = new PushRig();
            PushReceiver r = rig.Receiver;
            // header says a different total length than the invitation: E1004 before anything is written
            byte[] img = TestPackage.Build("2.0.0", 2, 4096, 8);
            byte[] cut = new byte[img.Length - 4];
            Array.Copy(img, cut, cut.Length);
            Assert.AreEqual("OK", Invite(r, 0, cut));
            StringAssert.StartsWith(Stream(r, cut, 100), "ERROR E1004 PUSH_SIZE: ");
            Assert.AreEqual(OtaState.Confirmed, rig.Store.State);

            // an app image under the filesystem command: E104
            Assert.AreEqual("OK", Invite(r, 100, img));
            StringAssert.StartsWith(Stream(r, img, 512), "ERROR E104 IMG_TYPE: ");

            // older version without skip_upgrade_check: E118
            byte[] old = TestPackage.Build("0.9.0", 1, 4096, 8);
            Assert.AreEqual("OK", Invite(r, 0, old));
            StringAssert.StartsWith(Stream(r, old, 512), "ERROR E118 IMG_OLD_VERSION: ");

            // wrong staging address: E113 (the StagingWriter's own check)
            ImageHeader h = TestPackage.Header("2.0.0", 2, TestPackage.Body(4096, 8));
            h.UpgradeImgAddr = 0x100000;
            byte[] moved = TestPackage.Join(h, TestPackage.Body(4096, 8));
            Assert.AreEqual("OK", Invite(r, 0, moved));
            StringAssert.StartsWith(Stream(r, moved, 512), "ERROR E113 IMG_ADDR: ");

            // a corrupted body: E108 at its last byte
            byte[] bad = (byte[])img.Clone();
            bad[200] ^= 1;
            Assert.AreEqual("OK", Invite(r, 0, bad));
            StringAssert.StartsWith(Stream(r, bad, 512), "ERROR E108 IMG_BODY_CRC: ");
            Assert.AreNotEqual(OtaState.Staged, rig.Store.State);

            // the same version is a deliberate reinstall: accepted
            Assert.AreEqual("OK", Invite(r, 0, rig.OldImage));
            Stream(r, rig.OldImage, 1460);
            Assert.AreEqual("OK", r.Finish());
            Assert.AreEqual(OtaState.Staged, rig.Store.State);
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }

        [TestMethod]
        public void AntiRollbackAndSignedModeMatchTheBootloader()
        {
            using var rig = new PushRig();
            PushReceiver r = rig.Receiver;
            Assert.AreEqual(1u, rig.Store.ReadCurrent().MaxUpdNo, "flash-image recorded upd_no 1");

            // upd_no below max_upd_no: E503, unless unsigned with skip_upgrade_check
            byte[] body = TestPackage.Body(4096, 9);
            byte[] low = TestPackage.Build("2.0.0", 0, 4096, 9);
            Assert.AreEqual("OK", Invite(r, 0, low));
            StringAssert.StartsWith(Stream(r, low, 700), "ERROR E503 INSTALL_ROLLBACK: ");
            ImageHeader h = TestPackage.Header("2.0.0", 0, body);
            h.SkipUpgradeCheck = true;
            byte[] lowSkip = TestPackage.Join(h, body);
            Assert.AreEqual("OK", Invite(r, 0, lowSkip));
            Stream(r, lowSkip, 700);
            Assert.AreEqual("OK", r.Finish());

            // signed mode: unsigned packages and raw files are E801 before anything is written
            r.RequireSigned = true;
            OtaStateRecord before = rig.Store.ReadCurrent();
            byte[] img = TestPackage.Build("3.0.0", 3, 4096, 9);
            Assert.AreEqual("OK", Invite(r, 0, img));
            StringAssert.StartsWith(Stream(r, img, 700), "ERROR E801 SIG_MISSING: ");
            Assert.AreEqual("OK", Invite(r, 0, body));
            StringAssert.StartsWith(Stream(r, body, 700), "ERROR E801 SIG_MISSING: ");
            Assert.AreEqual(before.Seq, rig.Store.ReadCurrent().Seq, "no state write");
        }

        // Pushes fw through the receiver; returns the flash operations it took.
        private static ulong PushAll(PushRig rig, byte[] fw)
        {
            ulong ops0 = rig.Flash.OperationCount;
            Assert.AreEqual("OK", Invite(rig.Receiver, 0, fw));
            string last = Stream(rig.Receiver, fw, 1460);
            if (rig.Receiver.State == PushState.Receiving) last = rig.Receiver.Finish();
            return rig.Flash.OperationCount - ops0;
        }

        [TestMethod]
        public void PowerCutAnywhereInAPushLeavesABootableDevice()
        {
            byte[] fw = TestPackage.Body(40 * 1024 + 2, 13);
            string version = PushReceiver.RawVersionPrefix + Md5Hex(fw).Substring(0, 8);
            ulong total;
            using (var rig = new PushRig())
            {
                total = PushAll(rig, fw);
                Assert.AreEqual(PushState.Done, rig.Receiver.State);
            }
            Assert.IsTrue(total > 20, "ops " + total);
            int newBoots = 0, oldBoots = 0;
            var modes = new[] { PowerCutMode.Torn, PowerCutMode.Before, PowerCutMode.After };
            for (ulong k = 1; k <= total; k += Math.Max(1, total / 12))
            {
                using var rig = new PushRig();
                PowerCutMode mode = modes[(int)(k % 3)];
                rig.Flash.SetPowerCut(rig.Flash.OperationCount + k, mode, (uint)k);
                PushAll(rig, fw);
                Assert.AreEqual(PushState.Failed, rig.Receiver.State, "cut at op " + k + " " + mode);
                Assert.AreEqual(OtaError.FlashPowerCut, rig.Receiver.LastError, rig.Receiver.LastMessage);

                // power comes back: reopen the flash file and boot through the C bootloader
                rig.Flash.Dispose();
                using var flash = HostFlash.Open(rig.P("flash.bin"));
                int rc = flash.Boot(out string json);
                Assert.AreEqual(0, rc, "cut at op " + k + " " + mode + ": " + json);
                byte[] app = new byte[fw.Length];
                flash.Read(rig.Table.App.Offset, app, 0, app.Length);
                if (json.Contains("\"version\":\"" + version + "\""))
                {
                    CollectionAssert.AreEqual(fw, app, "new image bit-exact after cut at op " + k);
                    newBoots++;
                }
                else
                {
                    StringAssert.Contains(json, "\"version\":\"" + PushRig.OldVersion + "\"");
                    for (int i = 0; i < app.Length; i++)
                        if (app[i] != rig.OldImage[ImageHeader.Size + i]) Assert.Fail("old app byte " + i + " changed, cut at op " + k);
                    oldBoots++;
                }
            }
            Assert.IsTrue(oldBoots > 0, "cuts before STAGED boot the old image");
        }

        [TestMethod]
        public void RefusedBeforeTheHostConnects()
        {
            using var rig = new PushRig(withDataPartition: false);
            byte[] fw = TestPackage.Body(64, 1);
            StringAssert.StartsWith(Invite(rig.Receiver, 100, fw), "ERROR E704 PT_MISSING: ");
            string huge = "0 4000 " + (rig.Table.Staging.Size + 1) + " " + Md5Hex(fw);
            StringAssert.StartsWith(Send(rig.Receiver, huge), "ERROR E114 IMG_TOO_LARGE: ");

            OtaStateRecord rec = rig.Store.ReadCurrent();
            rec.State = OtaState.Trial;
            rig.Store.WriteNext(rec, false);
            StringAssert.StartsWith(Invite(rig.Receiver, 0, fw), "ERROR E402 STATE_TRANSITION: ");
            Assert.AreEqual(PushState.Idle, rig.Receiver.State);

            rig.Receiver.Config.Enabled = false;
            StringAssert.StartsWith(Invite(rig.Receiver, 0, fw), "ERROR E607 OTA_DISABLED: ");
        }

        [TestMethod]
        public void DroppedConnectionIsE1006AndTheOldFirmwareBoots()
        {
            using var rig = new PushRig();
            byte[] fw = TestPackage.Body(64 * 1024, 6);
            Assert.AreEqual("OK", Invite(rig.Receiver, 0, fw));
            rig.Receiver.BeginTransfer();
            rig.Receiver.Receive(fw, 0, 30000);
            rig.Receiver.ConnectionLost(OtaError.PushConnection, "the host closed the data connection");
            Assert.AreEqual(PushState.Failed, rig.Receiver.State);
            StringAssert.StartsWith(rig.Receiver.LastMessage, "E1006 PUSH_CONNECTION: ");
            StringAssert.Contains(rig.Receiver.LastMessage, "30000 of 65536");
            rig.BootExpecting(PushRig.OldVersion);
            rig.AssertOldAppIntact();
        }
    }
}
#endif
