using OtaCore.Text;

namespace OtaCore.Image
{
    /// <summary>
    /// The 256-byte signature block that follows the body of a signed image
    /// (docs/design.md section 3, "Signature block and signed mode"). <see cref="Parse"/> checks the
    /// format in the documented order (magic, version, CRC, algorithm, reserved bytes, sig_len,
    /// DER); <see cref="WriteTo"/> serializes and computes the CRC. No cryptography here: hashing
    /// and ECDSA go through the platform (INativeServices) or the host tools.
    /// </summary>
    public class SignatureBlock
    {
        /// <summary>Size of the block in bytes.</summary>
        public const int Size = 256;

        /// <summary>Bytes 0..SignedLength-1 of the block are covered by the signature.</summary>
        public const int SignedLength = 0x60;

        /// <summary>Length of the key id (first bytes of SHA-256 of the uncompressed public point).</summary>
        public const int KeyIdLength = 8;

        /// <summary>Length of <see cref="ImageSha256"/>.</summary>
        public const int HashLength = 32;

        /// <summary>Largest DER signature the block holds.</summary>
        public const int MaxSignatureLength = 72;

        /// <summary>Smallest well-formed DER signature (SEQUENCE of two 1-byte INTEGERs).</summary>
        public const int MinSignatureLength = 8;

        /// <summary>The only block format version.</summary>
        public const int CurrentVersion = 1;

        /// <summary>Algorithm 1: ECDSA over NIST P-256 with SHA-256.</summary>
        public const int AlgorithmEcdsaP256Sha256 = 1;

        /// <summary>Length of a SEC1 uncompressed P-256 public point (04 || X || Y).</summary>
        public const int PublicPointLength = 65;

        /// <summary>Offset of <c>key_id</c>.</summary>
        public const int KeyIdOffset = 0x10;

        /// <summary>Offset of <c>image_size</c>.</summary>
        public const int ImageSizeOffset = 0x18;

        /// <summary>Offset of <c>image_sha256</c>.</summary>
        public const int ImageHashOffset = 0x20;

        /// <summary>Offset of <c>sig_len</c>.</summary>
        public const int SignatureLengthOffset = 0x60;

        /// <summary>Offset of the DER signature.</summary>
        public const int SignatureOffset = 0x64;

        /// <summary>Offset of the CRC-32 over bytes 0x00..0xFB.</summary>
        public const int CrcOffset = 0xFC;

        private static readonly byte[] MagicBytes = new byte[] { 0x4F, 0x54, 0x41, 0x53, 0x49, 0x47, 0x31, 0x00 };

        private readonly byte[] _keyId = new byte[KeyIdLength];
        private readonly byte[] _imageSha256 = new byte[HashLength];
        private byte[] _signature = new byte[0];

        /// <summary>Creates an empty block: current version, algorithm 1, everything else 0.</summary>
        public SignatureBlock()
        {
            Version = CurrentVersion;
            Algorithm = AlgorithmEcdsaP256Sha256;
        }

        /// <summary>The block format version (1).</summary>
        public int Version { get; set; }

        /// <summary>The signature algorithm (1 = ECDSA P-256 / SHA-256).</summary>
        public int Algorithm { get; set; }

        /// <summary>Length of the full image the package installs: header + body.</summary>
        public uint ImageSize { get; set; }

        /// <summary>The CRC read by <see cref="Parse"/> or written by <see cref="WriteTo"/>.</summary>
        public uint Crc { get; private set; }

        /// <summary>The 8-byte key id (a copy).</summary>
        public byte[] KeyId
        {
            get { return Copy(_keyId, 0, KeyIdLength); }
            set { SetFixed(value, _keyId, "key id"); }
        }

        /// <summary>SHA-256 of the full image the package installs (a copy).</summary>
        public byte[] ImageSha256
        {
            get { return Copy(_imageSha256, 0, HashLength); }
            set { SetFixed(value, _imageSha256, "image_sha256"); }
        }

        /// <summary>The DER signature (a copy; empty before signing).</summary>
        public byte[] Signature
        {
            get { return Copy(_signature, 0, _signature.Length); }
            set
            {
                if (value == null || value.Length > MaxSignatureLength)
                {
                    throw new OtaException(OtaError.SigFormat, "DER signature must be at most " + MaxSignatureLength.ToString() + " bytes");
                }

                _signature = Copy(value, 0, value.Length);
            }
        }

        /// <summary>Offset of the block inside an image whose header is <paramref name="h"/> (64 + img_len).</summary>
        public static long OffsetIn(ImageHeader h)
        {
            return ImageHeader.Size + (long)h.ImgLen;
        }

        /// <summary>True when this block's key id equals the 8 bytes of <paramref name="id"/> at <paramref name="offset"/>.</summary>
        public bool KeyIdEquals(byte[] id, int offset)
        {
            if (id == null || offset < 0 || id.Length - offset < KeyIdLength) return false;
            return Bytes.Equal(_keyId, 0, id, offset, KeyIdLength);
        }

        /// <summary>True when <see cref="ImageSha256"/> equals the 32 bytes at <paramref name="offset"/>.</summary>
        public bool ImageHashEquals(byte[] hash, int offset)
        {
            if (hash == null || offset < 0 || hash.Length - offset < HashLength) return false;
            int diff = 0;
            for (int i = 0; i < HashLength; i++) diff |= _imageSha256[i] ^ hash[offset + i];
            return diff == 0;
        }

        /// <summary>The key id as 16 lower-case hex digits.</summary>
        public string KeyIdHex()
        {
            return HexDigit.Encode(_keyId, 0, KeyIdLength);
        }

