namespace OtaCore.Image
{
    /// <summary>
    /// The 64-byte image header, byte-compatible with WinnerMicro's <c>wm_ota_header_t</c>
    /// (docs/design.md section 3). All integers little-endian. <see cref="Parse"/> checks every
    /// field; <see cref="WriteTo"/> serializes and recomputes <c>hd_checksum</c>.
    /// </summary>
    public class ImageHeader
    {
        /// <summary>Size of the header in bytes.</summary>
        public const int Size = 64;

        /// <summary>The <c>magic_no</c> value.</summary>
        public const uint Magic = 0xA0FFFF9F;

        /// <summary>Length of the <c>ver</c> field, NUL terminator included.</summary>
        public const int VersionFieldLength = 16;

        /// <summary>Size of the signature block that follows the body when <see cref="Signed"/> is set.</summary>
        public const int SignatureBlockSize = 256;

        private readonly byte[] _ver = new byte[VersionFieldLength];

        /// <summary>Creates an empty header: magic set, app type, every other field 0.</summary>
        public ImageHeader()
        {
            MagicNo = Magic;
            Attr = (uint)ImageType.App;
        }

        /// <summary>The <c>magic_no</c> word (0xA0FFFF9F in a valid header).</summary>
        public uint MagicNo { get; set; }

        /// <summary>The raw <c>img_attr</c> word (see <see cref="ImageAttr"/>).</summary>
        public uint Attr { get; set; }

        /// <summary>Flash offset of the target partition: the full image body is written there.</summary>
        public uint ImgAddr { get; set; }

        /// <summary>Body length in bytes (padding included), a multiple of 4, not 0.</summary>
        public uint ImgLen { get; set; }

        /// <summary>Flash offset of the OTA state partition (<c>otadata</c>).</summary>
        public uint ImgHeaderAddr { get; set; }

        /// <summary>Flash offset of the staging partition the package is downloaded into.</summary>
        public uint UpgradeImgAddr { get; set; }

        /// <summary>CRC-32 (<see cref="Crc32"/>) of the body as stored, padding included.</summary>
        public uint OrgChecksum { get; set; }

        /// <summary>Update number: the anti-rollback security counter.</summary>
        public uint UpdNo { get; set; }

        /// <summary>The raw flags word at 0x30 (see <see cref="ImageFlags"/>).</summary>
        public uint Flags { get; set; }

        /// <summary>The reserved word at 0x34 (must be 0).</summary>
        public uint Reserved { get; set; }

        /// <summary>Offset of the next header of a multi-image package; 0 = last image.</summary>
        public uint Next { get; set; }

        /// <summary>CRC-32 of bytes 0x00..0x3B, as read by <see cref="Parse"/> or written by <see cref="WriteTo"/>.</summary>
        public uint HdChecksum { get; set; }

        /// <summary>The image type (bits 3:0 of <see cref="Attr"/>).</summary>
        public ImageType ImgType
        {
            get { return (ImageType)(Attr & ImageAttr.TypeMask); }
            set { Attr = (Attr & ~ImageAttr.TypeMask) | ((uint)value & ImageAttr.TypeMask); }
        }

        /// <summary>The <c>compress_type</c> field (0 none, 1 xz).</summary>
        public int CompressType
        {
            get { return (int)((Attr & ImageAttr.CompressMask) >> ImageAttr.CompressShift); }
            set { Attr = (Attr & ~ImageAttr.CompressMask) | (((uint)value << ImageAttr.CompressShift) & ImageAttr.CompressMask); }
        }

        /// <summary>True when the body is an XZ stream of the full image (<c>compress_type</c> = 1).</summary>
        public bool Compressed
        {
            get { return CompressType == ImageAttr.CompressXz; }
            set { CompressType = value ? ImageAttr.CompressXz : ImageAttr.CompressNone; }
        }

        /// <summary>True when a signature block follows the body (<c>img_attr.signature</c>).</summary>
        public bool Signed
        {
            get { return (Attr & ImageAttr.Signature) != 0; }
            set { Attr = SetBit(Attr, ImageAttr.Signature, value); }
        }

