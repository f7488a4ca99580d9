using System.Diagnostics;
using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using DeviceApp.HostApp;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore;
using OtaCore.Config;
using OtaCore.Partitions;

namespace Ota.Tools.Bench;

/// <summary>
/// Runs scenarios against the simulated device: the real C bootloader through libotahost and the
/// DeviceApp host twin (<see cref="DeviceSimulator"/>), real HTTP from an in-process
/// <see cref="HttpFileServer"/> whose <see cref="FaultPlan"/> carries the scenario's faults, a
/// file-backed NOR flash per case. A scenario first runs once without a power cut (the reference:
/// it must pass too, and it tells which flash operation belongs to which phase); then one case per
/// selected cut point and mode, each from a fresh copy of the factory flash.
/// </summary>
public sealed class SimulatedBench : IDisposable
{
    private readonly BenchOptions _o;
    private readonly Dictionary<string, (BenchFirmware Fw, HttpFileServer Server, FaultPlan Plan)> _sets = new();

    /// <summary>A bench working in <see cref="BenchOptions.WorkDir"/>.</summary>
    public SimulatedBench(BenchOptions options) { _o = options; }

    /// <summary>Runs every case of <paramref name="s"/>; the reference case comes first.</summary>
    public List<BenchCaseResult> Run(BenchScenario s)
    {
        var (fw, server, plan) = Set(s);
        var rules = s.Faults.Select(n => FaultRule.FromJson(n, v => fw.ResolveFile(v, Path.GetDirectoryName(s.SourcePath)!))).ToList();
        OtaConfig config = Config(s, server.BaseUrl);
        PartitionTable table;
        uint flashSize;
        using (var f = HostFlash.Open(fw.TemplateFlash)) { table = HostDeviceApp.ReadPartitionTable(f); flashSize = f.Size; }

        var results = new List<BenchCaseResult>();
        var reference = RunCase(s, fw, plan, rules, config, table, flashSize, null, PowerCutMode.Before);
        results.Add(reference);
        Report(reference);
        if (s.PowerCuts == null) return results;
        if (!reference.Passed)
        {
            reference.Failures.Add("power-cut cases skipped: the reference run (no cut) must pass first");
            return results;
        }
        var map = PhaseMap.Build(reference.Runs);
        var spec = s.PowerCuts;
        List<PhaseMap.Op> cuts = spec.Select(map);
        if (_o.Every > 1) cuts = PowerCutSpec.SamplePerPhase(cuts, _o.Every, 0);
        foreach (var mode in _o.Modes ?? spec.Modes)
        {
            foreach (var cut in cuts)
            {
                var r = RunCase(s, fw, plan, rules, config, table, flashSize, cut, mode);
                results.Add(r);
                Report(r);
            }
        }
        return results;
    }

    /// <summary>Stops the servers and deletes nothing (the caller owns the work folder).</summary>
    public void Dispose()
    {
        foreach (var set in _sets.Values) set.Server.Dispose();
        _sets.Clear();
    }

    private (BenchFirmware, HttpFileServer, FaultPlan) Set(BenchScenario s)
    {
        string key = s.FirmwareSize + "-" + s.Package + string.Concat(s.OldFlags.Select(f => "-" + f));
        if (!_sets.TryGetValue(key, out var set))
        {
            var fw = new BenchFirmware(Path.Combine(_o.WorkDir, "fw-" + key), s.FirmwareSize, s.Package, s.OldFlags);
            var plan = new FaultPlan();
            var server = new HttpFileServer(fw.ServeDir, log: TextWriter.Null) { Faults = plan };
            server.Start();
            _sets[key] = set = (fw, server, plan);
        }
        return set;
    }

    private static OtaConfig Config(BenchScenario s, string server)
    {
        // Bench defaults: a short request timeout so stalls are detected quickly (the engine's
        // minimum); anything in the scenario's "config" wins.
        var json = new JsonObject { ["request_timeout_ms"] = 1000 };
        foreach (var (k, v) in s.Config) json[k] = v?.DeepClone();
        OtaConfig c;
        try { c = OtaConfig.Parse(json.ToJsonString()); }
        catch (OtaException e) { throw new OtaException(OtaError.Usage, $"{s.SourcePath}: config: {e.Message}"); }
        c.Server = server;
        return c;
    }

