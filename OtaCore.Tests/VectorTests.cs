#if !NANOFRAMEWORK_1_0
using System;
using System.Collections;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OtaCore;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;

namespace OtaCore.Tests
{
    /// <summary>
    /// The shared test vectors (test-vectors/, made by generate.py, an independent Python
    /// reference): the C suite reads the same files. Host only: the device has no file system.
    /// </summary>
    [TestClass]
    public class VectorTests
    {
        private static string Dir(string sub)
        {
            string d = Path.Combine(AppContext.BaseDirectory, "test-vectors", sub);
            Assert.IsTrue(Directory.Exists(d), "missing " + d);
            return d;
        }

        private static Hashtable Expect(string path)
        {
            Hashtable h = new Hashtable();
            ArrayList entries = new ArrayList();
            foreach (string raw in File.ReadAllLines(path))
            {
                if (raw.Length == 0 || raw[0] == '#') continue;
                int eq = raw.IndexOf('=');
                string k = raw.Substring(0, eq), v = raw.Substring(eq + 1);
                if (k == "entry") entries.Add(v); else h[k] = v;
            }

            h["entries"] = entries;
            return h;
        }

        private static long Num(object v)
        {
            string s = (string)v;
            return s.StartsWith("0x") ? Convert.ToInt64(s.Substring(2), 16) : long.Parse(s);
        }

        private static byte[] Md5(byte[] d, int o, int n)
        {
            return System.Security.Cryptography.MD5.HashData(new ReadOnlySpan<byte>(d, o, n));
        }

        [TestMethod]
        public void CrcVectors()
        {
            string[] files = Directory.GetFiles(Dir("crc"), "*.bin");
            Assert.IsTrue(files.Length >= 5);
            foreach (string f in files)
            {
                byte[] data = File.ReadAllBytes(f);
                uint want = Convert.ToUInt32(File.ReadAllText(Path.ChangeExtension(f, ".crc")).Trim(), 16);
                Assert.AreEqual(want, Crc32.Compute(data, 0, data.Length), f);
            }
        }

        [TestMethod]
        public void ImageVectors()
        {
            string[] files = Directory.GetFiles(Dir("images"), "*.img");
            Assert.IsTrue(files.Length >= 30);
            int good = 0, bad = 0;
            foreach (string f in files)
            {
                string name = Path.GetFileName(f);
                Hashtable e = Expect(Path.ChangeExtension(f, ".expect"));
                byte[] img = File.ReadAllBytes(f);
                int want = (int)Num(e["outer_error"]);
                ImageHeader h = null;
                OtaError got = OtaAssert.ErrorOf(() => h = ImageHeader.ParseImage(img, 0, img.Length));
                Assert.AreEqual((OtaError)want, got, name);
                if (want != 0)
                {
                    bad++;
                    continue;
                }

                good++;
                Assert.AreEqual(Num(e["magic_no"]), (long)h.MagicNo, name);
                Assert.AreEqual(Num(e["img_attr"]), (long)h.Attr, name);
                Assert.AreEqual(Num(e["img_type"]), (long)h.ImgType, name);
                Assert.AreEqual(Num(e["compress_type"]), (long)h.CompressType, name);
                Assert.AreEqual(Num(e["img_addr"]), (long)h.ImgAddr, name);
                Assert.AreEqual(Num(e["img_len"]), (long)h.ImgLen, name);
                Assert.AreEqual(Num(e["img_header_addr"]), (long)h.ImgHeaderAddr, name);
                Assert.AreEqual(Num(e["upgrade_img_addr"]), (long)h.UpgradeImgAddr, name);
                Assert.AreEqual(Num(e["org_checksum"]), (long)h.OrgChecksum, name);
                Assert.AreEqual(Num(e["upd_no"]), (long)h.UpdNo, name);
                Assert.AreEqual((string)e["ver"], h.Version, name);
                Assert.AreEqual(Num(e["flags"]), (long)h.Flags, name);
                Assert.AreEqual(Num(e["next"]), (long)h.Next, name);
                Assert.AreEqual(Num(e["hd_checksum"]), (long)h.HdChecksum, name);
                byte[] again = ImageHeader.Parse(img, 0).ToBytes();
                for (int i = 0; i < ImageHeader.Size; i++) Assert.AreEqual(img[i], again[i], name + " byte " + i);
            }

            Assert.IsTrue(good >= 10 && bad >= 20, good + " good, " + bad + " bad");
        }

