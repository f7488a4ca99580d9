/* Byte-order helpers. Little-endian for the on-flash formats (image header, state record,
 * partition table, signature block, XZ headers, checks and index records): every multi-byte
 * integer they store is little-endian. Big-endian only for the addresses the RISC-V BCJ filter
 * stores (xz_bcj_riscv.c). Private to core/src. */
#ifndef OTA_BYTES_H
#define OTA_BYTES_H

#include <stdint.h>

static inline uint16_t ota_get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ota_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void ota_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void ota_put_le64(uint8_t *p, uint64_t v)
{
    ota_put_le32(p, (uint32_t)v);
    ota_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t ota_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void ota_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
