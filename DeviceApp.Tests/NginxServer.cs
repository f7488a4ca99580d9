using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace DeviceApp.Tests
{
    /// <summary>
    /// Debian's nginx (nginx-light) serving a folder on a free 127.0.0.1 port: a minimal
    /// nginx.conf in a temp prefix, `daemon off`, one process; stopped on Dispose.
    /// </summary>
    internal sealed class NginxServer : IDisposable
    {
        private readonly Process _process;
        private readonly string _prefix;

        public int Port { get; }
        public string BaseUrl => "http://127.0.0.1:" + Port;

        public NginxServer(string root)
        {
            string exe = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
            _prefix = TestImage.TempDir("nginx");
            using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); Port = ((IPEndPoint)l.LocalEndpoint).Port; }
            string conf = Path.Combine(_prefix, "nginx.conf");
            File.WriteAllText(conf, $@"daemon off;
master_process off;
worker_processes 1;
error_log {_prefix}/error.log warn;
pid {_prefix}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log {_prefix}/access.log;
    client_body_temp_path {_prefix}/body;
    proxy_temp_path {_prefix}/proxy;
    fastcgi_temp_path {_prefix}/fastcgi;
    uwsgi_temp_path {_prefix}/uwsgi;
    scgi_temp_path {_prefix}/scgi;
    default_type application/octet-stream;
    types {{ application/json json; }}
    sendfile on;
    keepalive_timeout 30;
    server {{
        listen 127.0.0.1:{Port};
        root {Path.GetFullPath(root)};
        location / {{ }}
    }}
}}
");
            var psi = new ProcessStartInfo(exe, $"-p {_prefix} -e {_prefix}/error.log -c {conf}")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start nginx");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var c = new TcpClient();
                    c.Connect(IPAddress.Loopback, Port);
                    break;
                }
                catch (SocketException)
                {
                    if (_process.HasExited || DateTime.UtcNow > deadline)
                        throw new InvalidOperationException("nginx did not start: " + _process.StandardError.ReadToEnd()
                            + (File.Exists(_prefix + "/error.log") ? File.ReadAllText(_prefix + "/error.log") : ""));
                    Thread.Sleep(50);
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                    _process.WaitForExit(5000);
                }
            }
            finally
            {
                _process.Dispose();
                try { Directory.Delete(_prefix, true); } catch (IOException) { }
            }
        }
    }
}
