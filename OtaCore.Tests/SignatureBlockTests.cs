#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Image;

namespace OtaCore.Tests
{
    /// <summary>
    /// The signature block format without cryptography: round trips, every format check with its
    /// own code, and strict DER. (Signing and ECDSA are tested in tools/ota.Tests and the C suite.)
    /// </summary>
    [TestClass]
    public class SignatureBlockTests
    {
        // SEQUENCE { INTEGER 0x00FF..., INTEGER 0x11... } with r needing a leading 0x00.
        private static byte[] SampleDer()
        {
            byte[] d = new byte[2 + 2 + 33 + 2 + 32];
            d[0] = 0x30;
            d[1] = (byte)(d.Length - 2);
            d[2] = 0x02;
            d[3] = 33;
            d[4] = 0x00;
            for (int i = 0; i < 32; i++) d[5 + i] = 0xF0;
            d[37] = 0x02;
            d[38] = 32;
            for (int i = 0; i < 32; i++) d[39 + i] = (byte)(0x11 + i);
            return d;
        }

        private static SignatureBlock Sample()
        {
            SignatureBlock b = new SignatureBlock();
            byte[] id = new byte[8];
            for (int i = 0; i < 8; i++) id[i] = (byte)(0xA0 + i);
            byte[] h = new byte[32];
            for (int i = 0; i < 32; i++) h[i] = (byte)(i * 7);
            b.KeyId = id;
            b.ImageSize = 123456;
            b.ImageSha256 = h;
            b.Signature = SampleDer();
            return b;
        }

        private static byte[] Sealed(byte[] raw)
        {
            ImageHeader.WriteU32(raw, SignatureBlock.CrcOffset, Crc32.Compute(raw, 0, SignatureBlock.CrcOffset));
            return raw;
        }

        private static OtaError ParseError(byte[] raw)
        {
            byte[] copy = raw;
            return OtaAssert.ErrorOf(delegate { SignatureBlock.Parse(copy, 0); });
        }

        [TestMethod]
        public void RoundTripKeepsEveryField()
        {
            byte[] raw = Sample().ToBytes();
            Assert.AreEqual(SignatureBlock.Size, raw.Length);
            Assert.AreEqual((byte)'O', raw[0]);
            Assert.AreEqual((byte)0, raw[7]);
            Assert.AreEqual(SampleDer().Length, SignatureBlock.ReadU16(raw, SignatureBlock.SignatureLengthOffset));

            byte[] padded = new byte[SignatureBlock.Size + 10];
            System.Array.Copy(raw, 0, padded, 10, raw.Length);
            SignatureBlock p = SignatureBlock.Parse(padded, 10);
            Assert.AreEqual(1, p.Version);
            Assert.AreEqual(SignatureBlock.AlgorithmEcdsaP256Sha256, p.Algorithm);
            Assert.AreEqual(123456u, p.ImageSize);
            Assert.AreEqual("a0a1a2a3a4a5a6a7", p.KeyIdHex());
            Assert.IsTrue(p.ImageHashEquals(Sample().ImageSha256, 0));
            Assert.IsTrue(p.KeyIdEquals(Sample().KeyId, 0));
            byte[] sig = p.Signature;
            byte[] want = SampleDer();
            Assert.AreEqual(want.Length, sig.Length);
            for (int i = 0; i < want.Length; i++) Assert.AreEqual(want[i], sig[i]);
            Assert.AreEqual(ImageHeader.ReadU32(raw, SignatureBlock.CrcOffset), p.Crc);

            byte[] again = p.ToBytes();
            for (int i = 0; i < raw.Length; i++) Assert.AreEqual(raw[i], again[i]);
        }

        [TestMethod]
        public void OffsetFollowsThePaddedBody()
        {
            ImageHeader h = new ImageHeader();
            h.ImgLen = 1000;
            h.Signed = true;
            Assert.AreEqual(1064L, SignatureBlock.OffsetIn(h));
            Assert.AreEqual(1064L + 256, h.TotalLength);
        }

