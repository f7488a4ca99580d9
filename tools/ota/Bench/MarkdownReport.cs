using System.Globalization;
using System.Text;

namespace Ota.Tools.Bench;

/// <summary>
/// The Markdown report of a bench run: totals, then per scenario its description, the cut points
/// tried per phase and mode, the failures, and a table of the failed cases plus a sample of the
/// passed ones (a full sweep has hundreds).
/// </summary>
public static class MarkdownReport
{
    /// <summary>Rows of passed cases listed per scenario (failed cases are always listed).</summary>
    public const int PassedRowsShown = 8;

    /// <summary>The report text.</summary>
    public static string Build(IReadOnlyList<BenchCaseResult> results, IReadOnlyList<BenchScenario> scenarios, string title)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int failed = results.Count(r => !r.Passed);
        sb.Append(c, $"# {title}\n\n");
        sb.Append(c, $"{scenarios.Count} scenarios, {results.Count} cases, {results.Count - failed} passed, **{failed} failed**; ");
        sb.Append(c, $"{results.Count(r => r.Cut != null)} power-cut points tried ({results.Sum(r => r.PowerCuts)} cuts happened), {results.Sum(r => r.Boots)} simulated boots, ");
        sb.Append(c, $"{results.Sum(r => r.FaultedRequests)} faulted HTTP requests; {results.Sum(r => r.Ms) / 1000:0.0} s.\n\n");
        sb.Append("Every case checks: each boot that runs an app runs 1.0.0 or 2.0.0 bit-exact (the app partition is compared with the image body, never a partly written one) and the bootloader reports that version; ");
        sb.Append("once the faults stop the update completes: the expected image runs bit-exact in the expected state (2.0.0 CONFIRMED unless the scenario says otherwise); erases per sector stay bounded (per bootloader/app run: app and staging sectors at most once, otadata at most twice; per case: app and staging at most 1 + power cuts + downloads that stopped with an error).\n\n");
        sb.Append("| scenario | cases | failed | cut points by phase (mode) | max erases app / staging / otadata | wire bytes (reference) |\n|---|---|---|---|---|---|\n");
        foreach (var s in scenarios)
        {
            var rs = results.Where(r => r.Scenario == s.Name).ToList();
            if (rs.Count == 0) continue;
            var cuts = rs.Where(r => r.Cut != null)
                .GroupBy(r => r.Cut!.Phase + " (" + PowerCutSpec.ModeName(r.Mode) + ")")
                .Select(g => g.Key + ": " + g.Count());
            string cutText = string.Join(", ", cuts);
            sb.Append(c, $"| {s.Name} | {rs.Count} | {rs.Count(r => !r.Passed)} | {(cutText.Length == 0 ? "none" : cutText)} | ");
            sb.Append(c, $"{rs.Max(r => r.MaxErasesApp)} / {rs.Max(r => r.MaxErasesStaging)} / {rs.Max(r => r.MaxErasesOtaData)} | {rs[0].BytesOnWire} |\n");
        }
        foreach (var s in scenarios)
        {
            var rs = results.Where(r => r.Scenario == s.Name).ToList();
            if (rs.Count == 0) continue;
            sb.Append(c, $"\n## {s.Name}\n\n");
            if (s.Description.Length > 0) sb.Append(s.Description).Append("\n\n");
            sb.Append(c, $"Firmware {s.FirmwareSize / 1024} KiB, package {s.Package}, {s.Faults.Count} fault rules, expected after faults: {s.ExpectAfterFaults}, final: {s.ExpectFinal}.\n\n");
            sb.Append("| case | result | boots | cuts | booted images | final | wire B | erases app/stg/ota |\n|---|---|---|---|---|---|---|---|\n");
            var shown = rs.Where(r => !r.Passed).Concat(rs.Where(r => r.Passed).Take(PassedRowsShown)).ToList();
            foreach (var r in shown)
            {
                string result = r.Passed ? "ok" : "**FAIL**: " + Escape(string.Join("; ", r.Failures));
                sb.Append(c, $"| {Escape(r.Name)} | {result} | {r.Boots} | {r.PowerCuts} | {Compact(r.BootedImages)} | {r.FinalVersion ?? "-"} {r.FinalState} | {r.BytesOnWire} | {r.MaxErasesApp}/{r.MaxErasesStaging}/{r.MaxErasesOtaData} |\n");
            }
            if (shown.Count < rs.Count) sb.Append(c, $"\n({rs.Count - shown.Count} more passed cases not listed.)\n");
        }
        return sb.ToString();
    }

    private static string Compact(List<string> images)
    {
        var parts = new List<string>();
        foreach (var img in images)
        {
            if (parts.Count > 0 && parts[^1].StartsWith(img, StringComparison.Ordinal))
            {
                string last = parts[^1];
                int x = last.IndexOf('x');
                int n = x < 0 ? 1 : int.Parse(last[(x + 1)..], CultureInfo.InvariantCulture);
                parts[^1] = img + "x" + (n + 1).ToString(CultureInfo.InvariantCulture);
            }
            else parts.Add(img);
        }
        return string.Join(" ", parts);
    }

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
