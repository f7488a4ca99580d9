#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;
using OtaCore.Config;

namespace OtaCore.Tests
{
    [TestClass]
    public class ConfigTests
    {
        [TestMethod]
        public void DefaultsMirrorWinnerMicroMenuconfig()
        {
            OtaConfig c = new OtaConfig();
            Assert.IsTrue(c.OtaEnabled);
            Assert.IsTrue(c.HttpEnabled);
            Assert.AreEqual(4096, c.BlockSize);
            Assert.AreEqual(120000, c.RetryTimeoutMs);
            Assert.AreEqual(5, c.ReconnectCount);
            Assert.AreEqual(50, c.ReconnectIntervalMs);
            Assert.IsFalse(c.AllowDowngrade);
            Assert.IsFalse(c.AllowSameVersion);
            Assert.AreEqual("", c.Server);
        }

        [TestMethod]
        public void ParsesEveryKey()
        {
            OtaConfig c = OtaConfig.Parse("{\"ota_enabled\":false,\"http_enabled\":false,\"block_size\":64,\"retry_timeout_ms\":3600000,"
                + "\"reconnect_count\":9,\"reconnect_interval_ms\":100,\"request_timeout_ms\":2000,\"server\":\"http://10.0.0.2:8080/ota/\","
                + "\"device\":\"esp32-c3\",\"channel\":\"beta\",\"allow_downgrade\":true,\"allow_same_version\":true,\"auto_reboot\":false}");
            Assert.IsFalse(c.OtaEnabled);
            Assert.IsFalse(c.HttpEnabled);
            Assert.AreEqual(64, c.BlockSize);
            Assert.AreEqual(3600000, c.RetryTimeoutMs);
            Assert.AreEqual(9, c.ReconnectCount);
            Assert.AreEqual(100, c.ReconnectIntervalMs);
            Assert.AreEqual(2000, c.RequestTimeoutMs);
            Assert.AreEqual("http://10.0.0.2:8080/ota", c.Server);
            Assert.AreEqual("esp32-c3", c.Device);
            Assert.AreEqual("beta", c.Channel);
            Assert.IsTrue(c.AllowDowngrade);
            Assert.IsTrue(c.AllowSameVersion);
            Assert.IsFalse(c.AutoReboot);
        }

        [TestMethod]
        public void RangeLimitsAreInclusive()
        {
            Assert.AreEqual(65536, OtaConfig.Parse("{\"block_size\":65536}").BlockSize);
            Assert.AreEqual(60000, OtaConfig.Parse("{\"retry_timeout_ms\":60000}").RetryTimeoutMs);
        }

        [TestMethod]
        public void OutOfRangeValuesNameTheKey()
        {
            string[] bad = { "{\"block_size\":63}", "{\"block_size\":65537}", "{\"retry_timeout_ms\":59999}",
                "{\"retry_timeout_ms\":3600001}", "{\"reconnect_count\":0}", "{\"reconnect_interval_ms\":5}", "{\"request_timeout_ms\":10}" };
            string[] keys = { "block_size", "block_size", "retry_timeout_ms", "retry_timeout_ms", "reconnect_count", "reconnect_interval_ms", "request_timeout_ms" };
            for (int i = 0; i < bad.Length; i++)
            {
                OtaException e = OtaAssert.Catch(delegate { OtaConfig.Parse(bad[i]); });
                Assert.IsNotNull(e, bad[i]);
                Assert.AreEqual(OtaError.Config, e.Code);
                Assert.IsTrue(e.Message.StartsWith("E608 CONFIG: " + keys[i] + " = "), e.Message);
            }
        }

        [TestMethod]
        public void WrongTypesUnknownKeysAndBadStringsAreErrors()
        {
            string[] bad = { "{\"block_size\":\"4096\"}", "{\"block_size\":4096.5}", "{\"ota_enabled\":1}", "{\"server\":5}",
                "{\"blocksize\":4096}", "{\"server\":\"ftp://x\"}", "{\"server\":\"https://x\"}", "{\"device\":\"a/b\"}", "{\"channel\":\"\"}", "[]", "{" };
            foreach (string s in bad)
            {
                Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { OtaConfig.Parse(s); }), s);
            }

            OtaException unknown = OtaAssert.Catch(delegate { OtaConfig.Parse("{\"blocksize\":4096}"); });
            Assert.AreEqual("E608 CONFIG: blocksize: unknown key", unknown.Message);
        }

        [TestMethod]
        public void SettersCheckTooAndKeepTheOldValue()
        {
            OtaConfig c = new OtaConfig();
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { c.BlockSize = 70000; }));
            Assert.AreEqual(4096, c.BlockSize);
            c.Server = "";
            Assert.AreEqual("", c.Server);
        }
    }
}
