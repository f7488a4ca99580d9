using System.Diagnostics;
using OtaCore;

namespace Ota.Tools.Bench;

/// <summary>
/// Switches a real device's power through a user-supplied command (a relay script): the command
/// line gets "on" or "off" appended and runs under /bin/sh; a non-zero exit is E902 IO.
/// </summary>
public sealed class PowerSwitch
{
    private readonly string _command;

    /// <summary>A switch running <paramref name="command"/> ("./relay.sh 3" → "./relay.sh 3 off").</summary>
    public PowerSwitch(string command) { _command = command; }

    /// <summary>Power on.</summary>
    public void On() => Run("on");

    /// <summary>Power off.</summary>
    public void Off() => Run("off");

    /// <summary>Runs the command with an argument; throws E902 when it fails or takes over 30 s.</summary>
    public void Run(string arg)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_command + " " + arg);
        using var p = Process.Start(psi) ?? throw new OtaException(OtaError.Io, $"power command '{_command}' could not start");
        string err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30000))
        {
            p.Kill(true);
            throw new OtaException(OtaError.Io, $"power command '{_command} {arg}' did not finish within 30 s");
        }
        if (p.ExitCode != 0) throw new OtaException(OtaError.Io, $"power command '{_command} {arg}' exited {p.ExitCode}: {err.Trim()}");
    }
}
