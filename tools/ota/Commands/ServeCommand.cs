using System.Runtime.InteropServices;
using Ota.Tools.Serve;
using Ota.Tools.Util;
using OtaCore;

namespace Ota.Tools.Commands;

/// <summary>`ota serve DIR [--port N] [--bind ADDR] [--quiet]`: the update server (see HttpFileServer).</summary>
public sealed class ServeCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "serve";

    /// <inheritdoc />
    public string Summary => "serve DIR over HTTP/1.1 with Range, ETag and /manifest/{device}/{channel}.json";

    private const string Usage =
        "usage: ota serve DIR [--port N] [--bind 127.0.0.1] [--quiet]\n" +
        "                 [--fault 'key=value;...']... [--faults FILE.json] [--control]\n" +
        "  Serves DIR's files (Range, ETag, HEAD) and GET /manifest/{device}/{channel}.json built from\n" +
        "  DIR/{device}/{channel}/*.img (images at DIR's root: device 'default', channel 'stable').\n" +
        "  Port 0 (default) picks a free port. Prints 'serving DIR at URL' on stdout, logs requests to\n" +
        "  stderr (--quiet: no request log), runs until SIGINT/SIGTERM.\n" +
        "  Faults (docs/bench.md): --fault RULE per rule, e.g. 'path=*.img;nth=2;drop_after=10000'\n" +
        "  (keys: path, request, nth, times, status, header_delay_ms, ignore_range, drop_after,\n" +
        "  stall_ms, stall_after, throttle, truncate, change_to); --faults FILE: a JSON array of rules\n" +
        "  or a bench scenario's \"faults\"; --control: GET/POST/DELETE /_ota/faults switch them live.";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        string? dir = null, bind = "127.0.0.1";
        int port = 0;
        bool quiet = false, control = false;
        var rules = new List<FaultRule>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case "--port":
                    if (++i >= args.Length || !int.TryParse(args[i], out port) || port < 0 || port > 65535)
                        throw new OtaException(OtaError.Usage, "--port needs a number 0..65535");
                    break;
                case "--bind":
                    if (++i >= args.Length || !System.Net.IPAddress.TryParse(args[i], out _))
                        throw new OtaException(OtaError.Usage, "--bind needs an IP address");
                    bind = args[i];
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                case "--fault":
                    if (++i >= args.Length) throw new OtaException(OtaError.Usage, "--fault needs a rule 'key=value;...'");
                    rules.Add(FaultRule.Parse(args[i]));
                    break;
                case "--faults":
                    if (++i >= args.Length) throw new OtaException(OtaError.Usage, "--faults needs a JSON file");
                    string faultFile = args[i];
                    string faultJson = OutputFile.ReadText(faultFile);
                    string faultDir = Path.GetDirectoryName(Path.GetFullPath(faultFile))!;
                    try { rules.AddRange(FaultPlan.RulesFromJson(faultJson, f => Path.IsPathRooted(f) ? f : Path.Combine(faultDir, f))); }
                    catch (OtaException e) when (e.Code == OtaError.Usage) { throw new OtaException(OtaError.Usage, $"{faultFile}: {e.Detail}"); }
                    break;
                case "--control":
                    control = true;
                    break;
                default:
                    if (args[i].StartsWith('-') || dir != null)
                        throw new OtaException(OtaError.Usage, $"unexpected argument '{args[i]}' (ota serve --help)");
                    dir = args[i];
                    break;
            }
        }
        if (dir == null) throw new OtaException(OtaError.Usage, "missing DIR (ota serve --help)");
        if (!Directory.Exists(dir)) throw new OtaException(OtaError.Io, $"'{dir}' is not a directory");

        HttpFileServer server;
        try
        {
            server = new HttpFileServer(dir, bind, port, quiet ? TextWriter.Null : null);
            if (rules.Count > 0 || control)
            {
                var plan = new FaultPlan(rules);
                server.Faults = plan;
                string root = Path.GetFullPath(dir);
                if (control) server.Control = new FaultControlEndpoint(plan, f => Path.IsPathRooted(f) ? f : Path.Combine(root, f));
            }
            server.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new OtaException(OtaError.Io, $"cannot listen on {bind}:{port}: {e.Message}");
        }
        using var stop = new ManualResetEventSlim();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        Console.WriteLine($"serving {Path.GetFullPath(dir)} at {server.BaseUrl}/");
        if (rules.Count > 0) Console.Error.WriteLine($"serve: {rules.Count} fault rule(s): {string.Join(" | ", rules.Select(r => r.Text))}");
        if (control) Console.Error.WriteLine($"serve: fault control at {server.BaseUrl}{FaultControlEndpoint.Path} (GET lists, POST replaces, DELETE clears)");
        Console.Out.Flush();
        stop.Wait();
        server.Dispose();
        Console.Error.WriteLine($"serve: stopped after {server.RequestCount} requests, {server.BodyBytesSent} body bytes");
        return 0;
    }
}
