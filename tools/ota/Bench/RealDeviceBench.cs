using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Tools.Serve;
using OtaCore;
using OtaCore.Image;

namespace Ota.Tools.Bench;

/// <summary>
/// The same scenarios against a real device on the network (docs/bench.md "Real-device mode").
/// The bench serves the update with the scenario's faults on a reachable address; the device's
/// ota.json points its "server" there. Power is switched by the user's relay command. Flash
/// operations cannot be counted on hardware, so a cut point becomes a moment: "download" = after
/// a share of the package's bytes went out, "commit" = right after the last byte, "install" =
/// a delay after the last byte, "confirm" = the first manifest request after the install (the new
/// image's health check), "boot" = a delay after power-on. Between steps the bench polls the
/// device's status URL (GET → JSON with "version", "state" and optionally "app_crc32"): every
/// answer must name the old or the new version (with the matching CRC), never anything else, and
/// at the end the new version must run CONFIRMED. Wear cannot be observed on hardware.
/// </summary>
public sealed class RealDeviceBench : IDisposable
{
    private readonly RealDeviceOptions _o;
    private readonly HttpFileServer _server;
    private readonly FaultPlan _plan = new();
    private readonly PowerSwitch _power;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly ImageHeader _old, _new;
    private readonly long _packageLength;

    /// <summary>Serves <see cref="RealDeviceOptions.ServeDir"/> on the bind address.</summary>
    public RealDeviceBench(RealDeviceOptions options)
    {
        _o = options;
        _power = new PowerSwitch(options.PowerCommand);
        _old = ImageHeader.Parse(File.ReadAllBytes(options.OldImage), 0);
        _new = ImageHeader.Parse(File.ReadAllBytes(options.NewImage), 0);
        _packageLength = new FileInfo(options.PackagePath).Length;
        _server = new HttpFileServer(options.ServeDir, options.Bind, options.Port, options.Log ?? TextWriter.Null) { Faults = _plan };
        _server.Start();
        options.Log?.WriteLine($"bench: serving {options.ServeDir} at {_server.BaseUrl} (the device's ota.json \"server\" must point here)");
    }

    /// <summary>Runs the reference case and one case per cut point of <paramref name="s"/>.</summary>
    public List<BenchCaseResult> Run(BenchScenario s)
    {
        var rules = s.Faults.Select(n => FaultRule.FromJson(n, v => Path.IsPathRooted(v) ? v : Path.Combine(Path.GetDirectoryName(s.SourcePath)!, v))).ToList();
        var results = new List<BenchCaseResult> { RunCase(s, rules, null, 0) };
        if (s.PowerCuts == null) return results;
        int n = Math.Max(1, s.PowerCuts.Count > 0 ? s.PowerCuts.Count : 3);
        foreach (string phase in s.PowerCuts.Phases)
            for (int i = 1; i <= n; i++)
                results.Add(RunCase(s, rules, phase, (double)i / (n + 1)));
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
    }

