/* Trusted public keys: from a SEC1 uncompressed point, or from PEM SubjectPublicKeyInfo. A P-256
 * SPKI with an uncompressed point is always the same 91 DER bytes: the 26-byte prefix below
 * (SEQUENCE, AlgorithmIdentifier id-ecPublicKey + prime256v1, BIT STRING header) and the point.
 * The key id is SHA-256(point)[0..8). */
#include <string.h>
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_sig.h"

static const uint8_t spki_p256_prefix[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
    0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};
#define SPKI_LEN (sizeof spki_p256_prefix + OTA_SIG_POINT_LEN)

static const char pem_begin[] = "-----BEGIN PUBLIC KEY-----";
static const char pem_end[] = "-----END PUBLIC KEY-----";

int ota_sig_key_init(ota_sig_key_t *k, const uint8_t point[OTA_SIG_POINT_LEN])
{
    int rc = ota_ecdsa_p256_check_key(point);
    if (rc) return rc;
    uint8_t d[OTA_SHA256_SIZE];
    if (ota_sha256(point, OTA_SIG_POINT_LEN, d) != 0) return OTA_E_IO;
    memcpy(k->point, point, OTA_SIG_POINT_LEN);
    memcpy(k->key_id, d, OTA_SIG_KEY_ID_LEN);
    return OTA_OK;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static const char *find(const char *s, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, what, n) == 0) return s + i;
    return NULL;
}

int ota_sig_key_from_pem(ota_sig_key_t *k, const char *pem, size_t len)
{
    const char *b = find(pem, len, pem_begin);
    if (!b) return OTA_E_SIG_KEY_FORMAT;
    b += sizeof pem_begin - 1;
    const char *e = find(b, len - (size_t)(b - pem), pem_end);
    if (!e) return OTA_E_SIG_KEY_FORMAT;

    uint8_t der[SPKI_LEN + 3];
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    for (const char *p = b; p < e; p++) {
        char c = *p;
        if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
        if (c == '=') { pad++; continue; }
        int v = b64_value(c);
        if (v < 0 || pad) return OTA_E_SIG_KEY_FORMAT;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= sizeof der) return OTA_E_SIG_KEY_FORMAT;
            der[n++] = (uint8_t)(acc >> bits);
        }
    }
    if (pad > 2 || n != SPKI_LEN || memcmp(der, spki_p256_prefix, sizeof spki_p256_prefix) != 0)
        return OTA_E_SIG_KEY_FORMAT;
    return ota_sig_key_init(k, der + sizeof spki_p256_prefix);
}
