using System.Text.Json.Nodes;
using DeviceApp.Bindings.Host;
using DeviceApp.Flow;

namespace Ota.Tools.Sim;

/// <summary>One simulated boot: what the bootloader did, then what the app did.</summary>
public sealed class BootRecord
{
    /// <summary>1-based boot number.</summary>
    public int Number { get; set; }

    /// <summary>Return code of otahost_boot (0 = an app runs).</summary>
    public int BootloaderCode { get; set; }

    /// <summary>The bootloader's JSON report (null if the power failed before it could write one).</summary>
    public JsonObject? Bootloader { get; set; }

    /// <summary>Milliseconds spent in the bootloader (install included).</summary>
    public double BootloaderMs { get; set; }

    /// <summary>The app's flow outcome (null when no app ran).</summary>
    public FlowOutcome? App { get; set; }

    /// <summary>Milliseconds the app ran.</summary>
    public double AppMs { get; set; }

    /// <summary>Body bytes the app received over HTTP during this boot.</summary>
    public long AppBytesReceived { get; set; }

    /// <summary>Flash operation counter (whole run) when the boot started.</summary>
    public ulong FlashOpsAtStart { get; set; }

    /// <summary>Flash operation counter after the bootloader finished.</summary>
    public ulong FlashOpsAfterBootloader { get; set; }

    /// <summary>Flash operation counter after the app finished.</summary>
    public ulong FlashOpsAfterApp { get; set; }

    /// <summary>Flash counters and modelled time of the app's run (null when no app ran).</summary>
    public FlashStats? AppFlash { get; set; }

    /// <summary>The bootloader's modelled flash time, microseconds (its report's flash.modelled_us).</summary>
    public ulong BootloaderFlashUs => Number64(Bootloader?["flash"]?["modelled_us"]);

    /// <summary>
    /// Of <see cref="BootloaderFlashUs"/>: the erases and programs inside the partition that runs
    /// (an install's physical work on the target), microseconds.
    /// </summary>
    public ulong BootloaderTargetWriteUs => Number64(Bootloader?["flash"]?["target_write_us"]);

    private static ulong Number64(JsonNode? n) => n == null ? 0 : n.GetValue<ulong>();

    /// <summary>Set when the power was cut during this boot ("bootloader" or "app").</summary>
    public string? PowerCutIn { get; set; }

    /// <summary>Version the bootloader reported as running, or null.</summary>
    public string? RunningVersion => Bootloader?["image"]?["version"]?.GetValue<string>();

    /// <summary>True when the bootloader installed a package in this boot.</summary>
    public bool Installed => Bootloader?["actions"] is JsonArray a && a.Any(x => x?.GetValue<string>() == "install");
}
