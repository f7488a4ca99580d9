using System.Diagnostics;

namespace Ota.Tools.Tests;

/// <summary>Runs the built CLI (`dotnet ota.dll`) in a scratch directory and captures its output.</summary>
public sealed class CliRunner : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "ota-cli-" + Guid.NewGuid().ToString("N"));

    public CliRunner() => Directory.CreateDirectory(Dir);

    public static string Asset(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory }.Concat(parts).ToArray());

    public string P(string name) => Path.Combine(Dir, name);

    public sealed record Result(int Exit, string Out, string Err);

    public Result Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ota.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, o, err.Result);
    }

    /// <summary>Runs and requires success.</summary>
    public Result Ok(params string[] args)
    {
        var r = Run(args);
        Assert.AreEqual(0, r.Exit, $"ota {string.Join(' ', args)} failed: {r.Err}");
        return r;
    }

    /// <summary>Runs and requires failure with error code <paramref name="code"/> as the one-line message.</summary>
    public Result Fails(int code, params string[] args)
    {
        var r = Run(args);
        Assert.AreNotEqual(0, r.Exit, $"ota {string.Join(' ', args)} should fail");
        string[] lines = r.Err.TrimEnd('\n').Split('\n').Where(l => !l.StartsWith("ota: warning:")).ToArray();
        Assert.AreEqual(1, lines.Length, "expected one error line, got: " + r.Err);
        StringAssert.StartsWith(lines[0], $"ota: E{code} ", r.Err);
        return r;
    }

    /// <summary>Files in the scratch directory other than <paramref name="known"/> (temp leftovers).</summary>
    public string[] Leftovers(params string[] known) =>
        Directory.GetFiles(Dir).Select(Path.GetFileName).Where(n => !known.Contains(n)).ToArray()!;

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
