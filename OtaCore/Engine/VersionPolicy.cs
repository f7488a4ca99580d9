using OtaCore.Image;
using OtaCore.State;

namespace OtaCore.Engine
{
    /// <summary>
    /// Which offered versions the device installs (docs/design.md "OtaCore engine"): a newer
    /// version always; the same version only with allow_same_version or when the running image is
    /// UNCONFIRMED (a reinstall); an older version only with allow_downgrade or when the package
    /// header has skip_upgrade_check (a rollback the publisher asked for). The flag never allows
    /// the same version: the device would reinstall the same package at every check. Unknown
    /// running version (no installed header): anything is accepted.
    /// </summary>
    public static class VersionPolicy
    {
        /// <summary>True when <paramref name="offered"/> may replace <paramref name="running"/>.</summary>
        public static bool Accepts(string running, string offered, bool allowSame, bool allowOlder)
        {
            if (running == null)
            {
                return true;
            }

            int c = ImageHeader.CompareVersions(offered, running);
            if (c > 0)
            {
                return true;
            }

            return c == 0 ? allowSame : allowOlder;
        }

        /// <summary>
        /// True in signed mode: <paramref name="required"/> by the configuration, or the
        /// bootloader has seen a signed image (signed-seen flag of <paramref name="r"/>, null = none).
        /// </summary>
        public static bool SignedMode(bool required, OtaStateRecord r)
        {
            return required || (r != null && (r.Flags & OtaStateRecord.FlagSignedSeen) != 0);
        }

        /// <summary>
        /// Anti-rollback exactly as the bootloader applies it (docs/design.md "Anti-rollback"):
        /// E503 INSTALL_ROLLBACK when upd_no is below max_upd_no of <paramref name="r"/> (null =
        /// none), unless not <paramref name="signedMode"/> and the header has skip_upgrade_check.
        /// </summary>
        public static void CheckRollback(ImageHeader h, OtaStateRecord r, bool signedMode)
        {
            if (r != null && h.UpdNo < r.MaxUpdNo && (signedMode || !h.SkipUpgradeCheck))
            {
                throw new OtaException(OtaError.InstallRollback, "upd_no " + h.UpdNo + " is below the anti-rollback counter " + r.MaxUpdNo);
            }
        }

        /// <summary>"newer", "the same" or "older": how <paramref name="offered"/> compares.</summary>
        public static string Describe(string running, string offered)
        {
            if (running == null)
            {
                return "unknown";
            }

            int c = ImageHeader.CompareVersions(offered, running);
            return c > 0 ? "newer" : c == 0 ? "the same" : "older";
        }
    }
}
