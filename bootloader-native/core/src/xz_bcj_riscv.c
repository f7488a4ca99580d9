/* RISC-V BCJ filter, decoder side (xz filter id 0x0B, as in xz >= 5.6; issue 9).
 *
 * The encoder rewrites pc-relative call and address targets as absolute addresses so that
 * repeated calls to one function become repeated byte strings for LZMA. The filter scans the
 * block's uncompressed data from offset 0 in steps of 2 bytes (16-bit C instructions), with
 * pc = start offset + scan position (mod 2^32). At each scan position p (only while p + 8 <=
 * size; the last < 8 bytes of a block are never converted):
 *
 *   JAL with rd = x1 or x5 (byte 0 = 0xEF, byte 1 & 0x0D = 0): the 20-bit J-type immediate
 *     (address bits 20:1) is stored as (imm + pc) in bytes 1..3, big-endian-ish: address bits
 *     20:17 in the high nibble of byte 1, bits 16:9 in byte 2, bits 8:1 in byte 3; the low nibble
 *     of byte 1 (rd bits) stays. Next p += 4.
 *   AUIPC (byte 0 & 0x7F = 0x17), rd = bits 11:7:
 *     rd not x0/x2: a pair with the next word inst2 when inst2's bits 1:0 are 11 and its rs1
 *       (bits 19:15) equals rd. Not a pair: p += 6. A pair (pc-relative address A = pc +
 *       (AUIPC imm20 << 12) + sign-extended inst2 imm12) is stored as word 1 = 0x17 | x2 << 7 |
 *       (inst2 bits 19:0) << 12, word 2 = A big-endian. p += 8.
 *     rd = x2 with bits 13:12 = 11 and bits 31:27 (inst2's rs1 in the stored form) not x0/x2:
 *       the stored form above; the decoder rebuilds AUIPC rd = rs1, imm20 = (A - pc + 0x800)
 *       >> 12, and inst2 = stored bits 19:0 | (A - pc) << 20. p += 8. (Raw data that happens to
 *       look like the stored form is swapped by the encoder into the "rd not x0/x2" shape
 *       without any address arithmetic, little-endian, and swapped back here.)
 *     otherwise (x0: landing pads; x2 not in the stored shape): p += 4.
 *   anything else: p += 2.
 * Encoder and decoder visit the same scan positions, so the filter is exact on any data. The
 * stage below sits between the LZMA2 ring and flush(): the ring keeps LZMA2 (filtered) output,
 * the stage converts a copy, holds back the < 8 bytes it cannot decide yet, and feeds the block
 * check and flush() with the final bytes.
 *
 * Scan alignment. Which bytes are an instruction start depends on everything before them: a
 * converted JAL skips 4 bytes, an AUIPC 4, 6 or 8, so from a given even offset the scan may
 * resume at +0, +2, +4 or +6. To re-encode history read back from flash (xz_bcj_history.c, a
 * block whose dictionary exceeds the ring) the decoder must know where the encoder's scan stood,
 * so in that mode the stage records, for each 2^OTA_XZ_BCJ_SYNC_SHIFT-byte page of the block,
 * the first scan position at or after the page start (offset 0, 2, 4 or 6: 2 bits). It also
 * keeps the last OTA_XZ_BCJ_TAIL filtered bytes before the stage: re-encoding a byte needs the
 * final bytes up to 7 after it, which near the stage are not final yet. */
#include "xz_private.h"
#include "ota_bytes.h"

#include <string.h>

/* J-type immediate field (instruction bits 31:12) holding address bits 20:1. */
static uint32_t jtype_field(uint32_t addr)
{
    return (addr & 0x000FF000u)               /* bits 19:12 in place */
         | ((addr >> 11) & 1u) << 20          /* bit 11 */
         | ((addr >> 1) & 0x3FFu) << 21       /* bits 10:1 */
         | ((addr >> 20) & 1u) << 31;         /* bit 20 */
}

