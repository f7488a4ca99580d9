/* The one file that calls mbedTLS: SHA-256 (image and package hashes), MD5 (partition table
 * row, network push) and ECDSA P-256 verification (signed updates). Every call used here exists
 * with the same arguments in mbedTLS 2.28 (Debian 12) and 3.x (ESP-IDF); where 2.28 names the
 * int-returning hash calls *_ret (the unsuffixed ones are deprecated there), a version macro
 * picks the name. Hash contexts live in caller memory (opaque storage in the public headers, so
 * includers never see mbedTLS); the bignum code of ECDSA allocates through mbedTLS's calloc and
 * every path frees what it started. During the installer's signature check that calloc is the
 * arena lent over the idle decoder memory (ota_arena_lend): hooked here where mbedTLS has
 * MBEDTLS_PLATFORM_MEMORY (ESP-IDF), by the host program's allocator otherwise (Debian's 2.28 has
 * no MBEDTLS_PLATFORM_MEMORY). An allocation the arena cannot serve is OTA_E_SIG_NOMEM. */
#include "ota_arena.h"
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_md5.h"
#include "ota_sha256.h"

#include <mbedtls/version.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md5.h>
#include <mbedtls/platform.h>
#include <mbedtls/sha256.h>

#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define SHA256_STARTS mbedtls_sha256_starts_ret
#define SHA256_UPDATE mbedtls_sha256_update_ret
#define SHA256_FINISH mbedtls_sha256_finish_ret
#define MD5_STARTS mbedtls_md5_starts_ret
#define MD5_UPDATE mbedtls_md5_update_ret
#define MD5_FINISH mbedtls_md5_finish_ret
#else
#define SHA256_STARTS mbedtls_sha256_starts
#define SHA256_UPDATE mbedtls_sha256_update
#define SHA256_FINISH mbedtls_sha256_finish
#define MD5_STARTS mbedtls_md5_starts
#define MD5_UPDATE mbedtls_md5_update
#define MD5_FINISH mbedtls_md5_finish
#endif

/* ---- SHA-256 ------------------------------------------------------------------------------ */

_Static_assert(sizeof(mbedtls_sha256_context) <= OTA_SHA256_CTX_BYTES,
               "OTA_SHA256_CTX_BYTES too small for this mbedTLS");

static mbedtls_sha256_context *sha_ctx(ota_sha256_t *c)
{
    return (mbedtls_sha256_context *)(void *)c->ctx.bytes;
}

int ota_sha256_init(ota_sha256_t *c)
{
    mbedtls_sha256_init(sha_ctx(c));
    if (SHA256_STARTS(sha_ctx(c), 0) != 0) {
        mbedtls_sha256_free(sha_ctx(c));
        return -1;
    }
    return 0;
}

int ota_sha256_update(ota_sha256_t *c, const void *data, size_t len)
{
    return SHA256_UPDATE(sha_ctx(c), (const unsigned char *)data, len) == 0 ? 0 : -1;
}

int ota_sha256_finish(ota_sha256_t *c, uint8_t out[OTA_SHA256_SIZE])
{
    int rc = SHA256_FINISH(sha_ctx(c), out);
    mbedtls_sha256_free(sha_ctx(c));
    return rc == 0 ? 0 : -1;
}

int ota_sha256(const void *data, size_t len, uint8_t out[OTA_SHA256_SIZE])
{
    ota_sha256_t c;
    if (ota_sha256_init(&c) != 0)
        return -1;
    if (ota_sha256_update(&c, data, len) != 0) {
        mbedtls_sha256_free(sha_ctx(&c));
        return -1;
    }
    return ota_sha256_finish(&c, out);
}

/* ---- MD5 ---------------------------------------------------------------------------------- */

_Static_assert(sizeof(mbedtls_md5_context) <= OTA_MD5_CTX_BYTES, "OTA_MD5_CTX_BYTES too small for this mbedTLS");

static mbedtls_md5_context *md5_ctx(ota_md5_stream_t *c)
{
    return (mbedtls_md5_context *)(void *)c->ctx.bytes;
}

int ota_md5_stream_init(ota_md5_stream_t *c)
{
    mbedtls_md5_init(md5_ctx(c));
    if (MD5_STARTS(md5_ctx(c)) != 0) {
        mbedtls_md5_free(md5_ctx(c));
        return -1;
    }
    return 0;
}

int ota_md5_stream_update(ota_md5_stream_t *c, const void *data, size_t len)
{
    return MD5_UPDATE(md5_ctx(c), (const unsigned char *)data, len) == 0 ? 0 : -1;
}

int ota_md5_stream_finish(ota_md5_stream_t *c, uint8_t out[OTA_MD5_SIZE])
{
    int rc = MD5_FINISH(md5_ctx(c), out);
    mbedtls_md5_free(md5_ctx(c));
    return rc == 0 ? 0 : -1;
}

