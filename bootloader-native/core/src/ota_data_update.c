/* Data-partition updates: target/backup rules, scheme 1 (backup, write, end), scheme 2
 * (direct), restore, confirm and the boot step (model and power-cut argument in
 * ota_data_update.h, docs/design.md section 15). */
#include "ota_data_update.h"
#include "ota_crc.h"
#include "ota_err.h"
#include <string.h>

#define SECTOR OTA_FLASH_SECTOR_SIZE
#define PAGE OTA_FLASH_PAGE_SIZE

static int overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

/* ---- rules --------------------------------------------------------------------------- */

/* Target rules: a data partition that is not otadata, the app or staging (OTA_E_DATA_TARGET otherwise). */
static int check_target(const ota_layout_t *l, const ota_part_t *target)
{
    if (!target || target->type != OTA_PT_TYPE_DATA) return OTA_E_DATA_TARGET;
    if (target->subtype == OTA_PT_SUB_DATA_OTA || target->offset == l->otadata.offset) return OTA_E_DATA_TARGET;
    if (overlaps(target->offset, target->size, l->app.offset, l->app.size) ||
        overlaps(target->offset, target->size, l->staging.offset, l->staging.size) ||
        overlaps(target->offset, target->size, l->otadata.offset, l->otadata.size))
        return OTA_E_DATA_TARGET;
    return OTA_OK;
}

static int backup_allowed(const ota_layout_t *l, const ota_part_t *target, uint32_t addr, uint32_t len)
{
    if (overlaps(addr, len, l->app.offset, l->app.size)) return OTA_E_DATA_TARGET; /* the running app */
    if (overlaps(addr, len, l->otadata.offset, l->otadata.size)) return OTA_E_DATA_TARGET;
    if (overlaps(addr, len, target->offset, target->size)) return OTA_E_DATA_TARGET;
    return OTA_OK;
}

int ota_data_pick_backup(const ota_ptable_t *pt, const ota_layout_t *l, const ota_state_t *s,
                         const ota_part_t *target, const ota_part_t *backup, uint32_t len,
                         uint32_t pkg_len, uint32_t *addr)
{
    int rc = check_target(l, target);
    if (rc) return rc;
    len = ota_flash_round_up_sector(len ? len : target->size);
    if (len > target->size) return OTA_E_IMG_TOO_LARGE;
    ota_part_t labelled;
    if (!backup) {
        rc = ota_ptable_find_label(pt, OTA_DATA_BACKUP_LABEL, &labelled);
        if (rc == OTA_OK) backup = &labelled;
        else if (rc != OTA_E_PT_MISSING) return rc;
    }
    if (backup) {
        rc = backup_allowed(l, target, backup->offset, backup->size);
        if (rc) return rc;
        if (backup->size < len) return OTA_E_DATA_NO_BACKUP;
        *addr = backup->offset;
        return OTA_OK;
    }
    /* staging: the space after a package being installed, or all of it when unused */
    if (pkg_len == 0 && (s->state == OTA_STATE_DOWNLOADING || s->state == OTA_STATE_STAGED ||
                         s->state == OTA_STATE_INSTALLING))
        return OTA_E_DATA_NO_BACKUP;
    uint32_t used = ota_flash_round_up_sector(pkg_len);
    if (used > l->staging.size || l->staging.size - used < len) return OTA_E_DATA_NO_BACKUP;
    rc = backup_allowed(l, target, l->staging.offset + used, len);
    if (rc) return rc;
    *addr = l->staging.offset + used;
    return OTA_OK;
}

/* ---- flash helpers (page-sized chunks through the caller's buffers) ------------------- */

static int sector_same(const ota_flash_t *f, uint32_t dst, uint32_t src, uint8_t *a, uint8_t *b, int *same)
{
    *same = 1;
    for (uint32_t o = 0; o < SECTOR && *same; o += PAGE) {
        int rc = ota_flash_read(f, src + o, a, PAGE);
        if (!rc) rc = ota_flash_read(f, dst + o, b, PAGE);
        if (rc) return rc;
        *same = memcmp(a, b, PAGE) == 0;
    }
    return OTA_OK;
}

