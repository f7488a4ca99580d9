/* RISC-V BCJ filter (xz id 0x0B) in the decoder: test-vectors/bcj made by an independent Python
 * encoder (test-vectors/generate_bcj.py). Checks the filter alone, whole streams under several
 * window and input-piece setups, refusals, corruption, and an install of a BCJ package by the
 * bootloader on the simulated flash. */
#include "boot_testlib.h"
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_xz.h"
#include "test_file.h"
#include "../core/src/xz_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int t_failures;

typedef struct { uint8_t *p; size_t n; } blob_t;

static blob_t load(const char *name)
{
    blob_t b;
    b.p = t_read_file(VECTORS_DIR "/bcj", name, &b.n);
    if (!b.p) {
        printf("FAIL cannot open %s/bcj/%s\n", VECTORS_DIR, name);
        t_failures++;
    }
    return b;
}

typedef struct { uint8_t *p; size_t n, cap; size_t pieces; } sink_t;

static int on_flush(void *ctx, const uint8_t *data, size_t len)
{
    sink_t *s = ctx;
    if (s->n + len > s->cap)
        return OTA_E_XZ_OUTPUT_LIMIT;
    memcpy(s->p + s->n, data, len);
    s->n += len;
    s->pieces++;
    return 0;
}

static size_t history_bytes; /* bytes read through on_history */

static int on_history(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    sink_t *s = ctx;
    history_bytes += len;
    if (pos + len > s->n)
        return OTA_E_XZ_DATA;
    memcpy(buf, s->p + pos, len);
    return 0;
}

static ota_xz_dec_t dec;
static uint8_t ring_mem[(1u << 20) + 64]; /* stays valid after decode() for ota_xz_flush() */

/* Decodes `xz` pushing `piece` bytes at a time through a ring of `ring` bytes; the output in *out. */
static int decode(const blob_t *xz, size_t piece, uint32_t ring, int history, sink_t *out)
{
    uint8_t *ram = ring_mem;
    static ota_xz_window_t w;
    memset(&w, 0, sizeof w);
    w.ram = ram;
    w.ram_size = ring;
    w.ctx = out;
    w.flush = on_flush;
    w.read_history = history ? on_history : NULL;
    out->n = 0;
    out->pieces = 0;
    ota_xz_init(&dec, &w);
    size_t at = 0;
    int rc = OTA_XZ_MORE;
    while (at < xz->n && rc == OTA_XZ_MORE) {
        size_t n = xz->n - at < piece ? xz->n - at : piece, used = 0;
        rc = ota_xz_run(&dec, xz->p + at, n, &used);
        at += used;
    }
    if (rc == OTA_XZ_MORE)
        rc = ota_xz_end_of_input(&dec);
    return rc;
}

