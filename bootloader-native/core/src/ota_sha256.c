/* The only file that calls mbedTLS for hashing. mbedTLS 2.28 names the int-returning calls
 * *_ret (the unsuffixed ones are deprecated there); 3.x (ESP-IDF) has only the unsuffixed ones
 * with the same arguments. Both keep the context in caller memory: no allocation. */
#include "ota_sha256.h"

#include <mbedtls/version.h>
#include <mbedtls/sha256.h>

#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define SHA256_STARTS mbedtls_sha256_starts_ret
#define SHA256_UPDATE mbedtls_sha256_update_ret
#define SHA256_FINISH mbedtls_sha256_finish_ret
#else
#define SHA256_STARTS mbedtls_sha256_starts
#define SHA256_UPDATE mbedtls_sha256_update
#define SHA256_FINISH mbedtls_sha256_finish
#endif

_Static_assert(sizeof(mbedtls_sha256_context) <= OTA_SHA256_CTX_BYTES,
               "OTA_SHA256_CTX_BYTES too small for this mbedTLS");

static mbedtls_sha256_context *ctx_of(ota_sha256_t *c)
{
    return (mbedtls_sha256_context *)(void *)c->ctx.bytes;
}

int ota_sha256_init(ota_sha256_t *c)
{
    mbedtls_sha256_init(ctx_of(c));
    if (SHA256_STARTS(ctx_of(c), 0) != 0) {
        mbedtls_sha256_free(ctx_of(c));
        return -1;
    }
    return 0;
}

int ota_sha256_update(ota_sha256_t *c, const void *data, size_t len)
{
    return SHA256_UPDATE(ctx_of(c), (const unsigned char *)data, len) == 0 ? 0 : -1;
}

int ota_sha256_finish(ota_sha256_t *c, uint8_t out[OTA_SHA256_SIZE])
{
    int rc = SHA256_FINISH(ctx_of(c), out);
    mbedtls_sha256_free(ctx_of(c));
    return rc == 0 ? 0 : -1;
}

int ota_sha256(const void *data, size_t len, uint8_t out[OTA_SHA256_SIZE])
{
    ota_sha256_t c;
    if (ota_sha256_init(&c) != 0)
        return -1;
    if (ota_sha256_update(&c, data, len) != 0) {
        mbedtls_sha256_free(ctx_of(&c));
        return -1;
    }
    return ota_sha256_finish(&c, out);
}
