namespace OtaCore.Download
{
    /// <summary>Download progress: bytes of the package held in staging so far, and the total.</summary>
    public delegate void ProgressHandler(long bytes, long total);
}
