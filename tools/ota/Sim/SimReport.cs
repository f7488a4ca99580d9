using OtaCore.State;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceApp.Flow;

namespace Ota.Tools.Sim;

/// <summary>The result of one simulator run: every boot, totals, and the final verdict.</summary>
public sealed class SimReport
{
    /// <summary>The boots in order.</summary>
    public List<BootRecord> Boots { get; } = new();

    /// <summary>Power cycles caused by an injected power cut.</summary>
    public int PowerCuts { get; set; }

    /// <summary>True when the last boot ran an app (the device is alive).</summary>
    public bool AppRunning { get; set; }

    /// <summary>Version running at the end, or null.</summary>
    public string? FinalVersion { get; set; }

    /// <summary>State record state at the end (from the last app run or bootloader report).</summary>
    public string FinalState { get; set; } = "";

    /// <summary>Result of the --expect check: null = not asked, true = bit-exact.</summary>
    public bool? BitExact { get; set; }

    /// <summary>Why the --expect check failed, or null.</summary>
    public string? BitExactNote { get; set; }

    /// <summary>HTTP body bytes received by the device over the whole run.</summary>
    public long BytesOnWire { get; set; }

    /// <summary>Length of the last package downloaded (0 if none).</summary>
    public long PackageLength { get; set; }

    /// <summary>Length of the installed full image (header + body) at the end, 0 if unknown.</summary>
    public long InstalledImageLength { get; set; }

    /// <summary>Flash operations (program + erase) in the whole run.</summary>
    public ulong FlashOperations { get; set; }

    /// <summary>
    /// The staging writer of the boots that downloaded ("pipelined", "erase-as-you-go", both
    /// joined by "+" if they differ), or null when nothing was downloaded.
    /// </summary>
    public string? StagingWriter
    {
        get
        {
            var w = Boots.Select(b => b.App?.StagingWriter).Where(x => x != null).Distinct().ToList();
            return w.Count == 0 ? null : string.Join("+", w);
        }
    }

    /// <summary>Staging flash operations the pipeline's worker thread performed over the run.</summary>
    public int StagingWorkerOperations => Boots.Sum(b => b.App?.Update?.StagingWorkerOperations ?? 0);

    /// <summary>Total milliseconds.</summary>
    public double TotalMs { get; set; }

    /// <summary>Exit status: the device runs an app, and the expected image if one was given.</summary>
    public bool Success => AppRunning && BitExact != false;

    /// <summary>Sum of app run time in boots that downloaded and staged a package.</summary>
    public double DownloadMs => Boots.Where(b => b.App?.RebootRequested == true || (b.App?.Update?.PackageLength ?? 0) > 0).Sum(b => b.AppMs);

    /// <summary>Sum of bootloader time in boots that installed.</summary>
    public double InstallMs => Boots.Where(b => b.Installed).Sum(b => b.BootloaderMs);

    /// <summary>
    /// Time from the end of the last install to the end of the run: the app of the install boot
    /// (start, health check, confirm, update check) and any later boots.
    /// </summary>
    public double BootConfirmMs
    {
        get
        {
            int last = Boots.FindLastIndex(b => b.Installed);
            if (last < 0) return 0;
            return Boots[last].AppMs + Boots.Skip(last + 1).Sum(b => b.BootloaderMs + b.AppMs);
        }
    }

