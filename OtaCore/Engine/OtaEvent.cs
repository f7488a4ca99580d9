namespace OtaCore.Engine
{
    /// <summary>
    /// What the engine reports through <see cref="OtaEngine.StateChanged"/>; the first ten mirror
    /// WinnerMicro's ota_state_cb states in the same order.
    /// </summary>
    public enum OtaEvent
    {
        /// <summary>An update check starts.</summary>
        Start = 0,
        /// <summary>Network check and manifest request start.</summary>
        ConnectionStart = 1,
        /// <summary>Network down, manifest unreachable or refused (error says why).</summary>
        ConnectionFailed = 2,
        /// <summary>The manifest arrived and parsed.</summary>
        Connected = 3,
        /// <summary>The package download starts (or resumes).</summary>
        DownloadStart = 4,
        /// <summary>The download failed (error says why).</summary>
        DownloadFailed = 5,
        /// <summary>Every byte of the package is in staging.</summary>
        Downloaded = 6,
        /// <summary>Final verification of the staged package starts.</summary>
        UpgradeStart = 7,
        /// <summary>Final verification failed (error says why).</summary>
        UpgradeFailed = 8,
        /// <summary>The application aborted the update.</summary>
        Abort = 9,
        /// <summary>The server has nothing the version policy accepts (error = NoUpdate).</summary>
        NoUpdate = 10,
        /// <summary>The package is verified and the state record says STAGED.</summary>
        Staged = 11,
        /// <summary>A transient network failure; the engine reconnects and resumes (error = cause).</summary>
        Retry = 12,
        /// <summary>The device reboots to install the staged package.</summary>
        Reboot = 13,
        /// <summary>At startup: the running image never confirmed itself (state UNCONFIRMED).</summary>
        Unconfirmed = 14,
        /// <summary>At startup: the running image is on trial and should call Confirm().</summary>
        Trial = 15,
        /// <summary>At startup: the bootloader rejected the last staged package (error = last_error).</summary>
        InstallFailed = 16,
        /// <summary>The running image was confirmed.</summary>
        Confirmed = 17,
        /// <summary>
        /// The server still offers a package this device rejected for a reason a new download
        /// cannot fix (error = PackageRejected, detail names the original code): nothing was
        /// downloaded or written; the running image stays. Not a failure of the device.
        /// </summary>
        PackageRejected = 18,
    }
}
