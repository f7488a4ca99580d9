namespace OtaCore.Text
{
    /// <summary>Hexadecimal digits in text (JSON escapes and digests, partition-table numbers, MD5 digests).</summary>
    internal static class HexDigit
    {
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