    /// <summary>The summary as JSON.</summary>
    public string ToJson()
    {
        var boots = new JsonArray();
        foreach (var b in Boots)
        {
            var app = b.App == null ? null : new JsonObject
            {
                ["start_state"] = OtaStateNames.Name(b.App.StartState),
                ["end_state"] = OtaStateNames.Name(b.App.EndState),
                ["confirmed"] = b.App.Confirmed,
                ["reboot"] = b.App.RebootRequested,
                ["update_error"] = b.App.Update == null ? null : (int)b.App.Update.Error,
                ["update_message"] = b.App.Update?.Message,
                ["offered_version"] = b.App.Update?.Version,
                ["resumed_from"] = b.App.Update?.ResumedFrom ?? 0,
                ["retries"] = b.App.Update?.Retries ?? 0,
                ["staging_writer"] = b.App.StagingWriter,
                ["staging_worker_operations"] = b.App.Update?.StagingWorkerOperations ?? 0,
            };
            boots.Add(new JsonObject
            {
                ["boot"] = b.Number,
                ["bootloader_code"] = b.BootloaderCode,
                ["bootloader"] = b.Bootloader?.DeepClone(),
                ["bootloader_ms"] = Math.Round(b.BootloaderMs, 1),
                ["app"] = app,
                ["app_ms"] = Math.Round(b.AppMs, 1),
                ["app_bytes_received"] = b.AppBytesReceived,
                ["power_cut_in"] = b.PowerCutIn,
            });
        }
        var o = new JsonObject
        {
            ["success"] = Success,
            ["app_running"] = AppRunning,
            ["final_version"] = FinalVersion,
            ["final_state"] = FinalState,
            ["bit_exact"] = BitExact,
            ["bit_exact_note"] = BitExactNote,
            ["bytes_on_wire"] = BytesOnWire,
            ["package_length"] = PackageLength,
            ["installed_image_length"] = InstalledImageLength,
            ["compression_ratio"] = PackageLength > 0 && InstalledImageLength > 0 ? Math.Round((double)PackageLength / InstalledImageLength, 4) : null,
            ["flash_operations"] = FlashOperations,
            ["staging_writer"] = StagingWriter,
            ["staging_worker_operations"] = StagingWorkerOperations,
            ["power_cuts"] = PowerCuts,
            ["ms"] = new JsonObject
            {
                ["download"] = Math.Round(DownloadMs, 1),
                ["install"] = Math.Round(InstallMs, 1),
                ["boot_confirm"] = Math.Round(BootConfirmMs, 1),
                ["total"] = Math.Round(TotalMs, 1),
            },
            ["boots"] = boots,
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The summary as text lines.</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        foreach (var b in Boots)
        {
            sb.Append(c, $"boot {b.Number}: bootloader {(b.BootloaderCode == 0 ? "ok" : "E" + b.BootloaderCode)}");
            if (b.Bootloader != null)
                sb.Append(c, $" {b.Bootloader["state_before"]}->{b.Bootloader["state_after"]} [{string.Join(",", (b.Bootloader["actions"] as JsonArray ?? new JsonArray()).Select(x => x?.ToString()))}] runs {b.RunningVersion ?? "-"}");
            if (b.App != null)
            {
                sb.Append(c, $"; app {OtaStateNames.Name(b.App.StartState)}->{OtaStateNames.Name(b.App.EndState)}");
                if (b.App.Confirmed) sb.Append(" confirmed");
                if (b.App.Update != null) sb.Append(c, $", update: {(b.App.Update.Error == OtaCore.OtaError.Ok ? (b.App.Update.Staged ? "staged " + b.App.Update.Version : "ok") : b.App.Update.Message)}");
                if (b.App.RebootRequested) sb.Append(", reboot");
            }
            if (b.PowerCutIn != null) sb.Append(c, $"; POWER CUT in {b.PowerCutIn}");
            sb.Append('\n');
        }
        sb.Append(c, $"result: {(Success ? "OK" : "FAILED")}, running {FinalVersion ?? "-"}, state {FinalState}");
        if (BitExact != null) sb.Append(c, $", app partition {(BitExact == true ? "bit-exact" : "DIFFERS: " + BitExactNote)}");
        sb.Append('\n');
        sb.Append(c, $"bytes on the wire: {BytesOnWire}");
        if (PackageLength > 0 && InstalledImageLength > 0)
            sb.Append(c, $"; package {PackageLength} B for a {InstalledImageLength} B image (ratio {(double)PackageLength / InstalledImageLength:0.000})");
        sb.Append('\n');
        if (StagingWriter != null) sb.Append(c, $"staging writer: {StagingWriter} ({StagingWorkerOperations} flash operations on the worker thread)\n");
        sb.Append(c, $"time: download {DownloadMs:0} ms, install {InstallMs:0} ms, boot+confirm {BootConfirmMs:0} ms, total {TotalMs:0} ms; flash ops {FlashOperations}, power cuts {PowerCuts}\n");
        return sb.ToString();
    }
}
