namespace OtaCore.Push
{
    /// <summary>
    /// Runs a <see cref="PushReceiver"/> over a platform's <see cref="IPushTransport"/>: answers
    /// each datagram, and after an accepted invitation (and login) connects back to the host and
    /// feeds the file through the receiver, answering every read with its byte count and the end
    /// with "OK" or "ERROR ...". Synchronous: call <see cref="Poll"/> from one thread, in a loop.
    /// </summary>
    public class PushServer
    {
        /// <summary>Size of one TCP read (a full Ethernet/WiFi segment).</summary>
        public const int ReadSize = 1460;

        private readonly PushReceiver _receiver;
        private readonly IPushTransport _transport;
        private readonly int _timeoutMs;
        private readonly byte[] _datagram = new byte[PushProtocol.MaxDatagram + 1];
        private readonly byte[] _buffer = new byte[ReadSize];

        /// <summary>
        /// A server for <paramref name="receiver"/> on <paramref name="transport"/>;
        /// <paramref name="timeoutMs"/> bounds the connect and every idle read of a transfer.
        /// </summary>
        public PushServer(PushReceiver receiver, IPushTransport transport, int timeoutMs)
        {
            _receiver = receiver;
            _transport = transport;
            _timeoutMs = timeoutMs;
        }

        /// <summary>The receiver this server drives.</summary>
        public PushReceiver Receiver
        {
            get { return _receiver; }
        }

        /// <summary>
        /// Waits up to <paramref name="waitMs"/> for one datagram and handles it; when it completes
        /// the handshake, runs the whole transfer before returning. Returns true when this call
        /// staged a package (the receiver is Done; the caller reboots, see
        /// <see cref="PushReceiver.RebootIfStaged"/>).
        /// </summary>
        public bool Poll(int waitMs)
        {
            int n = _transport.Receive(_datagram, 0, _datagram.Length, waitMs);
            if (n < 0)
            {
                return false;
            }

            string reply = _receiver.HandleDatagram(_datagram, 0, n);
            _transport.Reply(reply);
            if (_receiver.State != PushState.Connecting)
            {
                return false;
            }

            Transfer();
            return _receiver.State == PushState.Done;
        }

        private void Transfer()
        {
            IPushConnection c;
            try
            {
                c = _transport.Connect(_receiver.ConnectPort, _timeoutMs);
            }
            catch (OtaException e)
            {
                _receiver.ConnectionLost(e.Code, e.Detail);
                return;
            }

            try
            {
                _receiver.BeginTransfer();
                while (_receiver.State == PushState.Receiving)
                {
                    if (_receiver.ReceivedAll)
                    {
                        c.Write(_receiver.Finish());
                        break;
                    }

                    int n = c.Read(_buffer, 0, _buffer.Length);
                    if (n <= 0)
                    {
                        _receiver.ConnectionLost(OtaError.PushConnection, "the host closed the data connection");
                        break;
                    }

                    c.Write(_receiver.Receive(_buffer, 0, n));
                }
            }
            catch (OtaException e)
            {
                _receiver.ConnectionLost(e.Code, e.Detail);
            }
            finally
            {
                c.Dispose();
            }
        }
    }
}
