#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Manifest;

namespace OtaCore.Tests
{
    [TestClass]
    public class ManifestTests
    {
        private const string Sha = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

        private static string Json(string url, string extra)
        {
            return "{\"device\":\"esp32\",\"channel\":\"stable\",\"version\":\"1.2.10\",\"upd_no\":7,\"url\":\"" + url
                + "\",\"size\":1088,\"sha256\":\"" + Sha + "\"" + extra + "}";
        }

        [TestMethod]
        public void ParsesTheServerManifest()
        {
            UpdateManifest m = UpdateManifest.Parse(Json("http://127.0.0.1:9/esp32/stable/fw.img", ",\"crc32\":3405691582"), "esp32", "stable");
            Assert.AreEqual("1.2.10", m.Version);
            Assert.AreEqual(7u, m.UpdNo);
            Assert.AreEqual(1088L, m.Size);
            Assert.AreEqual(32, m.Sha256.Length);
            Assert.AreEqual((byte)0x11, m.Sha256[1]);
            Assert.AreEqual((byte)0xFF, m.Sha256[31]);
            Assert.IsTrue(m.HasCrc32);
            Assert.AreEqual(0xCAFEBABEu, m.Crc32);
            Assert.AreEqual("http://127.0.0.1:9/esp32/stable/fw.img", m.ResolveUrl("http://other"));
        }

        [TestMethod]
        public void Crc32MayBeAHexStringOrAbsent()
        {
            Assert.AreEqual(0xCAFEBABEu, UpdateManifest.Parse(Json("a.img", ",\"crc32\":\"0xcafebabe\""), "esp32", "stable").Crc32);
            Assert.IsFalse(UpdateManifest.Parse(Json("a.img", ""), "esp32", "stable").HasCrc32);
        }

        [TestMethod]
        public void RelativeUrlsResolveAgainstTheServer()
        {
            Assert.AreEqual("http://h:1/ota/esp32/fw.img", UpdateManifest.Parse(Json("esp32/fw.img", ""), null, null).ResolveUrl("http://h:1/ota"));
            Assert.AreEqual("http://h:1/ota/fw.img", UpdateManifest.Parse(Json("/fw.img", ""), null, null).ResolveUrl("http://h:1/ota"));
        }

        [TestMethod]
        public void BadManifestsAreE605WithTheReason()
        {
            string[] bad =
            {
                "not json",
                "{\"device\":\"esp32\"}",
                Json("a.img", "").Replace("\"size\":1088", "\"size\":\"1088\""),
                Json("a.img", "").Replace("\"size\":1088", "\"size\":10"),
                Json("a.img", "").Replace(Sha, "abc"),
                Json("a.img", "").Replace(Sha, Sha.Replace('0', 'g')),
                Json("a.img", ",\"crc32\":\"12\""),
                Json("a.img", ",\"crc32\":-1"),
                Json("", ""),
                Json("a.img", "").Replace("1.2.10", "1234567890123456"),
            };
            foreach (string s in bad)
            {
                OtaException e = OtaAssert.Catch(delegate { UpdateManifest.Parse(s, "esp32", "stable"); });
                Assert.IsNotNull(e, s);
                Assert.AreEqual(OtaError.HttpLength, e.Code, s);
                Assert.IsTrue(e.Message.StartsWith("E605 HTTP_LENGTH: manifest: "), e.Message);
            }
        }

        [TestMethod]
        public void AManifestForAnotherDeviceOrChannelIsRefused()
        {
            Assert.AreEqual(OtaError.HttpLength, OtaAssert.ErrorOf(delegate { UpdateManifest.Parse(Json("a.img", ""), "esp32-s3", "stable"); }));
            Assert.AreEqual(OtaError.HttpLength, OtaAssert.ErrorOf(delegate { UpdateManifest.Parse(Json("a.img", ""), "esp32", "beta"); }));
        }
    }
}
