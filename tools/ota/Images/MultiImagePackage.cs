using OtaCore;
using OtaCore.Image;
using OtaCore.Partitions;

namespace Ota.Tools.Images;

/// <summary>
/// Multi-image packages (docs/design.md section 15): images chained by the header's `next`
/// (offset from the package start of the next header). At most two images: an optional app
/// image first, then one data image. Flags bit 6 (<see cref="DeployCompatFlag"/>) is allowed in
/// the app header of a chain only. Each image is otherwise an ordinary full or xz image.
/// </summary>
public static class MultiImagePackage
{
    /// <summary>Header flags bit 6: the new nanoCLR also runs the deployment already on the device.</summary>
    public const uint DeployCompatFlag = 1u << 6;

    /// <summary>Most images in one package.</summary>
    public const int MaxImages = 2;

    /// <summary>One image of a chain.</summary>
    public sealed record Part(int Offset, int Length, ImageHeader Header, ImageInspector Inspection);

    /// <summary>Chains an app image and a data image; returns the package bytes.</summary>
    public static byte[] Chain(byte[] app, byte[] data, bool deployCompat, PartitionTable table)
    {
        var a = CheckAlone(app, "first image");
        var d = CheckAlone(data, "second image");
        if (a.Header!.ImgType != ImageType.App)
            throw new OtaException(OtaError.ImgNext, "first image of a chain must be an app image (img_type 1)");
        if (d.Header!.ImgType != ImageType.Data)
            throw new OtaException(OtaError.ImgNext, "second image of a chain must be a data image (img_type 2)");
        var pkg = new byte[app.Length + data.Length];
        Buffer.BlockCopy(app, 0, pkg, 0, app.Length);
        Buffer.BlockCopy(data, 0, pkg, app.Length, data.Length);
        uint flags = ImageHeader.ReadU32(pkg, 0x30) | (deployCompat ? DeployCompatFlag : 0);
        ImageHeader.WriteU32(pkg, 0x30, flags);
        ImageHeader.WriteU32(pkg, 0x38, (uint)app.Length);
        ImageHeader.WriteU32(pkg, 0x3C, Crc32.Compute(pkg, 0, 0x3C));
        var staging = table.Staging!;
        if ((ulong)pkg.Length > staging.Size)
            throw new OtaException(OtaError.ImgTooLarge, $"package is {pkg.Length} bytes, staging '{staging.Name}' holds {staging.Size}");
        Parse(pkg);
        return pkg;
    }

    /// <summary>Splits and checks a package (single images too); throws the first problem.</summary>
    public static List<Part> Parse(byte[] pkg)
    {
        var parts = new List<Part>();
        int offset = 0;
        while (true)
        {
            if (parts.Count == MaxImages)
                throw new OtaException(OtaError.ImgNext, $"more than {MaxImages} images in a chain");
            if (pkg.Length - offset < ImageHeader.Size)
                throw new OtaException(OtaError.ImgTruncated, $"image {parts.Count + 1} at 0x{offset:X}: no header");
            uint next = ImageHeader.ReadU32(pkg, offset + 0x38);
            uint flags = ImageHeader.ReadU32(pkg, offset + 0x30);
            var raw = ImageHeader.ReadRaw(pkg, offset);
            long total = raw.TotalLength;
            if (total > pkg.Length - offset)
                throw new OtaException(OtaError.ImgTruncated, $"image {parts.Count + 1} at 0x{offset:X}: {total} bytes, {pkg.Length - offset} present");
            if (next != 0 && (next != offset + total || next >= pkg.Length))
                throw new OtaException(OtaError.ImgNext, $"image {parts.Count + 1}: next 0x{next:X} is not the end of the image (0x{offset + total:X}) inside the package ({pkg.Length} bytes)");
            bool chained = next != 0 || parts.Count > 0;
            var one = new byte[next != 0 ? next - offset : pkg.Length - offset];
            Buffer.BlockCopy(pkg, offset, one, 0, one.Length);
            if (next != 0 || (flags & DeployCompatFlag) != 0)
            {
                // the header is checked with its real CRC first, then with the chain fields cleared
                if (raw.MagicNo == ImageHeader.Magic && Crc32.Compute(one, 0, 0x3C) != raw.HdChecksum)
                    throw new OtaException(OtaError.ImgHeaderCrc, $"image {parts.Count + 1}: header CRC");
                bool compatOk = parts.Count == 0 && next != 0 && raw.ImgType == ImageType.App;
                ImageHeader.WriteU32(one, 0x38, 0);
                if (compatOk) ImageHeader.WriteU32(one, 0x30, flags & ~DeployCompatFlag);
                ImageHeader.WriteU32(one, 0x3C, Crc32.Compute(one, 0, 0x3C));
            }
            ImageInspector r;
            try
            {
                r = ImageInspector.Verify(one);
            }
            catch (OtaException e) when (chained)
            {
                throw new OtaException(e.Code, $"image {parts.Count + 1} at 0x{offset:X}: {e.Detail}");
            }
            if (r.Signature != null && chained)
                throw new OtaException(OtaError.ImgNext, $"image {parts.Count + 1}: signed images cannot be chained (not supported yet)");
            if (parts.Count > 0 && raw.ImgType != ImageType.Data)
                throw new OtaException(OtaError.ImgNext, $"image {parts.Count + 1}: only the first image of a chain may be an app image");
            if (parts.Count > 0 && raw.ImgAddr == parts[0].Header.ImgAddr)
                throw new OtaException(OtaError.ImgNext, $"image {parts.Count + 1}: same target 0x{raw.ImgAddr:X} as image 1");
            parts.Add(new Part(offset, one.Length, raw, r));
            if (next == 0) break;
            offset = (int)next;
        }
        return parts;
    }

    private static ImageInspector CheckAlone(byte[] img, string what)
    {
        try
        {
            var r = ImageInspector.Verify(img);
            if (r.Signature != null)
                throw new OtaException(OtaError.ImgNext, "signed images cannot be chained (not supported yet)");
            return r;
        }
        catch (OtaException e)
        {
            throw new OtaException(e.Code, $"{what}: {e.Detail}");
        }
    }
}