int ota_md5(const void *data, size_t len, uint8_t out[OTA_MD5_SIZE])
{
    ota_md5_stream_t c;
    if (ota_md5_stream_init(&c) != 0)
        return -1;
    if (ota_md5_stream_update(&c, data, len) != 0) {
        mbedtls_md5_free(md5_ctx(&c));
        return -1;
    }
    return ota_md5_stream_finish(&c, out);
}

/* ---- ECDSA P-256 (verification only) ------------------------------------------------------ */

#if defined(MBEDTLS_PLATFORM_MEMORY) && !defined(MBEDTLS_PLATFORM_CALLOC_MACRO)
/* mbedTLS' calloc/free: the lent arena, else what mbedTLS would have used */
static void *lent_calloc(size_t n, size_t size)
{
    ota_arena_t *a = ota_arena_lent();
    if (a) return ota_arena_calloc(a, n, size);
#ifdef MBEDTLS_PLATFORM_STD_CALLOC
    return MBEDTLS_PLATFORM_STD_CALLOC(n, size);
#else
    return NULL;
#endif
}

static void lent_free(void *p)
{
    ota_arena_t *a = ota_arena_lent();
    if (a && ota_arena_owns(a, p)) {
        ota_arena_free(a, p);
        return;
    }
#ifdef MBEDTLS_PLATFORM_STD_FREE
    MBEDTLS_PLATFORM_STD_FREE(p);
#endif
}

static void hook_allocator(void) { mbedtls_platform_set_calloc_free(lent_calloc, lent_free); }
#else
static void hook_allocator(void) {}
#endif

/* mbedTLS' out-of-memory codes are OTA_E_SIG_NOMEM, others `otherwise` */
static int mbed_error(int v, int otherwise)
{
    return v == MBEDTLS_ERR_MPI_ALLOC_FAILED || v == MBEDTLS_ERR_ECP_ALLOC_FAILED ? OTA_E_SIG_NOMEM : otherwise;
}

typedef struct {
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
} p256_key_t;

static int key_load(p256_key_t *k, const uint8_t point[OTA_ECDSA_P256_POINT_SIZE])
{
    hook_allocator();
    mbedtls_ecp_group_init(&k->grp);
    mbedtls_ecp_point_init(&k->q);
    if (point[0] != 0x04) return OTA_E_SIG_KEY_FORMAT;
    int v = mbedtls_ecp_group_load(&k->grp, MBEDTLS_ECP_DP_SECP256R1);
    if (v != 0) return mbed_error(v, OTA_E_IO);
    v = mbedtls_ecp_point_read_binary(&k->grp, &k->q, point, OTA_ECDSA_P256_POINT_SIZE);
    if (v == 0) v = mbedtls_ecp_check_pubkey(&k->grp, &k->q);
    return v == 0 ? OTA_OK : mbed_error(v, OTA_E_SIG_KEY_FORMAT);
}

static void key_free(p256_key_t *k)
{
    mbedtls_ecp_point_free(&k->q);
    mbedtls_ecp_group_free(&k->grp);
}

int ota_ecdsa_p256_check_key(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE])
{
    p256_key_t k;
    int rc = key_load(&k, point);
    key_free(&k);
    return rc;
}

int ota_ecdsa_p256_verify(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE], const uint8_t hash[32],
                          const uint8_t r[OTA_ECDSA_P256_SCALAR_SIZE], const uint8_t s[OTA_ECDSA_P256_SCALAR_SIZE])
{
    p256_key_t k;
    mbedtls_mpi mr, ms;
    mbedtls_mpi_init(&mr);
    mbedtls_mpi_init(&ms);
    int rc = key_load(&k, point);
    if (rc == OTA_OK) {
        int v = mbedtls_mpi_read_binary(&mr, r, OTA_ECDSA_P256_SCALAR_SIZE);
        if (v == 0) v = mbedtls_mpi_read_binary(&ms, s, OTA_ECDSA_P256_SCALAR_SIZE);
        if (v != 0) {
            rc = mbed_error(v, OTA_E_IO);
        } else {
            v = mbedtls_ecdsa_verify(&k.grp, hash, 32, &k.q, &mr, &ms);
            if (v == MBEDTLS_ERR_ECP_VERIFY_FAILED || v == MBEDTLS_ERR_ECP_BAD_INPUT_DATA)
                rc = OTA_E_SIG_BAD;
            else if (v != 0)
                rc = mbed_error(v, OTA_E_IO);
        }
    }
    mbedtls_mpi_free(&ms);
    mbedtls_mpi_free(&mr);
    key_free(&k);
    return rc;
}
