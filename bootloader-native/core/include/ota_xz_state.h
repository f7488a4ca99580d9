/* All state of one XZ decoder (ota_xz.h), in one caller-owned struct: no allocation anywhere.
 * Callers treat the fields as private; the struct is public only so it can live in static or
 * stack memory. Size on a 32-bit target: about 17.5 KiB with OTA_XZ_LCLP_MAX 3 (16 KiB of LZMA
 * probabilities, 8 literal coders of 0x300) plus 1.3 KiB of RISC-V BCJ state; 29.5 KiB with 4.
 * The dictionary window is the caller's ota_xz_window_t::ram, not counted here. */
#ifndef OTA_XZ_STATE_H
#define OTA_XZ_STATE_H

#include <stdint.h>
#include "ota_sha256.h"

/* Most input one LZMA symbol can consume (is_match .. align bits, plus one normalisation). */
#define OTA_XZ_LZMA_IN_MAX 21
/* Largest block header we accept. xz writes 12..24 bytes; the format allows 1024 (OTA_E_XZ_OPTIONS). */
#define OTA_XZ_BLOCK_HEADER_MAX 64
/* Largest lc + lp the decoder keeps literal probabilities for: 3 by default (xz presets and our
 * packer use lc 3, lp 0; 12 KiB of literal probabilities); streams above it are
 * OTA_E_XZ_OPTIONS. 4 (the LZMA2 limit, 24 KiB) decodes any stream (ota-xzdec, the ram32k build). */
#ifndef OTA_XZ_LCLP_MAX
#define OTA_XZ_LCLP_MAX 3
#endif
/* Filters in a block's chain (format limit 4). Supported chains: LZMA2 alone, or the RISC-V BCJ
 * filter (id 0x0B) in front of it (xz_block.c). */
#define OTA_XZ_FILTERS_MAX 4

struct ota_xz_window;

/* The output ring (the "dictionary") and its position in the whole output. */
struct ota_xz_dict {
    uint8_t *buf;
    uint32_t size;      /* ring bytes (window ram_size) */
    uint32_t pos;       /* next write index */
    uint32_t start;     /* first index not yet flushed */
    uint32_t limit;     /* decoding stops at this index */
    uint32_t full;      /* history bytes since the last dictionary reset, capped at dict_size */
    uint32_t dict_size; /* the block's LZMA2 dictionary size */
    uint32_t pos_adj;   /* (pos + pos_adj) = bytes since the last dictionary reset (mod 2^32) */
    uint64_t base;      /* absolute output position of buf[0] */
};

/* Length coder (match lengths and repeated-match lengths). */
struct ota_xz_len_probs {
    uint16_t choice;
    uint16_t choice2;
    uint16_t low[16][8];
    uint16_t mid[16][8];
    uint16_t high[256];
};

/* LZMA decoder: range coder, state machine, repeat distances, probabilities. */
struct ota_xz_lzma {
    uint32_t range;
    uint32_t code;
    uint32_t state;
    uint32_t rep0, rep1, rep2, rep3;
    uint32_t len_left; /* bytes of a match still to copy after the ring or chunk limit */
    uint32_t lc;
    uint32_t lp_mask;
    uint32_t pb_mask;
    uint16_t is_match[12][16];
    uint16_t is_rep[12];
    uint16_t is_rep0[12];
    uint16_t is_rep1[12];
    uint16_t is_rep2[12];
    uint16_t is_rep0_long[12][16];
    uint16_t dist_slot[4][64];
    uint16_t dist_special[114];
    uint16_t dist_align[16];
    struct ota_xz_len_probs match_len;
    struct ota_xz_len_probs rep_len;
    uint16_t literal[1u << OTA_XZ_LCLP_MAX][0x300];
};

/* LZMA2 chunk layer. */
struct ota_xz_lzma2 {
    uint8_t seq;
    uint8_t control;
    uint8_t need_dict_reset;
    uint8_t need_props;
    uint32_t uncomp_left; /* of the current chunk */
    uint32_t comp_left;   /* of the current chunk, including bytes waiting in temp */
    uint32_t temp_size;
    uint8_t temp[3 * OTA_XZ_LZMA_IN_MAX]; /* chunk tail shorter than OTA_XZ_LZMA_IN_MAX + zero pad */
};

/* RISC-V BCJ stage (xz_bcj_riscv.c) between the ring and flush(): a copy of the ring's output
 * being converted; the last < 8 bytes wait for the next piece. */
