using System;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// <see cref="IRangeSource"/> over nanoFramework's HttpWebRequest: AddRange(from) /
    /// AddRange(from, to) send the Range header (HttpClient on nanoFramework cannot), If-Match goes
    /// in as a plain header, Timeout covers connect + headers and ReadWriteTimeout every body read.
    /// A 4xx/5xx answer arrives as a WebException carrying the response, which is returned like any
    /// other status; transport failures become E602 NET_TIMEOUT (E601 NET_DOWN without WiFi).
    /// HTTPS: the device config's root CA becomes <c>HttpsAuthentCert</c> (TLS 1.2), the only CA
    /// the server's certificate may chain to.
    /// </summary>
    public class WebRequestRangeSource : IRangeSource
    {
        private readonly INetworkStatus _network;
        private readonly X509Certificate _rootCa;

        /// <summary>A source gated by <paramref name="network"/>.</summary>
        public WebRequestRangeSource(INetworkStatus network)
            : this(network, null)
        {
        }

        /// <summary>A source gated by <paramref name="network"/> trusting <paramref name="rootCaPem"/> for https (null: http only).</summary>
        public WebRequestRangeSource(INetworkStatus network, string rootCaPem)
        {
            _network = network;
            _rootCa = rootCaPem == null ? null : new X509Certificate(rootCaPem);
        }

        /// <inheritdoc />
        public IRangeResponse Get(string url, long offset, long length, string ifMatchEtag, int timeoutMs)
        {
            if (!_network.IsConnected)
            {
                throw new OtaException(OtaError.NetDown, "WiFi not connected");
            }

            HttpWebRequest request = (HttpWebRequest)WebRequest.Create(url);
            request.Method = "GET";
            request.KeepAlive = true;
            request.Timeout = timeoutMs;
            request.ReadWriteTimeout = timeoutMs;
            if (_rootCa != null)
            {
                request.HttpsAuthentCert = _rootCa;
                request.SslProtocols = SslProtocols.Tls12;
            }
            if (length >= 0)
            {
                request.AddRange((int)offset, (int)(offset + length - 1));
            }
            else if (offset > 0)
            {
                request.AddRange((int)offset);
            }

            if (ifMatchEtag != null)
            {
                request.Headers.Add("If-Match", ifMatchEtag);
            }

            HttpWebResponse response;
            try
            {
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (WebException e)
            {
                response = e.Response as HttpWebResponse;
                if (response == null)
                {
                    request.Dispose();
                    throw new OtaException(OtaError.NetTimeout, "GET " + url + ": " + e.Message);
                }
            }
            catch (Exception e)
            {
                request.Dispose();
                throw new OtaException(OtaError.NetTimeout, "GET " + url + ": " + e.Message);
            }

            return new WebRequestRangeResponse(request, response);
        }
    }
}
