/* OTA state record log: encoding, choice of the current record among the 8 slots, and
 * power-cut-safe updates (layout and slot rule in ota_state.h). */
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
    st->slot = -1;
    memset(&st->cur, 0, sizeof st->cur);
    /* sector 0 slots first, so a tie (never written) goes to the lowest slot */
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < OTA_STATE_SLOTS; k++) {
            uint32_t at = base + (uint32_t)i * OTA_FLASH_SECTOR_SIZE + (uint32_t)k * OTA_STATE_SLOT_SIZE;
            int rc = ota_flash_read(f, at, rec, sizeof rec);
            if (rc) return rc;
            if (ota_state_decode(rec, &s) == 0 && (st->sector < 0 || s.seq > st->cur.seq)) {
                st->cur = s;
                st->sector = i;
                st->slot = k;
            }
        }
    return OTA_OK;
}

static uint32_t slot_addr(const ota_state_store_t *st, int sector, int slot)
{
    return st->base + (uint32_t)sector * OTA_FLASH_SECTOR_SIZE + (uint32_t)slot * OTA_STATE_SLOT_SIZE;
}

uint32_t ota_state_record_addr(const ota_state_store_t *st)
{
    return slot_addr(st, st->sector, st->slot);
}

/* *blank = every byte of [addr, addr + len) reads 0xFF (read through buf, 256 bytes at a time). */
static int is_blank(const ota_flash_t *f, uint32_t addr, uint32_t len, uint8_t buf[OTA_STATE_RECORD_SIZE], int *blank)
{
    *blank = 0;
    for (uint32_t o = 0; o < len; o += OTA_STATE_RECORD_SIZE) {
        int rc = ota_flash_read(f, addr + o, buf, OTA_STATE_RECORD_SIZE);
        if (rc) return rc;
        if (!ota_flash_is_erased(buf, OTA_STATE_RECORD_SIZE)) return OTA_OK;
    }
    *blank = 1;
    return OTA_OK;
}

/* Where the next record goes: a wholly erased slot after the current one in the same sector
 * (slots with any programmed byte, e.g. a torn write, are passed over), else slot 0 of a sector
 * to erase first (*erase = 1). A STAGED record needs OTA_STATE_INSTALL_RESERVE erased slots
 * after its own. */
static int next_slot(const ota_state_store_t *st, uint32_t state, uint8_t buf[OTA_STATE_RECORD_SIZE],
                     int *sector, int *slot, int *erase)
{
    int rc, blank;
    if (st->sector < 0) { /* first record: sector 0, slot 0 */
        *sector = 0;
        *slot = 0;
        rc = is_blank(st->flash, slot_addr(st, 0, 0), OTA_FLASH_SECTOR_SIZE, buf, &blank);
        *erase = !blank;
        return rc;
    }
    int found = -1, after = 0;
    for (int k = st->slot + 1; k < OTA_STATE_SLOTS; k++) {
        rc = is_blank(st->flash, slot_addr(st, st->sector, k), OTA_STATE_SLOT_SIZE, buf, &blank);
        if (rc) return rc;
        if (!blank) continue;
        if (found < 0) found = k;
        else after++;
    }
    if (found >= 0 && (state != OTA_STATE_STAGED || after >= OTA_STATE_INSTALL_RESERVE)) {
        *sector = st->sector;
        *slot = found;
        *erase = 0;
    } else {
        *sector = st->sector == 0 ? 1 : 0;
        *slot = 0;
        *erase = 1;
    }
    return OTA_OK;
}

int ota_state_write(ota_state_store_t *st, ota_state_t *next, int keep_bitmap)
{
    uint8_t rec[OTA_STATE_RECORD_SIZE];
    int sector, slot, erase;
    if (next->state < OTA_STATE_CONFIRMED || next->state > OTA_STATE_UNCONFIRMED) return OTA_E_STATE_TRANSITION;
    int rc = next_slot(st, next->state, rec, &sector, &slot, &erase);
    if (rc) return rc;
    uint32_t dst = slot_addr(st, sector, slot);
    next->seq = st->sector < 0 ? 1 : st->cur.seq + 1;
    if (next->seq == 0xFFFFFFFFu) next->seq = 1;
    if (erase) {
        rc = ota_flash_erase_sector(st->flash, slot_addr(st, sector, 0));
        if (rc) return rc;
    }
    if (keep_bitmap && st->sector >= 0) {
        /* the bitmap is copied 256 bytes at a time through the record buffer */
        for (uint32_t o = 0; o < OTA_STATE_BITMAP_LEN; o += sizeof rec) {
            rc = ota_flash_read(st->flash, ota_state_record_addr(st) + OTA_STATE_BITMAP_OFFSET + o, rec, sizeof rec);
            if (rc) return rc;
            if (ota_flash_is_erased(rec, sizeof rec)) continue;
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
    st->sector = sector;
    st->slot = slot;
    return OTA_OK;
}

/* Trial boots in a trial counter as read from flash: its cleared bits. */
static uint32_t cleared_bits(const uint8_t b[OTA_STATE_TRIAL_LEN])
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < OTA_STATE_TRIAL_LEN; i++)
        for (uint8_t v = (uint8_t)~b[i]; v; v >>= 1) n += v & 1u;
    return n;
}

int ota_state_trial_count(const ota_state_store_t *st, uint32_t *count)
{
    uint8_t b[OTA_STATE_TRIAL_LEN];
    *count = 0;
    if (st->sector < 0) return OTA_OK;
    int rc = ota_flash_read(st->flash, ota_state_record_addr(st) + OTA_STATE_TRIAL_OFFSET, b, sizeof b);
    if (rc) return rc;
    *count = cleared_bits(b);
    return OTA_OK;
}

int ota_state_add_trial_boot(ota_state_store_t *st, uint32_t *count)
{
    uint8_t b[OTA_STATE_TRIAL_LEN];
    if (st->sector < 0) return OTA_E_STATE_NONE_VALID;
    uint32_t addr = ota_state_record_addr(st) + OTA_STATE_TRIAL_OFFSET;
    int rc = ota_flash_read(st->flash, addr, b, sizeof b);
    if (rc) return rc;
    *count = cleared_bits(b);
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
