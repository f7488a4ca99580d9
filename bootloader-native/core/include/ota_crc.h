/* CRC-32 and CRC-64 as the image header and the XZ format use them.
 *
 * CRC-32: reflected polynomial 0xEDB88320. The image header (docs/design.md section 3) uses the
 * raw register: start at OTA_CRC32_INIT (0xFFFFFFFF), feed the bytes, no final XOR; the check
 * value of ASCII "123456789" is 0x340BC6D9. XZ (and zlib) use the same register with a final
 * XOR: ota_crc32_xz() = ~raw = 0xCBF43926 for "123456789".
 *
 * CRC-64/XZ (ECMA-182, reflected 0xC96C5795D7870F42), init all ones, final XOR all ones; the
 * check value of "123456789" is 0x995DC9BBDF1939FA. Used only by the XZ check "CRC64". */
#ifndef OTA_CRC_H
#define OTA_CRC_H

#include <stddef.h>
#include <stdint.h>

#define OTA_CRC32_INIT 0xFFFFFFFFu
#define OTA_CRC64_INIT UINT64_C(0xFFFFFFFFFFFFFFFF)

/* Feeds `len` bytes into a raw CRC-32 register (no final XOR). Start with OTA_CRC32_INIT. */
uint32_t ota_crc32_update(uint32_t crc, const void *data, size_t len);

/* The image-header CRC of a buffer: ota_crc32_update(OTA_CRC32_INIT, data, len). */
uint32_t ota_crc32(const void *data, size_t len);

/* The XZ/zlib CRC-32 of a buffer: the raw register with the final XOR. */
uint32_t ota_crc32_xz(const void *data, size_t len);

/* Feeds `len` bytes into a raw CRC-64 register (no final XOR). Start with OTA_CRC64_INIT; the
 * XZ value is the bitwise NOT of the register at the end. */
uint64_t ota_crc64_update(uint64_t crc, const void *data, size_t len);

#endif