        [TestMethod]
        public void FormatChecksHaveTheirOwnCodes()
        {
            byte[] good = Sample().ToBytes();
            Assert.AreEqual(OtaError.Ok, ParseError(good));

            byte[] b = Sample().ToBytes();
            b[3] ^= 1;
            Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)));

            b = Sample().ToBytes();
            b[8] = 2;
            Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)));

            b = Sample().ToBytes();
            b[0x30] ^= 0x40; // image hash bit, CRC stale
            Assert.AreEqual(OtaError.SigFormat, ParseError(b));

            b = Sample().ToBytes();
            b[0x0A] = 2;
            Assert.AreEqual(OtaError.SigAlgorithm, ParseError(Sealed(b)));

            int[] reserved = new int[] { 0x0C, 0x0F, 0x1C, 0x40, 0x5F, 0x62, 0x63, 0x64 + 72, 0xFB };
            foreach (int at in reserved)
            {
                b = Sample().ToBytes();
                b[at] = 1;
                Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)), "reserved byte 0x" + at.ToString("X2"));
            }

            b = Sample().ToBytes();
            SignatureBlock.WriteU16(b, SignatureBlock.SignatureLengthOffset, 73);
            Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)));

            b = Sample().ToBytes();
            SignatureBlock.WriteU16(b, SignatureBlock.SignatureLengthOffset, 7);
            Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)));

            b = Sample().ToBytes();
            b[SignatureBlock.SignatureOffset + SampleDer().Length] = 0x01; // padding after the DER
            Assert.AreEqual(OtaError.SigFormat, ParseError(Sealed(b)));

            Assert.AreEqual(OtaError.ImgTruncated, OtaAssert.ErrorOf(delegate { SignatureBlock.Parse(new byte[255], 0); }));
            Assert.AreEqual(OtaError.ImgTruncated, OtaAssert.ErrorOf(delegate { SignatureBlock.Parse(good, 1); }));
        }

        [TestMethod]
        public void OnlyStrictDerIsASignature()
        {
            byte[] ok = new byte[] { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 };
            Assert.IsNull(SignatureDer.Check(ok, 0, ok.Length));
            Assert.IsNull(SignatureDer.Check(SampleDer(), 0, SampleDer().Length));

            byte[][] bad = new byte[][]
            {
                new byte[] { 0x31, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 },       // not a SEQUENCE
                new byte[] { 0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 }, // long-form length
                new byte[] { 0x30, 0x05, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 },       // wrong length
                new byte[] { 0x30, 0x07, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x07 }, // non-minimal r
                new byte[] { 0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07 },       // negative r
                new byte[] { 0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x07 },       // r = 0
                new byte[] { 0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0x07 },       // s not INTEGER
                new byte[] { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x02, 0x07 },       // s overruns
                new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 },                         // s missing
            };
            for (int i = 0; i < bad.Length; i++)
            {
                Assert.IsNotNull(SignatureDer.Check(bad[i], 0, bad[i].Length), "case " + i.ToString());
            }

            byte[] tooLong = new byte[2 + 2 + 34 + 3];
            tooLong[0] = 0x30;
            tooLong[1] = (byte)(tooLong.Length - 2);
            tooLong[2] = 0x02;
            tooLong[3] = 34;
            tooLong[4] = 0x00;
            for (int i = 5; i < 38; i++) tooLong[i] = 0x80;
            tooLong[38] = 0x02;
            tooLong[39] = 0x01;
            tooLong[40] = 0x01;
            Assert.IsNotNull(SignatureDer.Check(tooLong, 0, tooLong.Length));

            byte[] scalar = new byte[32];
            int pos = 2;
            SignatureDer.ReadScalar(SampleDer(), ref pos, scalar, 0);
            Assert.AreEqual((byte)0xF0, scalar[0]);
            Assert.AreEqual(37, pos);
            SignatureDer.ReadScalar(SampleDer(), ref pos, scalar, 0);
            Assert.AreEqual((byte)0x11, scalar[0]);
            Assert.AreEqual(SampleDer().Length, pos);
        }

        [TestMethod]
        public void SettersRejectWrongSizes()
        {
            SignatureBlock b = new SignatureBlock();
            Assert.AreEqual(OtaError.SigFormat, OtaAssert.ErrorOf(delegate { b.KeyId = new byte[7]; }));
            Assert.AreEqual(OtaError.SigFormat, OtaAssert.ErrorOf(delegate { b.ImageSha256 = new byte[31]; }));
            Assert.AreEqual(OtaError.SigFormat, OtaAssert.ErrorOf(delegate { b.Signature = new byte[73]; }));
        }
    }
}
