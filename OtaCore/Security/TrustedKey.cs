using OtaCore.Image;
using OtaCore.Platform;
using OtaCore.Text;

namespace OtaCore.Security
{
    /// <summary>
    /// A public key the device trusts for signed updates: the SEC1 uncompressed P-256 point
    /// (04 || X || Y) and its key id, the first 8 bytes of SHA-256 of that point
    /// (docs/design.md section 3, "Signature block and signed mode").
    /// </summary>
    public class TrustedKey
    {
        // DER of a P-256 SubjectPublicKeyInfo up to the point: SEQUENCE, AlgorithmIdentifier
        // (id-ecPublicKey, prime256v1), BIT STRING header. The point follows (91 bytes in all).
        private static readonly byte[] SpkiPrefix = new byte[]
        {
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
            0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
        };

        private readonly byte[] _point;
        private readonly byte[] _keyId;

        private TrustedKey(byte[] point, byte[] keyId)
        {
            _point = point;
            _keyId = keyId;
        }

        /// <summary>The 65-byte uncompressed point (a copy).</summary>
        public byte[] Point
        {
            get { return Copy(_point); }
        }

        /// <summary>The 8-byte key id (a copy).</summary>
        public byte[] KeyId
        {
            get { return Copy(_keyId); }
        }

        /// <summary>The key id as 16 hex digits.</summary>
        public string KeyIdHex
        {
            get { return HexDigit.Encode(_keyId, 0, _keyId.Length); }
        }

        /// <summary>
        /// A key from its point; the key id is computed with <paramref name="native"/> (SHA-256).
        /// SigKeyFormat when it is not a 65-byte uncompressed point. (Whether the point lies on the
        /// curve is checked by the native ECDSA verification.)
        /// </summary>
        public static TrustedKey FromPoint(byte[] point, INativeServices native)
        {
            if (point == null || point.Length != SignatureBlock.PublicPointLength || point[0] != 0x04)
            {
                throw new OtaException(OtaError.SigKeyFormat, "a P-256 public key is a 65-byte uncompressed point (04 || X || Y)");
            }

            byte[] digest = new byte[32];
            int h = native.Sha256Begin();
            native.Sha256Update(h, point, 0, point.Length);
            native.Sha256Finish(h, digest, 0);
            byte[] id = new byte[SignatureBlock.KeyIdLength];
            System.Array.Copy(digest, 0, id, 0, id.Length);
            return new TrustedKey(Copy(point), id);
        }

        /// <summary>
        /// A key from the text `ota keygen --pub` writes: PEM "-----BEGIN PUBLIC KEY-----" (the
        /// lines may be joined), or just its base64 body (SubjectPublicKeyInfo of a P-256 point).
        /// SigKeyFormat for anything else.
        /// </summary>
        public static TrustedKey FromPem(string text, INativeServices native)
        {
            if (text == null) throw new OtaException(OtaError.SigKeyFormat, "no key text");
            string body = text;
            const string begin = "-----BEGIN PUBLIC KEY-----";
            const string end = "-----END PUBLIC KEY-----";
            int b = text.IndexOf(begin);
            if (b >= 0)
            {
                int e = text.IndexOf(end, b + begin.Length);
                if (e < 0) throw new OtaException(OtaError.SigKeyFormat, "PEM has no END PUBLIC KEY line");
                body = text.Substring(b + begin.Length, e - b - begin.Length);
            }

            char[] clean = new char[body.Length];
            int n = 0;
            for (int i = 0; i < body.Length; i++)
            {
                char c = body[i];
                if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
                if (!ok) throw new OtaException(OtaError.SigKeyFormat, "public key is not base64 (character '" + c + "')");
                clean[n++] = c;
            }

            byte[] der;
            try
            {
                der = System.Convert.FromBase64String(new string(clean, 0, n));
            }
            catch (System.FormatException)
            {
                throw new OtaException(OtaError.SigKeyFormat, "public key is not valid base64");
            }

            if (der.Length != SpkiPrefix.Length + SignatureBlock.PublicPointLength)
            {
                throw new OtaException(OtaError.SigKeyFormat, "public key is " + der.Length.ToString() + " DER bytes; a P-256 SubjectPublicKeyInfo is 91");
            }

            for (int i = 0; i < SpkiPrefix.Length; i++)
            {
                if (der[i] != SpkiPrefix[i]) throw new OtaException(OtaError.SigKeyFormat, "public key is not an uncompressed P-256 SubjectPublicKeyInfo");
            }

            byte[] point = new byte[SignatureBlock.PublicPointLength];
            System.Array.Copy(der, SpkiPrefix.Length, point, 0, point.Length);
            return FromPoint(point, native);
        }

        /// <summary>True when this key's id equals the 8 bytes at <paramref name="offset"/>.</summary>
        public bool HasId(byte[] id, int offset)
        {
            if (id == null || offset < 0 || id.Length - offset < _keyId.Length) return false;
            return Bytes.Equal(_keyId, 0, id, offset, _keyId.Length);
        }

        private static byte[] Copy(byte[] b)
        {
            byte[] r = new byte[b.Length];
            System.Array.Copy(b, r, b.Length);
            return r;
        }
    }
}
