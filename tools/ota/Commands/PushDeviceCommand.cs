using System.Net;
using System.Text.Json.Nodes;
using Ota.Tools.Push;
using Ota.Tools.Util;
using OtaCore;
using OtaCore.Push;

namespace Ota.Tools.Commands;

/// <summary>`ota push-device`: a simulated device on a flash file that takes network pushes.</summary>
public sealed class PushDeviceCommand : ICommand
{
    public string Name => "push-device";
    public string Summary => "simulate a device taking network pushes (ArduinoOTA receiver + mDNS) on a flash file";

    private const string Usage =
        "usage: ota push-device --flash FLASH.bin [--port 3232] [--password P | --passwd-md5 HEX]\n" +
        "                       [--mdns-port N] [--bind 127.0.0.1] [--count 1] [--timeout SECONDS]\n" +
        "  Answers invitations on UDP --port (0 = any; the bound port is printed on stderr as\n" +
        "  'listening on ADDR:PORT'), stages each push into FLASH.bin and boots it through the C\n" +
        "  bootloader; the booted app confirms itself (TRIAL -> CONFIRMED). Stops after --count staged pushes (exit 0) or when --timeout passes without one\n" +
        "  (E1006). --mdns-port: also answer DNS-SD queries for _arduino._tcp on that UDP port.";

    public int Run(string[] args)
    {
        var a = CliArgs.Parse(args, new[] { "--flash", "--port", "--password", "--passwd-md5", "--mdns-port", "--bind", "--count", "--timeout" }, Array.Empty<string>());
        if (a.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (a.Positional.Count != 0) throw CliArgs.Usage($"unexpected argument '{a.Positional[0]}' (ota push-device --help)");
        string flash = a.Require("--flash");
        if (!File.Exists(flash)) throw new OtaException(OtaError.Io, $"flash file '{flash}' does not exist (make one with ota flash-image)");
        if (!IPAddress.TryParse(a.Get("--bind") ?? "127.0.0.1", out IPAddress? bind)) throw CliArgs.Usage("--bind: not an IPv4 address");
        var config = new PushConfig { AutoReboot = false };
        long port = a.GetNumber("--port", PushProtocol.DefaultPort);
        if (port < 0 || port > 65535) throw CliArgs.Usage($"--port: {port} is not 0..65535");
        if (a.Get("--password") is string pw) config.PasswordMd5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(pw))).ToLowerInvariant();
        if (a.Get("--passwd-md5") is string md5)
        {
            try { config.PasswordMd5 = md5; }
            catch (OtaException e) { throw CliArgs.Usage("--passwd-md5: " + e.Detail); }
        }
        long mdns = a.GetNumber("--mdns-port", -1);
        long count = a.GetNumber("--count", 1), timeout = a.GetNumber("--timeout", 600);
        if (count < 1 || timeout < 1) throw CliArgs.Usage("--count and --timeout must be >= 1");

        using var dev = new SimulatedPushDevice(flash, config, bind, (int)port, (int)mdns);
        Console.Error.WriteLine($"listening on {bind}:{dev.Port}" + (dev.MdnsPort >= 0 ? $", mDNS on {bind}:{dev.MdnsPort}" : "") + (config.AuthRequired ? ", password required" : ""));
        dev.Receiver.StateChanged += (s, st, err, detail) => Console.Error.WriteLine($"  push: {st.ToString().ToLowerInvariant()}: {detail}");
        var deadline = DateTime.UtcNow.AddSeconds(timeout);
        int staged = 0;
        while (staged < count)
        {
            if (DateTime.UtcNow > deadline) throw new OtaException(OtaError.PushConnection, $"no push staged within {timeout} s ({staged} of {count})");
            if (!dev.Server.Poll(200)) continue;
            staged++;
            int rc = dev.Boot(out string json);
            var j = JsonNode.Parse(json);
            string? version = j?["image"]?["version"]?.GetValue<string>();
            if (rc != 0)
            {
                Console.WriteLine($"push {staged}: staged {dev.Receiver.StagedVersion}; boot: {OtaErrorNames.Format((OtaError)rc, "no app runs")}");
                return 1;
            }
            bool confirmed = dev.ConfirmRunningImage();
            Console.WriteLine($"push {staged}: staged {dev.Receiver.StagedVersion}; boot: runs {version}{(confirmed ? ", confirmed" : "")}");
        }
        return 0;
    }
}