    private BenchCaseResult RunCase(BenchScenario s, List<FaultRule> rules, string? phase, double at)
    {
        var res = new BenchCaseResult { Scenario = s.Name };
        res.Name = phase == null ? "reference (no power cut)" : string.Create(CultureInfo.InvariantCulture, $"{phase} at {at:0.00}");
        var clock = Stopwatch.StartNew();
        try
        {
            _power.Off();
            if (_o.ResetCommand != null) new PowerSwitch(_o.ResetCommand).Run("reset");
            _plan.Replace(rules);
            long sentAtStart = _server.BodyBytesSent;
            _power.On();
            if (phase != null) Cut(res, phase, at, sentAtStart);
            var faultsUntil = Stopwatch.StartNew();
            bool faulty = true;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (faulty && faultsUntil.Elapsed.TotalSeconds >= _o.FaultSeconds)
                {
                    res.Requests = _plan.Requests; res.FaultedRequests = _plan.Faulted;
                    _plan.Replace(Array.Empty<FaultRule>());
                    faulty = false;
                }
                var st = Status(res);
                if (!faulty && st != null && st.Value.Version == _new.Version && st.Value.State == "CONFIRMED") { res.FinalVersion = st.Value.Version; res.FinalState = st.Value.State; break; }
                if (deadline.Elapsed.TotalSeconds > _o.TimeoutSeconds)
                {
                    res.Failures.Add($"the device did not run {_new.Version} CONFIRMED within {_o.TimeoutSeconds} s (last status: {(st == null ? "no answer" : st.Value.Version + " " + st.Value.State)})");
                    break;
                }
                Thread.Sleep(1000);
            }
        }
        catch (OtaException e) { res.Failures.Add(e.Message); }
        finally { _plan.Replace(Array.Empty<FaultRule>()); }
        res.Ms = clock.Elapsed.TotalMilliseconds;
        _o.Log?.WriteLine($"bench: {(res.Passed ? "ok  " : "FAIL")} {res.Scenario}: {res.Name}{(res.Passed ? "" : " -- " + string.Join("; ", res.Failures))}");
        return res;
    }

    /// <summary>Waits for the moment of the cut point, then switches the power off and on again.</summary>
    private void Cut(BenchCaseResult res, string phase, double at, long sentAtStart)
    {
        var wait = Stopwatch.StartNew();
        bool Timeout() => wait.Elapsed.TotalSeconds > _o.TimeoutSeconds;
        switch (phase)
        {
            case "download":
                while (_server.BodyBytesSent - sentAtStart < (long)(_packageLength * at) && !Timeout()) Thread.Sleep(20);
                break;
            case "commit":
            case "install":
            case "confirm":
                while (_server.BodyBytesSent - sentAtStart < _packageLength && !Timeout()) Thread.Sleep(20);
                if (phase == "install") Thread.Sleep((int)(_o.InstallWindowMs * at));
                if (phase == "confirm")
                {
                    long requests = _plan.Requests;
                    Thread.Sleep(_o.InstallWindowMs);
                    while (_plan.Requests == requests && !Timeout()) Thread.Sleep(20);
                }
                break;
            case "boot":
                Thread.Sleep((int)(_o.BootWindowMs * at));
                break;
        }
        if (Timeout()) { res.Failures.Add($"the {phase} cut point was never reached within {_o.TimeoutSeconds} s"); return; }
        _power.Off();
        res.RelayCuts++;
        Thread.Sleep(_o.OffMs);
        _power.On();
        res.Cut = new PhaseMap.Op(1, 0, phase, 1, 0);
    }

    /// <summary>One status poll; records what the device runs and fails the case on an unknown image.</summary>
    private (string Version, string State)? Status(BenchCaseResult res)
    {
        string text;
        try { text = _http.GetStringAsync(_o.DeviceUrl).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; } // off, booting or installing
        JsonObject? o;
        try { o = JsonNode.Parse(text) as JsonObject; } catch (JsonException) { o = null; }
        string? version = o?["version"]?.GetValue<string>();
        string state = o?["state"]?.GetValue<string>() ?? "";
        if (version == null) { Fail(res, "device status is not JSON with \"version\": " + text.Trim()); return null; }
        string kind = version == _new.Version ? "new" : version == _old.Version ? "old" : "invalid";
        if (res.BootedImages.Count == 0 || res.BootedImages[^1] != kind) res.BootedImages.Add(kind);
        if (kind == "invalid") Fail(res, $"the device runs version '{version}', neither {_old.Version} nor {_new.Version}");
        if (o!["app_crc32"] is JsonNode crcNode)
        {
            uint want = kind == "new" ? _new.OrgChecksum : _old.OrgChecksum;
            if (crcNode.GetValue<long>() != want) Fail(res, $"the device runs {version} but its app CRC is 0x{crcNode.GetValue<long>():X8}, expected 0x{want:X8}");
        }
        return (version, state);
    }

    /// <summary>Records a failure once (the status is polled every second).</summary>
    private static void Fail(BenchCaseResult res, string message)
    {
        if (!res.Failures.Contains(message)) res.Failures.Add(message);
    }
}
