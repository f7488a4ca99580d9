using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ota.Tools.Serve;

/// <summary>
/// The `ota serve` HTTP/1.1 server: static files under a root folder with single byte ranges (206,
/// 416), strong ETags, Last-Modified, HEAD, If-Match / If-None-Match / If-Range, keep-alive, and
/// the update manifest at /manifest/{device}/{channel}.json (<see cref="ManifestService"/>). One
/// log line per request goes to the log writer. Usable in-process: construct with port 0,
/// <see cref="Start"/>, then read <see cref="BaseUrl"/>. An <see cref="IServeFaultHook"/> may make
/// any request misbehave (issue 5).
/// </summary>
public sealed class HttpFileServer : IDisposable
{
    private const int CopyBufferSize = 64 * 1024;
    private readonly string _root;
    private readonly IPAddress _bind;
    private readonly int _requestedPort;
    private readonly TextWriter _log;
    private readonly ManifestService _manifests;
    private readonly List<TcpClient> _open = new();
    private TcpListener? _listener;
    private Thread? _acceptThread;
    private long _requests, _bodyBytes, _connections;
    private volatile bool _stopping;

    /// <summary>Creates a server for <paramref name="root"/>; nothing listens before <see cref="Start"/>.</summary>
    /// <param name="root">Folder whose files are served.</param>
    /// <param name="bind">Address to listen on (default 127.0.0.1).</param>
    /// <param name="port">TCP port, 0 = any free port.</param>
    /// <param name="log">Where request lines go (default: stderr); TextWriter.Null silences it.</param>
    public HttpFileServer(string root, string bind = "127.0.0.1", int port = 0, TextWriter? log = null)
    {
        _root = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException(_root);
        _bind = IPAddress.Parse(bind);
        _requestedPort = port;
        _log = log ?? TextWriter.Synchronized(Console.Error);
        _manifests = new ManifestService(_root, _log);
    }

    /// <summary>Per-request fault plan (null = none). May be swapped while running.</summary>
    public IServeFaultHook? Faults { get; set; }

    /// <summary>The fault control endpoint (POST/GET/DELETE /_ota/faults), null = not offered.
    /// Its requests bypass <see cref="Faults"/>.</summary>
    public FaultControlEndpoint? Control { get; set; }

    /// <summary>The port listened on (valid after <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>"http://127.0.0.1:PORT" (no trailing slash).</summary>
    public string BaseUrl => "http://" + (_bind.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + _bind + "]" : _bind.ToString()) + ":" + Port;

    /// <summary>Requests answered since start.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Response body bytes sent since start.</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytes);

