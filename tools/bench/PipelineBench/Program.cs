// Pipelined download bench (issue 9): RangeDownloader -> StagingWriter with and without its
// StagingPipeline (erase ahead + programs on a worker thread), over a throttled link, into the
// libotahost flash file wrapped so that every operation takes the timing model's time (one
// operation at a time, as on a NOR chip). Prints one Markdown section.
// Usage: PipelineBench [--size BYTES] [--window BYTES]
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using DeviceApp.Bindings.Host;
using Ota.Tools.Serve;
using OtaCore;
using OtaCore.Config;
using OtaCore.Download;
using OtaCore.Image;
using OtaCore.Platform;
using OtaCore.State;

static class PipelineBench
{
    const uint FlashSize = 0x400000, AppOff = 0x20000, AppSize = 0x1C0000, StgOff = 0x1E0000, StgSize = 0x110000, OtaOff = 0x1E000, OtaSize = 0x2000;

    static int Main(string[] args)
    {
        int size = 512 * 1024, window = 16 * 1024;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--size") size = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--window") window = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }

        string dir = Path.Combine(Path.GetTempPath(), "ota-bench-pipe-" + Environment.ProcessId);
        Directory.CreateDirectory(Path.Combine(dir, "www"));
        try
        {
            byte[] pkg = Package(size - 64);
            File.WriteAllBytes(Path.Combine(dir, "www", "fw.img"), pkg);
            using var server = new HttpFileServer(Path.Combine(dir, "www"), "127.0.0.1", 0, TextWriter.Null);
            server.Start();
            string url = server.BaseUrl + "/fw.img";
            Run(dir, url, pkg, 10_000_000, false, window); // warm-up (JIT, connection)

            Console.WriteLine("### Pipelined download (StagingPipeline)");
            Console.WriteLine();
            Console.WriteLine($"A {pkg.Length:N0}-byte package over HTTP on 127.0.0.1 through a link emulator (token bucket: the");
            Console.WriteLine($"link delivers at the given rate into a {window / 1024} KiB window and idles while the window is full,");
            Console.WriteLine("as TCP flow control does when the device stops reading), into the libotahost flash wrapped so that");
            Console.WriteLine("each operation takes the timing model's time, one at a time (4 KiB erase 45 ms, 64 KiB erase");
            Console.WriteLine("150 ms, program ≤ 256 B 0.6 ms, read 10 MB/s). *End-to-end* = Begin → STAGED (download, final");
            Console.WriteLine("read-back verification, state records). *Link* = package bits ÷ rate; *flash* = the modelled busy");
            Console.WriteLine("time of that run's own flash operations. *ratio* = end-to-end ÷ max(link, flash) (target ≤ 1.10");
            Console.WriteLine("for the pipelined writer); *gain* = erase-as-you-go end-to-end ÷ pipelined end-to-end.");
            Console.WriteLine("*alloc* = managed bytes allocated on the receiving thread during the whole download (one HTTP");
            Console.WriteLine("request's fixed cost; the pipeline adds its worker thread object once and nothing per page).");
            Console.WriteLine();
            Console.WriteLine("| link | writer | link ms | flash ms | end-to-end ms | ratio | gain | alloc B |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (long bits in new long[] { 1_000_000, 10_000_000 })
            {
                var plain = Run(dir, url, pkg, bits, false, window);
                var piped = Run(dir, url, pkg, bits, true, window);
                double link = pkg.Length * 8.0 * 1000 / bits;
                foreach (var (name, r) in new[] { ("erase-as-you-go", plain), ("pipelined", piped) })
                {
                    double ratio = r.EndToEndMs / Math.Max(link, r.FlashMs);
                    string gain = name == "pipelined" ? $"{plain.EndToEndMs / piped.EndToEndMs:F2}" : "";
                    Console.WriteLine($"| {bits / 1_000_000} Mbit/s | {name} | {link:F0} | {r.FlashMs:F0} | {r.EndToEndMs:F0} | {ratio:F2} | {gain} | {r.Alloc} |");
                }
            }

            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    sealed record Result(double EndToEndMs, double FlashMs, long Alloc);

    static Result Run(string dir, string url, byte[] pkg, long bitsPerSecond, bool pipelined, int window)
    {
        string flashPath = Path.Combine(dir, "flash.bin");
        File.Delete(flashPath);
        using var flash = HostFlash.Open(flashPath, FlashSize);
        var chip = new FlashChip();
        var staging = new TimedPartition(flash.Partition("app_ota", StgOff, StgSize), chip);
        var otadata = new TimedPartition(flash.Partition("otadata", OtaOff, OtaSize), chip);
        var app = flash.Partition("app", AppOff, AppSize);
        var store = new OtaStateStore(otadata);
        using var native = new HostNativeServices();
        using var http = new HttpRangeSource(null);
        var source = new LinkEmulator(http, bitsPerSecond / 8, window);
        var cfg = new OtaConfig { Server = url, BlockSize = 4096 };
        var writer = new StagingWriter(staging, app, store, native, new byte[4096]);
        StagingPipeline pipe = pipelined ? new StagingPipeline(staging, store, new byte[8192]) : null;
        writer.Pipeline = pipe;
        var dl = new RangeDownloader(source, new HostNetworkStatus(), new SystemClock(), cfg, new byte[4096]);
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        writer.Begin(new byte[32], null, null);
        dl.Fetch(url, pkg.Length, null, writer);
        writer.Finish(null);
        long t1 = Stopwatch.GetTimestamp();
        long a1 = GC.GetAllocatedBytesForCurrentThread();
        pipe?.Stop();
        byte[] back = new byte[pkg.Length];
        flash.Read(StgOff, back, 0, back.Length);
        if (!back.AsSpan().SequenceEqual(pkg) || store.ReadCurrent().State != OtaState.Staged) throw new InvalidOperationException("bench: package not staged exactly");
        return new Result((t1 - t0) * 1000.0 / Stopwatch.Frequency, chip.BusyMs, a1 - a0);
    }

    static byte[] Package(int bodyLength)
    {
        var body = new byte[bodyLength];
        new Random(9).NextBytes(body);
        var h = new ImageHeader
        {
            Attr = (uint)ImageType.App, ImgAddr = AppOff, ImgLen = (uint)bodyLength, ImgHeaderAddr = OtaOff,
            UpgradeImgAddr = StgOff, OrgChecksum = Crc32.Compute(body, 0, body.Length), UpdNo = 1,
        };
        h.Version = "9.0.0";
        var img = new byte[64 + bodyLength];
        h.WriteTo(img, 0);
        body.CopyTo(img, 64);
        return img;
    }
}

/// <summary>
/// The flash chip's time: one operation at a time, each taking the model's duration. An operation
/// waits until the chip is free, then its duration runs while the host executes it (as the SPI
/// transfer is part of a real operation), and the caller waits for its end.
/// </summary>
sealed class FlashChip
{
    private readonly object _lock = new();
    private long _busyUntil;

    public double BusyMs { get; private set; }

    /// <summary>Waits for the chip, reserves <paramref name="ms"/>; returns the end time.</summary>
    public long Begin(double ms)
    {
        WaitUntil(Volatile.Read(ref _busyUntil));
        lock (_lock)
        {
            long start = Math.Max(Stopwatch.GetTimestamp(), _busyUntil);
            _busyUntil = start + (long)(ms * Stopwatch.Frequency / 1000);
            BusyMs += ms;
            return _busyUntil;
        }
    }

    public static void WaitUntil(long until)
    {
        while (true)
        {
            long left = until - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            long ms = left * 1000 / Stopwatch.Frequency;
            if (ms > 3) Thread.Sleep((int)(ms - 2));
            else Thread.SpinWait(50);
        }
    }
}

/// <summary>A partition whose operations take the timing model's time on a shared <see cref="FlashChip"/>.</summary>
sealed class TimedPartition : IFlashPartition
{
    private readonly IFlashPartition _p;
    private readonly FlashChip _chip;

    public TimedPartition(IFlashPartition p, FlashChip chip) { _p = p; _chip = chip; }

    public string Name => _p.Name;
    public uint Offset => _p.Offset;
    public uint Size => _p.Size;
    public uint SectorSize => _p.SectorSize;

    public void Read(uint address, byte[] buffer, int offset, int count)
    {
        long end = _chip.Begin(count / 10_000.0); // 10 MB/s
        _p.Read(address, buffer, offset, count);
        FlashChip.WaitUntil(end);
    }

    public void Write(uint address, byte[] buffer, int offset, int count)
    {
        int ops = 0;
        for (uint a = address; a < address + (uint)count; a = (a / 256 + 1) * 256) ops++;
        long end = _chip.Begin(ops * 0.6);
        _p.Write(address, buffer, offset, count);
        FlashChip.WaitUntil(end);
    }

    public void Erase(uint address, uint length)
    {
        double ms = 0;
        for (uint a = address; a < address + length;)
        {
            if ((_p.Offset + a) % 65536 == 0 && a + 65536 <= address + length) { ms += 150; a += 65536; }
            else { ms += 45; a += 4096; }
        }

        long end = _chip.Begin(ms);
        _p.Erase(address, length);
        FlashChip.WaitUntil(end);
    }
}

/// <summary>
/// A link of <c>rate</c> bytes/s in front of a range source: a token bucket of <c>window</c>
/// bytes fills at the rate and reads take from it (waiting when empty); while the device does
/// not read, the bucket stays full and the link's time is lost, as with TCP flow control.
/// </summary>
sealed class LinkEmulator : IRangeSource
{
    private readonly IRangeSource _inner;
    private readonly long _rate;
    private readonly int _window;

    public LinkEmulator(IRangeSource inner, long rate, int window) { _inner = inner; _rate = rate; _window = window; }

    public IRangeResponse Get(string url, long offset, long length, string ifMatchEtag, int timeoutMs) =>
        new Response(_inner.Get(url, offset, length, ifMatchEtag, timeoutMs), _rate, _window);

    private sealed class Response : IRangeResponse
    {
        private readonly IRangeResponse _r;
        private readonly long _rate;
        private readonly int _window;
        private double _tokens;
        private long _last = Stopwatch.GetTimestamp();

        public Response(IRangeResponse r, long rate, int window) { _r = r; _rate = rate; _window = window; }

        public int Status => _r.Status;
        public long Offset => _r.Offset;
        public long Length => _r.Length;
        public long TotalLength => _r.TotalLength;
        public string ETag => _r.ETag;

        public int Read(byte[] buffer, int offset, int count)
        {
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(_window, _tokens + (now - _last) * (double)_rate / Stopwatch.Frequency);
                _last = now;
                double need = Math.Min(count, 1460); // one TCP segment
                if (_tokens >= need) break;
                double waitMs = (need - _tokens) * 1000.0 / _rate;
                if (waitMs > 2) Thread.Sleep(1); else Thread.SpinWait(50);
            }

            int n = _r.Read(buffer, offset, Math.Min(count, (int)_tokens));
            _tokens -= n;
            return n;
        }

        public void Dispose() => _r.Dispose();
    }
}