size_t xz_bcj_riscv_decode(uint8_t *buf, size_t size, size_t stop, uint32_t start)
{
    size_t p = 0;
    while (p < stop && p + 8 <= size) {
        uint8_t *b = buf + p;
        uint32_t pc = start + (uint32_t)p;
        if (b[0] == 0xEF) {
            if (b[1] & 0x0D) {
                p += 2;
                continue;
            }
            uint32_t abs = ((uint32_t)(b[1] & 0xF0) << 13) | (uint32_t)b[2] << 9 | (uint32_t)b[3] << 1;
            uint32_t inst = 0xEFu | (uint32_t)(b[1] & 0x0F) << 8 | jtype_field(abs - pc);
            b[1] = (uint8_t)(inst >> 8);
            b[2] = (uint8_t)(inst >> 16);
            b[3] = (uint8_t)(inst >> 24);
            p += 4;
        } else if ((b[0] & 0x7F) == 0x17) {
            uint32_t inst = ota_get_le32(b), inst2;
            uint32_t rd = (inst >> 7) & 0x1F;
            if (rd != 0 && rd != 2) {
                /* raw data in the stored shape, swapped by the encoder: swap back */
                inst2 = ota_get_le32(b + 4);
                if ((inst2 & 3) != 3 || ((inst2 >> 15) & 0x1F) != rd) {
                    p += 6;
                    continue;
                }
                uint32_t fake = (inst & 0xFFFFF000u) + (inst2 >> 20);
                inst = 0x17u | 2u << 7 | inst2 << 12;
                inst2 = fake;
            } else {
                uint32_t rs1 = inst >> 27;
                if (rd != 2 || ((inst >> 12) & 3) != 3 || rs1 == 0 || rs1 == 2) {
                    p += 4;
                    continue;
                }
                uint32_t rel = ota_get_be32(b + 4) - pc;
                inst2 = (inst >> 12) | rel << 20;
                inst = 0x17u | rs1 << 7 | ((rel + 0x800u) & 0xFFFFF000u);
            }
            ota_put_le32(b, inst);
            ota_put_le32(b + 4, inst2);
            p += 8;
        } else {
            p += 2;
        }
    }
    return p;
}

/* Address bits 20:1 of a J-type instruction's immediate (not sign-extended: only bits 20:1 are
 * stored, so the sum with pc is exact modulo 2^21). */
static uint32_t jtype_imm(uint32_t inst)
{
    return (inst & 0x000FF000u) | ((inst >> 20) & 1u) << 11 | ((inst >> 21) & 0x3FFu) << 1
         | ((inst >> 31) & 1u) << 20;
}

size_t xz_bcj_riscv_encode(uint8_t *buf, size_t size, uint32_t start)
{
    size_t p = 0;
    while (p + 8 <= size) {
        uint8_t *b = buf + p;
        uint32_t pc = start + (uint32_t)p;
        if (b[0] == 0xEF) {
            if (b[1] & 0x0D) {
                p += 2;
                continue;
            }
            uint32_t abs = jtype_imm(ota_get_le32(b)) + pc;
            b[1] = (uint8_t)((b[1] & 0x0F) | ((abs >> 13) & 0xF0));
            b[2] = (uint8_t)(abs >> 9);
            b[3] = (uint8_t)(abs >> 1);
            p += 4;
        } else if ((b[0] & 0x7F) == 0x17) {
            uint32_t inst = ota_get_le32(b), inst2;
            uint32_t rd = (inst >> 7) & 0x1F;
            if (rd != 0 && rd != 2) {
                inst2 = ota_get_le32(b + 4);
                if ((inst2 & 3) != 3 || ((inst2 >> 15) & 0x1F) != rd) {
                    p += 6;
                    continue;
                }
                /* a real pair: x2 marker + inst2 bits 19:0, then the address big-endian */
                uint32_t imm12 = inst2 >> 20;
                uint32_t abs = (inst & 0xFFFFF000u) + imm12 - ((imm12 & 0x800u) << 1) + pc;
                ota_put_le32(b, 0x17u | 2u << 7 | inst2 << 12);
                ota_put_be32(b + 4, abs);
            } else {
                uint32_t rs1 = inst >> 27;
                if (rd != 2 || ((inst >> 12) & 3) != 3 || rs1 == 0 || rs1 == 2) {
                    p += 4;
                    continue;
                }
                /* raw data in the stored shape: swapped, no arithmetic */
                uint32_t fake = ota_get_le32(b + 4);
                ota_put_le32(b, 0x17u | rs1 << 7 | (fake & 0xFFFFF000u));
                ota_put_le32(b + 4, (inst >> 12) | fake << 20);
            }
            p += 8;
        } else {
            p += 2;
        }
    }
    return p;
}

