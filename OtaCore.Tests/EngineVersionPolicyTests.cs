#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore.Engine;

namespace OtaCore.Tests
{
    [TestClass]
    public class EngineVersionPolicyTests
    {
        [TestMethod]
        public void NewerIsAlwaysAccepted()
        {
            Assert.IsTrue(VersionPolicy.Accepts("1.2.9", "1.2.10", false, false));
            Assert.AreEqual("newer", VersionPolicy.Describe("1.2.9", "1.2.10"));
        }

        [TestMethod]
        public void SameNeedsAllowSame()
        {
            Assert.IsFalse(VersionPolicy.Accepts("2.0", "2.0.0", false, true));
            Assert.IsTrue(VersionPolicy.Accepts("2.0", "2.0.0", true, false));
            Assert.AreEqual("the same", VersionPolicy.Describe("2.0", "2.0.0"));
        }

        [TestMethod]
        public void OlderNeedsAllowOlder()
        {
            Assert.IsFalse(VersionPolicy.Accepts("1.10", "1.9", true, false));
            Assert.IsTrue(VersionPolicy.Accepts("1.10", "1.9", false, true));
            Assert.AreEqual("older", VersionPolicy.Describe("1.10", "1.9"));
        }

        [TestMethod]
        public void UnknownRunningVersionAcceptsAnything()
        {
            Assert.IsTrue(VersionPolicy.Accepts(null, "0.0.1", false, false));
        }
    }
}
