using System.Security.Cryptography;
using OtaCore;
using OtaCore.Image;
using Ota.Tools.Images;

namespace Ota.Tools.Signing;

/// <summary>
/// Host-side check of a signed image in the documented order (docs/design.md, "Signature block
/// and signed mode"): header, signature bit (SIG_MISSING), length, body CRC, block format,
/// key id (SIG_KEY_UNKNOWN), ECDSA (SIG_BAD), then the full image (xz decoded, inner image valid)
/// against image_size/image_sha256 (SIG_HASH). The device and bootloader check the same things
/// with mbedTLS.
/// </summary>
public static class ImageVerifier
{
    /// <summary>What a successful verification found.</summary>
    public sealed record Result(ImageHeader Header, SignatureBlock Block, ECDsa Key, byte[] FullImage);

    /// <summary>Verifies <paramref name="image"/> against the trusted <paramref name="keys"/>; throws the first failure.</summary>
    public static Result Verify(byte[] image, IReadOnlyList<ECDsa> keys)
    {
        var h = ImageHeader.Parse(image, 0);
        if (!h.Signed) throw new OtaException(OtaError.SigMissing, "image is not signed (img_attr.signature = 0)");
        ImageHeader.ParseImage(image, 0, image.Length);
        int at = ImageHeader.Size + (int)h.ImgLen;
        var block = SignatureBlock.Parse(image, at);

        ECDsa? key = keys.FirstOrDefault(k => block.KeyIdEquals(SigningKeys.KeyId(k), 0));
        if (key == null)
        {
            throw new OtaException(OtaError.SigKeyUnknown, $"key id {block.KeyIdHex()} is not among the {keys.Count} trusted key(s)");
        }
        byte[] sig = block.Signature;
        if (!key.VerifyData(image, 0, at + SignatureBlock.SignedLength, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            throw new OtaException(OtaError.SigBad, $"ECDSA signature does not verify with key {block.KeyIdHex()}");
        }

        var inspected = ImageInspector.Verify(image);
        byte[] full = h.Compressed ? inspected.Full(image) : image.AsSpan(0, at).ToArray();
        if (full.Length != block.ImageSize)
        {
            throw new OtaException(OtaError.SigHash, $"full image is {full.Length} bytes, the signature block says {block.ImageSize}");
        }
        if (!block.ImageHashEquals(SHA256.HashData(full), 0))
        {
            throw new OtaException(OtaError.SigHash, "SHA-256 of the full image differs from image_sha256");
        }
        return new Result(h, block, key, full);
    }
}
