namespace OtaCore.Platform
{
    /// <summary>
    /// Monotonic time for retry timeouts and pauses. Device: the system tick; host: a stopwatch;
    /// tests: a fake clock that advances on <see cref="Sleep"/>.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary fixed start; never goes back.</summary>
        long NowMs { get; }

        /// <summary>Waits <paramref name="ms"/> milliseconds.</summary>
        void Sleep(int ms);
    }
}
