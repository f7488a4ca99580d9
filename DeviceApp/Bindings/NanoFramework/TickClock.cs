using System;
using System.Threading;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary><see cref="OtaCore.Platform.IClock"/> over the system tick (unaffected by SNTP time changes).</summary>
    public class TickClock : OtaCore.Platform.IClock
    {
        /// <inheritdoc />
        public long NowMs
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc />
        public void Sleep(int ms)
        {
            Thread.Sleep(ms);
        }
    }
}
