namespace OtaCore.Download
{
    /// <summary>What a first small request learned about a remote file.</summary>
    public class RangeProbe
    {
        /// <summary>Creates a probe result.</summary>
        public RangeProbe(long totalLength, string etag)
        {
            TotalLength = totalLength;
            ETag = etag;
        }

        /// <summary>Length of the whole file as the server states it, -1 if unknown.</summary>
        public long TotalLength { get; private set; }

        /// <summary>The file's ETag, or null when the server sends none.</summary>
        public string ETag { get; private set; }
    }
}
