/* Update image header (wm_ota_header_t-compatible, docs/design.md section 3): 64 bytes,
 * little-endian, followed by img_len body bytes (+ a 256-byte signature block when signed).
 * Parsing checks every field in a fixed order, each malformed field with its own error:
 * IMG_TRUNCATED, IMG_MAGIC, IMG_HEADER_CRC, IMG_TYPE, IMG_ATTR, IMG_COMPRESS, IMG_LENGTH,
 * IMG_VERSION, IMG_FLAGS, IMG_RESERVED, IMG_NEXT (the C# ImageHeader checks the same order). */
#ifndef OTA_IMAGE_H
#define OTA_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define OTA_IMG_HEADER_SIZE   64u
#define OTA_IMG_SIG_SIZE      256u
#define OTA_IMG_MAGIC         0xA0FFFF9Fu

/* img_attr */
#define OTA_ATTR_TYPE_MASK    0x0000000Fu
#define OTA_ATTR_CODE_ENCRYPT 0x00000010u
#define OTA_ATTR_PRIKEY_MASK  0x000000E0u
#define OTA_ATTR_SIGNATURE    0x00000100u
#define OTA_ATTR_GZIP         0x00010000u
#define OTA_ATTR_PSRAM_IO     0x00020000u
#define OTA_ATTR_ERASE_BLOCK  0x00040000u
#define OTA_ATTR_ERASE_ALWAYS 0x00080000u
#define OTA_ATTR_COMPRESS_MASK 0x00300000u
#define OTA_ATTR_COMPRESS_SHIFT 20
#define OTA_ATTR_KNOWN_BITS   (OTA_ATTR_TYPE_MASK | OTA_ATTR_CODE_ENCRYPT | OTA_ATTR_PRIKEY_MASK | \
                               OTA_ATTR_SIGNATURE | OTA_ATTR_GZIP | OTA_ATTR_PSRAM_IO | \
                               OTA_ATTR_ERASE_BLOCK | OTA_ATTR_ERASE_ALWAYS | OTA_ATTR_COMPRESS_MASK)
#define OTA_IMG_TYPE_APP      1u
#define OTA_IMG_TYPE_DATA     2u
#define OTA_COMPRESS_NONE     0u
#define OTA_COMPRESS_XZ       1u

/* flags word (0x30) */
#define OTA_FLAG_LOG_LEVEL_MASK   0x00000007u
#define OTA_FLAG_SKIP_ESC_CHECK   0x00000008u
#define OTA_FLAG_SKIP_UPGRADE     0x00000010u
#define OTA_FLAG_SKIP_INTEGRITY   0x00000020u
#define OTA_FLAG_KNOWN_BITS       0x0000003Fu

typedef struct ota_img_header {
    uint32_t magic_no;
    uint32_t img_attr;
    uint32_t img_addr;
    uint32_t img_len;
    uint32_t img_header_addr;
    uint32_t upgrade_img_addr;
    uint32_t org_checksum;
    uint32_t upd_no;
    char ver[16];
    uint32_t flags;
    uint32_t reserved;
    uint32_t next;
    uint32_t hd_checksum;
} ota_img_header_t;

static inline uint32_t ota_img_type(const ota_img_header_t *h) { return h->img_attr & OTA_ATTR_TYPE_MASK; }
static inline uint32_t ota_img_compress(const ota_img_header_t *h)
{
    return (h->img_attr & OTA_ATTR_COMPRESS_MASK) >> OTA_ATTR_COMPRESS_SHIFT;
}
static inline int ota_img_signed(const ota_img_header_t *h) { return (h->img_attr & OTA_ATTR_SIGNATURE) != 0; }
/* Bytes the whole image occupies: header + body (+ signature block). */
static inline uint64_t ota_img_total_len(const ota_img_header_t *h)
{
    return (uint64_t)OTA_IMG_HEADER_SIZE + h->img_len + (ota_img_signed(h) ? OTA_IMG_SIG_SIZE : 0);
}

/* Decodes 64 raw bytes without checking anything (for reports of broken headers). */
void ota_image_decode(const uint8_t raw[OTA_IMG_HEADER_SIZE], ota_img_header_t *h);

/* Encodes a header; computes hd_checksum (and stores it back into h). */
void ota_image_encode(ota_img_header_t *h, uint8_t raw[OTA_IMG_HEADER_SIZE]);

/* Decodes and validates a header: magic, header CRC, then every field (see above). `len` is
 * what the caller has (< 64: IMG_TRUNCATED). `h` is filled even when a later check fails. */
int ota_image_parse_header(const uint8_t *raw, size_t len, ota_img_header_t *h);

/* Validates the fields of an already decoded header (type .. next; not magic/CRC). */
int ota_image_check_fields(const ota_img_header_t *h);

/* Parses a whole image in memory: header, length (IMG_TRUNCATED / IMG_TRAILING) and body CRC. */
int ota_image_parse(const uint8_t *buf, size_t len, ota_img_header_t *h);

/* The inner (decompressed) header must be uncompressed and agree with the outer one on
 * img_addr, upd_no and ver (IMG_INNER_MISMATCH), checked in that order. */
int ota_image_check_inner(const ota_img_header_t *outer, const ota_img_header_t *inner);

/* Compares versions as dotted parts: numeric parts as numbers, others ordinally, a missing
 * part counts as "0". Returns <0, 0, >0. */
int ota_version_compare(const char *a, const char *b);

#endif
