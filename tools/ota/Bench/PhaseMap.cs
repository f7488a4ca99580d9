using System.Text.Json.Nodes;
using Ota.Tools.Sim;

namespace Ota.Tools.Bench;

/// <summary>
/// Which update phase every flash operation of a reference run (the same scenario without a power
/// cut) belongs to. Operations are numbered per simulator run, 1-based, as the host flash counts
/// them for a power cut. Phases: the bootloader's operations of a boot that installs ("install")
/// or only boots ("boot": trial counter, UNCONFIRMED); the app's operations that write state
/// records ("commit": the DOWNLOADING record at the start of a download, the STAGED record at its
/// end) and the rest of a downloading app ("download"); an app that confirms ("confirm").
/// </summary>
public sealed class PhaseMap
{
    /// <summary>
    /// Flash operations of one state record write without a kept bitmap (docs/design.md section 4:
    /// program bytes 0x000..0x0FB, program the CRC last, after an erase when the record log moves
    /// to the other sector; 3 is the most). A write into an erased slot takes 2, so a phase
    /// boundary may label one neighbouring operation "commit": only the labels of cut points move.
    /// </summary>
    public const int RecordWriteOps = 3;

    /// <summary>One flash operation of the reference run.</summary>
    public sealed record Op(int Run, ulong Index, string Phase, int IndexInPhase, int Boot);

    /// <summary>Every operation in run order.</summary>
    public List<Op> Ops { get; } = new();

    /// <summary>Operations per phase.</summary>
    public Dictionary<string, int> PhaseCounts { get; } = new();

    /// <summary>Builds the map from the simulator reports of the reference case, one per run.</summary>
    public static PhaseMap Build(IReadOnlyList<SimReport> runs)
    {
        var map = new PhaseMap();
        for (int r = 0; r < runs.Count; r++)
        {
            foreach (var b in runs[r].Boots)
            {
                string state = b.Bootloader?["state_before"]?.GetValue<string>() ?? "";
                string blPhase = b.Installed || state is "STAGED" or "INSTALLING" ? "install" : "boot";
                for (ulong i = b.FlashOpsAtStart + 1; i <= b.FlashOpsAfterBootloader; i++) map.Add(r + 1, i, blPhase, b.Number);
                if (b.App == null) continue;
                ulong from = b.FlashOpsAfterBootloader + 1, to = b.FlashOpsAfterApp;
                if (to < from) continue;
                ulong n = to - from + 1;
                bool downloaded = b.App.Update != null && (b.App.Update.Staged || b.App.Update.BytesReceived > 0);
                for (ulong i = from; i <= to; i++)
                {
                    ulong k = i - from;
                    string phase;
                    if (b.App.Confirmed && k < RecordWriteOps) phase = "confirm";
                    else if (!downloaded) phase = b.App.Confirmed ? "confirm" : "commit";
                    else if (b.App.Update!.Staged && k >= n - RecordWriteOps) phase = "commit";
                    else if (k < (b.App.Confirmed ? 2UL : 1UL) * RecordWriteOps) phase = "commit";
                    else phase = "download";
                    map.Add(r + 1, i, phase, b.Number);
                }
            }
        }
        return map;
    }

    private void Add(int run, ulong index, string phase, int boot)
    {
        PhaseCounts.TryGetValue(phase, out int c);
        PhaseCounts[phase] = c + 1;
        Ops.Add(new Op(run, index, phase, c + 1, boot));
    }
}
