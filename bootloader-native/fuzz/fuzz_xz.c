/* libFuzzer harness (ASan + UBSan): our XZ decoder, differential against liblzma.
 *
 * Rule (documented in docs/design.md, "XZ decoder"):
 *  - when liblzma decodes the input as one stream, we must too, with the same bytes and the same
 *    stream length, unless we refuse it by design: OTA_E_XZ_OPTIONS (filters other than LZMA2,
 *    check ids other than None/CRC32/CRC64/SHA-256, block headers over 64 bytes) or
 *    OTA_E_XZ_MEMLIMIT (dictionary larger than the window without read_history);
 *  - when we accept, liblzma must accept, with the same bytes (except RISC-V BCJ streams, filter
 *    0x0B: liblzma 5.4 has no such filter; our own decoder is then checked against itself only);
 *  - our decoder gives the same result whatever the input piece sizes and whether the dictionary
 *    is a big RAM ring or a small ring plus read_history() (without read_history it may only
 *    answer OTA_E_XZ_MEMLIMIT instead). That includes RISC-V BCJ blocks, whose history read
 *    back from the output is re-encoded by the decoder (flash-history mode); for them a third
 *    run uses a ring of 1..509 bytes chosen by the input, so the history reads also hit the
 *    decoder's filtered tail and stage.
 * Output is capped at OUT_CAP on both sides (a bigger result is not compared). */
#include "ota_err.h"
#include "ota_xz.h"

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CAP  ((size_t)1 << 20)
#include "xz_harness.h"
#define BIG_RAM  ((uint32_t)1 << 20)
#define SMALL_RAM 4096u
#define TINY_RAM_MAX 509u

static uint8_t out_a[OUT_CAP], out_b[OUT_CAP], out_ref[OUT_CAP + 1];
static uint8_t big_ram[BIG_RAM], small_ram[SMALL_RAM], tiny_ram[TINY_RAM_MAX];

/* liblzma, one stream; returns 1 accepted, 0 rejected, -1 not comparable (limits). */
static int reference(const uint8_t *in, size_t size, size_t *out_len, size_t *used)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r;
    if (lzma_stream_decoder(&s, 4u << 20, 0) != LZMA_OK)
        return -1;
    s.next_in = in;
    s.avail_in = size;
    s.next_out = out_ref;
    s.avail_out = OUT_CAP + 1;
    r = lzma_code(&s, LZMA_FINISH);
    *out_len = OUT_CAP + 1 - s.avail_out;
    *used = size - s.avail_in;
    lzma_end(&s);
    if (r == LZMA_STREAM_END)
        return *out_len > OUT_CAP ? -1 : 1;
    if (r == LZMA_MEMLIMIT_ERROR || r == LZMA_MEM_ERROR || *out_len > OUT_CAP)
        return -1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sink_t a = { out_a, 0 }, b = { out_b, 0 };
    size_t used_a, used_b, ref_len, ref_used;
    size_t piece = size ? 1 + data[size - 1] % 61 : 1;
    /* a 1 MiB ring, whole input; dictionaries beyond 1 MiB read history from the output */
    int rc_a = ours(data, size, big_ram, BIG_RAM, 1, (size_t)-1, &a, &used_a);
    int rc_b, ref;

    /* the last block used the RISC-V BCJ filter: liblzma 5.4 cannot be the reference */
    int bcj = dec.filter_count == 2 && dec.filter_id[0] == 0x0Bu;

    /* the same stream in small pieces through a 4 KiB ring + history must agree exactly */
    rc_b = ours(data, size, small_ram, SMALL_RAM, 1, piece, &b, &used_b);
    if (rc_b != rc_a) {
        fprintf(stderr, "1 MiB ring: %d, 4 KiB ring + history, %zu-byte pieces: %d\n", rc_a, piece, rc_b);
        __builtin_trap();
    }
    if (rc_a == OTA_XZ_END && (used_a != used_b || a.len != b.len || memcmp(out_a, out_b, a.len)))
        __builtin_trap();
    /* without read_history: MEMLIMIT for big dictionaries, else the same result */
    rc_b = ours(data, size, big_ram, BIG_RAM, 0, (size_t)-1, &b, &used_b);
    if (rc_b != rc_a && rc_b != OTA_E_XZ_MEMLIMIT)
        __builtin_trap();

    if (bcj) {
        uint32_t tiny = size ? 1u + (uint32_t)(data[0] * 2u + data[size / 2]) % TINY_RAM_MAX : 1u;
        rc_b = ours(data, size, tiny_ram, tiny, 1, piece, &b, &used_b);
        if (rc_b != rc_a || (rc_a == OTA_XZ_END && (used_a != used_b || a.len != b.len ||
                                                    memcmp(out_a, out_b, a.len)))) {
            fprintf(stderr, "BCJ: 1 MiB ring: %d, %u-byte ring + history: %d\n", rc_a, tiny, rc_b);
            __builtin_trap();
        }
        return 0;
    }
    ref = reference(data, size, &ref_len, &ref_used);
    if (ref < 0 || rc_a == OTA_E_XZ_OUTPUT_LIMIT)
        return 0;
    if (ref == 1 && rc_a != OTA_E_XZ_OPTIONS && rc_a != OTA_E_XZ_MEMLIMIT) {
        if (rc_a != OTA_XZ_END) {
            fprintf(stderr, "liblzma accepts, we reject with %d %s\n", rc_a, ota_err_name(rc_a));
            __builtin_trap();
        }
    }
    if (rc_a == OTA_XZ_END) {
        if (ref != 1) {
            fprintf(stderr, "we accept, liblzma rejects\n");
            __builtin_trap();
        }
        if (ref_len != a.len || memcmp(out_ref, out_a, a.len) != 0 || ref_used != used_a) {
            fprintf(stderr, "output differs: ours %zu bytes/%zu used, liblzma %zu/%zu\n", a.len,
                    used_a, ref_len, ref_used);
            __builtin_trap();
        }
    }
    return 0;
}