        /// <summary>The key slot (<c>prikey_sel</c>) of a signed image.</summary>
        public int PrikeySel
        {
            get { return (int)((Attr & ImageAttr.PrikeySelMask) >> ImageAttr.PrikeySelShift); }
            set { Attr = (Attr & ~ImageAttr.PrikeySelMask) | (((uint)value << ImageAttr.PrikeySelShift) & ImageAttr.PrikeySelMask); }
        }

        /// <summary>The installer may use 64 KiB block erases (<c>erase_block_en</c>).</summary>
        public bool EraseBlockEnable
        {
            get { return (Attr & ImageAttr.EraseBlockEnable) != 0; }
            set { Attr = SetBit(Attr, ImageAttr.EraseBlockEnable, value); }
        }

        /// <summary>The installer must not skip sectors that already hold the right bytes (<c>erase_always</c>).</summary>
        public bool EraseAlways
        {
            get { return (Attr & ImageAttr.EraseAlways) != 0; }
            set { Attr = SetBit(Attr, ImageAttr.EraseAlways, value); }
        }

        /// <summary>The <c>log_level</c> bits of <see cref="Flags"/>.</summary>
        public int LogLevel
        {
            get { return (int)(Flags & ImageFlags.LogLevelMask); }
            set { Flags = (Flags & ~ImageFlags.LogLevelMask) | ((uint)value & ImageFlags.LogLevelMask); }
        }

        /// <summary>The <c>skip_esc_check</c> flag (no effect, kept for compatibility).</summary>
        public bool SkipEscCheck
        {
            get { return (Flags & ImageFlags.SkipEscCheck) != 0; }
            set { Flags = SetBit(Flags, ImageFlags.SkipEscCheck, value); }
        }

        /// <summary>The device accepts this image even when its version is not newer.</summary>
        public bool SkipUpgradeCheck
        {
            get { return (Flags & ImageFlags.SkipUpgradeCheck) != 0; }
            set { Flags = SetBit(Flags, ImageFlags.SkipUpgradeCheck, value); }
        }

        /// <summary>The bootloader does not re-check the installed app's CRC at every boot.</summary>
        public bool SkipIntegrityCheck
        {
            get { return (Flags & ImageFlags.SkipIntegrityCheck) != 0; }
            set { Flags = SetBit(Flags, ImageFlags.SkipIntegrityCheck, value); }
        }

        /// <summary>
        /// The version string: the <c>ver</c> bytes up to the first NUL. Setting it stores the
        /// characters (1..15 printable ASCII, else <see cref="OtaError.ImgVersion"/>) NUL-padded.
        /// </summary>
        public string Version
        {
            get
            {
                int n = 0;
                while (n < VersionFieldLength && _ver[n] != 0) n++;
                char[] c = new char[n];
                for (int i = 0; i < n; i++) c[i] = (char)_ver[i];
                return new string(c);
            }

            set
            {
                string detail = CheckVersionText(value);
                if (detail != null) throw new OtaException(OtaError.ImgVersion, detail);
                for (int i = 0; i < VersionFieldLength; i++)
                {
                    _ver[i] = i < value.Length ? (byte)value[i] : (byte)0;
                }
            }
        }

        /// <summary>Total length of the image this header starts: header + body (+ signature block).</summary>
        public long TotalLength
        {
            get { return Size + (long)ImgLen + (Signed ? SignatureBlockSize : 0); }
        }

