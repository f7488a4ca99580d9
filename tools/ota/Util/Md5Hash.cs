namespace Ota.Tools.Util;

/// <summary>MD5 for the ESP-IDF binary partition table (OtaCore takes it as an injected function).</summary>
public static class Md5Hash
{
    /// <summary>MD5 of a buffer range, in the shape of <see cref="OtaCore.Partitions.Md5Function"/>.</summary>
    public static byte[] Compute(byte[] data, int offset, int count) =>
        System.Security.Cryptography.MD5.HashData(new ReadOnlySpan<byte>(data, offset, count));
}
