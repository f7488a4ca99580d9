using System.Threading;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="IRebooter"/> of the simulated device: records the request and returns, so the
    /// app run ends and the simulator hands over to the bootloader (otahost_boot).
    /// </summary>
    public sealed class SimulatorRebooter : IRebooter
    {
        private readonly ManualResetEvent _requested = new ManualResetEvent(false);

        /// <summary>True once the app asked for a reboot.</summary>
        public bool RebootRequested { get; private set; }

        /// <summary>Signalled when the app asks for a reboot.</summary>
        public WaitHandle Requested => _requested;

        /// <inheritdoc />
        public void Reboot()
        {
            RebootRequested = true;
            _requested.Set();
        }
    }
}
