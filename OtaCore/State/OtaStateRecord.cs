using OtaCore.Image;

namespace OtaCore.State
{
    /// <summary>
    /// The fixed part (0x000..0x0FF) of one OTA state record (docs/design.md section 4): magic,
    /// seq, state, headers, counters, source tag, data-update fields (section 15) and CRC. The progress bitmap and trial counter
    /// that follow it in the sector are handled by <see cref="OtaStateStore"/>.
    /// </summary>
    public class OtaStateRecord
    {
        /// <summary>Record magic "OTST" (0x5453544F).</summary>
        public const uint Magic = 0x5453544F;
        /// <summary>Length of the CRC-covered record, CRC included.</summary>
        public const int Size = 0x100;
        /// <summary>Offset of the CRC word.</summary>
        public const int CrcOffset = 0x0FC;
        /// <summary>Offset of the download progress bitmap in the sector.</summary>
        public const int BitmapOffset = 0x100;
        /// <summary>Length of the download progress bitmap (4096 blocks).</summary>
        public const int BitmapLength = 512;
        /// <summary>Offset of the trial boot counter in the sector.</summary>
        public const int TrialOffset = 0x300;
        /// <summary>Length of the trial boot counter.</summary>
        public const int TrialLength = 32;
        /// <summary>Length of <see cref="SourceTag"/>.</summary>
        public const int SourceTagLength = 32;
        /// <summary><see cref="Flags"/> bit 0: signed mode seen.</summary>
        public const uint FlagSignedSeen = 1;

        private byte[] _staged = new byte[ImageHeader.Size];
        private byte[] _installed = new byte[ImageHeader.Size];
        private byte[] _sourceTag = new byte[SourceTagLength];

        /// <summary>Sequence number; the valid record with the higher one is current. Never 0xFFFFFFFF.</summary>
        public uint Seq { get; set; }

        /// <summary>The state.</summary>
        public OtaState State { get; set; }

        /// <summary>Error code of the last failed step (0 = none).</summary>
        public OtaError LastError { get; set; }

        /// <summary>Highest upd_no ever installed (anti-rollback).</summary>
        public uint MaxUpdNo { get; set; }

        /// <summary>Completed installs.</summary>
        public uint InstallCount { get; set; }

        /// <summary>Bootloader install starts for the staged package.</summary>
        public uint InstallAttempts { get; set; }

        /// <summary>Flags word (bit 0 signed mode seen).</summary>
        public uint Flags { get; set; }

        /// <summary>
        /// Data-partition update (0x0C0, docs/design.md section 15): 0 none, 1 writing (backup
        /// durable, target being written), 2 trial (backup kept until confirmed).
        /// </summary>
        public uint DataState { get; set; }

        /// <summary>Flash offset of the data partition being updated (0x0C4; 0 when none).</summary>
        public uint DataTarget { get; set; }

        /// <summary>Flash offset of the backup copy (0x0C8; 0 when none).</summary>
        public uint DataBackupAddr { get; set; }

        /// <summary>Bytes backed up, a multiple of 4 KiB (0x0CC); 0 = no backup stored.</summary>
        public uint DataBackupLen { get; set; }

        /// <summary>CRC-32 of the backup bytes (0x0D0).</summary>
        public uint DataBackupCrc { get; set; }

        /// <summary>The raw 64 bytes of the outer header of the staged package (zeros when none).</summary>
        public byte[] StagedHeaderBytes
        {
            get { return _staged; }
            set { _staged = CheckLength(value, ImageHeader.Size); }
        }

        /// <summary>The raw 64 bytes of the installed image's header (zeros when none).</summary>
        public byte[] InstalledHeaderBytes
        {
            get { return _installed; }
            set { _installed = CheckLength(value, ImageHeader.Size); }
        }

        /// <summary>SHA-256 of url + "\n" + etag the download resumes against, zeros if unknown.</summary>
        public byte[] SourceTag
        {
            get { return _sourceTag; }
            set { _sourceTag = CheckLength(value, SourceTagLength); }
        }

        /// <summary>The staged header, or null when the field holds no valid header.</summary>
        public ImageHeader StagedHeader
        {
            get { return TryHeader(_staged); }
            set { _staged = value == null ? new byte[ImageHeader.Size] : value.ToBytes(); }
        }

        /// <summary>The installed header, or null when the field holds no valid header.</summary>
        public ImageHeader InstalledHeader
        {
            get { return TryHeader(_installed); }
            set { _installed = value == null ? new byte[ImageHeader.Size] : value.ToBytes(); }
        }

        /// <summary>Version of the installed image, or null when the field holds no valid header.</summary>
        public string InstalledVersion
        {
            get
            {
                ImageHeader h = InstalledHeader;
                return h == null ? null : h.Version;
            }
        }

