/* libotahost: signature exports (P/Invoke). Returns 0 for a valid signature, else
 * OTA_E_SIG_BAD, OTA_E_SIG_FORMAT (DER), OTA_E_SIG_KEY_FORMAT (point) or OTA_E_USAGE. */
#ifndef SIG_HOST_H
#define SIG_HOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int otahost_ecdsa_p256_verify(const uint8_t point[65], const uint8_t digest[32], const uint8_t *der, uint32_t der_len);

#ifdef __cplusplus
}
#endif

#endif
