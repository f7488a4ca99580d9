#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Image;
using OtaCore.State;

namespace OtaCore.Tests
{
    [TestClass]
    public class StateStoreTests
    {
        private static ImageHeader Header(string version, uint updNo)
        {
            ImageHeader h = new ImageHeader();
            h.ImgAddr = 0x20000;
            h.ImgLen = 4096;
            h.ImgHeaderAddr = 0x1E000;
            h.UpgradeImgAddr = 0x1E0000;
            h.UpdNo = updNo;
            h.Version = version;
            return h;
        }

        private static OtaStateRecord Confirmed()
        {
            OtaStateRecord r = new OtaStateRecord();
            r.State = OtaState.Confirmed;
            r.InstalledHeader = Header("1.0.0", 1);
            r.MaxUpdNo = 1;
            return r;
        }

        [TestMethod]
        public void ErasedOtadataIsStateNone()
        {
            OtaStateStore s = new OtaStateStore(new StateTestFlash(0x2000));
            Assert.AreEqual(OtaState.None, s.State);
            Assert.IsNull(s.ReadCurrent());
            Assert.AreEqual(-1, s.CurrentSector);
            Assert.AreEqual(0, s.CountDurableBlocks());
            Assert.AreEqual(OtaError.StateNoneValid, OtaAssert.ErrorOf(() => s.MarkBlockDurable(0)));
        }

        [TestMethod]
        public void WritesAlternateSectorsWithRisingSeq()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateStore s = new OtaStateStore(f);
            OtaStateRecord r = Confirmed();
            s.WriteNext(r, false);
            Assert.AreEqual(0, s.CurrentSector);
            Assert.AreEqual(1u, r.Seq);
            OtaStateRecord d = s.ReadCurrent();
            d.State = OtaState.Downloading;
            d.StagedHeader = Header("1.1.0", 2);
            s.WriteNext(d, false);
            Assert.AreEqual(1, s.CurrentSector);
            Assert.AreEqual(2u, d.Seq);

            OtaStateStore fresh = new OtaStateStore(f);
            OtaStateRecord back = fresh.ReadCurrent();
            Assert.AreEqual(1, fresh.CurrentSector);
            Assert.AreEqual(OtaState.Downloading, back.State);
            Assert.AreEqual("1.1.0", back.StagedHeader.Version);
            Assert.AreEqual("1.0.0", back.InstalledHeader.Version);
            Assert.AreEqual(1u, back.MaxUpdNo);

            byte[] expect = new byte[OtaStateRecord.Size];
            d.WriteTo(expect, 0);
            for (int i = 0; i < expect.Length; i++) Assert.AreEqual(expect[i], f.Memory[0x1000 + i]);
            Assert.AreEqual(Crc32.Compute(f.Memory, 0x1000, 0xFC), ImageHeader.ReadU32(f.Memory, 0x10FC));
        }

        [TestMethod]
        public void DurableBlocksAreSingleBitProgramsAndSurviveKeptProgress()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateStore s = new OtaStateStore(f);
            OtaStateRecord r = Confirmed();
            r.State = OtaState.Downloading;
            s.WriteNext(r, false);
            int erases = f.Erases;
            s.MarkBlockDurable(0);
            s.MarkBlockDurable(1);
            s.MarkBlockDurable(2);
            s.MarkBlockDurable(9);
            s.MarkBlockDurable(9);
            s.MarkBlockDurable(4095);
            Assert.AreEqual(erases, f.Erases);
            Assert.AreEqual(5, s.CountDurableBlocks());
            Assert.AreEqual(3, s.CountLeadingDurableBlocks(100));
            Assert.IsTrue(s.IsBlockDurable(9));
            Assert.IsFalse(s.IsBlockDurable(8));
            Assert.AreEqual((byte)0xF8, f.Memory[0x100]);
            Assert.AreEqual((byte)0xFD, f.Memory[0x101]);
            Assert.AreEqual((byte)0x7F, f.Memory[0x2FF]);
            Assert.AreEqual(OtaError.StateBitmapFull, OtaAssert.ErrorOf(() => s.MarkBlockDurable(4096)));

