namespace Ota.Tools.Xz;

/// <summary>
/// The RISC-V BCJ filter of the XZ format (filter id 0x0B, xz ≥ 5.6), written from the format's
/// description because the system liblzma 5.4 has no RISC-V filter. The encoder turns
/// pc-relative targets of calls (JAL x1/x5, AUIPC+JALR) and address/load/store pairs
/// (AUIPC+inst2) into absolute addresses so repeated targets become repeated bytes; the decoder
/// restores them. Both scan from offset 0 in 2-byte steps and visit the same positions, so the
/// filter is exact on any data; the last 7 bytes of a buffer are never converted.
/// Layout of the converted forms: see bootloader-native/core/src/xz_bcj_riscv.c (the device's
/// decoder) and docs/design.md, section 10.
/// </summary>
public static class RiscVBcj
{
    /// <summary>XZ filter id of the RISC-V BCJ filter.</summary>
    public const ulong FilterId = 0x0B;

    /// <summary>Encodes <paramref name="buf"/> in place (filter position of buf[0] = <paramref name="start"/>).</summary>
    public static void Encode(byte[] buf, uint start) => Run(buf, start, encode: true);

    /// <summary>Decodes <paramref name="buf"/> in place (the inverse of <see cref="Encode"/>).</summary>
    public static void Decode(byte[] buf, uint start) => Run(buf, start, encode: false);

    private static void Run(byte[] b, uint start, bool encode)
    {
        int p = 0;
        while (p + 8 <= b.Length)
        {
            uint pc = start + (uint)p;
            if (b[p] == 0xEF)
            {
                // JAL; only rd = x1 (ra) or x5 (t0)
                if ((b[p + 1] & 0x0D) != 0) { p += 2; continue; }
                uint inst = Le32(b, p);
                uint addr;
                if (encode)
                {
                    addr = JTypeImmediate(inst) + pc;
                    // absolute address bits 20:1, most significant first
                    b[p + 1] = (byte)((uint)(b[p + 1] & 0x0F) | ((addr >> 13) & 0xF0));
                    b[p + 2] = (byte)(addr >> 9);
                    b[p + 3] = (byte)(addr >> 1);
                }
                else
                {
                    addr = ((uint)(b[p + 1] & 0xF0) << 13) | ((uint)b[p + 2] << 9) | ((uint)b[p + 3] << 1);
                    inst = 0xEFu | ((uint)(b[p + 1] & 0x0F) << 8) | JTypeField(addr - pc);
                    b[p + 1] = (byte)(inst >> 8);
                    b[p + 2] = (byte)(inst >> 16);
                    b[p + 3] = (byte)(inst >> 24);
                }
                p += 4;
            }
            else if ((b[p] & 0x7F) == 0x17)
            {
                // AUIPC
                uint inst = Le32(b, p), inst2;
                uint rd = (inst >> 7) & 0x1F;
                if (rd != 0 && rd != 2)
                {
                    inst2 = Le32(b, p + 4);
                    if ((inst2 & 3) != 3 || ((inst2 >> 15) & 0x1F) != rd) { p += 6; continue; }
                    if (encode)
                    {
                        // a real pair → stored form: x2 marker + inst2 bits 19:0, then the
                        // absolute address big-endian
                        uint imm12 = inst2 >> 20;
                        uint addr = (inst & 0xFFFFF000u) + imm12 - ((imm12 & 0x800) << 1) + pc;
                        WriteLe32(b, p, 0x17u | (2u << 7) | (inst2 << 12));
                        WriteBe32(b, p + 4, addr);
                    }
                    else
                    {
                        // raw data that looked like the stored form, swapped by the encoder
                        uint fake = (inst & 0xFFFFF000u) + (inst2 >> 20);
                        WriteLe32(b, p, 0x17u | (2u << 7) | (inst2 << 12));
                        WriteLe32(b, p + 4, fake);
                    }
                }
                else
                {
                    uint rs1 = inst >> 27;
                    if (rd != 2 || ((inst >> 12) & 3) != 3 || rs1 == 0 || rs1 == 2) { p += 4; continue; }
                    if (encode)
                    {
                        // raw data in the stored shape: swap (no arithmetic, little-endian)
                        uint fake = Le32(b, p + 4);
                        WriteLe32(b, p, 0x17u | (rs1 << 7) | (fake & 0xFFFFF000u));
                        WriteLe32(b, p + 4, (inst >> 12) | (fake << 20));
                    }
                    else
                    {
                        uint rel = Be32(b, p + 4) - pc;
                        WriteLe32(b, p, 0x17u | (rs1 << 7) | ((rel + 0x800u) & 0xFFFFF000u));
                        WriteLe32(b, p + 4, (inst >> 12) | (rel << 20));
                    }
                }
                p += 8;
            }
            else
            {
                p += 2;
            }
        }
    }

    /// <summary>Address bits 20:1 of a J-type instruction's immediate (not sign-extended).</summary>
    private static uint JTypeImmediate(uint inst) =>
        (inst & 0x000FF000u) | (((inst >> 20) & 1u) << 11) | (((inst >> 21) & 0x3FFu) << 1) | (((inst >> 31) & 1u) << 20);

    /// <summary>Instruction bits 31:12 holding address bits 20:1 in J-type order.</summary>
    private static uint JTypeField(uint addr) =>
        (addr & 0x000FF000u) | (((addr >> 11) & 1u) << 20) | (((addr >> 1) & 0x3FFu) << 21) | (((addr >> 20) & 1u) << 31);

    private static uint Le32(byte[] b, int p) => (uint)(b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24);

    private static uint Be32(byte[] b, int p) => (uint)(b[p + 3] | b[p + 2] << 8 | b[p + 1] << 16 | b[p] << 24);

    private static void WriteLe32(byte[] b, int p, uint v)
    {
        b[p] = (byte)v; b[p + 1] = (byte)(v >> 8); b[p + 2] = (byte)(v >> 16); b[p + 3] = (byte)(v >> 24);
    }

    private static void WriteBe32(byte[] b, int p, uint v)
    {
        b[p] = (byte)(v >> 24); b[p + 1] = (byte)(v >> 16); b[p + 2] = (byte)(v >> 8); b[p + 3] = (byte)v;
    }
}
