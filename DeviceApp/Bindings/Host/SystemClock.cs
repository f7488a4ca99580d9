using System.Diagnostics;
using System.Threading;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary><see cref="IClock"/> over the monotonic Stopwatch and Thread.Sleep.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        /// <inheritdoc />
        public long NowMs => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

        /// <inheritdoc />
        public void Sleep(int ms)
        {
            if (ms > 0) Thread.Sleep(ms);
        }
    }
}
