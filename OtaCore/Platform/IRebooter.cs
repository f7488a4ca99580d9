namespace OtaCore.Platform
{
    /// <summary>
    /// Restarts the device (nanoFramework: Power.RebootDevice()). In the host simulator this ends the
    /// app run and hands over to the bootloader. May return on the host; never returns on a device.
    /// </summary>
    public interface IRebooter
    {
        /// <summary>Reboots now.</summary>
        void Reboot();
    }
}
