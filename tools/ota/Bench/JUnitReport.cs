using System.Globalization;
using System.Xml.Linq;

namespace Ota.Tools.Bench;

/// <summary>
/// JUnit XML for CI systems: one testsuite per scenario, one testcase per bench case; a failed case
/// carries its failures in a failure element.
/// </summary>
public static class JUnitReport
{
    /// <summary>The XML document text for <paramref name="results"/>.</summary>
    public static string Build(IReadOnlyList<BenchCaseResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var root = new XElement("testsuites",
            new XAttribute("name", "ota bench"),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => !r.Passed)),
            new XAttribute("time", (results.Sum(r => r.Ms) / 1000).ToString("0.000", c)));
        foreach (var g in results.GroupBy(r => r.Scenario))
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", g.Key),
                new XAttribute("tests", g.Count()),
                new XAttribute("failures", g.Count(r => !r.Passed)),
                new XAttribute("errors", 0),
                new XAttribute("time", (g.Sum(r => r.Ms) / 1000).ToString("0.000", c)));
            foreach (var r in g)
            {
                var tc = new XElement("testcase",
                    new XAttribute("classname", "bench." + g.Key),
                    new XAttribute("name", r.Name),
                    new XAttribute("time", (r.Ms / 1000).ToString("0.000", c)));
                if (!r.Passed)
                    tc.Add(new XElement("failure", new XAttribute("message", r.Failures[0]), string.Join("\n", r.Failures)));
                tc.Add(new XElement("system-out",
                    $"boots {r.Boots}, power cuts {r.PowerCuts}, booted [{string.Join(",", r.BootedImages)}], final {r.FinalVersion ?? "-"} {r.FinalState}, " +
                    $"wire {r.BytesOnWire} B, requests {r.Requests} (faulted {r.FaultedRequests}), max erases app/staging/otadata {r.MaxErasesApp}/{r.MaxErasesStaging}/{r.MaxErasesOtaData}"));
                suite.Add(tc);
            }
            root.Add(suite);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }
}