    private BenchCaseResult RunCase(BenchScenario s, BenchFirmware fw, FaultPlan plan, List<FaultRule> rules, OtaConfig config,
        PartitionTable table, uint flashSize, PhaseMap.Op? cut, PowerCutMode mode)
    {
        var res = new BenchCaseResult { Scenario = s.Name, Cut = cut, Mode = mode };
        res.Name = cut == null ? "reference (no power cut)" : res.CutText + (s.PowerCuts?.SecondAfter > 0 ? $", again at op {s.PowerCuts.SecondAfter} after power-on" : "");
        var clock = Stopwatch.StartNew();
        string flash = Path.Combine(_o.WorkDir, "case.bin");
        File.Copy(fw.TemplateFlash, flash, true);
        var wear = new WearLedger(table, flashSize);
        string expectFinal = s.ExpectFinal == "new" ? "2.0.0" : "1.0.0";
        plan.Replace(rules);
        int runs = s.FaultyRuns + _o.RecoveryRuns;
        SimReport? last = null;
        for (int run = 1; run <= runs; run++)
        {
            bool faulty = run <= s.FaultyRuns;
            if (run == s.FaultyRuns + 1)
            {
                CheckAfterFaults(s, res, last);
                res.Requests = plan.Requests;
                res.FaultedRequests = plan.Faulted;
                plan.Replace(Array.Empty<FaultRule>());
            }
            var log = new StringWriter();
            var o = new SimOptions
            {
                FlashPath = flash, Config = config, MaxBoots = _o.MaxBoots, Log = log,
                ExpectImagePath = s.ExpectFinal == "new" ? fw.NewImage : fw.OldImage,
            };
            if (cut != null && cut.Run == run)
            {
                o.PowerCutAtOp = cut.Index;
                o.PowerCutMode = mode;
                o.PowerCutSeed = (s.PowerCuts?.Seed ?? 1) + (uint)cut.Index;
            }
            var sim = new DeviceSimulator(o);
            HostFlash? current = null, first = null;
            bool secondArmed = false;
            int secondAfter = cut != null && cut.Run == run ? s.PowerCuts?.SecondAfter ?? 0 : 0;
            var booted = new Dictionary<int, string>();
            int runNo = run;
            sim.BeforeBoot = (n, f) =>
            {
                wear.Mark(f, $"run {runNo} boot {n - 1} app");
                first ??= f;
                if (secondAfter > 0 && !secondArmed && !ReferenceEquals(f, first))
                {
                    // The power came back after the first cut: arm the second one on this power-on.
                    f.SetPowerCut((ulong)secondAfter, mode, o.PowerCutSeed + 7919);
                    secondArmed = true;
                }
                current = f;
                foreach (var ff in s.FlashFaults.Where(x => x.Run == runNo && x.Boot == n)) Rot(f, table, ff);
            };
            sim.BeforeApp = (n, app) =>
            {
                wear.Mark(current!, $"run {runNo} boot {n} bootloader");
                booted[n] = Classify(current!, table.App!, fw);
            };
            sim.BeforePowerOff = f => wear.Mark(f, $"run {runNo} last part before power-off");
            SimReport report;
            try { report = sim.Run(); }
            catch (Exception e) when (e is OtaException or IOException)
            {
                res.Failures.Add($"run {run}: the simulator failed: {e.Message}");
                break;
            }
            res.Runs.Add(report);
            last = report;
            CheckBoots(res, report, booted, run, log);
            if (cut != null && cut.Run == run && report.PowerCuts == 0)
                res.Failures.Add($"run {run}: the cut at op {cut.Index} was never reached (the run had {report.FlashOperations} flash operations)");
            if (secondAfter > 0 && report.PowerCuts < 2)
                res.Failures.Add($"run {run}: the second cut ({secondAfter} operations after the power came back) was never reached");
            if (!report.AppRunning)
            {
                res.Failures.Add($"run {run}: no app runs at the end (the device is bricked): {Tail(log)}");
                break;
            }
            if (!faulty && report.FinalVersion == expectFinal && report.FinalState == s.ExpectFinalState) break;
        }
        if (runs == s.FaultyRuns) { res.Requests = plan.Requests; res.FaultedRequests = plan.Faulted; }
        plan.Replace(Array.Empty<FaultRule>());

        res.FinalVersion = last?.FinalVersion;
        res.FinalState = last?.FinalState ?? "";
        if (last != null && res.Passed)
        {
            if (last.FinalVersion != expectFinal || last.FinalState != s.ExpectFinalState)
                res.Failures.Add($"the update did not complete once faults stopped: running {last.FinalVersion ?? "-"} in state {last.FinalState}, expected {expectFinal} {s.ExpectFinalState}");
            else if (last.BitExact != true)
                res.Failures.Add($"app partition is not {expectFinal} bit-exact: {last.BitExactNote}");
        }
        CheckWear(s, res, wear, table);
        res.Ms = clock.Elapsed.TotalMilliseconds;
        return res;
    }

    private static void CheckAfterFaults(BenchScenario s, BenchCaseResult res, SimReport? last)
    {
        if (last == null || s.ExpectAfterFaults == "any") return;
        string want = s.ExpectAfterFaults == "new" ? "2.0.0" : "1.0.0";
        if (last.FinalVersion != want)
            res.Failures.Add($"while the faults lasted the device should run {want} ({s.ExpectAfterFaults}), it runs {last.FinalVersion ?? "-"}");
    }

