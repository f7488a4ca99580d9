#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Image;

namespace OtaCore.Tests
{
    [TestClass]
    public class ImageHeaderTests
    {
        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
            return b;
        }

        private static ImageHeader Sample()
        {
            ImageHeader h = new ImageHeader();
            h.ImgType = ImageType.App;
            h.ImgAddr = 0x20000;
            h.ImgLen = 1024;
            h.ImgHeaderAddr = 0x1E000;
            h.UpgradeImgAddr = 0x1E0000;
            h.OrgChecksum = 0x12345678;
            h.UpdNo = 3;
            h.Version = "1.2.3";
            return h;
        }

        private static OtaError ParseError(byte[] b)
        {
            try
            {
                ImageHeader.Parse(b, 0);
                return OtaError.Ok;
            }
            catch (OtaException e)
            {
                return e.Code;
            }
        }

        /// <summary>Changes one 32-bit field and re-seals the header CRC, so only that field is wrong.</summary>
        private static byte[] WithField(int offset, uint value)
        {
            byte[] b = Sample().ToBytes();
            ImageHeader.WriteU32(b, offset, value);
            ImageHeader.WriteU32(b, 60, Crc32.Compute(b, 0, 60));
            return b;
        }

        [TestMethod]
        public void CrcCheckValueHasNoFinalXor()
        {
            Assert.AreEqual(0x340BC6D9u, Crc32.Compute(Ascii("123456789"), 0, 9));
            uint part = Crc32.Update(Crc32.Initial, Ascii("1234"), 0, 4);
            Assert.AreEqual(0x340BC6D9u, Crc32.Update(part, Ascii("56789"), 0, 5));
        }

        [TestMethod]
        public void ByteLayoutMatchesHandComputedOffsets()
        {
            ImageHeader h = Sample();
            h.Compressed = true;
            h.SkipUpgradeCheck = true;
            h.LogLevel = 2;
            byte[] b = new byte[70];
            h.WriteTo(b, 3);
            Assert.AreEqual((byte)0x9F, b[3]);
            Assert.AreEqual((byte)0xFF, b[4]);
            Assert.AreEqual((byte)0xFF, b[5]);
            Assert.AreEqual((byte)0xA0, b[6]);
            Assert.AreEqual(0x00100001u, ImageHeader.ReadU32(b, 3 + 0x04));
            Assert.AreEqual(0x20000u, ImageHeader.ReadU32(b, 3 + 0x08));
            Assert.AreEqual(1024u, ImageHeader.ReadU32(b, 3 + 0x0C));
            Assert.AreEqual(0x1E000u, ImageHeader.ReadU32(b, 3 + 0x10));
            Assert.AreEqual(0x1E0000u, ImageHeader.ReadU32(b, 3 + 0x14));
            Assert.AreEqual((byte)0x78, b[3 + 0x18]);
            Assert.AreEqual(3u, ImageHeader.ReadU32(b, 3 + 0x1C));
            Assert.AreEqual((byte)'1', b[3 + 0x20]);
            Assert.AreEqual((byte)'3', b[3 + 0x24]);
            Assert.AreEqual((byte)0, b[3 + 0x25]);
            Assert.AreEqual(0x12u, ImageHeader.ReadU32(b, 3 + 0x30));
            Assert.AreEqual(Crc32.Compute(b, 3, 60), ImageHeader.ReadU32(b, 3 + 0x3C));
            Assert.AreEqual(h.HdChecksum, ImageHeader.ReadU32(b, 3 + 0x3C));
        }

