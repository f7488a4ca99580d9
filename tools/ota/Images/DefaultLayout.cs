using OtaCore.Partitions;

namespace Ota.Tools.Images;

/// <summary>The default 4 MB layout of docs/design.md section 2 (same rows as partitions.csv), used without --partitions.</summary>
public static class DefaultLayout
{
    /// <summary>The layout as ESP-IDF CSV.</summary>
    public const string Csv =
        "nvs,      data, nvs,      0x9000,   0x14000,\n" +
        "phy_init, data, phy,      0x1D000,  0x1000,\n" +
        "otadata,  data, ota,      0x1E000,  0x2000,\n" +
        "app,      app,  factory,  0x20000,  0x1C0000,\n" +
        "app_ota,  app,  ota_0,    0x1E0000, 0x110000,\n" +
        "deploy,   data, 0x84,     0x2F0000, 0x80000,\n" +
        "config,   data, littlefs, 0x370000, 0x90000,\n";

    /// <summary>Default flash size (4 MB).</summary>
    public const uint FlashSize = 0x400000;

    /// <summary>The parsed and validated default table.</summary>
    public static PartitionTable Table()
    {
        var t = PartitionTable.ParseCsv(Csv);
        t.Validate(FlashSize);
        return t;
    }

    /// <summary>Reads a partition table file: binary (starts with AA 50) or CSV (ESP-IDF or WinnerMicro).</summary>
    public static PartitionTable Load(string path, uint flashSize) => Parse(Util.OutputFile.ReadAll(path), flashSize);

    /// <summary>Parses and validates a partition table already read: binary (starts with AA 50) or CSV.</summary>
    public static PartitionTable Parse(byte[] data, uint flashSize)
    {
        PartitionTable t = IsBinary(data)
            ? PartitionTable.ParseBinary(data, 0, data.Length, Util.Md5Hash.Compute)
            : PartitionTable.ParseCsv(System.Text.Encoding.UTF8.GetString(data));
        t.Validate(flashSize);
        return t;
    }

    /// <summary>True when the content looks like a binary ESP-IDF table.</summary>
    public static bool IsBinary(byte[] data) => data.Length >= 2 && data[0] == 0xAA && data[1] == 0x50;
}
