/* Block header (gathered whole in d->buf; its size (byte0 + 1) * 4 is known from byte 0):
 *   0      header size / 4 - 1 (0x00 here would be the index indicator)
 *   1      flags: bits 1:0 filter count - 1; 5:2 reserved (0); 6 compressed size present;
 *          7 uncompressed size present
 *   ...    [compressed size VLI] [uncompressed size VLI]
 *   ...    per filter: id VLI, properties size VLI, properties
 *   ...    zero padding up to size - 4
 *   size-4 CRC32 (XZ) of everything before it, LE
 * VLI: 7 bits per byte, least significant first, bit 7 = more; at most 9 bytes; no trailing
 * zero byte. The filter chain is run last-to-first when decoding. Supported chains: LZMA2 (id
 * 0x21, one property byte: dictionary size) alone, or RISC-V BCJ (id 0x0B, no properties or a
 * 4-byte LE start offset) followed by LZMA2 (xz_bcj_riscv.c). */
#include "xz_private.h"
#include "ota_crc.h"

#define VLI_MAX_BYTES 9

/* Reads a VLI from buf[*pos..end); 0 or OTA_E_XZ_DATA. */
static int vli_read(const uint8_t *buf, uint32_t end, uint32_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    uint32_t i;
    for (i = 0; i < VLI_MAX_BYTES && *pos < end; i++) {
        uint8_t b = buf[(*pos)++];
        if (i > 0 && b == 0)
            return OTA_E_XZ_DATA; /* non-minimal encoding */
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return OTA_E_XZ_DATA;
}

/* LZMA2 property byte: dictionary size 2^(n/2 + 12) or 3 * 2^(n/2 + 11), n <= 40. */
static int lzma2_dict_size(uint8_t prop, uint32_t *size)
{
    if (prop > 40)
        return OTA_E_XZ_OPTIONS;
    *size = prop == 40 ? 0xFFFFFFFFu : (2u | (prop & 1u)) << (prop / 2 + 11);
    return 0;
}

int xz_block_header_parse(ota_xz_dec_t *d)
{
    const uint8_t *b = d->buf;
    uint32_t size = d->block_header_size, end = size - 4, pos = 2, i;
    uint32_t dict_size = 0, bcj_start = 0;
    uint8_t flags, bcj = 0;
    int rc;

    if (ota_crc32_xz(b, end) != ota_get_le32(b + end))
        return OTA_E_XZ_DATA;
    flags = b[1];
    if (flags & 0x3C)
        return OTA_E_XZ_OPTIONS;
    d->block_comp_declared = UINT64_MAX;
    d->block_uncomp_declared = UINT64_MAX;
    if (flags & 0x40) {
        if ((rc = vli_read(b, end, &pos, &d->block_comp_declared)) != 0)
            return rc;
        if (d->block_comp_declared == 0)
            return OTA_E_XZ_DATA;
    }
    if (flags & 0x80) {
        if ((rc = vli_read(b, end, &pos, &d->block_uncomp_declared)) != 0)
            return rc;
    }
    d->filter_count = (uint8_t)((flags & 3) + 1);
    for (i = 0; i < d->filter_count; i++) {
        uint64_t id, psize;
        if ((rc = vli_read(b, end, &pos, &id)) != 0)
            return rc;
        if ((rc = vli_read(b, end, &pos, &psize)) != 0)
            return rc;
        if (psize > end - pos)
            return OTA_E_XZ_DATA;
        d->filter_id[i] = id > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)id;
        if (id == XZ_FILTER_LZMA2) {
            if (i != (uint32_t)d->filter_count - 1u || psize != 1)
                return OTA_E_XZ_OPTIONS;
            if ((rc = lzma2_dict_size(b[pos], &dict_size)) != 0)
                return rc;
        } else if (id == XZ_FILTER_RISCV) {
            /* only first, in front of LZMA2; optional 4-byte start offset */
            if (i != 0 || d->filter_count != 2 || (psize != 0 && psize != 4))
                return OTA_E_XZ_OPTIONS;
            bcj = 1;
            bcj_start = psize == 4 ? ota_get_le32(b + pos) : 0;
        } else {
            return OTA_E_XZ_OPTIONS; /* unsupported filter */
        }
        pos += (uint32_t)psize;
    }
    for (; pos < end; pos++)
        if (b[pos] != 0)
            return OTA_E_XZ_OPTIONS; /* header padding must be zero */

    if (d->w->ram_size == 0 || (dict_size > d->w->ram_size && d->w->read_history == NULL))
        return OTA_E_XZ_MEMLIMIT;
    /* read_history returns final (BCJ-decoded) bytes, not the filtered LZMA2 output matches
     * refer to: a BCJ block with a dictionary beyond the ring re-encodes them (far mode,
     * xz_bcj_history.c), which covers the first OTA_XZ_BCJ_HISTORY_MAX bytes of the block */
    if (bcj && dict_size > d->w->ram_size && d->block_uncomp_declared != UINT64_MAX &&
        d->block_uncomp_declared > OTA_XZ_BCJ_HISTORY_MAX)
        return OTA_E_XZ_MEMLIMIT;
    xz_lzma2_reset(d, dict_size);
    xz_bcj_start(d, bcj, (uint8_t)(bcj && dict_size > d->w->ram_size), bcj_start);
    return 0;
}

void xz_index_sum_add(struct ota_xz_index_sum *s, uint64_t unpadded, uint64_t uncompressed)
{
    uint8_t rec[16];
    ota_put_le64(rec, unpadded);
    ota_put_le64(rec + 8, uncompressed);
    s->count++;
    s->unpadded += unpadded;
    s->uncompressed += uncompressed;
    s->crc = ota_crc32_update(s->crc, rec, sizeof rec);
}
