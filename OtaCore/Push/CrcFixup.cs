using OtaCore.Image;

namespace OtaCore.Push
{
    /// <summary>
    /// Makes a CRC-32 (docs/design.md section 3: reflected 0xEDB88320, init 0xFFFFFFFF, no final
    /// XOR) come out at a value chosen in advance by appending 4 computed bytes. A raw firmware
    /// push needs its header (with <c>org_checksum</c>) before the first body byte arrives, but the
    /// CRC of the body is only known at the end: the header carries a target value, and the last
    /// 4 body bytes are computed so that the body's CRC equals it.
    /// </summary>
    public static class CrcFixup
    {
        private const uint Poly = 0xEDB88320;

        /// <summary>
        /// Writes 4 bytes at <paramref name="offset"/> such that
        /// <c>Crc32.Update(state, those 4 bytes) == target</c>.
        /// </summary>
        public static void Compute(uint state, uint target, byte[] output, int offset)
        {
            // Feeding a 32-bit little-endian word w to the register r gives M(r ^ w), where M is
            // 32 shifts with zero input: invertible. So w = M^-1(target) ^ r.
            uint x = target;
            for (int i = 0; i < 32; i++)
            {
                // One step forward: r' = (r >> 1) ^ (r & 1 ? Poly : 0). Bit 31 of r' is set exactly
                // when Poly was applied (r >> 1 has bit 31 clear), which tells the lost bit 0.
                if ((x & 0x80000000) != 0)
                {
                    x = ((x ^ Poly) << 1) | 1;
                }
                else
                {
                    x <<= 1;
                }
            }

            ImageHeader.WriteU32(output, offset, x ^ state);
        }
    }
}
