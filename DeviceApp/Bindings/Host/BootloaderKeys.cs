using System.Text;
using OtaCore;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// The public keys the simulated bootloader (libotahost's otahost_boot) trusts: on a device they
    /// are built in (CMake OTA_SIGNING_PUBKEY). Process-wide, like the bootloader's static memory.
    /// No keys = unsigned mode; any key = signed mode (docs/design.md section 3).
    /// </summary>
    public static class BootloaderKeys
    {
        /// <summary>Replaces the trusted keys with <paramref name="pems"/> (E807 SIG_KEY_FORMAT for a bad one).</summary>
        public static unsafe void Set(params string[] pems)
        {
            OtaHostLibrary.EnsureLoaded();
            OtaHostLibrary.ClearPubkeys();
            foreach (string pem in pems ?? new string[0])
            {
                byte[] b = Encoding.ASCII.GetBytes(pem);
                int rc;
                fixed (byte* p = b) rc = OtaHostLibrary.AddPubkey(p, (uint)b.Length);
                if (rc != 0)
                {
                    OtaHostLibrary.ClearPubkeys();
                    throw new OtaException((OtaError)rc, "bootloader public key rejected");
                }
            }
        }

        /// <summary>Number of trusted keys (0 = unsigned mode).</summary>
        public static int Count
        {
            get
            {
                OtaHostLibrary.EnsureLoaded();
                return (int)OtaHostLibrary.PubkeyCount();
            }
        }
    }
}
