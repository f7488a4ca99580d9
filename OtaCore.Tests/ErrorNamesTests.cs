#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using OtaCore;

namespace OtaCore.Tests
{
    [TestClass]
    public class ErrorNamesTests
    {
        [TestMethod]
        public void MessagePrefixNamesCodeAndName()
        {
            Assert.AreEqual("E102 IMG_MAGIC: bad", OtaErrorNames.Format(OtaError.ImgMagic, "bad"));
            Assert.AreEqual("XZ_CHECK", OtaErrorNames.Name(OtaError.XzCheck));
            Assert.AreEqual("PACKAGE_REJECTED", OtaErrorNames.Name(OtaError.PackageRejected));
            Assert.AreEqual(611, (int)OtaError.PackageRejected);
            Assert.AreEqual("UNKNOWN", OtaErrorNames.Name((OtaError)12345));
        }
    }
}
