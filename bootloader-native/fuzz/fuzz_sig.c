/* Signed-image verification on arbitrary input: ota_sig_verify_buffer with the signing vectors'
 * trusted key must never crash, and a DER signature that decodes must be the one minimal encoding
 * of its (r, s) -- strict DER leaves no second encoding of the same signature. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ota_err.h"
#include "ota_sig.h"

/* test-vectors/signing/test_pub.pem as an uncompressed point */
static const uint8_t test_point[65] = {
    0x04, 0xcb, 0x43, 0xc9, 0xb1, 0x11, 0x1e, 0xaa, 0x7c, 0x72, 0xde, 0x31, 0x44, 0x88, 0x68, 0x6d,
    0x54, 0x98, 0xc9, 0xa0, 0x69, 0x91, 0xf7, 0x9b, 0xd3, 0xe1, 0x0d, 0x82, 0x56, 0x7c, 0xaa, 0x16,
    0x30, 0x71, 0xd9, 0xb1, 0x33, 0x7c, 0xb4, 0x43, 0x01, 0x95, 0x99, 0xde, 0xf7, 0x8d, 0x34, 0x6a,
    0xda, 0xad, 0xbf, 0x3e, 0x8f, 0x3b, 0x7d, 0x94, 0x83, 0xfd, 0x52, 0x2a, 0x1c, 0x38, 0xe6, 0x4f,
    0x33,
};

/* Minimal DER INTEGER of a 32-byte big-endian scalar. */
static size_t put_int(uint8_t *out, const uint8_t v[32])
{
    size_t i = 0;
    while (i < 31 && v[i] == 0) i++;
    size_t n = 32 - i, pad = (v[i] & 0x80) ? 1 : 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    if (pad) out[2] = 0;
    memcpy(out + 2 + pad, v + i, n);
    return 2 + pad + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ota_sig_key_t key;
    static int ready;
    if (!ready) {
        if (ota_sig_key_init(&key, test_point) != 0) abort();
        ready = 1;
    }
    ota_sig_keyring_t ring = { &key, 1 };
    ota_img_header_t h;
    ota_sig_block_t b;
    int rc = ota_sig_verify_buffer(data, size, &ring, &h, &b);
    if (rc == OTA_OK && !ota_img_signed(&h)) abort(); /* signed mode never accepts unsigned */

    uint8_t r[32], s[32];
    size_t n = size < OTA_SIG_DER_MAX ? size : OTA_SIG_DER_MAX;
    if (ota_sig_der_decode(data, n, r, s) == OTA_OK) {
        uint8_t der[80];
        size_t len = 2;
        len += put_int(der + len, r);
        len += put_int(der + len, s);
        der[0] = 0x30;
        der[1] = (uint8_t)(len - 2);
        if (len != n || memcmp(der, data, n) != 0) abort();
    }

    if (size >= OTA_SIG_BLOCK_SIZE && ota_sig_block_parse(data, &b) == OTA_OK) {
        if (b.sig_len < OTA_SIG_DER_MIN || b.sig_len > OTA_SIG_DER_MAX || b.version != 1 || b.algorithm != 1) abort();
    }
    return 0;
}
