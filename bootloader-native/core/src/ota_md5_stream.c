/* MD5 through mbedTLS' md5 module. As in ota_sha256.c: 2.28 names the int-returning calls *_ret,
 * 3.x (ESP-IDF) only has the unsuffixed ones with the same arguments; the context lives in caller
 * memory, nothing is allocated. */
#include "ota_md5_stream.h"

#include <mbedtls/version.h>
#include <mbedtls/md5.h>

#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define MD5_STARTS mbedtls_md5_starts_ret
#define MD5_UPDATE mbedtls_md5_update_ret
#define MD5_FINISH mbedtls_md5_finish_ret
#else
#define MD5_STARTS mbedtls_md5_starts
#define MD5_UPDATE mbedtls_md5_update
#define MD5_FINISH mbedtls_md5_finish
#endif

_Static_assert(sizeof(mbedtls_md5_context) <= OTA_MD5_CTX_BYTES, "OTA_MD5_CTX_BYTES too small for this mbedTLS");

static mbedtls_md5_context *ctx_of(ota_md5_stream_t *c)
{
    return (mbedtls_md5_context *)(void *)c->ctx.bytes;
}

int ota_md5_stream_init(ota_md5_stream_t *c)
{
    mbedtls_md5_init(ctx_of(c));
    if (MD5_STARTS(ctx_of(c)) != 0) {
        mbedtls_md5_free(ctx_of(c));
        return -1;
    }
    return 0;
}

int ota_md5_stream_update(ota_md5_stream_t *c, const void *data, size_t len)
{
    return MD5_UPDATE(ctx_of(c), (const unsigned char *)data, len) == 0 ? 0 : -1;
}

int ota_md5_stream_finish(ota_md5_stream_t *c, uint8_t out[OTA_MD5_SIZE])
{
    int rc = MD5_FINISH(ctx_of(c), out);
    mbedtls_md5_free(ctx_of(c));
    return rc == 0 ? 0 : -1;
}
