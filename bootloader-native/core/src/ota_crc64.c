/* CRC-64/XZ (ECMA-182 polynomial, reflected 0xC96C5795D7870F42). Only the XZ check "CRC64"
 * uses it (our packages use CRC32), so it trades speed for size: two 4-bit steps per byte with a
 * 128-byte table instead of a 2 KiB byte table. */
#include "ota_crc.h"

static const uint64_t crc64_nibble[16] = {
    UINT64_C(0x0000000000000000), UINT64_C(0x7D9BA13851336649),
    UINT64_C(0xFB374270A266CC92), UINT64_C(0x86ACE348F355AADB),
    UINT64_C(0x64B62BCAEBC387A1), UINT64_C(0x192D8AF2BAF0E1E8),
    UINT64_C(0x9F8169BA49A54B33), UINT64_C(0xE21AC88218962D7A),
    UINT64_C(0xC96C5795D7870F42), UINT64_C(0xB4F7F6AD86B4690B),
    UINT64_C(0x325B15E575E1C3D0), UINT64_C(0x4FC0B4DD24D2A599),
    UINT64_C(0xADDA7C5F3C4488E3), UINT64_C(0xD041DD676D77EEAA),
    UINT64_C(0x56ED3E2F9E224471), UINT64_C(0x2B769F17CF112238),
};

uint64_t ota_crc64_update(uint64_t crc, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    while (len--) {
        crc ^= *p++;
        crc = crc64_nibble[crc & 0xFu] ^ (crc >> 4);
        crc = crc64_nibble[crc & 0xFu] ^ (crc >> 4);
    }
    return crc;
}
