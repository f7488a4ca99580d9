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

        private static OtaStateRecord WriteAt(OtaStateStore s, StateTestFlash f, OtaState state, int sector, int slot, int erases)
        {
            OtaStateRecord r = s.ReadCurrent() ?? Confirmed();
            uint seq = s.CurrentSector < 0 ? 1 : r.Seq + 1;
            r.State = state;
            int before = f.Erases;
            s.WriteNext(r, false);
            Assert.AreEqual(seq, r.Seq);
            Assert.AreEqual(sector, s.CurrentSector, state + " sector");
            Assert.AreEqual(slot, s.CurrentSlot, state + " slot");
            Assert.AreEqual(erases, f.Erases - before, state + " erases");
            OtaStateStore fresh = new OtaStateStore(f);
            OtaStateRecord back = fresh.ReadCurrent();
            Assert.AreEqual(sector, fresh.CurrentSector);
            Assert.AreEqual(slot, fresh.CurrentSlot);
            Assert.AreEqual(seq, back.Seq);
            Assert.AreEqual(state, back.State);
            return r;
        }

        [TestMethod]
        public void WritesFillFourSlotsThenEraseTheOtherSector()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateStore s = new OtaStateStore(f);
            WriteAt(s, f, OtaState.Confirmed, 0, 0, 0); // blank otadata: no erase for the first record
            OtaStateRecord d = s.ReadCurrent();
            d.State = OtaState.Downloading;
            d.StagedHeader = Header("1.1.0", 2);
            s.WriteNext(d, false);
            Assert.AreEqual(0, s.CurrentSector);
            Assert.AreEqual(1, s.CurrentSlot);
            Assert.AreEqual(0, f.Erases);

            OtaStateRecord back = new OtaStateStore(f).ReadCurrent();
            Assert.AreEqual("1.1.0", back.StagedHeader.Version);
            Assert.AreEqual("1.0.0", back.InstalledHeader.Version);
            Assert.AreEqual(1u, back.MaxUpdNo);
            byte[] expect = new byte[OtaStateRecord.Size];
            d.WriteTo(expect, 0);
            for (int i = 0; i < expect.Length; i++) Assert.AreEqual(expect[i], f.Memory[0x400 + i]);
            Assert.AreEqual(Crc32.Compute(f.Memory, 0x400, 0xFC), ImageHeader.ReadU32(f.Memory, 0x4FC));

            WriteAt(s, f, OtaState.Downloading, 0, 2, 0);
            WriteAt(s, f, OtaState.Confirmed, 0, 3, 0);
            WriteAt(s, f, OtaState.Downloading, 1, 0, 1);
            WriteAt(s, f, OtaState.Confirmed, 1, 1, 0);

            // a slot with one programmed byte (a torn write) is passed over
            f.Memory[0x1000 + 0x800 + 0x123] = 0x00;
            WriteAt(s, f, OtaState.Downloading, 1, 3, 0);
            WriteAt(s, f, OtaState.Confirmed, 0, 0, 1);
        }

        [TestMethod]
        public void StagedKeepsTwoErasedSlotsForTheInstallBoot()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateStore s = new OtaStateStore(f);
            WriteAt(s, f, OtaState.Confirmed, 0, 0, 0);
            WriteAt(s, f, OtaState.Staged, 0, 1, 0);       // slots 2 and 3 stay erased
            WriteAt(s, f, OtaState.Installing, 0, 2, 0);
            WriteAt(s, f, OtaState.Trial, 0, 3, 0);
            WriteAt(s, f, OtaState.Confirmed, 1, 0, 1);
            WriteAt(s, f, OtaState.Downloading, 1, 1, 0);
            WriteAt(s, f, OtaState.Staged, 0, 0, 1);       // slot 2 would leave one: a fresh sector
            WriteAt(s, f, OtaState.Installing, 0, 1, 0);
            WriteAt(s, f, OtaState.Trial, 0, 2, 0);
        }

        [TestMethod]
        public void UpdateCyclesNeverEraseDuringTheInstallBoot()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateStore s = new OtaStateStore(f);
            s.WriteNext(Confirmed(), false);
            OtaState[] steps = new OtaState[] { OtaState.Downloading, OtaState.Staged, OtaState.Installing, OtaState.Trial, OtaState.Confirmed };
            int total = 0;
            for (int c = 0; c < 40; c++)
            {
                int cycle = 0;
                for (int i = 0; i < steps.Length; i++)
                {
                    OtaStateRecord r = s.ReadCurrent();
                    r.State = steps[i];
                    int before = f.Erases;
                    s.WriteNext(r, false);
                    int erased = f.Erases - before;
                    if (steps[i] == OtaState.Installing || steps[i] == OtaState.Trial) Assert.AreEqual(0, erased, "cycle " + c + " " + steps[i]);
                    cycle += erased;
                }

                Assert.IsTrue(cycle <= 2, "cycle " + c + ": " + cycle + " erases");
                total += cycle;
            }

            Assert.IsTrue(total >= 40 && total <= 80, total + " erases in 40 cycles");
        }

        [TestMethod]
        public void OldLayoutWithRecordsAtSlotZeroReadsTheSame()
        {
            StateTestFlash f = new StateTestFlash(0x2000);
            OtaStateRecord a = Confirmed();
            a.Seq = 6;
            a.WriteTo(f.Memory, 0);
            OtaStateRecord b = Confirmed();
            b.Seq = 7;
            b.State = OtaState.Trial;
            b.WriteTo(f.Memory, 0x1000);
            f.Memory[0x1000 + OtaStateRecord.TrialOffset] = 0xFE;
            OtaStateStore s = new OtaStateStore(f);
            Assert.AreEqual(OtaState.Trial, s.State);
            Assert.AreEqual(1, s.CurrentSector);
            Assert.AreEqual(0, s.CurrentSlot);
            Assert.AreEqual(1, s.CountTrialBoots());
            WriteAt(s, f, OtaState.Confirmed, 1, 1, 0);
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
            Assert.AreEqual(0, s.CurrentSector);
            Assert.AreEqual(1, s.CurrentSlot);
            Assert.AreEqual(5, s.CountDurableBlocks());
            Assert.AreEqual((byte)0xF8, f.Memory[0x500]);
            OtaStateRecord staged = s.ReadCurrent();
            staged.State = OtaState.Staged;
            s.WriteNext(staged, false);
            Assert.AreEqual(1, s.CurrentSector);
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

        // Writes `writes` records (the first CONFIRMED with durable blocks 0 and 1), then cuts the
        // next write (progress kept) after every 7th programmed byte: the old or the new record is
        // current, the bitmap survives, and the following write succeeds past any torn slot.
        private static void CutEveryFewBytes(int writes, int newSector, int newSlot, OtaState state)
        {
            int cuts = 0;
            for (int cut = 0; cut < 0x200 + 0x100 + 4 + 7; cut += 7)
            {
                StateTestFlash f = new StateTestFlash(0x2000);
                OtaStateStore s = new OtaStateStore(f);
                OtaStateRecord first = Confirmed();
                first.State = OtaState.Downloading;
                s.WriteNext(first, false);
                s.MarkBlockDurable(0);
                s.MarkBlockDurable(1);
                for (int i = 1; i < writes; i++) s.WriteNext(s.ReadCurrent(), true);
                int oldSector = s.CurrentSector;
                int oldSlot = s.CurrentSlot;
                OtaStateRecord next = s.ReadCurrent();
                uint oldSeq = next.Seq;
                next.State = state;
                f.CutAfterBytes = cut;
                OtaError err = OtaAssert.ErrorOf(() => s.WriteNext(next, true));
                f.CutAfterBytes = -1;
                OtaStateStore after = new OtaStateStore(f);
                OtaStateRecord r = after.ReadCurrent();
                Assert.IsNotNull(r);
                if (err == OtaError.FlashPowerCut)
                {
                    Assert.AreEqual(OtaState.Downloading, r.State);
                    Assert.AreEqual(oldSeq, r.Seq);
                    Assert.AreEqual(oldSector, after.CurrentSector);
                    Assert.AreEqual(oldSlot, after.CurrentSlot);
                    cuts++;
                }
                else
                {
                    Assert.AreEqual(OtaError.Ok, err);
                    Assert.AreEqual(state, r.State);
                    Assert.AreEqual(oldSeq + 1, r.Seq);
                    Assert.AreEqual(newSector, after.CurrentSector);
                    Assert.AreEqual(newSlot, after.CurrentSlot);
                }

                Assert.AreEqual(2, after.CountLeadingDurableBlocks(10), "cut " + cut);
                int wasSector = after.CurrentSector;
                int wasSlot = after.CurrentSlot;
                OtaStateRecord again = after.ReadCurrent();
                again.State = OtaState.Confirmed;
                after.WriteNext(again, false);
                OtaStateStore last = new OtaStateStore(f);
                Assert.AreEqual(OtaState.Confirmed, last.State);
                Assert.AreEqual(again.Seq, last.ReadCurrent().Seq);
                Assert.IsTrue(last.CurrentSector != wasSector || last.CurrentSlot != wasSlot);
            }

            Assert.IsTrue(cuts >= 0x300 / 7, cuts + " cuts");
        }

        [TestMethod]
        public void PowerCutInsideASlotWriteKeepsTheOldRecord()
        {
            CutEveryFewBytes(2, 0, 2, OtaState.Downloading);
        }

        [TestMethod]
        public void PowerCutAtTheSectorSwitchKeepsTheOldRecord()
        {
            CutEveryFewBytes(4, 1, 0, OtaState.Downloading); // slot 3 current: erase + slot 0 of sector 1
            CutEveryFewBytes(2, 1, 0, OtaState.Staged);      // STAGED's reserve forces the switch
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
