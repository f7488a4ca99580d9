using System.Net;
using System.Text;
using Iot.Device.MulticastDns;
using Iot.Device.MulticastDns.Entities;
using Iot.Device.MulticastDns.Enum;
using Iot.Device.MulticastDns.EventArgs;
using OtaCore.Push;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// <see cref="IMdnsAdvertiser"/> on the device over nanoFramework.Iot.Device.MulticastDns
    /// (224.0.0.251:5353): answers the same questions as the simulator's responder — PTR
    /// _arduino._tcp.local (with SRV, TXT and A as additional records), SRV/TXT of the instance,
    /// A of the host name. That library writes a TXT record's text as raw RDATA, so the text is
    /// built here in wire form: each entry preceded by its length (entries are shorter than 128
    /// bytes, so the length byte survives UTF-8).
    /// </summary>
    public class PushMdnsAdvertiser : IMdnsAdvertiser
    {
        // DNS query type ANY (255); the library's DnsResourceType has no member for it.
        private const int QueryTypeAny = 255;

        private MulticastDnsService _service;
        private MdnsServiceInfo _info;

        /// <inheritdoc />
        public void Start(MdnsServiceInfo service)
        {
            _info = service;
            if (_service == null)
            {
                _service = new MulticastDnsService();
                _service.MessageReceived += OnMessage;
                _service.Start();
            }
        }

        /// <inheritdoc />
        public void Stop()
        {
            if (_service != null)
            {
                _service.MessageReceived -= OnMessage;
                _service.Dispose();
                _service = null;
            }
        }

        private void OnMessage(object sender, MessageReceivedEventArgs e)
        {
            MdnsServiceInfo s = _info;
            if (e.Message == null || s == null)
            {
                return;
            }

            Response response = null;
            foreach (Question q in e.Message.GetQuestions())
            {
                bool any = (int)q.QueryType == QueryTypeAny;
                if (Same(q.Domain, s.ServiceName) && (any || q.QueryType == DnsResourceType.PTR))
                {
                    response = response ?? new Response();
                    response.AddAnswer(new PtrRecord(s.ServiceName, s.InstanceName));
                    response.AddAdditional(Srv(s));
                    response.AddAdditional(Txt(s));
                    response.AddAdditional(A(s));
                }
                else if (Same(q.Domain, s.InstanceName) && (any || q.QueryType == DnsResourceType.SRV || q.QueryType == DnsResourceType.TXT))
                {
                    response = response ?? new Response();
                    if (any || q.QueryType == DnsResourceType.SRV)
                    {
                        response.AddAnswer(Srv(s));
                        response.AddAdditional(A(s));
                    }

                    if (any || q.QueryType == DnsResourceType.TXT)
                    {
                        response.AddAnswer(Txt(s));
                    }
                }
                else if (Same(q.Domain, s.HostDomain) && (any || q.QueryType == DnsResourceType.A))
                {
                    response = response ?? new Response();
                    response.AddAnswer(A(s));
                }
            }

            if (response != null)
            {
                e.Response = response;
            }
        }

        private static bool Same(string a, string b)
        {
            return a != null && a.ToLower() == b.ToLower();
        }

        private static SrvRecord Srv(MdnsServiceInfo s)
        {
            return new SrvRecord(s.InstanceName, 0, 0, (ushort)s.Port, s.HostDomain, 120);
        }

        private static TxtRecord Txt(MdnsServiceInfo s)
        {
            StringBuilder sb = new StringBuilder();
            string[] entries = s.TxtEntries();
            for (int i = 0; i < entries.Length; i++)
            {
                sb.Append((char)entries[i].Length);
                sb.Append(entries[i]);
            }

            return new TxtRecord(s.InstanceName, sb.ToString(), 4500);
        }

        private static ARecord A(MdnsServiceInfo s)
        {
            return new ARecord(s.HostDomain, new IPAddress(s.Address), 120);
        }
    }
}
