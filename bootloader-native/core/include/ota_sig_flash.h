/* Signature checks of images that lie in flash (the bootloader's view): the staged package
 * before the install, and the installed full image after it. `io` is the caller's buffer of at
 * least OTA_SIG_BLOCK_SIZE bytes; nothing is allocated. */
#ifndef OTA_SIG_FLASH_H
#define OTA_SIG_FLASH_H

#include <stdint.h>
#include "ota_flash.h"
#include "ota_image.h"
#include "ota_sig.h"

/* Verifies the signed package at `addr` whose header `h` was already parsed: hashes header and
 * body as stored, parses the block at addr + 64 + img_len into *b, finds the key and checks
 * ECDSA (and for compress_type 0 the image hash). `c` holds the hash contexts meanwhile (the
 * caller's memory, so that the stack under mbedTLS stays small; its contents are released on
 * return). Returns 0, an OTA_E_SIG_* code, or a flash error. OTA_E_SIG_MISSING when `h` is not
 * signed. */
int ota_sig_verify_flash(const ota_flash_t *f, uint32_t addr, const ota_img_header_t *h,
                         const ota_sig_keyring_t *ring, ota_sig_block_t *b, ota_sig_check_t *c,
                         uint8_t *io, uint32_t io_len);

/* The installed full image -- `raw_header` (64 bytes) followed by img_len body bytes at
 * h->img_addr -- against the block's image_size/image_sha256: 0 or OTA_E_SIG_HASH. `ih` is the
 * caller's hash context for it (released on return). */
int ota_sig_check_installed(const ota_flash_t *f, const uint8_t raw_header[OTA_IMG_HEADER_SIZE],
                            const ota_img_header_t *h, const ota_sig_block_t *b, ota_sig_image_hash_t *ih,
                            uint8_t *io, uint32_t io_len);

#endif