static int program_from(const ota_flash_t *f, uint32_t dst, uint32_t src, uint32_t len, uint8_t *a)
{
    for (uint32_t o = 0; o < len; o += PAGE) {
        int rc = ota_flash_read(f, src + o, a, PAGE);
        if (rc) return rc;
        if (ota_flash_is_erased(a, PAGE)) continue;
        if ((rc = ota_flash_program(f, dst + o, a, PAGE)) != 0) return rc;
    }
    return OTA_OK;
}

/* Makes [dst, dst+len) equal to [src, src+len): sectors that already match are left alone, the
 * others erased and programmed (all-0xFF pages skipped); a 64 KiB-aligned block of dst with at
 * least 4 differing sectors gets one block erase instead (cheaper than 4 sector erases). len is
 * a sector multiple. */
static int copy_range(const ota_flash_t *f, uint32_t dst, uint32_t src, uint32_t len, uint8_t *a, uint8_t *b)
{
    const uint32_t per_block = OTA_FLASH_BLOCK_SIZE / SECTOR;
    uint32_t s = 0;
    while (s < len) {
        int rc, same;
        if ((dst + s) % OTA_FLASH_BLOCK_SIZE == 0 && len - s >= OTA_FLASH_BLOCK_SIZE) {
            uint32_t differ = 0;
            for (uint32_t i = 0; i < per_block; i++) {
                if ((rc = sector_same(f, dst + s + i * SECTOR, src + s + i * SECTOR, a, b, &same)) != 0) return rc;
                differ += !same;
            }
            if (differ >= 4) {
                if ((rc = ota_flash_erase_block(f, dst + s)) != 0) return rc;
                if ((rc = program_from(f, dst + s, src + s, OTA_FLASH_BLOCK_SIZE, a)) != 0) return rc;
                s += OTA_FLASH_BLOCK_SIZE;
                continue;
            }
        }
        if ((rc = sector_same(f, dst + s, src + s, a, b, &same)) != 0) return rc;
        if (!same) {
            if ((rc = ota_flash_erase_sector(f, dst + s)) != 0) return rc;
            if ((rc = program_from(f, dst + s, src + s, SECTOR, a)) != 0) return rc;
        }
        s += SECTOR;
    }
    return OTA_OK;
}

/* Erases the sectors of [addr, addr+len) that are not erased already. */
static int erase_dirty(const ota_flash_t *f, uint32_t addr, uint32_t len, uint8_t *buf)
{
    for (uint32_t s = 0; s < len; s += SECTOR) {
        int clean = 1, rc;
        for (uint32_t o = 0; o < SECTOR && clean; o += PAGE) {
            if ((rc = ota_flash_read(f, addr + s + o, buf, PAGE)) != 0) return rc;
            clean = ota_flash_is_erased(buf, PAGE);
        }
        if (!clean && (rc = ota_flash_erase_sector(f, addr + s)) != 0) return rc;
    }
    return OTA_OK;
}

/* One record write with new data fields; the rest of the record is kept (a device without a
 * record gets CONFIRMED with empty headers: the same boot decision as no record). */
static int store_fields(ota_state_store_t *st, uint32_t dstate, uint32_t target, uint32_t backup,
                        uint32_t len, uint32_t crc, uint32_t last_error)
{
    ota_state_t next = st->cur;
    if (st->sector < 0) next.state = OTA_STATE_CONFIRMED;
    next.data_state = dstate;
    next.data_target = target;
    next.data_backup_addr = backup;
    next.data_backup_len = len;
    next.data_backup_crc = crc;
    if (last_error) next.last_error = last_error;
    return ota_state_write(st, &next, st->cur.state == OTA_STATE_DOWNLOADING);
}

/* ---- scheme 1 / 2 ---------------------------------------------------------------------- */