        [TestMethod]
        public void PartitionVectors()
        {
            int n = 0;
            foreach (string f in Directory.GetFiles(Dir("partitions"), "*.expect"))
            {
                string name = Path.GetFileName(f);
                Hashtable e = Expect(f);
                int want = (int)Num(e["error"]);
                n++;
                if ((string)e["format"] == "bin")
                {
                    byte[] b = File.ReadAllBytes(Path.ChangeExtension(f, ".bin"));
                    PartitionTableException pe = (PartitionTableException)OtaAssert.Catch(() => PartitionTable.ParseBinary(b, 0, b.Length, Md5));
                    Assert.IsNotNull(pe, name);
                    Assert.AreEqual((OtaError)want, pe.Code, name);
                    Assert.AreEqual((int)Num(e["entry_index"]), pe.EntryIndex, name);
                    continue;
                }

                string csv = File.ReadAllText(Path.ChangeExtension(f, ".csv"));
                uint flash = (uint)PartitionTable.ParseNumber((string)e["flash_size"], true);
                PartitionTable t = null;
                OtaException ex = OtaAssert.Catch(() =>
                {
                    t = PartitionTable.ParseCsv(csv);
                    t.Validate(flash);
                });
                if (want != 0)
                {
                    Assert.IsNotNull(ex, name);
                    Assert.AreEqual((OtaError)want, ex.Code, name + ": " + ex.Message);
                    Assert.AreEqual((int)Num(e["line"]), ((PartitionTableException)ex).Line, name);
                    continue;
                }

                Assert.IsNull(ex, name + ": " + (ex == null ? "" : ex.Message));
                Assert.AreEqual((string)e["format"] == "wm", t.IsWinnerMicro, name);
                Assert.AreEqual((int)Num(e["warnings"]), t.Warnings.Count, name);
                ArrayList entries = (ArrayList)e["entries"];
                Assert.AreEqual(entries.Count, t.Count, name);
                for (int i = 0; i < t.Count; i++)
                {
                    string[] p = ((string)entries[i]).Split(',');
                    Assert.AreEqual(p[0], t[i].Name, name);
                    Assert.AreEqual(Num(p[1]), (long)t[i].Type, name);
                    Assert.AreEqual(Num(p[2]), (long)t[i].SubType, name);
                    Assert.AreEqual(Num(p[3]), (long)t[i].Offset, name);
                    Assert.AreEqual(Num(p[4]), (long)t[i].Size, name);
                    Assert.AreEqual(Num(p[5]), (long)t[i].Flags, name);
                }

                if (e.ContainsKey("binary"))
                {
                    byte[] want_bin = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(f), (string)e["binary"]));
                    byte[] bin = new byte[PartitionTable.BinaryLength];
                    t.WriteBinary(bin, 0, Md5);
                    CollectionAssert.AreEqual(want_bin, bin, name);
                    PartitionTable back = PartitionTable.ParseBinary(want_bin, 0, want_bin.Length, Md5);
                    Assert.AreEqual(t.Count, back.Count, name);
                    back.Validate(flash);
                }
            }

