#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Config;
using OtaCore.Manifest;

namespace OtaCore.Tests
{
    /// <summary>Config keys of signed mode and HTTPS: signing_keys, root_ca, https:// servers.</summary>
    [TestClass]
    public class SecureConfigTests
    {
        private const string Ca = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";

        [TestMethod]
        public void SigningKeysAndRootCaAreRead()
        {
            OtaConfig c = OtaConfig.Parse("{\"server\":\"https://ota.example:8443/fw/\",\"root_ca\":\"" + Ca + "\",\"signing_keys\":[\"AAAA\",\"-----BEGIN PUBLIC KEY-----\\nBBBB\\n-----END PUBLIC KEY-----\"]}");
            Assert.AreEqual("https://ota.example:8443/fw", c.Server);
            Assert.IsTrue(c.Https);
            Assert.AreEqual(2, c.SigningKeys.Count);
            Assert.AreEqual("AAAA", (string)c.SigningKeys[0]);
            Assert.IsTrue(c.RootCa.IndexOf("BEGIN CERTIFICATE") > 0);

            OtaConfig plain = OtaConfig.Parse("{\"server\":\"http://10.0.0.1\"}");
            Assert.IsFalse(plain.Https);
            Assert.AreEqual(0, plain.SigningKeys.Count);
            Assert.IsNull(plain.RootCa);
        }

        [TestMethod]
        public void InsecureOrMalformedSettingsAreConfigErrors()
        {
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"server\":\"https://ota.example\"}"); }));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"root_ca\":\"not pem\"}"); }));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"signing_keys\":\"AAAA\"}"); }));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"signing_keys\":[1]}"); }));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"server\":\"ftp://x\"}"); }));
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse("{\"server\":\"https://\"}"); }));
        }

        [TestMethod]
        public void AbsoluteHttpsPackageUrlsStayAbsolute()
        {
            UpdateManifest m = UpdateManifest.Parse("{\"device\":\"esp32\",\"channel\":\"stable\",\"version\":\"1.0.1\",\"upd_no\":2,\"url\":\"https://cdn.example/a_ota.img\",\"size\":100,\"sha256\":\"" + new string('0', 64) + "\"}", "esp32", "stable");
            Assert.AreEqual("https://cdn.example/a_ota.img", m.ResolveUrl("https://ota.example"));
        }
    }
}
