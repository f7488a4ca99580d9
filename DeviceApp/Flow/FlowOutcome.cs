using OtaCore.Engine;
using OtaCore.State;

namespace DeviceApp.Flow
{
    /// <summary>What one run of <see cref="UpdateFlow"/> did, for logs and the simulator summary.</summary>
    public class FlowOutcome
    {
        /// <summary>State record state when the app started (what the bootloader left).</summary>
        public OtaState StartState { get; set; }

        /// <summary>Version of the running image, or null when the state record has none.</summary>
        public string RunningVersion { get; set; }

        /// <summary>True when this run confirmed the running image.</summary>
        public bool Confirmed { get; set; }

        /// <summary>Why the image was or was not confirmed (health check result), or null.</summary>
        public string HealthNote { get; set; }

        /// <summary>The update check result (the startup reinstall result when UNCONFIRMED).</summary>
        public OtaResult Update { get; set; }

        /// <summary>True when a package is staged and the flow asked for a reboot.</summary>
        public bool RebootRequested { get; set; }

        /// <summary>
        /// The staging writer the update used when it downloaded anything: "pipelined" (worker
        /// thread, config "staging_pipeline", the default) or "erase-as-you-go"; null otherwise.
        /// </summary>
        public string StagingWriter { get; set; }

        /// <summary>State record state when the flow ended.</summary>
        public OtaState EndState { get; set; }
    }
}
