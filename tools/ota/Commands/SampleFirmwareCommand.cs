using Ota.Tools.Images;
using Ota.Tools.Util;

namespace Ota.Tools.Commands;

/// <summary>`ota sample-firmware`: a deterministic ESP32-like app binary for demos, tests and benchmarks.</summary>
public sealed class SampleFirmwareCommand : ICommand
{
    public string Name => "sample-firmware";
    public string Summary => "write a deterministic, realistic sample firmware binary (ESP32 app image layout)";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--version", "--size", "--output" }, Array.Empty<string>(), new() { ["-o"] = "--output" });
        if (a.Help)
        {
            Console.WriteLine("usage: ota sample-firmware --version V [--size N] -o FILE\n  N defaults to 1M; rounded up to a multiple of 16, at least 4 KiB.");
            return 0;
        }
        if (a.Positional.Count != 0) throw CliArgs.Usage($"unexpected argument '{a.Positional[0]}'");
        string version = a.Require("--version");
        string output = a.Require("--output");
        long size = a.GetNumber("--size", 1 << 20);
        if (size > 16L << 20) throw CliArgs.Usage("--size is larger than 16 MiB");
        byte[] fw = SampleFirmware.Build(version, (int)size);
        OutputFile.WriteAtomic(output, fw);
        Console.WriteLine($"{output}: {fw.Length} bytes, sample firmware version {version}");
        return 0;
    }
}
