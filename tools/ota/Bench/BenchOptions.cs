using DeviceApp.Bindings.Host;

namespace Ota.Tools.Bench;

/// <summary>How `ota bench run` runs its scenarios (command-line overrides included).</summary>
public sealed class BenchOptions
{
    /// <summary>Work folder (firmware sets, case flash files); deleted afterwards unless kept.</summary>
    public string WorkDir { get; set; } = "";

    /// <summary>Take only every k-th selected cut point (CI sampling; 1 = all).</summary>
    public int Every { get; set; } = 1;

    /// <summary>Replaces the scenarios' cut modes when set.</summary>
    public List<PowerCutMode>? Modes { get; set; }

    /// <summary>Progress lines (one per case), null = silent.</summary>
    public TextWriter? Log { get; set; }

    /// <summary>Boots per simulator run before the bench gives up on it.</summary>
    public int MaxBoots { get; set; } = 12;

    /// <summary>Clean runs allowed after the faults stopped for the update to complete.</summary>
    public int RecoveryRuns { get; set; } = 2;
}
