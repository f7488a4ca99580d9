using System.Diagnostics;

namespace Ota.Tools.Sim;

/// <summary>
/// A one-line download progress bar. On a terminal it redraws in place (carriage return) at most
/// every 50 ms; otherwise it prints a line every 10 %.
/// </summary>
public sealed class ProgressBar
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;
    private int _lastDecile = -1;
    private long _startBytes = -1;
    private bool _open;

    /// <summary>A bar on <paramref name="output"/>; <paramref name="live"/> = redraw in place.</summary>
    public ProgressBar(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>Reports <paramref name="bytes"/> of <paramref name="total"/>.</summary>
    public void Update(long bytes, long total)
    {
        if (total <= 0) return;
        if (_startBytes < 0) { _startBytes = bytes; _clock.Restart(); }
        long now = _clock.ElapsedMilliseconds;
        bool done = bytes >= total;
        double secs = Math.Max(now / 1000.0, 0.001);
        double rate = (bytes - _startBytes) / secs;
        int pct = (int)(bytes * 100 / total);
        if (_live)
        {
            if (!done && now - _lastDrawMs < 50) return;
            _lastDrawMs = now;
            int width = 30, fill = (int)(bytes * width / total);
            _out.Write($"\r  download [{new string('#', fill)}{new string('.', width - fill)}] {pct,3}% {bytes}/{total} B {rate / 1e6:0.00} MB/s ");
            _open = true;
            if (done) Finish();
        }
        else
        {
            int decile = pct / 10;
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            _out.WriteLine($"  download {pct,3}% {bytes}/{total} B {rate / 1e6:0.00} MB/s");
        }
        _out.Flush();
    }

    /// <summary>Ends the in-place line (call before printing anything else).</summary>
    public void Finish()
    {
        if (_open) { _out.WriteLine(); _open = false; }
        _startBytes = -1;
        _lastDecile = -1;
    }
}
