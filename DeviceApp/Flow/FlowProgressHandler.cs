namespace DeviceApp.Flow
{
    /// <summary>Receives download progress: package bytes in staging so far and the package length.</summary>
    public delegate void FlowProgressHandler(long bytes, long total);
}
