namespace OtaCore.Partitions
{
    /// <summary>
    /// Computes the MD5 digest (16 bytes) of a buffer range. nanoFramework has no MD5, so the
    /// binary partition table code takes it from the caller (host: System.Security.Cryptography).
    /// </summary>
    public delegate byte[] Md5Function(byte[] data, int offset, int count);
}
