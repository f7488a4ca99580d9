namespace OtaCore.Engine
{
    /// <summary>Receives download progress: package bytes in staging so far and the package length.</summary>
    public delegate void OtaProgressEventHandler(OtaEngine sender, long bytes, long total);
}
