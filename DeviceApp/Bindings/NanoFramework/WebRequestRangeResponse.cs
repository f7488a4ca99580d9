using System;
using System.IO;
using System.Net;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>One HttpWebResponse as an <see cref="IRangeResponse"/>; body reads go into the caller's buffer.</summary>
    internal class WebRequestRangeResponse : IRangeResponse
    {
        private readonly HttpWebRequest _request;
        private readonly HttpWebResponse _response;
        private Stream _body;
        private long _read;
        private readonly int _status;
        private readonly long _offset;
        private readonly long _length;
        private readonly long _total;
        private readonly string _etag;

        internal WebRequestRangeResponse(HttpWebRequest request, HttpWebResponse response)
        {
            _request = request;
            _response = response;
            _status = (int)response.StatusCode;
            _length = response.ContentLength;
            _etag = response.Headers["ETag"];
            _offset = 0;
            _total = _status == 200 ? _length : -1;
            string range = response.Headers["Content-Range"];
            if (range != null)
            {
                ParseContentRange(range, _status == 206, ref _offset, ref _total);
            }
        }

        public int Status
        {
            get { return _status; }
        }

        public long Offset
        {
            get { return _offset; }
        }

        public long Length
        {
            get { return _length; }
        }

        public long TotalLength
        {
            get { return _total; }
        }

        public string ETag
        {
            get { return _etag; }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0 || (_length >= 0 && _read >= _length))
            {
                return 0;
            }

            int n;
            try
            {
                if (_body == null)
                {
                    _body = _response.GetResponseStream();
                }

                n = _body.Read(buffer, offset, count);
            }
            catch (Exception e)
            {
                throw new OtaException(OtaError.NetTimeout, "body read after " + _read + " bytes: " + e.Message);
            }

            if (n <= 0 && _length >= 0 && _read < _length)
            {
                throw new OtaException(OtaError.NetTimeout, "body ended after " + _read + " of " + _length + " bytes");
            }

            _read += n > 0 ? n : 0;
            return n > 0 ? n : 0;
        }

        public void Dispose()
        {
            if (_body != null)
            {
                _body.Dispose();
            }

            _response.Dispose();
            _request.Dispose();
        }

        /// <summary>"bytes 100-199/1000" or "bytes */1000".</summary>
        private static void ParseContentRange(string v, bool partial, ref long offset, ref long total)
        {
            int space = v.IndexOf(' ');
            int slash = v.IndexOf('/');
            if (space < 0 || slash < space)
            {
                return;
            }

            string t = v.Substring(slash + 1).Trim();
            if (t != "*")
            {
                total = long.Parse(t);
            }

            string r = v.Substring(space + 1, slash - space - 1);
            int dash = r.IndexOf('-');
            if (partial && dash > 0)
            {
                offset = long.Parse(r.Substring(0, dash));
            }
        }
    }
}
