namespace Ota.Tools.Bench;

/// <summary>Settings of <see cref="RealDeviceBench"/> (the `ota bench run --device` flags).</summary>
public sealed class RealDeviceOptions
{
    /// <summary>Status URL of the device (GET → {"version", "state"[, "app_crc32"]}).</summary>
    public string DeviceUrl { get; set; } = "";

    /// <summary>Relay command; "on" / "off" is appended.</summary>
    public string PowerCommand { get; set; } = "";

    /// <summary>Optional command run (with "reset" appended) while the power is off before each case, to restore the old firmware.</summary>
    public string? ResetCommand { get; set; }

    /// <summary>Folder served to the device (its manifest offers the update).</summary>
    public string ServeDir { get; set; } = "";

    /// <summary>Full image of the firmware the device starts from.</summary>
    public string OldImage { get; set; } = "";

    /// <summary>Full image of the update (what must run afterwards).</summary>
    public string NewImage { get; set; } = "";

    /// <summary>The package file under <see cref="ServeDir"/> the device downloads.</summary>
    public string PackagePath { get; set; } = "";

    /// <summary>Address the server listens on (reachable by the device).</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>Server port.</summary>
    public int Port { get; set; } = 8070;

    /// <summary>Seconds the scenario's faults stay on per case.</summary>
    public int FaultSeconds { get; set; } = 60;

    /// <summary>Seconds a case may take before it fails.</summary>
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>Milliseconds after the last package byte over which install cut points are spread.</summary>
    public int InstallWindowMs { get; set; } = 8000;

    /// <summary>Milliseconds after power-on over which boot cut points are spread.</summary>
    public int BootWindowMs { get; set; } = 3000;

    /// <summary>How long the power stays off at a cut.</summary>
    public int OffMs { get; set; } = 2000;

    /// <summary>Progress lines.</summary>
    public TextWriter? Log { get; set; }
}