#define OTA_XZ_BCJ_BUF 128
/* BCJ blocks whose dictionary is larger than the ring ("far" mode, xz_bcj_history.c): matches
 * beyond the ring need the *filtered* bytes, but read_history() returns final ones, so the
 * decoder re-encodes them. The encoder's scan alignment at 2^OTA_XZ_BCJ_SYNC_SHIFT-byte pages is
 * recorded (2 bits a page) for the first OTA_XZ_BCJ_HISTORY_MAX bytes of a block (default: the
 * 1.75 MiB app partition); a longer far-mode block is OTA_E_XZ_MEMLIMIT. */
#ifndef OTA_XZ_BCJ_HISTORY_MAX
#define OTA_XZ_BCJ_HISTORY_MAX 0x1C0000u
#endif
#ifndef OTA_XZ_BCJ_SYNC_SHIFT
#define OTA_XZ_BCJ_SYNC_SHIFT 9
#endif
#define OTA_XZ_BCJ_SYNC_PAGES \
    ((OTA_XZ_BCJ_HISTORY_MAX + (1u << OTA_XZ_BCJ_SYNC_SHIFT) - 1u) >> OTA_XZ_BCJ_SYNC_SHIFT)
#define OTA_XZ_BCJ_TAIL    16  /* filtered bytes kept from before the stage (> 13) */
#define OTA_XZ_BCJ_FAR_BUF 96  /* re-encoded history (>= 64 + 7 + 8) */
struct ota_xz_bcj {
    uint8_t on;         /* the current block's chain starts with the RISC-V filter */
    uint8_t far;        /* ... and its dictionary is larger than the ring */
    uint32_t start;     /* the filter's start offset: pc of block offset 0 */
    uint32_t pos;       /* block offset of buf[0] (the next scan position) */
    uint32_t fill;
    uint64_t block_base; /* absolute output position of block offset 0 */
    /* far mode only */
    uint32_t sync_next;  /* page whose alignment is recorded next */
    uint32_t tail_pos;   /* block offset of tail[0]; the tail ends where buf's data ends */
    uint32_t tail_len;
    uint32_t far_pos;    /* block offset of far_buf[0] */
    uint32_t far_done;   /* far_buf holds filtered bytes up to here (a scan position) ... */
    uint32_t far_len;    /* ... and final bytes after it, up to far_pos + far_len */
    uint8_t buf[OTA_XZ_BCJ_BUF];
    uint8_t tail[OTA_XZ_BCJ_TAIL];
    uint8_t far_buf[OTA_XZ_BCJ_FAR_BUF];
    uint8_t sync[(OTA_XZ_BCJ_SYNC_PAGES + 3u) / 4u];
};

/* Running integrity check of the current block. */
union ota_xz_check_state {
    uint32_t crc32;
    uint64_t crc64;
    ota_sha256_t sha256;
};

/* Summary of the block list, computed once from the blocks and once from the index. */
struct ota_xz_index_sum {
    uint64_t count;
    uint64_t unpadded;
    uint64_t uncompressed;
    uint32_t crc; /* CRC-32 register over (unpadded, uncompressed) as 2 x 8 bytes LE per block */
};

struct ota_xz_dec {
    const struct ota_xz_window *w;
    int err;      /* sticky error, 0 = none */
    uint8_t seq;  /* stream-level sequence (xz_private.h) */
    uint8_t check_type;
    uint8_t check_size;
    uint32_t have; /* bytes gathered in buf */
    uint32_t need; /* bytes to gather in buf */
    uint8_t buf[OTA_XZ_BLOCK_HEADER_MAX];

    /* current block */
    uint32_t block_header_size;
    uint64_t block_comp_declared;   /* UINT64_MAX = not present */
    uint64_t block_uncomp_declared; /* UINT64_MAX = not present */
    uint64_t block_comp;
    uint64_t block_uncomp;
    uint8_t filter_count;
    uint32_t filter_id[OTA_XZ_FILTERS_MAX];
    union ota_xz_check_state check;

    /* index */
    struct ota_xz_index_sum blocks;
    struct ota_xz_index_sum index;
    uint8_t index_seq;
    uint8_t vli_shift;
    uint64_t vli;
    uint64_t index_records_left;
    uint64_t index_unpadded; /* of the record being read */
    uint64_t index_size;     /* bytes of the index so far (backward size check) */
    uint32_t index_crc;      /* raw CRC-32 register over the index */

    struct ota_xz_dict dict;
    struct ota_xz_bcj bcj;
    struct ota_xz_lzma2 lzma2;
    struct ota_xz_lzma lzma;
};

#endif