static void check_stream(const char *name, const blob_t *raw)
{
    static const size_t pieces[] = { (size_t)-1, 1, 7, 4093 };
    static const uint32_t rings[] = { 32768, 32768 + 5, 1u << 20 };
    blob_t xz = load(name);
    sink_t out = { malloc(raw->n + 64), 0, raw->n + 64, 0 };
    size_t i, j;
    for (i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        for (j = 0; j < sizeof rings / sizeof rings[0]; j++) {
            int rc = decode(&xz, pieces[i], rings[j], (int)(j & 1), &out);
            if (rc != OTA_XZ_END || out.n != raw->n || memcmp(out.p, raw->p, raw->n) != 0) {
                printf("FAIL %s piece %zu ring %u: rc %d, %zu of %zu bytes%s\n", name, pieces[i],
                       rings[j], rc, out.n, raw->n,
                       out.n == raw->n ? " (content differs)" : "");
                t_failures++;
            }
        }
    free(out.p);
    free(xz.p);
}

/* Rewrites the block header of a stream (at offset 12) with `body` (size byte filled in) and
 * fixes its CRC; the rest of the stream is left as it is. */
static void put_block_header(blob_t *xz, const uint8_t *body, size_t body_len)
{
    size_t hsize = (size_t)(xz->p[12] + 1) * 4;
    memset(xz->p + 12, 0, hsize - 4);
    memcpy(xz->p + 12 + 1, body, body_len);
    xz->p[12] = (uint8_t)(hsize / 4 - 1);
    uint32_t c = ota_crc32_xz(xz->p + 12, hsize - 4);
    xz->p[12 + hsize - 4] = (uint8_t)c;
    xz->p[12 + hsize - 3] = (uint8_t)(c >> 8);
    xz->p[12 + hsize - 2] = (uint8_t)(c >> 16);
    xz->p[12 + hsize - 1] = (uint8_t)(c >> 24);
}

int main(void)
{
    blob_t raw = load("riscv_mix.bin"), filt = load("riscv_mix.filtered");
    if (t_failures)
        return 1;

    /* the filter alone: whole buffer, and in streaming steps (what is not final is retried) */
    {
        uint8_t *b = malloc(filt.n);
        memcpy(b, filt.p, filt.n);
        size_t done = xz_bcj_riscv_decode(b, filt.n, filt.n, 0);
        CHECK(done > filt.n - 8 && done <= filt.n);
        CHECK(memcmp(b, raw.p, raw.n) == 0);
        CHECK(memcmp(filt.p, raw.p, raw.n) != 0); /* the vector does exercise conversions */

        static const size_t steps[] = { 8, 9, 13, 64, 4096 };
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            memcpy(b, filt.p, filt.n);
            size_t pos = 0, have = 0; /* bytes [pos, have) arrived but are not final yet */
            while (have < filt.n) {
                have = filt.n - have < steps[k] ? filt.n : have + steps[k];
                pos += xz_bcj_riscv_decode(b + pos, have - pos, have - pos, (uint32_t)pos);
            }
            if (memcmp(b, raw.p, raw.n) != 0) {
                printf("FAIL filter in steps of %zu differs from the whole-buffer result\n", steps[k]);
                t_failures++;
            }
        }
        /* another start offset decodes differently (the addresses are absolute) */
        memcpy(b, filt.p, filt.n);
        xz_bcj_riscv_decode(b, filt.n, filt.n, 4096);
        CHECK(memcmp(b, raw.p, raw.n) != 0);

        /* the encoder direction (re-encoding flash history) gives the Python encoder's bytes,
         * whole and resumed at the scan position it returns, and stops at a `stop` the decoder
         * is given at the same scan position */
        memcpy(b, raw.p, raw.n);
        done = xz_bcj_riscv_encode(b, raw.n, 0);
        CHECK(done > raw.n - 8 && done <= raw.n);
        CHECK(memcmp(b, filt.p, filt.n) == 0);
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            memcpy(b, raw.p, raw.n);
            size_t pos = 0, have = 0;
            while (have < raw.n) {
                have = raw.n - have < steps[k] ? raw.n : have + steps[k];
                pos += xz_bcj_riscv_encode(b + pos, have - pos, (uint32_t)pos);
            }
            if (memcmp(b, filt.p, filt.n) != 0) {
                printf("FAIL encoder in steps of %zu differs from the vector\n", steps[k]);
                t_failures++;
            }
        }
        size_t stops = 0;
        for (size_t stop = 0; stop < filt.n - 8; stop += 509) {
            memcpy(b, filt.p, filt.n);
            size_t pd = xz_bcj_riscv_decode(b, filt.n, stop, 0);
            size_t pd2 = pd + xz_bcj_riscv_decode(b + pd, filt.n - pd, filt.n - pd, (uint32_t)pd);
            stops += pd >= stop && pd < stop + 8 && pd2 == done && memcmp(b, raw.p, raw.n) == 0;
        }
        CHECK_EQ(stops, (filt.n - 8 + 508) / 509);
        free(b);
    }

    /* whole streams: CRC32, start offset property 4096, SHA-256 check */
    check_stream("riscv_mix.xz", &raw);
    check_stream("riscv_mix_s4096.xz", &raw);
    check_stream("riscv_mix_sha.xz", &raw);

    /* a dictionary (32 KiB) larger than the ring: history read back from the output (final
     * bytes) is re-encoded by the decoder (far mode, xz_bcj_history.c); without read_history
     * it is XZ_MEMLIMIT */
    {
        static const size_t far_pieces[] = { (size_t)-1, 1, 7, 4093 };
        static const uint32_t far_rings[] = { 1, 37, 300, 4096, 4109 };
        static const char *const names[] = { "riscv_mix.xz", "riscv_mix_s4096.xz", "riscv_mix_sha.xz" };
        for (size_t v = 0; v < 3; v++) {
            blob_t fx = load(names[v]);
            sink_t fo = { malloc(raw.n + 64), 0, raw.n + 64, 0 };
            for (size_t i = 0; i < 4; i++)
                for (size_t j = 0; j < 5; j++) {
                    history_bytes = 0;
                    int rc = decode(&fx, far_pieces[i], far_rings[j], 1, &fo);
#if OTA_XZ_BCJ_HISTORY_MAX < 20000
                    /* a build whose alignment table covers less than the block: refused */
                    CHECK_EQ(rc, OTA_E_XZ_MEMLIMIT);
                    CHECK(fo.n <= OTA_XZ_BCJ_HISTORY_MAX);
                    continue;
#endif
                    CHECK(history_bytes > 0); /* matches did reach behind the ring */
                    if (rc != OTA_XZ_END || fo.n != raw.n || memcmp(fo.p, raw.p, raw.n) != 0) {
                        printf("FAIL far history %s piece %zu ring %u: rc %d, %zu of %zu bytes\n",
                               names[v], far_pieces[i], far_rings[j], rc, fo.n, raw.n);
                        t_failures++;
                    }
                }
            free(fo.p);
            free(fx.p);
        }
        blob_t xz = load("riscv_mix.xz");
        sink_t out = { malloc(raw.n + 64), 0, raw.n + 64, 0 };
        CHECK_EQ(decode(&xz, (size_t)-1, 4096, 0, &out), OTA_E_XZ_MEMLIMIT);
        /* the history callback's error stops decoding as it is */
        out.cap = 6000; /* on_flush refuses past 6000 bytes: XZ_OUTPUT_LIMIT */
        CHECK_EQ(decode(&xz, (size_t)-1, 4096, 1, &out), OTA_E_XZ_OUTPUT_LIMIT);
        out.cap = raw.n + 64;

        /* check over the final bytes: a flipped check byte is XZ_CHECK */
        blob_t bad = { malloc(xz.n), xz.n };
        memcpy(bad.p, xz.p, xz.n);
        /* the CRC32 check sits right before the index (index = 12 bytes here: 00 01 VLI VLI pad CRC) */
        size_t footer = bad.n - 12;
        size_t index_size = ((size_t)bad.p[footer + 4] + 1) * 4;
        bad.p[footer - index_size - 1] ^= 0x10;
        CHECK_EQ(decode(&bad, (size_t)-1, 1u << 20, 0, &out), OTA_E_XZ_CHECK);

        /* filter chains we refuse: props size 1; BCJ twice; BCJ after LZMA2; BCJ alone */
        static const uint8_t props1[] = { 0x01, 0x0B, 0x01, 0x00, 0x21, 0x01, 0x06 };
        static const uint8_t twice[] = { 0x02, 0x0B, 0x00, 0x0B, 0x00, 0x21, 0x01, 0x06 };
        static const uint8_t after[] = { 0x01, 0x21, 0x01, 0x06, 0x0B, 0x00 };
        static const uint8_t alone[] = { 0x00, 0x0B, 0x00 };
        static const struct { const uint8_t *b; size_t n; const char *what; } bad_chains[] = {
            { props1, sizeof props1, "props size 1" }, { twice, sizeof twice, "BCJ twice" },
            { after, sizeof after, "BCJ after LZMA2" }, { alone, sizeof alone, "BCJ alone" },
        };
        for (size_t k = 0; k < sizeof bad_chains / sizeof bad_chains[0]; k++) {
            memcpy(bad.p, xz.p, xz.n);
            put_block_header(&bad, bad_chains[k].b, bad_chains[k].n);
            int rc = decode(&bad, (size_t)-1, 1u << 20, 0, &out);
            if (rc != OTA_E_XZ_OPTIONS) {
                printf("FAIL chain %s: rc %d, want XZ_OPTIONS\n", bad_chains[k].what, rc);
                t_failures++;
            }
        }
        /* without the BCJ entry the same data decodes to the filtered bytes, and the check
         * (over the real data) no longer matches */
        static const uint8_t lzma2_only[] = { 0x00, 0x21, 0x01, 0x06 };
        memcpy(bad.p, xz.p, xz.n);
        put_block_header(&bad, lzma2_only, sizeof lzma2_only);
        CHECK_EQ(decode(&bad, (size_t)-1, 1u << 20, 0, &out), OTA_E_XZ_CHECK);
        CHECK_EQ(ota_xz_flush(&dec), 0); /* what the ring still holds */
        CHECK(out.n == filt.n && memcmp(out.p, filt.p, filt.n) == 0);
        free(bad.p);
        free(out.p);
        free(xz.p);
    }

    /* the bootloader installs a BCJ package: old image in app, package staged, one boot */
    {
        blob_t full = load("riscv_mix.img"), pkg = load("riscv_mix_ota.img");
        static uint8_t fw[30000], old[40000];
        size_t old_len = t_seeded_image(old, fw, sizeof fw, 7, "1.0.0", 0);
        ota_hostflash_t *h = t_flash_new();
        t_flash_install_direct(h, old, old_len);
        t_stage(h, pkg.p, pkg.n);
        ota_boot_report_t r;
        int rc = t_boot(h, &r);
#if OTA_XZ_BCJ_HISTORY_MAX < 20000 && OTA_INSTALL_WINDOW_SIZE < 32768
        /* longer than the alignment table: refused by the verification, the old app intact */
        CHECK_EQ(r.error, OTA_E_XZ_MEMLIMIT);
        CHECK(t_app_holds(h, old, old_len));
        CHECK_EQ(t_state(h).cur.state, OTA_STATE_FAILED);
        (void)rc;
#else
        CHECK_EQ(rc, 0);
        CHECK(t_app_holds(h, full.p, full.n));
        ota_state_store_t st = t_state(h);
        CHECK_EQ(st.cur.state, OTA_STATE_TRIAL);
#endif
        ota_hostflash_close(h);
        free(full.p);
        free(pkg.p);
    }

    free(raw.p);
    free(filt.p);
    printf("%s: %d failure(s)\n", t_failures ? "FAIL" : "ok", t_failures);
    return t_failures ? 1 : 0;
}
