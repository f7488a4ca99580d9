/* SHA-256 (FIPS 180-4) through mbedTLS: streaming (init/update/finish) and one-shot. The context
 * is opaque storage sized for mbedTLS 2.28 and 3.x (software or ESP-IDF hardware contexts), so
 * includers never see mbedTLS headers. Every function returns 0, or -1 if mbedTLS failed. */
#ifndef OTA_SHA256_H
#define OTA_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define OTA_SHA256_SIZE 32
#define OTA_SHA256_CTX_BYTES 256

typedef struct ota_sha256 {
    union {
        uint64_t align;
        void *align_ptr;
        uint8_t bytes[OTA_SHA256_CTX_BYTES];
    } ctx;
} ota_sha256_t;

/* Starts a new hash in `c` (no allocation). */
int ota_sha256_init(ota_sha256_t *c);
/* Feeds `len` bytes. */
int ota_sha256_update(ota_sha256_t *c, const void *data, size_t len);
/* Writes the digest and releases the context (init again to reuse it). */
int ota_sha256_finish(ota_sha256_t *c, uint8_t out[OTA_SHA256_SIZE]);
/* One-shot digest of a buffer. */
int ota_sha256(const void *data, size_t len, uint8_t out[OTA_SHA256_SIZE]);

#endif
