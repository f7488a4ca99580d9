using OtaCore;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.State;
using Ota.Tools.Images;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>
/// `ota flash-image`: a whole-flash image (what `esptool write_flash 0x0` takes; the simulator's
/// starting point): 0xFF everywhere, the bootloader, the binary partition table at 0x8000, the
/// app body at the app partition, a CONFIRMED state record in otadata, deploy data.
/// </summary>
public sealed class FlashImageCommand : ICommand
{
    public string Name => "flash-image";
    public string Summary => "compose a whole-flash image: bootloader, partition table, app, state record, deploy";

    private const string Help =
        "usage: ota flash-image --partitions TABLE --bootloader B --app IMG [--deploy D] [--flash-size 4M]\n" +
        "                       [--bootloader-offset 0x1000] -o flash.bin\n" +
        "  IMG is a full or xz image (decoded and fully verified first); its body goes to the app\n" +
        "  partition and its header into a CONFIRMED state record (sector 0 of otadata, seq 1).";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--partitions", "--bootloader", "--app", "--deploy", "--flash-size", "--bootloader-offset", "--output" },
            Array.Empty<string>(), new() { ["-o"] = "--output" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 0) throw CliArgs.Usage($"unexpected argument '{a.Positional[0]}'");
        string output = a.Require("--output");
        long flashSize = a.GetNumber("--flash-size", DefaultLayout.FlashSize);
        if (flashSize < 0x10000 || flashSize > (16L << 20) || flashSize % 0x1000 != 0) throw CliArgs.Usage("--flash-size must be a multiple of 4 KiB, 64 KiB..16 MiB");
        long blOffset = a.GetNumber("--bootloader-offset", 0x1000);
        PartitionTable table = DefaultLayout.Load(a.Require("--partitions"), (uint)flashSize);
        foreach (string w in table.Warnings) Console.Error.WriteLine("ota: warning: " + w);
        byte[] boot = OutputFile.ReadAll(a.Require("--bootloader"));
        byte[] appFile = OutputFile.ReadAll(a.Require("--app"));
        byte[]? deploy = a.Get("--deploy") is { } d ? OutputFile.ReadAll(d) : null;

        byte[] flash = new byte[flashSize];
        Array.Fill(flash, (byte)0xFF);
        if (boot.Length == 0 || blOffset < 0 || blOffset + boot.Length > PartitionTable.TableOffset)
        {
            throw new OtaException(OtaError.PtRange, $"bootloader ({boot.Length} bytes at 0x{blOffset:X}) must fit below the partition table at 0x8000");
        }
        Array.Copy(boot, 0, flash, blOffset, boot.Length);
        table.WriteBinary(flash, (int)PartitionTable.TableOffset, Md5Hash.Compute);

        var check = ImageInspector.Verify(appFile);
        byte[] full = check.Full(appFile);
        ImageHeader h = check.FullHeader;
        PartitionEntry app = table.App!;
        if (h.ImgType != ImageType.App) throw new OtaException(OtaError.ImgType, $"--app image has img_type {(int)h.ImgType}, expected 1 (app)");
        if (h.ImgAddr != app.Offset) throw new OtaException(OtaError.ImgAddr, $"img_addr 0x{h.ImgAddr:X} is not the app partition '{app.Name}' at 0x{app.Offset:X}");
        if (h.ImgLen > app.Size) throw new OtaException(OtaError.ImgTooLarge, $"app body {h.ImgLen} bytes, partition '{app.Name}' holds {app.Size}");
        Array.Copy(full, ImageHeader.Size, flash, app.Offset, h.ImgLen);

        PartitionEntry ota = table.OtaData!;
        var rec = new OtaStateRecord
        {
            Seq = 1,
            State = OtaState.Confirmed,
            InstalledHeaderBytes = full.AsSpan(0, ImageHeader.Size).ToArray(),
            MaxUpdNo = h.UpdNo,
        };
        rec.WriteTo(flash, (int)ota.Offset);

        string deployInfo = "";
        if (deploy != null)
        {
            PartitionEntry dp = table.Find("deploy") ?? FindDeploy(table)
                ?? throw new OtaException(OtaError.PtMissing, "--deploy given but the table has no 'deploy' (data/0x84) partition");
            if (deploy.Length > dp.Size) throw new OtaException(OtaError.ImgTooLarge, $"deploy data {deploy.Length} bytes, partition '{dp.Name}' holds {dp.Size}");
            Array.Copy(deploy, 0, flash, dp.Offset, deploy.Length);
            deployInfo = $", deploy {deploy.Length} bytes at 0x{dp.Offset:X}";
        }
        OutputFile.WriteAtomic(output, flash);
        Console.WriteLine($"{output}: {flashSize} bytes; bootloader {boot.Length} at 0x{blOffset:X}, table at 0x8000, app {h.Version} ({h.ImgLen} bytes) at 0x{app.Offset:X}, state CONFIRMED at 0x{ota.Offset:X}{deployInfo}");
        return 0;
    }

    private static PartitionEntry? FindDeploy(PartitionTable t)
    {
        for (int i = 0; i < t.Count; i++) if (t[i].Type == PartitionTypes.Data && t[i].SubType == 0x84) return t[i];
        return null;
    }
}
