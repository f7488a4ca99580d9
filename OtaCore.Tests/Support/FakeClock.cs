#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore.Platform;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// A clock that only moves when the engine sleeps (or a test advances it): retry timeouts of
    /// minutes run in milliseconds and are exactly reproducible.
    /// </summary>
    public sealed class FakeClock : IClock
    {
        /// <summary>Simulated milliseconds.</summary>
        public long NowMs { get; private set; }

        /// <summary>Number of Sleep calls.</summary>
        public int Sleeps { get; private set; }

        /// <summary>Moves time forward by <paramref name="ms"/>.</summary>
        public void Sleep(int ms)
        {
            Sleeps++;
            NowMs += ms;
        }

        /// <summary>Moves time forward without counting a sleep.</summary>
        public void Advance(long ms)
        {
            NowMs += ms;
        }
    }
}
