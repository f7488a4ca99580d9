using OtaCore.State;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
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
    public double DownloadMs => Boots.Where(IsDownloadBoot).Sum(b => b.AppMs);

    private static bool IsDownloadBoot(BootRecord b) => b.App?.RebootRequested == true || (b.App?.Update?.PackageLength ?? 0) > 0;

    /// <summary>The timing model the modelled flash times count with.</summary>
    public FlashTiming FlashTiming { get; set; } = FlashTiming.Esp32;

    /// <summary>
    /// Flash counters and modelled time of the app runs that downloaded and staged a package
    /// (staging erases and programs, state records, reads).
    /// </summary>
    public FlashStats DownloadStageFlash => Boots.Where(IsDownloadBoot).Aggregate(new FlashStats(), (s, b) => b.AppFlash == null ? s : s.Plus(b.AppFlash));

    /// <summary>Modelled flash time of the bootloader runs that installed, microseconds.</summary>
    public ulong InstallFlashUs => Boots.Where(b => b.Installed).Aggregate(0UL, (s, b) => s + b.BootloaderFlashUs);

    /// <summary>Of <see cref="InstallFlashUs"/>: erases and programs of the target partition, microseconds.</summary>
    public ulong InstallTargetWriteUs => Boots.Where(b => b.Installed).Aggregate(0UL, (s, b) => s + b.BootloaderTargetWriteUs);

    /// <summary>Of <see cref="InstallFlashUs"/>: everything else (reads, state records), microseconds.</summary>
    public ulong InstallOtherUs => InstallFlashUs - InstallTargetWriteUs;

    /// <summary>Modelled install time ÷ its erase + program work on the target (null without either).</summary>
    public double? InstallOverheadRatio => InstallTargetWriteUs > 0 ? (double)InstallFlashUs / InstallTargetWriteUs : null;

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
                ["app_flash"] = b.AppFlash == null ? null : StatsJson(b.AppFlash),
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
            ["flash_time"] = FlashTimeJson(),
            ["boots"] = boots,
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject StatsJson(FlashStats s) => new JsonObject
    {
        ["modelled_ms"] = s.ModelledUs / 1000.0,
        ["erase_ms"] = s.EraseUs / 1000.0,
        ["program_ms"] = s.ProgramUs / 1000.0,
        ["read_ms"] = s.ReadUs / 1000.0,
        ["ops"] = s.Operations,
        ["sector_erases"] = s.SectorErases,
        ["block_erases"] = s.BlockErases,
        ["programs"] = s.Programs,
        ["reads"] = s.Reads,
        ["bytes_read"] = s.BytesRead,
    };

    private JsonObject FlashTimeJson() => new JsonObject
    {
        ["model"] = FlashTiming.Spec,
        ["timing"] = new JsonObject
        {
            ["sector_erase_us"] = FlashTiming.SectorEraseUs,
            ["block_erase_us"] = FlashTiming.BlockEraseUs,
            ["page_program_us"] = FlashTiming.PageProgramUs,
            ["read_bytes_per_ms"] = FlashTiming.ReadBytesPerMs,
        },
        ["download_stage"] = StatsJson(DownloadStageFlash),
        ["install"] = new JsonObject
        {
            ["modelled_ms"] = InstallFlashUs / 1000.0,
            ["target_write_ms"] = InstallTargetWriteUs / 1000.0,
            ["other_ms"] = InstallOtherUs / 1000.0,
            ["ratio"] = InstallOverheadRatio == null ? null : Math.Round(InstallOverheadRatio.Value, 4),
        },
    };

    /// <summary>
    /// The modelled flash time line: "flash time (ESP32 model): download+stage 2561 ms, install
    /// 1031 ms = erase/program 1006 ms + reads/records 25 ms (1.025×)".
    /// </summary>
    public string FlashTimeLine()
    {
        var c = CultureInfo.InvariantCulture;
        if (FlashTiming.IsOff) return "flash time: model off";
        var sb = new StringBuilder();
        sb.Append(c, $"flash time ({FlashTiming.Name}): download+stage {DownloadStageFlash.ModelledUs / 1000.0:0} ms, install {InstallFlashUs / 1000.0:0} ms");
        if (InstallOverheadRatio != null)
            sb.Append(c, $" = erase/program {InstallTargetWriteUs / 1000.0:0} ms + reads/records {InstallOtherUs / 1000.0:0} ms ({InstallOverheadRatio:0.000}×)");
        return sb.ToString();
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
        sb.Append(FlashTimeLine()).Append('\n');
        sb.Append(c, $"time: download {DownloadMs:0} ms, install {InstallMs:0} ms, boot+confirm {BootConfirmMs:0} ms, total {TotalMs:0} ms; flash ops {FlashOperations}, power cuts {PowerCuts}\n");
        return sb.ToString();
    }
}
