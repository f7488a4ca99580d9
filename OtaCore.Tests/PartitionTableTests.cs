#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Partitions;

namespace OtaCore.Tests
{
    [TestClass]
    public class PartitionTableTests
    {
        private const string Default =
            "# Name, Type, SubType, Offset, Size, Flags\n" +
            "nvs,      data, nvs,      0x9000,   0x14000,\n" +
            "phy_init, data, phy,      0x1D000,  0x1000,\n" +
            "otadata,  data, ota,      0x1E000,  0x2000,\n" +
            "app,      app,  factory,  0x20000,  0x1C0000,\n" +
            "app_ota,  app,  ota_0,    0x1E0000, 0x110000,\n" +
            "deploy,   data, 0x84,     0x2F0000, 0x80000,\n" +
            "config,   data, littlefs, 0x370000, 0x90000,\n";

        private static PartitionTableException Fails(string csv)
        {
            OtaException e = OtaAssert.Catch(() => PartitionTable.ParseCsv(csv).Validate(0x400000));
            Assert.IsNotNull(e);
            return (PartitionTableException)e;
        }

        /// <summary>Not MD5: the binary round trip here checks the layout; VectorTests check the real MD5.</summary>
        private static byte[] Sum16(byte[] d, int o, int n)
        {
            byte[] r = new byte[16];
            for (int i = 0; i < n; i++) r[i & 15] += d[o + i];
            return r;
        }

        [TestMethod]
        public void DefaultLayoutParsesAndFindsTheRoles()
        {
            PartitionTable t = PartitionTable.ParseCsv(Default);
            t.Validate(0x400000);
            Assert.AreEqual(7, t.Count);
            Assert.AreEqual(0, t.Warnings.Count);
            Assert.AreEqual("app", t.App.Name);
            Assert.AreEqual(0x20000u, t.App.Offset);
            Assert.AreEqual("app_ota", t.Staging.Name);
            Assert.AreEqual(0x110000u, t.Staging.Size);
            Assert.AreEqual("otadata", t.OtaData.Name);
            Assert.AreEqual(0x84, t.Find("deploy").SubType);
            Assert.AreEqual(0x83, t.Find("config").SubType);
            Assert.AreEqual(6, t.Find("app_ota").Line);
            Assert.IsNull(t.Find("nope"));
            Assert.AreEqual("deploy", t.FindByOffset(0x2F1234).Name);
        }

        [TestMethod]
        public void EmptyOffsetsAreAutoPlacedWithAlignmentAndSuffixes()
        {
            PartitionTable t = PartitionTable.ParseCsv("nvs,data,nvs,,20K\notadata,data,ota,,8k\napp,app,factory,,1M\napp_ota,app,ota_1,,0x90000\n");
            t.Validate(0x400000);
            Assert.AreEqual(0x9000u, t[0].Offset);
            Assert.AreEqual(0x5000u, t[0].Size);
            Assert.AreEqual(0xE000u, t[1].Offset);
            Assert.AreEqual(0x10000u, t[2].Offset);
            Assert.AreEqual(0x100000u, t[2].Size);
            Assert.AreEqual(0x110000u, t[3].Offset);
            Assert.AreEqual(0x11, t[3].SubType);
            Assert.AreEqual("app_ota", t.Staging.Name);
            Assert.AreEqual(1, t.Warnings.Count);
        }

