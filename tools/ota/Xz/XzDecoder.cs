using OtaCore;

namespace Ota.Tools.Xz;

/// <summary>
/// Decodes one XZ stream through the system liblzma, stopping at the stream end (the 0xFF
/// padding of an image body after it is reported, not decoded). liblzma errors map to the
/// shared codes XZ_FORMAT..XZ_OUTPUT_LIMIT; an integrity-check mismatch (which liblzma reports
/// as a data error) is told apart by decoding again with the check ignored.
/// </summary>
public static unsafe class XzDecoder
{
    /// <summary>The result of decoding: the output and how many input bytes the stream used.</summary>
    public sealed record Result(byte[] Output, int StreamLength);

    /// <summary>Decodes the stream at the start of <paramref name="input"/> (count bytes); at most <paramref name="outputLimit"/> output bytes.</summary>
    public static Result Decode(byte[] input, int offset, int count, long outputLimit)
    {
        if (RiscVBcjXz.IsBcjStream(input, offset, count)) return RiscVBcjXz.Decode(input, offset, count, outputLimit);
        try
        {
            return Run(input, offset, count, outputLimit, 0);
        }
        catch (OtaException e) when (e.Code == OtaError.XzData)
        {
            try
            {
                Run(input, offset, count, outputLimit, LzmaNative.LZMA_IGNORE_CHECK);
            }
            catch (OtaException)
            {
                throw e;
            }
            throw new OtaException(OtaError.XzCheck, "XZ integrity check (CRC32/CRC64/SHA-256) does not match the data");
        }
    }

    /// <summary>Decodes like <see cref="Decode"/> without verifying the integrity check (the caller does).</summary>
    internal static Result DecodeIgnoringCheck(byte[] input, int offset, int count, long outputLimit) =>
        Run(input, offset, count, outputLimit, LzmaNative.LZMA_IGNORE_CHECK);

    private static Result Run(byte[] input, int offset, int count, long outputLimit, uint flags)
    {
        LzmaNative.LzmaStream strm = default;
        int rc = LzmaNative.lzma_stream_decoder(&strm, ulong.MaxValue, flags);
        if (rc != LzmaNative.LZMA_OK) throw new OtaException(OtaError.XzOptions, $"liblzma decoder init failed ({rc})");
        try
        {
            var output = new MemoryStream();
            byte[] chunk = new byte[1 << 20];
            fixed (byte* inp = input)
            fixed (byte* outp = chunk)
            {
                strm.next_in = inp + offset;
                strm.avail_in = (nuint)count;
                while (true)
                {
                    strm.next_out = outp;
                    strm.avail_out = (nuint)chunk.Length;
                    rc = LzmaNative.lzma_code(&strm, LzmaNative.LZMA_FINISH);
                    int produced = chunk.Length - (int)strm.avail_out;
                    if (output.Length + produced > outputLimit)
                    {
                        throw new OtaException(OtaError.XzOutputLimit, $"decompressed data exceeds {outputLimit} bytes");
                    }
                    output.Write(chunk, 0, produced);
                    if (rc == LzmaNative.LZMA_STREAM_END) break;
                    if (rc == LzmaNative.LZMA_OK) continue;
                    throw rc switch
                    {
                        LzmaNative.LZMA_FORMAT_ERROR => new OtaException(OtaError.XzFormat, "not an XZ stream (magic or header)"),
                        LzmaNative.LZMA_OPTIONS_ERROR => new OtaException(OtaError.XzOptions, "unsupported XZ options or filter"),
                        LzmaNative.LZMA_UNSUPPORTED_CHECK => new OtaException(OtaError.XzOptions, "unsupported XZ check type"),
                        LzmaNative.LZMA_MEMLIMIT_ERROR or LzmaNative.LZMA_MEM_ERROR => new OtaException(OtaError.XzMemlimit, "XZ dictionary too large"),
                        LzmaNative.LZMA_BUF_ERROR => new OtaException(OtaError.XzTruncated, $"XZ stream ends early (after {count} bytes of input)"),
                        _ => new OtaException(OtaError.XzData, $"corrupt XZ data (liblzma {rc}) at input byte {strm.total_in}"),
                    };
                }
            }
            return new Result(output.ToArray(), (int)strm.total_in);
        }
        finally
        {
            LzmaNative.lzma_end(&strm);
        }
    }
}
