namespace OtaCore
{
    /// <summary>Names of <see cref="OtaError"/> codes as they appear in messages ("IMG_MAGIC").</summary>
    public static class OtaErrorNames
    {
        /// <summary>The upper-case name of an error code, or "UNKNOWN".</summary>
        public static string Name(OtaError code)
        {
            switch (code)
            {
                case OtaError.Ok: return "OK";
                case OtaError.ImgTruncated: return "IMG_TRUNCATED";
                case OtaError.ImgMagic: return "IMG_MAGIC";
                case OtaError.ImgHeaderCrc: return "IMG_HEADER_CRC";
                case OtaError.ImgType: return "IMG_TYPE";
                case OtaError.ImgAttr: return "IMG_ATTR";
                case OtaError.ImgCompress: return "IMG_COMPRESS";
                case OtaError.ImgLength: return "IMG_LENGTH";
                case OtaError.ImgBodyCrc: return "IMG_BODY_CRC";
                case OtaError.ImgVersion: return "IMG_VERSION";
                case OtaError.ImgFlags: return "IMG_FLAGS";
                case OtaError.ImgReserved: return "IMG_RESERVED";
                case OtaError.ImgNext: return "IMG_NEXT";
                case OtaError.ImgAddr: return "IMG_ADDR";
                case OtaError.ImgTooLarge: return "IMG_TOO_LARGE";
                case OtaError.ImgInner: return "IMG_INNER";
                case OtaError.ImgInnerMismatch: return "IMG_INNER_MISMATCH";
                case OtaError.ImgTrailing: return "IMG_TRAILING";
                case OtaError.ImgOldVersion: return "IMG_OLD_VERSION";
                case OtaError.XzFormat: return "XZ_FORMAT";
                case OtaError.XzOptions: return "XZ_OPTIONS";
                case OtaError.XzData: return "XZ_DATA";
                case OtaError.XzCheck: return "XZ_CHECK";
                case OtaError.XzMemlimit: return "XZ_MEMLIMIT";
                case OtaError.XzTruncated: return "XZ_TRUNCATED";
                case OtaError.XzOutputLimit: return "XZ_OUTPUT_LIMIT";
                case OtaError.FlashRange: return "FLASH_RANGE";
                case OtaError.FlashAlign: return "FLASH_ALIGN";
                case OtaError.FlashNor: return "FLASH_NOR";
                case OtaError.FlashIo: return "FLASH_IO";
                case OtaError.FlashPowerCut: return "FLASH_POWER_CUT";
                case OtaError.StateNoneValid: return "STATE_NONE_VALID";
                case OtaError.StateTransition: return "STATE_TRANSITION";
                case OtaError.StateBitmapFull: return "STATE_BITMAP_FULL";
                case OtaError.InstallNoApp: return "INSTALL_NO_APP";
                case OtaError.InstallVerify: return "INSTALL_VERIFY";
                case OtaError.InstallRollback: return "INSTALL_ROLLBACK";
                case OtaError.NetDown: return "NET_DOWN";
                case OtaError.NetTimeout: return "NET_TIMEOUT";
                case OtaError.HttpStatus: return "HTTP_STATUS";
                case OtaError.HttpNoRange: return "HTTP_NO_RANGE";
                case OtaError.HttpLength: return "HTTP_LENGTH";
                case OtaError.NoUpdate: return "NO_UPDATE";
                case OtaError.OtaDisabled: return "OTA_DISABLED";
                case OtaError.Config: return "CONFIG";
                case OtaError.Aborted: return "ABORTED";
                case OtaError.Tls: return "TLS";
                case OtaError.PackageRejected: return "PACKAGE_REJECTED";
                case OtaError.PtSyntax: return "PT_SYNTAX";
                case OtaError.PtAlign: return "PT_ALIGN";
                case OtaError.PtOverlap: return "PT_OVERLAP";
                case OtaError.PtMissing: return "PT_MISSING";
                case OtaError.PtStagingSmall: return "PT_STAGING_SMALL";
                case OtaError.PtBinary: return "PT_BINARY";
                case OtaError.PtRange: return "PT_RANGE";
                case OtaError.PtDuplicate: return "PT_DUPLICATE";
                case OtaError.SigMissing: return "SIG_MISSING";
                case OtaError.SigFormat: return "SIG_FORMAT";
                case OtaError.SigAlgorithm: return "SIG_ALGORITHM";
                case OtaError.SigKeyUnknown: return "SIG_KEY_UNKNOWN";
                case OtaError.SigBad: return "SIG_BAD";
                case OtaError.SigHash: return "SIG_HASH";
                case OtaError.SigKeyFormat: return "SIG_KEY_FORMAT";
                case OtaError.SigNomem: return "SIG_NOMEM";
                case OtaError.Usage: return "USAGE";
                case OtaError.Io: return "IO";
                case OtaError.PushInvitation: return "PUSH_INVITATION";
                case OtaError.PushAuth: return "PUSH_AUTH";
                case OtaError.PushBusy: return "PUSH_BUSY";
                case OtaError.PushSize: return "PUSH_SIZE";
                case OtaError.PushMd5: return "PUSH_MD5";
                case OtaError.PushConnection: return "PUSH_CONNECTION";
                case OtaError.PushProtocol: return "PUSH_PROTOCOL";
                case OtaError.DataTarget: return "DATA_TARGET";
                case OtaError.DataNoBackup: return "DATA_NO_BACKUP";
                case OtaError.DataBackup: return "DATA_BACKUP";
                default: return "UNKNOWN";
            }
        }

        /// <summary>Formats the one-line message prefix: "E102 IMG_MAGIC: detail".</summary>
        public static string Format(OtaError code, string detail)
        {
            return "E" + ((int)code).ToString() + " " + Name(code) + ": " + detail;
        }
    }
}
