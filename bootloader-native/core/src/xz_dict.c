/* The output window: a RAM ring the caller owns (ota_xz_window_t). Bytes are decoded into
 * ring[pos]; when the ring is full, ring[start..size) goes to flush() and writing wraps to 0.
 * So the ring always holds the newest `size` bytes and every byte older than that has been
 * flushed: a match reaching further back (dictionary larger than the ring) is read through
 * read_history(), e.g. from the flash the bytes were flushed to (issue 9). */
#include "xz_private.h"

#include <string.h>

void xz_dict_init(ota_xz_dec_t *d)
{
    struct ota_xz_dict *dict = &d->dict;
    dict->buf = d->w->ram;
    dict->size = d->w->ram_size;
    dict->pos = dict->start = dict->limit = 0;
    dict->full = 0;
    dict->dict_size = 0;
    dict->pos_adj = 0;
    dict->base = 0;
}

/* LZMA2 dictionary reset: no history before this point; positions count from here. */
void xz_dict_reset(ota_xz_dec_t *d)
{
    d->dict.full = 0;
    d->dict.pos_adj = 0u - d->dict.pos;
}

static int flush_range(ota_xz_dec_t *d)
{
    struct ota_xz_dict *dict = &d->dict;
    int rc = 0;
    if (dict->pos > dict->start && d->bcj.on)
        rc = xz_bcj_write(d, dict->buf + dict->start, dict->pos - dict->start);
    else if (dict->pos > dict->start && d->w->flush)
        rc = d->w->flush(d->w->ctx, dict->buf + dict->start, dict->pos - dict->start);
    dict->start = dict->pos;
    return rc;
}

int xz_dict_commit(ota_xz_dec_t *d, uint32_t from)
{
    struct ota_xz_dict *dict = &d->dict;
    uint32_t n = dict->pos - from;
    if (n) {
        if (!d->bcj.on) /* with a BCJ filter the check covers the stage's output */
            xz_check_update(d, dict->buf + from, n);
        d->block_uncomp += n;
    }
    if (dict->pos == dict->size) {
        int rc = flush_range(d);
        if (rc)
            return rc;
        dict->base += dict->size;
        dict->pos_adj += dict->size;
        dict->pos = dict->start = 0;
    }
    return 0;
}

int ota_xz_flush(ota_xz_dec_t *d)
{
    return flush_range(d);
}

uint64_t ota_xz_total_out(const ota_xz_dec_t *d)
{
    return d->dict.base + d->dict.pos;
}

/* History behind the ring: flushed bytes as they are, or re-encoded for a BCJ block. */
static int far_read(ota_xz_dec_t *d, uint64_t at, uint8_t *buf, uint32_t n)
{
    if (d->bcj.far)
        return xz_bcj_far_read(d, at, buf, n);
    return d->w->read_history(d->w->ctx, at, buf, n);
}

int xz_dict_far_byte(ota_xz_dec_t *d, uint32_t dist, uint8_t *out)
{
    return far_read(d, d->dict.base + d->dict.pos - dist - 1, out, 1);
}

int xz_dict_far_copy(ota_xz_dec_t *d, uint32_t dist, uint32_t len)
{
    struct ota_xz_dict *dict = &d->dict;
    while (len) {
        /* the source moves along with the destination, staying dist + 1 >= size bytes behind:
         * always flushed, never in the unflushed part of the ring */
        uint32_t n = len < 64 ? len : 64;
        uint8_t tmp[64];
        uint64_t at = dict->base + dict->pos - dist - 1;
        int rc = far_read(d, at, tmp, n);
        if (rc)
            return rc;
        memcpy(dict->buf + dict->pos, tmp, n);
        dict->pos += n;
        len -= n;
    }
    return 0;
}
