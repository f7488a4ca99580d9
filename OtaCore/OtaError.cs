namespace OtaCore
{
    /// <summary>
    /// Error codes shared with the native bootloader (docs/design.md section 7, C mirror:
    /// bootloader-native/core/include/ota_err.h). 0 is success.
    /// </summary>
    public enum OtaError
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>input shorter than the header, or than header + img_len (+ signature block).</summary>
        ImgTruncated = 101,
        /// <summary>magic_no is not 0xA0FFFF9F.</summary>
        ImgMagic = 102,
        /// <summary>hd_checksum does not match bytes 0..59.</summary>
        ImgHeaderCrc = 103,
        /// <summary>img_type not supported.</summary>
        ImgType = 104,
        /// <summary>unsupported img_attr bits (encryption, gzip, psram_io, unknown bits).</summary>
        ImgAttr = 105,
        /// <summary>compress_type not 0 or 1.</summary>
        ImgCompress = 106,
        /// <summary>img_len is 0 or not a multiple of 4.</summary>
        ImgLength = 107,
        /// <summary>org_checksum does not match the body.</summary>
        ImgBodyCrc = 108,
        /// <summary>ver empty, not NUL-terminated, or not printable ASCII.</summary>
        ImgVersion = 109,
        /// <summary>reserved bits of the flags word (0x30) set.</summary>
        ImgFlags = 110,
        /// <summary>reserved word (0x34) not 0.</summary>
        ImgReserved = 111,
        /// <summary>next set where multi-image is not supported.</summary>
        ImgNext = 112,
        /// <summary>an address field does not match the partition table.</summary>
        ImgAddr = 113,
        /// <summary>body (or decompressed image) larger than the target, or package larger than staging.</summary>
        ImgTooLarge = 114,
        /// <summary>the decompressed inner image is invalid (its own error follows).</summary>
        ImgInner = 115,
        /// <summary>inner header disagrees with the outer one.</summary>
        ImgInnerMismatch = 116,
        /// <summary>bytes after the declared image.</summary>
        ImgTrailing = 117,
        /// <summary>version not newer than the running one (and policy forbids).</summary>
        ImgOldVersion = 118,
        /// <summary>not an XZ stream (magic, header CRC, reserved bits).</summary>
        XzFormat = 201,
        /// <summary>unsupported filter, check type or options.</summary>
        XzOptions = 202,
        /// <summary>corrupt compressed data.</summary>
        XzData = 203,
        /// <summary>integrity check (CRC32/CRC64/SHA-256) mismatch.</summary>
        XzCheck = 204,
        /// <summary>dictionary larger than the decoder may use.</summary>
        XzMemlimit = 205,
        /// <summary>input ended before the stream end.</summary>
        XzTruncated = 206,
        /// <summary>output larger than allowed (decompression bomb).</summary>
        XzOutputLimit = 207,
        /// <summary>access outside the flash.</summary>
        FlashRange = 301,
        /// <summary>misaligned program/erase.</summary>
        FlashAlign = 302,
        /// <summary>program would set a bit from 0 to 1 (NOR rule).</summary>
        FlashNor = 303,
        /// <summary>flash backend I/O failure.</summary>
        FlashIo = 304,
        /// <summary>injected power cut (simulator only).</summary>
        FlashPowerCut = 305,
        /// <summary>no valid state record (both torn) while one was expected.</summary>
        StateNoneValid = 401,
        /// <summary>state change not allowed from the current state.</summary>
        StateTransition = 402,
        /// <summary>staging larger than the progress bitmap covers.</summary>
        StateBitmapFull = 403,
        /// <summary>no bootable app (partly written, or invalid).</summary>
        InstallNoApp = 501,
        /// <summary>installed image does not verify after install.</summary>
        InstallVerify = 502,
        /// <summary>upd_no below the anti-rollback counter.</summary>
        InstallRollback = 503,
        /// <summary>network not connected.</summary>
        NetDown = 601,
        /// <summary>retry timeout elapsed while reconnecting.</summary>
        NetTimeout = 602,
        /// <summary>unexpected HTTP status (404, 500, ...).</summary>
        HttpStatus = 603,
        /// <summary>server ignored Range when resuming.</summary>
        HttpNoRange = 604,
        /// <summary>server length disagrees with the header / changed between requests.</summary>
        HttpLength = 605,
        /// <summary>manifest says there is nothing newer (not an error for the state machine).</summary>
        NoUpdate = 606,
        /// <summary>OTA or HTTP disabled in config.</summary>
        OtaDisabled = 607,
        /// <summary>invalid configuration value.</summary>
        Config = 608,
        /// <summary>aborted by the application.</summary>
        Aborted = 609,
        /// <summary>TLS handshake failed or the server certificate does not chain to the configured root CA.</summary>
        Tls = 610,
        /// <summary>the server still offers the package this device rejected (last_error); not downloaded again.</summary>
        PackageRejected = 611,
        /// <summary>partition CSV syntax error (with line number).</summary>
        PtSyntax = 701,
        /// <summary>partition misaligned.</summary>
        PtAlign = 702,
        /// <summary>partitions overlap.</summary>
        PtOverlap = 703,
        /// <summary>required partition missing.</summary>
        PtMissing = 704,
        /// <summary>staging less than 40 % of app.</summary>
        PtStagingSmall = 705,
        /// <summary>binary table malformed (magic, MD5, size).</summary>
        PtBinary = 706,
        /// <summary>partition outside the flash.</summary>
        PtRange = 707,
        /// <summary>duplicate partition name.</summary>
        PtDuplicate = 708,
        /// <summary>image not signed (img_attr.signature = 0) where a signature is required (signed mode).</summary>
        SigMissing = 801,
        /// <summary>signature block malformed (magic, version, CRC, reserved bytes, DER encoding).</summary>
        SigFormat = 802,
        /// <summary>signature algorithm not supported (only 1 = ECDSA P-256 / SHA-256).</summary>
        SigAlgorithm = 803,
        /// <summary>key id is not one of the trusted public keys.</summary>
        SigKeyUnknown = 804,
        /// <summary>signature does not verify (image or block modified, or signed by another key).</summary>
        SigBad = 805,
        /// <summary>decompressed or installed image differs from the signed SHA-256 / size.</summary>
        SigHash = 806,
        /// <summary>key file or built-in key is not an ECDSA P-256 key in PEM.</summary>
        SigKeyFormat = 807,
        /// <summary>the signature check's RAM arena is too small for mbedTLS' bignums (bootloader).</summary>
        SigNomem = 808,
        /// <summary>command-line usage error.</summary>
        Usage = 901,
        /// <summary>file could not be read or written.</summary>
        Io = 902,
        /// <summary>network-push invitation or auth message malformed (command, port, size, MD5 field).</summary>
        PushInvitation = 1001,
        /// <summary>network-push authentication failed (wrong or missing password).</summary>
        PushAuth = 1002,
        /// <summary>network push refused for now: another push in progress, or back-off after failed logins.</summary>
        PushBusy = 1003,
        /// <summary>pushed byte count differs from the size in the invitation.</summary>
        PushSize = 1004,
        /// <summary>MD5 of the pushed file differs from the one in the invitation.</summary>
        PushMd5 = 1005,
        /// <summary>network-push data connection failed, timed out or dropped.</summary>
        PushConnection = 1006,
        /// <summary>network-push peer answered outside the protocol.</summary>
        PushProtocol = 1007,
        /// <summary>data-update target is not an updatable data partition, or the backup is the running app, the target or otadata.</summary>
        DataTarget = 1101,
        /// <summary>no backup location holds the backup length (no backup partition, staging too small or in use).</summary>
        DataNoBackup = 1102,
        /// <summary>the stored backup does not match its CRC: restore refused.</summary>
        DataBackup = 1103,
    }
}