static int begin(ota_data_update_t *u, const ota_flash_t *f, ota_state_store_t *st, const ota_part_t *target,
                 int scheme, uint32_t backup_addr, uint32_t backup_len, int resume, int erase)
{
    const ota_state_t *s = &st->cur;
    memset(u, 0, sizeof *u);
    u->flash = f;
    u->st = st;
    u->scheme = scheme;
    u->target = target->offset;
    u->target_size = target->size;
    u->crc = OTA_CRC32_INIT;
    if (scheme != OTA_DATA_SCHEME_BACKUP && scheme != OTA_DATA_SCHEME_DIRECT) return OTA_E_USAGE;
    if (target->size % SECTOR) return OTA_E_FLASH_ALIGN;
    if (s->data_state != OTA_DATA_STATE_NONE) {
        int same = s->data_target == target->offset;
        if (!resume || !same || s->data_state != OTA_DATA_STATE_WRITING || scheme != OTA_DATA_SCHEME_BACKUP)
            return OTA_E_STATE_TRANSITION;
    }
    if (scheme == OTA_DATA_SCHEME_DIRECT) return erase ? ota_flash_erase_range(f, u->target, u->target_size) : OTA_OK;

    u->backup_len = ota_flash_round_up_sector(backup_len ? backup_len : target->size);
    if (u->backup_len > target->size) return OTA_E_IMG_TOO_LARGE;
    u->backup = backup_addr;
    if (overlaps(u->backup, u->backup_len, u->target, u->target_size)) return OTA_E_DATA_TARGET;
    int rc;
    /* resumed (the same WRITING record): the backup of the first attempt stays */
    if (s->data_state != OTA_DATA_STATE_WRITING || s->data_backup_addr != u->backup ||
        s->data_backup_len != u->backup_len) {
        if (s->data_state != OTA_DATA_STATE_NONE) return OTA_E_STATE_TRANSITION;
        uint32_t crc;
        if ((rc = copy_range(f, u->backup, u->target, u->backup_len, u->a, u->b)) != 0) return rc;
        if ((rc = ota_flash_crc32(f, u->backup, u->backup_len, u->a, PAGE, &crc)) != 0) return rc;
        uint32_t check;
        if ((rc = ota_flash_crc32(f, u->target, u->backup_len, u->a, PAGE, &check)) != 0) return rc;
        if (check != crc) return OTA_E_INSTALL_VERIFY; /* the copy did not land */
        if ((rc = store_fields(st, OTA_DATA_STATE_WRITING, u->target, u->backup, u->backup_len, crc, 0)) != 0)
            return rc;
    }
    return erase ? ota_flash_erase_range(f, u->target, u->target_size) : OTA_OK;
}

int ota_data_begin(ota_data_update_t *u, const ota_flash_t *f, ota_state_store_t *st, const ota_part_t *target,
                   int scheme, uint32_t backup_addr, uint32_t backup_len, int resume)
{
    return begin(u, f, st, target, scheme, backup_addr, backup_len, resume, 1);
}

int ota_data_backup(ota_data_update_t *u, const ota_flash_t *f, ota_state_store_t *st, const ota_part_t *target,
                    uint32_t backup_addr, uint32_t backup_len, int resume)
{
    return begin(u, f, st, target, OTA_DATA_SCHEME_BACKUP, backup_addr, backup_len, resume, 0);
}

int ota_data_erase_tail(ota_data_update_t *u, const ota_part_t *target, uint32_t from)
{
    from = ota_flash_round_up_sector(from);
    if (from >= target->size) return OTA_OK;
    return erase_dirty(u->flash, target->offset + from, target->size - from, u->a);
}

static int flush_page(ota_data_update_t *u)
{
    uint32_t addr = u->target + (u->pos - u->page_fill);
    memset(u->page + u->page_fill, 0xFF, PAGE - u->page_fill);
    u->page_fill = 0;
    if (ota_flash_is_erased(u->page, PAGE)) return OTA_OK;
    return ota_flash_program(u->flash, addr, u->page, PAGE);
}

int ota_data_write(ota_data_update_t *u, const uint8_t *data, uint32_t len)
{
    if ((uint64_t)u->pos + len > u->target_size) return OTA_E_IMG_TOO_LARGE;
    u->crc = ota_crc32_update(u->crc, data, len);
    while (len > 0) {
        uint32_t n = PAGE - u->page_fill;
        if (n > len) n = len;
        memcpy(u->page + u->page_fill, data, n);
        u->page_fill += n;
        u->pos += n;
        data += n;
        len -= n;
        if (u->page_fill == PAGE) {
            int rc = flush_page(u);
            if (rc) return rc;
        }
    }
    return OTA_OK;
}

