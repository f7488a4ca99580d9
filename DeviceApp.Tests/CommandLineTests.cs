#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.IO;
using Ota.Tools.Commands;
using OtaCore;

namespace DeviceApp.Tests
{
    /// <summary>Bad command lines of serve, sim and fetch fail with one coded error, before doing anything.</summary>
    [TestClass]
    public class CommandLineTests
    {
        [TestMethod]
        public void ServeRejectsBadPortMissingDirAndUnknownFlags()
        {
            Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new ServeCommand().Run(new[] { ".", "--port", "70000" })).Code);
            Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new ServeCommand().Run(new string[0])).Code);
            Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new ServeCommand().Run(new[] { ".", "--bind", "nowhere" })).Code);
            Assert.AreEqual(OtaError.Io, Expect.Throws<OtaException>(() => new ServeCommand().Run(new[] { "/nonexistent/dir" })).Code);
        }

        [TestMethod]
        public void SimRejectsMissingFlashServerAndBadPowerCut()
        {
            string dir = TestImage.TempDir("cli");
            try
            {
                string flash = Path.Combine(dir, "f.bin");
                File.WriteAllBytes(flash, new byte[4096]);
                Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--server", "http://127.0.0.1:1" })).Code);
                Assert.AreEqual(OtaError.Io, Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--flash", Path.Combine(dir, "none.bin"), "--server", "http://127.0.0.1:1" })).Code);
                Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--flash", flash })).Code);
                Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--flash", flash, "--server", "http://127.0.0.1:1", "--power-cut", "12:sideways" })).Code);
                Assert.AreEqual(OtaError.Config, Expect.Throws<OtaException>(() => new SimCommand().Run(new[] { "--flash", flash, "--server", "ftp://x" })).Code);
                Assert.AreEqual(OtaError.Usage, Expect.Throws<OtaException>(() => new FetchCommand().Run(new[] { "http://127.0.0.1:1/x" })).Code);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
