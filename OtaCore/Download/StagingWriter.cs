using OtaCore.Image;
using OtaCore.Platform;
using OtaCore.State;

namespace OtaCore.Download
{
    /// <summary>
    /// Writes one update package into the staging partition as its bytes arrive, in order, from
    /// any transport (HTTP download, network push). The 64-byte header is collected in RAM and
    /// checked (format, addresses against the partitions, size against staging, the caller's
    /// policy) before anything is written. Then one DOWNLOADING state record is written (staged
    /// header + source tag, fresh progress bitmap), and the package is programmed in whole 256-byte pages (a partial page waits in RAM),
    /// erasing each staging sector just before the write pointer enters it; every completed
    /// 4 KiB block gets its bitmap bit cleared, which is what a resume after power loss trusts.
    /// The body CRC is computed on the fly; <see cref="Finish"/> re-reads the flash (CRC and
    /// SHA-256) before writing STAGED. Write allocates nothing. With a <see cref="Pipeline"/> the
    /// erases and programs run on its worker thread (erase ahead, overlap with the network).
    /// </summary>
    public class StagingWriter
    {
        /// <summary>Bytes of staging covered by one progress bit.</summary>
        public const int BlockSize = (int)OtaStateStore.BlockSize;

        private const int PageSize = 256;

        private readonly IFlashPartition _staging;
        private readonly IFlashPartition _app;
        private readonly OtaStateStore _store;
        private readonly INativeServices _native;
        private readonly byte[] _headerBytes = new byte[ImageHeader.Size];
        private readonly byte[] _page = new byte[PageSize];
        private readonly byte[] _scratch;
        private byte[] _expectedHeader;
        private HeaderCheckHandler _check;
        private byte[] _sourceTag;
        private ImageHeader _header;
        private long _pos;
        private long _total;
        private uint _crc;
        private int _nextEraseSector;
        private int _pageFill;
        private bool _started;
        private StagingPipeline _pipe;

        /// <summary>
        /// Creates a writer for <paramref name="staging"/>. <paramref name="app"/> is the app
        /// partition app images must target; <paramref name="scratch"/> is a caller-owned buffer
        /// (at least 256 bytes; the block buffer) used to read flash back.
        /// </summary>
        public StagingWriter(IFlashPartition staging, IFlashPartition app, OtaStateStore store,
            INativeServices native, byte[] scratch)
        {
            if (staging.SectorSize == 0 || staging.SectorSize > BlockSize || BlockSize % staging.SectorSize != 0)
            {
                throw new OtaException(OtaError.FlashAlign, "staging sector size " + staging.SectorSize + " does not divide 4096");
            }

            if (scratch == null || scratch.Length < PageSize)
            {
                throw new System.ArgumentException("scratch buffer must hold at least 256 bytes");
            }

            _staging = staging;
            _app = app;
            _store = store;
            _native = native;
            _scratch = scratch;
        }

        /// <summary>
        /// The data partition (config/filesystem) that data images (img_type 2) may target, or null
        /// (the default): then only app images are staged. The network push sets it for its
        /// filesystem command; the bootloader installs data images the same way as app images.
        /// </summary>
        public IFlashPartition DataTarget { get; set; }

        /// <summary>
        /// The otadata partition whose offset img_header_addr must name (as the bootloader checks),
        /// or null (the default): img_header_addr is not checked.
        /// </summary>
        public IFlashPartition OtaData { get; set; }

        /// <summary>
        /// Pipelined mode (issue 9): with a <see cref="StagingPipeline"/> the pages go to its worker
        /// thread, which erases ahead of the write pointer and programs while this thread receives;
        /// null (the default) erases and programs in the caller's thread. Set between packages.
        /// </summary>
        public StagingPipeline Pipeline
        {
            get { return _pipe; }
            set { _pipe = value; }
        }

        /// <summary>
        /// Waits until every page handed to the flash so far is programmed and its progress bits
        /// are written (pipelined mode: the worker drained), then throws the worker's error, if
        /// any. Call before reading the staged package back (signature check).
        /// </summary>
        public void Flush()
        {
            if (_pipe != null)
            {
                _pipe.Drain();
            }
        }

        /// <summary>
        /// Pipelined mode: throws the worker's flash error (a power cut, a failed program) at
        /// once, so a transport stops before it sends another request for a package the flash
        /// can no longer take. No-op without a pipeline.
        /// </summary>
        public void ThrowIfFailed()
        {
            if (_pipe != null)
            {
                _pipe.ThrowIfFailed();
            }
        }

