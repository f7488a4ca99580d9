/* Signature block parsing and the streaming check of a signed image (layout in ota_sig.h). */
#include <string.h>
#include "ota_crc.h"
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_sig.h"
#include "ota_bytes.h"

static const uint8_t sig_magic[8] = { 'O', 'T', 'A', 'S', 'I', 'G', '1', 0 };

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

int ota_sig_block_parse(const uint8_t raw[OTA_SIG_BLOCK_SIZE], ota_sig_block_t *b)
{
    memset(b, 0, sizeof *b);
    if (memcmp(raw, sig_magic, sizeof sig_magic) != 0) return OTA_E_SIG_FORMAT;
    b->version = ota_get_le16(raw + 0x08);
    if (b->version != OTA_SIG_VERSION) return OTA_E_SIG_FORMAT;
    if (ota_crc32(raw, 0xFC) != ota_get_le32(raw + 0xFC)) return OTA_E_SIG_FORMAT;
    b->algorithm = ota_get_le16(raw + 0x0A);
    if (b->algorithm != OTA_SIG_ALG_ECDSA_P256_SHA256) return OTA_E_SIG_ALGORITHM;
    if (!all_zero(raw + 0x0C, 4) || !all_zero(raw + 0x1C, 4) || !all_zero(raw + 0x40, 32) ||
        !all_zero(raw + 0x62, 2) || !all_zero(raw + 0x64 + OTA_SIG_DER_MAX, 0xFC - 0x64 - OTA_SIG_DER_MAX))
        return OTA_E_SIG_FORMAT;
    memcpy(b->key_id, raw + 0x10, OTA_SIG_KEY_ID_LEN);
    b->image_size = ota_get_le32(raw + 0x18);
    memcpy(b->image_sha256, raw + 0x20, OTA_SHA256_SIZE);
    b->sig_len = ota_get_le16(raw + 0x60);
    if (b->sig_len < OTA_SIG_DER_MIN || b->sig_len > OTA_SIG_DER_MAX) return OTA_E_SIG_FORMAT;
    if (!all_zero(raw + 0x64 + b->sig_len, OTA_SIG_DER_MAX - b->sig_len)) return OTA_E_SIG_FORMAT;
    memcpy(b->sig, raw + 0x64, b->sig_len);
    uint8_t r[32], s[32];
    return ota_sig_der_decode(b->sig, b->sig_len, r, s);
}

const ota_sig_key_t *ota_sig_keyring_find(const ota_sig_keyring_t *ring, const uint8_t id[OTA_SIG_KEY_ID_LEN])
{
    for (uint32_t i = 0; ring && i < ring->count; i++)
        if (memcmp(ring->keys[i].key_id, id, OTA_SIG_KEY_ID_LEN) == 0) return &ring->keys[i];
    return NULL;
}

int ota_sig_verify_digest(const uint8_t point[OTA_SIG_POINT_LEN], const uint8_t digest[OTA_SHA256_SIZE],
                          const uint8_t *der, size_t der_len)
{
    uint8_t r[32], s[32];
    if (der_len < OTA_SIG_DER_MIN || der_len > OTA_SIG_DER_MAX) return OTA_E_SIG_FORMAT;
    int rc = ota_sig_der_decode(der, der_len, r, s);
    return rc ? rc : ota_ecdsa_p256_verify(point, digest, r, s);
}

int ota_sig_check_begin(ota_sig_check_t *c, int hash_image)
{
    c->fed = 0;
    c->hash_image = hash_image;
    if (ota_sha256_init(&c->msg) != 0) return OTA_E_IO;
    if (hash_image && ota_sha256_init(&c->img) != 0) {
        uint8_t d[OTA_SHA256_SIZE];
        ota_sha256_finish(&c->msg, d);
        return OTA_E_IO;
    }
    return OTA_OK;
}

