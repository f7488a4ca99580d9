#if !NANOFRAMEWORK_1_0
using System.IO;
using DeviceApp.Bindings.Host;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Ota.Tools.Commands;
using Ota.Tools.Serve;
using Ota.Tools.Sim;
using OtaCore;

namespace DeviceApp.Tests
{
    /// <summary>
    /// Signed mode through the whole simulated device: the config's signing_keys are trusted by
    /// the app's engine and built into the simulated bootloader. A package signed with the key
    /// installs and confirms; an unsigned one or one signed by another key never leaves v1.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class SignedSimulatorTests
    {
        private static void Run(Ota.Tools.ICommand cmd, params string[] args)
        {
            Assert.AreEqual(0, cmd.Run(args), "ota " + cmd.Name + " " + string.Join(" ", args));
        }

        private static SimReport Simulate(Fixture fx, string pub, string flashName)
        {
            using var server = fx.StartServer();
            var o = fx.UpdateOptions(server.BaseUrl, fx.FreshFlash(flashName));
            o.Config.SigningKeys.Add(File.ReadAllText(pub));
            o.MaxBoots = 4;
            try
            {
                return new DeviceSimulator(o).Run();
            }
            finally
            {
                BootloaderKeys.Set();
            }
        }

        [TestMethod]
        public void SignedPackageInstallsAndForeignOrUnsignedOnesDoNot()
        {
            var fx = new Fixture("signed-sim", "64K");
            try
            {
                string key = Path.Combine(fx.Dir, "key.pem"), pub = Path.Combine(fx.Dir, "pub.pem");
                string other = Path.Combine(fx.Dir, "other.pem"), otherPub = Path.Combine(fx.Dir, "other_pub.pem");
                Run(new KeygenCommand(), "-o", key, "--pub", pub, "-q");
                Run(new KeygenCommand(), "-o", other, "--pub", otherPub, "-q");

                // The fixture serves an unsigned v2: refused from its header, v1 keeps running.
                SimReport unsigned = Simulate(fx, pub, "unsigned");
                Assert.AreEqual("1.0.0", unsigned.FinalVersion, unsigned.ToText());
                Assert.AreEqual(OtaError.SigMissing, unsigned.Boots[0].App.Update.Error, unsigned.ToText());
                Assert.AreEqual(false, unsigned.BitExact);

                // Signed by a key the device does not trust.
                Run(new SignCommand(), fx.V2Package, "--key", other, "-o", fx.V2Package, "-q");
                SimReport foreign = Simulate(fx, pub, "foreign");
                Assert.AreEqual("1.0.0", foreign.FinalVersion, foreign.ToText());
                Assert.AreEqual(OtaError.SigKeyUnknown, foreign.Boots[0].App.Update.Error, foreign.ToText());

                // Re-signed with the trusted key: engine and bootloader both verify, v2 confirms.
                Run(new SignCommand(), fx.V2Package, "--key", key, "-o", fx.V2Package, "-q");
                SimReport good = Simulate(fx, pub, "good");
                Assert.IsTrue(good.Success, good.ToText());
                Assert.AreEqual(true, good.BitExact, good.BitExactNote);
                Assert.AreEqual("2.0.0", good.FinalVersion);
                Assert.AreEqual("CONFIRMED", good.FinalState);
                Assert.IsTrue(good.Boots[1].Installed, good.ToText());
            }
            finally
            {
                fx.Delete();
            }
        }
    }
}
#endif
