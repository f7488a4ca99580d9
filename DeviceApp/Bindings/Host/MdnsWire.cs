using System;
using System.Collections.Generic;
using System.Text;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// DNS message wire format (RFC 1035 section 4) as far as an mDNS responder needs it: reading
    /// questions (names with compression pointers) and writing resource records (names written
    /// uncompressed, which every reader accepts).
    /// </summary>
    public static class MdnsWire
    {
        /// <summary>Record type A.</summary>
        public const ushort TypeA = 1;
        /// <summary>Record type PTR.</summary>
        public const ushort TypePtr = 12;
        /// <summary>Record type TXT.</summary>
        public const ushort TypeTxt = 16;
        /// <summary>Record type SRV.</summary>
        public const ushort TypeSrv = 33;
        /// <summary>Query type ANY.</summary>
        public const ushort TypeAny = 255;
        /// <summary>Class IN.</summary>
        public const ushort ClassIn = 1;
        /// <summary>mDNS cache-flush bit of a unique record's class (RFC 6762 section 10.2).</summary>
        public const ushort CacheFlush = 0x8000;

        /// <summary>One question: name (dotted, no final dot), type, class (unicast-response bit cleared).</summary>
        public sealed record Question(string Name, ushort Type, ushort Class);

        /// <summary>
        /// Parses the header and questions of a query. Returns null for a message that is a
        /// response, truncated, or malformed (a responder ignores those).
        /// </summary>
        public static List<Question> ReadQuestions(byte[] msg, int length, out ushort id)
        {
            id = 0;
            if (length < 12) return null;
            id = (ushort)((msg[0] << 8) | msg[1]);
            if ((msg[2] & 0x80) != 0) return null; // QR = response
            int qd = (msg[4] << 8) | msg[5];
            var list = new List<Question>();
            int p = 12;
            for (int i = 0; i < qd; i++)
            {
                string name = ReadName(msg, length, ref p);
                if (name == null || p + 4 > length) return null;
                ushort type = (ushort)((msg[p] << 8) | msg[p + 1]);
                ushort cls = (ushort)(((msg[p + 2] << 8) | msg[p + 3]) & 0x7FFF);
                p += 4;
                list.Add(new Question(name, type, cls));
            }
            return list;
        }

        /// <summary>Reads a (possibly compressed) name at <paramref name="p"/>; null when malformed.</summary>
        public static string ReadName(byte[] msg, int length, ref int p)
        {
            var sb = new StringBuilder();
            int q = p, jumps = 0;
            bool jumped = false;
            while (true)
            {
                if (q >= length) return null;
                int len = msg[q];
                if (len == 0)
                {
                    q++;
                    break;
                }
                if ((len & 0xC0) == 0xC0)
                {
                    if (q + 1 >= length || ++jumps > 16) return null;
                    int target = ((len & 0x3F) << 8) | msg[q + 1];
                    if (!jumped) p = q + 2;
                    jumped = true;
                    q = target;
                    continue;
                }
                if ((len & 0xC0) != 0 || q + 1 + len > length) return null;
                if (sb.Length > 0) sb.Append('.');
                sb.Append(Encoding.ASCII.GetString(msg, q + 1, len));
                q += 1 + len;
                if (sb.Length > 255) return null;
            }
            if (!jumped) p = q;
            return sb.ToString();
        }

        /// <summary>Writes a name as labels (no compression).</summary>
        public static void WriteName(List<byte> o, string name)
        {
            foreach (string label in name.Split('.'))
            {
                byte[] b = Encoding.ASCII.GetBytes(label);
                if (b.Length == 0 || b.Length > 63) throw new ArgumentException("bad DNS label in '" + name + "'");
                o.Add((byte)b.Length);
                o.AddRange(b);
            }
            o.Add(0);
        }

        /// <summary>Writes a big-endian 16-bit value.</summary>
        public static void U16(List<byte> o, int v)
        {
            o.Add((byte)(v >> 8));
            o.Add((byte)v);
        }

        /// <summary>Writes a big-endian 32-bit value.</summary>
        public static void U32(List<byte> o, uint v)
        {
            U16(o, (int)(v >> 16));
            U16(o, (int)(v & 0xFFFF));
        }

        /// <summary>Writes one resource record: name, type, class, TTL, then RDATA from <paramref name="rdata"/>.</summary>
        public static void Record(List<byte> o, string name, ushort type, ushort cls, uint ttl, Action<List<byte>> rdata)
        {
            WriteName(o, name);
            U16(o, type);
            U16(o, cls);
            U32(o, ttl);
            int lenAt = o.Count;
            U16(o, 0);
            rdata(o);
            int len = o.Count - lenAt - 2;
            o[lenAt] = (byte)(len >> 8);
            o[lenAt + 1] = (byte)len;
        }
    }
}
