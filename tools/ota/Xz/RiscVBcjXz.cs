using System.Security.Cryptography;
using OtaCore;

namespace Ota.Tools.Xz;

/// <summary>
/// XZ streams with the chain RISC-V BCJ (0x0B) → LZMA2 on top of the system liblzma 5.4, which
/// knows neither side of the filter: the input is BCJ-encoded here (<see cref="RiscVBcj"/>), then
/// compressed by liblzma as a plain LZMA2 stream, and the filter entry is inserted into the one
/// block header (same header size: 12 bytes either way, so the index stays valid; the CRC32
/// check liblzma computed over the filtered bytes is replaced by the CRC32 of the real data).
/// Decoding reverses that. Such streams need xz ≥ 5.6 for `xz -dc`.
/// </summary>
public static class RiscVBcjXz
{
    private const int StreamHeaderSize = 12;

    /// <summary>Compresses <paramref name="input"/> into one XZ stream with the RISC-V BCJ filter in front of LZMA2.</summary>
    public static byte[] Compress(byte[] input, string preset, uint dictSize)
    {
        byte[] filtered = (byte[])input.Clone();
        RiscVBcj.Encode(filtered, 0);
        byte[] xz = XzEncoder.Compress(filtered, preset, dictSize);
        if (xz[7] != 0x01) throw new OtaException(OtaError.XzOptions, "RISC-V BCJ packing expects a CRC32 stream");
        var blk = BlockHeader.Parse(xz, StreamHeaderSize);
        blk.Filters.Insert(0, (RiscVBcj.FilterId, Array.Empty<byte>()));
        blk.WriteInto(xz, StreamHeaderSize);
        // the block check (CRC32 after the block's padded data) must cover the final output
        int checkAt = CheckOffset(xz, blk, xz.Length - 12);
        uint crc = XzCrc(input, 0, input.Length);
        BitConverter.TryWriteBytes(new Span<byte>(xz, checkAt, 4), crc);
        return xz;
    }

