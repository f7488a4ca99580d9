using System.Collections;
using OtaCore.Json;

namespace OtaCore.Push
{
    /// <summary>
    /// Settings of the network push receiver, in the HomeDing/ArduinoOTA seed's shape:
    /// <c>{"ota": {"0": {"port": 3232, "passwd": "md5hex of the password", "description": "..."}}}</c>.
    /// The device stores md5hex(password), never the password: "passwd" must be empty (no login)
    /// or 32 hex characters. Optional keys of the same object: "board" (mDNS TXT board=, default
    /// "esp32"), "hostname" (mDNS host/instance name, default "esp32-ota"), "enabled" (default
    /// true), "auto_reboot" (reboot after a staged push, default true). Other objects and keys of
    /// the file are left to their owners. Bad values throw E608 CONFIG naming the key.
    /// </summary>
    public class PushConfig
    {
        private string _passwordMd5 = "";
        private int _port = PushProtocol.DefaultPort;

        /// <summary>Key "port": UDP port of invitations and of the mDNS SRV record (default 3232).</summary>
        public int Port
        {
            get { return _port; }
            set
            {
                if (value < 1 || value > 65535)
                {
                    throw new OtaException(OtaError.Config, "ota/0/port: " + value + " is not 1..65535");
                }

                _port = value;
            }
        }

        /// <summary>
        /// Key "passwd": md5hex(password), lower-case, or "" when pushes need no login. A value
        /// that is not 32 hex characters (a plain password) is refused with E608.
        /// </summary>
        public string PasswordMd5
        {
            get { return _passwordMd5; }
            set
            {
                string v = value == null ? "" : value;
                if (v.Length != 0 && !Md5Hex.IsMd5Hex(v))
                {
                    throw new OtaException(OtaError.Config, "ota/0/passwd: must be md5hex(password) (32 hex characters) or empty; the device never stores the password itself");
                }

                _passwordMd5 = v.ToLower();
            }
        }

        /// <summary>True when a push needs a login (<see cref="PasswordMd5"/> is set).</summary>
        public bool AuthRequired
        {
            get { return _passwordMd5.Length != 0; }
        }

        /// <summary>Key "description": free text for people (not used by the protocol).</summary>
        public string Description { get; set; } = "";

        /// <summary>Key "board": the mDNS TXT "board" value (default "esp32").</summary>
        public string Board { get; set; } = "esp32";

        /// <summary>Key "hostname": mDNS host and service instance name (default "esp32-ota").</summary>
        public string HostName { get; set; } = "esp32-ota";

        /// <summary>Key "enabled": the receiver answers invitations at all (default true).</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Key "auto_reboot": reboot (install) right after a push was staged (default true).</summary>
        public bool AutoReboot { get; set; } = true;

        /// <summary>
        /// Parses a config file's JSON text; the push settings are the object at "ota"/"0". A file
        /// without an "ota" object gives the defaults; malformed JSON or a bad value is E608.
        /// </summary>
        public static PushConfig Parse(string json)
        {
            Hashtable root = JsonReader.ParseObject(json, OtaError.Config, "config");
            PushConfig c = new PushConfig();
            object ota = root["ota"];
            if (ota == null)
            {
                return c;
            }

            Hashtable o = ota as Hashtable;
            if (o == null)
            {
                throw new OtaException(OtaError.Config, "ota: not an object");
            }

            object zero = o["0"];
            if (zero == null)
            {
                return c;
            }

            Hashtable e = zero as Hashtable;
            if (e == null)
            {
                throw new OtaException(OtaError.Config, "ota/0: not an object");
            }

            if (e.Contains("port"))
            {
                object v = e["port"];
                if (!(v is long))
                {
                    throw new OtaException(OtaError.Config, "ota/0/port: not an integer");
                }

                long p = (long)v;
                if (p < 1 || p > 65535)
                {
                    throw new OtaException(OtaError.Config, "ota/0/port: " + p + " is not 1..65535");
                }

                c.Port = (int)p;
            }

            c.PasswordMd5 = Str(e, "passwd", "");
            c.Description = Str(e, "description", c.Description);
            c.Board = Str(e, "board", c.Board);
            c.HostName = Str(e, "hostname", c.HostName);
            c.Enabled = Bool(e, "enabled", c.Enabled);
            c.AutoReboot = Bool(e, "auto_reboot", c.AutoReboot);
            if (!IsDnsLabel(c.HostName))
            {
                throw new OtaException(OtaError.Config, "ota/0/hostname: '" + c.HostName + "' is not a DNS label (1..63 of a-z, 0-9, '-')");
            }

            if (c.Board.Length == 0 || c.Board.Length > 100)
            {
                throw new OtaException(OtaError.Config, "ota/0/board: must be 1..100 characters");
            }

            return c;
        }

        /// <summary>True for 1..63 characters of letters, digits and '-', not starting or ending with '-'.</summary>
        public static bool IsDnsLabel(string s)
        {
            if (s == null || s.Length == 0 || s.Length > 63 || s[0] == '-' || s[s.Length - 1] == '-')
            {
                return false;
            }

            for (int i = 0; i < s.Length; i++)
            {
                char ch = s[i];
                bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static string Str(Hashtable e, string key, string dflt)
        {
            if (!e.Contains(key))
            {
                return dflt;
            }

            string s = e[key] as string;
            if (s == null)
            {
                throw new OtaException(OtaError.Config, "ota/0/" + key + ": not a string");
            }

            return s;
        }

        private static bool Bool(Hashtable e, string key, bool dflt)
        {
            if (!e.Contains(key))
            {
                return dflt;
            }

            object v = e[key];
            if (!(v is bool))
            {
                throw new OtaException(OtaError.Config, "ota/0/" + key + ": not true/false");
            }

            return (bool)v;
        }
    }
}
