/* Host decoding command: file -> our XZ decoder -> file. The decoder writes into a RAM ring of
 * DECODE_RING bytes (enough for every xz preset up to -9e, 64 MiB dictionaries); its flush()
 * writes to the output. Host-only code: stdio and malloc are fine here. */
#define _POSIX_C_SOURCE 200809L
#include "decode_cmd.h"

#include "ota_err.h"
#include "ota_xz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DECODE_RING ((uint32_t)64 << 20)
#define DECODE_IN   ((size_t)1 << 16)

typedef struct {
    FILE *out;
} decode_sink_t;

static int sink_flush(void *ctx, const uint8_t *data, size_t len)
{
    decode_sink_t *s = (decode_sink_t *)ctx;
    return fwrite(data, 1, len, s->out) == len ? 0 : OTA_E_IO;
}

static const char *detail_of(int code)
{
    switch (code) {
    case OTA_E_XZ_FORMAT: return "not an XZ stream (magic, header CRC or reserved bits)";
    case OTA_E_XZ_OPTIONS: return "unsupported filter, check type or header option";
    case OTA_E_XZ_DATA: return "corrupt compressed data";
    case OTA_E_XZ_CHECK: return "integrity check mismatch";
    case OTA_E_XZ_MEMLIMIT: return "dictionary larger than the 64 MiB decoder window";
    case OTA_E_XZ_TRUNCATED: return "input ended before the end of the stream";
    case OTA_E_XZ_OUTPUT_LIMIT: return "output larger than allowed";
    case OTA_E_IO: return "cannot write the output";
    default: return "decoding failed";
    }
}

static int fail(int code, const char *detail, unsigned long long offset)
{
    fprintf(stderr, "ota-boot: E%d %s: %s (input offset %llu)\n", code, ota_err_name(code), detail,
            offset);
    return code;
}

/* Decodes every stream of `in` into `out`. */
static int decode_all(FILE *in, FILE *out, ota_xz_dec_t *dec, uint8_t *ring, uint8_t *ibuf)
{
    decode_sink_t sink = { out };
    ota_xz_window_t w;
    unsigned long long offset = 0;   /* input bytes consumed */
    unsigned long long padding = 0;  /* zero bytes after the current stream */
    size_t len = 0, at = 0;
    int in_stream = 1, streams = 0;

    memset(&w, 0, sizeof w);
    w.ram = ring;
    w.ram_size = DECODE_RING;
    w.ctx = &sink;
    w.flush = sink_flush;
    ota_xz_init(dec, &w);
    for (;;) {
        if (at == len) {
            len = fread(ibuf, 1, DECODE_IN, in);
            at = 0;
            if (len == 0) {
                if (ferror(in))
                    return fail(OTA_E_IO, strerror(errno), offset);
                break;
            }
        }
        if (in_stream) {
            size_t used = 0;
            int rc = ota_xz_run(dec, ibuf + at, len - at, &used);
            at += used;
            offset += used;
            if (rc == OTA_XZ_END) {
                in_stream = 0;
                streams++;
                padding = 0;
            } else if (rc != OTA_XZ_MORE) {
                return fail(rc, detail_of(rc), offset);
            }
        } else if (ibuf[at] == 0x00) {
            at++; /* stream padding */
            offset++;
            padding++;
        } else {
            if (padding % 4 != 0)
                return fail(OTA_E_XZ_DATA, "stream padding not a multiple of 4 bytes", offset);
            ota_xz_init(dec, &w);
            in_stream = 1;
        }
    }
    if (in_stream) {
        int rc = ota_xz_end_of_input(dec);
        if (streams == 0 && offset == 0)
            return fail(OTA_E_XZ_TRUNCATED, "empty input", offset);
        if (rc != OTA_XZ_END)
            return fail(rc, detail_of(rc), offset);
    } else if (padding % 4 != 0) {
        return fail(OTA_E_XZ_DATA, "stream padding not a multiple of 4 bytes", offset);
    }
    return 0;
}

int ota_decode_cmd(const char *in_path, const char *out_path)
{
    FILE *in, *out;
    char *tmp = NULL;
    int to_stdout = strcmp(out_path, "-") == 0;
    int rc;
    ota_xz_dec_t *dec = malloc(sizeof *dec);
    uint8_t *ring = malloc(DECODE_RING);
    uint8_t *ibuf = malloc(DECODE_IN);

    if (!dec || !ring || !ibuf) {
        free(dec);
        free(ring);
        free(ibuf);
        fprintf(stderr, "ota-boot: E%d %s: out of memory\n", OTA_E_IO, ota_err_name(OTA_E_IO));
        return OTA_E_IO;
    }
    in = strcmp(in_path, "-") == 0 ? stdin : fopen(in_path, "rb");
    if (!in) {
        fprintf(stderr, "ota-boot: E%d %s: cannot open %s: %s\n", OTA_E_IO, ota_err_name(OTA_E_IO),
                in_path, strerror(errno));
        rc = OTA_E_IO;
        goto done;
    }
    if (to_stdout) {
        out = stdout;
    } else {
        size_t n = strlen(out_path) + 32;
        tmp = malloc(n);
        if (tmp)
            snprintf(tmp, n, "%s.tmp.%ld", out_path, (long)getpid());
        out = tmp ? fopen(tmp, "wb") : NULL;
        if (!out) {
            fprintf(stderr, "ota-boot: E%d %s: cannot create %s: %s\n", OTA_E_IO,
                    ota_err_name(OTA_E_IO), tmp ? tmp : out_path, strerror(errno));
            if (in != stdin)
                fclose(in);
            rc = OTA_E_IO;
            goto done;
        }
    }
    rc = decode_all(in, out, dec, ring, ibuf);
    if (in != stdin)
        fclose(in);
    if (fflush(out) != 0 && rc == 0)
        rc = fail(OTA_E_IO, "cannot write the output", 0);
    if (!to_stdout) {
        if (fclose(out) != 0 && rc == 0)
            rc = fail(OTA_E_IO, "cannot write the output", 0);
        if (rc == 0 && rename(tmp, out_path) != 0) {
            fprintf(stderr, "ota-boot: E%d %s: cannot rename to %s: %s\n", OTA_E_IO,
                    ota_err_name(OTA_E_IO), out_path, strerror(errno));
            rc = OTA_E_IO;
        }
        if (rc != 0)
            remove(tmp);
    }
done:
    free(tmp);
    free(dec);
    free(ring);
    free(ibuf);
    return rc;
}
