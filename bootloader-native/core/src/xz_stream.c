/* XZ stream layer (the .xz container; one stream per ota_xz_init):
 *   stream header (12): magic FD 37 7A 58 5A 00, flags (00, check id in bits 3:0 of byte 7),
 *                       CRC32 of the two flag bytes
 *   blocks:             header (xz_block.c), LZMA2 data (xz_lzma2.c), zero padding to a
 *                       multiple of 4, check (xz_check.c)
 *   index               (xz_index.c), starts with a 0x00 byte where a block header would
 *   stream footer (12): CRC32 of the next 6 bytes, backward size (index size / 4 - 1, LE32),
 *                       the same two flag bytes as the header, magic 59 5A ("YZ")
 * Errors: stream header problems are OTA_E_XZ_FORMAT (not XZ), an unsupported check or filter
 * OTA_E_XZ_OPTIONS, everything inconsistent after a good header OTA_E_XZ_DATA (or _CHECK). */
#include "xz_private.h"
#include "ota_crc.h"

#include <string.h>

static const uint8_t header_magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };

void ota_xz_init(ota_xz_dec_t *d, const ota_xz_window_t *w)
{
    memset(d, 0, offsetof(ota_xz_dec_t, lzma)); /* probabilities are set per chunk */
    d->w = w;
    d->seq = XZ_SEQ_STREAM_HEADER;
    d->need = 12;
    d->blocks.crc = OTA_CRC32_INIT;
    xz_dict_init(d);
}

/* Collects d->need bytes into d->buf; 1 when complete. */
static int gather(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *pos)
{
    size_t n = d->need - d->have;
    if (n > in_len - *pos)
        n = in_len - *pos;
    memcpy(d->buf + d->have, in + *pos, n);
    d->have += (uint32_t)n;
    *pos += n;
    return d->have == d->need;
}

static int stream_header(ota_xz_dec_t *d)
{
    const uint8_t *b = d->buf;
    if (memcmp(b, header_magic, sizeof header_magic) != 0)
        return OTA_E_XZ_FORMAT;
    if (ota_crc32_xz(b + 6, 2) != ota_get_le32(b + 8))
        return OTA_E_XZ_FORMAT;
    if (b[6] != 0 || (b[7] & 0xF0))
        return OTA_E_XZ_FORMAT;
    d->check_type = b[7]; /* the whole second flag byte (its reserved bits are 0) */
    uint32_t size = xz_check_size(d->check_type);
    if (size == 0xFF)
        return OTA_E_XZ_OPTIONS;
    d->check_size = (uint8_t)size;
    return 0;
}

static int stream_footer(ota_xz_dec_t *d)
{
    const uint8_t *b = d->buf;
    if (b[10] != 'Y' || b[11] != 'Z')
        return OTA_E_XZ_DATA;
    if (ota_crc32_xz(b + 4, 6) != ota_get_le32(b))
        return OTA_E_XZ_DATA;
    if (((uint64_t)ota_get_le32(b + 4) + 1) * 4 != d->index_size)
        return OTA_E_XZ_DATA;
    if (b[8] != 0 || b[9] != d->check_type)
        return OTA_E_XZ_DATA;
    return 0;
}

static int block_end(ota_xz_dec_t *d)
{
    if (d->bcj.on) { /* the check covers the BCJ output: everything must pass the stage now */
        int rc = ota_xz_flush(d);
        if (rc == 0)
            rc = xz_bcj_finish(d);
        d->bcj.on = d->bcj.far = 0;
        if (rc)
            return rc;
    }
    if (d->block_comp_declared != UINT64_MAX && d->block_comp != d->block_comp_declared)
        return OTA_E_XZ_DATA;
    if (d->block_uncomp_declared != UINT64_MAX && d->block_uncomp != d->block_uncomp_declared)
        return OTA_E_XZ_DATA;
    return 0;
}