int ota_data_end(ota_data_update_t *u, int keep_for_trial)
{
    int rc;
    if (u->page_fill && (rc = flush_page(u)) != 0) return rc;
    uint32_t crc;
    if ((rc = ota_flash_crc32(u->flash, u->target, u->pos, u->a, PAGE, &crc)) != 0) return rc;
    if (crc != u->crc) return OTA_E_INSTALL_VERIFY;
    if (u->scheme != OTA_DATA_SCHEME_BACKUP) return OTA_OK;
    if (keep_for_trial)
        return store_fields(u->st, OTA_DATA_STATE_TRIAL, u->target, u->backup, u->backup_len,
                            u->st->cur.data_backup_crc, 0);
    return store_fields(u->st, OTA_DATA_STATE_NONE, 0, 0, 0, 0, 0);
}

/* ---- restore, confirm, boot ------------------------------------------------------------ */

int ota_data_restore(ota_state_store_t *st, const ota_ptable_t *pt, ota_data_update_t *w)
{
    const ota_state_t *s = &st->cur;
    const ota_flash_t *f = st->flash;
    if (s->data_backup_len == 0) return OTA_OK;
    ota_part_t found;
    const ota_part_t *target = NULL;
    int rc = ota_ptable_at(pt, s->data_target, &found);
    if (rc == OTA_OK) target = &found;
    else if (rc != OTA_E_PT_MISSING) return rc;
    if (!target || target->type != OTA_PT_TYPE_DATA || s->data_backup_len > target->size ||
        overlaps(s->data_backup_addr, s->data_backup_len, target->offset, target->size))
        return OTA_E_DATA_TARGET;
    uint32_t crc;
    rc = ota_flash_crc32(f, s->data_backup_addr, s->data_backup_len, w->a, PAGE, &crc);
    if (rc) return rc;
    if (crc != s->data_backup_crc) {
        rc = store_fields(st, OTA_DATA_STATE_NONE, 0, 0, 0, 0, OTA_E_DATA_BACKUP);
        return rc ? rc : OTA_E_DATA_BACKUP;
    }
    if ((rc = copy_range(f, target->offset, s->data_backup_addr, s->data_backup_len, w->a, w->b)) != 0) return rc;
    if ((rc = erase_dirty(f, target->offset + s->data_backup_len, target->size - s->data_backup_len, w->a)) != 0)
        return rc;
    if ((rc = ota_flash_crc32(f, target->offset, s->data_backup_len, w->a, PAGE, &crc)) != 0) return rc;
    if (crc != s->data_backup_crc) return OTA_E_INSTALL_VERIFY;
    return store_fields(st, OTA_DATA_STATE_NONE, 0, 0, 0, 0, 0);
}

int ota_data_confirm(ota_state_store_t *st)
{
    if (st->cur.data_state != OTA_DATA_STATE_TRIAL) return OTA_OK;
    return store_fields(st, OTA_DATA_STATE_NONE, 0, 0, 0, 0, 0);
}

int ota_data_boot(ota_state_store_t *st, const ota_ptable_t *pt, ota_data_update_t *work, uint32_t max_trials,
                  int app_counted, int app_unconfirmed, uint32_t *actions)
{
    *actions = 0;
    uint32_t ds = st->cur.data_state;
    if (ds == OTA_DATA_STATE_WRITING && st->cur.state != OTA_STATE_INSTALLING) {
        int rc = ota_data_restore(st, pt, work);
        if (rc == OTA_OK) *actions |= OTA_DATA_ACT_RESTORED;
        return rc;
    }
    if (ds != OTA_DATA_STATE_TRIAL) return OTA_OK;
    uint32_t n = 0;
    int rc;
    if (app_counted) {
        rc = ota_state_trial_count(st, &n);
    } else {
        rc = ota_state_add_trial_boot(st, &n);
        if (rc == OTA_OK) *actions |= OTA_DATA_ACT_TRIAL_BOOT;
        if (rc == OTA_E_STATE_BITMAP_FULL) rc = OTA_OK;
    }
    if (rc) return rc;
    if (n <= max_trials && !app_unconfirmed) return OTA_OK;
    rc = ota_data_restore(st, pt, work);
    if (rc == OTA_OK) *actions |= OTA_DATA_ACT_ROLLBACK;
    return rc;
}
