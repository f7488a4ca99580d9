namespace OtaCore.State
{
    /// <summary>The <c>state</c> field of the OTA state record (docs/design.md section 4).</summary>
    public enum OtaState
    {
        /// <summary>Nothing staged, no record ever written (erased otadata).</summary>
        None = 0,
        /// <summary>The app runs and has confirmed itself; nothing staged.</summary>
        Confirmed = 1,
        /// <summary>A package is being downloaded; the bitmap tracks durable blocks.</summary>
        Downloading = 2,
        /// <summary>Package complete and verified; install on next boot.</summary>
        Staged = 3,
        /// <summary>The bootloader is writing <c>app</c>.</summary>
        Installing = 4,
        /// <summary>New image installed and verified; waiting for the app to confirm.</summary>
        Trial = 5,
        /// <summary>The staged package was rejected before <c>app</c> was touched.</summary>
        Failed = 6,
        /// <summary>Trial boots exhausted without a confirm.</summary>
        Unconfirmed = 7,
    }
}
