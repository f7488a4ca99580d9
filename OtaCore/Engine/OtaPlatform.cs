using OtaCore.Platform;

namespace OtaCore.Engine
{
    /// <summary>
    /// The platform parts the engine runs on, set by the binding (DeviceApp/Bindings/...). All are
    /// required except <see cref="Rebooter"/> (null: the application reboots itself).
    /// </summary>
    public class OtaPlatform
    {
        /// <summary>HTTP range source.</summary>
        public IRangeSource RangeSource { get; set; }

        /// <summary>Network link status and reconnect.</summary>
        public INetworkStatus Network { get; set; }

        /// <summary>Monotonic clock and sleep.</summary>
        public IClock Clock { get; set; }

        /// <summary>SHA-256 (and ECDSA) in native code.</summary>
        public INativeServices Native { get; set; }

        /// <summary>Device reboot, or null.</summary>
        public IRebooter Rebooter { get; set; }

        /// <summary>The staging partition (app_ota) packages are downloaded into.</summary>
        public IFlashPartition Staging { get; set; }

        /// <summary>The otadata partition holding the OTA state record.</summary>
        public IFlashPartition OtaData { get; set; }

        /// <summary>The app partition: app images must target its offset and fit its size.</summary>
        public IFlashPartition App { get; set; }

        /// <summary>
        /// Optional (issue 9): a caller-owned ring (a multiple of 256 bytes, at least 512; e.g. 8 KiB)
        /// for pipelined staging (<see cref="OtaCore.Download.StagingPipeline"/>: a worker thread
        /// erases ahead and programs while the engine receives). Null (default): the engine
        /// allocates config "pipeline_ring_size" bytes once. Unused when config
        /// "staging_pipeline" is false (erase and program in the engine's thread).
        /// </summary>
        public byte[] StagingPipelineRing { get; set; }
    }
}