        /// <summary>
        /// Pipelined mode: programs the pages still queued (never throws; an error stays for the
        /// next call) and ends the worker thread, so nothing runs on after a download ended or
        /// failed. No-op without a pipeline.
        /// </summary>
        public void StopPipeline()
        {
            if (_pipe != null)
            {
                _pipe.Stop();
            }
        }

        /// <summary>Bytes of the package received and held (in RAM for the header, else in flash).</summary>
        public long Position
        {
            get { return _pos; }
        }

        /// <summary>Total package length from the header (0 before the header arrived).</summary>
        public long TotalLength
        {
            get { return _total; }
        }

        /// <summary>The package header once checked, else null.</summary>
        public ImageHeader Header
        {
            get { return _header; }
        }

        /// <summary>True once the whole package has been written.</summary>
        public bool IsComplete
        {
            get { return _header != null && _pos == _total; }
        }

        /// <summary>
        /// The resume key of a download: SHA-256 of <paramref name="url"/> + "\n" +
        /// <paramref name="etag"/> (ASCII/UTF-8); a null etag counts as "".
        /// </summary>
        public static byte[] ComputeSourceTag(INativeServices native, string url, string etag)
        {
            byte[] text = System.Text.Encoding.UTF8.GetBytes(url + "\n" + (etag == null ? "" : etag));
            int h = native.Sha256Begin();
            native.Sha256Update(h, text, 0, text.Length);
            byte[] tag = new byte[OtaStateRecord.SourceTagLength];
            native.Sha256Finish(h, tag, 0);
            return tag;
        }

        /// <summary>
        /// Starts a new package from byte 0. <paramref name="expectedHeader"/> (null = any) is the
        /// header a probe saw: the streamed one must be identical (else E605, the file changed).
        /// <paramref name="check"/> (null = none) runs on the parsed header before anything is
        /// written. <paramref name="sourceTag"/> (32 bytes, null = zeros) goes into the record.
        /// </summary>
        public void Begin(byte[] sourceTag, byte[] expectedHeader, HeaderCheckHandler check)
        {
            if (_pipe != null)
            {
                _pipe.Quiesce();
            }

            _sourceTag = sourceTag;
            _expectedHeader = expectedHeader;
            _check = check;
            _header = null;
            _pos = 0;
            _total = 0;
            _crc = Crc32.Initial;
            _nextEraseSector = 0;
            _pageFill = 0;
            _started = true;
        }

        /// <summary>
        /// Checks a header that arrived by itself (a probe) exactly as <see cref="Write"/> would:
        /// format, addresses, sizes. Returns the parsed header; throws the IMG error.
        /// </summary>
        public ImageHeader CheckHeader(byte[] header, int offset)
        {
            ImageHeader h = OtaCore.DataUpdate.ChainHeader.Parse(header, offset);
            PackageLength(h);
            CheckTargets(h);
            return h;
        }

        /// <summary>
        /// Length of a multi-image package (docs/design.md section 15), which its first header
        /// does not state: the engine sets it from the manifest's size. 0 (default): packages
        /// whose first header has `next` set are refused (ImgNext), e.g. by the network push.
        /// </summary>
        public long ChainLength { get; set; }

        /// <summary>The whole package's length: the image itself, or <see cref="ChainLength"/> for a chain.</summary>
        public long PackageLength(ImageHeader h)
        {
            return OtaCore.DataUpdate.ChainHeader.PackageLength(h, ChainLength);
        }

