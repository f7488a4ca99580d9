using System.Text;
using System.Text.Json;
using OtaCore.Partitions;
using Ota.Tools.Images;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota partitions`: validate a partition table and convert CSV ↔ ESP-IDF binary.</summary>
public sealed class PartitionsCommand : ICommand
{
    public string Name => "partitions";
    public string Summary => "validate a partition table; convert CSV (ESP-IDF or WinnerMicro) <-> ESP-IDF binary";

    private const string Help =
        "usage: ota partitions FILE [-o OUT] [--flash-size 4M] [--json]\n" +
        "  FILE is a binary table (starts with AA 50) or CSV (ESP-IDF 5/6 columns, WinnerMicro 4 columns).\n" +
        "  -o OUT: CSV input -> binary table (OUT ending in .csv: ESP-IDF CSV); binary input -> CSV.\n" +
        "  Warnings go to stderr; errors are one line 'ota: E7xx PT_...: line N: ...'.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--output", "--flash-size" }, new[] { "--json" }, new() { ["-o"] = "--output" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 1) throw CliArgs.Usage("partitions needs exactly one FILE");
        uint flash = (uint)a.GetNumber("--flash-size", DefaultLayout.FlashSize);
        byte[] data = OutputFile.ReadAll(a.Positional[0]);
        bool binary = DefaultLayout.IsBinary(data);
        PartitionTable t = DefaultLayout.Parse(data, flash);
        foreach (string w in t.Warnings) Console.Error.WriteLine("ota: warning: " + w);

        string? output = a.Get("--output");
        if (output != null)
        {
            bool csvOut = binary || output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            byte[] bytes;
            if (csvOut)
            {
                bytes = Encoding.UTF8.GetBytes(t.ToCsv());
            }
            else
            {
                bytes = new byte[PartitionTable.BinaryLength];
                t.WriteBinary(bytes, 0, Md5Hash.Compute);
            }
            OutputFile.WriteAtomic(output, bytes);
        }

        if (a.Has("--json"))
        {
            var rows = new List<object>();
            for (int i = 0; i < t.Count; i++)
            {
                var e = t[i];
                rows.Add(new Dictionary<string, object>
                {
                    ["name"] = e.Name, ["type"] = PartitionTypes.TypeName(e.Type), ["subtype"] = PartitionTypes.SubTypeName(e.Type, e.SubType),
                    ["type_id"] = e.Type, ["subtype_id"] = e.SubType, ["offset"] = e.Offset, ["size"] = e.Size, ["flags"] = e.Flags,
                });
            }
            var root = new Dictionary<string, object?>
            {
                ["format"] = binary ? "esp-idf-binary" : t.IsWinnerMicro ? "winnermicro-csv" : "esp-idf-csv",
                ["flash_size"] = flash,
                ["app"] = t.App!.Name, ["staging"] = t.Staging!.Name, ["otadata"] = t.OtaData!.Name,
                ["staging_percent"] = Math.Round(100.0 * t.Staging.Size / t.App.Size, 1),
                ["warnings"] = t.Warnings.Cast<string>().ToArray(),
                ["partitions"] = rows,
            };
            Console.WriteLine(JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"{(binary ? "ESP-IDF binary" : t.IsWinnerMicro ? "WinnerMicro CSV" : "ESP-IDF CSV")}, {t.Count} partitions, flash 0x{flash:X}: OK");
            for (int i = 0; i < t.Count; i++)
            {
                var e = t[i];
                Console.WriteLine($"  {e.Name,-16} {PartitionTypes.TypeName(e.Type),-5} {PartitionTypes.SubTypeName(e.Type, e.SubType),-9} 0x{e.Offset:X6} 0x{e.Size:X6} ({e.Size / 1024} KiB){Role(t, e)}");
            }
            Console.WriteLine($"  staging is {100.0 * t.Staging!.Size / t.App!.Size:F1} % of app");
            if (output != null) Console.WriteLine($"wrote {output}");
        }
        return 0;
    }

    private static string Role(PartitionTable t, PartitionEntry e) =>
        e == t.App ? "  <- app" : e == t.Staging ? "  <- staging" : e == t.OtaData ? "  <- OTA state" : "";
}
