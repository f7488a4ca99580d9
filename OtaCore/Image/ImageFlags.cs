namespace OtaCore.Image
{
    /// <summary>Bit masks of the flags word (header offset 0x30).</summary>
    public static class ImageFlags
    {
        /// <summary>Bits 2:0, <c>log_level</c>.</summary>
        public const uint LogLevelMask = 0x00000007;
        /// <summary>Bit 3, <c>skip_esc_check</c> (kept for compatibility, no effect).</summary>
        public const uint SkipEscCheck = 0x00000008;
        /// <summary>Bit 4, <c>skip_upgrade_check</c>: accept a version that is not newer.</summary>
        public const uint SkipUpgradeCheck = 0x00000010;
        /// <summary>Bit 5, <c>skip_integrity_check</c>: no CRC re-check of the installed app at each boot.</summary>
        public const uint SkipIntegrityCheck = 0x00000020;
        /// <summary>Every defined bit; bits 31:6 must be 0.</summary>
        public const uint KnownBits = 0x0000003F;
    }
}
