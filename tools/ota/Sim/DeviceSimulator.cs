using System.Diagnostics;
using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using DeviceApp.Flow;
using DeviceApp.HostApp;
using OtaCore;
using OtaCore.Image;
using OtaCore.State;

namespace Ota.Tools.Sim;

/// <summary>
/// The whole device on a PC: every boot runs the C bootloader (otahost_boot, which installs a
/// staged package) and then, if it boots an app, the host twin of DeviceApp (the shared update
/// flow over host bindings) as that firmware. An app reboot request starts the next boot; an app
/// that stays up ends the run. An injected power cut (flash operation N, counted over the whole
/// run) aborts whatever was running; the flash file is reopened ("power on") and booting goes on.
/// </summary>
public sealed class DeviceSimulator
{
    private readonly SimOptions _o;

    /// <summary>A simulator for <paramref name="options"/>.</summary>
    public DeviceSimulator(SimOptions options) { _o = options; }

    /// <summary>Optional hook run before the bootloader of each boot (tests corrupt flash here).</summary>
    public Action<int, HostFlash>? BeforeBoot { get; set; }

    /// <summary>Optional hook run before the app of each boot (tests change the world between boots).</summary>
    public Action<int, HostDeviceApp>? BeforeApp { get; set; }

    /// <summary>Optional hook run on the flash right before it is closed: at a power cut and at the
    /// end of the run (the bench reads the per-sector erase counters here).</summary>
    public Action<HostFlash>? BeforePowerOff { get; set; }

    /// <summary>Runs boots until the app stays up, the device cannot boot, or MaxBoots.</summary>
    public SimReport Run()
    {
        var report = new SimReport();
        var total = Stopwatch.StartNew();
        var network = new HostNetworkStatus();
        using var source = new HttpRangeSource(network, _o.Config.RootCa);
        // The simulated bootloader is built with the keys the app trusts (on a device: CMake
        // OTA_SIGNING_PUBKEY); no signing_keys = unsigned mode for both.
        var keys = new string[_o.Config.SigningKeys.Count];
        _o.Config.SigningKeys.CopyTo(keys);
        BootloaderKeys.Set(keys);
        var bar = _o.ProgressBar && _o.Log != null ? new ProgressBar(_o.Log, !Console.IsErrorRedirected && ReferenceEquals(_o.Log, Console.Error)) : null;
        HostFlash flash = HostFlash.Open(_o.FlashPath);
        flash.SetTiming(_o.FlashTiming);
        report.FlashTiming = _o.FlashTiming;
        ulong opsBefore = 0;
        HostDeviceApp? current = null; // the app that runs now (its status listener is up)
        try
        {
            if (_o.PowerCutAtOp > 0) flash.SetPowerCut(_o.PowerCutAtOp, _o.PowerCutMode, _o.PowerCutSeed);
            for (int n = 1; n <= _o.MaxBoots; n++)
            {
                current?.StopStatus(); // a reboot or power cut ends the running app
                current = null;
                var boot = new BootRecord { Number = n };
                report.Boots.Add(boot);
                BeforeBoot?.Invoke(n, flash);
                boot.FlashOpsAtStart = opsBefore + flash.OperationCount;
                var sw = Stopwatch.StartNew();
                boot.BootloaderCode = flash.Boot(out string json);
                boot.FlashOpsAfterBootloader = opsBefore + flash.OperationCount;
                boot.BootloaderMs = sw.Elapsed.TotalMilliseconds;
                try { boot.Bootloader = JsonNode.Parse(json) as JsonObject; } catch (System.Text.Json.JsonException) { boot.Bootloader = null; }
                Say($"[boot {n}] bootloader: {Describe(boot)} ({boot.BootloaderMs:0} ms)");
                if (boot.BootloaderCode == (int)OtaError.FlashPowerCut)
                {
                    boot.PowerCutIn = "bootloader";
                    current?.StopStatus();
                    PowerCycle(ref flash, ref opsBefore, report);
                    continue;
                }
                if (boot.BootloaderCode != 0)
                {
                    report.AppRunning = false;
                    break;
                }

                var app = new HostDeviceApp(flash, _o.Config) { RangeSource = source };
                current = app;
                BeforeApp?.Invoke(n, app);
                long received = source.BodyBytesReceived;
                FlashStats appStart = flash.Stats;
                sw.Restart();
                try
                {
                    boot.App = app.Run(line => { bar?.Finish(); Say("[app] " + line); }, bar == null ? null : bar.Update);
                }
                catch (OtaException e) when (e.Code == OtaError.FlashPowerCut)
                {
                    boot.PowerCutIn = "app";
                }
                catch (OtaException e)
                {
                    Say("[app] crashed: " + e.Message);
                    boot.PowerCutIn = null;
                }
                bar?.Finish();
                boot.AppMs = sw.Elapsed.TotalMilliseconds;
                boot.FlashOpsAfterApp = opsBefore + flash.OperationCount;
                boot.AppFlash = flash.Stats.Minus(appStart);
                boot.AppBytesReceived = source.BodyBytesReceived - received;
                if (boot.App?.Update?.PackageLength > 0) report.PackageLength = boot.App.Update.PackageLength;
                if (boot.App?.Update?.Error == OtaError.FlashPowerCut) boot.PowerCutIn = "app";
                if (boot.PowerCutIn != null)
                {
                    Say($"[boot {n}] power cut in the app");
                    current?.StopStatus();
                    PowerCycle(ref flash, ref opsBefore, report);
                    continue;
                }
                report.AppRunning = boot.App != null;
                if (boot.App == null || !boot.App.RebootRequested) break;
                Say($"[boot {n}] app rebooting");
            }
            if (_o.RunForever)
            {
                // A device that stays up until its power goes: `ota sim --run-forever` is killed
                // by the bench's relay (tools/bench/relay-sim.sh), the flash file persists.
                Say(current?.StatusListener != null
                    ? $"[device] up, status on http://127.0.0.1:{current.StatusListener.Port}/ until killed"
                    : "[device] up until killed");
                Thread.Sleep(Timeout.Infinite);
            }
            current?.StopStatus();
            report.BytesOnWire = source.BodyBytesReceived;
            report.FlashOperations = opsBefore + flash.OperationCount;
            Finish(flash, report);
        }
        finally
        {
            BeforePowerOff?.Invoke(flash);
            flash.Dispose();
            BootloaderKeys.Set();
        }
        report.TotalMs = total.Elapsed.TotalMilliseconds;
        return report;
    }

