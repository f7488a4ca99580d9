using System.Globalization;
using DeviceApp.Bindings.Host;
using Ota.Tools.Bench;
using Ota.Tools.Util;
using OtaCore;

namespace Ota.Tools.Commands;

/// <summary>
/// `ota bench run SCENARIOS...`: the hardware-in-the-loop bench (docs/bench.md). Runs each scenario
/// file against the simulated device (or a real one with --device/--power-cmd), writes JUnit XML
/// and a Markdown report, exits 1 when any case failed.
/// </summary>
public sealed class BenchCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "bench";

    /// <inheritdoc />
    public string Summary => "run bench scenarios (network faults x power cuts) on the simulated or a real device";

    private const string Usage =
        "usage: ota bench run SCENARIO.json... [--junit OUT.xml] [--report OUT.md] [--every K]\n" +
        "                     [--modes before,after,torn] [--work DIR] [--quiet]\n" +
        "       ota bench run SCENARIO.json... --device STATUS_URL --power-cmd CMD --old OLD.img --new NEW.img\n" +
        "                     --package PKG --serve DIR [--reset-cmd CMD] [--bind ADDR] [--port N]\n" +
        "                     [--fault-seconds S] [--timeout S] [--junit OUT.xml] [--report OUT.md]\n" +
        "  Simulated (default): each scenario updates sample firmware 1.0.0 -> 2.0.0 on the simulated\n" +
        "  device (C bootloader + DeviceApp host twin + file-backed NOR flash) over HTTP from a\n" +
        "  fault-injecting ota serve; one reference case, then one case per power-cut point x mode.\n" +
        "  --every K keeps every K-th cut point (CI sampling); --modes replaces the scenarios' modes.\n" +
        "  Real device: the same scenarios; the server listens on --bind:--port, power is switched by\n" +
        "  'CMD on' / 'CMD off', STATUS_URL answers {\"version\",\"state\"[,\"app_crc32\"]}.\n" +
        "  Exit 0 when every case passed, 1 when any failed.";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
        if (args[0] != "run") throw new OtaException(OtaError.Usage, $"unknown bench action '{args[0]}' (ota bench run ...)");
        var a = CliArgs.Parse(args.Skip(1).ToArray(),
            new[] { "--junit", "--report", "--every", "--modes", "--work", "--device", "--power-cmd", "--reset-cmd", "--old", "--new",
                    "--package", "--serve", "--bind", "--port", "--fault-seconds", "--timeout" },
            new[] { "--quiet" });
        if (a.Help) { Console.WriteLine(Usage); return 0; }
        if (a.Positional.Count == 0) throw new OtaException(OtaError.Usage, "no scenario files (ota bench run SCENARIO.json...)");
        var scenarios = a.Positional.Select(BenchScenario.Load).ToList();
        var dup = scenarios.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new OtaException(OtaError.Usage, $"two scenarios are named '{dup.Key}'");
        TextWriter? log = a.Has("--quiet") ? null : Console.Error;

        var results = new List<BenchCaseResult>();
        string title;
        if (a.Get("--device") is { } device)
        {
            title = "Bench report (real device " + device + ")";
            var o = new RealDeviceOptions
            {
                DeviceUrl = device,
                PowerCommand = a.Get("--power-cmd") ?? throw new OtaException(OtaError.Usage, "--device needs --power-cmd CMD"),
                ResetCommand = a.Get("--reset-cmd"),
                OldImage = Existing(a.Get("--old"), "--old"),
                NewImage = Existing(a.Get("--new"), "--new"),
                PackagePath = Existing(a.Get("--package"), "--package"),
                ServeDir = a.Get("--serve") ?? throw new OtaException(OtaError.Usage, "--device needs --serve DIR (holding the package and its manifest folder)"),
                Bind = a.Get("--bind") ?? "0.0.0.0",
                Port = (int)a.GetNumber("--port", 8070),
                FaultSeconds = (int)a.GetNumber("--fault-seconds", 60),
                TimeoutSeconds = (int)a.GetNumber("--timeout", 600),
                Log = log,
            };
            if (!Directory.Exists(o.ServeDir)) throw new OtaException(OtaError.Io, $"'{o.ServeDir}' is not a directory");
            using var bench = new RealDeviceBench(o);
            foreach (var s in scenarios) results.AddRange(bench.Run(s));
        }
        else
        {
            if (a.Get("--power-cmd") != null) throw new OtaException(OtaError.Usage, "--power-cmd needs --device URL");
            title = "Bench report (simulated device)";
            var o = new BenchOptions { Log = log };
            if (a.Get("--every") != null)
            {
                long every = a.GetNumber("--every", 1);
                if (every < 1) throw new OtaException(OtaError.Usage, "--every needs a number >= 1");
                o.Every = (int)every;
            }
            if (a.Get("--modes") is { } modes) o.Modes = modes.Split(',').Select(m => PowerCutSpec.ParseMode(m.Trim())).ToList();
            bool ownWork = a.Get("--work") == null;
            o.WorkDir = a.Get("--work") ?? Path.Combine(Path.GetTempPath(), "ota-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(o.WorkDir);
            try
            {
                using var bench = new SimulatedBench(o);
                foreach (var s in scenarios) results.AddRange(bench.Run(s));
            }
            finally
            {
                if (ownWork) { try { Directory.Delete(o.WorkDir, true); } catch (IOException) { } }
            }
        }

        if (a.Get("--junit") is { } junit) OutputFile.WriteAtomic(junit, System.Text.Encoding.UTF8.GetBytes(JUnitReport.Build(results)));
        if (a.Get("--report") is { } report) OutputFile.WriteAtomic(report, System.Text.Encoding.UTF8.GetBytes(MarkdownReport.Build(results, scenarios, title)));
        int failed = results.Count(r => !r.Passed);
        Console.WriteLine($"bench: {scenarios.Count} scenarios, {results.Count} cases, {results.Count - failed} passed, {failed} failed, " +
                          $"{results.Count(r => r.Cut != null)} power-cut points, {results.Sum(r => r.PowerCuts)} cuts");
        foreach (var r in results.Where(r => !r.Passed)) Console.WriteLine($"FAIL {r.Scenario}: {r.Name}: {string.Join("; ", r.Failures)}");
        return failed == 0 ? 0 : 1;
    }

    private static string Existing(string? path, string flag)
    {
        if (path == null) throw new OtaException(OtaError.Usage, $"--device needs {flag} FILE");
        if (!File.Exists(path)) throw new OtaException(OtaError.Io, $"{flag}: '{path}' does not exist");
        return path;
    }
}
