/* libFuzzer harness (ASan + UBSan): the LZMA2/LZMA layers of our XZ decoder, differential
 * against liblzma's raw LZMA2 decoder. Mutating whole .xz files mostly breaks CRCs, so here the
 * fuzz input is the LZMA2 payload and the harness builds a valid container around it:
 *   input = [dictionary property % 16] [input piece size] [LZMA2 payload ...]
 *   stream header (check None) + block header (LZMA2, that dictionary) + payload + padding +
 *   index (one record: unpadded size, and the uncompressed size liblzma got) + footer.
 * Rule: liblzma's raw decoder ends the payload exactly at its last byte <=> we decode the
 * container, with the same bytes (or refuse lc + lp > OTA_XZ_LCLP_MAX with XZ_OPTIONS); our
 * result does not depend on the ring size or input pieces. */
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_xz.h"

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CAP ((size_t)1 << 20)
#include "xz_harness.h"
#define MAX_IN  ((size_t)1 << 17)

static uint8_t out_a[OUT_CAP], out_b[OUT_CAP], out_ref[OUT_CAP + 1];
static uint8_t big_ram[OUT_CAP], small_ram[4096];
static uint8_t xz[MAX_IN + 128];

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static size_t vli(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Wraps the payload into a one-block .xz stream; returns its length. */
static size_t wrap(uint8_t prop, const uint8_t *payload, size_t len, uint64_t uncompressed)
{
    static const uint8_t magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0 };
    size_t n = 0, index_start;
    memcpy(xz, magic, 6);
    xz[6] = 0; xz[7] = 0; /* check None */
    le32(xz + 8, ota_crc32_xz(xz + 6, 2));
    n = 12;
    xz[n + 0] = 0x02; xz[n + 1] = 0x00; xz[n + 2] = 0x21; xz[n + 3] = 0x01; xz[n + 4] = prop;
    xz[n + 5] = xz[n + 6] = xz[n + 7] = 0;
    le32(xz + n + 8, ota_crc32_xz(xz + n, 8));
    n += 12;
    memcpy(xz + n, payload, len);
    n += len;
    while (n & 3)
        xz[n++] = 0;
    index_start = n;
    xz[n++] = 0x00;
    n += vli(xz + n, 1);
    n += vli(xz + n, 12 + len);
    n += vli(xz + n, uncompressed);
    while (n & 3)
        xz[n++] = 0;
    le32(xz + n, ota_crc32_xz(xz + index_start, n - index_start));
    n += 4;
    le32(xz + n + 4, (uint32_t)((n - index_start) / 4 - 1));
    xz[n + 8] = 0; xz[n + 9] = 0;
    le32(xz + n, ota_crc32_xz(xz + n + 4, 6));
    xz[n + 10] = 'Y'; xz[n + 11] = 'Z';
    return n + 12;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lzma_options_lzma opt;
    lzma_filter filters[2];
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r;
    sink_t a = { out_a, 0 }, b = { out_b, 0 };
    size_t ref_len, len, xz_len, piece;
    uint8_t prop;
    int accepted, rc_a, rc_b;
    size_t used;

    if (size < 2 || size - 2 > MAX_IN)
        return 0;
    prop = data[0] % 16; /* dictionary 4 KiB .. 768 KiB */
    piece = 1 + data[1] % 97;
    data += 2;
    len = size - 2;

    memset(&opt, 0, sizeof opt);
    opt.dict_size = (2u | (prop & 1u)) << (prop / 2 + 11);
    filters[0].id = LZMA_FILTER_LZMA2;
    filters[0].options = &opt;
    filters[1].id = LZMA_VLI_UNKNOWN;
    filters[1].options = NULL;
    if (lzma_raw_decoder(&s, filters) != LZMA_OK)
        return 0;
    s.next_in = data;
    s.avail_in = len;
    s.next_out = out_ref;
    s.avail_out = OUT_CAP + 1;
    r = lzma_code(&s, LZMA_FINISH);
    ref_len = OUT_CAP + 1 - s.avail_out;
    accepted = r == LZMA_STREAM_END && s.avail_in == 0;
    lzma_end(&s);
    if (ref_len > OUT_CAP - 1)
        return 0; /* too big to compare */

    xz_len = wrap(prop, data, len, accepted ? ref_len : 0);
    rc_a = ours(xz, xz_len, big_ram, (uint32_t)OUT_CAP, 1, (size_t)-1, &a, &used);
    rc_b = ours(xz, xz_len, small_ram, sizeof small_ram, 1, piece, &b, &used);
    if (rc_a != rc_b) {
        fprintf(stderr, "ring 1 MiB: %d, ring 4 KiB + history, %zu-byte pieces: %d\n", rc_a, piece, rc_b);
        __builtin_trap();
    }
    if (rc_a == OTA_XZ_END && (a.len != b.len || memcmp(out_a, out_b, a.len) != 0))
        __builtin_trap();
    /* the container is valid, so XZ_OPTIONS can only be lc + lp > OTA_XZ_LCLP_MAX (3 in the
     * default build): refused by design, like the whole-file harness allows */
    if (accepted && rc_a == OTA_E_XZ_OPTIONS)
        return 0;
    if (accepted && (rc_a != OTA_XZ_END || a.len != ref_len || memcmp(out_a, out_ref, ref_len) != 0)) {
        fprintf(stderr, "liblzma accepts (%zu bytes), we: %d %s (%zu bytes)\n", ref_len, rc_a,
                ota_err_name(rc_a), a.len);
        __builtin_trap();
    }
    if (!accepted && rc_a == OTA_XZ_END) {
        fprintf(stderr, "we accept (%zu bytes), liblzma rejects (%d)\n", a.len, (int)r);
        __builtin_trap();
    }
    return 0;
}
