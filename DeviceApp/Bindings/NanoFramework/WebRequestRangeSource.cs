using System;
using System.Net;
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
    /// </summary>
    public class WebRequestRangeSource : IRangeSource
    {
        private readonly INetworkStatus _network;

        /// <summary>A source gated by <paramref name="network"/>.</summary>
        public WebRequestRangeSource(INetworkStatus network)
        {
            _network = network;
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
