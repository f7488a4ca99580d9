using nanoFramework.Runtime.Native;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary><see cref="OtaCore.Platform.IRebooter"/>: a hard reboot into the native bootloader, which installs.</summary>
    public class PowerRebooter : OtaCore.Platform.IRebooter
    {
        /// <inheritdoc />
        public void Reboot()
        {
            Power.RebootDevice();
        }
    }
}
