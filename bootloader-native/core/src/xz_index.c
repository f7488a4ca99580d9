/* Index, after the last block:
 *   0x00 indicator, record count (VLI), per block: unpadded size (VLI, block header + data +
 *   check, without block padding) and uncompressed size (VLI), zero padding to a multiple of 4,
 *   CRC32 (XZ) of all the preceding index bytes, LE.
 * It must describe exactly the blocks decoded: we compare count, sums and a CRC over the records
 * (struct ota_xz_index_sum) instead of storing the block list. The index size is kept for the
 * footer's backward size. */
#include "xz_private.h"
#include "ota_crc.h"

#include <string.h>

enum { IDX_INDICATOR, IDX_COUNT, IDX_UNPADDED, IDX_UNCOMP, IDX_PADDING, IDX_CRC };

void xz_index_start(ota_xz_dec_t *d)
{
    d->index_seq = IDX_INDICATOR;
    d->index_size = 0;
    d->index_crc = OTA_CRC32_INIT;
    d->vli = 0;
    d->vli_shift = 0;
    memset(&d->index, 0, sizeof d->index);
    d->index.crc = OTA_CRC32_INIT;
    d->have = 0;
}

/* Adds one byte to the VLI being read: 1 = complete, 0 = more bytes, <0 = invalid. */
static int vli_byte(ota_xz_dec_t *d, uint8_t b)
{
    if (d->vli_shift > 0 && b == 0)
        return -1;
    d->vli |= (uint64_t)(b & 0x7F) << d->vli_shift;
    if (!(b & 0x80))
        return 1;
    d->vli_shift = (uint8_t)(d->vli_shift + 7);
    return d->vli_shift >= 63 ? -1 : 0;
}

int xz_index_run(ota_xz_dec_t *d, const uint8_t *in, size_t in_len, size_t *in_pos)
{
    while (*in_pos < in_len) {
        uint8_t b = in[*in_pos];
        int v;
        if (d->index_seq == IDX_CRC) {
            d->buf[d->have++] = b;
            ++*in_pos;
            d->index_size++;
            if (d->have < 4)
                continue;
            if (ota_get_le32(d->buf) != ~d->index_crc)
                return OTA_E_XZ_DATA;
            if (d->index.count != d->blocks.count || d->index.unpadded != d->blocks.unpadded ||
                d->index.uncompressed != d->blocks.uncompressed || d->index.crc != d->blocks.crc)
                return OTA_E_XZ_DATA;
            return OTA_XZ_END;
        }
        ++*in_pos;
        d->index_size++;
        d->index_crc = ota_crc32_update(d->index_crc, &b, 1);
        switch (d->index_seq) {
        case IDX_INDICATOR:
            d->index_seq = IDX_COUNT;
            break;
        case IDX_PADDING:
            if (b != 0)
                return OTA_E_XZ_DATA;
            break;
        default:
            v = vli_byte(d, b);
            if (v < 0)
                return OTA_E_XZ_DATA;
            if (v == 0)
                break;
            if (d->index_seq == IDX_COUNT) {
                if (d->vli != d->blocks.count)
                    return OTA_E_XZ_DATA;
                d->index_records_left = d->vli;
                d->index_seq = IDX_UNPADDED;
            } else if (d->index_seq == IDX_UNPADDED) {
                if (d->vli == 0)
                    return OTA_E_XZ_DATA;
                d->index_unpadded = d->vli;
                d->index_seq = IDX_UNCOMP;
            } else {
                xz_index_sum_add(&d->index, d->index_unpadded, d->vli);
                d->index_records_left--;
                d->index_seq = IDX_UNPADDED;
            }
            d->vli = 0;
            d->vli_shift = 0;
            if (d->index_seq == IDX_UNPADDED && d->index_records_left == 0)
                d->index_seq = IDX_PADDING;
            break;
        }
        if (d->index_seq == IDX_PADDING && (d->index_size & 3) == 0) {
            d->index_seq = IDX_CRC;
            d->have = 0;
        }
    }
    return OTA_XZ_MORE;
}
