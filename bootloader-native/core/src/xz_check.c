/* The block integrity check named in the stream flags: None (0 bytes), CRC32 (4, LE),
 * CRC64 (8, LE) or SHA-256 (32), computed over the block's uncompressed data and stored after
 * the block's padding. Other check ids are OTA_E_XZ_OPTIONS ("unsupported"). */
#include "xz_private.h"
#include "ota_crc.h"

#include <string.h>

uint32_t xz_check_size(uint8_t type)
{
    switch (type) {
    case XZ_CHECK_NONE: return 0;
    case XZ_CHECK_CRC32: return 4;
    case XZ_CHECK_CRC64: return 8;
    case XZ_CHECK_SHA256: return 32;
    default: return 0xFF;
    }
}

void xz_check_start(ota_xz_dec_t *d)
{
    switch (d->check_type) {
    case XZ_CHECK_CRC32: d->check.crc32 = OTA_CRC32_INIT; break;
    case XZ_CHECK_CRC64: d->check.crc64 = OTA_CRC64_INIT; break;
    case XZ_CHECK_SHA256: (void)ota_sha256_init(&d->check.sha256); break;
    default: break;
    }
}

void xz_check_update(ota_xz_dec_t *d, const uint8_t *p, uint32_t n)
{
    switch (d->check_type) {
    case XZ_CHECK_CRC32: d->check.crc32 = ota_crc32_update(d->check.crc32, p, n); break;
    case XZ_CHECK_CRC64: d->check.crc64 = ota_crc64_update(d->check.crc64, p, n); break;
    case XZ_CHECK_SHA256: (void)ota_sha256_update(&d->check.sha256, p, n); break;
    default: break;
    }
}

int xz_check_verify(ota_xz_dec_t *d)
{
    uint8_t want[32];
    switch (d->check_type) {
    case XZ_CHECK_CRC32:
        ota_put_le32(want, ~d->check.crc32);
        break;
    case XZ_CHECK_CRC64:
        ota_put_le64(want, ~d->check.crc64);
        break;
    case XZ_CHECK_SHA256:
        if (ota_sha256_finish(&d->check.sha256, want) != 0)
            return OTA_E_XZ_CHECK;
        break;
    default:
        return 0;
    }
    return memcmp(want, d->buf, d->check_size) == 0 ? 0 : OTA_E_XZ_CHECK;
}
