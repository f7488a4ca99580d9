namespace OtaCore.Download
{
    /// <summary>
    /// Told about a transient network failure that will be retried: its code, message, and the
    /// number of failures in a row without progress.
    /// </summary>
    public delegate void RetryHandler(OtaError code, string message, int failuresInARow);
}
