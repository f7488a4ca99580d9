namespace OtaCore.Engine
{
    /// <summary>The outcome of one <see cref="OtaEngine.Update"/> run, with transfer statistics.</summary>
    public class OtaResult
    {
        /// <summary>
        /// <see cref="OtaError.Ok"/> when a package was staged, <see cref="OtaError.NoUpdate"/>
        /// when there was nothing to do, else the error that stopped the run.
        /// </summary>
        public OtaError Error { get; set; }

        /// <summary>The error message ("E603 HTTP_STATUS: ...") or a short note.</summary>
        public string Message { get; set; }

        /// <summary>True when the state record says STAGED at the end of the run.</summary>
        public bool Staged { get; set; }

        /// <summary>Version the server offered (from the manifest), or null.</summary>
        public string Version { get; set; }

        /// <summary>Version running before the run (installed header), or null when unknown.</summary>
        public string RunningVersion { get; set; }

        /// <summary>Package length in bytes (0 when no download started).</summary>
        public long PackageLength { get; set; }

        /// <summary>Offset the download continued from after a reboot (0 = from the start).</summary>
        public long ResumedFrom { get; set; }

        /// <summary>Body bytes received over the network in this run (manifest included).</summary>
        public long BytesReceived { get; set; }

        /// <summary>HTTP requests sent in this run.</summary>
        public int Requests { get; set; }

        /// <summary>Transient failures retried in this run.</summary>
        public int Retries { get; set; }

        /// <summary>
        /// The staging writer this run streamed the package with: "pipelined" (config
        /// "staging_pipeline", the default: a worker thread erased ahead and programmed while the
        /// engine received) or "erase-as-you-go"; null when the run wrote nothing to staging.
        /// </summary>
        public string StagingWriter { get; set; }

        /// <summary>Staging flash operations (erases and page programs) the pipeline's worker performed in this run.</summary>
        public int StagingWorkerOperations { get; set; }
    }
}
