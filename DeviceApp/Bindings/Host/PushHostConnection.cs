using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using OtaCore;
using OtaCore.Push;

namespace DeviceApp.Bindings.Host
{
    /// <summary>The simulated device's TCP data connection of a push (a real TcpClient).</summary>
    public sealed class PushHostConnection : IPushConnection
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly int _timeoutMs;

        /// <summary>Wraps a connected client whose reads time out after <paramref name="timeoutMs"/>.</summary>
        public PushHostConnection(TcpClient client, int timeoutMs)
        {
            _client = client;
            _stream = client.GetStream();
            _timeoutMs = timeoutMs;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _stream.Read(buffer, offset, count);
            }
            catch (IOException e) when (e.InnerException is SocketException se && se.SocketErrorCode == SocketError.TimedOut)
            {
                throw new OtaException(OtaError.PushConnection, "no data from the host for " + _timeoutMs + " ms");
            }
            catch (IOException e)
            {
                throw new OtaException(OtaError.PushConnection, "data connection: " + (e.InnerException ?? e).Message);
            }
        }

        /// <inheritdoc />
        public void Write(string text)
        {
            try
            {
                byte[] b = Encoding.ASCII.GetBytes(text);
                _stream.Write(b, 0, b.Length);
                _stream.Flush();
            }
            catch (IOException e)
            {
                throw new OtaException(OtaError.PushConnection, "data connection: " + (e.InnerException ?? e).Message);
            }
        }

        /// <summary>Closes the connection.</summary>
        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
