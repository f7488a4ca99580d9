/* LZMA2: a sequence of chunks, each starting with a control byte:
 *   0x00                 end of payload
 *   0x01                 uncompressed chunk, dictionary reset
 *   0x02                 uncompressed chunk, no reset
 *   0x80 | u             LZMA chunk; bits 6:5 of the control byte:
 *                        0 nothing reset, 1 state reset, 2 state reset + new properties,
 *                        3 everything reset (dictionary too)
 * Uncompressed chunk: 2 bytes BE size - 1, then the bytes. LZMA chunk: bits 4:0 of the control
 * byte are bits 20:16 of (uncompressed size - 1), then 2 bytes BE low bits, 2 bytes BE
 * (compressed size - 1), [1 property byte (lc/lp/pb) when bit 6 is set], compressed data that
 * starts a fresh range coder (5 init bytes, the first one 0). The first chunk must reset the
 * dictionary, and the first LZMA chunk after a dictionary reset must carry properties.
 *
 * The symbol decoder reads up to OTA_XZ_LZMA_IN_MAX bytes per symbol without checking. It runs
 * straight on the caller's buffer while that holds enough bytes of the chunk; the last few bytes
 * of an input piece or of the chunk go through lzma2.temp (zero-padded at the chunk end, with
 * an overrun check afterwards). */
#include "xz_private.h"

#include <string.h>

#define LZMA_IN_MAX OTA_XZ_LZMA_IN_MAX

enum { L2_CONTROL, L2_U1, L2_U2, L2_C1, L2_C2, L2_PROPS, L2_RC_INIT, L2_LZMA, L2_COPY };

void xz_lzma2_reset(ota_xz_dec_t *d, uint32_t dict_size)
{
    struct ota_xz_lzma2 *l = &d->lzma2;
    l->seq = L2_CONTROL;
    l->need_dict_reset = 1;
    l->need_props = 1;
    l->temp_size = 0;
    d->dict.dict_size = dict_size;
    xz_dict_reset(d);
}

/* Sets the ring limit for the current chunk: min(ring end, pos + chunk bytes left). */
static void set_limit(ota_xz_dec_t *d)
{
    struct ota_xz_dict *dict = &d->dict;
    uint32_t room = dict->size - dict->pos;
    dict->limit = dict->pos + (d->lzma2.uncomp_left < room ? d->lzma2.uncomp_left : room);
}

/* Decodes LZMA symbols of the current chunk from in[*in_pos..in_len). */
static int lzma_chunk(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos)
{
    struct ota_xz_lzma2 *l = &d->lzma2;
    int rc;
    while (l->uncomp_left > 0) {
        size_t avail = in_len - *in_pos;
        uint32_t from = d->dict.pos;
        set_limit(d);
        if (avail > l->comp_left)
            avail = l->comp_left;

        if (l->temp_size == 0 && avail >= LZMA_IN_MAX) {
            const uint8_t *p = in + *in_pos;
            rc = xz_lzma_decode(d, &p, in + *in_pos + avail - LZMA_IN_MAX);
            l->comp_left -= (uint32_t)(p - (in + *in_pos));
            *in_pos = (size_t)(p - in);
        } else {
            uint32_t old = l->temp_size, take = 2 * LZMA_IN_MAX - old, total, used;
            const uint8_t *p = l->temp, *safe;
            if (take > l->comp_left - old)
                take = l->comp_left - old;
            if (take > in_len - *in_pos)
                take = (uint32_t)(in_len - *in_pos);
            memcpy(l->temp + old, in + *in_pos, take);
            total = old + take;
            if (total == l->comp_left) {
                /* the chunk's last bytes: symbols may start anywhere up to the end */
                memset(l->temp + total, 0, sizeof l->temp - total);
                safe = l->temp + total;
            } else if (total < LZMA_IN_MAX) {
                l->temp_size = total;
                *in_pos += take;
                return OTA_XZ_MORE;
            } else {
                safe = l->temp + total - LZMA_IN_MAX;
            }
            rc = xz_lzma_decode(d, &p, safe);
            used = (uint32_t)(p - l->temp);
            if (used > total)
                return OTA_E_XZ_DATA; /* read past the end of the chunk */
            l->comp_left -= used;
            if (used < old) {
                memmove(l->temp, l->temp + used, old - used);
                l->temp_size = old - used;
            } else {
                *in_pos += used - old;
                l->temp_size = 0;
            }
        }
        if (rc)
            return rc;
        l->uncomp_left -= d->dict.pos - from;
        if ((rc = xz_dict_commit(d, from)) != 0)
            return rc;
        if (d->dict.pos == from && *in_pos == in_len && l->uncomp_left > 0)
            return OTA_XZ_MORE;
    }
    /* chunk complete: all input used, no match cut off, range coder flushed */
    if (l->comp_left != 0 || d->lzma.len_left != 0 || d->lzma.code != 0)
        return OTA_E_XZ_DATA;
    l->seq = L2_CONTROL;
    return 0;
}

