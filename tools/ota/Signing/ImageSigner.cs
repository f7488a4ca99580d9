using System.Security.Cryptography;
using OtaCore;
using OtaCore.Image;
using Ota.Tools.Images;

namespace Ota.Tools.Signing;

/// <summary>
/// Signs an update image (docs/design.md, "Signature block and signed mode"): sets
/// <c>img_attr.signature</c> and <c>prikey_sel</c>, recomputes <c>hd_checksum</c>, and appends the
/// 256-byte block whose <c>image_sha256</c>/<c>image_size</c> bind the full image the package
/// installs (decompressed for xz). The ECDSA P-256 signature (DER) is over
/// SHA-256(header ‖ body ‖ block[0..0x60)). An already signed input is re-signed (its old block is
/// dropped), which is how an image moves to a new key.
/// </summary>
public static class ImageSigner
{
    /// <summary>Returns the signed image; the input must be a valid image (E1xx/E2xx otherwise).</summary>
    public static byte[] Sign(byte[] image, ECDsa key, int slot = 0)
    {
        if (slot < 0 || slot > 7) throw new OtaException(OtaError.Usage, "key slot must be 0..7");
        byte[] unsigned = Unsigned(image);
        var inspected = ImageInspector.Verify(unsigned);

        var h = ImageHeader.Parse(unsigned, 0);
        h.Signed = true;
        h.PrikeySel = slot;
        int bodyLen = (int)h.ImgLen;
        byte[] signedImage = new byte[ImageHeader.Size + bodyLen + SignatureBlock.Size];
        h.WriteTo(signedImage, 0);
        Array.Copy(unsigned, ImageHeader.Size, signedImage, ImageHeader.Size, bodyLen);

        // The full image the device ends up with: the decoded stream for xz, else this image
        // itself (its header now carries the signature bit).
        byte[] full = h.Compressed ? inspected.Full(unsigned) : signedImage.AsSpan(0, ImageHeader.Size + bodyLen).ToArray();
        var block = new SignatureBlock
        {
            KeyId = SigningKeys.KeyId(key),
            ImageSize = (uint)full.Length,
            ImageSha256 = SHA256.HashData(full),
        };
        int at = ImageHeader.Size + bodyLen;
        block.WriteTo(signedImage, at);
        byte[] sig = key.SignData(signedImage, 0, at + SignatureBlock.SignedLength, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        block.Signature = sig;
        block.WriteTo(signedImage, at);

        ImageVerifier.Verify(signedImage, new[] { key });
        return signedImage;
    }

    /// <summary>The image without signature: a signed input loses its block and its signature bits.</summary>
    public static byte[] Unsigned(byte[] image)
    {
        var h = ImageHeader.Parse(image, 0);
        if (!h.Signed) return image;
        if (image.Length < h.TotalLength)
        {
            throw new OtaException(OtaError.ImgTruncated, $"image is {image.Length} bytes, header + img_len + signature block need {h.TotalLength}");
        }
        if (image.Length > h.TotalLength)
        {
            throw new OtaException(OtaError.ImgTrailing, $"{image.Length - h.TotalLength} bytes after the signature block");
        }
        h.Signed = false;
        h.PrikeySel = 0;
        byte[] r = new byte[ImageHeader.Size + h.ImgLen];
        h.WriteTo(r, 0);
        Array.Copy(image, ImageHeader.Size, r, ImageHeader.Size, h.ImgLen);
        return r;
    }
}
