/* libotahost: signature exports (P/Invoke). Returns 0 for a valid signature, else
 * OTA_E_SIG_BAD, OTA_E_SIG_FORMAT (DER), OTA_E_SIG_KEY_FORMAT (point) or OTA_E_USAGE. */
#ifndef SIG_HOST_H
#define SIG_HOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int otahost_ecdsa_p256_verify(const uint8_t point[65], const uint8_t digest[32], const uint8_t *der, uint32_t der_len);

/* The keys otahost_boot trusts (the simulated device's built-in keys): none at load time
 * (unsigned mode). add: a PEM public key, 0 / OTA_E_SIG_KEY_FORMAT / OTA_E_USAGE (8 at most). */
int otahost_add_pubkey(const char *pem, uint32_t len);
void otahost_clear_pubkeys(void);
uint32_t otahost_pubkey_count(void);
const struct ota_sig_keyring *otahost_keyring(void);

#ifdef __cplusplus
}
#endif

#endif
