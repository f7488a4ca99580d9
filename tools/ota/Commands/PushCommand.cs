using Ota.Tools.Push;
using Ota.Tools.Util;
using OtaCore;
using OtaCore.Push;

namespace Ota.Tools.Commands;

/// <summary>`ota push`: network push to a device's ArduinoOTA receiver (espota.py protocol).</summary>
public sealed class PushCommand : ICommand
{
    public string Name => "push";
    public string Summary => "push a firmware or .img to a device over the network (ArduinoOTA/espota protocol)";

    private const string Usage =
        "usage: ota push HOST FILE [--password P] [--port N] [--host-port N] [--chunk 1024] [--fs]\n" +
        "                [--timeout SECONDS] [--quiet]\n" +
        "  Sends the invitation to HOST:PORT (UDP, default 3232), logs in when the device asks\n" +
        "  (md5 digest of the password), then serves FILE on a local TCP port (--host-port, default\n" +
        "  any) that the device connects to. FILE: raw firmware, or a .img / _ota.img package.\n" +
        "  --fs writes the filesystem/config partition (command 100) instead of the firmware.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--password", "--port", "--host-port", "--chunk", "--timeout" }, new[] { "--fs", "--quiet" });
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (a.Positional.Count != 2) throw CliArgs.Usage("expected HOST FILE (ota push --help)");
        int port = Range(a, "--port", PushProtocol.DefaultPort, 1, 65535);
        int hostPort = Range(a, "--host-port", 0, 0, 65535);
        int chunk = Range(a, "--chunk", 1024, 1, 65536);
        int timeout = Range(a, "--timeout", 10, 1, 3600);
        string path = a.Positional[1];
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OtaException(OtaError.Io, $"cannot read {path}: {e.Message}");
        }
        if (file.Length == 0) throw new OtaException(OtaError.Io, $"{path} is empty");

        bool quiet = a.Has("--quiet");
        var bar = new PushProgress(Console.Error, !Console.IsErrorRedirected);
        var client = new PushClient
        {
            Host = a.Positional[0],
            Port = port,
            HostPort = hostPort,
            Chunk = chunk,
            Password = a.Get("--password"),
            Filesystem = a.Has("--fs"),
            TimeoutMs = timeout * 1000,
            Progress = quiet ? null : bar.Update,
            Log = quiet ? null : line => Console.Error.WriteLine("  " + line),
        };
        client.Push(file);
        Console.WriteLine($"pushed {Path.GetFileName(path)} ({file.Length} bytes) to {client.Host}:{port}: OK");
        return 0;
    }

    private static int Range(CliArgs a, string name, int dflt, int min, int max)
    {
        long v = a.GetNumber(name, dflt);
        if (v < min || v > max) throw CliArgs.Usage($"{name}: {v} is not {min}..{max}");
        return (int)v;
    }
}
