/* ota-xzbench: decoder measurements for `make bench` (tools/scripts/bench.d/20-xz-decoder.sh).
 *   ota-xzbench time FILE.xz    in-memory decode, ours vs liblzma, alternating rounds, best
 *                               round of each: "ours_mbps liblzma_mbps ratio out_bytes"
 *   ota-xzbench ours FILE.xz    one in-memory decode with our decoder (for callgrind)
 *   ota-xzbench lzma FILE.xz    one in-memory decode with liblzma (for callgrind)
 *   ota-xzbench flash FILE.xz   our decoder as the bootloader runs it: a 4 KiB ring, flush()
 *                               appending to the output, matches beyond the ring read back from
 *                               it (read_history, the "flash"); best of rounds for >= 1 s:
 *                               "seconds history_bytes out_bytes"
 *   ota-xzbench flashvs FILE.xz the flash mode against liblzma decoding the same stream into RAM,
 *                               alternating rounds for >= 2 s, best round of each, outputs
 *                               checked equal: "ours_mbps liblzma_mbps ratio history_bytes out_bytes"
 *   ota-xzbench oursflash FILE.xz  one decode in the flash mode (for callgrind)
 * Both decoders write into a RAM buffer of the whole output (ours: the window ring is the
 * output buffer, so flush() costs nothing), so the numbers compare the decoders alone. */
#define _POSIX_C_SOURCE 200809L
#include "ota_err.h"
#include "ota_xz.h"

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint8_t *in_buf, *out_buf;
static size_t in_len, out_cap;
static ota_xz_dec_t dec;

static int nop_flush(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return 0;
}

static size_t run_ours(void)
{
    ota_xz_window_t w;
    size_t used;
    memset(&w, 0, sizeof w);
    w.ram = out_buf;
    w.ram_size = (uint32_t)out_cap;
    w.flush = nop_flush;
    ota_xz_init(&dec, &w);
    if (ota_xz_run(&dec, in_buf, in_len, &used) != OTA_XZ_END) {
        fprintf(stderr, "ota-xzbench: our decoder failed\n");
        exit(1);
    }
    return (size_t)ota_xz_total_out(&dec);
}

static size_t run_lzma(void)
{
    uint64_t memlimit = UINT64_MAX;
    size_t in_pos = 0, out_pos = 0;
    if (lzma_stream_buffer_decode(&memlimit, 0, NULL, in_buf, &in_pos, in_len, out_buf, &out_pos,
                                  out_cap) != LZMA_OK) {
        fprintf(stderr, "ota-xzbench: liblzma failed\n");
        exit(1);
    }
    return out_pos;
}

static size_t out_len, history_bytes;

static int append_flush(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    if (out_len + len > out_cap)
        return OTA_E_XZ_OUTPUT_LIMIT;
    memcpy(out_buf + out_len, data, len);
    out_len += len;
    return 0;
}

static int read_back(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (pos + len > out_len)
        return OTA_E_XZ_DATA;
    memcpy(buf, out_buf + pos, len);
    history_bytes += len;
    return 0;
}

static size_t run_flash(void)
{
    static uint8_t ring[4096];
    ota_xz_window_t w;
    size_t used;
    memset(&w, 0, sizeof w);
    w.ram = ring;
    w.ram_size = sizeof ring;
    w.flush = append_flush;
    w.read_history = read_back;
    out_len = history_bytes = 0;
    ota_xz_init(&dec, &w);
    int rc = ota_xz_run(&dec, in_buf, in_len, &used);
    if (rc != OTA_XZ_END) {
        fprintf(stderr, "ota-xzbench: our decoder (4 KiB ring + history) failed: %d %s\n", rc,
                ota_err_name(rc));
        exit(1);
    }
    return out_len;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Alternates ours() and liblzma for >= 2 s (at least 5 rounds) and keeps the best round of each:
 * the one least disturbed by other load on the machine. */
static void best_rounds(size_t (*ours)(void), double *best_ours, double *best_lzma)
{
    double spent = 0, t0, t;
    int round;
    *best_ours = *best_lzma = 1e9;
    for (round = 0; round < 500 && (spent < 2.0 || round < 5); round++) {
        t0 = now();
        ours();
        t = now() - t0;
        *best_ours = t < *best_ours ? t : *best_ours;
        spent += t;
        t0 = now();
        run_lzma();
        t = now() - t0;
        *best_lzma = t < *best_lzma ? t : *best_lzma;
        spent += t;
    }
}

static void time_both(void)
{
    double best_ours, best_lzma;
    size_t out = run_ours(); /* warm up page tables and caches */
    run_lzma();
    best_rounds(run_ours, &best_ours, &best_lzma);
    printf("%.1f %.1f %.3f %zu\n", (double)out / best_ours / 1e6, (double)out / best_lzma / 1e6,
           best_ours / best_lzma, out);
}

static void time_flash(void)
{
    double best = 1e9, spent = 0, t0, t;
    size_t out = 0;
    int round;
    run_flash();
    for (round = 0; round < 500 && (spent < 1.0 || round < 3); round++) {
        t0 = now();
        out = run_flash();
        t = now() - t0;
        best = t < best ? t : best;
        spent += t;
    }
    printf("%.6f %zu %zu\n", best, history_bytes, out);
}

static void time_flash_vs_lzma(void)
{
    double best_ours, best_lzma;
    size_t out, history, ref_len;
    uint8_t *ref;
    out = run_flash(); /* warm up, and keep the output to check liblzma's against it */
    history = history_bytes;
    ref = malloc(out ? out : 1);
    if (!ref)
        exit(1);
    memcpy(ref, out_buf, out);
    ref_len = run_lzma();
    if (ref_len != out || memcmp(ref, out_buf, out) != 0) {
        fprintf(stderr, "ota-xzbench: flash mode and liblzma decode different bytes\n");
        exit(1);
    }
    free(ref);
    best_rounds(run_flash, &best_ours, &best_lzma);
    printf("%.1f %.1f %.3f %zu %zu\n", (double)out / best_ours / 1e6, (double)out / best_lzma / 1e6,
           best_ours / best_lzma, history, out);
}

int main(int argc, char **argv)
{
    FILE *f;
    if (argc != 3) {
        fprintf(stderr, "usage: ota-xzbench time|ours|lzma|flash|flashvs|oursflash FILE.xz\n");
        return 2;
    }
    f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    in_len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    in_buf = malloc(in_len ? in_len : 1);
    if (!in_buf || fread(in_buf, 1, in_len, f) != in_len)
        return 1;
    fclose(f);
    out_cap = (size_t)256 << 20; /* benchmark streams are a few MB */
    out_buf = malloc(out_cap);
    if (!out_buf)
        return 1;
    if (strcmp(argv[1], "ours") == 0)
        printf("%zu\n", run_ours());
    else if (strcmp(argv[1], "lzma") == 0)
        printf("%zu\n", run_lzma());
    else if (strcmp(argv[1], "flash") == 0)
        time_flash();
    else if (strcmp(argv[1], "flashvs") == 0)
        time_flash_vs_lzma();
    else if (strcmp(argv[1], "oursflash") == 0)
        printf("%zu\n", run_flash());
    else
        time_both();
    return 0;
}
