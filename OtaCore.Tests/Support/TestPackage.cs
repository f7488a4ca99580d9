#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore.Image;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// Builds full update images (docs/design.md section 3) for the default 4 MB layout: a header
    /// made with OtaCore's ImageHeader (CRCs computed) and a deterministic pseudo-random body.
    /// </summary>
    public static class TestPackage
    {
        /// <summary>Default app partition offset.</summary>
        public const uint AppOffset = 0x20000;
        /// <summary>Default app partition size.</summary>
        public const uint AppSize = 0x1C0000;
        /// <summary>Default staging (app_ota) offset.</summary>
        public const uint StagingOffset = 0x1E0000;
        /// <summary>Default staging size.</summary>
        public const uint StagingSize = 0x110000;
        /// <summary>Default otadata offset.</summary>
        public const uint OtaDataOffset = 0x1E000;
        /// <summary>Default otadata size.</summary>
        public const uint OtaDataSize = 0x2000;

        /// <summary>The header a package of this version and body length gets (CRC of <paramref name="body"/>).</summary>
        public static ImageHeader Header(string version, uint updNo, byte[] body)
        {
            ImageHeader h = new ImageHeader();
            h.Attr = (uint)ImageType.App;
            h.ImgAddr = AppOffset;
            h.ImgLen = (uint)body.Length;
            h.ImgHeaderAddr = OtaDataOffset;
            h.UpgradeImgAddr = StagingOffset;
            h.OrgChecksum = Crc32.Compute(body, 0, body.Length);
            h.UpdNo = updNo;
            h.Version = version;
            return h;
        }

        /// <summary>A deterministic body of <paramref name="length"/> bytes (a multiple of 4).</summary>
        public static byte[] Body(int length, int seed)
        {
            byte[] b = new byte[length];
            uint x = (uint)seed * 2654435761u + 1;
            for (int i = 0; i < length; i++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                b[i] = (byte)x;
            }

            return b;
        }

        /// <summary>Header + body for a full image of <paramref name="version"/>.</summary>
        public static byte[] Build(string version, uint updNo, int bodyLength, int seed)
        {
            byte[] body = Body(bodyLength, seed);
            return Join(Header(version, updNo, body), body);
        }

        /// <summary>Serializes <paramref name="h"/> followed by <paramref name="body"/>.</summary>
        public static byte[] Join(ImageHeader h, byte[] body)
        {
            byte[] img = new byte[ImageHeader.Size + body.Length];
            h.WriteTo(img, 0);
            System.Array.Copy(body, 0, img, ImageHeader.Size, body.Length);
            return img;
        }
    }
}
