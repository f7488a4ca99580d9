/* The installer: verifies the package in staging, writes the full image's body into its target
 * partition (straight copy, or XZ-decoded through a RAM window), and verifies the result.
 * No allocation: all working memory is the caller's ota_install_work_t (the bootloader keeps
 * one in static memory).
 *
 * The "stream" is the full image: inner header (64 bytes) + body. For a compressed package it
 * is the XZ output, for an uncompressed one the package itself. Body bytes go through a 4 KiB
 * sector buffer; each full sector is compared with what the target already holds and skipped
 * when equal (unless erase_always); otherwise its sector is erased, or, at a 64 KiB-aligned
 * block wholly inside the written range, the whole block, and then the non-0xFF pages are
 * programmed. Re-running an install after a power cut therefore only rewrites what differs. */
#ifndef OTA_INSTALL_H
#define OTA_INSTALL_H

#include <stddef.h>
#include <stdint.h>
#include "ota_arena.h"
#include "ota_data_update.h"
#include "ota_flash.h"
#include "ota_image.h"
#include "ota_ptable.h"
#include "ota_sig.h"
#include "ota_xz.h"

/* Decoder RAM window (bytes). Matches further back are read from the target flash (issue 9:
 * the default 4 KiB keeps the bootloader's RAM independent of the dictionary size; the tests also
 * run a 32 KiB build, tests/perf.cmake "ram32k"). */
#ifndef OTA_INSTALL_WINDOW_SIZE
#define OTA_INSTALL_WINDOW_SIZE 4096u
#endif
#define OTA_INSTALL_IO_SIZE 256u
/* Heap of the signature check (mbedTLS' ECDSA bignums), lent from the decoder's memory, which is
 * idle then: the signature is checked before anything is decoded. Peak use of one P-256
 * verification: docs/benchmarks.md ("Bootloader RAM"); too small is OTA_E_SIG_NOMEM. */
#ifndef OTA_INSTALL_SIG_HEAP_SIZE
#define OTA_INSTALL_SIG_HEAP_SIZE 8192u
#endif

typedef struct ota_install_stats {
    uint32_t sectors_written;  /* sectors whose content changed */
    uint32_t sectors_skipped;  /* sectors that already held the right bytes */
    uint32_t sector_erases;
    uint32_t block_erases;
    uint32_t pages_programmed;
    uint32_t bytes_written;    /* body bytes the install produced */
} ota_install_stats_t;

/* How much of the package the verification pass could check before the target is touched. */
enum {
    OTA_VERIFY_FULL = 1,       /* every byte decoded, inner body CRC and length checked */
    OTA_VERIFY_HEADER = 2      /* inner header only: the stream's matches reach further back than
                                  the RAM window, which only the target flash can serve */
};

typedef struct ota_install_work {
    /* set by the caller: the trusted keys (NULL or empty: unsigned mode; see ota_sig.h) */
    const ota_sig_keyring_t *keys;
    /* inputs of the current run */
    const ota_flash_t *flash;
    ota_img_header_t outer;
    ota_img_header_t inner;
    uint32_t staging;          /* package offset */
    uint32_t target;           /* target partition offset (= img_addr) */
    uint32_t target_size;
    int writing;               /* 0: verification pass, 1: install */
    /* stream position and inner header */
    uint64_t out_pos;
    uint8_t inner_raw[OTA_IMG_HEADER_SIZE];
    int inner_err;             /* the inner image's own error behind OTA_E_IMG_INNER */
    uint32_t body_crc;
    /* sector pipeline */
    uint32_t sec_base;         /* body offset of sec[0] */
    uint32_t sec_fill;
    uint32_t block_erased;     /* target address of the block erased in this run, or UINT32_MAX */
    ota_install_stats_t stats;
    uint8_t sec[OTA_FLASH_SECTOR_SIZE];
    uint8_t io[OTA_INSTALL_IO_SIZE];
    /* Memory of one phase at a time: decoding, the signature check before it, or the boot's
     * data-partition step (ota_boot.c: a restore, or the backup of a multi-image package, which
     * never overlap a decode). Each phase initialises its member when it starts. */
    union {
        struct {               /* XZ decoding: the verification pass and the install */
            uint8_t window[OTA_INSTALL_WINDOW_SIZE];
            ota_xz_window_t win;
            ota_xz_dec_t xz;
        };
        struct {               /* the signature check, which runs before either */
            uint64_t sig_heap[OTA_INSTALL_SIG_HEAP_SIZE / 8]; /* mbedTLS' bignums (ota_arena.h) */
            ota_arena_t sig_arena;
            ota_sig_check_t sig_check;                        /* the package's hash contexts */
        };
        ota_data_update_t data;
    };
    /* signed package: its verified block binds the decoded stream and the installed image */
    int sig_checked;
    ota_sig_block_t sig;
    ota_sig_image_hash_t sig_img;
} ota_install_work_t;

/* The other phases fit in the decoder's memory: the union costs no RAM of its own. */
_Static_assert(offsetof(ota_install_work_t, sig_check) + sizeof(ota_sig_check_t) <=
               offsetof(ota_install_work_t, xz) + sizeof(ota_xz_dec_t),
               "the signature check's heap and hashes must fit in the decoder's memory they overlay");
_Static_assert(offsetof(ota_install_work_t, data) + sizeof(ota_data_update_t) <=
               offsetof(ota_install_work_t, xz) + sizeof(ota_xz_dec_t),
               "the data-partition step must fit in the decoder's memory it overlays");

/* Where the package may go: the partitions and the anti-rollback inputs. */
typedef struct ota_install_target {
    const ota_ptable_t *pt;
    const ota_layout_t *layout;
    uint32_t max_upd_no;       /* anti-rollback counter from the state record */
    int signed_mode;           /* trusted keys present, or the state flag "signed images seen" */
    uint32_t image_offset;     /* offset of the image in staging: 0, or the first header's `next`
                                  for the second image of a multi-image package (ota_multi_image.h) */
} ota_install_target_t;

/* Verifies the package at the staging partition: header (each field), addresses against the
 * partition table (IMG_ADDR), sizes (IMG_TOO_LARGE), body CRC, anti-rollback (INSTALL_ROLLBACK:
 * upd_no below max_upd_no, allowed only with skip_upgrade_check outside signed mode), then a
 * verification pass over the stream: inner header (IMG_INNER / IMG_INNER_MISMATCH), and where
 * the RAM window suffices the whole body (XZ errors, IMG_INNER for a bad inner CRC or length).
 * Signed mode (w->keys not empty, or t->signed_mode): an unsigned package is SIG_MISSING right
 * after the header; after the body CRC the signature is verified (ota_sig_verify_flash: SIG_*),
 * the signed image_size must fit the target (IMG_TOO_LARGE), and the decoded stream is bound to
 * image_size/image_sha256 (SIG_HASH; output beyond image_size stops the decoder). Without keys a
 * signed package gets its block format checked only.
 * *verify_mode receives OTA_VERIFY_FULL or OTA_VERIFY_HEADER. Never writes flash. */
int ota_install_verify(ota_install_work_t *w, const ota_flash_t *f, const ota_install_target_t *t,
                       int *verify_mode);

/* Writes the verified package (after ota_install_verify on the same w) into its target. */
int ota_install_write(ota_install_work_t *w);

/* CRC of the installed body against a header's org_checksum (OTA_E_INSTALL_VERIFY on mismatch). */
int ota_install_check_target(const ota_flash_t *f, const ota_img_header_t *h, uint8_t *io, uint32_t io_len);

#endif
