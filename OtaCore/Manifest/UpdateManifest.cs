using System.Collections;
using OtaCore.Json;
using OtaCore.Text;

namespace OtaCore.Manifest
{
    /// <summary>
    /// What the server says is the latest release for one device type and channel, from
    /// GET {server}/manifest/{device}/{channel}.json:
    /// {"device","channel","version","upd_no","url","size","sha256","crc32"}. "url" is absolute
    /// ("http://...") or relative to the server base URL; "size" is the package length in bytes;
    /// "sha256" the hex SHA-256 of the whole package file; "crc32" (optional; an integer or a
    /// "0x..." hex string) the package header's org_checksum (body CRC-32), checked against the
    /// header before the download. Problems throw
    /// <see cref="OtaException"/> E605 HTTP_LENGTH ("manifest: ...") — the server answered, but not
    /// with a usable description of the file.
    /// </summary>
    public class UpdateManifest
    {
        /// <summary>The error code of a malformed manifest.</summary>
        public const OtaError ErrorCode = OtaError.HttpLength;

        /// <summary>Device type the release is for.</summary>
        public string Device { get; private set; }

        /// <summary>Release channel.</summary>
        public string Channel { get; private set; }

        /// <summary>Version string of the package (as in the image header).</summary>
        public string Version { get; private set; }

        /// <summary>Update number (anti-rollback counter) of the package.</summary>
        public uint UpdNo { get; private set; }

        /// <summary>Package URL as written in the manifest (absolute or relative).</summary>
        public string Url { get; private set; }

        /// <summary>Package length in bytes.</summary>
        public long Size { get; private set; }

        /// <summary>SHA-256 of the whole package, 32 bytes.</summary>
        public byte[] Sha256 { get; private set; }

        /// <summary>True when the manifest carried "crc32".</summary>
        public bool HasCrc32 { get; private set; }

        /// <summary>The package header's org_checksum when <see cref="HasCrc32"/>.</summary>
        public uint Crc32 { get; private set; }

        /// <summary>
        /// Parses manifest JSON text. <paramref name="device"/> and <paramref name="channel"/> are
        /// what was asked for: a manifest for another device or channel is rejected.
        /// </summary>
        public static UpdateManifest Parse(string json, string device, string channel)
        {
            Hashtable h = JsonReader.ParseObject(json, ErrorCode, "manifest");
            UpdateManifest m = new UpdateManifest();
            m.Device = Str(h, "device");
            m.Channel = Str(h, "channel");
            m.Version = Str(h, "version");
            m.UpdNo = (uint)Num(h, "upd_no", 0, 0xFFFFFFFFL);
            m.Url = Str(h, "url");
            m.Size = Num(h, "size", 65, 0x7FFFFFFFL);
            m.Sha256 = Hex32(Str(h, "sha256"));
            if (h.Contains("crc32") && h["crc32"] != null)
            {
                m.Crc32 = h["crc32"] is string ? HexU32((string)h["crc32"]) : (uint)Num(h, "crc32", 0, 0xFFFFFFFFL);
                m.HasCrc32 = true;
            }

            if (device != null && m.Device != device)
            {
                throw Error("for device \"" + m.Device + "\", expected \"" + device + "\"");
            }

            if (channel != null && m.Channel != channel)
            {
                throw Error("for channel \"" + m.Channel + "\", expected \"" + channel + "\"");
            }

            if (m.Version.Length == 0 || m.Version.Length > 15)
            {
                throw Error("version must be 1..15 characters");
            }

            if (m.Url.Length == 0 || m.Url.IndexOf(' ') >= 0)
            {
                throw Error("bad url \"" + m.Url + "\"");
            }

            return m;
        }

        /// <summary>
        /// The absolute package URL: <see cref="Url"/> itself when it starts with "http://" or "https://",
        /// else <paramref name="server"/> (no trailing slash) + "/" + the relative path.
        /// </summary>
        public string ResolveUrl(string server)
        {
            if ((Url.Length > 7 && Url.Substring(0, 7) == "http://") || (Url.Length > 8 && Url.Substring(0, 8) == "https://"))
            {
                return Url;
            }

            return Url[0] == '/' ? server + Url : server + "/" + Url;
        }

        private static OtaException Error(string detail)
        {
            return new OtaException(ErrorCode, "manifest: " + detail);
        }

        private static string Str(Hashtable h, string key)
        {
            string s = h[key] as string;
            if (s == null)
            {
                throw Error("\"" + key + "\" missing or not a string");
            }

            return s;
        }

        private static long Num(Hashtable h, string key, long min, long max)
        {
            object v = h[key];
            if (!(v is long))
            {
                throw Error("\"" + key + "\" missing or not an integer");
            }

            long l = (long)v;
            if (l < min || l > max)
            {
                throw Error("\"" + key + "\" = " + l + " out of range");
            }

            return l;
        }

        private static uint HexU32(string s)
        {
            if (s.Length < 3 || s.Length > 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
            {
                throw Error("\"crc32\" must be an integer or \"0x\" + 1..8 hex digits");
            }

            uint v = 0;
            for (int i = 2; i < s.Length; i++)
            {
                int d = HexDigit.Value(s[i]);
                if (d < 0)
                {
                    throw Error("\"crc32\" must be an integer or \"0x\" + 1..8 hex digits");
                }

                v = (v << 4) | (uint)d;
            }

            return v;
        }

        private static byte[] Hex32(string s)
        {
            if (s.Length != 64)
            {
                throw Error("\"sha256\" must be 64 hex digits");
            }

            byte[] b = new byte[32];
            for (int i = 0; i < 32; i++)
            {
                int hi = HexDigit.Value(s[2 * i]);
                int lo = HexDigit.Value(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                {
                    throw Error("\"sha256\" must be 64 hex digits");
                }

                b[i] = (byte)((hi << 4) | lo);
            }

            return b;
        }
    }
}
