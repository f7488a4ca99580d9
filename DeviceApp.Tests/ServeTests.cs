#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ota.Tools.Serve;

namespace DeviceApp.Tests
{
    [TestClass]
    public class ServeTests
    {
        private static string _dir;
        private static byte[] _file;
        private static HttpFileServer _server;
        private static HttpClient _http;

        [ClassInitialize]
        public static void Start(TestContext _)
        {
            _dir = TestImage.TempDir("serve");
            _file = TestImage.RandomFile(Path.Combine(_dir, "blob.bin"), 300000, 7);
            Directory.CreateDirectory(Path.Combine(_dir, "esp32", "beta"));
            File.WriteAllBytes(Path.Combine(_dir, "esp32", "beta", "fw-1.9.0.img"), TestImage.Build("1.9.0", 3, 4000, 1));
            File.WriteAllBytes(Path.Combine(_dir, "esp32", "beta", "fw-1.10.0.img"), TestImage.Build("1.10.0", 4, 4000, 2));
            File.WriteAllBytes(Path.Combine(_dir, "esp32", "beta", "garbage.img"), new byte[100]);
            File.WriteAllBytes(Path.Combine(_dir, "root-2.0.img"), TestImage.Build("2.0", 1, 800, 3));
            _server = new HttpFileServer(_dir, log: TextWriter.Null);
            _server.Start();
            _http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        }

        [ClassCleanup]
        public static void Stop()
        {
            _http.Dispose();
            _server.Dispose();
            Directory.Delete(_dir, true);
        }

        private static HttpResponseMessage Get(string path, Action<HttpRequestMessage> setup = null, HttpMethod method = null)
        {
            var req = new HttpRequestMessage(method ?? HttpMethod.Get, path);
            setup?.Invoke(req);
            return _http.Send(req);
        }

        [TestMethod]
        public void WholeFileIs200WithLengthEtagAndLastModified()
        {
            using var r = Get("/blob.bin");
            Assert.AreEqual(HttpStatusCode.OK, r.StatusCode);
            CollectionAssertEqual(_file, r.Content.ReadAsByteArrayAsync().Result);
            Assert.AreEqual(_file.Length, (int)r.Content.Headers.ContentLength);
            Assert.IsFalse(r.Headers.ETag.IsWeak);
            Assert.IsTrue(r.Headers.ETag.Tag.Length > 4);
            Assert.IsNotNull(r.Content.Headers.LastModified);
            Assert.AreEqual("bytes", string.Join(",", r.Headers.AcceptRanges));
        }

        [TestMethod]
        public void RangeIs206WithContentRangeAndExactBytes()
        {
            using var r = Get("/blob.bin", q => q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 70999));
            Assert.AreEqual(HttpStatusCode.PartialContent, r.StatusCode);
            var cr = r.Content.Headers.ContentRange;
            Assert.AreEqual(1000L, cr.From);
            Assert.AreEqual(70999L, cr.To);
            Assert.AreEqual((long)_file.Length, cr.Length);
            CollectionAssertEqual(_file.Skip(1000).Take(70000).ToArray(), r.Content.ReadAsByteArrayAsync().Result);
        }

        [TestMethod]
        public void OpenAndSuffixRangesResolveAgainstTheLength()
        {
            using var open = Get("/blob.bin", q => q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(299990, null));
            Assert.AreEqual(HttpStatusCode.PartialContent, open.StatusCode);
            CollectionAssertEqual(_file.Skip(299990).ToArray(), open.Content.ReadAsByteArrayAsync().Result);
            using var suffix = Get("/blob.bin", q => q.Headers.TryAddWithoutValidation("Range", "bytes=-5"));
            Assert.AreEqual(HttpStatusCode.PartialContent, suffix.StatusCode);
            CollectionAssertEqual(_file.Skip(_file.Length - 5).ToArray(), suffix.Content.ReadAsByteArrayAsync().Result);
            using var pastEnd = Get("/blob.bin", q => q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(299999, 999999));
            Assert.AreEqual(1L, pastEnd.Content.Headers.ContentLength);
        }