        /// <summary>
        /// Continues an interrupted download after a reboot: when the current state record is
        /// DOWNLOADING with this <paramref name="sourceTag"/> and this header, and at least one
        /// block is durable, the CRC of the durable prefix is recomputed from flash and the writer
        /// continues at the first block that is not durable (it is erased again before use).
        /// Returns that offset, or -1 when there is nothing to resume (call <see cref="Begin"/>).
        /// </summary>
        public long TryResume(byte[] sourceTag, byte[] expectedHeader, HeaderCheckHandler check)
        {
            if (_pipe != null)
            {
                _pipe.Quiesce();
            }

            OtaStateRecord rec = _store.ReadCurrent();
            if (rec == null || rec.State != OtaState.Downloading || sourceTag == null || Bytes.IsZero(sourceTag)
                || !Bytes.Equal(rec.SourceTag, 0, sourceTag, 0, OtaStateRecord.SourceTagLength)
                || (expectedHeader != null && !Bytes.Equal(rec.StagedHeaderBytes, 0, expectedHeader, 0, ImageHeader.Size)))
            {
                return -1;
            }

            ImageHeader h;
            try
            {
                h = CheckHeader(rec.StagedHeaderBytes, 0);
                if (check != null)
                {
                    check(h);
                }
            }
            catch (OtaException)
            {
                return -1;
            }

            long total = PackageLength(h);
            int blocks = (int)((total + BlockSize - 1) / BlockSize);
            int durable = _store.CountLeadingDurableBlocks(blocks);
            if (durable == 0)
            {
                return -1;
            }

            _staging.Read(0, _headerBytes, 0, ImageHeader.Size);
            if (!Bytes.Equal(_headerBytes, 0, rec.StagedHeaderBytes, 0, ImageHeader.Size))
            {
                return -1;
            }

            long pos = (long)durable * BlockSize;
            if (pos > total)
            {
                pos = total;
            }

            _sourceTag = sourceTag;
            _expectedHeader = expectedHeader;
            _check = check;
            _header = h;
            _total = total;
            _crc = BodyCrc(pos);
            _pos = pos;
            _pageFill = 0;
            _nextEraseSector = (int)(pos / _staging.SectorSize);
            if (pos % _staging.SectorSize != 0)
            {
                _nextEraseSector++;
            }

            if (_pipe != null)
            {
                _pipe.Start(total, _nextEraseSector);
            }

            _started = true;
            return pos;
        }

        /// <summary>
        /// Appends package bytes. Throws the header's IMG error or the check's error while the
        /// header is incomplete, E108 when the body CRC does not match at its last byte, E117 for
        /// bytes past the declared length, flash errors as they come.
        /// </summary>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (!_started)
            {
                throw new OtaException(OtaError.StateTransition, "StagingWriter.Write before Begin");
            }

            while (count > 0)
            {
                if (_header == null)
                {
                    int n = ImageHeader.Size - (int)_pos;
                    if (n > count)
                    {
                        n = count;
                    }

                    System.Array.Copy(buffer, offset, _headerBytes, (int)_pos, n);
                    _pos += n;
                    offset += n;
                    count -= n;
                    if (_pos == ImageHeader.Size)
                    {
                        AcceptHeader();
                    }

                    continue;
                }

                if (_pos >= _total)
                {
                    throw new OtaException(OtaError.ImgTrailing, "bytes after the declared package length " + _total);
                }

                // Whole 256-byte pages only (the last one excepted): one program per page keeps
                // flash operations few and the same for any network chunking.
                long left = _total - _pos;
                int take = count < left ? count : (int)left;
                bool direct = _pageFill == 0 && take >= PageSize;
                if (direct)
                {
                    take = PageSize;
                }
                else if (take > PageSize - _pageFill)
                {
                    take = PageSize - _pageFill;
                }

                UpdateCrc(buffer, offset, take);
                if (direct)
                {
                    Program(_pos, buffer, offset, PageSize);
                    _pos += take;
                }
                else
                {
                    System.Array.Copy(buffer, offset, _page, _pageFill, take);
                    _pageFill += take;
                    _pos += take;
                    if (_pageFill == PageSize || _pos == _total)
                    {
                        Program(_pos - _pageFill, _page, 0, _pageFill);
                        _pageFill = 0;
                    }
                }

                offset += take;
                count -= take;
            }
        }

        /// <summary>
        /// Final verification of the complete package as it is in flash: header bytes, body CRC
        /// (E108), SHA-256 of the whole package against <paramref name="expectedSha256"/> (null =
        /// not checked; E108). On success writes the STAGED record.
        /// On a mismatch the download progress is dropped (a new DOWNLOADING record with no source
        /// tag and last_error), so the next attempt starts from byte 0.
        /// </summary>
        public void Finish(byte[] expectedSha256)
        {
            if (_pipe != null)
            {
                _pipe.Drain();
            }

            if (!IsComplete)
            {
                throw new OtaException(OtaError.ImgTruncated, "package incomplete: " + _pos + " of " + _total + " bytes");
            }

            try
            {
                VerifyFlash(expectedSha256);
            }
            catch (OtaException e)
            {
                if (e.Code == OtaError.ImgBodyCrc || e.Code == OtaError.ImgHeaderCrc)
                {
                    DropProgress(e.Code);
                }

                throw;
            }

            OtaStateRecord rec = _store.ReadCurrent();
            rec.State = OtaState.Staged;
            rec.LastError = OtaError.Ok;
            rec.StagedHeaderBytes = Copy(_headerBytes);
            rec.SourceTag = _sourceTag != null ? Copy(_sourceTag) : new byte[OtaStateRecord.SourceTagLength];
            _store.WriteNext(rec, false);
            _started = false;
        }