        /// <summary>A copy of this record (same fields, new arrays), for building the next one.</summary>
        public OtaStateRecord Clone()
        {
            OtaStateRecord r = new OtaStateRecord();
            r.Seq = Seq;
            r.State = State;
            r.LastError = LastError;
            r.MaxUpdNo = MaxUpdNo;
            r.InstallCount = InstallCount;
            r.InstallAttempts = InstallAttempts;
            r.Flags = Flags;
            r.DataState = DataState;
            r.DataTarget = DataTarget;
            r.DataBackupAddr = DataBackupAddr;
            r.DataBackupLen = DataBackupLen;
            r.DataBackupCrc = DataBackupCrc;
            System.Array.Copy(_staged, r._staged, ImageHeader.Size);
            System.Array.Copy(_installed, r._installed, ImageHeader.Size);
            System.Array.Copy(_sourceTag, r._sourceTag, SourceTagLength);
            return r;
        }

        /// <summary>Writes the 256 record bytes (reserved = 0) with the CRC at 0x0FC.</summary>
        public void WriteTo(byte[] buf, int offset)
        {
            for (int i = 0; i < Size; i++) buf[offset + i] = 0;
            ImageHeader.WriteU32(buf, offset + 0x000, Magic);
            ImageHeader.WriteU32(buf, offset + 0x004, Seq);
            ImageHeader.WriteU32(buf, offset + 0x008, (uint)State);
            ImageHeader.WriteU32(buf, offset + 0x00C, (uint)LastError);
            System.Array.Copy(_staged, 0, buf, offset + 0x010, ImageHeader.Size);
            System.Array.Copy(_installed, 0, buf, offset + 0x050, ImageHeader.Size);
            ImageHeader.WriteU32(buf, offset + 0x090, MaxUpdNo);
            ImageHeader.WriteU32(buf, offset + 0x094, InstallCount);
            ImageHeader.WriteU32(buf, offset + 0x098, InstallAttempts);
            ImageHeader.WriteU32(buf, offset + 0x09C, Flags);
            System.Array.Copy(_sourceTag, 0, buf, offset + 0x0A0, SourceTagLength);
            ImageHeader.WriteU32(buf, offset + 0x0C0, DataState);
            ImageHeader.WriteU32(buf, offset + 0x0C4, DataTarget);
            ImageHeader.WriteU32(buf, offset + 0x0C8, DataBackupAddr);
            ImageHeader.WriteU32(buf, offset + 0x0CC, DataBackupLen);
            ImageHeader.WriteU32(buf, offset + 0x0D0, DataBackupCrc);
            ImageHeader.WriteU32(buf, offset + CrcOffset, Crc32.Compute(buf, offset, CrcOffset));
        }

        /// <summary>
        /// Parses 256 record bytes; returns null when the magic or CRC is wrong, the seq is
        /// 0xFFFFFFFF or the state is unknown (an erased or torn record).
        /// </summary>
        public static OtaStateRecord TryParse(byte[] buf, int offset)
        {
            if (buf == null || offset < 0 || buf.Length - offset < Size) return null;
            if (ImageHeader.ReadU32(buf, offset) != Magic) return null;
            if (ImageHeader.ReadU32(buf, offset + CrcOffset) != Crc32.Compute(buf, offset, CrcOffset)) return null;
            OtaStateRecord r = new OtaStateRecord();
            r.Seq = ImageHeader.ReadU32(buf, offset + 0x004);
            uint state = ImageHeader.ReadU32(buf, offset + 0x008);
            if (r.Seq == 0xFFFFFFFF || state < (uint)OtaState.Confirmed || state > (uint)OtaState.Unconfirmed) return null;
            r.State = (OtaState)state;
            r.LastError = (OtaError)ImageHeader.ReadU32(buf, offset + 0x00C);
            System.Array.Copy(buf, offset + 0x010, r._staged, 0, ImageHeader.Size);
            System.Array.Copy(buf, offset + 0x050, r._installed, 0, ImageHeader.Size);
            r.MaxUpdNo = ImageHeader.ReadU32(buf, offset + 0x090);
            r.InstallCount = ImageHeader.ReadU32(buf, offset + 0x094);
            r.InstallAttempts = ImageHeader.ReadU32(buf, offset + 0x098);
            r.Flags = ImageHeader.ReadU32(buf, offset + 0x09C);
            System.Array.Copy(buf, offset + 0x0A0, r._sourceTag, 0, SourceTagLength);
            r.DataState = ImageHeader.ReadU32(buf, offset + 0x0C0);
            r.DataTarget = ImageHeader.ReadU32(buf, offset + 0x0C4);
            r.DataBackupAddr = ImageHeader.ReadU32(buf, offset + 0x0C8);
            r.DataBackupLen = ImageHeader.ReadU32(buf, offset + 0x0CC);
            r.DataBackupCrc = ImageHeader.ReadU32(buf, offset + 0x0D0);
            return r;
        }

        private static ImageHeader TryHeader(byte[] raw)
        {
            if (ImageHeader.ReadU32(raw, 0) != ImageHeader.Magic) return null;
            try
            {
                return ImageHeader.Parse(raw, 0);
            }
            catch (OtaException)
            {
                return null;
            }
        }

        private static byte[] CheckLength(byte[] value, int length)
        {
            if (value == null || value.Length != length)
            {
                throw new System.ArgumentException("expected " + length.ToString() + " bytes");
            }

            return value;
        }
    }
}
