using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtaCore;
using OtaCore.Push;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="IPushTransport"/> of the simulated device: a UDP socket for invitations (bound
    /// to 127.0.0.1 by default, port 0 = any free one) and a TCP connection back to the host that
    /// sent the last invitation.
    /// </summary>
    public sealed class PushHostTransport : IPushTransport, IDisposable
    {
        private readonly Socket _udp;
        private readonly byte[] _frame = new byte[65536];
        private IPEndPoint _last;

        /// <summary>Listens for invitations on <paramref name="bind"/>:<paramref name="port"/>.</summary>
        public PushHostTransport(IPAddress bind, int port)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(bind, port));
        }

        /// <summary>The UDP port invitations are received on.</summary>
        public int Port => ((IPEndPoint)_udp.LocalEndPoint).Port;

        /// <summary>Sender of the last datagram (null before the first).</summary>
        public IPEndPoint LastSender => _last;

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                if (!_udp.Poll((int)Math.Min(Math.Max(timeoutMs, 0) * 1000L, int.MaxValue), SelectMode.SelectRead)) return -1;
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n = _udp.ReceiveFrom(_frame, ref from);
                _last = (IPEndPoint)from;
                int copy = Math.Min(n, count);
                Array.Copy(_frame, 0, buffer, offset, copy);
                return copy;
            }
            catch (SocketException)
            {
                return -1;
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }
        }

        /// <inheritdoc />
        public void Reply(string text)
        {
            if (_last == null) return;
            byte[] b = Encoding.ASCII.GetBytes(text);
            try
            {
                _udp.SendTo(b, _last);
            }
            catch (SocketException)
            {
                // A lost reply is what UDP does; the host retries its invitation.
            }
        }

        /// <inheritdoc />
        public IPushConnection Connect(int port, int timeoutMs)
        {
            if (_last == null) throw new OtaException(OtaError.PushConnection, "no invitation sender to connect to");
            var target = new IPEndPoint(_last.Address, port);
            var c = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
            try
            {
                if (!c.ConnectAsync(target.Address, target.Port).Wait(timeoutMs))
                    throw new OtaException(OtaError.PushConnection, "connect to " + target + " timed out after " + timeoutMs + " ms");
            }
            catch (AggregateException e)
            {
                c.Dispose();
                throw new OtaException(OtaError.PushConnection, "connect to " + target + ": " + (e.InnerException ?? e).Message);
            }
            catch (OtaException)
            {
                c.Dispose();
                throw;
            }
            c.ReceiveTimeout = timeoutMs;
            c.SendTimeout = timeoutMs;
            return new PushHostConnection(c, timeoutMs);
        }

        /// <summary>Closes the UDP socket.</summary>
        public void Dispose() => _udp.Dispose();
    }
}