        /// <summary>
        /// Forgets the download progress: writes a DOWNLOADING record with a zero source tag, a
        /// fresh bitmap and <paramref name="error"/> as last_error (one otadata write).
        /// </summary>
        public void DropProgress(OtaError error)
        {
            if (_pipe != null)
            {
                _pipe.Quiesce();
            }

            OtaStateRecord rec = _store.ReadCurrent();
            if (rec == null || rec.State != OtaState.Downloading)
            {
                return;
            }

            rec.SourceTag = new byte[OtaStateRecord.SourceTagLength];
            rec.LastError = error;
            _store.WriteNext(rec, false);
        }

        private void AcceptHeader()
        {
            if (_expectedHeader != null && !Bytes.Equal(_headerBytes, 0, _expectedHeader, 0, ImageHeader.Size))
            {
                throw new OtaException(OtaError.HttpLength, "package header differs from the one first seen (file changed on the server)");
            }

            ImageHeader h = CheckHeader(_headerBytes, 0);
            if (_check != null)
            {
                _check(h);
            }

            int blocks = (int)((PackageLength(h) + BlockSize - 1) / BlockSize);
            if (blocks > OtaStateStore.MaxBlocks)
            {
                throw new OtaException(OtaError.StateBitmapFull, "package of " + PackageLength(h) + " bytes needs " + blocks + " progress bits, otadata holds " + OtaStateStore.MaxBlocks);
            }

            OtaStateRecord rec = _store.ReadCurrent();
            if (rec == null)
            {
                rec = new OtaStateRecord();
            }

            rec.State = OtaState.Downloading;
            rec.LastError = OtaError.Ok;
            rec.StagedHeaderBytes = Copy(_headerBytes);
            rec.SourceTag = _sourceTag != null ? Copy(_sourceTag) : new byte[OtaStateRecord.SourceTagLength];
            rec.InstallAttempts = 0;
            _store.WriteNext(rec, false);

            _header = h;
            _total = PackageLength(h);
            _nextEraseSector = 0;
            System.Array.Copy(_headerBytes, 0, _page, 0, ImageHeader.Size);
            _pageFill = ImageHeader.Size;
            if (_pipe != null)
            {
                _pipe.Start(_total, 0);
            }
        }

        private void CheckTargets(ImageHeader h)
        {
            if (h.UpgradeImgAddr != _staging.Offset)
            {
                throw new OtaException(OtaError.ImgAddr, "upgrade_img_addr 0x" + h.UpgradeImgAddr.ToString("X8") + " is not the staging partition '" + _staging.Name + "' at 0x" + _staging.Offset.ToString("X8"));
            }

            if (OtaData != null && h.ImgHeaderAddr != OtaData.Offset)
            {
                throw new OtaException(OtaError.ImgAddr, "img_header_addr 0x" + h.ImgHeaderAddr.ToString("X8") + " is not the otadata partition '" + OtaData.Name + "' at 0x" + OtaData.Offset.ToString("X8"));
            }

            bool data = h.ImgType == ImageType.Data && DataTarget != null;
            if (h.ImgType != ImageType.App && !data)
            {
                throw new OtaException(OtaError.ImgAddr, "img_type " + ((int)h.ImgType) + ": this device stages app images only");
            }

            IFlashPartition target = data ? DataTarget : _app;
            if (target != null && h.ImgAddr != target.Offset)
            {
                throw new OtaException(OtaError.ImgAddr, "img_addr 0x" + h.ImgAddr.ToString("X8") + " is not the " + (data ? "data" : "app") + " partition '" + target.Name + "' at 0x" + target.Offset.ToString("X8"));
            }

            if (PackageLength(h) > _staging.Size)
            {
                throw new OtaException(OtaError.ImgTooLarge, "package of " + PackageLength(h) + " bytes does not fit staging '" + _staging.Name + "' (" + _staging.Size + " bytes)");
            }

            if (target != null && !h.Compressed && h.ImgLen > target.Size)
            {
                throw new OtaException(OtaError.ImgTooLarge, "image of " + h.ImgLen + " bytes does not fit " + (data ? "data" : "app") + " '" + target.Name + "' (" + target.Size + " bytes)");
            }
        }

