/* The only file that calls mbedTLS for signatures. It uses API that mbedTLS 2.28 (Debian 12) and
 * 3.x (ESP-IDF) share with the same arguments: ecp_group_load, ecp_point_read_binary,
 * ecp_check_pubkey, mpi_read_binary, ecdsa_verify. The bignum code allocates through mbedTLS's
 * calloc (on the device: a static arena via mbedtls_memory_buffer_alloc_init); this file frees
 * everything it started on every path. To be merged with ota_sha256.c into one crypto file. */
#include "ota_ecdsa.h"
#include "ota_err.h"

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/bignum.h>

typedef struct {
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
} p256_key_t;

static int key_load(p256_key_t *k, const uint8_t point[OTA_ECDSA_P256_POINT_SIZE])
{
    mbedtls_ecp_group_init(&k->grp);
    mbedtls_ecp_point_init(&k->q);
    if (point[0] != 0x04) return OTA_E_SIG_KEY_FORMAT;
    if (mbedtls_ecp_group_load(&k->grp, MBEDTLS_ECP_DP_SECP256R1) != 0) return OTA_E_IO;
    if (mbedtls_ecp_point_read_binary(&k->grp, &k->q, point, OTA_ECDSA_P256_POINT_SIZE) != 0)
        return OTA_E_SIG_KEY_FORMAT;
    if (mbedtls_ecp_check_pubkey(&k->grp, &k->q) != 0) return OTA_E_SIG_KEY_FORMAT;
    return OTA_OK;
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
        if (mbedtls_mpi_read_binary(&mr, r, OTA_ECDSA_P256_SCALAR_SIZE) != 0 ||
            mbedtls_mpi_read_binary(&ms, s, OTA_ECDSA_P256_SCALAR_SIZE) != 0) {
            rc = OTA_E_IO;
        } else {
            int v = mbedtls_ecdsa_verify(&k.grp, hash, 32, &k.q, &mr, &ms);
            if (v == MBEDTLS_ERR_ECP_VERIFY_FAILED || v == MBEDTLS_ERR_ECP_BAD_INPUT_DATA)
                rc = OTA_E_SIG_BAD;
            else if (v != 0)
                rc = OTA_E_IO;
        }
    }
    mbedtls_mpi_free(&ms);
    mbedtls_mpi_free(&mr);
    key_free(&k);
    return rc;
}
