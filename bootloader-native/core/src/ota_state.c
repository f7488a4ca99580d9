/* OTA state record: encoding, choice of the current copy, and power-cut-safe updates
 * (layout in ota_state.h). */
#include "ota_state.h"
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_bytes.h"
#include <string.h>

const char *ota_state_name(uint32_t state)
{
    static const char *const names[] = {
        "NONE", "CONFIRMED", "DOWNLOADING", "STAGED", "INSTALLING", "TRIAL", "FAILED", "UNCONFIRMED",
    };
    return state < sizeof names / sizeof names[0] ? names[state] : "UNKNOWN";
}

void ota_state_encode(const ota_state_t *s, uint8_t rec[OTA_STATE_RECORD_SIZE])
{
    memset(rec, 0, OTA_STATE_RECORD_SIZE);
    ota_put_le32(rec + 0x000, OTA_STATE_MAGIC);
    ota_put_le32(rec + 0x004, s->seq);
    ota_put_le32(rec + 0x008, s->state);
    ota_put_le32(rec + 0x00C, s->last_error);
    memcpy(rec + 0x010, s->staged_header, OTA_IMG_HEADER_SIZE);
    memcpy(rec + 0x050, s->installed_header, OTA_IMG_HEADER_SIZE);
    ota_put_le32(rec + 0x090, s->max_upd_no);
    ota_put_le32(rec + 0x094, s->install_count);
    ota_put_le32(rec + 0x098, s->install_attempts);
    ota_put_le32(rec + 0x09C, s->flags);
    memcpy(rec + 0x0A0, s->source_tag, 32);
    ota_put_le32(rec + 0x0C0, s->data_state);
    ota_put_le32(rec + 0x0C4, s->data_target);
    ota_put_le32(rec + 0x0C8, s->data_backup_addr);
    ota_put_le32(rec + 0x0CC, s->data_backup_len);
    ota_put_le32(rec + 0x0D0, s->data_backup_crc);
    ota_put_le32(rec + OTA_STATE_CRC_OFFSET, ota_crc32(rec, OTA_STATE_CRC_OFFSET));
}

int ota_state_decode(const uint8_t rec[OTA_STATE_RECORD_SIZE], ota_state_t *s)
{
    if (ota_get_le32(rec) != OTA_STATE_MAGIC) return -1;
    if (ota_get_le32(rec + OTA_STATE_CRC_OFFSET) != ota_crc32(rec, OTA_STATE_CRC_OFFSET)) return -1;
    uint32_t seq = ota_get_le32(rec + 0x004), state = ota_get_le32(rec + 0x008);
    if (seq == 0xFFFFFFFFu || state < OTA_STATE_CONFIRMED || state > OTA_STATE_UNCONFIRMED) return -1;
    s->seq = seq;
    s->state = state;
    s->last_error = ota_get_le32(rec + 0x00C);
    memcpy(s->staged_header, rec + 0x010, OTA_IMG_HEADER_SIZE);
    memcpy(s->installed_header, rec + 0x050, OTA_IMG_HEADER_SIZE);
    s->max_upd_no = ota_get_le32(rec + 0x090);
    s->install_count = ota_get_le32(rec + 0x094);
    s->install_attempts = ota_get_le32(rec + 0x098);
    s->flags = ota_get_le32(rec + 0x09C);
    memcpy(s->source_tag, rec + 0x0A0, 32);
    s->data_state = ota_get_le32(rec + 0x0C0);
    s->data_target = ota_get_le32(rec + 0x0C4);
    s->data_backup_addr = ota_get_le32(rec + 0x0C8);
    s->data_backup_len = ota_get_le32(rec + 0x0CC);
    s->data_backup_crc = ota_get_le32(rec + 0x0D0);
    return 0;
}

