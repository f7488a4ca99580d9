using System.Security.Cryptography;
using System.Text;

namespace Ota.Tools.Images;

/// <summary>
/// A deterministic, realistic sample firmware for demos, tests and benchmarks: an ESP32 app image
/// (esp_image_header_t with magic 0xE9, four segments DROM/DRAM/IRAM/IROM, XOR checksum, appended
/// SHA-256) whose DROM starts with an esp_app_desc_t carrying the version. The content imitates
/// compiled code: Xtensa-like instruction streams built from a fixed vocabulary, literal pools of
/// addresses, log-format string tables and zero-filled data, so it compresses roughly like real
/// firmware. The same version and size always give the same bytes; two versions differ in a few
/// functions, like consecutive releases.
/// </summary>
public static class SampleFirmware
{
    /// <summary>Smallest size produced.</summary>
    public const int MinSize = 4096;

    /// <summary>Builds the image: <paramref name="size"/> rounded up to a multiple of 16.</summary>
    public static byte[] Build(string version, int size)
    {
        size = Math.Max(MinSize, (size + 15) & ~15);
        int body = size - 60;                      // 24 header + 4 checksum/pad + 32 SHA-256
        int segData = body - 4 * 8;
        int drom = Align4(segData / 4), dram = Align4(segData / 32), iram = Align4(segData / 14);
        int irom = segData - drom - dram - iram;
        ulong vseed = Fnv(version);

        var img = new MemoryStream(size);
        img.Write(new byte[] { 0xE9, 4, 2, 0x20 });
        img.Write(BitConverter.GetBytes(0x40081000u));
        img.Write(new byte[] { 0xEE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 });
        byte sum = 0xEF;
        void Segment(uint addr, byte[] data)
        {
            img.Write(BitConverter.GetBytes(addr));
            img.Write(BitConverter.GetBytes((uint)data.Length));
            img.Write(data);
            foreach (byte b in data) sum ^= b;
        }
        Segment(0x3F400020, Rodata(version, drom, vseed));
        Segment(0x3FFB0000, Data(dram));
        Segment(0x40080000, Code(iram, 0x40080000, 11, vseed));
        Segment(0x400D0020, Code(irom, 0x400D0020, 12, vseed));
        img.Write(new byte[] { 0, 0, 0, sum });
        byte[] hash = SHA256.HashData(img.ToArray());
        img.Write(hash);
        return img.ToArray();
    }

    private static int Align4(int n) => n & ~3;