    /// <summary>TCP connections accepted since start.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>Starts listening and accepting on a background thread.</summary>
    public void Start()
    {
        _listener = new TcpListener(_bind, _requestedPort);
        _listener.Start(64);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "ota-serve-accept" };
        _acceptThread.Start();
    }

    /// <summary>Stops listening and closes every open connection.</summary>
    public void Dispose()
    {
        _stopping = true;
        try { _listener?.Stop(); } catch (SocketException) { }
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
        _acceptThread?.Join(2000);
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            TcpClient client;
            try { client = _listener!.AcceptTcpClient(); }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (InvalidOperationException) { return; } // stopped before the first accept ("Not listening")
            Interlocked.Increment(ref _connections);
            lock (_open)
            {
                if (_stopping) { client.Dispose(); return; } // Stop() already closed the others
                _open.Add(client);
            }
            var t = new Thread(() => Serve(client)) { IsBackground = true, Name = "ota-serve-conn" };
            t.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        string remote = "?";
        try
        {
            // Stop() may dispose the client before this thread runs: then Client is null or the
            // socket is disposed, and the connection simply ends (never an unhandled exception
            // on a server thread, which would take the whole process down).
            remote = client.Client?.RemoteEndPoint?.ToString() ?? "?";
            if (_stopping || client.Client == null) return;
            client.NoDelay = true;
            using var stream = client.GetStream();
            while (!_stopping)
            {
                HttpRequestHead? head;
                try { head = HttpRequestHead.Read(stream); }
                catch (FormatException e)
                {
                    WriteSimple(stream, 400, "Bad Request", e.Message, keepAlive: false, head: false);
                    _log.WriteLine($"serve: {remote} bad request: {e.Message}");
                    return;
                }
                if (head == null) return;
                head.Number = Interlocked.Increment(ref _requests);
                head.Remote = remote;
                if (!Handle(stream, head) || !head.KeepAlive) return;
            }
        }
        catch (IOException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (NullReferenceException) when (_stopping) { } // client disposed by Stop() mid-request
        finally
        {
            lock (_open) _open.Remove(client);
            client.Dispose();
        }
    }

    /// <summary>Answers one request; false when the connection must close afterwards.</summary>
    private bool Handle(Stream stream, HttpRequestHead req)
    {
        var sw = Stopwatch.StartNew();
        bool control = Control != null && Control.Matches(req);
        ServeFault fault = control ? new ServeFault() : Faults?.Plan(req) ?? new ServeFault();
        var outcome = new RequestOutcome();
        bool keep;
        try
        {
            if (fault.HeaderDelayMs > 0) Thread.Sleep(fault.HeaderDelayMs);
            keep = control ? HandleControl(stream, req, outcome) : Dispatch(stream, req, fault, outcome);
        }
        finally
        {
            string range = req.Header("Range") is { } r ? " range=" + r.Replace("bytes=", "") : "";
            string faultNote = fault.IsNone ? "" : " fault";
            _log.WriteLine($"serve: #{req.Number} {req.Remote} \"{req.Method} {req.RawTarget}\" {outcome.Status} {outcome.BodyBytes}B{range}{faultNote}{(outcome.Aborted ? " aborted" : "")} {sw.ElapsedMilliseconds}ms");
        }
        return keep;
    }

    /// <summary>A request to <see cref="Control"/>: reads the body (Content-Length), answers JSON or an error line.</summary>
    private bool HandleControl(Stream stream, HttpRequestHead req, RequestOutcome o)
    {
        string body = "";
        if (req.Header("Content-Length") is { } lenText)
        {
            if (!int.TryParse(lenText, NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len > FaultControlEndpoint.MaxBodyBytes)
            {
                o.Status = 400;
                o.BodyBytes = WriteSimple(stream, 400, "Bad Request", "body larger than " + FaultControlEndpoint.MaxBodyBytes + " bytes", false, false);
                return false;
            }
            var buf = new byte[len];
            int got = 0;
            while (got < len)
            {
                int n = stream.Read(buf, got, len - got);
                if (n <= 0) return false;
                got += n;
            }
            body = Encoding.UTF8.GetString(buf);
        }
        var (status, text) = Control!.Handle(req.Method, body);
        byte[] bytes = Encoding.UTF8.GetBytes(text + "\n");
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 ").Append(status).Append(' ').Append(Reason(status)).Append("\r\n");
        CommonHeaders(sb, req.KeepAlive);
        if (status == 405) sb.Append("Allow: GET, POST, DELETE\r\n");
        sb.Append("Content-Type: ").Append(status == 200 ? "application/json" : "text/plain; charset=utf-8").Append("\r\n");
        sb.Append("Cache-Control: no-cache\r\nContent-Length: ").Append(bytes.Length).Append("\r\n\r\n");
        WriteAscii(stream, sb);
        if (req.Method != "HEAD") { stream.Write(bytes); o.BodyBytes = bytes.Length; }
        stream.Flush();
        o.Status = status;
        return req.KeepAlive;
    }

    private sealed class RequestOutcome
    {
        public int Status;
        public long BodyBytes;
        public bool Aborted;
    }

    private bool Dispatch(Stream stream, HttpRequestHead req, ServeFault fault, RequestOutcome o)
    {
        bool head = req.Method == "HEAD";
        if (req.Method != "GET" && !head)
        {
            o.Status = 405;
            o.BodyBytes = WriteSimple(stream, 405, "Method Not Allowed", "only GET and HEAD", req.KeepAlive, head, "Allow: GET, HEAD\r\n");
            return req.KeepAlive;
        }
        if (fault.Status is int forced)
        {
            o.Status = forced;
            o.BodyBytes = WriteSimple(stream, forced, Reason(forced), "injected fault", req.KeepAlive, head);
            return req.KeepAlive;
        }
        if (req.Path.StartsWith("/manifest/", StringComparison.Ordinal) && req.Path.EndsWith(".json", StringComparison.Ordinal))
        {
            string[] parts = req.Path.Substring("/manifest/".Length, req.Path.Length - "/manifest/".Length - 5).Split('/');
            if (parts.Length == 2)
            {
                var latest = _manifests.Latest(parts[0], parts[1]);
                if (latest == null)
                {
                    o.Status = 404;
                    o.BodyBytes = WriteSimple(stream, 404, "Not Found", $"no image for device '{parts[0]}' channel '{parts[1]}'", req.KeepAlive, head);
                    return req.KeepAlive;
                }
                string host = req.Header("Host") ?? (_bind + ":" + Port);
                byte[] json = Encoding.UTF8.GetBytes(ManifestService.ToJson(parts[0], parts[1], latest, "http://" + host));
                o.Status = 200;
                var sb = new StringBuilder();
                sb.Append("HTTP/1.1 200 OK\r\n");
                CommonHeaders(sb, req.KeepAlive);
                sb.Append("Content-Type: application/json\r\nCache-Control: no-cache\r\n");
                sb.Append("Content-Length: ").Append(json.Length).Append("\r\n\r\n");
                WriteAscii(stream, sb);
                if (!head) { stream.Write(json); o.BodyBytes = json.Length; Interlocked.Add(ref _bodyBytes, json.Length); }
                stream.Flush();
                return req.KeepAlive;
            }
        }
        string? file = fault.SubstituteFile ?? MapPath(req.Path);
        if (file == null || !File.Exists(file))
        {
            o.Status = 404;
            o.BodyBytes = WriteSimple(stream, 404, "Not Found", req.Path, req.KeepAlive, head);
            return req.KeepAlive;
        }
        FileEntity entity = FileEntity.Of(file);
        return SendFile(stream, req, fault, entity, head, o);
    }

    private bool SendFile(Stream stream, HttpRequestHead req, ServeFault fault, FileEntity entity, bool head, RequestOutcome o)
    {
        long fileLength = fault.TruncateFileTo >= 0 ? Math.Min(fault.TruncateFileTo, entity.Length) : entity.Length;
        string etag = fault.TruncateFileTo >= 0 ? "\"t" + fileLength.ToString("x", CultureInfo.InvariantCulture) + "-" + entity.ETag.Trim('"') + "\"" : entity.ETag;

        string? ifMatch = req.Header("If-Match");
        if (ifMatch != null && !EtagListMatches(ifMatch, etag))
        {
            o.Status = 412;
            o.BodyBytes = WriteSimple(stream, 412, "Precondition Failed", "ETag is now " + etag, req.KeepAlive, head, "ETag: " + etag + "\r\n");
            return req.KeepAlive;
        }
        string? ifNoneMatch = req.Header("If-None-Match");
        if (ifNoneMatch != null && EtagListMatches(ifNoneMatch, etag))
        {
            o.Status = 304;
            var nm = new StringBuilder("HTTP/1.1 304 Not Modified\r\n");
            CommonHeaders(nm, req.KeepAlive);
            nm.Append("ETag: ").Append(etag).Append("\r\n\r\n");
            WriteAscii(stream, nm);
            stream.Flush();
            return req.KeepAlive;
        }

        string? rangeHeader = fault.IgnoreRange ? null : req.Header("Range");
        string? ifRange = req.Header("If-Range");
        if (rangeHeader != null && ifRange != null && ifRange != etag && ifRange != entity.LastModifiedHttp) rangeHeader = null;
        var outcome = ByteRange.Resolve(rangeHeader, fileLength, out var range);
        var sb = new StringBuilder();
        long start = 0, count = fileLength;
        if (outcome == ByteRange.Outcome.Unsatisfiable)
        {
            o.Status = 416;
            o.BodyBytes = WriteSimple(stream, 416, "Range Not Satisfiable", "file has " + fileLength + " bytes", req.KeepAlive, head,
                "Content-Range: bytes */" + fileLength + "\r\nAccept-Ranges: bytes\r\nETag: " + etag + "\r\n");
            return req.KeepAlive;
        }
        if (outcome == ByteRange.Outcome.Partial)
        {
            o.Status = 206;
            start = range.Start; count = range.Length;
            sb.Append("HTTP/1.1 206 Partial Content\r\n");
            sb.Append("Content-Range: bytes ").Append(range.Start).Append('-').Append(range.End).Append('/').Append(fileLength).Append("\r\n");
        }
        else
        {
            o.Status = 200;
            sb.Append("HTTP/1.1 200 OK\r\n");
        }
        CommonHeaders(sb, req.KeepAlive);
        sb.Append("Content-Type: ").Append(ContentType(entity.Path)).Append("\r\n");
        sb.Append("Accept-Ranges: bytes\r\n");
        sb.Append("ETag: ").Append(etag).Append("\r\n");
        sb.Append("Last-Modified: ").Append(entity.LastModifiedHttp).Append("\r\n");
        sb.Append("Content-Length: ").Append(count).Append("\r\n\r\n");
        WriteAscii(stream, sb);
        if (head || count == 0) { stream.Flush(); return req.KeepAlive; }
        return CopyBody(stream, entity.Path, start, count, fault, o) && req.KeepAlive;
    }

    /// <summary>Sends the body bytes; false (connection to be closed) when a fault cut it short.</summary>
    private bool CopyBody(Stream stream, string path, long start, long count, ServeFault fault, RequestOutcome o)
    {
        var buf = new byte[CopyBufferSize];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        fs.Seek(start, SeekOrigin.Begin);
        long sent = 0;
        bool stalled = false;
        var clock = Stopwatch.StartNew();
        while (sent < count)
        {
            int chunk = (int)Math.Min(buf.Length, count - sent);
            if (fault.ThrottleBytesPerSecond > 0) chunk = (int)Math.Min(chunk, Math.Max(1, fault.ThrottleBytesPerSecond / 20));
            if (fault.DropAfterBytes >= 0) chunk = (int)Math.Min(chunk, fault.DropAfterBytes - sent);
            if (fault.StallMs > 0 && !stalled && sent < fault.StallAfterBytes) chunk = (int)Math.Min(chunk, fault.StallAfterBytes - sent);
            if (fault.DropAfterBytes >= 0 && sent >= fault.DropAfterBytes)
            {
                stream.Flush();
                o.Aborted = true;
                return false;
            }
            if (fault.StallMs > 0 && !stalled && sent >= fault.StallAfterBytes)
            {
                stream.Flush();
                stalled = true;
                Thread.Sleep(fault.StallMs);
                continue;
            }
            int n = fs.Read(buf, 0, chunk);
            if (n <= 0) { o.Aborted = true; return false; } // the file shrank under us
            stream.Write(buf, 0, n);
            sent += n;
            o.BodyBytes = sent;
            Interlocked.Add(ref _bodyBytes, n);
            if (fault.ThrottleBytesPerSecond > 0)
            {
                long dueMs = sent * 1000 / fault.ThrottleBytesPerSecond;
                long wait = dueMs - clock.ElapsedMilliseconds;
                if (wait > 0) { stream.Flush(); Thread.Sleep((int)wait); }
            }
        }
        stream.Flush();
        return true;
    }

    /// <summary>Maps a URL path to a file under the root, or null when it escapes the root.</summary>
    private string? MapPath(string urlPath)
    {
        string rel = urlPath.TrimStart('/');
        if (rel.Length == 0 || rel.Contains('\0')) return null;
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(_root, rel));
        string rootWithSep = _root.EndsWith(System.IO.Path.DirectorySeparatorChar) ? _root : _root + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSep, StringComparison.Ordinal) ? full : null;
    }

    private static bool EtagListMatches(string header, string etag)
    {
        if (header.Trim() == "*") return true;
        foreach (string part in header.Split(','))
        {
            if (part.Trim() == etag) return true;
        }
        return false;
    }

    private static void CommonHeaders(StringBuilder sb, bool keepAlive)
    {
        sb.Append("Date: ").Append(DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Server: ota-serve\r\n");
        if (!keepAlive) sb.Append("Connection: close\r\n");
    }

    private static int WriteSimple(Stream stream, int status, string reason, string text, bool keepAlive, bool head, string extraHeaders = "")
    {
        byte[] body = Encoding.UTF8.GetBytes(text + "\n");
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n");
        CommonHeaders(sb, keepAlive);
        sb.Append(extraHeaders);
        sb.Append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").Append(body.Length).Append("\r\n\r\n");
        WriteAscii(stream, sb);
        if (!head) stream.Write(body);
        stream.Flush();
        return head ? 0 : body.Length;
    }

    private static void WriteAscii(Stream stream, StringBuilder sb)
    {
        byte[] b = Encoding.ASCII.GetBytes(sb.ToString());
        stream.Write(b, 0, b.Length);
    }

    private static string ContentType(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".txt" => "text/plain; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };

    private static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 304 => "Not Modified", 400 => "Bad Request", 404 => "Not Found",
        405 => "Method Not Allowed", 412 => "Precondition Failed", 416 => "Range Not Satisfiable",
        500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", _ => "Status",
    };
}
