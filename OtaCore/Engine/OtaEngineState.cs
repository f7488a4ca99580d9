namespace OtaCore.Engine
{
    /// <summary>Where the engine's update flow is (docs/design.md "OtaCore engine").</summary>
    public enum OtaEngineState
    {
        /// <summary>Not running an update.</summary>
        Idle = 0,
        /// <summary>Checking the network link.</summary>
        NetworkCheck = 1,
        /// <summary>Fetching the manifest and applying the version policy.</summary>
        VersionCheck = 2,
        /// <summary>Downloading the package into staging.</summary>
        Download = 3,
        /// <summary>Verifying the package in staging.</summary>
        Verify = 4,
        /// <summary>The package is staged; the next boot installs it.</summary>
        Staged = 5,
        /// <summary>Rebooting into the bootloader.</summary>
        Reboot = 6,
    }
}