        [TestMethod]
        public void RoundTripKeepsEveryField()
        {
            ImageHeader h = Sample();
            h.ImgType = ImageType.Data;
            h.EraseAlways = true;
            h.EraseBlockEnable = true;
            h.SkipIntegrityCheck = true;
            h.SkipEscCheck = true;
            h.Signed = true;
            h.PrikeySel = 5;
            byte[] b = h.ToBytes();
            ImageHeader p = ImageHeader.Parse(b, 0);
            Assert.AreEqual(ImageType.Data, p.ImgType);
            Assert.IsFalse(p.Compressed);
            Assert.AreEqual(0x20000u, p.ImgAddr);
            Assert.AreEqual(1024u, p.ImgLen);
            Assert.AreEqual(0x1E000u, p.ImgHeaderAddr);
            Assert.AreEqual(0x1E0000u, p.UpgradeImgAddr);
            Assert.AreEqual(0x12345678u, p.OrgChecksum);
            Assert.AreEqual(3u, p.UpdNo);
            Assert.AreEqual("1.2.3", p.Version);
            Assert.IsTrue(p.EraseAlways);
            Assert.IsTrue(p.EraseBlockEnable);
            Assert.IsTrue(p.SkipIntegrityCheck);
            Assert.IsTrue(p.SkipEscCheck);
            Assert.IsFalse(p.SkipUpgradeCheck);
            Assert.IsTrue(p.Signed);
            Assert.AreEqual(5, p.PrikeySel);
            Assert.AreEqual(h.Attr, p.Attr);
            Assert.AreEqual(h.Flags, p.Flags);
            Assert.AreEqual(0u, p.Next);
            Assert.AreEqual(h.HdChecksum, p.HdChecksum);
            Assert.AreEqual(64L + 1024 + 256, p.TotalLength);
        }