void xz_bcj_start(ota_xz_dec_t *d, uint8_t on, uint8_t far, uint32_t start)
{
    struct ota_xz_bcj *s = &d->bcj;
    s->on = on;
    s->far = far;
    s->start = start;
    s->pos = 0;
    s->fill = 0;
    s->block_base = ota_xz_total_out(d);
    s->sync_next = 0;
    s->tail_pos = s->tail_len = 0;
    s->far_pos = s->far_done = s->far_len = 0;
}

/* Final bytes: the block check, then flush(). */
static int emit(ota_xz_dec_t *d, const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return 0;
    xz_check_update(d, p, n);
    return d->w->flush ? d->w->flush(d->w->ctx, p, n) : 0;
}

/* Far mode: the tail becomes the filtered bytes [end - OTA_XZ_BCJ_TAIL, end) of the block, end =
 * the end of buf's data, taken from the old tail (which ends at or after buf's start) and buf. */
static void tail_save(struct ota_xz_bcj *s)
{
    uint32_t end = s->pos + s->fill;
    uint32_t from = end > OTA_XZ_BCJ_TAIL ? end - OTA_XZ_BCJ_TAIL : 0;
    uint32_t k = 0;
    if (from < s->pos) {
        k = s->pos - from;
        memmove(s->tail, s->tail + (from - s->tail_pos), k);
    }
    memcpy(s->tail + k, s->buf + (from + k - s->pos), end - from - k);
    s->tail_pos = from;
    s->tail_len = end - from;
}

/* Decodes what buf can decide, emits it and keeps the rest. In far mode it also records the
 * scan alignment of every page start it passes. */
static int stage_run(ota_xz_dec_t *d)
{
    struct ota_xz_bcj *s = &d->bcj;
    uint32_t done;
    if (!s->far) {
        done = (uint32_t)xz_bcj_riscv_decode(s->buf, s->fill, s->fill, s->start + s->pos);
    } else {
        if (s->pos + s->fill > OTA_XZ_BCJ_HISTORY_MAX)
            return OTA_E_XZ_MEMLIMIT; /* past the alignment table */
        tail_save(s);
        done = 0;
        for (;;) {
            uint32_t page = s->sync_next;
            uint32_t stop = page < OTA_XZ_BCJ_SYNC_PAGES ? (page << OTA_XZ_BCJ_SYNC_SHIFT) - s->pos
                                                         : s->fill;
            done += (uint32_t)xz_bcj_riscv_decode(s->buf + done, s->fill - done, stop - done,
                                                  s->start + s->pos + done);
            if (page >= OTA_XZ_BCJ_SYNC_PAGES || done < stop)
                break;
            /* the first scan position at or after the page start: offset 0, 2, 4 or 6 */
            uint32_t off = (done - stop) >> 1, at = page >> 2, sh = (page & 3u) << 1;
            s->sync[at] = (uint8_t)((s->sync[at] & ~(3u << sh)) | off << sh);
            s->sync_next = page + 1;
        }
    }
    int rc = emit(d, s->buf, done);
    if (rc)
        return rc;
    memmove(s->buf, s->buf + done, s->fill - done);
    s->fill -= done;
    s->pos += done;
    return 0;
}

int xz_bcj_write(ota_xz_dec_t *d, const uint8_t *data, size_t len)
{
    struct ota_xz_bcj *s = &d->bcj;
    while (len) {
        uint32_t n = (uint32_t)sizeof s->buf - s->fill;
        if (n > len)
            n = (uint32_t)len;
        memcpy(s->buf + s->fill, data, n);
        s->fill += n;
        data += n;
        len -= n;
        if (s->fill < sizeof s->buf)
            break;
        int rc = stage_run(d);
        if (rc)
            return rc;
    }
    return 0;
}

int xz_bcj_finish(ota_xz_dec_t *d)
{
    struct ota_xz_bcj *s = &d->bcj;
    if (s->far && s->pos + s->fill > OTA_XZ_BCJ_HISTORY_MAX)
        return OTA_E_XZ_MEMLIMIT;
    uint32_t done = (uint32_t)xz_bcj_riscv_decode(s->buf, s->fill, s->fill, s->start + s->pos);
    int rc = emit(d, s->buf, s->fill); /* the undecidable tail (< 8 bytes) stays as it is */
    s->pos += done;
    s->fill = 0;
    return rc;
}