            Assert.IsTrue(n >= 20, n + " partition vectors");
        }

        // The record-log rule of a `next=S:K:E` key: a write of `state` from the vector's otadata
        // lands in sector S slot K, erasing first when E = 1, and reads back as the current record.
        private static void CheckNextSlot(string file, Hashtable e, string key, OtaState state)
        {
            if (!e.ContainsKey(key)) return;
            string name = Path.GetFileName(file) + " " + key;
            string[] p = ((string)e[key]).Split(':');
            StateTestFlash flash = new StateTestFlash(File.ReadAllBytes(file));
            OtaStateStore s = new OtaStateStore(flash);
            OtaStateRecord next = s.ReadCurrent();
            uint seq = next.Seq + 1;
            next.State = state;
            s.WriteNext(next, true);
            Assert.AreEqual(int.Parse(p[0]), s.CurrentSector, name);
            Assert.AreEqual(int.Parse(p[1]), s.CurrentSlot, name);
            Assert.AreEqual(int.Parse(p[2]), flash.Erases, name);
            OtaStateStore back = new OtaStateStore(flash);
            OtaStateRecord r = back.ReadCurrent();
            Assert.AreEqual(int.Parse(p[0]), back.CurrentSector, name);
            Assert.AreEqual(int.Parse(p[1]), back.CurrentSlot, name);
            Assert.AreEqual(seq, r.Seq, name);
            Assert.AreEqual(state, r.State, name);
        }

        [TestMethod]
        public void StateVectors()
        {
            string[] files = Directory.GetFiles(Dir("state"), "*.bin");
            Assert.IsTrue(files.Length >= 7);
            foreach (string f in files)
            {
                string name = Path.GetFileName(f);
                Hashtable e = Expect(Path.ChangeExtension(f, ".expect"));
                StateTestFlash flash = new StateTestFlash(File.ReadAllBytes(f));
                OtaStateStore s = new OtaStateStore(flash);
                OtaStateRecord r = s.ReadCurrent();
                Assert.AreEqual(Num(e["state"]), (long)s.State, name);
                if ((string)e["valid"] == "0")
                {
                    Assert.IsNull(r, name);
                    Assert.AreEqual(-1, s.CurrentSector, name);
                    continue;
                }

                Assert.AreEqual(Num(e["sector"]), (long)s.CurrentSector, name);
                Assert.AreEqual(Num(e["slot"]), (long)s.CurrentSlot, name);
                Assert.AreEqual(Num(e["seq"]), (long)r.Seq, name);
                Assert.AreEqual(Num(e["last_error"]), (long)r.LastError, name);
                Assert.AreEqual((string)e["staged_header"], Convert.ToHexString(r.StagedHeaderBytes).ToLowerInvariant(), name);
                Assert.AreEqual((string)e["installed_header"], Convert.ToHexString(r.InstalledHeaderBytes).ToLowerInvariant(), name);
                Assert.AreEqual((string)e["source_tag"], Convert.ToHexString(r.SourceTag).ToLowerInvariant(), name);
                Assert.AreEqual(Num(e["max_upd_no"]), (long)r.MaxUpdNo, name);
                Assert.AreEqual(Num(e["install_count"]), (long)r.InstallCount, name);
                Assert.AreEqual(Num(e["install_attempts"]), (long)r.InstallAttempts, name);
                Assert.AreEqual(Num(e["flags"]), (long)r.Flags, name);
                Assert.AreEqual(Num(e["durable_blocks"]), (long)s.CountDurableBlocks(), name);
                Assert.AreEqual(Num(e["trial_boots"]), (long)s.CountTrialBoots(), name);
                if (e.ContainsKey("durable_list"))
                {
                    foreach (string b in ((string)e["durable_list"]).Split(',')) Assert.IsTrue(s.IsBlockDurable(int.Parse(b)), name + " block " + b);
                    Assert.IsFalse(s.IsBlockDurable(3), name);
                    Assert.AreEqual(Num(e["leading_durable"]), (long)s.CountLeadingDurableBlocks(4096), name);
                }

                // Re-encoding the fields gives the record bytes of the vector.
                byte[] enc = new byte[OtaStateRecord.Size];
                r.WriteTo(enc, 0);
                int at = (int)s.CurrentRecordOffset;
                for (int i = 0; i < enc.Length; i++) Assert.AreEqual(flash.Memory[at + i], enc[i], name + " byte " + i);
                CheckNextSlot(f, e, "next", OtaState.Confirmed);
                CheckNextSlot(f, e, "next_staged", OtaState.Staged);
            }
        }
    }
}
#endif
