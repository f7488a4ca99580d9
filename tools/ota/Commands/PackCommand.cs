using OtaCore;
using OtaCore.Image;
using Ota.Tools.Images;
using Ota.Tools.Signing;
using Ota.Tools.Util;
using Ota.Tools.Xz;

namespace Ota.Tools.Commands;

/// <summary>`ota pack`: firmware binary → full image (NAME.img) or xz package (NAME_ota.img).</summary>
public sealed class PackCommand : ICommand
{
    public string Name => "pack";
    public string Summary => "pack a firmware binary into a full or xz-compressed update image";

    private const string Help =
        "usage: ota pack INPUT -o OUTPUT --version V [--upd-no N] [--compress none|xz] [--dict SIZE]\n" +
        "                [--preset 0-9[e]] [--bcj none|riscv] [--partitions TABLE --target NAME] [--flash-size 4M]\n" +
        "                [--flag skip-upgrade-check|skip-integrity-check|skip-esc-check|erase-always|erase-block]...\n" +
        "                [--log-level 0-7] [--sign KEY.pem [--slot 0-7]]\n" +
        "  Full image: 64-byte header + firmware padded with 0xFF to x4. --compress xz: outer header +\n" +
        "  XZ stream (LZMA2, CRC32) of the whole full image. Addresses come from the partition table\n" +
        "  (default layout without --partitions): img_addr = target, img_header_addr = otadata,\n" +
        "  upgrade_img_addr = staging. Default xz options: preset 9e, dict = max(input, 4 KiB).\n" +
        "  LZMA2 lc + lp stays <= 3 (what the bootloader decodes). --bcj riscv: RISC-V BCJ filter\n" +
        "  (xz id 0x0B) before LZMA2 for ESP32-C3/C6 code, same default dict (the bootloader re-encodes\n" +
        "  history read back from flash; up to a 1.75 MiB image). `xz -d` needs xz >= 5.6.\n" +
        "  --sign: sign the result like `ota sign` (signature block; xz: binds the decoded image).";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args,
            new[] { "--output", "--version", "--upd-no", "--compress", "--dict", "--preset", "--bcj", "--partitions", "--target", "--flash-size", "--flag", "--log-level", "--sign", "--slot" },
            new[] { "--quiet" }, new() { ["-o"] = "--output", ["-q"] = "--quiet" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Positional.Count != 1) throw CliArgs.Usage("pack needs exactly one INPUT (see ota pack --help)");
        string output = a.Require("--output");
        string version = a.Require("--version");
        long updNo = a.GetNumber("--upd-no", 0);
        if (updNo > uint.MaxValue) throw CliArgs.Usage("--upd-no is larger than 32 bits");
        string compress = a.Get("--compress") ?? "none";
        if (compress != "none" && compress != "xz") throw CliArgs.Usage($"--compress '{compress}' must be none or xz");
        uint flashSize = (uint)a.GetNumber("--flash-size", DefaultLayout.FlashSize);
        string target = a.Get("--target") ?? "app";

        var table = a.Get("--partitions") is { } pt ? DefaultLayout.Load(pt, flashSize) : DefaultLayout.Table();
        foreach (string w in table.Warnings) Console.Error.WriteLine("ota: warning: " + w);
        ImageHeader h;
        try
        {
            h = ImagePacker.Template(table, target, version, (uint)updNo);
        }
        catch (OtaException e) when (e.Code == OtaError.ImgVersion)
        {
            throw CliArgs.Usage("--version: " + e.Detail);
        }
        foreach (string f in a.GetAll("--flag"))
        {
            switch (f)
            {
                case "skip-upgrade-check": h.SkipUpgradeCheck = true; break;
                case "skip-integrity-check": h.SkipIntegrityCheck = true; break;
                case "skip-esc-check": h.SkipEscCheck = true; break;
                case "erase-always": h.EraseAlways = true; break;
                case "erase-block": h.EraseBlockEnable = true; break;
                default: throw CliArgs.Usage($"unknown --flag '{f}'");
            }
        }
        long level = a.GetNumber("--log-level", 0);
        if (level > 7) throw CliArgs.Usage("--log-level must be 0..7");
        h.LogLevel = (int)level;

        byte[] firmware = OutputFile.ReadAll(a.Positional[0]);
        byte[] full = ImagePacker.BuildFull(h, firmware, table.Find(target)!);
        byte[] result = full;
        string detail = "";
        if (compress == "xz")
        {
            string preset = a.Get("--preset") ?? XzEncoder.DefaultPreset;
            string bcj = a.Get("--bcj") ?? "none";
            if (bcj != "none" && bcj != "riscv") throw CliArgs.Usage($"--bcj '{bcj}' must be none or riscv");
            uint dict = a.Get("--dict") != null ? XzEncoder.RoundDict(a.GetNumber("--dict", 0)) : XzEncoder.DefaultDictSize(full.Length);
            result = ImagePacker.BuildCompressed(full, preset, dict, table.Staging!, bcj == "riscv");
            if (bcj == "riscv") detail = ", bcj riscv";
            detail += $", xz preset {preset} dict {dict} ({100.0 * result.Length / full.Length:F1} % of the full image {full.Length})";
        }
        else if (a.Get("--preset") != null || a.Get("--dict") != null || a.Get("--bcj") != null)
        {
            throw CliArgs.Usage("--preset/--dict/--bcj need --compress xz");
        }
        ImageInspector.Verify(result);
        if (a.Get("--sign") is { } keyPath)
        {
            long slot = a.GetNumber("--slot", 0);
            if (slot > 7) throw CliArgs.Usage("--slot must be 0..7");
            using var key = SigningKeys.LoadPrivate(keyPath);
            result = ImageSigner.Sign(result, key, (int)slot);
            if ((ulong)result.Length > table.Staging!.Size)
            {
                throw new OtaException(OtaError.ImgTooLarge, $"signed package is {result.Length} bytes, staging '{table.Staging.Name}' holds {table.Staging.Size}");
            }
            detail += $", signed with key id {SigningKeys.KeyIdHex(key)}";
        }
        else if (a.Get("--slot") != null)
        {
            throw CliArgs.Usage("--slot needs --sign");
        }
        OutputFile.WriteAtomic(output, result);
        if (!a.Has("--quiet"))
        {
            var o = ImageHeader.Parse(result, 0);
            Console.WriteLine($"{output}: {result.Length} bytes, version {o.Version}, upd_no {o.UpdNo}, img_addr 0x{o.ImgAddr:X}, org_checksum 0x{o.OrgChecksum:X8}{detail}");
        }
        return 0;
    }
}