    private void PowerCycle(ref HostFlash flash, ref ulong opsBefore, SimReport report)
    {
        report.PowerCuts++;
        opsBefore += flash.OperationCount;
        BeforePowerOff?.Invoke(flash);
        flash.Dispose();
        flash = HostFlash.Open(_o.FlashPath);
        flash.SetTiming(_o.FlashTiming);
        Say("[power] off and on again");
    }

    private void Finish(HostFlash flash, SimReport report)
    {
        var table = HostDeviceApp.ReadPartitionTable(flash);
        var store = new OtaStateStore(flash.Partition(table.OtaData.Name, table.OtaData.Offset, table.OtaData.Size));
        OtaStateRecord? record = store.ReadCurrent();
        report.FinalState = OtaStateNames.Name(record == null ? OtaState.None : record.State);
        var last = report.Boots.LastOrDefault(b => b.BootloaderCode == 0);
        report.FinalVersion = report.AppRunning ? last?.RunningVersion : null;
        if (record?.InstalledHeader != null) report.InstalledImageLength = ImageHeader.Size + record.InstalledHeader.ImgLen;
        if (_o.ExpectImagePath == null) return;

        byte[] image = File.ReadAllBytes(_o.ExpectImagePath);
        ImageHeader expected = ImageHeader.Parse(image, 0);
        if (expected.Compressed)
            throw new OtaException(OtaError.Usage, "--expect needs the full image (compress_type 0), not a package");
        var app = table.App;
        if (expected.ImgLen > app.Size) { report.BitExact = false; report.BitExactNote = "image larger than the app partition"; return; }
        var actual = new byte[expected.ImgLen];
        flash.Read(app.Offset, actual, 0, actual.Length);
        int diff = -1;
        for (int i = 0; i < actual.Length; i++) if (actual[i] != image[ImageHeader.Size + i]) { diff = i; break; }
        if (diff >= 0) { report.BitExact = false; report.BitExactNote = $"first difference at app offset 0x{diff:X}"; return; }
        if (report.FinalVersion != expected.Version) { report.BitExact = false; report.BitExactNote = $"bootloader runs '{report.FinalVersion}', expected '{expected.Version}'"; return; }
        report.BitExact = true;
    }

    private static string Describe(BootRecord b)
    {
        var j = b.Bootloader;
        if (j == null) return "rc " + b.BootloaderCode + " (no report)";
        string actions = j["actions"] is JsonArray a ? string.Join(",", a.Select(x => x?.ToString())) : "";
        string err = j["error"] is JsonObject e ? " " + e["message"] : "";
        return $"{j["state_before"]} -> {j["state_after"]} [{actions}]{err}; {(b.BootloaderCode == 0 ? "boots " + (b.RunningVersion ?? "?") : "no app")}";
    }

    private void Say(string line)
    {
        if (_o.Log == null) return;
        _o.Log.WriteLine(line);
        _o.Log.Flush();
    }
}
