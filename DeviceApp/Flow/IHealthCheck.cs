namespace DeviceApp.Flow
{
    /// <summary>
    /// Decides whether a freshly installed image works well enough to confirm itself
    /// (docs/design.md section 6). An image that never confirms is marked UNCONFIRMED by the
    /// bootloader after 3 trial boots.
    /// </summary>
    public interface IHealthCheck
    {
        /// <summary>True when healthy; otherwise returns false and a reason in <see cref="LastReason"/>.</summary>
        bool Check();

        /// <summary>Why the last <see cref="Check"/> failed (or what it saw when it passed).</summary>
        string LastReason { get; }
    }
}