        [TestMethod]
        public void UnsatisfiableRangeIs416WithStarContentRange()
        {
            using var r = Get("/blob.bin", q => q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(300000, null));
            Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, r.StatusCode);
            Assert.AreEqual((long)_file.Length, r.Content.Headers.ContentRange.Length);
            Assert.IsFalse(r.Content.Headers.ContentRange.HasRange);
        }

        [TestMethod]
        public void MultiRangeAndMalformedRangeGetTheWholeFile()
        {
            using var multi = Get("/blob.bin", q => q.Headers.TryAddWithoutValidation("Range", "bytes=0-1,5-6"));
            Assert.AreEqual(HttpStatusCode.OK, multi.StatusCode);
            Assert.AreEqual((long)_file.Length, multi.Content.Headers.ContentLength);
            Assert.AreEqual(ByteRange.Outcome.Whole, ByteRange.Resolve("bytes=9-3", 100, out _));
            Assert.AreEqual(ByteRange.Outcome.Whole, ByteRange.Resolve("items=0-3", 100, out _));
            Assert.AreEqual(ByteRange.Outcome.Unsatisfiable, ByteRange.Resolve("bytes=-0", 100, out _));
        }

        [TestMethod]
        public void HeadSendsHeadersOnly()
        {
            using var client = new TcpClient("127.0.0.1", _server.Port);
            var s = client.GetStream();
            byte[] req = Encoding.ASCII.GetBytes("HEAD /blob.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            s.Write(req, 0, req.Length);
            string all = new StreamReader(s, Encoding.ASCII).ReadToEnd();
            Assert.IsTrue(all.StartsWith("HTTP/1.1 200 OK\r\n"), all);
            Assert.IsTrue(all.Contains("Content-Length: 300000\r\n"), all);
            Assert.IsTrue(all.EndsWith("\r\n\r\n"), "HEAD must not carry a body: " + all.Length + " chars");
        }

        [TestMethod]
        public void ConditionalRequestsUseTheStrongEtag()
        {
            using var first = Get("/blob.bin", q => q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 0));
            string etag = first.Headers.ETag.ToString();
            using var match = Get("/blob.bin", q => { q.Headers.TryAddWithoutValidation("If-Match", etag); q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19); });
            Assert.AreEqual(HttpStatusCode.PartialContent, match.StatusCode);
            using var mismatch = Get("/blob.bin", q => q.Headers.TryAddWithoutValidation("If-Match", "\"other\""));
            Assert.AreEqual(HttpStatusCode.PreconditionFailed, mismatch.StatusCode);
            using var notModified = Get("/blob.bin", q => q.Headers.TryAddWithoutValidation("If-None-Match", etag));
            Assert.AreEqual(HttpStatusCode.NotModified, notModified.StatusCode);
            using var ifRangeStale = Get("/blob.bin", q => { q.Headers.TryAddWithoutValidation("If-Range", "\"stale\""); q.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19); });
            Assert.AreEqual(HttpStatusCode.OK, ifRangeStale.StatusCode);
        }

        [TestMethod]
        public void EtagChangesWhenTheContentChanges()
        {
            string path = Path.Combine(_dir, "changing.bin");
            File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
            using var a = Get("/changing.bin");
            File.WriteAllBytes(path, new byte[] { 1, 2, 4 });
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
            using var b = Get("/changing.bin");
            Assert.AreNotEqual(a.Headers.ETag.Tag, b.Headers.ETag.Tag);
            using var stale = Get("/changing.bin", q => q.Headers.TryAddWithoutValidation("If-Match", a.Headers.ETag.Tag));
            Assert.AreEqual(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        [TestMethod]
        public void MissingFilesAndEscapesAre404()
        {
            using var missing = Get("/nope.bin");
            Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
            using var client = new TcpClient("127.0.0.1", _server.Port);
            var s = client.GetStream();
            byte[] req = Encoding.ASCII.GetBytes("GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            s.Write(req, 0, req.Length);
            string all = new StreamReader(s, Encoding.ASCII).ReadToEnd();
            Assert.IsTrue(all.StartsWith("HTTP/1.1 404 "), all);
        }

        [TestMethod]
        public void KeepAliveServesSeveralRequestsOnOneConnection()
        {
            using var server = new HttpFileServer(_dir, log: TextWriter.Null);
            server.Start();
            using var http = new HttpClient();
            for (int i = 0; i < 5; i++)
            {
                using var r = http.Send(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/blob.bin") { Headers = { Range = new System.Net.Http.Headers.RangeHeaderValue(i, i) } });
                Assert.AreEqual(_file[i], r.Content.ReadAsByteArrayAsync().Result[0]);
            }
            Assert.AreEqual(5L, server.RequestCount);
            Assert.AreEqual(1L, server.ConnectionCount);
        }

        [TestMethod]
        public void ManifestNamesTheNewestVersionWithSizeAndHash()
        {
            using var r = Get("/manifest/esp32/beta.json");
            Assert.AreEqual(HttpStatusCode.OK, r.StatusCode);
            using var doc = JsonDocument.Parse(r.Content.ReadAsStringAsync().Result);
            var m = doc.RootElement;
            Assert.AreEqual("esp32", m.GetProperty("device").GetString());
            Assert.AreEqual("beta", m.GetProperty("channel").GetString());
            Assert.AreEqual("1.10.0", m.GetProperty("version").GetString(), "1.10.0 is newer than 1.9.0");
            Assert.AreEqual(4u, m.GetProperty("upd_no").GetUInt32());
            byte[] img = File.ReadAllBytes(Path.Combine(_dir, "esp32", "beta", "fw-1.10.0.img"));
            Assert.AreEqual((long)img.Length, m.GetProperty("size").GetInt64());
            Assert.AreEqual(Convert.ToHexString(SHA256.HashData(img)).ToLowerInvariant(), m.GetProperty("sha256").GetString());
            Assert.AreEqual(BitConverter.ToUInt32(img, 0x18), m.GetProperty("crc32").GetUInt32());
            string url = m.GetProperty("url").GetString();
            Assert.AreEqual(_server.BaseUrl + "/esp32/beta/fw-1.10.0.img", url);
            using var pkg = _http.Send(new HttpRequestMessage(HttpMethod.Get, url));
            CollectionAssertEqual(img, pkg.Content.ReadAsByteArrayAsync().Result);
        }

        [TestMethod]
        public void ImagesAtTheRootAreDefaultStable()
        {
            using var r = Get("/manifest/default/stable.json");
            Assert.AreEqual(HttpStatusCode.OK, r.StatusCode);
            using var doc = JsonDocument.Parse(r.Content.ReadAsStringAsync().Result);
            Assert.AreEqual("2.0", doc.RootElement.GetProperty("version").GetString());
            using var none = Get("/manifest/esp32/nightly.json");
            Assert.AreEqual(HttpStatusCode.NotFound, none.StatusCode);
            using var traversal = Get("/manifest/../stable.json");
            Assert.AreEqual(HttpStatusCode.NotFound, traversal.StatusCode);
        }

        [TestMethod]
        public void FaultHookCanForceStatusAndDropTheBody()
        {
            using var server = new HttpFileServer(_dir, log: TextWriter.Null);
            server.Faults = new ByRequestNumber();
            server.Start();
            using var http = new HttpClient();
            using var first = http.Send(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/blob.bin"));
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            using var second = http.Send(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/blob.bin"), HttpCompletionOption.ResponseHeadersRead);
            Assert.AreEqual(HttpStatusCode.OK, second.StatusCode);
            var body = second.Content.ReadAsStream();
            var buf = new byte[400000];
            int total = 0;
            Expect.Throws<IOException>(() => { int n; while ((n = body.Read(buf, total, buf.Length - total)) > 0) total += n; });
            Assert.AreEqual(1000, total);
        }

        private sealed class ByRequestNumber : IServeFaultHook
        {
            public ServeFault Plan(HttpRequestHead request) => request.Number switch
            {
                1 => new ServeFault { Status = 503 },
                2 => new ServeFault { DropAfterBytes = 1000 },
                _ => null,
            };
        }

        internal static void CollectionAssertEqual(byte[] expected, byte[] actual)
        {
            Assert.AreEqual(expected.Length, actual.Length, "length");
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i]) Assert.AreEqual(expected[i], actual[i], "byte " + i);
            }
        }
    }
}
