using Ota.Tools.Commands;
using OtaCore;

namespace Ota.Tools.Bench;

/// <summary>
/// The firmware set one scenario updates with, made by the real CLI commands in-process
/// (sample-firmware, pack, flash-image with the default layout of docs/design.md section 2): 1.0.0 as the factory image, 2.0.0
/// as the full reference image (what the app partition must hold bit-exact afterwards) and as the
/// package the server offers (xz or full) under srv/esp32/stable/, and a template flash file with
/// 1.0.0 CONFIRMED that every case starts from.
/// </summary>
public sealed class BenchFirmware
{
    /// <summary>Folder holding everything.</summary>
    public string Dir { get; }

    /// <summary>The folder the update server serves.</summary>
    public string ServeDir => Path.Combine(Dir, "srv");

    /// <summary>Full image of the running firmware 1.0.0.</summary>
    public string OldImage => Path.Combine(Dir, "fw-1.0.0.img");

    /// <summary>Full image of the update 2.0.0 (the bit-exact reference).</summary>
    public string NewImage => Path.Combine(Dir, "fw-2.0.0.img");

    /// <summary>The package the server offers.</summary>
    public string PackagePath { get; }

    /// <summary>Flash file with 1.0.0 confirmed (copied for each case).</summary>
    public string TemplateFlash => Path.Combine(Dir, "flash-template.bin");

    /// <summary>Body bytes (after the 64-byte header) of 1.0.0 and 2.0.0.</summary>
    public byte[] OldBody { get; }

    /// <inheritdoc cref="OldBody"/>
    public byte[] NewBody { get; }

    /// <summary>Makes the set in <paramref name="dir"/> (firmware of <paramref name="size"/> bytes; 1.0.0 packed with <paramref name="oldFlags"/>).</summary>
    public BenchFirmware(string dir, int size, string package, IReadOnlyList<string>? oldFlags = null)
    {
        Dir = dir;
        Directory.CreateDirectory(Path.Combine(ServeDir, "esp32", "stable"));
        PackagePath = Path.Combine(ServeDir, "esp32", "stable", package == "xz" ? "fw-2.0.0_ota.img" : "fw-2.0.0.img");
        string sz = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var quiet = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            Run(new SampleFirmwareCommand(), "--version", "1.0.0", "--size", sz, "-o", Path.Combine(dir, "fw-1.0.0.bin"));
            Run(new SampleFirmwareCommand(), "--version", "2.0.0", "--size", sz, "-o", Path.Combine(dir, "fw-2.0.0.bin"));
            var packOld = new List<string> { Path.Combine(dir, "fw-1.0.0.bin"), "-o", OldImage, "--version", "1.0.0", "--upd-no", "1" };
            foreach (string f in oldFlags ?? Array.Empty<string>()) { packOld.Add("--flag"); packOld.Add(f); }
            Run(new PackCommand(), packOld.ToArray());
            Run(new PackCommand(), Path.Combine(dir, "fw-2.0.0.bin"), "-o", NewImage, "--version", "2.0.0", "--upd-no", "2");
            if (package == "xz")
                Run(new PackCommand(), Path.Combine(dir, "fw-2.0.0.bin"), "-o", PackagePath, "--version", "2.0.0", "--upd-no", "2", "--compress", "xz");
            else
                File.Copy(NewImage, PackagePath, true);
            string bl = Path.Combine(dir, "bootloader-placeholder.bin");
            File.WriteAllBytes(bl, Enumerable.Repeat((byte)0xFF, 4096).ToArray());
            string csv = Path.Combine(dir, "partitions.csv");
            File.WriteAllText(csv, Ota.Tools.Images.DefaultLayout.Table().ToCsv());
            Run(new FlashImageCommand(), "--partitions", csv, "--bootloader", bl, "--app", OldImage, "-o", TemplateFlash);
        }
        finally
        {
            Console.SetOut(quiet);
        }
        OldBody = File.ReadAllBytes(OldImage)[64..];
        NewBody = File.ReadAllBytes(NewImage)[64..];
    }

    /// <summary>
    /// Maps a fault rule's change_to value: "@full" = the full 2.0.0 image (another length and
    /// ETag than the package), "@old" = the 1.0.0 image, anything else relative to
    /// <paramref name="scenarioDir"/>.
    /// </summary>
    public string ResolveFile(string value, string scenarioDir) => value switch
    {
        "@full" => NewImage,
        "@old" => OldImage,
        "@package" => PackagePath,
        _ => Path.IsPathRooted(value) ? value : Path.Combine(scenarioDir, value),
    };

    private static void Run(ICommand cmd, params string[] args)
    {
        int rc = cmd.Run(args);
        if (rc != 0) throw new OtaException(OtaError.Io, $"bench firmware: ota {cmd.Name} {string.Join(" ", args)} exited {rc}");
    }
}
