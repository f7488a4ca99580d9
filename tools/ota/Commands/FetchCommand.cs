using System.Diagnostics;
using System.Globalization;
using DeviceApp.Bindings.Host;
using OtaCore;

namespace Ota.Tools.Commands;

/// <summary>
/// `ota fetch URL -o FILE`: downloads one file through the device's host range source
/// (HttpRangeSource: the transport the simulator uses), reading in fixed blocks into one reused
/// buffer like the engine does. For checking a server by hand and for `make bench`
/// (throughput and managed allocations of the transport alone).
/// </summary>
public sealed class FetchCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "fetch";

    /// <inheritdoc />
    public string Summary => "download URL through the device's HTTP range source (throughput, allocations)";

    private const string Usage =
        "usage: ota fetch URL -o FILE [--offset N] [--block 4096] [--runs 1] [--timeout-ms 10000] [--json]\n" +
        "  GET URL (Range: bytes=N- when --offset) with the host range source, block reads into one\n" +
        "  reused buffer. Prints bytes, best time, MB/s and managed bytes allocated per MiB of the\n" +
        "  read loop (after a warm-up run when --runs > 1). FILE may be /dev/null.";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        string? url = null, output = null;
        long offset = 0;
        int block = 4096, runs = 1, timeout = 10000;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => ++i < args.Length ? args[i] : throw new OtaException(OtaError.Usage, $"{args[i - 1]} needs a value");
            int Int(string v, int min, int max) => int.TryParse(v, out int n) && n >= min && n <= max ? n : throw new OtaException(OtaError.Usage, $"'{v}' is not a number {min}..{max}");
            switch (args[i])
            {
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                case "-o" or "--output": output = Next(); break;
                case "--offset": offset = Int(Next(), 0, int.MaxValue); break;
                case "--block": block = Int(Next(), 64, 1 << 20); break;
                case "--runs": runs = Int(Next(), 1, 1000); break;
                case "--timeout-ms": timeout = Int(Next(), 100, 600000); break;
                case "--json": json = true; break;
                default:
                    if (args[i].StartsWith('-') || url != null) throw new OtaException(OtaError.Usage, $"unexpected argument '{args[i]}' (ota fetch --help)");
                    url = args[i];
                    break;
            }
        }
        if (url == null || output == null) throw new OtaException(OtaError.Usage, "need URL and -o FILE (ota fetch --help)");

        var buffer = new byte[block];
        using var source = new HttpRangeSource();
        double best = double.MaxValue;
        long bytes = 0, allocated = 0;
        int status = 0;
        for (int run = 0; run < runs + (runs > 1 ? 1 : 0); run++)
        {
            bool warmup = runs > 1 && run == 0;
            string tmp = output == "/dev/null" ? output : output + ".tmp";
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                var clock = Stopwatch.StartNew();
                long before = GC.GetAllocatedBytesForCurrentThread();
                using (var r = source.Get(url, offset, -1, null, timeout))
                {
                    status = r.Status;
                    if (status != 200 && status != 206)
                        throw new OtaException(OtaError.HttpStatus, $"GET {url}: HTTP {status}");
                    long got = 0;
                    int n;
                    while ((n = r.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        file.Write(buffer, 0, n);
                        got += n;
                    }
                    bytes = got;
                }
                long after = GC.GetAllocatedBytesForCurrentThread();
                double ms = clock.Elapsed.TotalMilliseconds;
                if (!warmup)
                {
                    best = Math.Min(best, ms);
                    allocated = after - before;
                }
            }
            if (tmp != output) File.Move(tmp, output, true);
        }
        double mbps = bytes / 1e6 / (best / 1000.0);
        double perMiB = bytes > 0 ? allocated / (bytes / 1048576.0) : 0;
        var c = CultureInfo.InvariantCulture;
        if (json)
            Console.WriteLine(string.Format(c, "{{\"status\":{0},\"bytes\":{1},\"best_ms\":{2:0.000},\"mb_s\":{3:0.0},\"alloc_bytes\":{4},\"alloc_per_mib\":{5:0}}}", status, bytes, best, mbps, allocated, perMiB));
        else
            Console.WriteLine(string.Format(c, "{0}: HTTP {1}, {2} bytes, best {3:0.0} ms ({4:0.0} MB/s), {5:0} managed bytes allocated per MiB", output, status, bytes, best, mbps, perMiB));
        return 0;
    }
}
