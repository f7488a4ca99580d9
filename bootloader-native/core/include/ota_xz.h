/* XZ stream decoder (our own): stream header/footer, block headers, index, LZMA2, and the
 * integrity checks None, CRC32, CRC64 and SHA-256. No allocation: all state lives in
 * ota_xz_dec_t, which the caller owns. Input is pushed in pieces of any size; output leaves
 * through the window (below), so the caller decides where the dictionary lives.
 *
 * Return values of ota_xz_run(): OTA_XZ_MORE (0) = consumed what it could, feed more input;
 * OTA_XZ_END (1) = the stream (and its index and footer) ended; bytes after it, such as the
 * 0xFF padding of an image body, are not consumed; otherwise an ota_err_t code (201..207). */
#ifndef OTA_XZ_H
#define OTA_XZ_H

#include <stddef.h>
#include <stdint.h>

#define OTA_XZ_MORE 0
#define OTA_XZ_END  1

/* The decoder's output window. Decoded bytes go into `ram` (circular, caller-owned, ram_size
 * bytes) and from there, in order and exactly once, to flush(). LZMA matches copy from the
 * history: bytes still in `ram` are read there; a match reaching further back than ram_size
 * (possible only when the stream's dictionary is larger than ram_size) is read through
 * read_history(), e.g. from the destination flash the bytes were already flushed to. With
 * read_history == NULL a dictionary larger than ram_size is OTA_E_XZ_MEMLIMIT. flush() gets the
 * ring from the last flush point up to the ring end (or the current position at the stream end
 * and at ota_xz_flush()), so pieces are at most ram_size bytes; a ram_size that is a multiple of
 * the flash sector size gives sector-aligned pieces. ram_size must be at least 1. */
typedef struct ota_xz_window {
    uint8_t *ram;
    uint32_t ram_size;
    void *ctx;
    /* Receives decoded bytes in order; returns 0 or an ota_err_t (stops decoding). */
    int (*flush)(void *ctx, const uint8_t *data, size_t len);
    /* Reads `len` (<= 64) bytes of earlier output starting at absolute output position `pos`
     * (0 = first byte of the stream); only bytes already passed to flush() are asked for. */
    int (*read_history)(void *ctx, uint64_t pos, uint8_t *buf, size_t len);
    /* Maximum total output in bytes (decompression-bomb guard, OTA_E_XZ_OUTPUT_LIMIT); 0 = none. */
    uint64_t out_limit;
} ota_xz_window_t;

/* The decoder state (all of it, ~29 KiB) is defined in ota_xz_state.h so callers can place it in
 * static memory; its fields are private. */
#include "ota_xz_state.h"
typedef struct ota_xz_dec ota_xz_dec_t;

/* Prepares `d` for a new stream writing through `w` (copied by pointer: keep it alive). */
void ota_xz_init(ota_xz_dec_t *d, const ota_xz_window_t *w);

/* Pushes input. *in_used receives how many bytes were consumed: all of them on OTA_XZ_MORE,
 * up to the end of the stream on OTA_XZ_END. Errors are sticky: later calls return the same
 * code. Output is flushed when the ring is full and at the end of the stream. */
int ota_xz_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_used);

/* Call when the input has run out: OTA_XZ_END if the stream ended, else the sticky error or
 * OTA_E_XZ_TRUNCATED. */
int ota_xz_end_of_input(ota_xz_dec_t *d);

/* Bytes produced so far (flushed or still in ram). */
uint64_t ota_xz_total_out(const ota_xz_dec_t *d);

/* Total output up to which the current block can be decoded with matches beyond ram: for a
 * RISC-V BCJ block whose dictionary exceeds ram_size, its start + OTA_XZ_BCJ_HISTORY_MAX (more
 * is OTA_E_XZ_MEMLIMIT); otherwise UINT64_MAX. Lets a caller refuse such a stream before it
 * writes anything. */
uint64_t ota_xz_far_out_limit(const ota_xz_dec_t *d);

/* Flushes bytes still held in ram to flush() (called automatically at OTA_XZ_END). */
int ota_xz_flush(ota_xz_dec_t *d);

#endif
