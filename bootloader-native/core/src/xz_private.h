/* Internal interfaces between the decoder's files (xz_*.c). Layers, outermost first:
 * stream (xz_stream.c: header, blocks, index, footer) -> block (xz_block.c: header and filter
 * chain) -> LZMA2 chunks (xz_lzma2.c) -> LZMA symbols (xz_lzma.c, range coder in xz_rc.h) ->
 * the output ring (xz_dict.c), which also feeds the block check (xz_check.c). */
#ifndef XZ_PRIVATE_H
#define XZ_PRIVATE_H

#include "ota_err.h"
#include "ota_xz.h"
#include "ota_bytes.h"

#define XZ_CHECK_NONE   0x00
#define XZ_CHECK_CRC32  0x01
#define XZ_CHECK_CRC64  0x04
#define XZ_CHECK_SHA256 0x0A

#define XZ_FILTER_LZMA2 0x21u
#define XZ_FILTER_RISCV 0x0Bu

/* Stream-level sequence (ota_xz_dec::seq). */
enum {
    XZ_SEQ_STREAM_HEADER,
    XZ_SEQ_BLOCK_START,
    XZ_SEQ_BLOCK_HEADER,
    XZ_SEQ_BLOCK_DATA,
    XZ_SEQ_BLOCK_PADDING,
    XZ_SEQ_BLOCK_CHECK,
    XZ_SEQ_INDEX,
    XZ_SEQ_STREAM_FOOTER,
    XZ_SEQ_END
};

/* xz_dict.c */
void xz_dict_init(ota_xz_dec_t *d);
void xz_dict_reset(ota_xz_dec_t *d);
/* Hands the bytes decoded since index `from` to the block check and counters, and flushes and
 * wraps the ring when it is full. Returns 0 or an error. */
int xz_dict_commit(ota_xz_dec_t *d, uint32_t from);
/* Byte at distance dist + 1 behind the write position, read from history (dist >= ring size). */
int xz_dict_far_byte(ota_xz_dec_t *d, uint32_t dist, uint8_t *out);
/* Copies `len` bytes from distance dist + 1 (dist >= ring size) through read_history. */
int xz_dict_far_copy(ota_xz_dec_t *d, uint32_t dist, uint32_t len);

/* xz_bcj_riscv.c: the filter on buf in both directions, in place, pc of buf[0] = start. Scans
 * positions p < stop (decode) with p + 8 <= size and returns the next scan position: bytes
 * before it are final, the rest needs more data. Then the stage the ring flushes into when the
 * block uses the filter (`far`: its dictionary exceeds the ring, see xz_bcj_history.c). */
size_t xz_bcj_riscv_decode(uint8_t *buf, size_t size, size_t stop, uint32_t start);
size_t xz_bcj_riscv_encode(uint8_t *buf, size_t size, uint32_t start);
void xz_bcj_start(ota_xz_dec_t *d, uint8_t on, uint8_t far, uint32_t start);
int xz_bcj_write(ota_xz_dec_t *d, const uint8_t *data, size_t len);
/* End of block: converts and emits what the stage still holds. */
int xz_bcj_finish(ota_xz_dec_t *d);
/* xz_bcj_history.c: n (<= 64) filtered bytes at absolute output position `at`, which is behind
 * the ring (already flushed into the stage). */
int xz_bcj_far_read(ota_xz_dec_t *d, uint64_t at, uint8_t *dst, uint32_t n);

/* xz_check.c */
void xz_check_start(ota_xz_dec_t *d);
void xz_check_update(ota_xz_dec_t *d, const uint8_t *p, uint32_t n);
/* Compares the finished check with the `check_size` bytes in d->buf. */
int xz_check_verify(ota_xz_dec_t *d);
uint32_t xz_check_size(uint8_t type); /* 0xFF: unsupported */

/* xz_block.c */
int xz_block_header_parse(ota_xz_dec_t *d);
void xz_index_sum_add(struct ota_xz_index_sum *s, uint64_t unpadded, uint64_t uncompressed);

/* xz_lzma2.c: returns OTA_XZ_MORE (input used up), OTA_XZ_END (end of payload) or an error. */
void xz_lzma2_reset(ota_xz_dec_t *d, uint32_t dict_size);
int xz_lzma2_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos);

/* xz_lzma.c */
void xz_lzma_reset_state(ota_xz_dec_t *d);
int xz_lzma_set_props(ota_xz_dec_t *d, uint8_t props);
/* Decodes symbols from *in while *in <= in_safe and the ring has room up to dict.limit. */
int xz_lzma_decode(ota_xz_dec_t *d, const uint8_t **in, const uint8_t *in_safe);

/* xz_index.c: returns OTA_XZ_MORE, OTA_XZ_END (index complete and matching) or an error. */
void xz_index_start(ota_xz_dec_t *d);
int xz_index_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos);

#endif
