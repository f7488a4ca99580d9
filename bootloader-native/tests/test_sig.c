/* Signature pieces: strict DER, PEM keys and key ids, curve checks, block parsing, the streaming
 * check fed in odd-sized pieces, and the built-in keyring (this test is built with
 * test-vectors/signing/test_pub.pem and other_pub.pem as its built-in keys). Vectors are made by
 * test-vectors/signing/generate.py (Python `cryptography`), independent of this code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_sig.h"
#include "ota_sig_builtin.h"
#include "test_file.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)
#define CHECK_EQ(a, b) do { long _a = (long)(a), _b = (long)(b); if (_a != _b) { printf("FAIL %s:%d: %s = %ld, expected %ld\n", __FILE__, __LINE__, #a, _a, _b); failures++; } } while (0)

static const char *dir;

static uint8_t *load(const char *name, size_t *len)
{
    uint8_t *b = t_read_file(dir, name, len);
    if (!b) { printf("FAIL cannot open %s/%s\n", dir, name); failures++; }
    return b;
}

static int der(const uint8_t *d, size_t n)
{
    uint8_t r[32], s[32];
    return ota_sig_der_decode(d, n, r, s);
}

static void test_der(void)
{
    const uint8_t ok[] = { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 };
    uint8_t r[32], s[32];
    CHECK_EQ(ota_sig_der_decode(ok, sizeof ok, r, s), 0);
    CHECK_EQ(r[31], 5);
    CHECK_EQ(s[31], 7);
    CHECK_EQ(r[0], 0);
    const uint8_t high[] = { 0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x01 };
    CHECK_EQ(der(high, sizeof high), 0);
    const uint8_t nonmin[] = { 0x30, 0x07, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x01 };
    CHECK_EQ(der(nonmin, sizeof nonmin), OTA_E_SIG_FORMAT);
    const uint8_t neg[] = { 0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x01 };
    CHECK_EQ(der(neg, sizeof neg), OTA_E_SIG_FORMAT);
    const uint8_t zero[] = { 0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01 };
    CHECK_EQ(der(zero, sizeof zero), OTA_E_SIG_FORMAT);
    const uint8_t longform[] = { 0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 };
    CHECK_EQ(der(longform, sizeof longform), OTA_E_SIG_FORMAT);
    const uint8_t trailing[] = { 0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07, 0x00 };
    CHECK_EQ(der(trailing, sizeof trailing), OTA_E_SIG_FORMAT);
    const uint8_t seqlen[] = { 0x30, 0x05, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07 };
    CHECK_EQ(der(seqlen, sizeof seqlen), OTA_E_SIG_FORMAT);
    const uint8_t notint[] = { 0x30, 0x06, 0x04, 0x01, 0x05, 0x02, 0x01, 0x07 };
    CHECK_EQ(der(notint, sizeof notint), OTA_E_SIG_FORMAT);
    const uint8_t overrun[] = { 0x30, 0x06, 0x02, 0x05, 0x05, 0x02, 0x01, 0x07 };
    CHECK_EQ(der(overrun, sizeof overrun), OTA_E_SIG_FORMAT);
    uint8_t big[2 + 2 + 33 + 3];
    big[0] = 0x30; big[1] = sizeof big - 2; big[2] = 0x02; big[3] = 33;
    memset(big + 4, 0x11, 33);
    big[37] = 0x02; big[38] = 0x01; big[39] = 0x01;
    CHECK_EQ(der(big, sizeof big), OTA_E_SIG_FORMAT);
}

static int hexval(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

/* key=value from a .expect file (value copied into out). */
static int expect_value(const char *name, const char *key, char *out, size_t cap)
{
    size_t n;
    char *t = (char *)load(name, &n);
    if (!t) return -1;
    int found = -1;
    size_t kl = strlen(key);
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, key, kl) == 0 && line[kl] == '=') {
            snprintf(out, cap, "%s", line + kl + 1);
            found = 0;
        }
    }
    free(t);
    return found;
}

