using DeviceApp.Bindings.Host;
using OtaCore.Partitions;

namespace Ota.Tools.Bench;

/// <summary>
/// Erase accounting over a whole bench case, across power cycles: the host flash counts erases per
/// 4 KiB sector since it was opened (otahost_flash_erase_count), so the ledger takes a snapshot at
/// every boundary (before the bootloader, before the app, before the power goes) and adds the
/// difference. Each boundary closes one "part" (one bootloader run or one app run): within a part
/// no app or staging sector may be erased twice and no otadata sector more than twice (one app
/// run may write up to three state records: confirm, DOWNLOADING, STAGED or a dropped download).
/// </summary>
public sealed class WearLedger
{
    private readonly PartitionTable _table;
    private readonly uint[] _total;
    private uint[] _seen;
    private HostFlash? _instance;

    /// <summary>A ledger for a flash of <paramref name="flashSize"/> bytes laid out as <paramref name="table"/>.</summary>
    public WearLedger(PartitionTable table, uint flashSize)
    {
        _table = table;
        _total = new uint[flashSize / 4096];
        _seen = new uint[_total.Length];
    }

    /// <summary>Violations of the per-part bound, in order.</summary>
    public List<string> Violations { get; } = new();

    /// <summary>
    /// Closes the part that ran on <paramref name="flash"/> since the last mark (a newly opened
    /// flash starts from zero); <paramref name="part"/> names it for a violation message.
    /// </summary>
    public void Mark(HostFlash flash, string part)
    {
        if (!ReferenceEquals(flash, _instance))
        {
            _instance = flash;
            _seen = new uint[_total.Length];
        }
        for (int s = 0; s < _total.Length; s++)
        {
            uint now = flash.EraseCount((uint)s * 4096);
            uint delta = now - _seen[s];
            if (delta == 0) continue;
            _seen[s] = now;
            _total[s] += delta;
            string name = PartitionOf((uint)s * 4096);
            uint limit = name == _table.OtaData!.Name ? 2u : 1u;
            if (delta > limit) Violations.Add($"{part}: sector 0x{s * 4096:X} ({name}) erased {delta} times (at most {limit} per {(part.Contains("app") ? "app run" : "bootloader run")})");
        }
    }

    /// <summary>Highest total erase count of any sector of partition <paramref name="name"/>.</summary>
    public uint MaxIn(string name)
    {
        var p = _table.Find(name);
        if (p == null) return 0;
        uint max = 0;
        for (uint a = p.Offset; a < p.Offset + p.Size; a += 4096) max = Math.Max(max, _total[a / 4096]);
        return max;
    }

    /// <summary>Highest total erase count of any sector outside app, staging and otadata (must stay 0).</summary>
    public uint MaxElsewhere()
    {
        uint max = 0;
        for (int s = 0; s < _total.Length; s++)
        {
            string n = PartitionOf((uint)s * 4096);
            if (n != _table.App!.Name && n != _table.Staging!.Name && n != _table.OtaData!.Name) max = Math.Max(max, _total[s]);
        }
        return max;
    }

    private string PartitionOf(uint address)
    {
        for (int i = 0; i < _table.Count; i++)
        {
            var p = _table[i];
            if (address >= p.Offset && address < p.Offset + p.Size) return p.Name;
        }
        return "outside partitions";
    }
}
