#if !NANOFRAMEWORK_1_0
using System;
using System.IO;
using System.Security.Cryptography;
using DeviceApp.Bindings.Host;
using Ota.Tools.Signing;
using OtaCore.Config;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// A <see cref="DeviceRig"/> for signed-mode tests with the two private keys of
    /// test-vectors/signing (test_key, other_key). Dispose resets the bootloader's built-in keys.
    /// </summary>
    public class SignedDeviceRig : IDisposable
    {
        public readonly DeviceRig Rig = new DeviceRig();
        public readonly ECDsa Key = SigningKeys.LoadPrivate(Vector("test_key.pem"));
        public readonly ECDsa Other = SigningKeys.LoadPrivate(Vector("other_key.pem"));

        /// <summary>Path of a file under test-vectors/signing.</summary>
        public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "test-vectors", "signing", name);

        /// <summary>The rig's config trusting the given public keys (file names under test-vectors/signing).</summary>
        public OtaConfig Config(params string[] pubs)
        {
            OtaConfig c = Rig.Config();
            foreach (string p in pubs) c.SigningKeys.Add(File.ReadAllText(Vector(p)));
            return c;
        }

        public void Dispose()
        {
            BootloaderKeys.Set();
            Key.Dispose();
            Other.Dispose();
            Rig.Dispose();
        }
    }
}
#endif
