using System.Text.Json.Nodes;
using OtaCore;

namespace Ota.Tools.Bench;

/// <summary>
/// A scenario's "flash_faults" entry: bit rot in one partition right before the bootloader of a
/// chosen boot. The bytes at [offset, offset + length) of the partition are ANDed with a mask and
/// programmed back — NOR flash can only clear bits, so this is what a worn or disturbed cell does.
/// </summary>
public sealed class FlashFault
{
    /// <summary>Simulator run (1-based) and boot within it (1-based) before which the bits flip.</summary>
    public int Run { get; private set; } = 1;

    /// <inheritdoc cref="Run"/>
    public int Boot { get; private set; } = 1;

    /// <summary>Partition name ("app", "app_ota", "otadata").</summary>
    public string Partition { get; private set; } = "";

    /// <summary>Offset inside the partition and byte count.</summary>
    public uint Offset { get; private set; }

    /// <inheritdoc cref="Offset"/>
    public int Length { get; private set; } = 16;

    /// <summary>Mask ANDed into each byte (0 clears every bit).</summary>
    public byte AndMask { get; private set; }

    /// <summary>Reads one entry.</summary>
    public static FlashFault FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) throw new OtaException(OtaError.Usage, "flash_faults items are objects");
        var f = new FlashFault();
        foreach (var (key, v) in o)
        {
            switch (key)
            {
                case "run": f.Run = (int)BenchScenario.Num(v, "flash_faults.run", 1, 100); break;
                case "boot": f.Boot = (int)BenchScenario.Num(v, "flash_faults.boot", 1, 100); break;
                case "partition": f.Partition = BenchScenario.Str(v, "flash_faults.partition"); break;
                case "offset": f.Offset = (uint)BenchScenario.Num(v, "flash_faults.offset", 0, 16 << 20); break;
                case "length": f.Length = (int)BenchScenario.Num(v, "flash_faults.length", 1, 4096); break;
                case "and": f.AndMask = (byte)BenchScenario.Num(v, "flash_faults.and", 0, 254); break;
                default: throw new OtaException(OtaError.Usage, $"unknown flash_faults key '{key}' (run, boot, partition, offset, length, and)");
            }
        }
        if (f.Partition.Length == 0) throw new OtaException(OtaError.Usage, "flash_faults: partition is required");
        return f;
    }
}
