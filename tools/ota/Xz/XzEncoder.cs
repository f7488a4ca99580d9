using System.Runtime.InteropServices;
using OtaCore;

namespace Ota.Tools.Xz;

/// <summary>
/// XZ compression of a whole image through the system liblzma: one stream, one LZMA2 filter,
/// integrity check CRC32. Options come from an xz preset (0..9, "e" = extreme) with the
/// dictionary size replaced.
/// </summary>
public static unsafe class XzEncoder
{
    /// <summary>Default preset: 9e.</summary>
    public const string DefaultPreset = "9e";

    /// <summary>Largest lc + lp the bootloader decodes (OTA_XZ_LCLP_MAX in ota_xz_state.h); xz presets use lc 3, lp 0.</summary>
    public const uint LcLpMax = 3;

    /// <summary>
    /// The dictionary size for <paramref name="inputLength"/> bytes when none is given:
    /// max(input, 4 KiB), rounded up to 2^n or 2^n + 2^(n-1) (the sizes an XZ header stores
    /// exactly), at most 64 MiB.
    /// </summary>
    public static uint DefaultDictSize(long inputLength) => RoundDict(Math.Max(inputLength, 4096));

    /// <summary>Rounds up to 2^n or 2^n + 2^(n-1), within 4 KiB..1.5 GiB.</summary>
    public static uint RoundDict(long size)
    {
        size = Math.Clamp(size, 4096, 1536L << 20);
        for (int n = 12; n < 31; n++)
        {
            long a = 1L << n, b = a + (a >> 1);
            if (size <= a) return (uint)a;
            if (size <= b) return (uint)b;
        }
        return 1536u << 20;
    }

    /// <summary>Parses "0".."9" with an optional "e" (extreme) into a liblzma preset value.</summary>
    public static uint ParsePreset(string s)
    {
        bool extreme = s.EndsWith('e');
        string d = extreme ? s[..^1] : s;
        if (d.Length != 1 || d[0] < '0' || d[0] > '9') throw new OtaException(OtaError.Usage, $"--preset '{s}' must be 0-9 with an optional 'e'");
        return (uint)(d[0] - '0') | (extreme ? LzmaNative.LZMA_PRESET_EXTREME : 0);
    }

    /// <summary>Compresses <paramref name="input"/> into one XZ stream.</summary>
    public static byte[] Compress(byte[] input, string preset, uint dictSize)
    {
        uint p = ParsePreset(preset);
        if (dictSize < 4096) throw new OtaException(OtaError.Usage, $"--dict {dictSize} is below the 4 KiB minimum");
        IntPtr opts = Marshal.AllocHGlobal(LzmaNative.OptionsLzmaBytes);
        try
        {
            new Span<byte>((void*)opts, LzmaNative.OptionsLzmaBytes).Clear();
            if (LzmaNative.lzma_lzma_preset((void*)opts, p) != 0) throw new OtaException(OtaError.XzOptions, $"liblzma rejected preset {preset}");
            *(uint*)opts = dictSize;
            uint lc = *(uint*)((byte*)opts + LzmaNative.OptionsLcOffset), lp = *(uint*)((byte*)opts + LzmaNative.OptionsLpOffset);
            if (lc + lp > LcLpMax)
                throw new OtaException(OtaError.XzOptions, $"preset {preset} gives lc {lc} + lp {lp} > {LcLpMax}: the bootloader decodes lc + lp <= {LcLpMax} only");
            var filters = stackalloc LzmaNative.LzmaFilter[2];
            filters[0].id = LzmaNative.LZMA_FILTER_LZMA2;
            filters[0].options = (void*)opts;
            filters[1].id = LzmaNative.LZMA_VLI_UNKNOWN;
            filters[1].options = null;
            LzmaNative.LzmaStream strm = default;
            int rc = LzmaNative.lzma_stream_encoder(&strm, filters, LzmaNative.LZMA_CHECK_CRC32);
            if (rc != LzmaNative.LZMA_OK) throw new OtaException(rc == LzmaNative.LZMA_MEM_ERROR ? OtaError.XzMemlimit : OtaError.XzOptions, $"liblzma encoder init failed ({rc})");
            try
            {
                var output = new MemoryStream(input.Length / 2 + 4096);
                byte[] chunk = new byte[1 << 20];
                fixed (byte* inp = input)
                fixed (byte* outp = chunk)
                {
                    strm.next_in = inp;
                    strm.avail_in = (nuint)input.Length;
                    while (true)
                    {
                        strm.next_out = outp;
                        strm.avail_out = (nuint)chunk.Length;
                        rc = LzmaNative.lzma_code(&strm, LzmaNative.LZMA_FINISH);
                        output.Write(chunk, 0, chunk.Length - (int)strm.avail_out);
                        if (rc == LzmaNative.LZMA_STREAM_END) break;
                        if (rc != LzmaNative.LZMA_OK) throw new OtaException(OtaError.XzOptions, $"liblzma encoder failed ({rc})");
                    }
                }
                return output.ToArray();
            }
            finally
            {
                LzmaNative.lzma_end(&strm);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(opts);
        }
    }
}
