using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using DeviceApp.Flow;

namespace DeviceApp.HostApp
{
    /// <summary>
    /// Host binding of <see cref="IStatusListener"/>: a minimal HTTP/1.1 responder on
    /// 127.0.0.1:port (TcpListener, one request per connection, Connection: close). GET and HEAD
    /// answer 200 with the handler's JSON; other methods 405. Port 0 picks a free port
    /// (<see cref="Port"/> tells which).
    /// </summary>
    public sealed class HostStatusListener : IStatusListener, IDisposable
    {
        private const int MaxHeadLength = 8192;
        private TcpListener _listener;
        private Thread _thread;
        private StatusRequestHandler _handler;

        /// <summary>The bound port (after <see cref="Start"/>).</summary>
        public int Port { get; private set; }

        /// <inheritdoc />
        public void Start(int port, StatusRequestHandler handler)
        {
            if (_listener != null) throw new InvalidOperationException("status listener already started");
            _handler = handler;
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "status-listener" };
            _thread.Start();
        }

        /// <inheritdoc />
        public void Stop()
        {
            TcpListener l = _listener;
            if (l == null) return;
            _listener = null;
            l.Stop();
            _thread?.Join(2000);
        }

        /// <inheritdoc />
        public void Dispose() => Stop();

        private void AcceptLoop()
        {
            TcpListener l = _listener;
            while (true)
            {
                TcpClient c;
                try { c = l.AcceptTcpClient(); }
                catch (SocketException) { return; } // stopped
                catch (ObjectDisposedException) { return; }
                catch (InvalidOperationException) { return; }
                try { Answer(c); }
                catch (IOException) { } // the client went away
                catch (SocketException) { }
                finally { c.Dispose(); }
            }
        }

        private void Answer(TcpClient c)
        {
            c.ReceiveTimeout = 3000;
            c.SendTimeout = 3000;
            NetworkStream s = c.GetStream();
            byte[] head = new byte[MaxHeadLength];
            int n = 0;
            while (n < head.Length)
            {
                int r = s.Read(head, n, head.Length - n);
                if (r <= 0) break;
                n += r;
                if (Encoding.ASCII.GetString(head, 0, n).Contains("\r\n\r\n")) break;
            }
            string text = Encoding.ASCII.GetString(head, 0, n);
            int sp = text.IndexOf(' ');
            string method = sp > 0 ? text.Substring(0, sp) : "";
            int status = 200;
            string body;
            if (method == "GET" || method == "HEAD") body = _handler() + "\n";
            else { status = method.Length == 0 ? 400 : 405; body = "{\"error\": \"GET only\"}\n"; }
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string reason = status == 200 ? "OK" : status == 405 ? "Method Not Allowed" : "Bad Request";
            string response = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
            byte[] h = Encoding.ASCII.GetBytes(response);
            s.Write(h, 0, h.Length);
            if (method != "HEAD") s.Write(bytes, 0, bytes.Length);
        }
    }
}
