/* History reads of a RISC-V BCJ block whose dictionary is larger than the ring ("far" mode).
 *
 * LZMA matches refer to the LZMA2 output, i.e. the *filtered* bytes (absolute call and address
 * targets), but the destination flash behind read_history() holds the *final* bytes the filter's
 * decoder produced. The bytes asked for are turned back into filtered form here:
 *
 *   block offsets  [0 ........................ tail_pos) [tail_pos ... pos) [pos ... pos+fill)
 *   where          flushed: read_history, re-encoded     tail (filtered)    stage buf (filtered)
 *
 * Re-encoding a byte at offset x needs the encoder's scan to stand where it stood when the block
 * was encoded: it starts at the nearest recorded page alignment at or before x (the first scan
 * position at/after a page start, xz_bcj_riscv.c), runs the RISC-V encoder over the final bytes
 * from there (pc = start offset + offset), and needs the final bytes up to x + 7 (an AUIPC pair
 * is decided over 8 bytes). The tail holds the last 16 filtered bytes before the stage and the
 * stage stops < 8 bytes short of its data, so tail_pos <= pos - 9: everything re-encoding needs
 * has been flushed. A small cache (far_buf) keeps the re-encoded bytes and the encoder's next scan
 * position, so a match copied in 64-byte pieces, or the next match from the same area, continues
 * where the last read ended; only a jump backwards or to a later page restarts at a page start
 * (on average half a page of extra flash reads). */
#include "xz_private.h"

#include <string.h>

static uint32_t sync_get(const struct ota_xz_bcj *s, uint32_t page)
{
    return (uint32_t)((s->sync[page >> 2] >> ((page & 3u) << 1)) & 3u) << 1;
}

/* Filtered bytes [o, o + n) of the block, n <= 64, o + n <= tail_pos. */
static int reencode(ota_xz_dec_t *d, uint32_t o, uint8_t *dst, uint32_t n)
{
    struct ota_xz_bcj *s = &d->bcj;
    uint32_t end = o + n;
    if (o < s->far_pos || (o >> OTA_XZ_BCJ_SYNC_SHIFT) > (s->far_done >> OTA_XZ_BCJ_SYNC_SHIFT)) {
        uint32_t page = o >> OTA_XZ_BCJ_SYNC_SHIFT;
        uint32_t scan = (page << OTA_XZ_BCJ_SYNC_SHIFT) + sync_get(s, page);
        if (scan > o) { /* o is inside an instruction converted from the previous page */
            page--;
            scan = (page << OTA_XZ_BCJ_SYNC_SHIFT) + sync_get(s, page);
        }
        s->far_pos = s->far_done = scan;
        s->far_len = 0;
    }
    while (s->far_done < end) {
        /* drop filtered bytes this read does not need (before o), keep the unconverted rest */
        uint32_t keep = o < s->far_done ? o : s->far_done;
        if (keep > s->far_pos) {
            uint32_t drop = keep - s->far_pos;
            memmove(s->far_buf, s->far_buf + drop, s->far_len - drop);
            s->far_len -= drop;
            s->far_pos = keep;
        }
        uint32_t have = s->far_pos + s->far_len;
        uint32_t room = OTA_XZ_BCJ_FAR_BUF - s->far_len;
        if (room > 64)
            room = 64;
        if (room > s->pos - have)
            room = s->pos - have; /* only flushed (final) bytes */
        if (room == 0 && s->far_len - (s->far_done - s->far_pos) < 8)
            return OTA_E_XZ_DATA; /* cannot happen: see the layout above */
        if (room) {
            int rc = d->w->read_history(d->w->ctx, s->block_base + have, s->far_buf + s->far_len,
                                        room);
            if (rc)
                return rc;
            s->far_len += room;
        }
        uint32_t at = s->far_done - s->far_pos;
        s->far_done += (uint32_t)xz_bcj_riscv_encode(s->far_buf + at, s->far_len - at,
                                                     s->start + s->far_done);
    }
    memcpy(dst, s->far_buf + (o - s->far_pos), n);
    return 0;
}

uint64_t ota_xz_far_out_limit(const ota_xz_dec_t *d)
{
    return d->bcj.far ? d->bcj.block_base + OTA_XZ_BCJ_HISTORY_MAX : UINT64_MAX;
}

int xz_bcj_far_read(ota_xz_dec_t *d, uint64_t at, uint8_t *dst, uint32_t n)
{
    struct ota_xz_bcj *s = &d->bcj;
    uint32_t o = (uint32_t)(at - s->block_base);
    if (o < s->tail_pos) {
        uint32_t m = s->tail_pos - o < n ? s->tail_pos - o : n;
        int rc = reencode(d, o, dst, m);
        if (rc)
            return rc;
        o += m;
        dst += m;
        n -= m;
    }
    for (; n; o++, dst++, n--) {
        if (o < s->tail_pos + s->tail_len)
            *dst = s->tail[o - s->tail_pos];
        else if (o - s->pos < s->fill)
            *dst = s->buf[o - s->pos];
        else
            return OTA_E_XZ_DATA; /* cannot happen: history reads stay behind the ring */
    }
    return 0;
}