        /// <summary>
        /// Reads the fields at <paramref name="offset"/> without checking anything but the length
        /// (for tools that show a broken header). Throws <see cref="OtaError.ImgTruncated"/>.
        /// </summary>
        public static ImageHeader ReadRaw(byte[] buf, int offset)
        {
            if (buf == null || offset < 0 || buf.Length - offset < Size)
            {
                int have = buf == null || offset < 0 ? 0 : System.Math.Max(0, buf.Length - offset);
                throw new OtaException(OtaError.ImgTruncated, "header needs " + Size.ToString() + " bytes, got " + have.ToString());
            }

            ImageHeader h = new ImageHeader();
            h.MagicNo = ReadU32(buf, offset + 0x00);
            h.Attr = ReadU32(buf, offset + 0x04);
            h.ImgAddr = ReadU32(buf, offset + 0x08);
            h.ImgLen = ReadU32(buf, offset + 0x0C);
            h.ImgHeaderAddr = ReadU32(buf, offset + 0x10);
            h.UpgradeImgAddr = ReadU32(buf, offset + 0x14);
            h.OrgChecksum = ReadU32(buf, offset + 0x18);
            h.UpdNo = ReadU32(buf, offset + 0x1C);
            System.Array.Copy(buf, offset + 0x20, h._ver, 0, VersionFieldLength);
            h.Flags = ReadU32(buf, offset + 0x30);
            h.Reserved = ReadU32(buf, offset + 0x34);
            h.Next = ReadU32(buf, offset + 0x38);
            h.HdChecksum = ReadU32(buf, offset + 0x3C);
            return h;
        }

        /// <summary>
        /// Parses and checks a header. Checks, in this order (the C parser uses the same order):
        /// length (ImgTruncated), magic (ImgMagic), hd_checksum (ImgHeaderCrc), then
        /// <see cref="Validate"/>. Throws <see cref="OtaException"/> with the failing field's code.
        /// </summary>
        public static ImageHeader Parse(byte[] buf, int offset)
        {
            ImageHeader h = ReadRaw(buf, offset);
            if (h.MagicNo != Magic)
            {
                throw new OtaException(OtaError.ImgMagic, "magic_no is 0x" + h.MagicNo.ToString("X8") + ", expected 0xA0FFFF9F");
            }

            uint crc = Crc32.Compute(buf, offset, Size - 4);
            if (crc != h.HdChecksum)
            {
                throw new OtaException(OtaError.ImgHeaderCrc, "hd_checksum is 0x" + h.HdChecksum.ToString("X8") + ", header CRC is 0x" + crc.ToString("X8"));
            }

            h.Validate();
            return h;
        }

        /// <summary>
        /// Checks every field but magic and hd_checksum, in this order: img_type (ImgType),
        /// img_attr bits (ImgAttr: code_encrypt, gzip, psram_io, prikey_sel without signature,
        /// undefined bits), compress_type (ImgCompress), img_len (ImgLength), ver (ImgVersion),
        /// flags (ImgFlags), reserved (ImgReserved), next (ImgNext).
        /// </summary>
        public void Validate()
        {
            uint type = Attr & ImageAttr.TypeMask;
            if (type != (uint)ImageType.App && type != (uint)ImageType.Data)
            {
                throw new OtaException(OtaError.ImgType, "img_type " + type.ToString() + " is not supported (1 = app, 2 = data)");
            }

            if ((Attr & ImageAttr.CodeEncrypt) != 0) throw new OtaException(OtaError.ImgAttr, "code_encrypt is set (encrypted images are not supported)");
            if ((Attr & ImageAttr.Gzip) != 0) throw new OtaException(OtaError.ImgAttr, "gzip is set (use compress_type xz)");
            if ((Attr & ImageAttr.PsramIo) != 0) throw new OtaException(OtaError.ImgAttr, "psram_io is set");
            if (!Signed && PrikeySel != 0) throw new OtaException(OtaError.ImgAttr, "prikey_sel is " + PrikeySel.ToString() + " but the image is not signed");
            if ((Attr & ~ImageAttr.KnownBits) != 0)
            {
                throw new OtaException(OtaError.ImgAttr, "undefined img_attr bits set: 0x" + (Attr & ~ImageAttr.KnownBits).ToString("X8"));
            }

            if (CompressType != ImageAttr.CompressNone && CompressType != ImageAttr.CompressXz)
            {
                throw new OtaException(OtaError.ImgCompress, "compress_type " + CompressType.ToString() + " is not supported (0 none, 1 xz)");
            }

            if (ImgLen == 0 || (ImgLen & 3) != 0)
            {
                throw new OtaException(OtaError.ImgLength, "img_len " + ImgLen.ToString() + " must be a non-zero multiple of 4");
            }

            string vd = CheckVersionBytes(_ver);
            if (vd != null) throw new OtaException(OtaError.ImgVersion, vd);

            if ((Flags & ~ImageFlags.KnownBits) != 0)
            {
                throw new OtaException(OtaError.ImgFlags, "reserved flag bits set: 0x" + (Flags & ~ImageFlags.KnownBits).ToString("X8"));
            }

            if (Reserved != 0) throw new OtaException(OtaError.ImgReserved, "reserved word is 0x" + Reserved.ToString("X8") + ", must be 0");
            if (Next != 0) throw new OtaException(OtaError.ImgNext, "next is 0x" + Next.ToString("X8") + " (multi-image packages are not supported)");
        }

