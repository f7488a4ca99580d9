using DeviceApp.Bindings.Host;
using Ota.Tools.Sim;
using OtaCore;
using OtaCore.Config;

namespace Ota.Tools.Commands;

/// <summary>`ota sim`: the whole device simulated against a flash file (see DeviceSimulator).</summary>
public sealed class SimCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "sim";

    /// <inheritdoc />
    public string Summary => "simulate the device: bootloader + DeviceApp flow on a flash file against a server";

    private const string Usage =
        "usage: ota sim --flash FLASH.bin --server URL [--config cfg.json] [--max-boots N]\n" +
        "               [--expect FULL.img] [--power-cut OP[:before|after|torn][:SEED]] [--json] [--quiet]\n" +
        "               [--serve-status PORT] [--run-forever] [--flash-timing SPEC]\n" +
        "  Boots FLASH.bin through the C bootloader, runs the DeviceApp update flow (host twin) as the\n" +
        "  booted firmware against the update server URL, reboots into the bootloader when the app\n" +
        "  staged an update, and stops when the app stays up. --config: OtaConfig JSON (its \"server\"\n" +
        "  is replaced by --server). --expect: exit 0 only if the app partition holds FULL.img's body\n" +
        "  bit-exact and the bootloader runs its version. --power-cut: cut the power at flash operation\n" +
        "  OP of the run. Summary on stdout (text, or JSON with --json); the log goes to stderr.\n" +
        "  --serve-status PORT: each booted app answers the status URL http://127.0.0.1:PORT/ (config\n" +
        "  \"status_port\"). --run-forever: stay up after the last boot until killed (a device the\n" +
        "  bench's relay power-cycles: tools/bench/relay-sim.sh); no summary then.\n" +
        "  --flash-timing SPEC: the flash timing model of the summary's modelled flash time (the\n" +
        "  simulator does not wait): esp32 (default: 4 KiB erase 45 ms, 64 KiB erase 150 ms, program\n" +
        "  0.6 ms per page, read 10 MB/s), off, or any of erase4k=45ms,erase64k=150ms,program=0.6ms,\n" +
        "  read=10MB/s (units us, ms, s; MB/s, KB/s).";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        var o = new SimOptions { Log = Console.Error, ProgressBar = true };
        string? server = null, configPath = null;
        int statusPort = 0;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => ++i < args.Length ? args[i] : throw new OtaException(OtaError.Usage, $"{args[i - 1]} needs a value");
            switch (args[i])
            {
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                case "--flash": o.FlashPath = Next(); break;
                case "--server": server = Next(); break;
                case "--config": configPath = Next(); break;
                case "--expect": o.ExpectImagePath = Next(); break;
                case "--json": json = true; break;
                case "--quiet": o.Log = null; break;
                case "--run-forever": o.RunForever = true; break;
                case "--serve-status":
                    if (!int.TryParse(Next(), out int sp) || sp < 1 || sp > 65535) throw new OtaException(OtaError.Usage, "--serve-status needs a port 1..65535");
                    statusPort = sp;
                    break;
                case "--max-boots":
                    if (!int.TryParse(Next(), out int mb) || mb < 1) throw new OtaException(OtaError.Usage, "--max-boots needs a number >= 1");
                    o.MaxBoots = mb;
                    break;
                case "--power-cut": ParsePowerCut(Next(), o); break;
                case "--flash-timing": o.FlashTiming = FlashTiming.Parse(Next()); break;
                default: throw new OtaException(OtaError.Usage, $"unexpected argument '{args[i]}' (ota sim --help)");
            }
        }
        if (o.FlashPath.Length == 0) throw new OtaException(OtaError.Usage, "missing --flash FLASH.bin");
        if (!File.Exists(o.FlashPath)) throw new OtaException(OtaError.Io, $"flash file '{o.FlashPath}' does not exist (make one with ota flash-image)");
        if (o.ExpectImagePath != null && !File.Exists(o.ExpectImagePath)) throw new OtaException(OtaError.Io, $"'{o.ExpectImagePath}' does not exist");
        string configText;
        try { configText = configPath == null ? "{}" : File.ReadAllText(configPath); }
        catch (IOException e) { throw new OtaException(OtaError.Io, $"cannot read {configPath}: {e.Message}"); }
        o.Config = OtaConfig.Parse(configText);
        if (server != null) o.Config.Server = server;
        if (statusPort > 0) o.Config.StatusPort = statusPort;
        if (string.IsNullOrEmpty(o.Config.Server)) throw new OtaException(OtaError.Usage, "missing --server URL (or \"server\" in --config)");

        SimReport report = new DeviceSimulator(o).Run();
        Console.Write(json ? report.ToJson() + "\n" : report.ToText());
        return report.Success ? 0 : 1;
    }

    private static void ParsePowerCut(string spec, SimOptions o)
    {
        string[] p = spec.Split(':');
        if (!ulong.TryParse(p[0], out ulong op) || op == 0) throw new OtaException(OtaError.Usage, "--power-cut needs OP >= 1");
        o.PowerCutAtOp = op;
        if (p.Length > 1)
        {
            o.PowerCutMode = p[1] switch
            {
                "before" => PowerCutMode.Before,
                "after" => PowerCutMode.After,
                "torn" => PowerCutMode.Torn,
                _ => throw new OtaException(OtaError.Usage, "--power-cut mode is before, after or torn"),
            };
        }
        if (p.Length > 2 && !uint.TryParse(p[2], out uint seed)) throw new OtaException(OtaError.Usage, "--power-cut SEED must be a number");
        else if (p.Length > 2) o.PowerCutSeed = uint.Parse(p[2]);
    }
}
