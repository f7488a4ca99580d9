using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using OtaCore.Image;

namespace Ota.Tools.Serve;

/// <summary>
/// What the server says about one file: length, Last-Modified, a strong ETag, and the SHA-256 and
/// CRC-32 (docs/design.md section 3 flavour) the manifest publishes. The ETag is derived from the
/// content hash, so it changes whenever the bytes change. Results are cached per (path, length,
/// modification time).
/// </summary>
public sealed class FileEntity
{
    private static readonly ConcurrentDictionary<string, FileEntity> Cache = new();

    /// <summary>Full path of the file.</summary>
    public string Path { get; private init; } = "";

    /// <summary>Length in bytes.</summary>
    public long Length { get; private init; }

    /// <summary>Last write time (UTC, whole seconds as HTTP dates carry).</summary>
    public DateTime LastModifiedUtc { get; private init; }

    /// <summary>Strong entity tag, quotes included.</summary>
    public string ETag { get; private init; } = "";

    /// <summary>SHA-256 of the content, lowercase hex.</summary>
    public string Sha256Hex { get; private init; } = "";

    /// <summary>CRC-32 of the content (reflected 0xEDB88320, init 0xFFFFFFFF, no final XOR).</summary>
    public uint Crc32 { get; private init; }

    /// <summary>The HTTP-date form of <see cref="LastModifiedUtc"/>.</summary>
    public string LastModifiedHttp => LastModifiedUtc.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Describes <paramref name="path"/> (hashing it unless cached and unchanged).</summary>
    public static FileEntity Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException(path);
        string key = path + "|" + info.Length + "|" + info.LastWriteTimeUtc.Ticks;
        if (Cache.TryGetValue(key, out var cached)) return cached;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        uint crc = OtaCore.Image.Crc32.Initial;
        long length = 0;
        var buf = new byte[64 * 1024];
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            int n;
            while ((n = fs.Read(buf, 0, buf.Length)) > 0)
            {
                sha.AppendData(buf, 0, n);
                crc = OtaCore.Image.Crc32.Update(crc, buf, 0, n);
                length += n;
            }
        }
        byte[] digest = sha.GetHashAndReset();
        string hex = Convert.ToHexString(digest).ToLowerInvariant();
        var t = info.LastWriteTimeUtc;
        var entity = new FileEntity
        {
            Path = path,
            Length = length,
            LastModifiedUtc = new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Utc),
            ETag = "\"" + hex.Substring(0, 16) + "-" + length.ToString("x", CultureInfo.InvariantCulture) + "\"",
            Sha256Hex = hex,
            Crc32 = crc,
        };
        Cache[key] = entity;
        return entity;
    }
}