            OtaStateRecord again = s.ReadCurrent();
            again.LastError = OtaError.HttpStatus;
            s.WriteNext(again, true);
            Assert.AreEqual(1, s.CurrentSector);
            Assert.AreEqual(5, s.CountDurableBlocks());
            OtaStateRecord staged = s.ReadCurrent();
            staged.State = OtaState.Staged;
            s.WriteNext(staged, false);
            Assert.AreEqual(0, s.CurrentSector);
            Assert.AreEqual(0, s.CountDurableBlocks());
            Assert.AreEqual(OtaError.HttpStatus, s.ReadCurrent().LastError);
        }

        [TestMethod]
        public void TrialBootsCountClearedBits()
        {
            OtaStateStore s = new OtaStateStore(new StateTestFlash(0x2000));
            OtaStateRecord r = Confirmed();
            r.State = OtaState.Trial;
            s.WriteNext(r, false);
            Assert.AreEqual(0, s.CountTrialBoots());
            Assert.AreEqual(1, s.AddTrialBoot());
            Assert.AreEqual(2, s.AddTrialBoot());
            Assert.AreEqual(3, s.AddTrialBoot());
            Assert.AreEqual(3, s.CountTrialBoots());
            OtaStateRecord c = s.ReadCurrent();
            c.State = OtaState.Confirmed;
            s.WriteNext(c, false);
            Assert.AreEqual(0, s.CountTrialBoots());
        }

        [TestMethod]
        public void PowerCutAtAnyByteKeepsAValidRecord()
        {
            for (int cut = 0; cut < 0x100 + 4; cut += 7)
            {
                StateTestFlash f = new StateTestFlash(0x2000);
                OtaStateStore s = new OtaStateStore(f);
                s.WriteNext(Confirmed(), false);
                OtaStateRecord next = s.ReadCurrent();
                next.State = OtaState.Staged;
                f.CutAfterBytes = cut;
                OtaError err = OtaAssert.ErrorOf(() => s.WriteNext(next, false));
                OtaStateRecord after = new OtaStateStore(f).ReadCurrent();
                Assert.IsNotNull(after);
                if (err == OtaError.FlashPowerCut)
                {
                    Assert.AreEqual(OtaState.Confirmed, after.State);
                    Assert.AreEqual(1u, after.Seq);
                }
                else
                {
                    Assert.AreEqual(OtaError.Ok, err);
                    Assert.AreEqual(OtaState.Staged, after.State);
                    Assert.AreEqual(2u, after.Seq);
                }
            }
        }

        [TestMethod]
        public void StateNoneIsNeverWrittenAndTooSmallPartitionIsRejected()
        {
            OtaStateStore s = new OtaStateStore(new StateTestFlash(0x2000));
            Assert.AreEqual(OtaError.StateTransition, OtaAssert.ErrorOf(() => s.WriteNext(new OtaStateRecord(), false)));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(() => new OtaStateStore(new StateTestFlash(0x1000))));
        }

        [TestMethod]
        public void RecordParsingRejectsTornAndUnknownStates()
        {
            OtaStateRecord r = Confirmed();
            r.Seq = 5;
            byte[] b = new byte[OtaStateRecord.Size];
            r.WriteTo(b, 0);
            Assert.AreEqual(5u, OtaStateRecord.TryParse(b, 0).Seq);
            b[0x60] ^= 1;
            Assert.IsNull(OtaStateRecord.TryParse(b, 0));
            r.State = (OtaState)8;
            r.WriteTo(b, 0);
            Assert.IsNull(OtaStateRecord.TryParse(b, 0));
            r.State = OtaState.Failed;
            r.Seq = 0xFFFFFFFF;
            r.WriteTo(b, 0);
            Assert.IsNull(OtaStateRecord.TryParse(b, 0));
        }
    }
}