int ota_xz_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_used)
{
    size_t pos = 0;
    int rc = 0;
    if (d->err) {
        *in_used = 0;
        return d->err;
    }
    for (;;) {
        switch (d->seq) {
        case XZ_SEQ_STREAM_HEADER:
            if (!gather(d, in, in_len, &pos))
                goto more;
            if ((rc = stream_header(d)) != 0)
                goto fail;
            d->seq = XZ_SEQ_BLOCK_START;
            break;
        case XZ_SEQ_BLOCK_START:
            if (pos == in_len)
                goto more;
            if (in[pos] == 0x00) {
                xz_index_start(d);
                d->seq = XZ_SEQ_INDEX;
                break;
            }
            d->block_header_size = ((uint32_t)in[pos] + 1) * 4;
            if (d->block_header_size > OTA_XZ_BLOCK_HEADER_MAX) {
                rc = OTA_E_XZ_OPTIONS;
                goto fail;
            }
            d->need = d->block_header_size;
            d->have = 0;
            d->seq = XZ_SEQ_BLOCK_HEADER;
            break;
        case XZ_SEQ_BLOCK_HEADER:
            if (!gather(d, in, in_len, &pos))
                goto more;
            if ((rc = xz_block_header_parse(d)) != 0)
                goto fail;
            xz_check_start(d);
            d->block_comp = 0;
            d->block_uncomp = 0;
            d->seq = XZ_SEQ_BLOCK_DATA;
            break;
        case XZ_SEQ_BLOCK_DATA: {
            size_t before = pos;
            rc = xz_lzma2_run(d, in, in_len, &pos);
            d->block_comp += pos - before;
            if (d->block_comp_declared != UINT64_MAX && d->block_comp > d->block_comp_declared) {
                rc = OTA_E_XZ_DATA;
                goto fail;
            }
            if (rc == OTA_XZ_MORE)
                goto more;
            if (rc != OTA_XZ_END)
                goto fail;
            if ((rc = block_end(d)) != 0)
                goto fail;
            d->have = 0;
            d->seq = XZ_SEQ_BLOCK_PADDING;
            break;
        }
        case XZ_SEQ_BLOCK_PADDING:
            while (((d->block_comp + d->have) & 3) != 0) {
                if (pos == in_len)
                    goto more;
                if (in[pos++] != 0) {
                    rc = OTA_E_XZ_DATA;
                    goto fail;
                }
                d->have++;
            }
            d->have = 0;
            d->need = d->check_size;
            d->seq = XZ_SEQ_BLOCK_CHECK;
            break;
        case XZ_SEQ_BLOCK_CHECK:
            if (!gather(d, in, in_len, &pos))
                goto more;
            if ((rc = xz_check_verify(d)) != 0)
                goto fail;
            xz_index_sum_add(&d->blocks, d->block_header_size + d->block_comp + d->check_size,
                             d->block_uncomp);
            d->seq = XZ_SEQ_BLOCK_START;
            break;
        case XZ_SEQ_INDEX:
            rc = xz_index_run(d, in, in_len, &pos);
            if (rc == OTA_XZ_MORE)
                goto more;
            if (rc != OTA_XZ_END)
                goto fail;
            d->have = 0;
            d->need = 12;
            d->seq = XZ_SEQ_STREAM_FOOTER;
            break;
        case XZ_SEQ_STREAM_FOOTER:
            if (!gather(d, in, in_len, &pos))
                goto more;
            if ((rc = stream_footer(d)) != 0)
                goto fail;
            if ((rc = ota_xz_flush(d)) != 0)
                goto fail;
            d->seq = XZ_SEQ_END;
            break;
        default: /* XZ_SEQ_END */
            *in_used = pos;
            return OTA_XZ_END;
        }
    }
more:
    *in_used = pos;
    return OTA_XZ_MORE;
fail:
    d->err = rc;
    *in_used = pos;
    return rc;
}

int ota_xz_end_of_input(ota_xz_dec_t *d)
{
    if (d->err)
        return d->err;
    return d->seq == XZ_SEQ_END ? OTA_XZ_END : OTA_E_XZ_TRUNCATED;
}
