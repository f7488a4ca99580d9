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