        /// <summary>
        /// Parses and checks the block at <paramref name="offset"/>, in this order: length
        /// (ImgTruncated), magic, version, CRC (SigFormat), algorithm (SigAlgorithm), reserved
        /// bytes, sig_len and its zero padding, DER encoding (SigFormat).
        /// </summary>
        public static SignatureBlock Parse(byte[] buf, int offset)
        {
            if (buf == null || offset < 0 || buf.Length - offset < Size)
            {
                int have = buf == null || offset < 0 ? 0 : System.Math.Max(0, buf.Length - offset);
                throw new OtaException(OtaError.ImgTruncated, "signature block needs " + Size.ToString() + " bytes, got " + have.ToString());
            }

            for (int i = 0; i < MagicBytes.Length; i++)
            {
                if (buf[offset + i] != MagicBytes[i]) throw new OtaException(OtaError.SigFormat, "signature block magic is not OTASIG1");
            }

            SignatureBlock b = new SignatureBlock();
            b.Version = ReadU16(buf, offset + 0x08);
            if (b.Version != CurrentVersion)
            {
                throw new OtaException(OtaError.SigFormat, "signature block version " + b.Version.ToString() + " is not supported (1)");
            }

            b.Crc = ImageHeader.ReadU32(buf, offset + CrcOffset);
            uint crc = Crc32.Compute(buf, offset, CrcOffset);
            if (crc != b.Crc)
            {
                throw new OtaException(OtaError.SigFormat, "signature block crc is 0x" + b.Crc.ToString("X8") + ", computed 0x" + crc.ToString("X8"));
            }

            b.Algorithm = ReadU16(buf, offset + 0x0A);
            if (b.Algorithm != AlgorithmEcdsaP256Sha256)
            {
                throw new OtaException(OtaError.SigAlgorithm, "signature algorithm " + b.Algorithm.ToString() + " is not supported (1 = ECDSA P-256/SHA-256)");
            }

            CheckZero(buf, offset, 0x0C, 4);
            CheckZero(buf, offset, 0x1C, 4);
            CheckZero(buf, offset, 0x40, 32);
            CheckZero(buf, offset, 0x62, 2);
            CheckZero(buf, offset, SignatureOffset + MaxSignatureLength, CrcOffset - SignatureOffset - MaxSignatureLength);

            System.Array.Copy(buf, offset + KeyIdOffset, b._keyId, 0, KeyIdLength);
            b.ImageSize = ImageHeader.ReadU32(buf, offset + ImageSizeOffset);
            System.Array.Copy(buf, offset + ImageHashOffset, b._imageSha256, 0, HashLength);

            int sigLen = ReadU16(buf, offset + SignatureLengthOffset);
            if (sigLen < MinSignatureLength || sigLen > MaxSignatureLength)
            {
                throw new OtaException(OtaError.SigFormat, "sig_len " + sigLen.ToString() + " is outside " + MinSignatureLength.ToString() + ".." + MaxSignatureLength.ToString());
            }

            CheckZero(buf, offset, SignatureOffset + sigLen, MaxSignatureLength - sigLen);
            string derProblem = SignatureDer.Check(buf, offset + SignatureOffset, sigLen);
            if (derProblem != null) throw new OtaException(OtaError.SigFormat, "signature: " + derProblem);
            b._signature = Copy(buf, offset + SignatureOffset, sigLen);
            return b;
        }

        /// <summary>
        /// Serializes the block into 256 bytes at <paramref name="offset"/> (reserved bytes 0,
        /// sig_len = length of <see cref="Signature"/>) and computes the CRC. Does not validate.
        /// </summary>
        public void WriteTo(byte[] buf, int offset)
        {
            for (int i = 0; i < Size; i++) buf[offset + i] = 0;
            System.Array.Copy(MagicBytes, 0, buf, offset, MagicBytes.Length);
            WriteU16(buf, offset + 0x08, Version);
            WriteU16(buf, offset + 0x0A, Algorithm);
            System.Array.Copy(_keyId, 0, buf, offset + KeyIdOffset, KeyIdLength);
            ImageHeader.WriteU32(buf, offset + ImageSizeOffset, ImageSize);
            System.Array.Copy(_imageSha256, 0, buf, offset + ImageHashOffset, HashLength);
            WriteU16(buf, offset + SignatureLengthOffset, _signature.Length);
            System.Array.Copy(_signature, 0, buf, offset + SignatureOffset, _signature.Length);
            Crc = Crc32.Compute(buf, offset, CrcOffset);
            ImageHeader.WriteU32(buf, offset + CrcOffset, Crc);
        }

        /// <summary>The 256 serialized bytes (see <see cref="WriteTo"/>).</summary>
        public byte[] ToBytes()
        {
            byte[] b = new byte[Size];
            WriteTo(b, 0);
            return b;
        }

        /// <summary>Reads a little-endian 16-bit word.</summary>
        public static int ReadU16(byte[] b, int o)
        {
            return b[o] | (b[o + 1] << 8);
        }

        /// <summary>Writes a little-endian 16-bit word.</summary>
        public static void WriteU16(byte[] b, int o, int v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        private static void CheckZero(byte[] buf, int offset, int at, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (buf[offset + at + i] != 0)
                {
                    throw new OtaException(OtaError.SigFormat, "reserved signature block byte 0x" + (at + i).ToString("X2") + " is not 0");
                }
            }
        }

        private static byte[] Copy(byte[] src, int offset, int count)
        {
            byte[] r = new byte[count];
            System.Array.Copy(src, offset, r, 0, count);
            return r;
        }

        private static void SetFixed(byte[] value, byte[] field, string what)
        {
            if (value == null || value.Length != field.Length)
            {
                throw new OtaException(OtaError.SigFormat, what + " must be " + field.Length.ToString() + " bytes");
            }

            System.Array.Copy(value, 0, field, 0, field.Length);
        }
    }
}