        [TestMethod]
        public void EachMalformedFieldHasItsOwnError()
        {
            byte[] good = Sample().ToBytes();
            Assert.AreEqual(OtaError.Ok, ParseError(good));
            Assert.AreEqual(OtaError.ImgTruncated, ParseError(new byte[63]));
            Assert.AreEqual(OtaError.ImgMagic, ParseError(WithField(0x00, 0x9FFFFFA0)));
            byte[] crc = Sample().ToBytes();
            crc[0x21] ^= 0x01;
            Assert.AreEqual(OtaError.ImgHeaderCrc, ParseError(crc));
            Assert.AreEqual(OtaError.ImgType, ParseError(WithField(0x04, 0)));
            Assert.AreEqual(OtaError.ImgType, ParseError(WithField(0x04, 0xF)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x11)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x10001)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x20001)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x41)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x401)));
            Assert.AreEqual(OtaError.ImgAttr, ParseError(WithField(0x04, 0x00400001)));
            Assert.AreEqual(OtaError.ImgCompress, ParseError(WithField(0x04, 0x00200001)));
            Assert.AreEqual(OtaError.ImgCompress, ParseError(WithField(0x04, 0x00300001)));
            Assert.AreEqual(OtaError.ImgLength, ParseError(WithField(0x0C, 0)));
            Assert.AreEqual(OtaError.ImgLength, ParseError(WithField(0x0C, 1023)));
            Assert.AreEqual(OtaError.ImgVersion, ParseError(WithField(0x20, 0)));
            Assert.AreEqual(OtaError.ImgVersion, ParseError(WithField(0x20, 0x0A302E31)));
            Assert.AreEqual(OtaError.ImgFlags, ParseError(WithField(0x30, 0x40)));
            Assert.AreEqual(OtaError.ImgFlags, ParseError(WithField(0x30, 0x80000000)));
            Assert.AreEqual(OtaError.ImgReserved, ParseError(WithField(0x34, 1)));
            Assert.AreEqual(OtaError.ImgNext, ParseError(WithField(0x38, 64)));
        }

        [TestMethod]
        public void VersionMustBeNulTerminatedWithin16Bytes()
        {
            byte[] b = Sample().ToBytes();
            for (int i = 0; i < 16; i++) b[0x20 + i] = (byte)'7';
            ImageHeader.WriteU32(b, 60, Crc32.Compute(b, 0, 60));
            Assert.AreEqual(OtaError.ImgVersion, ParseError(b));
            b[0x2F] = 0;
            ImageHeader.WriteU32(b, 60, Crc32.Compute(b, 0, 60));
            Assert.AreEqual("777777777777777", ImageHeader.Parse(b, 0).Version);
        }

        [TestMethod]
        public void VersionSetterRejectsWhatTheFieldCannotHold()
        {
            ImageHeader h = new ImageHeader();
            Assert.AreEqual(OtaError.ImgVersion, OtaAssert.ErrorOf(() => h.Version = ""));
            Assert.AreEqual(OtaError.ImgVersion, OtaAssert.ErrorOf(() => h.Version = "1234567890123456"));
            Assert.AreEqual(OtaError.ImgVersion, OtaAssert.ErrorOf(() => h.Version = "1.0\t"));
            h.Version = "123456789012345";
            Assert.AreEqual("123456789012345", h.Version);
        }

        [TestMethod]
        public void BodyCrcTruncationAndTrailingAreChecked()
        {
            byte[] img = new byte[64 + 16];
            for (int i = 0; i < 16; i++) img[64 + i] = (byte)(i * 7);
            ImageHeader h = Sample();
            h.ImgLen = 16;
            h.OrgChecksum = Crc32.Compute(img, 64, 16);
            h.WriteTo(img, 0);
            Assert.AreEqual(16u, ImageHeader.ParseImage(img, 0, img.Length).ImgLen);
            Assert.AreEqual(OtaError.ImgTruncated, OtaAssert.ErrorOf(() => ImageHeader.ParseImage(img, 0, img.Length - 4)));
            byte[] longer = new byte[img.Length + 4];
            System.Array.Copy(img, longer, img.Length);
            Assert.AreEqual(OtaError.ImgTrailing, OtaAssert.ErrorOf(() => ImageHeader.ParseImage(longer, 0, longer.Length)));
            img[70] ^= 0x80;
            OtaException e = OtaAssert.Catch(() => ImageHeader.ParseImage(img, 0, img.Length));
            Assert.AreEqual(OtaError.ImgBodyCrc, e.Code);
            Assert.IsTrue(e.Message.StartsWith("E108 IMG_BODY_CRC: "));
        }

        [TestMethod]
        public void InnerHeaderMustMatchOuter()
        {
            ImageHeader outer = Sample();
            outer.Compressed = true;
            ImageHeader inner = Sample();
            outer.CheckInner(inner);
            inner.Version = "1.2.4";
            Assert.AreEqual(OtaError.ImgInnerMismatch, OtaAssert.ErrorOf(() => outer.CheckInner(inner)));
            inner = Sample();
            inner.UpdNo = 4;
            Assert.AreEqual(OtaError.ImgInnerMismatch, OtaAssert.ErrorOf(() => outer.CheckInner(inner)));
            inner = Sample();
            inner.ImgAddr = 0x30000;
            Assert.AreEqual(OtaError.ImgInnerMismatch, OtaAssert.ErrorOf(() => outer.CheckInner(inner)));
            inner = Sample();
            inner.Compressed = true;
            Assert.AreEqual(OtaError.ImgInnerMismatch, OtaAssert.ErrorOf(() => outer.CheckInner(inner)));
        }

        [TestMethod]
        public void VersionsCompareAsDottedNumbers()
        {
            Assert.IsTrue(ImageHeader.CompareVersions("1.2.10", "1.2.9") > 0);
            Assert.IsTrue(ImageHeader.CompareVersions("1.2.9", "1.2.10") < 0);
            Assert.AreEqual(0, ImageHeader.CompareVersions("1.2.3", "1.2.3"));
            Assert.AreEqual(0, ImageHeader.CompareVersions("1.2", "1.2.0"));
            Assert.AreEqual(0, ImageHeader.CompareVersions("01.002", "1.2"));
            Assert.IsTrue(ImageHeader.CompareVersions("1.2.1", "1.2") > 0);
            Assert.IsTrue(ImageHeader.CompareVersions("2.0", "10.0") < 0);
            Assert.IsTrue(ImageHeader.CompareVersions("1.0-rc2", "1.0-rc1") > 0);
            Assert.IsTrue(ImageHeader.CompareVersions("1.0.b", "1.0.a") > 0);
            Assert.IsTrue(ImageHeader.CompareVersions("99999999999999.1", "99999999999998.9") > 0);
        }
    }
}
