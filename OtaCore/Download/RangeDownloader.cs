using OtaCore.Config;
using OtaCore.Platform;

namespace OtaCore.Download
{
    /// <summary>
    /// Fetches a file over an <see cref="IRangeSource"/> with WinnerMicro's retry semantics: a
    /// transient network failure (NetTimeout/NetDown from the source, HTTP 503, a body that ends
    /// early) is retried — reconnecting the network when it is down, ReconnectCount quick attempts
    /// ReconnectIntervalMs apart, then a 1 s pause — and the transfer resumes with
    /// "Range: bytes=N-" until RetryTimeoutMs passes without a single byte arriving (then E602
    /// NET_TIMEOUT). Everything else fails at once: other HTTP statuses E603, a 200 to a ranged
    /// request or a wrong Content-Range E604, a changed length or ETag (or 412/416) E605.
    /// One buffer (the caller's, BlockSize bytes) is reused for every read.
    /// </summary>
    public class RangeDownloader
    {
        /// <summary>Pause after each round of quick reconnect attempts.</summary>
        public const int RoundPauseMs = 1000;

        private readonly IRangeSource _source;
        private readonly INetworkStatus _network;
        private readonly IClock _clock;
        private readonly OtaConfig _config;
        private readonly byte[] _buffer;
        private long _failSinceMs = -1;
        private int _failStreak;
        private volatile bool _abort;

        /// <summary>
        /// Creates a downloader. <paramref name="buffer"/> is the one read buffer; each network read
        /// asks for at most min(buffer length, BlockSize) bytes.
        /// </summary>
        public RangeDownloader(IRangeSource source, INetworkStatus network, IClock clock, OtaConfig config, byte[] buffer)
        {
            _source = source;
            _network = network;
            _clock = clock;
            _config = config;
            _buffer = buffer;
        }

        /// <summary>Called after each transient failure, before the pause and the next attempt.</summary>
        public event RetryHandler Retrying;

        /// <summary>Called after each chunk handed to the writer: bytes of the file now held, total.</summary>
        public event ProgressHandler Progress;

        /// <summary>HTTP requests sent so far.</summary>
        public int Requests { get; private set; }

        /// <summary>Transient failures retried so far.</summary>
        public int Retries { get; private set; }

        /// <summary>Body bytes received so far (all requests).</summary>
        public long BytesReceived { get; private set; }

        /// <summary>Asks a running transfer (or retry wait) to stop with E609 ABORTED. Thread-safe.</summary>
        public void Abort()
        {
            _abort = true;
        }

        /// <summary>Clears an earlier <see cref="Abort"/>.</summary>
        public void ClearAbort()
        {
            _abort = false;
        }

        /// <summary>
        /// Reads a small resource (a manifest) whole, with retries: at most
        /// <paramref name="maxLength"/> bytes, else E605. Returns the bytes.
        /// </summary>
        public byte[] FetchWhole(string url, int maxLength)
        {
            ResetFailures();
            while (true)
            {
                CheckAbort();
                IRangeResponse r = null;
                try
                {
                    r = Open(url, 0, -1, null, -1, null);
                    long len = r.Length >= 0 ? r.Length : r.TotalLength;
                    if (len > maxLength)
                    {
                        throw new OtaException(OtaError.HttpLength, url + " is " + len + " bytes, more than the " + maxLength + " expected");
                    }

                    byte[] data = new byte[len >= 0 ? (int)len : maxLength];
                    int have = 0;
                    while (true)
                    {
                        int n = r.Read(data, have, data.Length - have);
                        if (n <= 0)
                        {
                            break;
                        }

                        have += n;
                        BytesReceived += n;
                        if (have == data.Length)
                        {
                            if (len < 0 && r.Read(_buffer, 0, 1) > 0)
                            {
                                throw new OtaException(OtaError.HttpLength, url + " is longer than " + maxLength + " bytes");
                            }

                            break;
                        }
                    }

                    if (len >= 0 && have < len)
                    {
                        throw new OtaException(OtaError.NetTimeout, "body of " + url + " ended after " + have + " of " + len + " bytes");
                    }

                    if (have == data.Length)
                    {
                        return data;
                    }

                    byte[] exact = new byte[have];
                    System.Array.Copy(data, exact, have);
                    return exact;
                }
                catch (OtaException e)
                {
                    if (!IsTransient(e.Code))
                    {
                        throw;
                    }

                    OnTransient(e);
                }
                finally
                {
                    if (r != null)
                    {
                        r.Dispose();
                    }
                }
            }
        }

        /// <summary>
        /// Reads the first <paramref name="count"/> bytes of <paramref name="url"/> into
        /// <paramref name="dest"/> with a ranged request (a 200 answer is fine here) and returns
        /// the probe: the file's total length and ETag as the server states them.
        /// </summary>
        public RangeProbe Probe(string url, byte[] dest, int count)
        {
            ResetFailures();
            while (true)
            {
                CheckAbort();
                IRangeResponse r = null;
                try
                {
                    r = Open(url, 0, count, null, -1, null);
                    int have = 0;
                    while (have < count)
                    {
                        int n = r.Read(dest, have, count - have);
                        if (n <= 0)
                        {
                            break;
                        }

                        have += n;
                        BytesReceived += n;
                    }

                    if (have < count)
                    {
                        if (r.TotalLength >= 0 && r.TotalLength < count)
                        {
                            throw new OtaException(OtaError.ImgTruncated, url + " has only " + r.TotalLength + " bytes");
                        }

                        throw new OtaException(OtaError.NetTimeout, "probe of " + url + " ended after " + have + " bytes");
                    }

                    return new RangeProbe(r.TotalLength, r.ETag);
                }
                catch (OtaException e)
                {
                    if (!IsTransient(e.Code))
                    {
                        throw;
                    }

                    OnTransient(e);
                }
                finally
                {
                    if (r != null)
                    {
                        r.Dispose();
                    }
                }
            }
        }

