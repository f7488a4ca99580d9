#include "ota_err.h"

const char *ota_err_name(int code)
{
    switch (code) {
    case OTA_OK: return "OK";
    case OTA_E_IMG_TRUNCATED: return "IMG_TRUNCATED";
    case OTA_E_IMG_MAGIC: return "IMG_MAGIC";
    case OTA_E_IMG_HEADER_CRC: return "IMG_HEADER_CRC";
    case OTA_E_IMG_TYPE: return "IMG_TYPE";
    case OTA_E_IMG_ATTR: return "IMG_ATTR";
    case OTA_E_IMG_COMPRESS: return "IMG_COMPRESS";
    case OTA_E_IMG_LENGTH: return "IMG_LENGTH";
    case OTA_E_IMG_BODY_CRC: return "IMG_BODY_CRC";
    case OTA_E_IMG_VERSION: return "IMG_VERSION";
    case OTA_E_IMG_FLAGS: return "IMG_FLAGS";
    case OTA_E_IMG_RESERVED: return "IMG_RESERVED";
    case OTA_E_IMG_NEXT: return "IMG_NEXT";
    case OTA_E_IMG_ADDR: return "IMG_ADDR";
    case OTA_E_IMG_TOO_LARGE: return "IMG_TOO_LARGE";
    case OTA_E_IMG_INNER: return "IMG_INNER";
    case OTA_E_IMG_INNER_MISMATCH: return "IMG_INNER_MISMATCH";
    case OTA_E_IMG_TRAILING: return "IMG_TRAILING";
    case OTA_E_IMG_OLD_VERSION: return "IMG_OLD_VERSION";
    case OTA_E_XZ_FORMAT: return "XZ_FORMAT";
    case OTA_E_XZ_OPTIONS: return "XZ_OPTIONS";
    case OTA_E_XZ_DATA: return "XZ_DATA";
    case OTA_E_XZ_CHECK: return "XZ_CHECK";
    case OTA_E_XZ_MEMLIMIT: return "XZ_MEMLIMIT";
    case OTA_E_XZ_TRUNCATED: return "XZ_TRUNCATED";
    case OTA_E_XZ_OUTPUT_LIMIT: return "XZ_OUTPUT_LIMIT";
    case OTA_E_FLASH_RANGE: return "FLASH_RANGE";
    case OTA_E_FLASH_ALIGN: return "FLASH_ALIGN";
    case OTA_E_FLASH_NOR: return "FLASH_NOR";
    case OTA_E_FLASH_IO: return "FLASH_IO";
    case OTA_E_FLASH_POWER_CUT: return "FLASH_POWER_CUT";
    case OTA_E_STATE_NONE_VALID: return "STATE_NONE_VALID";
    case OTA_E_STATE_TRANSITION: return "STATE_TRANSITION";
    case OTA_E_STATE_BITMAP_FULL: return "STATE_BITMAP_FULL";
    case OTA_E_INSTALL_NO_APP: return "INSTALL_NO_APP";
    case OTA_E_INSTALL_VERIFY: return "INSTALL_VERIFY";
    case OTA_E_INSTALL_ROLLBACK: return "INSTALL_ROLLBACK";
    case OTA_E_NET_DOWN: return "NET_DOWN";
    case OTA_E_NET_TIMEOUT: return "NET_TIMEOUT";
    case OTA_E_HTTP_STATUS: return "HTTP_STATUS";
    case OTA_E_HTTP_NO_RANGE: return "HTTP_NO_RANGE";
    case OTA_E_HTTP_LENGTH: return "HTTP_LENGTH";
    case OTA_E_NO_UPDATE: return "NO_UPDATE";
    case OTA_E_OTA_DISABLED: return "OTA_DISABLED";
    case OTA_E_CONFIG: return "CONFIG";
    case OTA_E_ABORTED: return "ABORTED";
    case OTA_E_PT_SYNTAX: return "PT_SYNTAX";
    case OTA_E_PT_ALIGN: return "PT_ALIGN";
    case OTA_E_PT_OVERLAP: return "PT_OVERLAP";
    case OTA_E_PT_MISSING: return "PT_MISSING";
    case OTA_E_PT_STAGING_SMALL: return "PT_STAGING_SMALL";
    case OTA_E_PT_BINARY: return "PT_BINARY";
    case OTA_E_PT_RANGE: return "PT_RANGE";
    case OTA_E_PT_DUPLICATE: return "PT_DUPLICATE";
    case OTA_E_SIG_MISSING: return "SIG_MISSING";
    case OTA_E_SIG_FORMAT: return "SIG_FORMAT";
    case OTA_E_SIG_ALGORITHM: return "SIG_ALGORITHM";
    case OTA_E_SIG_KEY_UNKNOWN: return "SIG_KEY_UNKNOWN";
    case OTA_E_SIG_BAD: return "SIG_BAD";
    case OTA_E_SIG_HASH: return "SIG_HASH";
    case OTA_E_SIG_KEY_FORMAT: return "SIG_KEY_FORMAT";
    case OTA_E_USAGE: return "USAGE";
    case OTA_E_IO: return "IO";
    case OTA_E_PUSH_INVITATION: return "PUSH_INVITATION";
    case OTA_E_PUSH_AUTH: return "PUSH_AUTH";
    case OTA_E_PUSH_BUSY: return "PUSH_BUSY";
    case OTA_E_PUSH_SIZE: return "PUSH_SIZE";
    case OTA_E_PUSH_MD5: return "PUSH_MD5";
    case OTA_E_PUSH_CONNECTION: return "PUSH_CONNECTION";
    case OTA_E_PUSH_PROTOCOL: return "PUSH_PROTOCOL";
    default: return "UNKNOWN";
    }
}
