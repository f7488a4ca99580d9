using OtaCore.Image;
using OtaCore.Platform;

namespace OtaCore.Security
{
    /// <summary>
    /// The managed engine's signature check (docs/design.md section 3, "Signature block and signed
    /// mode"): at header time an unsigned package in signed mode is refused before anything else is
    /// downloaded (SigMissing); before STAGED the package is verified as it lies in the staging
    /// flash, in the documented order: header, SigMissing, length, body CRC (ImgBodyCrc), block
    /// format (SigFormat/SigAlgorithm), key id (SigKeyUnknown), ECDSA through
    /// <see cref="INativeServices.VerifyEcdsaP256"/> (SigBad), and for an uncompressed package the
    /// image hash and size (SigHash). An xz package's decoded image is checked by the bootloader,
    /// which decompresses it. Synchronous; the caller owns the scratch buffer.
    /// </summary>
    public class PackageSignatureCheck
    {
        private readonly INativeServices _native;
        private readonly TrustedKeyRing _keys;

        /// <summary>Creates a check; an empty or null <paramref name="keys"/> is unsigned mode.</summary>
        public PackageSignatureCheck(INativeServices native, TrustedKeyRing keys)
        {
            _native = native;
            _keys = keys ?? new TrustedKeyRing();
        }

        /// <summary>True when a signature is required (at least one trusted key).</summary>
        public bool SignedMode
        {
            get { return _keys.SignedMode; }
        }

        /// <summary>Header-time policy: in signed mode an unsigned package is SigMissing.</summary>
        public void CheckHeader(ImageHeader h)
        {
            if (SignedMode && !h.Signed)
            {
                throw new OtaException(OtaError.SigMissing, "the device requires signed packages; version " + h.Version + " is not signed");
            }
        }

        /// <summary>
        /// Verifies the package at the start of <paramref name="staging"/>. Returns its block, or
        /// null for an unsigned package in unsigned mode. In unsigned mode a signed package gets its
        /// block format checked only. <paramref name="scratch"/>: at least 256 bytes.
        /// </summary>
        public SignatureBlock VerifyStaged(IFlashPartition staging, byte[] scratch)
        {
            if (scratch == null || scratch.Length < SignatureBlock.Size)
            {
                throw new OtaException(OtaError.Usage, "scratch buffer must hold at least 256 bytes");
            }

            staging.Read(0, scratch, 0, ImageHeader.Size);
            ImageHeader h = ImageHeader.Parse(scratch, 0);
            CheckHeader(h);
            if (h.TotalLength > staging.Size)
            {
                throw new OtaException(OtaError.ImgTooLarge, "package is " + h.TotalLength.ToString() + " bytes, staging holds " + staging.Size.ToString());
            }

            bool verify = h.Signed && SignedMode;
            bool hashImage = verify && !h.Compressed;
            int msg = verify ? _native.Sha256Begin() : -1;
            int img = hashImage ? _native.Sha256Begin() : -1;
            bool open = true;
            try
            {
                long bodyEnd = ImageHeader.Size + (long)h.ImgLen;
                uint crc = Crc32.Initial;
                long p = 0;
                while (p < bodyEnd)
                {
                    int n = bodyEnd - p < scratch.Length ? (int)(bodyEnd - p) : scratch.Length;
                    staging.Read((uint)p, scratch, 0, n);
                    int bodyFrom = p < ImageHeader.Size ? (int)(ImageHeader.Size - p) : 0;
                    if (n > bodyFrom) crc = Crc32.Update(crc, scratch, bodyFrom, n - bodyFrom);
                    if (msg >= 0) _native.Sha256Update(msg, scratch, 0, n);
                    if (img >= 0) _native.Sha256Update(img, scratch, 0, n);
                    p += n;
                }

                if (crc != h.OrgChecksum)
                {
                    throw new OtaException(OtaError.ImgBodyCrc, "staged body CRC is 0x" + crc.ToString("X8") + ", org_checksum 0x" + h.OrgChecksum.ToString("X8"));
                }

                if (!h.Signed) return null;
                staging.Read((uint)bodyEnd, scratch, 0, SignatureBlock.Size);
                SignatureBlock block = SignatureBlock.Parse(scratch, 0);
                if (!verify) return block;

                byte[] msgDigest = new byte[32];
                byte[] imgDigest = new byte[32];
                _native.Sha256Update(msg, scratch, 0, SignatureBlock.SignedLength);
                open = false;
                _native.Sha256Finish(msg, msgDigest, 0);
                if (img >= 0) _native.Sha256Finish(img, imgDigest, 0);

                TrustedKey key = _keys.Find(block.KeyId, 0);
                if (key == null)
                {
                    throw new OtaException(OtaError.SigKeyUnknown, "key id " + block.KeyIdHex() + " is not among the " + _keys.Count.ToString() + " trusted key(s)");
                }

                byte[] sig = block.Signature;
                if (!_native.VerifyEcdsaP256(key.Point, 0, msgDigest, 0, sig, 0, sig.Length))
                {
                    throw new OtaException(OtaError.SigBad, "ECDSA signature does not verify with key " + key.KeyIdHex);
                }

                if (hashImage && (block.ImageSize != (uint)bodyEnd || !block.ImageHashEquals(imgDigest, 0)))
                {
                    throw new OtaException(OtaError.SigHash, "the image differs from the signed image_size/image_sha256");
                }

                return block;
            }
            finally
            {
                if (open)
                {
                    byte[] discard = new byte[32];
                    if (msg >= 0) _native.Sha256Finish(msg, discard, 0);
                    if (img >= 0) _native.Sha256Finish(img, discard, 0);
                }
            }
        }
    }
}
