using System.Globalization;
using System.Text;
using System.Text.Json;
using OtaCore;
using OtaCore.Image;

namespace Ota.Tools.Serve;

/// <summary>
/// Answers GET /manifest/{device}/{channel}.json: the latest image for that device type and
/// channel, read from DIR/{device}/{channel}/*.img. A DIR with images at its root serves them as
/// device "default", channel "stable". "Latest" = highest header version (dotted numbers compare
/// numerically), then highest upd_no, then the smaller file (so NAME_ota.img beats NAME.img of the
/// same version). Files whose header does not parse are skipped (and logged). Fields: "url"
/// absolute on the Host the request came to; "size" and "sha256" of the whole file; "crc32" the
/// package header's org_checksum as an integer (what OtaCore's UpdateManifest reads).
/// </summary>
public sealed class ManifestService
{
    private readonly string _root;
    private readonly TextWriter _log;

    /// <summary>Serves manifests for the images under <paramref name="root"/>.</summary>
    public ManifestService(string root, TextWriter log)
    {
        _root = System.IO.Path.GetFullPath(root);
        _log = log;
    }

    /// <summary>One candidate image and the header fields the manifest needs.</summary>
    public sealed record Candidate(string File, string UrlPath, string Version, uint UpdNo, uint OrgChecksum, FileEntity Entity);

    /// <summary>The latest image for <paramref name="device"/>/<paramref name="channel"/>, or null.</summary>
    public Candidate? Latest(string device, string channel)
    {
        if (!IsSafeName(device) || !IsSafeName(channel)) return null;
        string dir = System.IO.Path.Combine(_root, device, channel);
        string urlDir = "/" + Uri.EscapeDataString(device) + "/" + Uri.EscapeDataString(channel) + "/";
        if (!Directory.Exists(dir))
        {
            if (device != "default" || channel != "stable") return null;
            dir = _root;
            urlDir = "/";
        }
        Candidate? best = null;
        foreach (string file in Directory.EnumerateFiles(dir, "*.img"))
        {
            Candidate c;
            try
            {
                var header = new byte[64];
                using (var fs = File.OpenRead(file))
                {
                    if (fs.ReadAtLeast(header, 64, throwOnEndOfStream: false) < 64)
                        throw new OtaException(OtaError.ImgTruncated, "shorter than the 64-byte header");
                }
                var h = ImageHeader.Parse(header, 0);
                c = new Candidate(file, urlDir + Uri.EscapeDataString(System.IO.Path.GetFileName(file)), h.Version, h.UpdNo, h.OrgChecksum, FileEntity.Of(file));
            }
            catch (OtaException e)
            {
                _log.WriteLine($"serve: manifest skips {file}: {e.Message}");
                continue;
            }
            if (best == null || Newer(c, best)) best = c;
        }
        return best;
    }

    /// <summary>The manifest JSON for <paramref name="c"/>, with an absolute URL on <paramref name="baseUrl"/>.</summary>
    public static string ToJson(string device, string channel, Candidate c, string baseUrl)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("device", device);
            w.WriteString("channel", channel);
            w.WriteString("version", c.Version);
            w.WriteNumber("upd_no", c.UpdNo);
            w.WriteString("url", baseUrl.TrimEnd('/') + c.UrlPath);
            w.WriteNumber("size", c.Entity.Length);
            w.WriteString("sha256", c.Entity.Sha256Hex);
            w.WriteNumber("crc32", c.OrgChecksum);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static bool IsSafeName(string s) =>
        s.Length > 0 && s != "." && s != ".." && s.IndexOfAny(new[] { '/', '\\', '\0' }) < 0;

    private static bool Newer(Candidate a, Candidate b)
    {
        int v = ImageHeader.CompareVersions(a.Version, b.Version);
        if (v != 0) return v > 0;
        if (a.UpdNo != b.UpdNo) return a.UpdNo > b.UpdNo;
        return a.Entity.Length < b.Entity.Length;
    }
}
