/* LZMA symbol decoder (the LZ77 + range-coder layer under LZMA2).
 *
 * Each step decodes one symbol with the range coder:
 *   is_match[state][pos] 0      -> literal (8 bits; after a match, "matched" with the byte at rep0)
 *   is_rep[state] 0             -> match: length, then distance (6-bit slot + extra bits)
 *   is_rep0 0, is_rep0_long 0   -> short rep: one byte from rep0
 *   is_rep0 0, is_rep0_long 1   -> rep0 match with a new length
 *   is_rep0 1 ...               -> rep1 / rep2 / rep3 moved to the front, new length
 * `state` (0..11) remembers the last symbol kinds; states < 7 mean "last was a literal".
 * Distances are 0-based here (distance 0 = the previous byte). */
#include "xz_private.h"
#include "xz_rc.h"

#include <string.h>

#define LZMA_STATES       12
#define LIT_STATES        7
#define MATCH_LEN_MIN     2
#define DIST_MODEL_START  4
#define DIST_MODEL_END    14
#define ALIGN_BITS        4

static void probs_init(uint16_t *p, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        p[i] = RC_PROB_INIT;
}

void xz_lzma_reset_state(ota_xz_dec_t *d)
{
    struct ota_xz_lzma *s = &d->lzma;
    s->state = 0;
    s->rep0 = s->rep1 = s->rep2 = s->rep3 = 0;
    s->len_left = 0;
    /* every probability array from is_match to the end of literal[] is contiguous uint16_t */
    probs_init(&s->is_match[0][0],
               (size_t)(&s->literal[(1u << OTA_XZ_LCLP_MAX) - 1][0x300 - 1] + 1 - &s->is_match[0][0]));
}

/* props = (pb * 5 + lp) * 9 + lc; LZMA2 requires lc + lp <= 4. */
int xz_lzma_set_props(ota_xz_dec_t *d, uint8_t props)
{
    uint32_t lc, lp, pb;
    if (props > (4 * 5 + 4) * 9 + 8)
        return OTA_E_XZ_DATA;
    pb = props / 45u;
    props = (uint8_t)(props - pb * 45u);
    lp = props / 9u;
    lc = props - lp * 9u;
    if (lc + lp > 4)
        return OTA_E_XZ_DATA;
    if (lc + lp > OTA_XZ_LCLP_MAX)
        return OTA_E_XZ_OPTIONS; /* a lean build (ota_xz_state.h) */
    d->lzma.lc = lc;
    d->lzma.lp_mask = (1u << lp) - 1u;
    d->lzma.pb_mask = (1u << pb) - 1u;
    return 0;
}

XZ_INLINE uint32_t decode_len(xz_rc_t *rc, struct ota_xz_len_probs *l, uint32_t pos_state)
{
    if (!rc_bit(rc, &l->choice))
        return rc_tree(rc, l->low[pos_state], 3) + MATCH_LEN_MIN;
    if (!rc_bit(rc, &l->choice2))
        return rc_tree(rc, l->mid[pos_state], 3) + MATCH_LEN_MIN + 8;
    return rc_tree(rc, l->high, 8) + MATCH_LEN_MIN + 16;
}

/* Distance of a new match (0-based); 0xFFFFFFFF is the end-of-payload marker. */
XZ_INLINE uint32_t decode_dist(xz_rc_t *rc, struct ota_xz_lzma *s, uint32_t len)
{
    uint32_t len_state = len - MATCH_LEN_MIN < 3 ? len - MATCH_LEN_MIN : 3;
    uint32_t slot = rc_tree(rc, s->dist_slot[len_state], 6);
    uint32_t extra, dist;
    if (slot < DIST_MODEL_START)
        return slot;
    extra = (slot >> 1) - 1;
    dist = (2u | (slot & 1u)) << extra;
    if (slot < DIST_MODEL_END)
        return dist + rc_tree_reverse(rc, s->dist_special + dist - slot - 1, extra);
    dist += rc_direct(rc, 0, extra - ALIGN_BITS) << ALIGN_BITS;
    return dist + rc_tree_reverse(rc, s->dist_align, ALIGN_BITS);
}

/* Copies up to len bytes of a match at distance dist into the ring; returns bytes left over
 * when the limit was reached, or (uint32_t)-1 on a read_history error (stored in d->err). */
static uint32_t copy_match(ota_xz_dec_t *d, uint32_t *pos_io, uint32_t dist, uint32_t len)
{
    struct ota_xz_dict *dict = &d->dict;
    uint32_t pos = *pos_io;
    uint32_t n = dict->limit - pos;
    uint32_t left;
    if (n > len)
        n = len;
    left = len - n;
    if (n == 0)
        return left;
    if (dist < dict->size) {
        uint8_t *buf = dict->buf;
        uint32_t src = pos > dist ? pos - dist - 1 : dict->size + pos - dist - 1;
        if (src + n <= dict->size) {
            if (src + n <= pos || pos + n <= src) {
                memcpy(buf + pos, buf + src, n);
            } else {
                /* overlapping forward copy: dist < n repeats the last dist + 1 bytes */
                const uint8_t *s = buf + src;
                uint8_t *o = buf + pos;
                uint32_t k = n;
                do
                    *o++ = *s++;
                while (--k);
            }
            pos += n;
        } else {
            uint32_t k = n;
            do {
                buf[pos++] = buf[src++];
                if (src == dict->size)
                    src = 0;
            } while (--k);
        }
    } else {
        dict->pos = pos;
        d->err = xz_dict_far_copy(d, dist, n);
        if (d->err)
            return (uint32_t)-1;
        pos = dict->pos;
    }
    *pos_io = pos;
    dict->full = dict->full + n < dict->full || dict->full + n > dict->dict_size
                     ? dict->dict_size : dict->full + n;
    return left;
}

