/* ECDSA P-256 (secp256r1) signature verification over a SHA-256 digest, through mbedTLS.
 * Keys are SEC1 uncompressed points (04 || X || Y, 65 bytes); r and s are 32-byte big-endian
 * scalars (the DER form is decoded by ota_sig_der). Includers never see mbedTLS headers. */
#ifndef OTA_ECDSA_H
#define OTA_ECDSA_H

#include <stdint.h>

#define OTA_ECDSA_P256_POINT_SIZE 65u
#define OTA_ECDSA_P256_SCALAR_SIZE 32u

/* 0: the signature is valid. OTA_E_SIG_BAD: it is not (r or s out of range included).
 * OTA_E_SIG_KEY_FORMAT: the point is not a valid P-256 public key. OTA_E_SIG_NOMEM: its
 * allocator (the lent arena, ota_arena.h) had no room for a bignum. OTA_E_IO: mbedTLS failed
 * otherwise. */
int ota_ecdsa_p256_verify(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE], const uint8_t hash[32],
                          const uint8_t r[OTA_ECDSA_P256_SCALAR_SIZE], const uint8_t s[OTA_ECDSA_P256_SCALAR_SIZE]);

/* 0 when the point is on the curve (mbedtls_ecp_check_pubkey), else OTA_E_SIG_KEY_FORMAT. */
int ota_ecdsa_p256_check_key(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE]);

#endif
