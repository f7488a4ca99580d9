using System.Net.Sockets;
using System.Text;
using OtaCore;
using OtaCore.Push;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>The device's TCP data connection of a push (nanoFramework Socket).</summary>
    public class PushSocketConnection : IPushConnection
    {
        private readonly Socket _s;
        private readonly int _timeoutMs;

        /// <summary>Wraps a connected socket; reads wait at most <paramref name="timeoutMs"/>.</summary>
        public PushSocketConnection(Socket socket, int timeoutMs)
        {
            _s = socket;
            _timeoutMs = timeoutMs;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                if (!_s.Poll(_timeoutMs * 1000, SelectMode.SelectRead))
                {
                    throw new OtaException(OtaError.PushConnection, "no data from the host for " + _timeoutMs + " ms");
                }

                return _s.Receive(buffer, offset, count, SocketFlags.None);
            }
            catch (SocketException e)
            {
                throw new OtaException(OtaError.PushConnection, "data connection: socket error " + e.ErrorCode);
            }
        }

        /// <inheritdoc />
        public void Write(string text)
        {
            try
            {
                _s.Send(Encoding.UTF8.GetBytes(text));
            }
            catch (SocketException e)
            {
                throw new OtaException(OtaError.PushConnection, "data connection: socket error " + e.ErrorCode);
            }
        }

        /// <summary>Closes the socket.</summary>
        public void Dispose()
        {
            _s.Close();
        }
    }
}