int xz_lzma_decode(ota_xz_dec_t *d, const uint8_t **in, const uint8_t *in_safe)
{
    struct ota_xz_lzma *s = &d->lzma;
    struct ota_xz_dict *dict = &d->dict;
    uint8_t *buf = dict->buf;
    const uint32_t limit = dict->limit;
    const uint32_t pb_mask = s->pb_mask, lp_mask = s->lp_mask, lc = s->lc;
    /* ring fields in locals: byte stores through buf may alias anything, locals they cannot */
    const uint32_t size = dict->size, dict_size = dict->dict_size, pos_adj = dict->pos_adj;
    uint32_t full = dict->full;
    uint32_t pos = dict->pos;
    uint32_t state = s->state, rep0 = s->rep0;
    xz_rc_t rc;
    int ret = 0;

    rc.range = s->range;
    rc.code = s->code;
    rc.in = *in;

    if (s->len_left) {
        s->len_left = copy_match(d, &pos, rep0, s->len_left);
        full = dict->full;
        if (s->len_left == (uint32_t)-1) {
            s->len_left = 0;
            ret = d->err;
            goto out;
        }
    }

    /* A symbol starts only from a normalised coder at or before in_safe: whether one more
     * symbol fits then depends on the input alone, not on how it was split into calls. */
    while (pos < limit) {
        uint32_t pos_state = (pos + pos_adj) & pb_mask;
        uint32_t len;

        rc_normalize(&rc);
        if (rc.in > in_safe)
            break;

        if (!rc_bit(&rc, &s->is_match[state][pos_state])) {
            /* literal: coder chosen by position and the previous byte's top lc bits */
            uint32_t prev = full ? buf[pos ? pos - 1 : size - 1] : 0;
            uint16_t *probs = s->literal[(((pos + pos_adj) & lp_mask) << lc) + (prev >> (8 - lc))];
            uint32_t sym = 1;
            if (state < LIT_STATES) {
                do
                    sym = (sym << 1) + rc_bit(&rc, &probs[sym]);
                while (sym < 0x100);
                state = state < 4 ? 0 : state - 3;
            } else {
                /* matched literal: the bits of the byte at rep0 select probabilities until
                 * the first mismatch */
                uint32_t match_byte, offset = 0x100;
                if (rep0 < size) {
                    match_byte = buf[pos > rep0 ? pos - rep0 - 1 : size + pos - rep0 - 1];
                } else {
                    uint8_t b;
                    dict->pos = pos;
                    ret = xz_dict_far_byte(d, rep0, &b);
                    if (ret)
                        goto out;
                    match_byte = b;
                }
                match_byte <<= 1;
                do {
                    uint32_t match_bit = match_byte & offset;
                    match_byte <<= 1;
                    if (rc_bit(&rc, &probs[offset + match_bit + sym])) {
                        sym = (sym << 1) + 1;
                        offset = match_bit;
                    } else {
                        sym <<= 1;
                        offset &= ~match_bit;
                    }
                } while (sym < 0x100);
                state = state < 10 ? state - 3 : state - 6;
            }
            buf[pos++] = (uint8_t)sym;
            if (full < dict_size)
                full++;
            continue;
        }

        if (!rc_bit(&rc, &s->is_rep[state])) {
            /* new match */
            state = state < LIT_STATES ? 7 : 10;
            len = decode_len(&rc, &s->match_len, pos_state);
            s->rep3 = s->rep2;
            s->rep2 = s->rep1;
            s->rep1 = rep0;
            rep0 = decode_dist(&rc, s, len);
            if (rep0 == 0xFFFFFFFFu) {
                ret = OTA_E_XZ_DATA; /* end-of-payload marker: not allowed in LZMA2 */
                goto out;
            }
        } else if (!rc_bit(&rc, &s->is_rep0[state])) {
            if (!rc_bit(&rc, &s->is_rep0_long[state][pos_state])) {
                /* short rep: one byte from rep0 */
                state = state < LIT_STATES ? 9 : 11;
                len = 1;
            } else {
                state = state < LIT_STATES ? 8 : 11;
                len = decode_len(&rc, &s->rep_len, pos_state);
            }
        } else {
            uint32_t dist;
            if (!rc_bit(&rc, &s->is_rep1[state])) {
                dist = s->rep1;
            } else {
                if (!rc_bit(&rc, &s->is_rep2[state])) {
                    dist = s->rep2;
                } else {
                    dist = s->rep3;
                    s->rep3 = s->rep2;
                }
                s->rep2 = s->rep1;
            }
            s->rep1 = rep0;
            rep0 = dist;
            state = state < LIT_STATES ? 8 : 11;
            len = decode_len(&rc, &s->rep_len, pos_state);
        }

        if (rep0 >= full) {
            ret = OTA_E_XZ_DATA; /* distance beyond the history */
            goto out;
        }
        dict->full = full;
        s->len_left = copy_match(d, &pos, rep0, len);
        full = dict->full;
        if (s->len_left == (uint32_t)-1) {
            s->len_left = 0;
            ret = d->err;
            goto out;
        }
    }
    /* leave the coder normalised: the encoder's flush counts that byte into the chunk */
    rc_normalize(&rc);
out:
    dict->full = full;
    dict->pos = pos;
    s->state = state;
    s->rep0 = rep0;
    s->range = rc.range;
    s->code = rc.code;
    *in = rc.in;
    return ret;
}
