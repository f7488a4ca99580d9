#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.Globalization;
using System.IO;
using OtaCore.State;

namespace OtaCore.Tests.DataUpdate
{
    /// <summary>
    /// The data-update fields of the state record (docs/design.md section 15) against the vectors
    /// of the independent Python reference (test-vectors/generate_data_state.py), which the C
    /// reader checks too (bootloader-native/tests/test_data_update.c); and their round trip.
    /// </summary>
    [TestClass]
    public class DataStateVectorTests
    {
        private static string Dir => Path.Combine(AppContext.BaseDirectory, "test-vectors", "data-state");

        private static uint Value(string[] lines, string key)
        {
            foreach (string l in lines)
            {
                if (l.StartsWith(key + "=", StringComparison.Ordinal))
                {
                    string v = l.Substring(key.Length + 1);
                    return v.StartsWith("0x", StringComparison.Ordinal)
                        ? uint.Parse(v.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                        : uint.Parse(v, CultureInfo.InvariantCulture);
                }
            }
            throw new InvalidDataException("vector key missing: " + key);
        }

        private static void Check(string name)
        {
            byte[] bin = File.ReadAllBytes(Path.Combine(Dir, name + ".bin"));
            string[] exp = File.ReadAllLines(Path.Combine(Dir, name + ".expect"));
            OtaStateStore store = new OtaStateStore(new StateTestFlash(bin));
            OtaStateRecord r = store.ReadCurrent();
            Assert.IsNotNull(r);
            Assert.AreEqual((int)Value(exp, "sector"), store.CurrentSector);
            Assert.AreEqual(Value(exp, "seq"), r.Seq);
            Assert.AreEqual(Value(exp, "state"), (uint)r.State);
            Assert.AreEqual(Value(exp, "data_state"), r.DataState);
            Assert.AreEqual(Value(exp, "data_target"), r.DataTarget);
            Assert.AreEqual(Value(exp, "data_backup_addr"), r.DataBackupAddr);
            Assert.AreEqual(Value(exp, "data_backup_len"), r.DataBackupLen);
            Assert.AreEqual(Value(exp, "data_backup_crc"), r.DataBackupCrc);
            Assert.AreEqual((int)Value(exp, "trial_boots"), store.CountTrialBoots());
            if (name != "data_reserved")
            {
                // re-encoding gives the reference's bytes: both languages write the same record
                byte[] again = new byte[OtaStateRecord.Size];
                r.WriteTo(again, 0);
                int at = (int)store.CurrentRecordOffset;
                for (int i = 0; i < OtaStateRecord.Size; i++) Assert.AreEqual(bin[at + i], again[i], "byte 0x" + i.ToString("X3"));
            }
        }

        [TestMethod]
        public void WritingRecordInSector1() => Check("data_writing_s1");

        [TestMethod]
        public void TrialRecordWithTrialBoots() => Check("data_trial_s0");

        [TestMethod]
        public void TornNewerRecordKeepsTheOlderDataUpdate() => Check("data_torn");

        [TestMethod]
        public void ReservedTailIsIgnored() => Check("data_reserved");

        [TestMethod]
        public void CloneAndWriteNextKeepTheDataFields()
        {
            OtaStateStore store = new OtaStateStore(new StateTestFlash(0x2000));
            OtaStateRecord r = new OtaStateRecord();
            r.State = OtaState.Confirmed;
            r.DataState = 2;
            r.DataTarget = 0x2F0000;
            r.DataBackupAddr = 0x1E0000;
            r.DataBackupLen = 0x80000;
            r.DataBackupCrc = 0xCAFEF00D;
            store.WriteNext(r, false);
            OtaStateRecord next = store.ReadCurrent().Clone();
            next.State = OtaState.Downloading; // another writer's change keeps the pending data update
            store.WriteNext(next, false);
            OtaStateRecord back = store.ReadCurrent();
            Assert.AreEqual(OtaState.Downloading, back.State);
            Assert.AreEqual(2u, back.DataState);
            Assert.AreEqual(0x2F0000u, back.DataTarget);
            Assert.AreEqual(0x1E0000u, back.DataBackupAddr);
            Assert.AreEqual(0x80000u, back.DataBackupLen);
            Assert.AreEqual(0xCAFEF00Du, back.DataBackupCrc);
        }
    }
}
