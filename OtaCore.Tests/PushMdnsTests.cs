#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceApp.Bindings.Host;
using OtaCore.Push;

namespace OtaCore.Tests
{
    /// <summary>
    /// The simulated device's mDNS responder answers real DNS-format queries over UDP on
    /// 127.0.0.1 with the records the Arduino IDE looks for. The query builder and the answer
    /// parser here are written from RFC 1035 independently of the responder's code.
    /// </summary>
    [TestClass]
    public class PushMdnsTests
    {
        private sealed class Rr
        {
            public string Name;
            public int Type;
            public int Class;
            public uint Ttl;
            public byte[] Msg;
            public int Data;
            public int Length;
        }

        private static byte[] Query(ushort id, params (string Name, int Type)[] qs)
        {
            var b = new List<byte> { (byte)(id >> 8), (byte)id, 0, 0, 0, (byte)qs.Length, 0, 0, 0, 0, 0, 0 };
            foreach (var q in qs)
            {
                foreach (string l in q.Name.Split('.'))
                {
                    b.Add((byte)l.Length);
                    b.AddRange(Encoding.ASCII.GetBytes(l));
                }
                b.Add(0);
                b.Add((byte)(q.Type >> 8));
                b.Add((byte)q.Type);
                b.Add(0x80); // QU: unicast response requested
                b.Add(1);
            }
            return b.ToArray();
        }

        private static string Name(byte[] m, ref int p)
        {
            var parts = new List<string>();
            int q = p;
            bool jumped = false;
            while (m[q] != 0)
            {
                if ((m[q] & 0xC0) == 0xC0)
                {
                    if (!jumped) p = q + 2;
                    jumped = true;
                    q = ((m[q] & 0x3F) << 8) | m[q + 1];
                    continue;
                }
                parts.Add(Encoding.ASCII.GetString(m, q + 1, m[q]));
                q += m[q] + 1;
            }
            if (!jumped) p = q + 1;
            return string.Join(".", parts);
        }

        private static List<Rr> Parse(byte[] m, out ushort id, out int answers)
        {
            id = (ushort)((m[0] << 8) | m[1]);
            Assert.AreEqual(0x84, m[2] & 0x84, "QR and AA set");
            int qd = (m[4] << 8) | m[5], an = (m[6] << 8) | m[7], ns = (m[8] << 8) | m[9], ar = (m[10] << 8) | m[11];
            answers = an;
            int p = 12;
            for (int i = 0; i < qd; i++)
            {
                Name(m, ref p);
                p += 4;
            }
            var list = new List<Rr>();
            for (int i = 0; i < an + ns + ar; i++)
            {
                var r = new Rr { Msg = m, Name = Name(m, ref p) };
                r.Type = (m[p] << 8) | m[p + 1];
                r.Class = (m[p + 2] << 8) | m[p + 3];
                r.Ttl = (uint)((m[p + 4] << 24) | (m[p + 5] << 16) | (m[p + 6] << 8) | m[p + 7]);
                r.Length = (m[p + 8] << 8) | m[p + 9];
                r.Data = p + 10;
                p = r.Data + r.Length;
                list.Add(r);
            }
            Assert.AreEqual(m.Length, p, "no bytes after the records");
            return list;
        }

        private static byte[] Ask(int port, byte[] query, int timeoutMs)
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            udp.Client.ReceiveTimeout = timeoutMs;
            udp.Send(query, query.Length, new IPEndPoint(IPAddress.Loopback, port));
            try
            {
                IPEndPoint from = null;
                return udp.Receive(ref from);
            }
            catch (SocketException)
            {
                return null;
            }
        }

        private static MdnsServiceInfo Service(bool auth)
        {
            var c = new PushConfig { HostName = "kitchen-light", Board = "esp32dev", Port = 3232, PasswordMd5 = auth ? new string('a', 32) : "" };
            return MdnsServiceInfo.For(c, new byte[] { 127, 0, 0, 1 });
        }