        /// <summary>
        /// Streams <paramref name="url"/> into <paramref name="writer"/> from the writer's position
        /// to <paramref name="totalLength"/>. The first request of a transfer from offset 0 sends no
        /// Range header; every later one (resume after a failure or a reboot) sends
        /// "Range: bytes=N-" and If-Match <paramref name="etag"/>, and must be answered 206 from N.
        /// </summary>
        public void Fetch(string url, long totalLength, string etag, StagingWriter writer)
        {
            ResetFailures();
            while (writer.Position < totalLength)
            {
                CheckAbort();
                writer.ThrowIfFailed(); // no new request once the staging flash has failed
                IRangeResponse r = null;
                try
                {
                    long from = writer.Position;
                    r = Open(url, from, -1, etag, totalLength, etag);
                    int chunk = _config.BlockSize < _buffer.Length ? _config.BlockSize : _buffer.Length;
                    while (writer.Position < totalLength)
                    {
                        CheckAbort();
                        long left = totalLength - writer.Position;
                        int want = left < chunk ? (int)left : chunk;
                        int n = r.Read(_buffer, 0, want);
                        if (n <= 0)
                        {
                            throw new OtaException(OtaError.NetTimeout, "connection closed at byte " + writer.Position + " of " + totalLength);
                        }

                        BytesReceived += n;
                        ResetFailures();
                        writer.Write(_buffer, 0, n);
                        ProgressHandler p = Progress;
                        if (p != null)
                        {
                            p(writer.Position, totalLength);
                        }
                    }
                }
                catch (OtaException e)
                {
                    if (!IsTransient(e.Code))
                    {
                        throw;
                    }

                    writer.ThrowIfFailed(); // a flash failure outranks the network's
                    OnTransient(e);
                }
                finally
                {
                    if (r != null)
                    {
                        r.Dispose();
                    }
                }
            }
        }

        /// <summary>True for the failures a retry may cure.</summary>
        public static bool IsTransient(OtaError code)
        {
            return code == OtaError.NetTimeout || code == OtaError.NetDown;
        }

        private IRangeResponse Open(string url, long offset, long length, string ifMatch, long expectTotal, string expectEtag)
        {
            Requests++;
            IRangeResponse r = _source.Get(url, offset, length, ifMatch, _config.RequestTimeoutMs);
            bool ok = false;
            try
            {
                int st = r.Status;
                bool ranged = offset > 0 || length >= 0;
                if (st == 503)
                {
                    throw new OtaException(OtaError.NetTimeout, "HTTP 503 (service unavailable) for " + url);
                }

                if (st == 412)
                {
                    throw new OtaException(OtaError.HttpLength, url + " changed on the server (412, ETag now " + r.ETag + ")");
                }

                if (st == 416)
                {
                    throw new OtaException(OtaError.HttpLength, url + " is shorter than byte " + offset + " (416)");
                }

                if (st == 200)
                {
                    if (offset > 0)
                    {
                        throw new OtaException(OtaError.HttpNoRange, "server ignored Range: bytes=" + offset + "- (200 instead of 206) for " + url);
                    }
                }
                else if (st == 206)
                {
                    if (!ranged)
                    {
                        throw new OtaException(OtaError.HttpStatus, "206 to a request without Range for " + url);
                    }

                    if (r.Offset != offset)
                    {
                        throw new OtaException(OtaError.HttpNoRange, "asked for bytes from " + offset + ", got bytes from " + r.Offset + " of " + url);
                    }
                }
                else
                {
                    throw new OtaException(OtaError.HttpStatus, "HTTP " + st + " for " + url);
                }

                if (expectTotal >= 0 && r.TotalLength != expectTotal)
                {
                    throw new OtaException(OtaError.HttpLength, url + " is now " + r.TotalLength + " bytes, expected " + expectTotal);
                }

                if (expectEtag != null && r.ETag != null && r.ETag != expectEtag)
                {
                    throw new OtaException(OtaError.HttpLength, url + " changed on the server (ETag " + r.ETag + ", expected " + expectEtag + ")");
                }

                ok = true;
                return r;
            }
            finally
            {
                if (!ok)
                {
                    r.Dispose();
                }
            }
        }

        private void ResetFailures()
        {
            _failSinceMs = -1;
            _failStreak = 0;
        }

        private void CheckAbort()
        {
            if (_abort)
            {
                throw new OtaException(OtaError.Aborted, "download aborted by the application");
            }
        }

        // One transient failure: give up after RetryTimeoutMs without progress, else reconnect
        // when the link is down and pause before the next attempt.
        private void OnTransient(OtaException e)
        {
            long now = _clock.NowMs;
            if (_failSinceMs < 0)
            {
                _failSinceMs = now;
            }

            if (now - _failSinceMs >= _config.RetryTimeoutMs)
            {
                throw new OtaException(OtaError.NetTimeout,
                    "no progress for " + (now - _failSinceMs) + " ms after " + _failStreak + " retries; last: " + e.Message);
            }

            Retries++;
            _failStreak++;
            RetryHandler h = Retrying;
            if (h != null)
            {
                h(e.Code, e.Message, _failStreak);
            }

            if (!_network.IsConnected)
            {
                _network.Reconnect(_config.RequestTimeoutMs);
            }

            CheckAbort();
            _clock.Sleep(_failStreak % _config.ReconnectCount == 0 ? RoundPauseMs : _config.ReconnectIntervalMs);
        }
    }
}
