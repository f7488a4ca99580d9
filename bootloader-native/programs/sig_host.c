/* libotahost exports for signed updates (added to the library by sig.cmake): the managed host
 * bindings reach the C verifier here, as the device reaches it through InternalCall. */
#include <stdint.h>
#include "ota_err.h"
#include "ota_sig.h"
#include "sig_host.h"

int otahost_ecdsa_p256_verify(const uint8_t point[65], const uint8_t digest[32], const uint8_t *der, uint32_t der_len)
{
    if (!point || !digest || !der) return OTA_E_USAGE;
    return ota_sig_verify_digest(point, digest, der, der_len);
}

static ota_sig_key_t host_keys[8];
static ota_sig_keyring_t host_ring = { host_keys, 0 };

int otahost_add_pubkey(const char *pem, uint32_t len)
{
    if (!pem) return OTA_E_USAGE;
    if (host_ring.count >= sizeof host_keys / sizeof host_keys[0]) return OTA_E_USAGE;
    int rc = ota_sig_key_from_pem(&host_keys[host_ring.count], pem, len);
    if (!rc) host_ring.count++;
    return rc;
}

void otahost_clear_pubkeys(void)
{
    host_ring.count = 0;
}

uint32_t otahost_pubkey_count(void)
{
    return host_ring.count;
}

const ota_sig_keyring_t *otahost_keyring(void)
{
    return &host_ring;
}