        private void EnsureErased(long pos)
        {
            int sector = (int)(pos / _staging.SectorSize);
            while (_nextEraseSector <= sector)
            {
                _staging.Erase((uint)_nextEraseSector * _staging.SectorSize, _staging.SectorSize);
                _nextEraseSector++;
            }
        }

        // Programs one page (erasing the sectors it enters first), then marks the 4 KiB blocks it
        // completed as durable.
        private void Program(long address, byte[] buffer, int offset, int count)
        {
            long end = address + count;
            long firstOpen = address / BlockSize;
            long nowFull = end == _total ? (end + BlockSize - 1) / BlockSize : end / BlockSize;
            if (_pipe != null)
            {
                _pipe.Enqueue(address, buffer, offset, count, (int)firstOpen, (int)nowFull);
                return;
            }

            EnsureErased(address + count - 1);
            _staging.Write((uint)address, buffer, offset, count);
            for (long b = firstOpen; b < nowFull; b++)
            {
                _store.MarkBlockDurable((int)b);
            }
        }

        private void UpdateCrc(byte[] buffer, int offset, int count)
        {
            long bodyEnd = ImageHeader.Size + (long)_header.ImgLen;
            if (_pos >= bodyEnd)
            {
                return;
            }

            int n = _pos + count > bodyEnd ? (int)(bodyEnd - _pos) : count;
            _crc = Crc32.Update(_crc, buffer, offset, n);
            if (_pos + n == bodyEnd && _crc != _header.OrgChecksum)
            {
                DropProgress(OtaError.ImgBodyCrc);
                throw new OtaException(OtaError.ImgBodyCrc, "body CRC 0x" + _crc.ToString("X8") + ", header says 0x" + _header.OrgChecksum.ToString("X8"));
            }
        }

        private uint BodyCrc(long end)
        {
            uint crc = Crc32.Initial;
            long bodyEnd = ImageHeader.Size + (long)_header.ImgLen;
            if (end > bodyEnd)
            {
                end = bodyEnd;
            }

            long p = ImageHeader.Size;
            while (p < end)
            {
                int n = end - p < _scratch.Length ? (int)(end - p) : _scratch.Length;
                _staging.Read((uint)p, _scratch, 0, n);
                crc = Crc32.Update(crc, _scratch, 0, n);
                p += n;
            }

            return crc;
        }

        private void VerifyFlash(byte[] expectedSha256)
        {
            long bodyEnd = ImageHeader.Size + (long)_header.ImgLen;
            uint bodyCrc = Crc32.Initial;
            int sha = expectedSha256 != null ? _native.Sha256Begin() : -1;
            byte[] digest = null;
            try
            {
                long p = 0;
                while (p < _total)
                {
                    int n = _total - p < _scratch.Length ? (int)(_total - p) : _scratch.Length;
                    _staging.Read((uint)p, _scratch, 0, n);
                    if (p == 0 && !Bytes.Equal(_scratch, 0, _headerBytes, 0, ImageHeader.Size < n ? ImageHeader.Size : n))
                    {
                        throw new OtaException(OtaError.ImgHeaderCrc, "header in staging flash differs from the one downloaded");
                    }

                    int bodyFrom = p < ImageHeader.Size ? (int)(ImageHeader.Size - p) : 0;
                    long stop = p + n < bodyEnd ? p + n : bodyEnd;
                    if (stop > p + bodyFrom)
                    {
                        bodyCrc = Crc32.Update(bodyCrc, _scratch, bodyFrom, (int)(stop - p - bodyFrom));
                    }

                    if (sha >= 0)
                    {
                        _native.Sha256Update(sha, _scratch, 0, n);
                    }

                    p += n;
                }
            }
            finally
            {
                if (sha >= 0)
                {
                    digest = new byte[32];
                    _native.Sha256Finish(sha, digest, 0);
                }
            }

            if (bodyCrc != _header.OrgChecksum)
            {
                throw new OtaException(OtaError.ImgBodyCrc, "body CRC in staging flash is 0x" + bodyCrc.ToString("X8") + ", header says 0x" + _header.OrgChecksum.ToString("X8"));
            }

            if (digest != null && !Bytes.Equal(digest, 0, expectedSha256, 0, 32))
            {
                throw new OtaException(OtaError.ImgBodyCrc, "package SHA-256 differs from the manifest");
            }
        }

        private static byte[] Copy(byte[] a)
        {
            byte[] c = new byte[a.Length];
            System.Array.Copy(a, c, a.Length);
            return c;
        }
    }
}
