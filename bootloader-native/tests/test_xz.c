/* XZ decoder tests against streams made by the system xz (tests/xz/case.sh).
 *   test_xz decode XZ ORIG      byte-exact under many window/input configurations
 *   test_xz corrupt XZ ORIG     truncations and bit flips in every part give the right error
 *   test_xz reject:NAME XZ ORIG the stream is rejected with error NAME (e.g. XZ_OPTIONS)
 *   test_xz unit XZ ORIG        crafted variants (check ids, filters, limits, callbacks) */
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_sha256.h"
#include "ota_xz.h"
#include "test_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            failures++;                                                                           \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                  \
            fprintf(stderr, __VA_ARGS__);                                                         \
            fputc('\n', stderr);                                                                  \
        }                                                                                         \
    } while (0)

typedef struct {
    uint8_t *data;
    size_t len, cap;
} buf_t;

static buf_t read_file(const char *path)
{
    buf_t b = { 0, 0, 0 };
    b.data = t_read_file(NULL, path, &b.len);
    if (!b.data) {
        perror(path);
        exit(2);
    }
    return b;
}

/* One decoding configuration and what it observed. */
typedef struct {
    uint32_t ram_size;
    size_t piece;       /* input bytes per ota_xz_run call */
    int history;        /* provide read_history (from the output flushed so far) */
    uint64_t out_limit;
    int fail_flush_at;  /* >0: flush number N fails with OTA_E_IO */
    int fail_history;   /* read_history fails with OTA_E_FLASH_IO */
    /* observed */
    buf_t out;
    int flushes;
    uint64_t history_reads;
    int history_violation; /* read of a byte not yet flushed */
} run_t;

static int on_flush(void *ctx, const uint8_t *data, size_t len)
{
    run_t *r = ctx;
    r->flushes++;
    if (r->fail_flush_at && r->flushes == r->fail_flush_at)
        return OTA_E_IO;
    if (r->out.len + len > r->out.cap) {
        r->out.cap = (r->out.len + len) * 2 + 4096;
        r->out.data = realloc(r->out.data, r->out.cap);
    }
    memcpy(r->out.data + r->out.len, data, len);
    r->out.len += len;
    return 0;
}

static int on_history(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    run_t *r = ctx;
    r->history_reads++;
    if (r->fail_history)
        return OTA_E_FLASH_IO;
    if (pos + len > r->out.len) {
        r->history_violation = 1;
        return OTA_E_FLASH_RANGE;
    }
    memcpy(buf, r->out.data + pos, len);
    return 0;
}

