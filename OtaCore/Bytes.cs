namespace OtaCore
{
    /// <summary>Byte-array comparisons shared by the engine, the staging writer and the device app.</summary>
    public static class Bytes
    {
        /// <summary>True when <paramref name="a"/> and <paramref name="b"/> have the same length and bytes.</summary>
        public static bool Equal(byte[] a, byte[] b)
        {
            return a.Length == b.Length && Equal(a, 0, b, 0, a.Length);
        }

        /// <summary>True when the <paramref name="count"/> bytes at <paramref name="aOffset"/> and <paramref name="bOffset"/> are equal.</summary>
        public static bool Equal(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (a[aOffset + i] != b[bOffset + i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when every byte of <paramref name="a"/> is 0.</summary>
        public static bool IsZero(byte[] a)
        {
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
