using System.Runtime.InteropServices;

namespace Ota.Tools.Xz;

/// <summary>
/// P/Invoke declarations for the system liblzma (liblzma.so.5, xz-utils 5.x). Only the stable
/// public API is used: lzma_stream (all-zero = LZMA_STREAM_INIT), lzma_lzma_preset,
/// lzma_stream_encoder, lzma_stream_decoder, lzma_code, lzma_end.
/// </summary>
internal static unsafe class LzmaNative
{
    private const string Lib = "liblzma.so.5";

    public const int LZMA_OK = 0, LZMA_STREAM_END = 1, LZMA_NO_CHECK = 2, LZMA_UNSUPPORTED_CHECK = 3,
        LZMA_GET_CHECK = 4, LZMA_MEM_ERROR = 5, LZMA_MEMLIMIT_ERROR = 6, LZMA_FORMAT_ERROR = 7,
        LZMA_OPTIONS_ERROR = 8, LZMA_DATA_ERROR = 9, LZMA_BUF_ERROR = 10, LZMA_PROG_ERROR = 11;

    public const int LZMA_RUN = 0, LZMA_FINISH = 3;
    public const int LZMA_CHECK_CRC32 = 1;
    public const ulong LZMA_FILTER_LZMA2 = 0x21;
    public const ulong LZMA_VLI_UNKNOWN = ulong.MaxValue;
    public const uint LZMA_PRESET_EXTREME = 0x80000000;
    public const uint LZMA_IGNORE_CHECK = 0x10;

    /// <summary>lzma_stream (liblzma 5.x layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LzmaStream
    {
        public byte* next_in;
        public nuint avail_in;
        public ulong total_in;
        public byte* next_out;
        public nuint avail_out;
        public ulong total_out;
        public void* allocator;
        public void* @internal;
        public void* reserved_ptr1, reserved_ptr2, reserved_ptr3, reserved_ptr4;
        public ulong seek_pos, reserved_int2;
        public nuint reserved_int3, reserved_int4;
        public int reserved_enum1, reserved_enum2;
    }

    /// <summary>lzma_filter.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LzmaFilter
    {
        public ulong id;
        public void* options;
    }

    /// <summary>Bytes reserved for lzma_options_lzma (the real struct is ~112 bytes; dict_size is its first field).</summary>
    public const int OptionsLzmaBytes = 256;

    /// <summary>Byte offsets of lc and lp (uint32 each) in lzma_options_lzma on a 64-bit host: dict_size, padding, preset_dict pointer, preset_dict_size, lc, lp, pb.</summary>
    public const int OptionsLcOffset = 20, OptionsLpOffset = 24;

    [DllImport(Lib)] public static extern int lzma_lzma_preset(void* options, uint preset);
    [DllImport(Lib)] public static extern int lzma_stream_encoder(LzmaStream* strm, LzmaFilter* filters, int check);
    [DllImport(Lib)] public static extern int lzma_stream_decoder(LzmaStream* strm, ulong memlimit, uint flags);
    [DllImport(Lib)] public static extern int lzma_code(LzmaStream* strm, int action);
    [DllImport(Lib)] public static extern void lzma_end(LzmaStream* strm);
    [DllImport(Lib)] public static extern IntPtr lzma_version_string();
}
