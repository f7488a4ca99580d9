/* Signed images (docs/design.md section 3, "Signature block and signed mode").
 * A signed image is header (img_attr.signature = 1) + body + this 256-byte block, little-endian:
 *   0x00 magic "OTASIG1\0"   0x08 u16 version = 1   0x0A u16 algorithm = 1 (ECDSA P-256/SHA-256)
 *   0x0C u32 reserved 0      0x10 key_id[8] = SHA-256(uncompressed public point)[0..8)
 *   0x18 u32 image_size: bytes of the full image the package installs (header + body)
 *   0x1C u32 reserved 0      0x20 image_sha256[32] of that full image (xz: the decoded stream)
 *   0x40 reserved[32] 0      -- bytes 0x00..0x5F are signed --
 *   0x60 u16 sig_len 8..72   0x62 u16 reserved 0   0x64 sig[72]: DER SEQUENCE{r, s}, 0-padded
 *   0xAC reserved[80] 0      0xFC u32 CRC-32 of 0x00..0xFB
 * The ECDSA signature is over SHA-256(header || body || block[0x00..0x60)).
 * Nothing here allocates; the caller owns every context. */
#ifndef OTA_SIG_H
#define OTA_SIG_H

#include <stddef.h>
#include <stdint.h>
#include "ota_image.h"
#include "ota_sha256.h"

#define OTA_SIG_BLOCK_SIZE   256u
#define OTA_SIG_SIGNED_LEN   0x60u
#define OTA_SIG_KEY_ID_LEN   8u
#define OTA_SIG_POINT_LEN    65u
#define OTA_SIG_DER_MIN      8u
#define OTA_SIG_DER_MAX      72u
#define OTA_SIG_VERSION      1u
#define OTA_SIG_ALG_ECDSA_P256_SHA256 1u

typedef struct ota_sig_block {
    uint16_t version;
    uint16_t algorithm;
    uint8_t key_id[OTA_SIG_KEY_ID_LEN];
    uint32_t image_size;
    uint8_t image_sha256[OTA_SHA256_SIZE];
    uint16_t sig_len;
    uint8_t sig[OTA_SIG_DER_MAX];
} ota_sig_block_t;

/* A trusted public key and its id. */
typedef struct ota_sig_key {
    uint8_t point[OTA_SIG_POINT_LEN];
    uint8_t key_id[OTA_SIG_KEY_ID_LEN];
} ota_sig_key_t;

/* The set of trusted keys; count 0 = unsigned mode (no signature required or checked). */
typedef struct ota_sig_keyring {
    const ota_sig_key_t *keys;
    uint32_t count;
} ota_sig_keyring_t;

/* Parses the block: magic, version, CRC (SIG_FORMAT), algorithm (SIG_ALGORITHM), reserved
 * bytes, sig_len and its padding, strict DER (SIG_FORMAT) -- the C# SignatureBlock order. */
int ota_sig_block_parse(const uint8_t raw[OTA_SIG_BLOCK_SIZE], ota_sig_block_t *b);

/* Fills a key from its uncompressed point (checked on the curve; SIG_KEY_FORMAT) and its id. */
int ota_sig_key_init(ota_sig_key_t *k, const uint8_t point[OTA_SIG_POINT_LEN]);

/* Fills a key from PEM text "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo of a P-256
 * uncompressed point, as `ota keygen --pub` writes). SIG_KEY_FORMAT otherwise. */
int ota_sig_key_from_pem(ota_sig_key_t *k, const char *pem, size_t len);

/* The key with this id, or NULL. */
const ota_sig_key_t *ota_sig_keyring_find(const ota_sig_keyring_t *ring, const uint8_t id[OTA_SIG_KEY_ID_LEN]);

/* Decodes a strict DER ECDSA signature into 32-byte r and s (SIG_FORMAT otherwise). */
int ota_sig_der_decode(const uint8_t *der, size_t len, uint8_t r[32], uint8_t s[32]);

/* Verifies a DER ECDSA P-256 signature over a 32-byte digest with an uncompressed point: 0,
 * OTA_E_SIG_FORMAT (DER), OTA_E_SIG_KEY_FORMAT (point) or OTA_E_SIG_BAD. What the managed
 * engine reaches through INativeServices.VerifyEcdsaP256 (InternalCall / libotahost). */
int ota_sig_verify_digest(const uint8_t point[OTA_SIG_POINT_LEN], const uint8_t digest[OTA_SHA256_SIZE],
                          const uint8_t *der, size_t der_len);

/* Streaming check of a signed image: feed the header and the body as they are stored (in
 * pieces of any size), then finish with the block. With hash_image (compress_type 0) the same
 * bytes are also the full image, checked against image_size/image_sha256. */
typedef struct ota_sig_check {
    ota_sha256_t msg;
    ota_sha256_t img;
    uint64_t fed;
    int hash_image;
    uint8_t msg_hash[OTA_SHA256_SIZE]; /* the digests, set by finish (here, not on its stack) */
    uint8_t img_hash[OTA_SHA256_SIZE];
} ota_sig_check_t;

int ota_sig_check_begin(ota_sig_check_t *c, int hash_image);
int ota_sig_check_update(ota_sig_check_t *c, const void *data, size_t len);
/* Feeds block[0..0x60), looks the key up (SIG_KEY_UNKNOWN), verifies ECDSA (SIG_BAD), and with
 * hash_image compares the image hash and size (SIG_HASH). Releases the hash contexts. */
int ota_sig_check_finish(ota_sig_check_t *c, const uint8_t raw_block[OTA_SIG_BLOCK_SIZE],
                         const ota_sig_block_t *b, const ota_sig_keyring_t *ring);
/* Releases the contexts of a check abandoned before finish. */
void ota_sig_check_abort(ota_sig_check_t *c);

/* Hash of a full image produced elsewhere (decoded xz stream, installed app). */
typedef struct ota_sig_image_hash {
    ota_sha256_t h;
    uint64_t len;
} ota_sig_image_hash_t;

int ota_sig_image_begin(ota_sig_image_hash_t *ih);
int ota_sig_image_update(ota_sig_image_hash_t *ih, const void *data, size_t len);
/* 0 when the bytes fed are exactly image_size bytes with hash image_sha256, else SIG_HASH. */
int ota_sig_image_finish(ota_sig_image_hash_t *ih, const ota_sig_block_t *b);

/* Whole image in memory, in the documented order: header (1xx); with a non-empty ring an
 * unsigned image is SIG_MISSING; length/body CRC (IMG_TRUNCATED, IMG_TRAILING, IMG_BODY_CRC);
 * block; key; ECDSA; for compress_type 0 the image hash. An xz package's decoded image is the
 * caller's to check with ota_sig_image_*. With an empty ring a signed image gets its block
 * format checked only. `b` (may be NULL) receives the block. */
int ota_sig_verify_buffer(const uint8_t *img, size_t len, const ota_sig_keyring_t *ring,
                          ota_img_header_t *h, ota_sig_block_t *b);

#endif
