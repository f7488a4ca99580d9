/* Flash-side signature checks: the same streaming hash as ota_sig_verify_buffer, fed from flash
 * in io-sized pieces. */
#include "ota_err.h"
#include "ota_sig_flash.h"

static int feed_flash(const ota_flash_t *f, uint32_t addr, uint32_t len, uint8_t *io, uint32_t io_len,
                      ota_sig_check_t *c, ota_sig_image_hash_t *ih)
{
    while (len > 0) {
        uint32_t n = len < io_len ? len : io_len;
        int rc = ota_flash_read(f, addr, io, n);
        if (rc) return rc;
        if (c && (rc = ota_sig_check_update(c, io, n)) != 0) return rc;
        if (ih && (rc = ota_sig_image_update(ih, io, n)) != 0) return rc;
        addr += n;
        len -= n;
    }
    return OTA_OK;
}

int ota_sig_verify_flash(const ota_flash_t *f, uint32_t addr, const ota_img_header_t *h,
                         const ota_sig_keyring_t *ring, ota_sig_block_t *b, ota_sig_check_t *c,
                         uint8_t *io, uint32_t io_len)
{
    if (io_len < OTA_SIG_BLOCK_SIZE) return OTA_E_USAGE;
    if (!ota_img_signed(h)) return OTA_E_SIG_MISSING;
    uint32_t signed_len = OTA_IMG_HEADER_SIZE + h->img_len;
    int rc = ota_flash_read(f, addr + signed_len, io, OTA_SIG_BLOCK_SIZE);
    if (rc) return rc;
    rc = ota_sig_block_parse(io, b);
    if (rc) return rc;
    if (!ota_sig_keyring_find(ring, b->key_id)) return OTA_E_SIG_KEY_UNKNOWN;

    rc = ota_sig_check_begin(c, ota_img_compress(h) == OTA_COMPRESS_NONE);
    if (rc) return rc;
    rc = feed_flash(f, addr, signed_len, io, io_len, c, NULL);
    if (!rc) rc = ota_flash_read(f, addr + signed_len, io, OTA_SIG_BLOCK_SIZE);
    if (rc) {
        ota_sig_check_abort(c);
        return rc;
    }
    return ota_sig_check_finish(c, io, b, ring);
}

int ota_sig_check_installed(const ota_flash_t *f, const uint8_t raw_header[OTA_IMG_HEADER_SIZE],
                            const ota_img_header_t *h, const ota_sig_block_t *b, ota_sig_image_hash_t *ih,
                            uint8_t *io, uint32_t io_len)
{
    int rc = ota_sig_image_begin(ih);
    if (rc) return rc;
    rc = ota_sig_image_update(ih, raw_header, OTA_IMG_HEADER_SIZE);
    if (!rc) rc = feed_flash(f, h->img_addr, h->img_len, io, io_len, NULL, ih);
    if (rc) {
        uint8_t d[OTA_SHA256_SIZE];
        ota_sha256_finish(&ih->h, d);
        return rc;
    }
    return ota_sig_image_finish(ih, b);
}
