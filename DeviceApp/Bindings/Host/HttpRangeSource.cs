using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
    /// HTTPS: with a root CA (the device config's <c>root_ca</c>) the server's chain must lead to that
    /// CA and nothing else (and name the host); a failed handshake or chain is E610 TLS.
    /// </summary>
    public sealed class HttpRangeSource : IRangeSource, IDisposable
    {
        private readonly HttpClient _client;
        private readonly INetworkStatus _network;
        private volatile int _timeoutMs = 10000;
        private long _bodyBytes, _requests;
        private readonly X509Certificate2 _rootCa;

        /// <summary>
        /// A source; <paramref name="network"/> (optional) gates every request;
        /// <paramref name="rootCaPem"/> (optional) is the only CA trusted for https:// servers.
        /// </summary>
        public HttpRangeSource(INetworkStatus network = null, string rootCaPem = null)
        {
            _network = network;
            if (rootCaPem != null)
            {
                try
                {
                    _rootCa = X509Certificate2.CreateFromPem(rootCaPem);
                }
                catch (CryptographicException e)
                {
                    throw new OtaException(OtaError.Config, "root_ca is not a PEM certificate: " + e.Message);
                }
            }
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = ConnectAsync,
            };
            if (_rootCa != null)
            {
                handler.SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = ChainsToRootCa,
                };
            }
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
                // The TLS handshake runs on async reads that the socket's receive timeout does not
                // bound: for https the whole exchange up to the headers gets timeoutMs instead.
                try
                {
                    response = Send(request, timeoutMs);
                }
                catch (Exception e) when (IsStaleConnection(e))
                {
                    // A kept-alive connection the server had already closed (nginx does so after a
                    // 412): nothing was answered, so the request goes once more on a new connection.
                    var again = Clone(request);
                    request.Dispose();
                    request = again;
                    response = Send(request, timeoutMs);
                }
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || e is SocketException || e is OperationCanceledException)
            {
                request.Dispose();
                if (IsTls(e)) throw new OtaException(OtaError.Tls, "GET " + url + ": " + Innermost(e));
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

        private HttpResponseMessage Send(HttpRequestMessage request, int timeoutMs)
        {
            using var handshake = request.RequestUri.Scheme == Uri.UriSchemeHttps ? new CancellationTokenSource(timeoutMs) : null;
            return _client.Send(request, HttpCompletionOption.ResponseHeadersRead, handshake?.Token ?? CancellationToken.None);
        }

        /// <summary>True when the server closed or reset the connection before answering anything.</summary>
        private static bool IsStaleConnection(Exception e)
        {
            if (e is HttpRequestException h && h.HttpRequestError == HttpRequestError.ResponseEnded) return true;
            for (Exception x = e; x != null; x = x.InnerException)
            {
                if (x is SocketException se && (se.SocketErrorCode == SocketError.ConnectionReset || se.SocketErrorCode == SocketError.ConnectionAborted))
                    return true;
            }
            return false;
        }

        private static HttpRequestMessage Clone(HttpRequestMessage r)
        {
            var c = new HttpRequestMessage(r.Method, r.RequestUri) { Version = r.Version, VersionPolicy = r.VersionPolicy };
            foreach (var h in r.Headers) c.Headers.TryAddWithoutValidation(h.Key, h.Value);
            return c;
        }

        /// <summary>Closes pooled connections.</summary>
        public void Dispose() => _client.Dispose();

        private static bool IsTls(Exception e)
        {
            for (; e != null; e = e.InnerException)
                if (e is AuthenticationException) return true;
            return false;
        }

        // The server's chain must end at the configured CA (no system roots) and name the host.
        private bool ChainsToRootCa(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                return false;
            using var own = new X509Chain();
            own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            own.ChainPolicy.CustomTrustStore.Add(_rootCa);
            own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain != null)
                foreach (var element in chain.ChainElements) own.ChainPolicy.ExtraStore.Add(element.Certificate);
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return own.Build(leaf);
        }

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
