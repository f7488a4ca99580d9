using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="IRangeSource"/> over HttpClient (SocketsHttpHandler, keep-alive, synchronous
    /// Send so that reads are plain blocking socket reads). Timeouts: the connect runs under
    /// <c>timeoutMs</c>; every socket read (headers and body) fails after <c>timeoutMs</c> idle,
    /// through the receive timeout of the socket this class creates. Transport failures become
    /// E602 NET_TIMEOUT; a down <see cref="INetworkStatus"/> (when given) fails with E601 NET_DOWN
    /// before any connect. Counts the bytes it received (headers + body) for the simulator summary.
    /// </summary>
    public sealed class HttpRangeSource : IRangeSource, IDisposable
    {
        private readonly HttpClient _client;
        private readonly INetworkStatus _network;
        private volatile int _timeoutMs = 10000;
        private long _bodyBytes, _requests;

        /// <summary>A source; <paramref name="network"/> (optional) gates every request.</summary>
        public HttpRangeSource(INetworkStatus network = null)
        {
            _network = network;
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = ConnectAsync,
            };
            _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        /// <summary>Requests sent so far.</summary>
        public long RequestCount => Interlocked.Read(ref _requests);

        /// <summary>Body bytes received so far (all responses).</summary>
        public long BodyBytesReceived => Interlocked.Read(ref _bodyBytes);

        internal void AddBodyBytes(int n) => Interlocked.Add(ref _bodyBytes, n);

        /// <inheritdoc />
        public IRangeResponse Get(string url, long offset, long length, string ifMatchEtag, int timeoutMs)
        {
            if (_network != null && !_network.IsConnected) throw new OtaException(OtaError.NetDown, "network is down");
            if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset));
            _timeoutMs = timeoutMs;
            Interlocked.Increment(ref _requests);
            var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            if (length >= 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, offset + length - 1);
            else if (offset > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, null);
            if (ifMatchEtag != null) request.Headers.TryAddWithoutValidation("If-Match", ifMatchEtag);
            HttpResponseMessage response;
            try
            {
                response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || e is SocketException || e is OperationCanceledException)
            {
                request.Dispose();
                throw new OtaException(OtaError.NetTimeout, "GET " + url + ": " + Innermost(e));
            }
            try
            {
                return new HttpRangeResponse(this, request, response);
            }
            catch
            {
                response.Dispose();
                request.Dispose();
                throw;
            }
        }

        /// <summary>Closes pooled connections.</summary>
        public void Dispose() => _client.Dispose();

        internal static string Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e.Message;
        }

        private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken token)
        {
            int timeout = _timeoutMs;
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
                cts.CancelAfter(timeout);
                await socket.ConnectAsync(context.DnsEndPoint, cts.Token).ConfigureAwait(false);
                socket.ReceiveTimeout = timeout;
                socket.SendTimeout = timeout;
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                socket.Dispose();
                throw new IOException("connect to " + context.DnsEndPoint + " timed out after " + timeout + " ms");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
