namespace OtaCore.DataUpdate
{
    /// <summary>
    /// The <c>data_state</c> field of the OTA state record (0x0C0, docs/design.md section 15).
    /// </summary>
    public enum DataUpdatePhase
    {
        /// <summary>No data-partition update pending; no backup stored.</summary>
        None = 0,
        /// <summary>Backup durable, target being written; the bootloader restores it at the next boot (outside an install).</summary>
        Writing = 1,
        /// <summary>New data written (e.g. a deployment); the backup is kept until the app confirms it.</summary>
        Trial = 2,
    }
}
