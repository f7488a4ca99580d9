using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>One response of <see cref="HttpRangeSource"/>; reads go straight into the caller's buffer.</summary>
    internal sealed class HttpRangeResponse : IRangeResponse
    {
        private readonly HttpRangeSource _source;
        private readonly HttpRequestMessage _request;
        private readonly HttpResponseMessage _response;
        private Stream _body;
        private long _read;

        internal HttpRangeResponse(HttpRangeSource source, HttpRequestMessage request, HttpResponseMessage response)
        {
            _source = source;
            _request = request;
            _response = response;
            Status = (int)response.StatusCode;
            var contentHeaders = response.Content.Headers;
            Length = contentHeaders.ContentLength ?? -1;
            var range = contentHeaders.ContentRange;
            if (Status == 206 && range != null)
            {
                Offset = range.From ?? 0;
                TotalLength = range.Length ?? -1;
            }
            else
            {
                Offset = 0;
                TotalLength = Status == 200 ? Length : (range != null && range.Length.HasValue ? range.Length.Value : -1);
            }
            ETag = response.Headers.TryGetValues("ETag", out var etags) ? etags.FirstOrDefault() : null;
        }

        public int Status { get; }

        public long Offset { get; }

        public long Length { get; }

        public long TotalLength { get; }

        public string ETag { get; }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            try
            {
                _body ??= _response.Content.ReadAsStream();
                int n = _body.Read(buffer, offset, count);
                if (n == 0 && Length >= 0 && _read < Length)
                    throw new OtaException(OtaError.NetTimeout, "body ended after " + _read + " of " + Length + " bytes");
                _read += n;
                _source.AddBodyBytes(n);
                return n;
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                throw new OtaException(OtaError.NetTimeout, "body read after " + _read + " bytes: " + HttpRangeSource.Innermost(e));
            }
        }

        public void Dispose()
        {
            _body?.Dispose();
            _response.Dispose();
            _request.Dispose();
        }
    }
}