    /// <summary>True when the stream's first block header lists the RISC-V BCJ filter.</summary>
    public static bool IsBcjStream(byte[] input, int offset, int count)
    {
        if (count < StreamHeaderSize + 12 || input[offset] != 0xFD) return false;
        try
        {
            // only the stream and block headers are read (a block header is at most 1024 bytes)
            var blk = BlockHeader.Parse(input[offset..(offset + Math.Min(count, StreamHeaderSize + 1024))], StreamHeaderSize);
            return blk.Filters.Exists(f => f.Id == RiscVBcj.FilterId);
        }
        catch (OtaException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decodes a one-block stream whose chain is RISC-V BCJ → LZMA2 (any other use of the filter
    /// is XZ_OPTIONS): the filter entry is removed, liblzma decodes with its check ignored, the
    /// BCJ decoder runs over the output and the block check (CRC32 or SHA-256) is verified here.
    /// </summary>
    public static XzDecoder.Result Decode(byte[] input, int offset, int count, long outputLimit)
    {
        byte[] copy = input[offset..(offset + count)];
        var blk = BlockHeader.Parse(copy, StreamHeaderSize);
        if (blk.Filters.Count != 2 || blk.Filters[0].Id != RiscVBcj.FilterId || blk.Filters[1].Id != 0x21
            || (blk.Filters[0].Props.Length != 0 && blk.Filters[0].Props.Length != 4))
        {
            throw new OtaException(OtaError.XzOptions, "unsupported XZ filter chain (RISC-V BCJ must come right before LZMA2)");
        }
        uint start = blk.Filters[0].Props.Length == 4 ? BitConverter.ToUInt32(blk.Filters[0].Props) : 0;
        blk.Filters.RemoveAt(0);
        blk.WriteInto(copy, StreamHeaderSize);
        var res = XzDecoder.DecodeIgnoringCheck(copy, 0, copy.Length, outputLimit);
        int footer = res.StreamLength - 12;
        int pos = IndexAt(copy, footer) + 1; // the index: indicator, record count, records
        if (ReadVli(copy, ref pos) != 1)
        {
            throw new OtaException(OtaError.XzOptions, "RISC-V BCJ streams with more than one block are not supported by the host tools");
        }
        byte[] output = res.Output;
        RiscVBcj.Decode(output, start);
        int checkAt = CheckOffset(copy, blk, footer);
        byte checkType = (byte)(copy[7] & 0x0F);
        bool ok = checkType switch
        {
            0x00 => true,
            0x01 => BitConverter.ToUInt32(copy, checkAt) == XzCrc(output, 0, output.Length),
            0x0A => SHA256.HashData(output).AsSpan().SequenceEqual(copy.AsSpan(checkAt, 32)),
            _ => throw new OtaException(OtaError.XzOptions, "RISC-V BCJ streams need check none, CRC32 or SHA-256 in the host tools"),
        };
        if (!ok) throw new OtaException(OtaError.XzCheck, "XZ integrity check (CRC32/CRC64/SHA-256) does not match the data");
        return new XzDecoder.Result(output, res.StreamLength);
    }

    /// <summary>Offset of the first block's check: header, compressed data (from the index) padded to 4.</summary>
    private static int CheckOffset(byte[] xz, BlockHeader blk, int footer)
    {
        // the index follows the block's check; its first record holds (unpadded, uncompressed),
        // unpadded = header + compressed data + check
        int checkSize = (xz[7] & 0x0F) switch { 0 => 0, 1 => 4, 4 => 8, 0x0A => 32, _ => throw new OtaException(OtaError.XzOptions, "unsupported XZ check type") };
        int pos = IndexAt(xz, footer) + 1;
        ReadVli(xz, ref pos); // record count
        ulong unpadded = ReadVli(xz, ref pos);
        long comp = (long)unpadded - blk.Size - checkSize;
        return StreamHeaderSize + blk.Size + (int)((comp + 3) & ~3L);
    }

    /// <summary>Offset of the index of the stream whose 12-byte footer starts at <paramref name="footer"/> (its backward size).</summary>
    private static int IndexAt(byte[] xz, int footer) => (int)(footer - ((long)BitConverter.ToUInt32(xz, footer + 4) + 1) * 4);

    /// <summary>The CRC-32 of the XZ format (the usual zlib CRC, with the final XOR).</summary>
    private static uint XzCrc(byte[] b, int offset, int count) => ~OtaCore.Image.Crc32.Update(OtaCore.Image.Crc32.Initial, b, offset, count);

    private static ulong ReadVli(byte[] b, ref int pos)
    {
        ulong v = 0;
        for (int i = 0; i < 9; i++)
        {
            byte x = b[pos++];
            v |= (ulong)(x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) return v;
        }
        throw new OtaException(OtaError.XzData, "bad VLI in XZ header");
    }

    private static void WriteVli(List<byte> o, ulong v)
    {
        while (v >= 0x80) { o.Add((byte)(v | 0x80)); v >>= 7; }
        o.Add((byte)v);
    }

    /// <summary>A block header: size, flags, optional sizes, filter list.</summary>
    private sealed class BlockHeader
    {
        public int Size;
        public byte Flags;
        public ulong? Compressed, Uncompressed;
        public List<(ulong Id, byte[] Props)> Filters = new();

        public static BlockHeader Parse(byte[] b, int at)
        {
            var h = new BlockHeader { Size = (b[at] + 1) * 4, Flags = b[at + 1] };
            if (b[at] == 0 || at + h.Size > b.Length) throw new OtaException(OtaError.XzData, "no XZ block header");
            if (XzCrc(b, at, h.Size - 4) != BitConverter.ToUInt32(b, at + h.Size - 4))
            {
                throw new OtaException(OtaError.XzData, "XZ block header CRC mismatch");
            }
            int pos = at + 2;
            if ((h.Flags & 0x40) != 0) h.Compressed = ReadVli(b, ref pos);
            if ((h.Flags & 0x80) != 0) h.Uncompressed = ReadVli(b, ref pos);
            for (int i = 0; i < (h.Flags & 3) + 1; i++)
            {
                ulong id = ReadVli(b, ref pos);
                int n = (int)ReadVli(b, ref pos);
                h.Filters.Add((id, b[pos..(pos + n)]));
                pos += n;
            }
            return h;
        }

        /// <summary>Writes the header back at the same size (XZ_OPTIONS if it no longer fits).</summary>
        public void WriteInto(byte[] b, int at)
        {
            var o = new List<byte> { b[at], (byte)((Flags & ~3) | (Filters.Count - 1)) };
            if (Compressed is { } c) WriteVli(o, c);
            if (Uncompressed is { } u) WriteVli(o, u);
            foreach (var (id, props) in Filters)
            {
                WriteVli(o, id);
                WriteVli(o, (ulong)props.Length);
                o.AddRange(props);
            }
            if (o.Count > Size - 4) throw new OtaException(OtaError.XzOptions, "XZ block header has no room for the filter chain");
            while (o.Count < Size - 4) o.Add(0);
            o.CopyTo(b, at);
            BitConverter.TryWriteBytes(new Span<byte>(b, at + Size - 4, 4), XzCrc(b, at, Size - 4));
        }
    }
}
