using OtaCore.Text;

namespace OtaCore.Push
{
    /// <summary>
    /// Hex text of MD5 digests as the ArduinoOTA protocol writes them (32 lower-case hex
    /// characters), the login digest, and a constant-time comparison.
    /// </summary>
    public static class Md5Hex
    {
        /// <summary>Length of an MD5 digest in hex characters.</summary>
        public const int Length = 32;

        /// <summary>True when <paramref name="s"/> is 32 hex characters (either case).</summary>
        public static bool IsMd5Hex(string s)
        {
            if (s == null || s.Length != Length)
            {
                return false;
            }

            for (int i = 0; i < s.Length; i++)
            {
                if (HexDigit.Value(s[i]) < 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The 16 digest bytes of a 32-character hex string (call <see cref="IsMd5Hex"/> first).</summary>
        public static byte[] Parse(string hex)
        {
            byte[] b = new byte[Length / 2];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (byte)((HexDigit.Value(hex[2 * i]) << 4) | HexDigit.Value(hex[2 * i + 1]));
            }

            return b;
        }

        /// <summary>md5hex of the UTF-8 bytes of <paramref name="text"/>.</summary>
        public static string OfText(Platform.INativeServices native, string text)
        {
            byte[] b = System.Text.Encoding.UTF8.GetBytes(text);
            int h = native.Md5Begin();
            native.Md5Update(h, b, 0, b.Length);
            byte[] d = new byte[16];
            native.Md5Finish(h, d, 0);
            return HexDigit.Encode(d, 0, 16);
        }

        /// <summary>
        /// The login response ArduinoOTA expects: md5hex(passwordMd5Hex + ":" + nonce + ":" + cnonce),
        /// where <paramref name="passwordMd5Hex"/> is md5hex(password), the only form the device stores.
        /// </summary>
        public static string LoginResponse(Platform.INativeServices native, string passwordMd5Hex, string nonce, string cnonce)
        {
            return OfText(native, passwordMd5Hex.ToLower() + ":" + nonce + ":" + cnonce);
        }

        /// <summary>
        /// Compares two hex strings case-insensitively in time that depends only on their lengths
        /// (no early exit at the first differing character).
        /// </summary>
        public static bool ConstantTimeEquals(string a, string b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int diff = 0;
            for (int i = 0; i < a.Length; i++)
            {
                diff |= Lower(a[i]) ^ Lower(b[i]);
            }

            return diff == 0;
        }

        private static int Lower(char c)
        {
            return c >= 'A' && c <= 'Z' ? c + 32 : c;
        }
    }
}