static void test_keys(ota_sig_key_t *test_key)
{
    size_t n;
    char *pem = (char *)load("test_pub.pem", &n);
    CHECK_EQ(ota_sig_key_from_pem(test_key, pem, n), 0);
    char want[32] = "";
    CHECK_EQ(expect_value("good_full.expect", "key_id", want, sizeof want), 0);
    for (unsigned i = 0; i < OTA_SIG_KEY_ID_LEN && strlen(want) == 16; i++)
        CHECK_EQ(test_key->key_id[i], hexval(want[2 * i]) * 16 + hexval(want[2 * i + 1]));
    CHECK_EQ(test_key->point[0], 0x04);

    /* The private key PEM is not a public key; a damaged base64 body is not a key either. */
    ota_sig_key_t k;
    char *priv = (char *)load("test_key.pem", &n);
    CHECK_EQ(ota_sig_key_from_pem(&k, priv, n), OTA_E_SIG_KEY_FORMAT);
    free(priv);
    pem = (char *)load("test_pub.pem", &n);
    char *mid = strchr(pem, '\n') + 10;
    *mid = (*mid == 'A') ? 'B' : 'A'; /* one base64 digit changed: the point leaves the curve */
    CHECK_EQ(ota_sig_key_from_pem(&k, pem, n), OTA_E_SIG_KEY_FORMAT);
    free(pem);
    CHECK_EQ(ota_sig_key_from_pem(&k, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", 57), OTA_E_SIG_KEY_FORMAT);

    uint8_t pt[OTA_SIG_POINT_LEN];
    memcpy(pt, test_key->point, sizeof pt);
    pt[64] ^= 1;
    CHECK_EQ(ota_ecdsa_p256_check_key(pt), OTA_E_SIG_KEY_FORMAT);
    pt[64] ^= 1;
    pt[0] = 0x02;
    CHECK_EQ(ota_ecdsa_p256_check_key(pt), OTA_E_SIG_KEY_FORMAT);
}

/* The streaming check in 1..97-byte pieces gives the same answer as the one-shot buffer check. */
static void test_streaming(const ota_sig_keyring_t *ring)
{
    size_t n;
    uint8_t *img = load("good_full.img", &n);
    ota_img_header_t h;
    ota_sig_block_t b;
    CHECK_EQ(ota_sig_verify_buffer(img, n, ring, &h, &b), 0);
    CHECK_EQ(b.image_size, n - OTA_SIG_BLOCK_SIZE);
    for (int flip = 0; flip < 2; flip++) {
        if (flip) img[200] ^= 0x10;
        ota_sig_check_t c;
        CHECK_EQ(ota_sig_check_begin(&c, 1), 0);
        size_t body_end = n - OTA_SIG_BLOCK_SIZE, pos = 0, piece = 1;
        while (pos < body_end) {
            size_t k = piece < body_end - pos ? piece : body_end - pos;
            ota_sig_check_update(&c, img + pos, k);
            pos += k;
            piece = piece % 97 + 13;
        }
        CHECK_EQ(ota_sig_check_finish(&c, img + body_end, &b, ring), flip ? OTA_E_SIG_BAD : 0);
    }
    free(img);

    /* Unsigned mode (no keys): a signed image only gets its block format checked. */
    ota_sig_keyring_t none = { NULL, 0 };
    img = load("other_key.img", &n);
    CHECK_EQ(ota_sig_verify_buffer(img, n, &none, NULL, NULL), 0);
    CHECK_EQ(ota_sig_verify_buffer(img, n, ring, NULL, NULL), OTA_E_SIG_KEY_UNKNOWN);
    free(img);
    img = load("block_magic.img", &n);
    CHECK_EQ(ota_sig_verify_buffer(img, n, &none, NULL, NULL), OTA_E_SIG_FORMAT);
    free(img);
    img = load("unsigned_full.img", &n);
    CHECK_EQ(ota_sig_verify_buffer(img, n, &none, NULL, NULL), 0);
    CHECK_EQ(ota_sig_verify_buffer(img, n, ring, NULL, NULL), OTA_E_SIG_MISSING);
    free(img);
}

static void test_builtin(const ota_sig_key_t *test_key)
{
    ota_sig_keyring_t ring;
    CHECK_EQ(ota_sig_builtin_keyring(&ring), 0);
    CHECK_EQ(ring.count, 2);
    CHECK(ota_sig_keyring_find(&ring, test_key->key_id) != NULL);
    size_t n;
    uint8_t *img = load("other_key.img", &n);
    CHECK_EQ(ota_sig_verify_buffer(img, n, &ring, NULL, NULL), 0); /* other_pub.pem is built in too */
    free(img);
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : "test-vectors/signing";
    ota_sig_key_t test_key;
    test_der();
    test_keys(&test_key);
    ota_sig_keyring_t ring = { &test_key, 1 };
    test_streaming(&ring);
    test_builtin(&test_key);
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
