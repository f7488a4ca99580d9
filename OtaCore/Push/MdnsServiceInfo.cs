namespace OtaCore.Push
{
    /// <summary>
    /// What the mDNS advertiser announces (RFC 6763 DNS-SD), as the Arduino IDE expects of an
    /// ArduinoOTA device: PTR <c>_arduino._tcp.local</c> → <c>HOST._arduino._tcp.local</c>;
    /// SRV of that instance → port, target <c>HOST.local</c>; TXT <c>tcp_check=no</c>,
    /// <c>ssh_upload=no</c>, <c>board=ID</c>, <c>auth_upload=yes|no</c>; A <c>HOST.local</c> → the
    /// device's IPv4 address.
    /// </summary>
    public class MdnsServiceInfo
    {
        /// <summary>The DNS-SD domain.</summary>
        public const string Domain = "local";

        /// <summary>Host label ("esp32-ota"): instance name and host name.</summary>
        public string HostName { get; set; }

        /// <summary>The push port (SRV).</summary>
        public int Port { get; set; }

        /// <summary>TXT "board".</summary>
        public string Board { get; set; }

        /// <summary>TXT "auth_upload": a push needs a login.</summary>
        public bool AuthUpload { get; set; }

        /// <summary>The device's IPv4 address, 4 bytes (A record).</summary>
        public byte[] Address { get; set; }

        /// <summary>"_arduino._tcp.local".</summary>
        public string ServiceName
        {
            get { return PushProtocol.MdnsServiceType + "." + Domain; }
        }

        /// <summary>"HOST._arduino._tcp.local".</summary>
        public string InstanceName
        {
            get { return HostName + "." + ServiceName; }
        }

        /// <summary>"HOST.local".</summary>
        public string HostDomain
        {
            get { return HostName + "." + Domain; }
        }

        /// <summary>The TXT strings in announcement order ("tcp_check=no", ...).</summary>
        public string[] TxtEntries()
        {
            return new string[]
            {
                "tcp_check=no",
                "ssh_upload=no",
                "board=" + Board,
                "auth_upload=" + (AuthUpload ? "yes" : "no"),
            };
        }

        /// <summary>The service of a push receiver configured by <paramref name="config"/> at <paramref name="address"/>.</summary>
        public static MdnsServiceInfo For(PushConfig config, byte[] address)
        {
            MdnsServiceInfo s = new MdnsServiceInfo();
            s.HostName = config.HostName;
            s.Port = config.Port;
            s.Board = config.Board;
            s.AuthUpload = config.AuthRequired;
            s.Address = address;
            return s;
        }
    }
}
