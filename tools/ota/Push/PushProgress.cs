using System.Diagnostics;

namespace Ota.Tools.Push;

/// <summary>
/// The `ota push` progress bar on stderr: redrawn in place on a terminal (at most every 50 ms),
/// otherwise one line per 10 %.
/// </summary>
public sealed class PushProgress
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private int _lastDecile = -1;

    /// <summary>A bar on <paramref name="output"/>; <paramref name="live"/> = redraw in place.</summary>
    public PushProgress(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>Reports <paramref name="sent"/> of <paramref name="total"/> bytes.</summary>
    public void Update(long sent, long total)
    {
        long now = _clock.ElapsedMilliseconds;
        int pct = (int)(sent * 100 / Math.Max(total, 1));
        double rate = sent / Math.Max(now / 1000.0, 0.001);
        if (_live)
        {
            if (sent < total && now - _lastDraw < 50) return;
            _lastDraw = now;
            int fill = (int)(sent * 30 / Math.Max(total, 1));
            _out.Write($"\r  upload [{new string('#', fill)}{new string('.', 30 - fill)}] {pct,3}% {sent}/{total} B {rate / 1e3:0} kB/s ");
            if (sent >= total) _out.WriteLine();
        }
        else
        {
            if (pct / 10 == _lastDecile) return;
            _lastDecile = pct / 10;
            _out.WriteLine($"  upload {pct,3}% {sent}/{total} B {rate / 1e3:0} kB/s");
        }
        _out.Flush();
    }
}
