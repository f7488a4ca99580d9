/* Error codes shared by every part of the system (docs/design.md section 7).
 * C# mirror: OtaCore/OtaError.cs. 0 is success; every failure has its own code. */
#ifndef OTA_ERR_H
#define OTA_ERR_H

typedef enum {
    OTA_OK = 0,
    OTA_E_IMG_TRUNCATED = 101, /* input shorter than the header, or than header + `img_len` (+ signature block) */
    OTA_E_IMG_MAGIC = 102, /* `magic_no` is not 0xA0FFFF9F */
    OTA_E_IMG_HEADER_CRC = 103, /* `hd_checksum` does not match bytes 0..59 */
    OTA_E_IMG_TYPE = 104, /* `img_type` not supported */
    OTA_E_IMG_ATTR = 105, /* unsupported `img_attr` bits (encryption, gzip, psram_io, unknown bits) */
    OTA_E_IMG_COMPRESS = 106, /* `compress_type` not 0 or 1 */
    OTA_E_IMG_LENGTH = 107, /* `img_len` is 0 or not a multiple of 4 */
    OTA_E_IMG_BODY_CRC = 108, /* `org_checksum` does not match the body */
    OTA_E_IMG_VERSION = 109, /* `ver` empty, not NUL-terminated, or not printable ASCII */
    OTA_E_IMG_FLAGS = 110, /* reserved bits of the flags word (0x30) set */
    OTA_E_IMG_RESERVED = 111, /* reserved word (0x34) not 0 */
    OTA_E_IMG_NEXT = 112, /* `next` set where multi-image is not supported */
    OTA_E_IMG_ADDR = 113, /* an address field does not match the partition table */
    OTA_E_IMG_TOO_LARGE = 114, /* body (or decompressed image) larger than the target, or package larger than staging */
    OTA_E_IMG_INNER = 115, /* the decompressed inner image is invalid (its own error follows) */
    OTA_E_IMG_INNER_MISMATCH = 116, /* inner header disagrees with the outer one */
    OTA_E_IMG_TRAILING = 117, /* bytes after the declared image */
    OTA_E_IMG_OLD_VERSION = 118, /* version not newer than the running one (and policy forbids) */
    OTA_E_XZ_FORMAT = 201, /* not an XZ stream (magic, header CRC, reserved bits) */
    OTA_E_XZ_OPTIONS = 202, /* unsupported filter, check type or options */
    OTA_E_XZ_DATA = 203, /* corrupt compressed data */
    OTA_E_XZ_CHECK = 204, /* integrity check (CRC32/CRC64/SHA-256) mismatch */
    OTA_E_XZ_MEMLIMIT = 205, /* dictionary larger than the decoder may use */
    OTA_E_XZ_TRUNCATED = 206, /* input ended before the stream end */
    OTA_E_XZ_OUTPUT_LIMIT = 207, /* output larger than allowed (decompression bomb) */
    OTA_E_FLASH_RANGE = 301, /* access outside the flash */
    OTA_E_FLASH_ALIGN = 302, /* misaligned program/erase */
    OTA_E_FLASH_NOR = 303, /* program would set a bit from 0 to 1 (NOR rule) */
    OTA_E_FLASH_IO = 304, /* flash backend I/O failure */
    OTA_E_FLASH_POWER_CUT = 305, /* injected power cut (simulator only) */
    OTA_E_STATE_NONE_VALID = 401, /* no valid state record (both torn) while one was expected */
    OTA_E_STATE_TRANSITION = 402, /* state change not allowed from the current state */
    OTA_E_STATE_BITMAP_FULL = 403, /* staging larger than the progress bitmap covers */
    OTA_E_INSTALL_NO_APP = 501, /* no bootable app (partly written, or invalid) */
    OTA_E_INSTALL_VERIFY = 502, /* installed image does not verify after install */
    OTA_E_INSTALL_ROLLBACK = 503, /* `upd_no` below the anti-rollback counter */
    OTA_E_NET_DOWN = 601, /* network not connected */
    OTA_E_NET_TIMEOUT = 602, /* retry timeout elapsed while reconnecting */
    OTA_E_HTTP_STATUS = 603, /* unexpected HTTP status (404, 500, ...) */
    OTA_E_HTTP_NO_RANGE = 604, /* server ignored Range when resuming */
    OTA_E_HTTP_LENGTH = 605, /* server length disagrees with the header / changed between requests */
    OTA_E_NO_UPDATE = 606, /* manifest says there is nothing newer (not an error for the state machine) */
    OTA_E_OTA_DISABLED = 607, /* OTA or HTTP disabled in config */
    OTA_E_CONFIG = 608, /* invalid configuration value */
    OTA_E_ABORTED = 609, /* aborted by the application */
    OTA_E_TLS = 610, /* TLS handshake failed or the server certificate does not chain to the configured root CA */
    OTA_E_PACKAGE_REJECTED = 611, /* the server still offers the package this device rejected (last_error); not downloaded again */
    OTA_E_PT_SYNTAX = 701, /* partition CSV syntax error (with line number) */
    OTA_E_PT_ALIGN = 702, /* partition misaligned */
    OTA_E_PT_OVERLAP = 703, /* partitions overlap */
    OTA_E_PT_MISSING = 704, /* required partition missing */
    OTA_E_PT_STAGING_SMALL = 705, /* staging < 40 % of app */
    OTA_E_PT_BINARY = 706, /* binary table malformed (magic, MD5, size) */
    OTA_E_PT_RANGE = 707, /* partition outside the flash */
    OTA_E_PT_DUPLICATE = 708, /* duplicate partition name */
    OTA_E_SIG_MISSING = 801, /* image not signed (`img_attr.signature` = 0) where a signature is required (signed mode) */
    OTA_E_SIG_FORMAT = 802, /* signature block malformed (magic, version, CRC, reserved bytes, DER encoding) */
    OTA_E_SIG_ALGORITHM = 803, /* signature algorithm not supported (only 1 = ECDSA P-256 / SHA-256) */
    OTA_E_SIG_KEY_UNKNOWN = 804, /* key id is not one of the trusted public keys */
    OTA_E_SIG_BAD = 805, /* signature does not verify (image or block modified, or signed by another key) */
    OTA_E_SIG_HASH = 806, /* decompressed or installed image differs from the signed SHA-256 / size */
    OTA_E_SIG_KEY_FORMAT = 807, /* key file or built-in key is not an ECDSA P-256 key in PEM */
    OTA_E_SIG_NOMEM = 808,      /* the signature check's RAM arena is too small for mbedTLS' bignums */
    OTA_E_USAGE = 901, /* command-line usage error */
    OTA_E_IO = 902, /* file could not be read or written */
    OTA_E_PUSH_INVITATION = 1001, /* network-push invitation or auth message malformed (command, port, size, MD5 field) */
    OTA_E_PUSH_AUTH = 1002, /* network-push authentication failed (wrong or missing password) */
    OTA_E_PUSH_BUSY = 1003, /* network push refused for now: another push in progress, or back-off after failed logins */
    OTA_E_PUSH_SIZE = 1004, /* pushed byte count differs from the size in the invitation */
    OTA_E_PUSH_MD5 = 1005, /* MD5 of the pushed file differs from the one in the invitation */
    OTA_E_PUSH_CONNECTION = 1006, /* network-push data connection failed, timed out or dropped */
    OTA_E_PUSH_PROTOCOL = 1007, /* network-push peer answered outside the protocol */
    OTA_E_DATA_TARGET = 1101, /* data-update target is not an updatable data partition, or the backup is the running app, the target or otadata */
    OTA_E_DATA_NO_BACKUP = 1102, /* no backup location holds the backup length (no backup partition, staging too small or in use) */
    OTA_E_DATA_BACKUP = 1103, /* the stored backup does not match its CRC: restore refused */
} ota_err_t;

/* Name of an error code ("IMG_MAGIC"), or "UNKNOWN". */
const char *ota_err_name(int code);

#endif