int ota_sig_check_update(ota_sig_check_t *c, const void *data, size_t len)
{
    c->fed += len;
    if (ota_sha256_update(&c->msg, data, len) != 0) return OTA_E_IO;
    if (c->hash_image && ota_sha256_update(&c->img, data, len) != 0) return OTA_E_IO;
    return OTA_OK;
}

void ota_sig_check_abort(ota_sig_check_t *c)
{
    uint8_t d[OTA_SHA256_SIZE];
    ota_sha256_finish(&c->msg, d);
    if (c->hash_image) ota_sha256_finish(&c->img, d);
}

static int digest_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t diff = 0;
    for (size_t i = 0; i < OTA_SHA256_SIZE; i++) diff |= (uint8_t)(a[i] ^ b[i]);
    return diff == 0;
}

int ota_sig_check_finish(ota_sig_check_t *c, const uint8_t raw_block[OTA_SIG_BLOCK_SIZE],
                         const ota_sig_block_t *b, const ota_sig_keyring_t *ring)
{
    int rc = ota_sha256_update(&c->msg, raw_block, OTA_SIG_SIGNED_LEN) == 0 ? OTA_OK : OTA_E_IO;
    if (ota_sha256_finish(&c->msg, c->msg_hash) != 0) rc = OTA_E_IO;
    if (c->hash_image && ota_sha256_finish(&c->img, c->img_hash) != 0) rc = OTA_E_IO;
    if (rc) return rc;

    const ota_sig_key_t *k = ota_sig_keyring_find(ring, b->key_id);
    if (!k) return OTA_E_SIG_KEY_UNKNOWN;
    rc = ota_sig_verify_digest(k->point, c->msg_hash, b->sig, b->sig_len);
    if (rc) return rc;
    if (c->hash_image && (c->fed != b->image_size || !digest_equal(c->img_hash, b->image_sha256)))
        return OTA_E_SIG_HASH;
    return OTA_OK;
}

int ota_sig_image_begin(ota_sig_image_hash_t *ih)
{
    ih->len = 0;
    return ota_sha256_init(&ih->h) == 0 ? OTA_OK : OTA_E_IO;
}

int ota_sig_image_update(ota_sig_image_hash_t *ih, const void *data, size_t len)
{
    ih->len += len;
    return ota_sha256_update(&ih->h, data, len) == 0 ? OTA_OK : OTA_E_IO;
}

int ota_sig_image_finish(ota_sig_image_hash_t *ih, const ota_sig_block_t *b)
{
    uint8_t d[OTA_SHA256_SIZE];
    if (ota_sha256_finish(&ih->h, d) != 0) return OTA_E_IO;
    return ih->len == b->image_size && digest_equal(d, b->image_sha256) ? OTA_OK : OTA_E_SIG_HASH;
}

int ota_sig_verify_buffer(const uint8_t *img, size_t len, const ota_sig_keyring_t *ring,
                          ota_img_header_t *h, ota_sig_block_t *b)
{
    ota_img_header_t hh;
    ota_sig_block_t bb;
    if (!h) h = &hh;
    if (!b) b = &bb;
    memset(b, 0, sizeof *b);
    int rc = ota_image_parse_header(img, len, h);
    if (rc) return rc;
    int required = ring && ring->count > 0;
    if (required && !ota_img_signed(h)) return OTA_E_SIG_MISSING;
    rc = ota_image_parse(img, len, h);
    if (rc || !ota_img_signed(h)) return rc;

    const uint8_t *raw = img + OTA_IMG_HEADER_SIZE + h->img_len;
    rc = ota_sig_block_parse(raw, b);
    if (rc || !required) return rc;
    ota_sig_check_t c;
    rc = ota_sig_check_begin(&c, ota_img_compress(h) == OTA_COMPRESS_NONE);
    if (rc) return rc;
    ota_sig_check_update(&c, img, OTA_IMG_HEADER_SIZE + (size_t)h->img_len);
    return ota_sig_check_finish(&c, raw, b, ring);
}
