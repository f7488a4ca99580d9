using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using OtaCore.Push;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// The simulated device's mDNS advertiser: a real DNS-SD responder (RFC 6762/6763 wire format)
    /// on a UDP port of its own (loopback by default; multicast 224.0.0.251:5353 is not reliable in
    /// a sandbox). It answers PTR queries for <c>_arduino._tcp.local</c> (PTR + SRV/TXT/A as
    /// additional records), SRV/TXT/ANY for the instance, A for the host name and the DNS-SD
    /// service enumeration <c>_services._dns-sd._udp.local</c>; unknown names get no answer, as
    /// mDNS wants. Replies go back to the sender (legacy unicast: query id and questions echoed).
    /// </summary>
    public sealed class MdnsResponder : IMdnsAdvertiser, IDisposable
    {
        /// <summary>The DNS-SD service enumeration name.</summary>
        public const string ServicesName = "_services._dns-sd._udp.local";

        private const uint HostTtl = 120;
        private const uint OtherTtl = 4500;

        private readonly Socket _udp;
        private readonly byte[] _buf = new byte[9000];
        private Thread _thread;
        private volatile bool _running;
        private volatile MdnsServiceInfo _service;

        /// <summary>A responder on <paramref name="bind"/>:<paramref name="port"/> (0 = any free port).</summary>
        public MdnsResponder(IPAddress bind, int port)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(bind, port));
        }

        /// <summary>The UDP port queries are answered on.</summary>
        public int Port => ((IPEndPoint)_udp.LocalEndPoint).Port;

        /// <summary>Queries answered so far.</summary>
        public int Answered { get; private set; }

        /// <inheritdoc />
        public void Start(MdnsServiceInfo service)
        {
            _service = service ?? throw new ArgumentNullException(nameof(service));
            if (_running) return;
            _running = true;
            _thread = new Thread(Loop) { IsBackground = true, Name = "mdns-responder" };
            _thread.Start();
        }

        /// <inheritdoc />
        public void Stop()
        {
            _running = false;
            _thread?.Join(2000);
            _thread = null;
        }

        /// <summary>Stops and closes the socket.</summary>
        public void Dispose()
        {
            Stop();
            _udp.Dispose();
        }

        /// <summary>The reply to a query, or null when nothing in it is ours.</summary>
        public static byte[] Answer(MdnsServiceInfo s, byte[] query, int length)
        {
            var questions = MdnsWire.ReadQuestions(query, length, out ushort id);
            if (questions == null || questions.Count == 0) return null;
            var answers = new List<Action<List<byte>>>();
            var additional = new List<Action<List<byte>>>();
            var added = new HashSet<string>();
            void Add(List<Action<List<byte>>> to, string key, Action<List<byte>> rec)
            {
                if (added.Add(key)) to.Add(rec);
            }
            foreach (var q in questions)
            {
                if (q.Class != MdnsWire.ClassIn && q.Class != 255) continue;
                bool any = q.Type == MdnsWire.TypeAny;
                if (Same(q.Name, s.ServiceName) && (any || q.Type == MdnsWire.TypePtr))
                {
                    Add(answers, "ptr", o => Ptr(o, s));
                    Add(additional, "srv", o => Srv(o, s));
                    Add(additional, "txt", o => Txt(o, s));
                    Add(additional, "a", o => A(o, s));
                }
                else if (Same(q.Name, ServicesName) && (any || q.Type == MdnsWire.TypePtr))
                {
                    Add(answers, "enum", o => MdnsWire.Record(o, ServicesName, MdnsWire.TypePtr, MdnsWire.ClassIn, OtherTtl, r => MdnsWire.WriteName(r, s.ServiceName)));
                }
                else if (Same(q.Name, s.InstanceName))
                {
                    if (any || q.Type == MdnsWire.TypeSrv) Add(answers, "srv", o => Srv(o, s));
                    if (any || q.Type == MdnsWire.TypeTxt) Add(answers, "txt", o => Txt(o, s));
                    if (any || q.Type == MdnsWire.TypeSrv) Add(additional, "a", o => A(o, s));
                }
                else if (Same(q.Name, s.HostDomain) && (any || q.Type == MdnsWire.TypeA))
                {
                    Add(answers, "a", o => A(o, s));
                }
            }
            if (answers.Count == 0) return null;
            var msg = new List<byte>();
            MdnsWire.U16(msg, id);
            MdnsWire.U16(msg, 0x8400); // response, authoritative
            MdnsWire.U16(msg, questions.Count);
            MdnsWire.U16(msg, answers.Count);
            MdnsWire.U16(msg, 0);
            MdnsWire.U16(msg, additional.Count);
            foreach (var q in questions)
            {
                MdnsWire.WriteName(msg, q.Name);
                MdnsWire.U16(msg, q.Type);
                MdnsWire.U16(msg, q.Class);
            }
            foreach (var a in answers) a(msg);
            foreach (var a in additional) a(msg);
            return msg.ToArray();
        }

        private void Loop()
        {
            while (_running)
            {
                try
                {
                    if (!_udp.Poll(100_000, SelectMode.SelectRead)) continue;
                    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                    int n = _udp.ReceiveFrom(_buf, ref from);
                    byte[] reply = Answer(_service, _buf, n);
                    if (reply == null) continue;
                    _udp.SendTo(reply, from);
                    Answered++;
                }
                catch (SocketException)
                {
                    // A malformed or unreachable peer does not stop the responder.
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        }

        private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b, StringComparison.OrdinalIgnoreCase);

        private static void Ptr(List<byte> o, MdnsServiceInfo s) =>
            MdnsWire.Record(o, s.ServiceName, MdnsWire.TypePtr, MdnsWire.ClassIn, OtherTtl, r => MdnsWire.WriteName(r, s.InstanceName));

        private static void Srv(List<byte> o, MdnsServiceInfo s) =>
            MdnsWire.Record(o, s.InstanceName, MdnsWire.TypeSrv, MdnsWire.ClassIn | MdnsWire.CacheFlush, HostTtl, r =>
            {
                MdnsWire.U16(r, 0); // priority
                MdnsWire.U16(r, 0); // weight
                MdnsWire.U16(r, s.Port);
                MdnsWire.WriteName(r, s.HostDomain);
            });

        private static void Txt(List<byte> o, MdnsServiceInfo s) =>
            MdnsWire.Record(o, s.InstanceName, MdnsWire.TypeTxt, MdnsWire.ClassIn | MdnsWire.CacheFlush, OtherTtl, r =>
            {
                foreach (string e in s.TxtEntries())
                {
                    byte[] b = Encoding.UTF8.GetBytes(e);
                    if (b.Length > 255) throw new ArgumentException("TXT entry longer than 255 bytes: " + e);
                    r.Add((byte)b.Length);
                    r.AddRange(b);
                }
            });

        private static void A(List<byte> o, MdnsServiceInfo s) =>
            MdnsWire.Record(o, s.HostDomain, MdnsWire.TypeA, MdnsWire.ClassIn | MdnsWire.CacheFlush, HostTtl, r => r.AddRange(s.Address));
    }
}
