namespace OtaCore.Image
{
    /// <summary>
    /// The CRC-32 of the WinnerMicro image header: reflected polynomial 0xEDB88320, initial value
    /// 0xFFFFFFFF and no final XOR (check value for "123456789" is 0x340BC6D9). Streaming: start
    /// from <see cref="Initial"/> and call <see cref="Update"/> per chunk; the running value is the
    /// result.
    /// </summary>
    public static class Crc32
    {
        /// <summary>The initial register value.</summary>
        public const uint Initial = 0xFFFFFFFF;

        private static readonly uint[] Table = BuildTable();

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[i] = c;
            }

            return table;
        }

        /// <summary>Continues <paramref name="crc"/> over <paramref name="count"/> bytes.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint[] t = Table;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        /// <summary>The CRC of one buffer range.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Update(Initial, data, offset, count);
        }
    }
}
