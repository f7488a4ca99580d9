using System.Net;
using System.Net.Sockets;
using System.Text;
using OtaCore;
using OtaCore.Push;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// <see cref="IPushTransport"/> on the device (nanoFramework System.Net.Sockets): a UDP socket
    /// bound to the push port on every interface, and a TCP connection back to the host that sent
    /// the last invitation.
    /// </summary>
    public class PushSocketTransport : IPushTransport
    {
        private readonly Socket _udp;
        private EndPoint _last;

        /// <summary>Listens for invitations on UDP <paramref name="port"/>.</summary>
        public PushSocketTransport(int port)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(IPAddress.Any, port));
        }

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                if (!_udp.Poll(timeoutMs * 1000, SelectMode.SelectRead))
                {
                    return -1;
                }

                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n = _udp.ReceiveFrom(buffer, offset, count, SocketFlags.None, ref from);
                _last = from;
                return n;
            }
            catch (SocketException)
            {
                return -1;
            }
        }

        /// <inheritdoc />
        public void Reply(string text)
        {
            if (_last == null)
            {
                return;
            }

            try
            {
                _udp.SendTo(Encoding.UTF8.GetBytes(text), _last);
            }
            catch (SocketException)
            {
                // A lost reply is what UDP does; the host retries its invitation.
            }
        }

        /// <inheritdoc />
        public IPushConnection Connect(int port, int timeoutMs)
        {
            IPEndPoint last = _last as IPEndPoint;
            if (last == null)
            {
                throw new OtaException(OtaError.PushConnection, "no invitation sender to connect to");
            }

            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.SendTimeout = timeoutMs;
                s.ReceiveTimeout = timeoutMs;
                s.Connect(new IPEndPoint(last.Address, port));
            }
            catch (SocketException e)
            {
                s.Close();
                throw new OtaException(OtaError.PushConnection, "connect to host port " + port + ": socket error " + e.ErrorCode);
            }

            return new PushSocketConnection(s, timeoutMs);
        }
    }
}
