/* ota-sigverify: checks a signed image file with the C verifier, as the bootloader does.
 *   ota-sigverify IMG [--pub PUB.pem]... [--builtin]
 * Keys from --pub files and/or the built-in set; no key at all = unsigned mode (format only).
 * For an xz package the stream is decoded (output bounded by image_size) and the decoded full
 * image is checked (inner header, body CRC, image_size/image_sha256).
 * Prints "ok ..." and exits 0, or "ota-sigverify: E<code> <NAME>" on stderr and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_image.h"
#include "ota_sig.h"
#include "ota_sig_builtin.h"
#include "ota_xz.h"

#define MAX_KEYS 8
#define MAX_FILE (32u << 20)

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = malloc(MAX_FILE);
    size_t n = buf ? fread(buf, 1, MAX_FILE, f) : 0;
    fclose(f);
    *len = n;
    return buf;
}

typedef struct {
    uint8_t *out;
    size_t cap, len;
} sink_t;

static int sink_flush(void *ctx, const uint8_t *data, size_t len)
{
    sink_t *s = ctx;
    if (len > s->cap - s->len) return OTA_E_XZ_OUTPUT_LIMIT;
    memcpy(s->out + s->len, data, len);
    s->len += len;
    return OTA_OK;
}

static int sink_history(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    sink_t *s = ctx;
    if (pos > s->len || len > s->len - pos) return OTA_E_XZ_DATA;
    memcpy(buf, s->out + pos, len);
    return OTA_OK;
}

/* Decodes the package body and checks the full image it holds. */
static int check_xz(const uint8_t *img, const ota_img_header_t *h, const ota_sig_block_t *b, int have_block)
{
    size_t cap = have_block ? b->image_size : (16u << 20);
    sink_t s = { malloc(cap ? cap : 1), cap, 0 };
    static ota_xz_dec_t dec;
    static uint8_t ram[4096];
    ota_xz_window_t w = { ram, sizeof ram, &s, sink_flush, sink_history, cap };
    if (!s.out) return OTA_E_IO;
    ota_xz_init(&dec, &w);
    size_t used = 0;
    int rc = ota_xz_run(&dec, img + OTA_IMG_HEADER_SIZE, h->img_len, &used);
    if (rc == OTA_XZ_MORE) rc = ota_xz_end_of_input(&dec);
    if (rc == OTA_XZ_END) rc = OTA_OK;
    /* More output than the signed image_size: the stream disagrees with what was signed. */
    if (rc == OTA_E_XZ_OUTPUT_LIMIT && have_block) rc = OTA_E_SIG_HASH;
    ota_img_header_t inner;
    if (!rc) rc = ota_image_parse(s.out, s.len, &inner) ? OTA_E_IMG_INNER : OTA_OK;
    if (!rc) rc = ota_image_check_inner(h, &inner);
    if (!rc && have_block) {
        ota_sig_image_hash_t ih;
        rc = ota_sig_image_begin(&ih);
        if (!rc) rc = ota_sig_image_update(&ih, s.out, s.len);
        if (!rc) rc = ota_sig_image_finish(&ih, b);
    }
    free(s.out);
    return rc;
}

int main(int argc, char **argv)
{
    static ota_sig_key_t keys[MAX_KEYS];
    ota_sig_keyring_t ring = { keys, 0 };
    const char *path = NULL;
    int builtin = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pub") == 0 && i + 1 < argc && ring.count < MAX_KEYS) {
            size_t n;
            uint8_t *pem = read_file(argv[++i], &n);
            int rc = pem ? ota_sig_key_from_pem(&keys[ring.count], (const char *)pem, n) : OTA_E_IO;
            free(pem);
            if (rc) {
                fprintf(stderr, "ota-sigverify: E%d %s: %s\n", rc, ota_err_name(rc), argv[i]);
                return 1;
            }
            ring.count++;
        } else if (strcmp(argv[i], "--builtin") == 0) {
            builtin = 1;
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            fprintf(stderr, "usage: ota-sigverify IMG [--pub PUB.pem]... [--builtin]\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: ota-sigverify IMG [--pub PUB.pem]... [--builtin]\n");
        return 2;
    }
    if (builtin) {
        ota_sig_keyring_t b;
        int rc = ota_sig_builtin_keyring(&b);
        for (uint32_t i = 0; !rc && i < b.count && ring.count < MAX_KEYS; i++) keys[ring.count++] = b.keys[i];
        if (rc) {
            fprintf(stderr, "ota-sigverify: E%d %s: built-in key\n", rc, ota_err_name(rc));
            return 1;
        }
    }
    size_t len;
    uint8_t *img = read_file(path, &len);
    if (!img) {
        fprintf(stderr, "ota-sigverify: E%d %s: cannot read %s\n", OTA_E_IO, ota_err_name(OTA_E_IO), path);
        return 1;
    }
    ota_img_header_t h;
    ota_sig_block_t b;
    int rc = ota_sig_verify_buffer(img, len, &ring, &h, &b);
    if (!rc && ota_img_compress(&h) == OTA_COMPRESS_XZ) rc = check_xz(img, &h, &b, ota_img_signed(&h) && ring.count > 0);
    free(img);
    if (rc) {
        fprintf(stderr, "ota-sigverify: E%d %s\n", rc, ota_err_name(rc));
        return 1;
    }
    if (ota_img_signed(&h)) {
        printf("ok signed key_id=");
        for (unsigned i = 0; i < OTA_SIG_KEY_ID_LEN; i++) printf("%02x", b.key_id[i]);
        printf(" image_size=%u verified=%s\n", (unsigned)b.image_size, ring.count ? "yes" : "no (no trusted key)");
    } else {
        printf("ok unsigned\n");
    }
    return 0;
}