int ota_state_load(ota_state_store_t *st, const ota_flash_t *f, uint32_t base)
{
    uint8_t rec[OTA_STATE_RECORD_SIZE];
    ota_state_t s;
    st->flash = f;
    st->base = base;
    st->sector = -1;
    memset(&st->cur, 0, sizeof st->cur);
    for (int i = 0; i < 2; i++) {
        int rc = ota_flash_read(f, base + (uint32_t)i * OTA_FLASH_SECTOR_SIZE, rec, sizeof rec);
        if (rc) return rc;
        if (ota_state_decode(rec, &s) == 0 && (st->sector < 0 || s.seq > st->cur.seq)) {
            st->cur = s;
            st->sector = i;
        }
    }
    return OTA_OK;
}

static uint32_t sector_addr(const ota_state_store_t *st, int sector)
{
    return st->base + (uint32_t)sector * OTA_FLASH_SECTOR_SIZE;
}

int ota_state_write(ota_state_store_t *st, ota_state_t *next, int keep_bitmap)
{
    uint8_t rec[OTA_STATE_RECORD_SIZE];
    int target = st->sector == 0 ? 1 : 0;
    uint32_t dst = sector_addr(st, target);
    if (next->state < OTA_STATE_CONFIRMED || next->state > OTA_STATE_UNCONFIRMED) return OTA_E_STATE_TRANSITION;
    next->seq = st->sector < 0 ? 1 : st->cur.seq + 1;
    if (next->seq == 0xFFFFFFFFu) next->seq = 1;
    int rc = ota_flash_erase_sector(st->flash, dst);
    if (rc) return rc;
    if (keep_bitmap && st->sector >= 0) {
        /* the bitmap is copied 256 bytes at a time through the record buffer */
        for (uint32_t o = 0; o < OTA_STATE_BITMAP_LEN; o += sizeof rec) {
            rc = ota_flash_read(st->flash, sector_addr(st, st->sector) + OTA_STATE_BITMAP_OFFSET + o, rec, sizeof rec);
            if (rc) return rc;
            uint32_t i = 0;
            while (i < sizeof rec && rec[i] == 0xFF) i++;
            if (i == sizeof rec) continue;
            rc = ota_flash_write(st->flash, dst + OTA_STATE_BITMAP_OFFSET + o, rec, sizeof rec);
            if (rc) return rc;
        }
    }
    ota_state_encode(next, rec);
    rc = ota_flash_write(st->flash, dst, rec, OTA_STATE_CRC_OFFSET);
    if (rc) return rc;
    rc = ota_flash_write(st->flash, dst + OTA_STATE_CRC_OFFSET, rec + OTA_STATE_CRC_OFFSET, 4);
    if (rc) return rc;
    st->cur = *next;
    st->sector = target;
    return OTA_OK;
}

int ota_state_trial_count(const ota_state_store_t *st, uint32_t *count)
{
    uint8_t b[OTA_STATE_TRIAL_LEN];
    *count = 0;
    if (st->sector < 0) return OTA_OK;
    int rc = ota_flash_read(st->flash, sector_addr(st, st->sector) + OTA_STATE_TRIAL_OFFSET, b, sizeof b);
    if (rc) return rc;
    for (uint32_t i = 0; i < sizeof b; i++)
        for (uint8_t v = (uint8_t)~b[i]; v; v >>= 1) *count += v & 1u;
    return OTA_OK;
}

int ota_state_add_trial_boot(ota_state_store_t *st, uint32_t *count)
{
    uint8_t b[OTA_STATE_TRIAL_LEN];
    if (st->sector < 0) return OTA_E_STATE_NONE_VALID;
    uint32_t addr = sector_addr(st, st->sector) + OTA_STATE_TRIAL_OFFSET;
    int rc = ota_flash_read(st->flash, addr, b, sizeof b);
    if (rc) return rc;
    rc = ota_state_trial_count(st, count);
    if (rc) return rc;
    /* the next bit is the lowest set bit of the first byte that still has one */
    for (uint32_t i = 0; i < sizeof b; i++) {
        if (b[i] == 0) continue;
        uint8_t v = (uint8_t)(b[i] & (b[i] - 1));
        rc = ota_flash_program(st->flash, addr + i, &v, 1);
        if (rc) return rc;
        (*count)++;
        return OTA_OK;
    }
    return OTA_E_STATE_BITMAP_FULL;
}
