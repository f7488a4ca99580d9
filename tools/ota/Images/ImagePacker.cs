using OtaCore;
using OtaCore.Image;
using OtaCore.Partitions;
using Ota.Tools.Xz;

namespace Ota.Tools.Images;

/// <summary>
/// Builds update images (docs/design.md section 3): a full image = header + firmware padded with
/// 0xFF to a multiple of 4; a compressed image = outer header (compress_type xz) + the XZ stream
/// of the whole full image, padded the same way.
/// </summary>
public static class ImagePacker
{
    /// <summary>Pads with 0xFF to a multiple of 4.</summary>
    public static byte[] Pad4(byte[] data)
    {
        int n = (data.Length + 3) & ~3;
        if (n == data.Length) return data;
        byte[] r = new byte[n];
        Array.Copy(data, r, data.Length);
        for (int i = data.Length; i < n; i++) r[i] = 0xFF;
        return r;
    }

    /// <summary>
    /// A header template whose addresses come from <paramref name="table"/>: img_addr = the
    /// target partition, img_header_addr = otadata, upgrade_img_addr = staging; img_type from
    /// the target's partition type.
    /// </summary>
    public static ImageHeader Template(PartitionTable table, string target, string version, uint updNo)
    {
        PartitionEntry t = table.Find(target) ?? throw new OtaException(OtaError.ImgAddr, $"target partition '{target}' is not in the partition table");
        var h = new ImageHeader
        {
            ImgType = t.Type == PartitionTypes.App ? ImageType.App : ImageType.Data,
            ImgAddr = t.Offset,
            ImgHeaderAddr = table.OtaData!.Offset,
            UpgradeImgAddr = table.Staging!.Offset,
            UpdNo = updNo,
        };
        h.Version = version;
        return h;
    }

    /// <summary>The full image for <paramref name="firmware"/> (checked to fit <paramref name="target"/>).</summary>
    public static byte[] BuildFull(ImageHeader template, byte[] firmware, PartitionEntry target)
    {
        if (firmware.Length == 0) throw new OtaException(OtaError.ImgLength, "firmware is empty");
        byte[] body = Pad4(firmware);
        if ((ulong)body.Length > target.Size)
        {
            throw new OtaException(OtaError.ImgTooLarge, $"firmware is {body.Length} bytes, partition '{target.Name}' holds {target.Size}");
        }
        template.Compressed = false;
        template.ImgLen = (uint)body.Length;
        template.OrgChecksum = Crc32.Compute(body, 0, body.Length);
        byte[] img = new byte[ImageHeader.Size + body.Length];
        template.WriteTo(img, 0);
        Array.Copy(body, 0, img, ImageHeader.Size, body.Length);
        return img;
    }

    /// <summary>
    /// The compressed package of a full image: the outer header copies type, addresses, upd_no,
    /// ver, flags and the erase attributes from the inner one; checked to fit <paramref name="staging"/>.
    /// </summary>
    /// <param name="riscvBcj">apply the RISC-V BCJ filter (xz filter 0x0B) before LZMA2.</param>
    public static byte[] BuildCompressed(byte[] fullImage, string preset, uint dictSize, PartitionEntry staging, bool riscvBcj = false)
    {
        ImageHeader inner = ImageHeader.Parse(fullImage, 0);
        byte[] body = Pad4(riscvBcj ? RiscVBcjXz.Compress(fullImage, preset, dictSize) : XzEncoder.Compress(fullImage, preset, dictSize));
        var outer = new ImageHeader
        {
            Attr = inner.Attr,
            ImgAddr = inner.ImgAddr,
            ImgHeaderAddr = inner.ImgHeaderAddr,
            UpgradeImgAddr = inner.UpgradeImgAddr,
            UpdNo = inner.UpdNo,
            Flags = inner.Flags,
        };
        outer.Version = inner.Version;
        outer.Compressed = true;
        outer.ImgLen = (uint)body.Length;
        outer.OrgChecksum = Crc32.Compute(body, 0, body.Length);
        byte[] img = new byte[ImageHeader.Size + body.Length];
        outer.WriteTo(img, 0);
        Array.Copy(body, 0, img, ImageHeader.Size, body.Length);
        if ((ulong)img.Length > staging.Size)
        {
            throw new OtaException(OtaError.ImgTooLarge, $"package is {img.Length} bytes, staging '{staging.Name}' holds {staging.Size}");
        }
        return img;
    }
}
