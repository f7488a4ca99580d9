/* LZMA range decoder, inlined into the symbol loop. The coder keeps a 32-bit `range` and the
 * 32-bit `code` read so far; before each bit, if range < 2^24, one more input byte is shifted in
 * (so one symbol reads at most OTA_XZ_LZMA_IN_MAX bytes). A probability is an 11-bit estimate
 * that the next bit is 0, adapted by 1/32 of the error after each bit. */
#ifndef XZ_RC_H
#define XZ_RC_H

#include <stdint.h>

#if defined(__GNUC__)
#define XZ_INLINE static inline __attribute__((always_inline))
#else
#define XZ_INLINE static inline
#endif

#define RC_TOP        (1u << 24)
#define RC_PROB_BITS  11
#define RC_PROB_ONE   (1u << RC_PROB_BITS)
#define RC_PROB_INIT  (RC_PROB_ONE / 2)
#define RC_MOVE_BITS  5

typedef struct {
    uint32_t range;
    uint32_t code;
    const uint8_t *in;
} xz_rc_t;

XZ_INLINE void rc_normalize(xz_rc_t *rc)
{
    if (rc->range < RC_TOP) {
        rc->range <<= 8;
        rc->code = (rc->code << 8) | *rc->in++;
    }
}

/* One bit with an adaptive probability. */
XZ_INLINE uint32_t rc_bit(xz_rc_t *rc, uint16_t *prob)
{
    uint32_t bound;
    rc_normalize(rc);
    bound = (rc->range >> RC_PROB_BITS) * *prob;
    if (rc->code < bound) {
        rc->range = bound;
        *prob = (uint16_t)(*prob + ((RC_PROB_ONE - *prob) >> RC_MOVE_BITS));
        return 0;
    }
    rc->range -= bound;
    rc->code -= bound;
    *prob = (uint16_t)(*prob - (*prob >> RC_MOVE_BITS));
    return 1;
}

/* `bits`-bit symbol, most significant bit first, through a binary tree of probabilities. */
XZ_INLINE uint32_t rc_tree(xz_rc_t *rc, uint16_t *probs, uint32_t bits)
{
    uint32_t sym = 1, top = 1u << bits;
    do
        sym = (sym << 1) + rc_bit(rc, &probs[sym]);
    while (sym < top);
    return sym - top;
}

/* `bits`-bit symbol, least significant bit first. */
XZ_INLINE uint32_t rc_tree_reverse(xz_rc_t *rc, uint16_t *probs, uint32_t bits)
{
    uint32_t sym = 1, out = 0, i = 0;
    do {
        uint32_t b = rc_bit(rc, &probs[sym]);
        sym = (sym << 1) + b;
        out |= b << i;
    } while (++i < bits);
    return out;
}

/* `bits` bits with probability 1/2 each, most significant first. */
XZ_INLINE uint32_t rc_direct(xz_rc_t *rc, uint32_t value, uint32_t bits)
{
    do {
        uint32_t mask;
        rc_normalize(rc);
        rc->range >>= 1;
        rc->code -= rc->range;
        mask = 0u - (rc->code >> 31); /* all ones if code went "negative": bit 0 */
        rc->code += rc->range & mask;
        value = (value << 1) + mask + 1;
    } while (--bits);
    return value;
}

#endif