        /// <summary>
        /// Serializes the header into 64 bytes at <paramref name="offset"/>, computing
        /// <c>hd_checksum</c> (stored in <see cref="HdChecksum"/> too). Does not validate.
        /// </summary>
        public void WriteTo(byte[] buf, int offset)
        {
            WriteU32(buf, offset + 0x00, MagicNo);
            WriteU32(buf, offset + 0x04, Attr);
            WriteU32(buf, offset + 0x08, ImgAddr);
            WriteU32(buf, offset + 0x0C, ImgLen);
            WriteU32(buf, offset + 0x10, ImgHeaderAddr);
            WriteU32(buf, offset + 0x14, UpgradeImgAddr);
            WriteU32(buf, offset + 0x18, OrgChecksum);
            WriteU32(buf, offset + 0x1C, UpdNo);
            System.Array.Copy(_ver, 0, buf, offset + 0x20, VersionFieldLength);
            WriteU32(buf, offset + 0x30, Flags);
            WriteU32(buf, offset + 0x34, Reserved);
            WriteU32(buf, offset + 0x38, Next);
            HdChecksum = Crc32.Compute(buf, offset, Size - 4);
            WriteU32(buf, offset + 0x3C, HdChecksum);
        }

        /// <summary>The 64 serialized bytes (see <see cref="WriteTo"/>).</summary>
        public byte[] ToBytes()
        {
            byte[] b = new byte[Size];
            WriteTo(b, 0);
            return b;
        }

        /// <summary>
        /// Checks a body against <see cref="ImgLen"/> and <see cref="OrgChecksum"/>:
        /// ImgTruncated when <paramref name="count"/> is shorter, ImgBodyCrc on a CRC mismatch.
        /// Only the first <see cref="ImgLen"/> bytes are checked.
        /// </summary>
        public void CheckBody(byte[] buf, int offset, int count)
        {
            if (count < ImgLen)
            {
                throw new OtaException(OtaError.ImgTruncated, "body is " + count.ToString() + " bytes, img_len says " + ImgLen.ToString());
            }

            uint crc = Crc32.Compute(buf, offset, (int)ImgLen);
            if (crc != OrgChecksum)
            {
                throw new OtaException(OtaError.ImgBodyCrc, "org_checksum is 0x" + OrgChecksum.ToString("X8") + ", body CRC is 0x" + crc.ToString("X8"));
            }
        }

        /// <summary>
        /// Parses and checks a whole image held in <paramref name="count"/> bytes at
        /// <paramref name="offset"/>: the header (<see cref="Parse"/>), the length (ImgTruncated
        /// when shorter than header + img_len + signature block), the body CRC (ImgBodyCrc) and
        /// nothing after it (ImgTrailing). An xz body is not decompressed here.
        /// </summary>
        public static ImageHeader ParseImage(byte[] buf, int offset, int count)
        {
            if (count < Size)
            {
                throw new OtaException(OtaError.ImgTruncated, "image is " + count.ToString() + " bytes, shorter than the 64-byte header");
            }

            ImageHeader h = Parse(buf, offset);
            if (count - Size < h.TotalLength - Size)
            {
                throw new OtaException(OtaError.ImgTruncated, "image is " + count.ToString() + " bytes, header + img_len" + (h.Signed ? " + signature block" : "") + " need " + h.TotalLength.ToString());
            }

            h.CheckBody(buf, offset + Size, (int)h.ImgLen);
            if (count > h.TotalLength)
            {
                throw new OtaException(OtaError.ImgTrailing, (count - h.TotalLength).ToString() + " bytes after the declared image");
            }

            return h;
        }

