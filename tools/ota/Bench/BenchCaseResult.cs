using System.Globalization;
using DeviceApp.Bindings.Host;
using Ota.Tools.Sim;

namespace Ota.Tools.Bench;

/// <summary>The verdict of one bench case (one scenario run with at most one power cut).</summary>
public sealed class BenchCaseResult
{
    /// <summary>Scenario name.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>Case name ("reference", "download#12 op 57 torn").</summary>
    public string Name { get; set; } = "";

    /// <summary>The cut operation (null for the reference case).</summary>
    public PhaseMap.Op? Cut { get; set; }

    /// <summary>How the cut hit its operation.</summary>
    public PowerCutMode Mode { get; set; }

    /// <summary>Everything that went wrong (empty = passed).</summary>
    public List<string> Failures { get; } = new();

    /// <summary>True when nothing went wrong.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Simulator reports, one per run (faulty runs first, then recovery runs).</summary>
    public List<SimReport> Runs { get; } = new();

    /// <summary>What each booted app image was: "old", "new" (bit-exact) or "invalid", in boot order.</summary>
    public List<string> BootedImages { get; } = new();

    /// <summary>Power cuts switched by a relay (real-device mode; the simulator's are in <see cref="Runs"/>).</summary>
    public int RelayCuts { get; set; }

    /// <summary>Power cuts that happened.</summary>
    public int PowerCuts => Runs.Sum(r => r.PowerCuts) + RelayCuts;

    /// <summary>Boots over all runs.</summary>
    public int Boots => Runs.Sum(r => r.Boots.Count);

    /// <summary>HTTP body bytes the device received over all runs.</summary>
    public long BytesOnWire => Runs.Sum(r => r.BytesOnWire);

    /// <summary>Version running at the end.</summary>
    public string? FinalVersion { get; set; }

    /// <summary>State record at the end.</summary>
    public string FinalState { get; set; } = "";

    /// <summary>Highest erase count of one sector: app, staging, otadata.</summary>
    public uint MaxErasesApp { get; set; }

    /// <inheritdoc cref="MaxErasesApp"/>
    public uint MaxErasesStaging { get; set; }

    /// <inheritdoc cref="MaxErasesApp"/>
    public uint MaxErasesOtaData { get; set; }

    /// <summary>Requests the fault plan saw and faulted.</summary>
    public long Requests { get; set; }

    /// <inheritdoc cref="Requests"/>
    public long FaultedRequests { get; set; }

    /// <summary>Wall time of the case.</summary>
    public double Ms { get; set; }

    /// <summary>One-line summary of the cut ("run 1 op 57 download#12 torn" or "none").</summary>
    public string CutText => Cut == null ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"run {Cut.Run} op {Cut.Index} ({Cut.Phase} #{Cut.IndexInPhase}, boot {Cut.Boot}) {PowerCutSpec.ModeName(Mode)}");
}