/* Copies an uncompressed chunk into the ring. */
static int copy_chunk(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos)
{
    struct ota_xz_lzma2 *l = &d->lzma2;
    struct ota_xz_dict *dict = &d->dict;
    while (l->uncomp_left > 0) {
        uint32_t from = dict->pos, n;
        int rc;
        if (*in_pos == in_len)
            return OTA_XZ_MORE;
        set_limit(d);
        n = dict->limit - dict->pos;
        if (n > in_len - *in_pos)
            n = (uint32_t)(in_len - *in_pos);
        memcpy(dict->buf + dict->pos, in + *in_pos, n);
        dict->pos += n;
        *in_pos += n;
        l->uncomp_left -= n;
        dict->full = dict->full + n < dict->full || dict->full + n > dict->dict_size
                         ? dict->dict_size : dict->full + n;
        if ((rc = xz_dict_commit(d, from)) != 0)
            return rc;
    }
    l->seq = L2_CONTROL;
    return 0;
}

int xz_lzma2_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos)
{
    struct ota_xz_lzma2 *l = &d->lzma2;
    int rc;
    for (;;) {
        uint8_t b;
        if (l->seq == L2_LZMA) {
            rc = lzma_chunk(d, in, in_len, in_pos);
            if (rc || l->seq == L2_LZMA)
                return rc; /* error, or OTA_XZ_MORE */
            continue;
        }
        if (l->seq == L2_COPY) {
            rc = copy_chunk(d, in, in_len, in_pos);
            if (rc || l->seq == L2_COPY)
                return rc;
            continue;
        }
        if (*in_pos == in_len)
            return OTA_XZ_MORE;
        b = in[(*in_pos)++];
        switch (l->seq) {
        case L2_CONTROL:
            l->control = b;
            if (b == 0x00)
                return OTA_XZ_END;
            if (b >= 0xE0 || b == 0x01) {
                l->need_props = 1;
                l->need_dict_reset = 0;
                xz_dict_reset(d);
            } else if (l->need_dict_reset) {
                return OTA_E_XZ_DATA;
            }
            if (b >= 0x80) {
                l->uncomp_left = (uint32_t)(b & 0x1F) << 16;
                if (b >= 0xC0)
                    l->need_props = 0; /* this chunk carries them */
                else if (l->need_props)
                    return OTA_E_XZ_DATA;
                else if (b >= 0xA0)
                    xz_lzma_reset_state(d);
                l->seq = L2_U1;
            } else if (b > 0x02) {
                return OTA_E_XZ_DATA;
            } else {
                l->uncomp_left = 0;
                l->seq = L2_U1;
            }
            break;
        case L2_U1:
            l->uncomp_left += (uint32_t)b << 8;
            l->seq = L2_U2;
            break;
        case L2_U2:
            l->uncomp_left += (uint32_t)b + 1;
            if (d->w->out_limit && ota_xz_total_out(d) + l->uncomp_left > d->w->out_limit)
                return OTA_E_XZ_OUTPUT_LIMIT;
            l->seq = l->control >= 0x80 ? L2_C1 : L2_COPY;
            break;
        case L2_C1:
            l->comp_left = (uint32_t)b << 8;
            l->seq = L2_C2;
            break;
        case L2_C2:
            l->comp_left += (uint32_t)b + 1;
            l->seq = l->control >= 0xC0 ? L2_PROPS : L2_RC_INIT;
            l->temp_size = 0;
            d->lzma.range = 0xFFFFFFFFu;
            d->lzma.code = 0;
            break;
        case L2_PROPS:
            if ((rc = xz_lzma_set_props(d, b)) != 0)
                return rc;
            xz_lzma_reset_state(d);
            l->seq = L2_RC_INIT;
            break;
        default: /* L2_RC_INIT: the 5 range coder bytes count towards the chunk */
            if (l->comp_left == 0 || (l->temp_size == 0 && b != 0))
                return OTA_E_XZ_DATA;
            d->lzma.code = (d->lzma.code << 8) | b;
            l->comp_left--;
            if (++l->temp_size == 5) {
                l->temp_size = 0;
                l->seq = L2_LZMA;
            }
            break;
        }
    }
}
