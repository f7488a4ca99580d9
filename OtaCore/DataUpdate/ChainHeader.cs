using OtaCore.Image;

namespace OtaCore.DataUpdate
{
    /// <summary>
    /// The first header of a package that may be a multi-image chain (docs/design.md section 15):
    /// `next` = offset of the second image = the end of the first (no gap), and in an app image
    /// with `next` set, flags bit 6 `deploy_compat`. Everything else is checked exactly like
    /// <see cref="ImageHeader.Parse"/> (same order and codes; the C installer does the same in
    /// ota_multi_image.c). The second image is checked by the bootloader before anything is written.
    /// </summary>
    public static class ChainHeader
    {
        /// <summary>Flags bit 6: the new nanoCLR also runs the deployment already on the device.</summary>
        public const uint DeployCompatFlag = 0x40;

        /// <summary>
        /// Parses a package's first header; the result keeps the real <c>Next</c> and <c>Flags</c>.
        /// A set <c>next</c> must belong to an unsigned app image and equal its end (ImgNext).
        /// </summary>
        public static ImageHeader Parse(byte[] buf, int offset)
        {
            if (buf == null || offset < 0 || buf.Length - offset < ImageHeader.Size)
            {
                throw new OtaException(OtaError.ImgTruncated, "header needs 64 bytes");
            }

            uint next = ImageHeader.ReadU32(buf, offset + 0x38);
            if (next == 0)
            {
                return ImageHeader.Parse(buf, offset);
            }

            byte[] plain = new byte[ImageHeader.Size];
            System.Array.Copy(buf, offset, plain, 0, ImageHeader.Size);
            bool crcOk = Crc32.Compute(buf, offset, ImageHeader.Size - 4) == ImageHeader.ReadU32(buf, offset + 0x3C);
            uint flags = ImageHeader.ReadU32(plain, 0x30);
            bool app = (ImageHeader.ReadU32(plain, 0x04) & 0xF) == (uint)ImageType.App;
            ImageHeader.WriteU32(plain, 0x38, 0);
            if (app)
            {
                ImageHeader.WriteU32(plain, 0x30, flags & ~DeployCompatFlag);
            }

            if (crcOk)
            {
                ImageHeader.WriteU32(plain, 0x3C, Crc32.Compute(plain, 0, ImageHeader.Size - 4));
            }

            ImageHeader h = ImageHeader.Parse(plain, 0); // a bad original CRC stays ImgHeaderCrc
            if (!app || h.Signed)
            {
                throw new OtaException(OtaError.ImgNext, "next is set: only an unsigned app image may start a chain");
            }

            if (next != h.TotalLength)
            {
                throw new OtaException(OtaError.ImgNext, "next 0x" + next.ToString("X") + " is not the end of the first image (0x" + h.TotalLength.ToString("X") + ")");
            }

            h.Next = next;
            h.Flags = flags;
            h.HdChecksum = ImageHeader.ReadU32(buf, offset + 0x3C);
            return h;
        }

        /// <summary>
        /// Length of the whole package: the image itself, or for a chain the declared length
        /// (the manifest's size), which must reach past the second header (ImgNext; 0 = unknown).
        /// </summary>
        public static long PackageLength(ImageHeader h, long declared)
        {
            if (h.Next == 0)
            {
                return h.TotalLength;
            }

            if (declared < (long)h.Next + ImageHeader.Size)
            {
                throw new OtaException(OtaError.ImgNext, "multi-image package without a length that reaches its second image");
            }

            return declared;
        }
    }
}
