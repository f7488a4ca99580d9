using OtaCore;
using OtaCore.Image;
using Ota.Tools.Images;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota pack-multi`: chains an app image and a data (deployment) image into one package.</summary>
public sealed class PackMultiCommand : ICommand
{
    public string Name => "pack-multi";
    public string Summary => "chain an app image and a data image into one multi-image package";

    private const string Help =
        "usage: ota pack-multi APP.img DATA.img -o OUTPUT [--deploy-compat] [--partitions TABLE] [--flash-size 4M]\n" +
        "       ota pack-multi --list PACKAGE\n" +
        "  Both inputs are packed images (ota pack; full or xz, unsigned): APP for the app partition,\n" +
        "  DATA for a data partition (ota pack --target deploy). The app header's `next` points at\n" +
        "  the data image. --deploy-compat sets flags bit 6: the new nanoCLR also runs the deployment\n" +
        "  already on the device (allows the deployment rollback). The package must fit staging.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--output", "--partitions", "--flash-size", "--list" },
            new[] { "--deploy-compat", "--quiet" }, new() { ["-o"] = "--output", ["-q"] = "--quiet" });
        if (a.Help) { Console.WriteLine(Help); return 0; }
        if (a.Get("--list") is { } listPath)
        {
            if (a.Positional.Count != 0) throw CliArgs.Usage("--list takes no other inputs");
            Print(listPath, MultiImagePackage.Parse(OutputFile.ReadAll(listPath)));
            return 0;
        }
        if (a.Positional.Count != 2) throw CliArgs.Usage("pack-multi needs APP.img and DATA.img (see ota pack-multi --help)");
        string output = a.Require("--output");
        uint flashSize = (uint)a.GetNumber("--flash-size", DefaultLayout.FlashSize);
        var table = a.Get("--partitions") is { } pt ? DefaultLayout.Load(pt, flashSize) : DefaultLayout.Table();
        byte[] app = OutputFile.ReadAll(a.Positional[0]);
        byte[] data = OutputFile.ReadAll(a.Positional[1]);
        byte[] pkg = MultiImagePackage.Chain(app, data, a.Has("--deploy-compat"), table);
        var parts = MultiImagePackage.Parse(pkg);
        OutputFile.WriteAtomic(output, pkg);
        if (!a.Has("--quiet")) Print(output, parts);
        return 0;
    }

    private static void Print(string name, List<MultiImagePackage.Part> parts)
    {
        long total = parts[^1].Offset + parts[^1].Length;
        Console.WriteLine($"{name}: {total} bytes, {parts.Count} image(s)");
        foreach (var p in parts)
        {
            var h = p.Header;
            string compat = (h.Flags & MultiImagePackage.DeployCompatFlag) != 0 ? ", deploy_compat" : "";
            Console.WriteLine($"  @0x{p.Offset:X}: {h.ImgType.ToString().ToLowerInvariant()} {p.Length} bytes, version {h.Version}, " +
                              $"img_addr 0x{h.ImgAddr:X}, {(h.Compressed ? "xz" : "full")}, next 0x{h.Next:X}{compat}");
        }
    }
}
