using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OtaCore;
using OtaCore.Push;

namespace Ota.Tools.Push;

/// <summary>
/// The host side of an ArduinoOTA network push, the protocol espota.py speaks: a UDP invitation
/// "cmd host_port size md5\n" to the device, the MD5 digest login when the device answers
/// "AUTH nonce", then a TCP listener the device connects back to; the file goes in chunks, each
/// followed by a read of the device's byte-count reply, and the push succeeds when the device
/// answers "OK" after checking the MD5. Any "ERROR E... NAME: detail" reply becomes an
/// <see cref="OtaException"/> with the device's code.
/// </summary>
public sealed class PushClient
{
    /// <summary>Device host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Device push port (UDP).</summary>
    public int Port { get; init; } = PushProtocol.DefaultPort;

    /// <summary>Local TCP port the device connects back to (0 = any free port).</summary>
    public int HostPort { get; init; }

    /// <summary>Bytes per chunk (espota.py: 1024 for ESP32, 1460 for ESP8266).</summary>
    public int Chunk { get; init; } = 1024;

    /// <summary>The password, or null when none was given.</summary>
    public string? Password { get; init; }

    /// <summary>True: command 100 (filesystem/config partition) instead of 0 (firmware).</summary>
    public bool Filesystem { get; init; }

    /// <summary>Answer timeout of the invitation and login, and idle timeout of the transfer, ms.</summary>
    public int TimeoutMs { get; init; } = 10000;

    /// <summary>How often the invitation is sent when the device does not answer.</summary>
    public int InvitationTries { get; init; } = 3;

    /// <summary>How long the device may take to verify the whole file before its final "OK", ms.</summary>
    public int FinalTimeoutMs { get; init; } = 60000;