        [TestMethod]
        public void ErrorsCarryCodeAndLine()
        {
            string b = "nvs,data,nvs,0x9000,0x6000\notadata,data,ota,0xF000,0x2000\n";
            PartitionTableException e = Fails(b + "\n# comment\napp,app,factory,0x20000,12Q\n");
            Assert.AreEqual(OtaError.PtSyntax, e.Code);
            Assert.AreEqual(5, e.Line);
            Assert.IsTrue(e.Message.StartsWith("E701 PT_SYNTAX: line 5: "));
            e = Fails(b + "app,app,factory,0x28000,0x100000\napp_ota,app,ota_0,0x130000,0xA0000\n");
            Assert.AreEqual(OtaError.PtAlign, e.Code);
            Assert.AreEqual(3, e.Line);
            e = Fails(b + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x110000,0xA0000\n");
            Assert.AreEqual(OtaError.PtOverlap, e.Code);
            Assert.AreEqual(4, e.Line);
            e = Fails(b + "app,app,factory,0x20000,0x100000\n");
            Assert.AreEqual(OtaError.PtMissing, e.Code);
            Assert.AreEqual(0, e.Line);
            e = Fails(b + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0x66000\n");
            Assert.AreEqual(OtaError.PtStagingSmall, e.Code);
            e = Fails(b + "app,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x3F0000,0x20000\n");
            Assert.AreEqual(OtaError.PtRange, e.Code);
            e = Fails(b + "otadata,data,ota,0x11000,0x2000\n");
            Assert.AreEqual(OtaError.PtDuplicate, e.Code);
            Assert.AreEqual(3, e.Line);
        }

        [TestMethod]
        public void StagingBetween40And60PercentIsAWarning()
        {
            PartitionTable t = PartitionTable.ParseCsv("nvs,data,nvs,0x9000,0x6000\notadata,data,ota,0xF000,0x2000\napp,app,factory,0x20000,0x100000\napp_ota,app,ota_0,0x120000,0x80000\n");
            t.Validate(0x400000);
            Assert.AreEqual(1, t.Warnings.Count);
            Assert.IsTrue(((string)t.Warnings[0]).IndexOf("50.0 %") > 0);
            Assert.IsTrue(((string)t.Warnings[0]).IndexOf("% of app") > 0);
        }

        [TestMethod]
        public void WinnerMicroFourColumnCsvIsRecognised()
        {
            PartitionTable t = PartitionTable.ParseCsv("# name, offset, size, flag\nbootloader,0x2000,0xC000,0x0\notadata,0xF000,0x2000,0x0\napp,0x20000,0x100000,0x0\napp_ota,0x120000,0xA0000,0x0\n");
            Assert.IsTrue(t.IsWinnerMicro);
            t.Validate(0x200000);
            Assert.AreEqual(PartitionTypes.App, t.App.Type);
            Assert.AreEqual(PartitionTypes.Ota0, t.Staging.SubType);
            Assert.AreEqual("otadata", t.OtaData.Name);
            Assert.AreEqual(PartitionTypes.DataUndefined, t.Find("bootloader").SubType);
        }

        [TestMethod]
        public void BinaryAndCsvRoundTrip()
        {
            PartitionTable t = PartitionTable.ParseCsv(Default + "extra,0x40,0x01,0x3F0000,0x10000,encrypted:readonly\n");
            byte[] bin = new byte[PartitionTable.BinaryLength];
            t.WriteBinary(bin, 0, Sum16);
            Assert.AreEqual((byte)0xAA, bin[0]);
            Assert.AreEqual((byte)0x50, bin[1]);
            Assert.AreEqual((byte)0xEB, bin[8 * 32]);
            Assert.AreEqual((byte)0xFF, bin[9 * 32]);
            PartitionTable back = PartitionTable.ParseBinary(bin, 0, bin.Length, Sum16);
            Assert.AreEqual(8, back.Count);
            PartitionTable again = PartitionTable.ParseCsv(back.ToCsv());
            for (int i = 0; i < t.Count; i++)
            {
                Assert.AreEqual(t[i].Name, again[i].Name);
                Assert.AreEqual(t[i].Type, again[i].Type);
                Assert.AreEqual(t[i].SubType, again[i].SubType);
                Assert.AreEqual(t[i].Offset, again[i].Offset);
                Assert.AreEqual(t[i].Size, again[i].Size);
                Assert.AreEqual(t[i].Flags, again[i].Flags);
            }

            bin[8 * 32 + 20] ^= 1;
            PartitionTableException e = (PartitionTableException)OtaAssert.Catch(() => PartitionTable.ParseBinary(bin, 0, bin.Length, Sum16));
            Assert.AreEqual(OtaError.PtBinary, e.Code);
            Assert.AreEqual(8, e.EntryIndex);
            Assert.AreEqual(8, PartitionTable.ParseBinary(bin, 0, bin.Length, null).Count);
        }

        [TestMethod]
        public void NumbersAcceptHexDecimalAndSuffixes()
        {
            Assert.AreEqual(0x1C0000L, PartitionTable.ParseNumber("1792K", true));
            Assert.AreEqual(0x400000L, PartitionTable.ParseNumber("4M", true));
            Assert.AreEqual(0x400000L, PartitionTable.ParseNumber("4MB", true));
            Assert.AreEqual(0x1E000L, PartitionTable.ParseNumber("0x1E000", true));
            Assert.AreEqual(123L, PartitionTable.ParseNumber("123", false));
            Assert.AreEqual(-1L, PartitionTable.ParseNumber("4M", false));
            Assert.AreEqual(-1L, PartitionTable.ParseNumber("0x", true));
            Assert.AreEqual(-1L, PartitionTable.ParseNumber("0x100000000", true));
        }
    }
}
