/* Image header layout (docs/design.md section 3), all little-endian:
 * 0x00 magic_no, 0x04 img_attr, 0x08 img_addr, 0x0C img_len, 0x10 img_header_addr,
 * 0x14 upgrade_img_addr, 0x18 org_checksum, 0x1C upd_no, 0x20 ver[16], 0x30 flags,
 * 0x34 reserved, 0x38 next, 0x3C hd_checksum = CRC-32 (raw, no final XOR) of 0x00..0x3B. */
#include "ota_image.h"
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_bytes.h"
#include <string.h>

void ota_image_decode(const uint8_t raw[OTA_IMG_HEADER_SIZE], ota_img_header_t *h)
{
    h->magic_no = ota_get_le32(raw + 0x00);
    h->img_attr = ota_get_le32(raw + 0x04);
    h->img_addr = ota_get_le32(raw + 0x08);
    h->img_len = ota_get_le32(raw + 0x0C);
    h->img_header_addr = ota_get_le32(raw + 0x10);
    h->upgrade_img_addr = ota_get_le32(raw + 0x14);
    h->org_checksum = ota_get_le32(raw + 0x18);
    h->upd_no = ota_get_le32(raw + 0x1C);
    memcpy(h->ver, raw + 0x20, 16);
    h->flags = ota_get_le32(raw + 0x30);
    h->reserved = ota_get_le32(raw + 0x34);
    h->next = ota_get_le32(raw + 0x38);
    h->hd_checksum = ota_get_le32(raw + 0x3C);
}

void ota_image_encode(ota_img_header_t *h, uint8_t raw[OTA_IMG_HEADER_SIZE])
{
    ota_put_le32(raw + 0x00, h->magic_no);
    ota_put_le32(raw + 0x04, h->img_attr);
    ota_put_le32(raw + 0x08, h->img_addr);
    ota_put_le32(raw + 0x0C, h->img_len);
    ota_put_le32(raw + 0x10, h->img_header_addr);
    ota_put_le32(raw + 0x14, h->upgrade_img_addr);
    ota_put_le32(raw + 0x18, h->org_checksum);
    ota_put_le32(raw + 0x1C, h->upd_no);
    memcpy(raw + 0x20, h->ver, 16);
    ota_put_le32(raw + 0x30, h->flags);
    ota_put_le32(raw + 0x34, h->reserved);
    ota_put_le32(raw + 0x38, h->next);
    h->hd_checksum = ota_crc32(raw, 0x3C);
    ota_put_le32(raw + 0x3C, h->hd_checksum);
}

static int check_version(const char ver[16])
{
    if (ver[0] == 0) return OTA_E_IMG_VERSION;
    for (int i = 0; i < 16; i++) {
        unsigned char c = (unsigned char)ver[i];
        if (c == 0) return OTA_OK;
        if (c < 0x20 || c > 0x7E) return OTA_E_IMG_VERSION;
    }
    return OTA_E_IMG_VERSION; /* not NUL-terminated */
}

int ota_image_check_fields(const ota_img_header_t *h)
{
    uint32_t a = h->img_attr;
    uint32_t type = a & OTA_ATTR_TYPE_MASK;
    if (type != OTA_IMG_TYPE_APP && type != OTA_IMG_TYPE_DATA) return OTA_E_IMG_TYPE;
    if (a & (OTA_ATTR_CODE_ENCRYPT | OTA_ATTR_GZIP | OTA_ATTR_PSRAM_IO)) return OTA_E_IMG_ATTR;
    if (!(a & OTA_ATTR_SIGNATURE) && (a & OTA_ATTR_PRIKEY_MASK)) return OTA_E_IMG_ATTR;
    if (a & ~OTA_ATTR_KNOWN_BITS) return OTA_E_IMG_ATTR;
    if (ota_img_compress(h) > OTA_COMPRESS_XZ) return OTA_E_IMG_COMPRESS;
    if (h->img_len == 0 || h->img_len % 4) return OTA_E_IMG_LENGTH;
    int rc = check_version(h->ver);
    if (rc) return rc;
    if (h->flags & ~OTA_FLAG_KNOWN_BITS) return OTA_E_IMG_FLAGS;
    if (h->reserved) return OTA_E_IMG_RESERVED;
    if (h->next) return OTA_E_IMG_NEXT;
    return OTA_OK;
}

int ota_image_parse_header(const uint8_t *raw, size_t len, ota_img_header_t *h)
{
    memset(h, 0, sizeof *h);
    if (len < OTA_IMG_HEADER_SIZE) return OTA_E_IMG_TRUNCATED;
    ota_image_decode(raw, h);
    if (h->magic_no != OTA_IMG_MAGIC) return OTA_E_IMG_MAGIC;
    if (h->hd_checksum != ota_crc32(raw, 0x3C)) return OTA_E_IMG_HEADER_CRC;
    return ota_image_check_fields(h);
}

int ota_image_parse(const uint8_t *buf, size_t len, ota_img_header_t *h)
{
    int rc = ota_image_parse_header(buf, len, h);
    if (rc) return rc;
    uint64_t total = ota_img_total_len(h);
    if (len < total) return OTA_E_IMG_TRUNCATED;
    if (len > total) return OTA_E_IMG_TRAILING;
    if (ota_crc32(buf + OTA_IMG_HEADER_SIZE, h->img_len) != h->org_checksum) return OTA_E_IMG_BODY_CRC;
    return OTA_OK;
}

int ota_image_check_inner(const ota_img_header_t *outer, const ota_img_header_t *inner)
{
    if (ota_img_compress(inner) != OTA_COMPRESS_NONE) return OTA_E_IMG_INNER_MISMATCH;
    if (inner->img_addr != outer->img_addr || inner->upd_no != outer->upd_no) return OTA_E_IMG_INNER_MISMATCH;
    if (strncmp(inner->ver, outer->ver, 16) != 0) return OTA_E_IMG_INNER_MISMATCH;
    return OTA_OK;
}

/* One dotted part: [*p, end of part). Advances *p past the '.'; a finished string yields "0". */
static void next_part(const char **p, const char **start, size_t *n, int *done)
{
    if (*done) { *start = "0"; *n = 1; return; }
    *start = *p;
    while (**p && **p != '.') (*p)++;
    *n = (size_t)(*p - *start);
    if (**p == '.') (*p)++;
    else *done = 1;
}

static int all_digits(const char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int ordinal(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    return na == nb ? 0 : (na < nb ? -1 : 1);
}

int ota_version_compare(const char *a, const char *b)
{
    int da = 0, db = 0;
    /* both strings are at most 15 characters (NUL-terminated within ver[16]) */
    for (;;) {
        const char *pa, *pb;
        size_t na, nb;
        next_part(&a, &pa, &na, &da);
        next_part(&b, &pb, &nb, &db);
        int c;
        if (all_digits(pa, na) && all_digits(pb, nb)) {
            while (na > 1 && *pa == '0') { pa++; na--; }
            while (nb > 1 && *pb == '0') { pb++; nb--; }
            c = na != nb ? (na < nb ? -1 : 1) : ordinal(pa, na, pb, nb);
        } else {
            c = ordinal(pa, na, pb, nb);
        }
        if (c) return c;
        if (da && db) return 0;
    }
}
