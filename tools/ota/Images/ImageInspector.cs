using OtaCore;
using OtaCore.Image;
using Ota.Tools.Xz;

namespace Ota.Tools.Images;

/// <summary>
/// Checks an image completely, as the device and bootloader would: header fields and CRC,
/// length, body CRC, no trailing bytes; for xz the stream is decoded (liblzma), bytes after it
/// must be the 0xFF padding, and the inner full image must itself be valid (IMG_INNER) and agree
/// with the outer header (IMG_INNER_MISMATCH).
/// </summary>
public sealed class ImageInspector
{
    /// <summary>Largest decompressed image accepted (16 MiB, the largest ESP32 flash).</summary>
    public const long MaxFullImage = 16L << 20;

    /// <summary>The header as read (possibly invalid), or null when the input is shorter than a header.</summary>
    public ImageHeader? Raw { get; private set; }

    /// <summary>The checked outer header (null when it did not parse).</summary>
    public ImageHeader? Header { get; private set; }

    /// <summary>Computed CRC of the header bytes 0..59 (when a header was present).</summary>
    public uint HeaderCrc { get; private set; }

    /// <summary>Computed CRC of the body (when the body was present).</summary>
    public uint? BodyCrc { get; private set; }

    /// <summary>For xz: the decoded full image.</summary>
    public byte[]? FullImage { get; private set; }

    /// <summary>For xz: length of the XZ stream inside the body.</summary>
    public int XzStreamLength { get; private set; }

    /// <summary>For xz: the inner header (when it parsed).</summary>
    public ImageHeader? Inner { get; private set; }

    /// <summary>For xz: computed CRC of the inner header bytes 0..59 (when <see cref="Inner"/> is set).</summary>
    public uint InnerHeaderCrc { get; private set; }

    /// <summary>For xz: computed CRC of the inner body (when the inner body was present).</summary>
    public uint? InnerBodyCrc { get; private set; }

    /// <summary>The signature block of a signed image (format checked; no key needed), else null.</summary>
    public SignatureBlock? Signature { get; private set; }

    /// <summary>The first problem found, or null.</summary>
    public OtaException? Error { get; private set; }

    /// <summary>Inspects <paramref name="img"/>; never throws for bad content (see <see cref="Error"/>).</summary>
    public static ImageInspector Inspect(byte[] img)
    {
        var r = new ImageInspector();
        try
        {
            r.Run(img);
        }
        catch (OtaException e)
        {
            r.Error = e;
        }
        return r;
    }

    /// <summary>Inspects and throws the first problem; returns the full (decompressed if needed) image.</summary>
    public static ImageInspector Verify(byte[] img)
    {
        var r = Inspect(img);
        if (r.Error != null) throw r.Error;
        return r;
    }

    /// <summary>The full image: the input itself when uncompressed, the decoded stream when xz.</summary>
    public byte[] Full(byte[] input) => FullImage ?? input;

    /// <summary>The header of the full image (inner for xz).</summary>
    public ImageHeader FullHeader => Inner ?? Header!;

    private void Run(byte[] img)
    {
        if (img.Length >= ImageHeader.Size)
        {
            Raw = ImageHeader.ReadRaw(img, 0);
            (HeaderCrc, BodyCrc) = Crcs(img, Raw);
        }
        Header = ImageHeader.ParseImage(img, 0, img.Length);
        if (Header.Signed) Signature = SignatureBlock.Parse(img, (int)SignatureBlock.OffsetIn(Header));
        if (!Header.Compressed) return;

        var res = XzDecoder.Decode(img, ImageHeader.Size, (int)Header.ImgLen, MaxFullImage);
        XzStreamLength = res.StreamLength;
        FullImage = res.Output;
        int after = (int)Header.ImgLen - res.StreamLength;
        for (int i = 0; i < after; i++)
        {
            if (after > 3 || img[ImageHeader.Size + res.StreamLength + i] != 0xFF)
            {
                throw new OtaException(OtaError.ImgTrailing, $"{after} bytes after the XZ stream are not the 0xFF padding");
            }
        }
        try
        {
            if (FullImage.Length >= ImageHeader.Size)
            {
                Inner = ImageHeader.ReadRaw(FullImage, 0);
                (InnerHeaderCrc, InnerBodyCrc) = Crcs(FullImage, Inner);
            }
            Inner = ImageHeader.ParseImage(FullImage, 0, FullImage.Length);
        }
        catch (OtaException e)
        {
            throw new OtaException(OtaError.ImgInner, "inner image: " + e.Message);
        }
        Header.CheckInner(Inner);
    }

    /// <summary>Computed CRCs of <paramref name="img"/>'s header bytes 0..59 and of its body (null when the body is missing).</summary>
    private static (uint Header, uint? Body) Crcs(byte[] img, ImageHeader raw)
    {
        uint? body = raw.ImgLen > 0 && img.Length - ImageHeader.Size >= raw.ImgLen ? Crc32.Compute(img, ImageHeader.Size, (int)raw.ImgLen) : null;
        return (Crc32.Compute(img, 0, ImageHeader.Size - 4), body);
    }
}