        [TestMethod]
        public void PtrQueryReturnsInstanceWithSrvTxtAndAddress()
        {
            using var mdns = new MdnsResponder(IPAddress.Loopback, 0);
            mdns.Start(Service(true));
            byte[] reply = Ask(mdns.Port, Query(0x1234, ("_arduino._tcp.local", 12)), 3000);
            Assert.IsNotNull(reply, "the responder answered");
            var rrs = Parse(reply, out ushort id, out int answers);
            Assert.AreEqual(0x1234, id);
            Assert.AreEqual(1, answers);

            Rr ptr = rrs[0];
            Assert.AreEqual(12, ptr.Type);
            Assert.AreEqual("_arduino._tcp.local", ptr.Name);
            int p = ptr.Data;
            Assert.AreEqual("kitchen-light._arduino._tcp.local", Name(reply, ref p));

            Rr srv = rrs.Find(r => r.Type == 33);
            Assert.IsNotNull(srv);
            Assert.AreEqual("kitchen-light._arduino._tcp.local", srv.Name);
            Assert.AreEqual(0x8001, srv.Class, "IN with cache-flush");
            Assert.AreEqual(3232, (reply[srv.Data + 4] << 8) | reply[srv.Data + 5]);
            p = srv.Data + 6;
            Assert.AreEqual("kitchen-light.local", Name(reply, ref p));

            Rr txt = rrs.Find(r => r.Type == 16);
            Assert.IsNotNull(txt);
            var entries = new List<string>();
            for (int q = txt.Data; q < txt.Data + txt.Length; q += reply[q] + 1) entries.Add(Encoding.ASCII.GetString(reply, q + 1, reply[q]));
            CollectionAssert.AreEqual(new[] { "tcp_check=no", "ssh_upload=no", "board=esp32dev", "auth_upload=yes" }, entries);

            Rr a = rrs.Find(r => r.Type == 1);
            Assert.IsNotNull(a);
            Assert.AreEqual("kitchen-light.local", a.Name);
            Assert.AreEqual(4, a.Length);
            Assert.AreEqual("127.0.0.1", new IPAddress(new ReadOnlySpan<byte>(reply, a.Data, 4)).ToString());
            Assert.IsTrue(a.Ttl > 0 && ptr.Ttl > 0);
        }

        [TestMethod]
        public void HostAndInstanceQueriesAndSilenceForOthers()
        {
            using var mdns = new MdnsResponder(IPAddress.Loopback, 0);
            mdns.Start(Service(false));
            var rrs = Parse(Ask(mdns.Port, Query(7, ("KITCHEN-LIGHT.local", 1)), 3000), out _, out int an);
            Assert.AreEqual(1, an);
            Assert.AreEqual(1, rrs[0].Type);

            byte[] r = Ask(mdns.Port, Query(8, ("kitchen-light._arduino._tcp.local", 16)), 3000);
            rrs = Parse(r, out _, out an);
            Assert.AreEqual(1, an);
            Assert.AreEqual(16, rrs[0].Type);
            StringAssert.Contains(Encoding.ASCII.GetString(r, rrs[0].Data, rrs[0].Length), "auth_upload=no");

            rrs = Parse(Ask(mdns.Port, Query(9, ("_services._dns-sd._udp.local", 12)), 3000), out _, out an);
            int p = rrs[0].Data;
            Assert.AreEqual("_arduino._tcp.local", Name(rrs[0].Msg, ref p));

            Assert.IsNull(Ask(mdns.Port, Query(10, ("_http._tcp.local", 12)), 500), "not ours: no answer");
            Assert.IsNull(Ask(mdns.Port, new byte[] { 1, 2, 3 }, 300), "garbage: no answer");
            Assert.AreEqual(3, mdns.Answered);
        }

        [TestMethod]
        public void ServiceInfoFollowsTheConfigShape()
        {
            PushConfig c = PushConfig.Parse("{\"ota\": {\"0\": {\"port\": 8266, \"passwd\": \"5F4DCC3B5AA765D61D8327DEB882CF99\", \"description\": \"OTA\", \"board\": \"d1_mini\", \"hostname\": \"dev1\"}}}");
            Assert.AreEqual(8266, c.Port);
            Assert.AreEqual("5f4dcc3b5aa765d61d8327deb882cf99", c.PasswordMd5);
            Assert.IsTrue(c.AuthRequired);
            Assert.AreEqual("OTA", c.Description);
            MdnsServiceInfo s = MdnsServiceInfo.For(c, new byte[] { 10, 0, 0, 2 });
            Assert.AreEqual("dev1._arduino._tcp.local", s.InstanceName);
            Assert.AreEqual("board=d1_mini", s.TxtEntries()[2]);
            Assert.AreEqual("auth_upload=yes", s.TxtEntries()[3]);

            PushConfig d = PushConfig.Parse("{\"wifi\": {}}");
            Assert.AreEqual(PushProtocol.DefaultPort, d.Port);
            Assert.IsFalse(d.AuthRequired);
            string[] bad =
            {
                "{\"ota\": {\"0\": {\"passwd\": \"password\"}}}",
                "{\"ota\": {\"0\": {\"port\": 0}}}",
                "{\"ota\": {\"0\": {\"port\": \"3232\"}}}",
                "{\"ota\": {\"0\": {\"hostname\": \"bad name\"}}}",
                "{\"ota\": []}",
                "{\"ota\": {\"0\": {\"auto_reboot\": 1}}}",
                "{\"ota\": ",
            };
            foreach (string j in bad)
            {
                OtaError code = OtaError.Ok;
                try
                {
                    PushConfig.Parse(j);
                }
                catch (OtaException e)
                {
                    code = e.Code;
                }
                Assert.AreEqual(OtaError.Config, code, j);
            }
        }
    }
}
#endif