    /// <summary>Every boot that ran an app must have run 1.0.0 or 2.0.0 bit-exact, and said so.</summary>
    private static void CheckBoots(BenchCaseResult res, SimReport report, Dictionary<int, string> booted, int run, StringWriter log)
    {
        foreach (var b in report.Boots)
        {
            if (b.BootloaderCode != 0)
            {
                if (b.PowerCutIn == null)
                {
                    string why = string.Join(" / ", new[] { b.Bootloader?["error"]?["message"]?.ToString(), b.Bootloader?["app_error"]?["message"]?.ToString() }.Where(x => !string.IsNullOrEmpty(x)));
                    res.Failures.Add($"run {run} boot {b.Number}: the bootloader boots no app (E{b.BootloaderCode}): {(why.Length > 0 ? why : "no report")}");
                }
                continue;
            }
            string img = booted.TryGetValue(b.Number, out var k) ? k : "unknown";
            res.BootedImages.Add(img);
            string? want = img == "old" ? "1.0.0" : img == "new" ? "2.0.0" : null;
            if (want == null)
                res.Failures.Add($"run {run} boot {b.Number}: booted an app partition that is neither 1.0.0 nor 2.0.0 bit-exact (bootloader says {b.RunningVersion ?? "-"}): {Tail(log)}");
            else if (b.RunningVersion != want)
                res.Failures.Add($"run {run} boot {b.Number}: app partition holds {want} but the bootloader reports {b.RunningVersion ?? "-"}");
        }
    }

    private static void CheckWear(BenchScenario s, BenchCaseResult res, WearLedger wear, PartitionTable table)
    {
        res.MaxErasesApp = wear.MaxIn(table.App!.Name);
        res.MaxErasesStaging = wear.MaxIn(table.Staging!.Name);
        res.MaxErasesOtaData = wear.MaxIn(table.OtaData!.Name);
        foreach (var v in wear.Violations) res.Failures.Add("wear: " + v);
        // Over the whole case: the install writes each app sector once, the download each staging
        // sector once; every power cut and every download that stopped with an error may cost one
        // more erase (the resumed download erases its first non-durable block again; a changed
        // file restarts from byte 0; a resumed install rewrites the sector it was in).
        int interrupted = res.Runs.Sum(r => r.Boots.Count(b => b.App?.Update is { } u && u.Error != OtaError.Ok && u.Error != OtaError.NoUpdate && u.Error != OtaError.PackageRejected && u.BytesReceived > 0));
        uint bound = (uint)(1 + res.PowerCuts + interrupted + s.ExtraErasesAllowed);
        if (res.MaxErasesApp > bound) res.Failures.Add($"wear: an app sector was erased {res.MaxErasesApp} times (bound {bound})");
        if (res.MaxErasesStaging > bound) res.Failures.Add($"wear: a staging sector was erased {res.MaxErasesStaging} times (bound {bound})");
        uint elsewhere = wear.MaxElsewhere();
        if (elsewhere > 0) res.Failures.Add($"wear: a sector outside app, staging and otadata was erased {elsewhere} times");
    }

    /// <summary>Clears bits in a partition (NOR-legal bit rot) as a scenario's flash fault asks.</summary>
    private static void Rot(HostFlash flash, PartitionTable table, FlashFault ff)
    {
        var p = table.Find(ff.Partition) ?? throw new OtaException(OtaError.Usage, $"flash_faults: no partition '{ff.Partition}'");
        if (ff.Offset + (uint)ff.Length > p.Size) throw new OtaException(OtaError.Usage, $"flash_faults: {ff.Offset}+{ff.Length} is outside '{p.Name}' ({p.Size} bytes)");
        var b = new byte[ff.Length];
        flash.Read(p.Offset + ff.Offset, b, 0, b.Length);
        for (int i = 0; i < b.Length; i++) b[i] &= ff.AndMask;
        flash.Program(p.Offset + ff.Offset, b, 0, b.Length);
    }

    /// <summary>"old" / "new" when the app partition holds that body bit-exact, else "invalid".</summary>
    private static string Classify(HostFlash flash, PartitionEntry app, BenchFirmware fw)
    {
        if (Holds(flash, app.Offset, fw.NewBody)) return "new";
        if (Holds(flash, app.Offset, fw.OldBody)) return "old";
        return "invalid";
    }

    private static bool Holds(HostFlash flash, uint offset, byte[] body)
    {
        var buf = new byte[body.Length];
        flash.Read(offset, buf, 0, buf.Length);
        return buf.AsSpan().SequenceEqual(body);
    }

    private static string Tail(StringWriter log)
    {
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 6)));
    }

    private void Report(BenchCaseResult r)
    {
        if (_o.Log == null) return;
        _o.Log.WriteLine($"bench: {(r.Passed ? "ok  " : "FAIL")} {r.Scenario}: {r.Name}: {r.Boots} boots, {r.PowerCuts} cuts, {r.FinalVersion ?? "-"} {r.FinalState}, {r.Ms:0} ms{(r.Passed ? "" : " -- " + string.Join("; ", r.Failures))}");
        _o.Log.Flush();
    }
}
