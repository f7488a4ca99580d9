using System.Security.Cryptography;
using OtaCore;
using OtaCore.Image;
using Ota.Tools.Util;

namespace Ota.Tools.Signing;

/// <summary>
/// ECDSA P-256 keys in PEM (PKCS#8 private keys, SubjectPublicKeyInfo public keys) through .NET's
/// built-in crypto, and the key id of docs/design.md ("Signature block"): the first 8 bytes of
/// SHA-256 of the SEC1 uncompressed public point (04 || X || Y).
/// </summary>
public static class SigningKeys
{
    /// <summary>OID of the NIST P-256 (secp256r1) curve.</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>A new P-256 key pair.</summary>
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Loads a private key (E807 SIG_KEY_FORMAT when the PEM holds no P-256 private key).</summary>
    public static ECDsa LoadPrivate(string path)
    {
        var key = Load(path);
        try
        {
            key.ExportParameters(true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new OtaException(OtaError.SigKeyFormat, $"'{path}' holds a public key; signing needs the private key");
        }
        return key;
    }

    /// <summary>Loads a public key (a private key PEM works too: its public half is used).</summary>
    public static ECDsa LoadPublic(string path) => Load(path);

    /// <summary>The 65-byte uncompressed public point 04 || X || Y.</summary>
    public static byte[] PublicPoint(ECDsa key)
    {
        var p = key.ExportParameters(false);
        byte[] pt = new byte[SignatureBlock.PublicPointLength];
        pt[0] = 0x04;
        p.Q.X!.CopyTo(pt, 1);
        p.Q.Y!.CopyTo(pt, 33);
        return pt;
    }

    /// <summary>The 8-byte key id of <paramref name="key"/>.</summary>
    public static byte[] KeyId(ECDsa key) => SHA256.HashData(PublicPoint(key))[..SignatureBlock.KeyIdLength];

    /// <summary>The key id as hex.</summary>
    public static string KeyIdHex(ECDsa key) => Convert.ToHexString(KeyId(key)).ToLowerInvariant();

    /// <summary>PEM text of the private key (PKCS#8).</summary>
    public static string PrivatePem(ECDsa key) => key.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>PEM text of the public key (SubjectPublicKeyInfo).</summary>
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem() + "\n";

    private static ECDsa Load(string path)
    {
        string text = OutputFile.ReadText(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(text);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new OtaException(OtaError.SigKeyFormat, $"'{path}' is not an EC key in PEM: {e.Message}");
        }
        var curve = key.ExportParameters(false).Curve;
        if (curve.Oid?.Value != P256Oid && curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256" or "secP256r1"))
        {
            key.Dispose();
            throw new OtaException(OtaError.SigKeyFormat, $"'{path}' is not a P-256 key (curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "explicit"})");
        }
        return key;
    }
}