        /// <summary>
        /// Checks that an inner (decompressed) header agrees with this outer one: the inner one
        /// must be uncompressed and have the same img_addr, upd_no and ver (ImgInnerMismatch).
        /// </summary>
        public void CheckInner(ImageHeader inner)
        {
            if (inner.Compressed) throw new OtaException(OtaError.ImgInnerMismatch, "inner image is itself compressed");
            if (inner.ImgAddr != ImgAddr)
            {
                throw new OtaException(OtaError.ImgInnerMismatch, "inner img_addr 0x" + inner.ImgAddr.ToString("X8") + " != outer 0x" + ImgAddr.ToString("X8"));
            }

            if (inner.UpdNo != UpdNo)
            {
                throw new OtaException(OtaError.ImgInnerMismatch, "inner upd_no " + inner.UpdNo.ToString() + " != outer " + UpdNo.ToString());
            }

            if (inner.Version != Version)
            {
                throw new OtaException(OtaError.ImgInnerMismatch, "inner ver '" + inner.Version + "' != outer '" + Version + "'");
            }
        }

        /// <summary>
        /// Compares two version strings as dotted parts: two numeric parts compare as numbers
        /// ("1.2.10" &gt; "1.2.9"), any other pair ordinally; a missing part counts as "0"
        /// ("1.2" == "1.2.0"). Returns a negative number, 0 or a positive number.
        /// </summary>
        public static int CompareVersions(string a, string b)
        {
            int ia = 0, ib = 0;
            while (ia <= a.Length || ib <= b.Length)
            {
                string pa = NextPart(a, ref ia);
                string pb = NextPart(b, ref ib);
                int c = ComparePart(pa, pb);
                if (c != 0) return c;
                if (ia > a.Length && ib > b.Length) break;
            }

            return 0;
        }

        /// <summary>Reads a little-endian 32-bit word.</summary>
        public static uint ReadU32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        /// <summary>Writes a little-endian 32-bit word.</summary>
        public static void WriteU32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        private static string NextPart(string s, ref int i)
        {
            if (i > s.Length) return "0";
            int start = i;
            while (i < s.Length && s[i] != '.') i++;
            string part = s.Substring(start, i - start);
            i++;
            return part;
        }

        private static int ComparePart(string a, string b)
        {
            if (IsDigits(a) && IsDigits(b))
            {
                string ta = TrimZeros(a), tb = TrimZeros(b);
                if (ta.Length != tb.Length) return ta.Length < tb.Length ? -1 : 1;
                return Ordinal(ta, tb);
            }

            return Ordinal(a, b);
        }

        private static bool IsDigits(string s)
        {
            if (s.Length == 0) return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9') return false;
            }

            return true;
        }

        private static string TrimZeros(string s)
        {
            int i = 0;
            while (i < s.Length - 1 && s[i] == '0') i++;
            return s.Substring(i);
        }

        private static int Ordinal(string a, string b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
            }

            return a.Length == b.Length ? 0 : (a.Length < b.Length ? -1 : 1);
        }

        private static string CheckVersionText(string v)
        {
            if (v == null || v.Length == 0) return "version is empty";
            if (v.Length >= VersionFieldLength) return "version '" + v + "' is longer than 15 characters";
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] < 0x20 || v[i] > 0x7E) return "version has a non-printable character at " + i.ToString();
            }

            return null;
        }

        private static string CheckVersionBytes(byte[] v)
        {
            if (v[0] == 0) return "ver is empty";
            for (int i = 0; i < VersionFieldLength; i++)
            {
                if (v[i] == 0) return null;
                if (v[i] < 0x20 || v[i] > 0x7E) return "ver byte " + i.ToString() + " is 0x" + v[i].ToString("X2") + " (not printable ASCII)";
            }

            return "ver is not NUL-terminated within 16 bytes";
        }

        private static uint SetBit(uint word, uint mask, bool on)
        {
            return on ? word | mask : word & ~mask;
        }
    }
}
