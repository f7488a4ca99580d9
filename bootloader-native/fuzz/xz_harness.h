/* What the XZ decoder harnesses share: an output sink that doubles as the "destination flash"
 * history (read_history may only ask for bytes already flushed: anything else traps), and the
 * piece-wise drive of our decoder, which traps when ota_xz_run breaks its input contract.
 * Include after defining OUT_CAP. */
#ifndef FUZZ_XZ_HARNESS_H
#define FUZZ_XZ_HARNESS_H

#include "ota_err.h"
#include "ota_xz.h"

#include <stdint.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t len;
} sink_t;

static ota_xz_dec_t dec;

static int on_flush(void *ctx, const uint8_t *data, size_t len)
{
    sink_t *s = ctx;
    if (s->len + len > OUT_CAP)
        return OTA_E_XZ_OUTPUT_LIMIT;
    memcpy(s->data + s->len, data, len);
    s->len += len;
    return 0;
}

static int on_history(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    sink_t *s = ctx;
    if (pos + len > s->len)
        __builtin_trap(); /* the decoder asked for bytes it has not flushed */
    memcpy(buf, s->data + pos, len);
    return 0;
}

/* Our decoder; returns OTA_XZ_END or an error, *used = stream bytes consumed. */
static int ours(const uint8_t *in, size_t size, uint8_t *ram, uint32_t ram_size, int history,
                size_t piece, sink_t *s, size_t *used)
{
    ota_xz_window_t w;
    size_t at = 0;
    int rc = OTA_XZ_MORE;
    memset(&w, 0, sizeof w);
    w.ram = ram;
    w.ram_size = ram_size;
    w.ctx = s;
    w.flush = on_flush;
    w.read_history = history ? on_history : NULL;
    w.out_limit = OUT_CAP;
    s->len = 0;
    ota_xz_init(&dec, &w);
    while (rc == OTA_XZ_MORE && at < size) {
        size_t n = size - at < piece ? size - at : piece, u = 0;
        rc = ota_xz_run(&dec, in + at, n, &u);
        if (u > n || (rc == OTA_XZ_MORE && u != n))
            __builtin_trap();
        at += u;
    }
    if (rc == OTA_XZ_MORE)
        rc = ota_xz_end_of_input(&dec);
    *used = at;
    return rc;
}

#endif