    private static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    /// <summary>xorshift64* generator: small, fast, deterministic on every platform.</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _s = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
        public uint Next() { _s ^= _s >> 12; _s ^= _s << 25; _s ^= _s >> 27; return (uint)((_s * 2685821657736338717UL) >> 32); }
        public int Below(int n) => (int)(Next() % (uint)n);
    }

    private static readonly string[] Words =
    {
        "wifi", "sta", "ap", "connect", "disconnect", "socket", "http", "header", "range", "flash", "partition",
        "sector", "erase", "write", "read", "timeout", "retry", "buffer", "heap", "task", "queue", "event",
        "handler", "config", "nvs", "key", "value", "state", "update", "image", "crc", "length", "invalid",
        "failed", "start", "stop", "init", "deinit", "gpio", "i2c", "spi", "uart", "adc", "timer", "clr",
        "assembly", "type", "method", "field", "thread", "gc", "heap_caps", "mutex", "semaphore", "lwip", "dhcp",
    };

    private static readonly string[] Formats =
    {
        "E (%u) {0}: {1} {2} failed: %d\n", "W (%u) {0}: {1} {2} (%s)\n", "I (%u) {0}: {1} {2} %d bytes\n",
        "{0}_{1}_{2}", "{0}: invalid {1} 0x%08x\n", "D (%u) {0}: {1} -> {2}\n", "[{0}] {1} {2}=%d\n",
    };

    private static byte[] Rodata(string version, int len, ulong vseed)
    {
        var o = new MemoryStream(len + 256);
        // esp_app_desc_t (256 bytes)
        o.Write(BitConverter.GetBytes(0xABCD5432u));
        o.Write(new byte[12]);
        o.Write(Fixed(version, 32));
        o.Write(Fixed("nanoclr", 32));
        o.Write(Fixed("00:00:00", 16));
        o.Write(Fixed("Jan  1 2026", 16));
        o.Write(Fixed("v5.2.3", 32));
        o.Write(SHA256.HashData(Encoding.ASCII.GetBytes("elf " + version)));
        o.Write(new byte[256 - 176]);
        o.Write(Encoding.ASCII.GetBytes("nanoFramework OTA sample firmware version " + version + "\0"));
        var r = new Rng(0xC0FFEE);
        while (o.Length < len)
        {
            int kind = r.Below(10);
            if (kind < 6)
            {
                string f = Formats[r.Below(Formats.Length)];
                string s = f.Replace("{0}", Words[r.Below(Words.Length)]).Replace("{1}", Words[r.Below(Words.Length)]).Replace("{2}", Words[r.Below(Words.Length)]);
                o.Write(Encoding.ASCII.GetBytes(s + "\0"));
            }
            else if (kind < 8)
            {
                for (int i = 0; i < 8; i++) o.Write(BitConverter.GetBytes(0x3F400000u + (uint)r.Below(0x40000) * 4));
            }
            else if (kind < 9)
            {
                for (int i = 0; i < 16; i++) o.Write(BitConverter.GetBytes((ushort)(r.Below(64) * (i + 1))));
            }
            else
            {
                var t = new Rng(r.Next() ^ (r.Below(40) == 0 ? vseed : 0));
                for (int i = 0; i < 32; i++) o.WriteByte((byte)t.Next());
            }
        }
        return o.ToArray().AsSpan(0, len).ToArray();
    }

    private static byte[] Data(int len)
    {
        var r = new Rng(0xDA7A);
        byte[] d = new byte[len];
        for (int i = 0; i + 4 <= len; i += 4)
        {
            uint v = r.Below(4) switch { 0 => 0x3FFB0000u + (uint)r.Below(0x8000) * 4, 1 => (uint)r.Below(256), _ => 0 };
            BitConverter.TryWriteBytes(d.AsSpan(i), v);
        }
        return d;
    }

    private static readonly byte[][] Ops =
    {
        new byte[] { 0x36, 0x41, 0x00 }, new byte[] { 0x1d, 0xf0 }, new byte[] { 0x0c, 0x02 }, new byte[] { 0x0c, 0x12 },
        new byte[] { 0x88, 0x02 }, new byte[] { 0x98, 0x12 }, new byte[] { 0x82, 0x22, 0x00 }, new byte[] { 0x92, 0x62, 0x01 },
        new byte[] { 0xad, 0x02 }, new byte[] { 0xbd, 0x03 }, new byte[] { 0x20, 0x22, 0x20 }, new byte[] { 0x1b, 0x22 },
        new byte[] { 0x56, 0x03, 0x00 }, new byte[] { 0x16, 0x02, 0x00 }, new byte[] { 0x27, 0x13, 0x08 }, new byte[] { 0xf0, 0x20, 0x00 },
    };

    private static byte[] Code(int len, uint baseAddr, ulong seed, ulong vseed)
    {
        var o = new MemoryStream(len + 512);
        var r = new Rng(seed);
        int fn = 0;
        while (o.Length < len)
        {
            // A function: prologue, body from the vocabulary with random register fields and
            // branch/call offsets, epilogue, then a literal pool. A few functions depend on the
            // version (different releases change a little code).
            var f = new Rng(r.Next() | ((ulong)fn << 32));
            o.Write(new byte[] { 0x36, (byte)(0x41 + 0x20 * f.Below(4)), 0x00 });
            int n = 8 + f.Below(90);
            if ((Fnv(fn.ToString()) ^ vseed) % 53 == 0) f = new Rng(vseed ^ (ulong)fn);
            for (int i = 0; i < n; i++)
            {
                int k = f.Below(24);
                if (k < Ops.Length)
                {
                    byte[] op = (byte[])Ops[k].Clone();
                    if (f.Below(3) == 0) op[^1] = (byte)(op[^1] ^ (f.Below(16) << (f.Below(2) * 4)));
                    o.Write(op);
                }
                else if (k < 20)
                {
                    int target = f.Below(4096);
                    o.Write(new byte[] { (byte)(0x25 + (f.Below(2) << 4)), (byte)target, (byte)(target >> 8) });
                }
                else
                {
                    o.Write(new byte[] { (byte)(0x21 + 0x10 * f.Below(4)), (byte)f.Below(256), 0xFF });
                }
            }
            o.Write(new byte[] { 0x1d, 0xf0 });
            while (o.Length % 4 != 0) o.WriteByte(0);
            int lits = f.Below(6);
            for (int i = 0; i < lits; i++)
            {
                uint v = f.Below(3) switch
                {
                    0 => 0x3F400000u + (uint)f.Below(0x40000) * 4,
                    1 => baseAddr + (uint)f.Below(0x20000) * 4,
                    _ => 0x3FFB0000u + (uint)f.Below(0x8000) * 4,
                };
                o.Write(BitConverter.GetBytes(v));
            }
            fn++;
        }
        return o.ToArray().AsSpan(0, len).ToArray();
    }

    private static byte[] Fixed(string s, int n)
    {
        byte[] b = new byte[n];
        Encoding.ASCII.GetBytes(s, 0, Math.Min(s.Length, n - 1), b, 0);
        return b;
    }
}
