namespace OtaCore.Text
{
    /// <summary>Hexadecimal digits in text (JSON escapes and digests, partition-table numbers, MD5 digests).</summary>
    internal static class HexDigit
    {
        private const string LowerDigits = "0123456789abcdef";

        /// <summary>Lower-case hex of <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        internal static string Encode(byte[] data, int offset, int count)
        {
            char[] c = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                c[2 * i] = LowerDigits[data[offset + i] >> 4];
                c[(2 * i) + 1] = LowerDigits[data[offset + i] & 0xF];
            }

            return new string(c);
        }

        /// <summary>The value 0..15 of one hex digit (either case), or -1 when <paramref name="c"/> is not one.</summary>
        internal static int Value(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }
    }
}