static uint32_t xz_le32_test(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static ota_xz_dec_t dec; /* ~29 KiB: static, as in the bootloader */

/* Decodes `in` under r's configuration; returns OTA_XZ_END (1) on success or the error. */
static int run_decode(run_t *r, const uint8_t *in, size_t len, size_t *consumed)
{
    ota_xz_window_t w;
    size_t at = 0;
    int rc = OTA_XZ_MORE;
    uint8_t *ram = malloc(r->ram_size ? r->ram_size : 1);
    memset(&w, 0, sizeof w);
    w.ram = ram;
    w.ram_size = r->ram_size;
    w.ctx = r;
    w.flush = on_flush;
    w.read_history = r->history ? on_history : NULL;
    w.out_limit = r->out_limit;
    r->out.len = 0;
    r->flushes = 0;
    r->history_reads = 0;
    r->history_violation = 0;
    ota_xz_init(&dec, &w);
    while (rc == OTA_XZ_MORE && at < len) {
        size_t n = len - at < r->piece ? len - at : r->piece, used = 0;
        rc = ota_xz_run(&dec, in + at, n, &used);
        CHECK(used <= n, "used %zu > %zu", used, n);
        CHECK(rc != OTA_XZ_MORE || used == n, "MORE but only %zu of %zu used", used, n);
        at += used;
    }
    if (rc == OTA_XZ_MORE)
        rc = ota_xz_end_of_input(&dec);
    if (consumed)
        *consumed = at;
    if (rc == OTA_XZ_END)
        CHECK(ota_xz_total_out(&dec) == r->out.len, "total_out %llu != flushed %zu",
              (unsigned long long)ota_xz_total_out(&dec), r->out.len);
    free(ram);
    return rc;
}

static int same(const run_t *r, const buf_t *orig)
{
    return r->out.len == orig->len && (orig->len == 0 || memcmp(r->out.data, orig->data, orig->len) == 0);
}

/* Dictionary size from the first block header (LZMA2 property byte). */
static uint32_t dict_size_of(const buf_t *xz)
{
    const uint8_t *h = xz->data + 12;
    uint32_t size = (h[0] + 1u) * 4u, i = 2;
    uint8_t prop;
    if (xz->len < 12 + 12 || h[0] == 0)
        return 0;
    if (h[1] & 0x40) while (h[i++] & 0x80) {}
    if (h[1] & 0x80) while (h[i++] & 0x80) {}
    (void)size;
    prop = h[i + 2]; /* id 0x21, size 1, prop */
    return prop >= 40 ? 0xFFFFFFFFu : (2u | (prop & 1u)) << (prop / 2 + 11);
}

static int mode_decode(const buf_t *xz, const buf_t *orig)
{
    static const struct { uint32_t ram; size_t piece; int history; } cfgs[] = {
        { 64u << 20, (size_t)-1, 0 },  /* whole input, big window */
        { 64u << 20, 1, 0 },           /* one byte at a time */
        { 64u << 20, 7, 0 },
        { 64u << 20, 4093, 0 },
        { 4096, 4096, 1 },             /* small RAM ring + history (flash dictionary path) */
        { 4096 + 13, 7, 1 },           /* odd ring size, odd pieces */
        { 300, 65536, 1 },             /* ring shorter than the longest match */
    };
    uint32_t dict = dict_size_of(xz);
    size_t i;
    run_t r;
    memset(&r, 0, sizeof r);
    for (i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        int rc;
        if (cfgs[i].piece == 1 && xz->len > (2u << 20))
            continue; /* keep CI time small */
        r.ram_size = cfgs[i].ram;
        r.piece = cfgs[i].piece;
        r.history = cfgs[i].history;
        r.out_limit = 0;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        CHECK(rc == OTA_XZ_END, "cfg %zu (ram %u, piece %zu, history %d): rc %d %s", i,
              r.ram_size, r.piece, r.history, rc, ota_err_name(rc));
        CHECK(same(&r, orig), "cfg %zu: output differs (%zu vs %zu bytes)", i, r.out.len, orig->len);
        CHECK(!r.history_violation, "cfg %zu: read_history of unflushed bytes", i);
        if (r.history && dict > r.ram_size && orig->len > 2 * r.ram_size && xz->len * 2 < orig->len)
            CHECK(r.history_reads > 0, "cfg %zu: dictionary %u > ring %u but no history read", i,
                  dict, r.ram_size);
        printf("cfg %zu: ram %u piece %lld history %d -> %zu bytes, %d flushes, %llu history reads\n",
               i, r.ram_size, r.piece == (size_t)-1 ? -1LL : (long long)r.piece, r.history, r.out.len, r.flushes,
               (unsigned long long)r.history_reads);
    }
    /* without read_history a dictionary larger than the ring is refused up front */
    if (dict > 4096) {
        int rc;
        r.ram_size = 4096;
        r.piece = (size_t)-1;
        r.history = 0;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        CHECK(rc == OTA_E_XZ_MEMLIMIT, "dict %u > ring 4096 without history: rc %d", dict, rc);
        CHECK(r.out.len == 0, "MEMLIMIT but %zu bytes out", r.out.len);
    }
    /* output limit: exactly the size passes, one byte less is a bomb */
    if (orig->len > 1) { /* out_limit 0 means none */
        int rc;
        r.ram_size = 64u << 20;
        r.piece = (size_t)-1;
        r.history = 0;
        r.out_limit = orig->len;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        CHECK(rc == OTA_XZ_END && same(&r, orig), "out_limit = size: rc %d", rc);
        r.out_limit = orig->len - 1;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        CHECK(rc == OTA_E_XZ_OUTPUT_LIMIT, "out_limit = size - 1: rc %d", rc);
        CHECK(r.out.len <= orig->len - 1, "out_limit exceeded: %zu bytes flushed", r.out.len);
    }
    free(r.out.data);
    return failures;
}

/* Locations of the parts of a single-block stream. */
typedef struct {
    size_t bh, bh_size, data, check, check_size, index, footer;
} layout_t;

static layout_t layout_of(const buf_t *xz)
{
    layout_t l;
    static const uint8_t sizes[16] = { 0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64 };
    uint32_t backward = (xz_le32_test(xz->data + xz->len - 8) + 1) * 4;
    l.footer = xz->len - 12;
    l.index = l.footer - backward;
    l.bh = 12;
    l.bh_size = (xz->data[12] + 1u) * 4u;
    l.data = l.bh + l.bh_size;
    l.check_size = sizes[xz->data[7] & 15];
    l.check = l.index - l.check_size;
    return l;
}

static int decode_simple(const uint8_t *in, size_t len, size_t piece, buf_t *out_keep)
{
    run_t r;
    int rc;
    memset(&r, 0, sizeof r);
    r.ram_size = 1u << 20;
    r.piece = piece;
    r.history = 1;
    rc = run_decode(&r, in, len, NULL);
    if (out_keep)
        *out_keep = r.out;
    else
        free(r.out.data);
    return rc;
}

/* Flips bit `bit` of byte `at` and expects one of the allowed errors. */
static void flip_expect(const buf_t *xz, size_t at, int bit, const char *part, int e1, int e2)
{
    uint8_t *c = malloc(xz->len);
    int rc;
    memcpy(c, xz->data, xz->len);
    c[at] ^= (uint8_t)(1u << bit);
    rc = decode_simple(c, xz->len, (size_t)-1, NULL);
    CHECK(rc == e1 || rc == e2, "%s: flip byte %zu bit %d: rc %d %s, want %s%s%s", part, at, bit,
          rc, ota_err_name(rc), ota_err_name(e1), e2 ? " or " : "", e2 ? ota_err_name(e2) : "");
    free(c);
}

static int mode_corrupt(const buf_t *xz, const buf_t *orig)
{
    layout_t l = layout_of(xz);
    size_t at, n = 0, step;
    int has_check = l.check_size > 0;
    (void)orig;

    /* truncation anywhere: never success, always TRUNCATED */
    step = xz->len / 300 + 1;
    for (at = 0; at < xz->len; at += (at < 64 || at + 64 > xz->len) ? 1 : step) {
        int rc = decode_simple(xz->data, at, 4096, NULL);
        CHECK(rc == OTA_E_XZ_TRUNCATED, "truncated at %zu of %zu: rc %d %s", at, xz->len, rc,
              ota_err_name(rc));
        n++;
    }
    printf("%zu truncation points\n", n);

    for (at = 0; at < 12; at++) /* stream header: magic, flags, CRC */
        flip_expect(xz, at, (int)(at % 8), "stream header", OTA_E_XZ_FORMAT, 0);
    for (at = l.bh + 1; at < l.bh + l.bh_size; at++) /* block header: its CRC catches all */
        flip_expect(xz, at, (int)(at % 8), "block header", OTA_E_XZ_DATA, 0);
    for (at = 0; at < 8; at++) /* header size byte */
        flip_expect(xz, l.bh, (int)at, "block header size", OTA_E_XZ_DATA, OTA_E_XZ_OPTIONS);
    step = (l.check - l.data) / 200 + 1;
    for (at = l.data; at < l.check; at += step) /* LZMA2 data and block padding */
        flip_expect(xz, at, (int)(at % 8), "data", OTA_E_XZ_DATA,
                    has_check ? OTA_E_XZ_CHECK : OTA_E_XZ_DATA);
    for (at = l.check; at < l.index; at++)
        flip_expect(xz, at, (int)(at % 8), "check", OTA_E_XZ_CHECK, 0);
    /* the index indicator turned into a block header size may exceed our 64-byte limit */
    flip_expect(xz, l.index, 7, "index indicator", OTA_E_XZ_DATA, OTA_E_XZ_OPTIONS);
    for (at = l.index + 1; at < l.footer; at++)
        flip_expect(xz, at, (int)(at % 8), "index", OTA_E_XZ_DATA, 0);
    for (at = l.footer; at < xz->len; at++)
        flip_expect(xz, at, (int)(at % 8), "footer", OTA_E_XZ_DATA, 0);
    return failures;
}

/* Recomputes the stream header and footer CRCs after editing the flags. */
static void set_check_id(uint8_t *c, size_t len, uint8_t id)
{
    c[7] = id;
    put_le32(c + 8, ota_crc32_xz(c + 6, 2));
    c[len - 3] = id;
    put_le32(c + len - 12, ota_crc32_xz(c + len - 8, 6));
}

static int history_fail_flash(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    (void)ctx; (void)pos; (void)buf; (void)len;
    return OTA_E_FLASH_IO;
}

static int mode_unit(const buf_t *xz, const buf_t *orig)
{
    layout_t l = layout_of(xz);
    uint8_t *c = malloc(xz->len + 64);
    buf_t out;
    size_t used;
    int rc, id;
    run_t r;

    /* known answers of the shared CRC/SHA helpers */
    CHECK(ota_crc32("123456789", 9) == 0x340BC6D9u, "CRC-32 raw");
    CHECK(ota_crc32_xz("123456789", 9) == 0xCBF43926u, "CRC-32 XZ");
    CHECK(~ota_crc64_update(OTA_CRC64_INIT, "123456789", 9) == UINT64_C(0x995DC9BBDF1939FA), "CRC-64");
    {
        static const uint8_t abc[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41,
            0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
            0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
        uint8_t h[32];
        ota_sha256_t s;
        CHECK(ota_sha256("abc", 3, h) == 0 && memcmp(h, abc, 32) == 0, "SHA-256 one-shot");
        ota_sha256_init(&s);
        ota_sha256_update(&s, "a", 1);
        ota_sha256_update(&s, "bc", 2);
        CHECK(ota_sha256_finish(&s, h) == 0 && memcmp(h, abc, 32) == 0, "SHA-256 streaming");
    }

    /* check ids other than None/CRC32/CRC64/SHA-256 are unsupported */
    for (id = 0; id < 16; id++) {
        if (id == 0 || id == 1 || id == 4 || id == 10)
            continue;
        memcpy(c, xz->data, xz->len);
        set_check_id(c, xz->len, (uint8_t)id);
        rc = decode_simple(c, xz->len, (size_t)-1, NULL);
        CHECK(rc == OTA_E_XZ_OPTIONS, "check id %d: rc %d", id, rc);
    }
    /* reserved stream flag bits (with a valid CRC) are not XZ as we know it */
    memcpy(c, xz->data, xz->len);
    c[6] = 0x01;
    put_le32(c + 8, ota_crc32_xz(c + 6, 2));
    CHECK(decode_simple(c, xz->len, (size_t)-1, NULL) == OTA_E_XZ_FORMAT, "reserved stream flags");

    /* other filters (here: the id rewritten, header CRC fixed) are unsupported */
    {
        static const uint8_t ids[] = { 0x03, 0x04, 0x0B, 0x20, 0x22 };
        size_t k;
        for (k = 0; k < sizeof ids; k++) {
            size_t fpos = l.bh + 2;
            memcpy(c, xz->data, xz->len);
            if (c[l.bh + 1] & 0x40) while (c[fpos++] & 0x80) {}
            if (c[l.bh + 1] & 0x80) while (c[fpos++] & 0x80) {}
            CHECK(c[fpos] == 0x21, "expected LZMA2 id at %zu", fpos);
            c[fpos] = ids[k];
            put_le32(c + l.bh + l.bh_size - 4, ota_crc32_xz(c + l.bh, l.bh_size - 4));
            rc = decode_simple(c, xz->len, (size_t)-1, NULL);
            CHECK(rc == OTA_E_XZ_OPTIONS, "filter id 0x%02x: rc %d", ids[k], rc);
        }
    }
    /* reserved block flag bits */
    memcpy(c, xz->data, xz->len);
    c[l.bh + 1] |= 0x04;
    put_le32(c + l.bh + l.bh_size - 4, ota_crc32_xz(c + l.bh, l.bh_size - 4));
    CHECK(decode_simple(c, xz->len, (size_t)-1, NULL) == OTA_E_XZ_OPTIONS, "reserved block flags");

    /* bytes after the stream (the 0xFF padding of an image body) are left alone */
    memcpy(c, xz->data, xz->len);
    memset(c + xz->len, 0xFF, 3);
    ota_xz_window_t w;
    uint8_t *ram = malloc(64u << 20);
    memset(&w, 0, sizeof w);
    memset(&r, 0, sizeof r);
    w.ram = ram;
    w.ram_size = 64u << 20;
    w.ctx = &r;
    w.flush = on_flush;
    ota_xz_init(&dec, &w);
    rc = ota_xz_run(&dec, c, xz->len + 3, &used);
    CHECK(rc == OTA_XZ_END && used == xz->len, "padding after stream: rc %d used %zu of %zu", rc,
          used, xz->len);
    CHECK(same(&r, orig), "padding after stream: output");
    rc = ota_xz_run(&dec, c + used, 3, &used);
    CHECK(rc == OTA_XZ_END && used == 0, "after END: rc %d used %zu", rc, used);
    free(r.out.data);
    memset(&r, 0, sizeof r);

    /* errors are sticky */
    memcpy(c, xz->data, xz->len);
    c[0] ^= 1;
    ota_xz_init(&dec, &w);
    rc = ota_xz_run(&dec, c, xz->len, &used);
    CHECK(rc == OTA_E_XZ_FORMAT, "bad magic: rc %d", rc);
    rc = ota_xz_run(&dec, xz->data, xz->len, &used);
    CHECK(rc == OTA_E_XZ_FORMAT && used == 0, "sticky error: rc %d", rc);
    CHECK(ota_xz_end_of_input(&dec) == OTA_E_XZ_FORMAT, "end_of_input keeps the error");

    /* a flush() error stops decoding with that error */
    if (orig->len > 0) {
        memset(&r, 0, sizeof r);
        r.ram_size = 4096;
        r.piece = (size_t)-1;
        r.history = 1;
        r.fail_flush_at = 1;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        CHECK(rc == OTA_E_IO, "flush error: rc %d", rc);
        free(r.out.data);
    }
    /* a read_history() error stops decoding with that error (when history is used at all) */
    if (orig->len > 3 * 300) {
        memset(&r, 0, sizeof r);
        r.ram_size = 300;
        r.piece = (size_t)-1;
        r.history = 1;
        rc = run_decode(&r, xz->data, xz->len, NULL);
        if (r.history_reads > 0) {
            ota_xz_window_t w2;
            uint8_t small[300];
            memset(&w2, 0, sizeof w2);
            w2.ram = small;
            w2.ram_size = sizeof small;
            w2.ctx = &r;
            w2.flush = on_flush;
            w2.read_history = history_fail_flash;
            ota_xz_init(&dec, &w2);
            rc = ota_xz_run(&dec, xz->data, xz->len, &used);
            CHECK(rc == OTA_E_FLASH_IO, "read_history error: rc %d", rc);
        }
        free(r.out.data);
    }
    /* empty input is truncated, not success */
    ota_xz_init(&dec, &w);
    CHECK(ota_xz_end_of_input(&dec) == OTA_E_XZ_TRUNCATED, "no input");
    /* a second stream right after the first is not read by one decoder */
    memcpy(c, xz->data, xz->len);
    rc = decode_simple(c, xz->len, 5, &out);
    CHECK(rc == OTA_XZ_END && out.len == orig->len, "plain decode: rc %d, %zu bytes", rc, out.len);
    free(out.data);
    free(ram);
    free(c);
    return failures;
}

static int mode_reject(const char *name, const buf_t *xz)
{
    int rc = decode_simple(xz->data, xz->len, (size_t)-1, NULL);
    CHECK(strcmp(ota_err_name(rc), name) == 0, "want %s, got rc %d %s", name, rc, ota_err_name(rc));
    rc = decode_simple(xz->data, xz->len, 1, NULL);
    CHECK(strcmp(ota_err_name(rc), name) == 0, "1-byte pieces: want %s, got rc %d %s", name, rc,
          ota_err_name(rc));
    return failures;
}

int main(int argc, char **argv)
{
    buf_t xz, orig;
    if (argc != 4) {
        fprintf(stderr, "usage: test_xz decode|corrupt|unit|reject:NAME XZ ORIG\n");
        return 2;
    }
    xz = read_file(argv[2]);
    orig = read_file(argv[3]);
    if (strcmp(argv[1], "decode") == 0)
        mode_decode(&xz, &orig);
    else if (strcmp(argv[1], "corrupt") == 0)
        mode_corrupt(&xz, &orig);
    else if (strcmp(argv[1], "unit") == 0)
        mode_unit(&xz, &orig);
    else if (strncmp(argv[1], "reject:", 7) == 0)
        mode_reject(argv[1] + 7, &xz);
    else
        return 2;
    printf("%s: %s\n", argv[1], failures ? "FAILED" : "ok");
    free(xz.data);
    free(orig.data);
    return failures ? 1 : 0;
}
