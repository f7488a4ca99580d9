namespace OtaCore.Push
{
    /// <summary>
    /// The invitation datagram of the ArduinoOTA protocol, "cmd host_tcp_port size md5hex\n":
    /// what to write (0 firmware, 100 filesystem/config), the TCP port the host listens on for the
    /// device's data connection, the file size in bytes and the MD5 of the whole file.
    /// </summary>
    public class PushInvitation
    {
        /// <summary>Largest size accepted in an invitation (no partition is larger).</summary>
        public const long MaxSize = 0x7FFFFFFF;

        /// <summary><see cref="PushProtocol.CommandFirmware"/> or <see cref="PushProtocol.CommandFilesystem"/>.</summary>
        public int Command { get; private set; }

        /// <summary>TCP port on the host the device connects to (1..65535).</summary>
        public int HostPort { get; private set; }

        /// <summary>Size of the pushed file in bytes (&gt; 0).</summary>
        public long Size { get; private set; }

        /// <summary>MD5 of the whole file, 32 lower-case hex characters.</summary>
        public string Md5 { get; private set; }

        /// <summary>
        /// Parses an invitation datagram. Four fields separated by single spaces, an optional
        /// final "\n"; anything else throws <see cref="OtaException"/> E1001 PUSH_INVITATION
        /// naming the field.
        /// </summary>
        public static PushInvitation Parse(byte[] data, int offset, int count)
        {
            string[] f = SplitFields(data, offset, count, 4, "invitation");
            PushInvitation inv = new PushInvitation();
            long cmd = ParseDecimal(f[0], "command");
            if (cmd != PushProtocol.CommandFirmware && cmd != PushProtocol.CommandFilesystem)
            {
                throw Bad("command " + f[0] + " is neither 0 (firmware) nor 100 (filesystem)");
            }

            long port = ParseDecimal(f[1], "host port");
            if (port < 1 || port > 65535)
            {
                throw Bad("host port " + f[1] + " is not 1..65535");
            }

            long size = ParseDecimal(f[2], "size");
            if (size < 1 || size > MaxSize)
            {
                throw Bad("size " + f[2] + " is not 1.." + MaxSize);
            }

            if (!Md5Hex.IsMd5Hex(f[3]))
            {
                throw Bad("MD5 '" + Clip(f[3]) + "' is not 32 hex characters");
            }

            inv.Command = (int)cmd;
            inv.HostPort = (int)port;
            inv.Size = size;
            inv.Md5 = f[3].ToLower();
            return inv;
        }

        /// <summary>
        /// Splits a protocol datagram of printable ASCII into exactly <paramref name="fields"/>
        /// fields separated by single spaces, with an optional final "\n"; E1001 otherwise.
        /// </summary>
        public static string[] SplitFields(byte[] data, int offset, int count, int fields, string what)
        {
            if (count <= 0)
            {
                throw Bad("empty " + what);
            }

            if (count > PushProtocol.MaxDatagram)
            {
                throw Bad(what + " of " + count + " bytes is longer than " + PushProtocol.MaxDatagram);
            }

            int end = offset + count;
            if (data[end - 1] == (byte)'\n')
            {
                end--;
            }

            string[] f = new string[fields];
            int n = 0;
            int start = offset;
            for (int i = offset; i <= end; i++)
            {
                if (i < end && data[i] != (byte)' ')
                {
                    if (data[i] < 0x21 || data[i] > 0x7E)
                    {
                        throw Bad(what + " byte " + (i - offset) + " (0x" + data[i].ToString("X2") + ") is not printable ASCII");
                    }

                    continue;
                }

                if (i == start)
                {
                    throw Bad(what + " has an empty field at byte " + (i - offset));
                }

                if (n == fields)
                {
                    throw Bad(what + " has more than " + fields + " fields");
                }

                char[] c = new char[i - start];
                for (int k = 0; k < c.Length; k++)
                {
                    c[k] = (char)data[start + k];
                }

                f[n++] = new string(c);
                start = i + 1;
            }

            if (n != fields)
            {
                throw Bad(what + " has " + n + " fields, expected " + fields);
            }

            return f;
        }

        /// <summary>Parses a field of 1..10 decimal digits; E1001 otherwise.</summary>
        public static long ParseDecimal(string s, string what)
        {
            if (s.Length == 0 || s.Length > 10)
            {
                throw Bad(what + " '" + Clip(s) + "' is not a decimal number");
            }

            long v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    throw Bad(what + " '" + Clip(s) + "' is not a decimal number");
                }

                v = v * 10 + (s[i] - '0');
            }

            return v;
        }

        private static string Clip(string s)
        {
            return s.Length > 40 ? s.Substring(0, 40) + "..." : s;
        }

        private static OtaException Bad(string detail)
        {
            return new OtaException(OtaError.PushInvitation, detail);
        }
    }
}