    /// <summary>Progress after every chunk: bytes sent, total.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Protocol steps, one line each (null: silent).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Pushes <paramref name="file"/>; returns when the device answered "OK".</summary>
    public void Push(byte[] file)
    {
        if (file.Length == 0) throw new OtaException(OtaError.Usage, "the file is empty");
        string md5 = Convert.ToHexString(MD5.HashData(file)).ToLowerInvariant();
        IPAddress device = Resolve(Host);
        using var listener = new TcpListener(device.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, HostPort);
        listener.Start(1);
        int hostPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var udp = new UdpClient(device.AddressFamily);
        udp.Connect(device, Port);

        int cmd = Filesystem ? PushProtocol.CommandFilesystem : PushProtocol.CommandFirmware;
        string reply = Ask(udp, $"{cmd} {hostPort} {file.Length} {md5}\n", InvitationTries, "invitation");
        if (reply.StartsWith(PushProtocol.ReplyAuth, StringComparison.Ordinal))
        {
            if (Password == null) throw new OtaException(OtaError.PushAuth, "the device requires a password (--password)");
            string nonce = reply.Substring(PushProtocol.ReplyAuth.Length).Trim();
            string cnonce = Hex(MD5.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString("N") + nonce + Environment.TickCount64)));
            string response = Hex(MD5.HashData(Encoding.UTF8.GetBytes(Hex(MD5.HashData(Encoding.UTF8.GetBytes(Password))) + ":" + nonce + ":" + cnonce)));
            Log?.Invoke("authenticating");
            reply = Ask(udp, $"{PushProtocol.CommandAuth} {cnonce} {response}\n", 1, "login");
            if (reply == PushProtocol.ReplyAuthFailed) throw new OtaException(OtaError.PushAuth, "the device refused the password (Authentication Failed)");
        }
        if (reply != PushProtocol.ReplyOk) throw DeviceError(reply, "invitation");

        Log?.Invoke($"waiting for the device on TCP port {hostPort}");
        using Socket conn = Accept(listener);
        conn.NoDelay = true;
        conn.ReceiveTimeout = TimeoutMs;
        conn.SendTimeout = TimeoutMs;
        Send(conn, file);
    }

    private void Send(Socket conn, byte[] file)
    {
        var text = new StringBuilder();
        var buf = new byte[256];
        long sent = 0;
        while (sent < file.Length)
        {
            int n = (int)Math.Min(Chunk, file.Length - sent);
            try
            {
                conn.Send(file, (int)sent, n, SocketFlags.None);
            }
            catch (SocketException e)
            {
                throw Closed(text, sent, e.Message);
            }
            sent += n;
            // Like espota.py: one read of the device's reply per chunk (its byte count).
            int r = ReadSome(conn, buf, TimeoutMs);
            if (r == 0) throw Closed(text, sent, "closed by the device");
            if (r < 0) throw new OtaException(OtaError.PushConnection, $"no reply from the device for {TimeoutMs} ms after {sent} of {file.Length} bytes");
            text.Append(Encoding.ASCII.GetString(buf, 0, r));
            CheckError(text);
            Progress?.Invoke(sent, file.Length);
        }
        var sw = Stopwatch.StartNew();
        while (!text.ToString().Contains(PushProtocol.ReplyOk, StringComparison.Ordinal))
        {
            int left = FinalTimeoutMs - (int)sw.ElapsedMilliseconds;
            int r = left <= 0 ? -1 : ReadSome(conn, buf, left);
            if (r < 0) throw new OtaException(OtaError.PushConnection, $"no final OK from the device within {FinalTimeoutMs} ms");
            if (r == 0) throw Closed(text, sent, "closed by the device before its final OK");
            text.Append(Encoding.ASCII.GetString(buf, 0, r));
            CheckError(text);
        }
    }

    // Reads what is there (waiting up to timeoutMs): count, 0 = closed, -1 = timeout.
    private static int ReadSome(Socket s, byte[] buf, int timeoutMs)
    {
        try
        {
            if (!s.Poll((int)Math.Min(timeoutMs * 1000L, int.MaxValue), SelectMode.SelectRead)) return -1;
            return s.Receive(buf);
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private static void CheckError(StringBuilder text)
    {
        string t = text.ToString();
        int e = t.IndexOf(PushProtocol.ReplyError, StringComparison.Ordinal);
        if (e >= 0) throw DeviceError(t.Substring(e), "transfer");
    }

    private static OtaException Closed(StringBuilder text, long sent, string why)
    {
        CheckError(text);
        return new OtaException(OtaError.PushConnection, $"data connection lost after {sent} bytes: {why}");
    }

    private string Ask(UdpClient udp, string message, int tries, string what)
    {
        byte[] m = Encoding.ASCII.GetBytes(message);
        for (int i = 0; i < tries; i++)
        {
            Log?.Invoke($"{what} → {Host}:{Port}" + (i > 0 ? $" (try {i + 1})" : ""));
            try
            {
                udp.Send(m, m.Length);
            }
            catch (SocketException e)
            {
                throw new OtaException(OtaError.PushConnection, $"{what}: no push receiver at {Host}:{Port} ({e.SocketErrorCode})");
            }
            if (!udp.Client.Poll((int)Math.Min(TimeoutMs * 1000L, int.MaxValue), SelectMode.SelectRead)) continue;
            try
            {
                IPEndPoint? from = null;
                byte[] r = udp.Receive(ref from);
                return Encoding.ASCII.GetString(r).Trim('\0', '\r', '\n', ' ');
            }
            catch (SocketException e)
            {
                throw new OtaException(OtaError.PushConnection, $"{what}: no push receiver at {Host}:{Port} ({e.SocketErrorCode})");
            }
        }
        throw new OtaException(OtaError.PushConnection, $"{what}: no answer from {Host}:{Port} after {tries} tries of {TimeoutMs} ms");
    }

    private Socket Accept(TcpListener listener)
    {
        if (!listener.Server.Poll((int)Math.Min(TimeoutMs * 1000L, int.MaxValue), SelectMode.SelectRead))
            throw new OtaException(OtaError.PushConnection, $"the device did not connect back within {TimeoutMs} ms");
        return listener.AcceptSocket();
    }

    /// <summary>An <see cref="OtaException"/> for a device reply: its own code for "ERROR E..." replies, else E1007.</summary>
    public static OtaException DeviceError(string reply, string what)
    {
        string r = reply.Trim();
        if (r.StartsWith(PushProtocol.ReplyError + "E", StringComparison.Ordinal))
        {
            string rest = r.Substring(PushProtocol.ReplyError.Length + 1);
            int sp = rest.IndexOf(' ');
            int colon = rest.IndexOf(": ", StringComparison.Ordinal);
            if (sp > 0 && int.TryParse(rest.AsSpan(0, sp), out int code) && code > 0)
                return new OtaException((OtaError)code, "device: " + (colon > 0 ? rest.Substring(colon + 2) : rest.Substring(sp + 1)));
        }
        if (r == PushProtocol.ReplyAuthFailed) return new OtaException(OtaError.PushAuth, "the device refused the password (Authentication Failed)");
        return new OtaException(OtaError.PushProtocol, $"unexpected {what} reply from the device: '{(r.Length > 80 ? r[..80] + "..." : r)}'");
    }

    private static IPAddress Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var a)) return a;
        try
        {
            var all = Dns.GetHostAddresses(host);
            return all.FirstOrDefault(x => x.AddressFamily == AddressFamily.InterNetwork) ?? all.First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new OtaException(OtaError.PushConnection, $"cannot resolve '{host}'");
        }
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
}
