using DeviceApp.Bindings.Host;
using OtaCore.Config;

namespace Ota.Tools.Sim;

/// <summary>How <see cref="DeviceSimulator"/> runs (the `ota sim` flags).</summary>
public sealed class SimOptions
{
    /// <summary>Flash image file (composed by `ota flash-image`).</summary>
    public string FlashPath { get; set; } = "";

    /// <summary>The engine configuration; its Server is the update server base URL.</summary>
    public OtaConfig Config { get; set; } = new OtaConfig();

    /// <summary>Stop after this many boots even if the device keeps rebooting.</summary>
    public int MaxBoots { get; set; } = 8;

    /// <summary>Cut the power at this flash operation (counted from the start of the run; 0 = never).</summary>
    public ulong PowerCutAtOp { get; set; }

    /// <summary>How the cut hits the operation.</summary>
    public PowerCutMode PowerCutMode { get; set; } = PowerCutMode.Before;

    /// <summary>Seed of the torn-write randomness.</summary>
    public uint PowerCutSeed { get; set; } = 1;

    /// <summary>A full image file the app partition must hold bit-exact at the end (null = no check).</summary>
    public string? ExpectImagePath { get; set; }

    /// <summary>
    /// Keep the process up after the last boot (the app "runs" until the process is killed: a
    /// power cut by the bench's relay); with config status_port the status URL stays answered.
    /// </summary>
    public bool RunForever { get; set; }

    /// <summary>Where flow log lines go (null = nowhere).</summary>
    public TextWriter? Log { get; set; }

    /// <summary>
    /// The flash timing model the report's modelled flash time counts with (`--flash-timing`;
    /// default ESP32). The simulator never waits for it.
    /// </summary>
    public FlashTiming FlashTiming { get; set; } = FlashTiming.Esp32;

    /// <summary>Draw a live download progress bar on <see cref="Log"/>.</summary>
    public bool ProgressBar { get; set; }
}
