/* ESP-IDF binary partition table reader (row layout in ota_ptable.h). The table is never copied:
 * validation and every lookup read the 32-byte rows where they are, in flash or in RAM. */
#include "ota_ptable.h"
#include "ota_err.h"
#include "ota_md5.h"
#include "ota_bytes.h"
#include <string.h>

static int read_row(const ota_ptable_t *pt, uint32_t i, uint8_t row[OTA_PT_ROW])
{
    if (pt->rows) {
        memcpy(row, pt->rows + (size_t)i * OTA_PT_ROW, OTA_PT_ROW);
        return OTA_OK;
    }
    return ota_flash_read(pt->flash, pt->addr + i * OTA_PT_ROW, row, OTA_PT_ROW);
}

static int is_partition_row(const uint8_t *r) { return r[0] == 0xAA && r[1] == 0x50; }
static int is_md5_row(const uint8_t *r) { return r[0] == 0xEB && r[1] == 0xEB && ota_flash_is_erased(r + 2, 14); }

/* MD5 of rows [0, n) compared with an MD5 row's digest (bytes 16..31). */
static int md5_matches(const ota_ptable_t *pt, uint32_t n, const uint8_t *md5_row)
{
    ota_md5_stream_t md5;
    uint8_t r[OTA_PT_ROW], digest[OTA_MD5_SIZE];
    int rc = ota_md5_stream_init(&md5) ? OTA_E_PT_BINARY : OTA_OK;
    for (uint32_t i = 0; i < n && !rc; i++) {
        rc = read_row(pt, i, r);
        if (!rc && ota_md5_stream_update(&md5, r, OTA_PT_ROW) != 0) rc = OTA_E_PT_BINARY;
    }
    if (ota_md5_stream_finish(&md5, digest) != 0 && !rc) rc = OTA_E_PT_BINARY; /* also releases it */
    if (!rc && memcmp(digest, md5_row + 16, OTA_MD5_SIZE) != 0) rc = OTA_E_PT_BINARY;
    return rc;
}

/* Partition rows, at most one MD5 row (over every row before it), then an all-0xFF row. */
static int validate(ota_ptable_t *pt, size_t len)
{
    uint8_t r[OTA_PT_ROW];
    if (len > OTA_PT_MAX_LEN) len = OTA_PT_MAX_LEN;
    pt->count = 0;
    pt->has_md5 = 0;
    for (uint32_t i = 0; (size_t)(i + 1) * OTA_PT_ROW <= len; i++) {
        int rc = read_row(pt, i, r);
        if (rc) return rc;
        if (is_partition_row(r)) {
            if (pt->count >= OTA_PT_MAX_ENTRIES || pt->has_md5) return OTA_E_PT_BINARY;
            pt->count++;
        } else if (is_md5_row(r) && !pt->has_md5) {
            rc = md5_matches(pt, i, r);
            if (rc) return rc;
            pt->has_md5 = 1;
        } else {
            return ota_flash_is_erased(r, OTA_PT_ROW) && pt->count ? OTA_OK : OTA_E_PT_BINARY;
        }
    }
    return OTA_E_PT_BINARY; /* no end row */
}

int ota_ptable_parse_binary(const uint8_t *buf, size_t len, ota_ptable_t *pt)
{
    memset(pt, 0, sizeof *pt);
    pt->rows = buf;
    return validate(pt, len);
}

int ota_ptable_open(const ota_flash_t *f, uint32_t addr, ota_ptable_t *pt)
{
    memset(pt, 0, sizeof *pt);
    pt->flash = f;
    pt->addr = addr;
    return validate(pt, OTA_PT_MAX_LEN);
}

int ota_ptable_get(const ota_ptable_t *pt, uint32_t i, ota_part_t *e)
{
    uint8_t r[OTA_PT_ROW];
    if (i >= pt->count) return OTA_E_PT_MISSING;
    int rc = read_row(pt, i, r);
    if (rc) return rc;
    e->type = r[2];
    e->subtype = r[3];
    e->offset = ota_get_le32(r + 4);
    e->size = ota_get_le32(r + 8);
    memcpy(e->label, r + 12, 16);
    e->label[16] = 0;
    e->flags = ota_get_le32(r + 28);
    return OTA_OK;
}

int ota_ptable_check(const ota_ptable_t *pt, uint32_t flash_size)
{
    ota_part_t a, b;
    for (uint32_t i = 0; i < pt->count; i++) {
        int rc = ota_ptable_get(pt, i, &a);
        if (rc) return rc;
        if (a.offset < 0x9000 || a.size == 0 || a.offset > flash_size || a.size > flash_size - a.offset)
            return OTA_E_PT_RANGE;
        uint32_t align = a.type == OTA_PT_TYPE_APP ? OTA_FLASH_BLOCK_SIZE : OTA_FLASH_SECTOR_SIZE;
        if (a.offset % align) return OTA_E_PT_ALIGN;
        for (uint32_t j = 0; j < i; j++) {
            rc = ota_ptable_get(pt, j, &b);
            if (rc) return rc;
            if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) return OTA_E_PT_OVERLAP;
            if (strcmp(a.label, b.label) == 0) return OTA_E_PT_DUPLICATE;
        }
    }
    return OTA_OK;
}

/* The first partition of `type` with `subtype` (< 0: any) and `label` (NULL: any), or -1. */
static int find(const ota_ptable_t *pt, uint8_t type, int subtype, const char *label, ota_part_t *e, int *rc)
{
    for (uint32_t i = 0; i < pt->count; i++) {
        if ((*rc = ota_ptable_get(pt, i, e)) != OTA_OK) return -1;
        if (e->type != type) continue;
        if (label && strcmp(e->label, label) != 0) continue;
        if (subtype >= 0 && e->subtype != subtype) continue;
        return (int)i;
    }
    return -1;
}

int ota_ptable_layout(const ota_ptable_t *pt, ota_layout_t *l)
{
    int rc = OTA_OK;
    int app = find(pt, OTA_PT_TYPE_APP, OTA_PT_SUB_FACTORY, NULL, &l->app, &rc);
    if (app < 0 && !rc) app = find(pt, OTA_PT_TYPE_APP, -1, NULL, &l->app, &rc);
    int staging = rc ? -1 : find(pt, OTA_PT_TYPE_APP, -1, "app_ota", &l->staging, &rc);
    if (staging < 0 && !rc) staging = find(pt, OTA_PT_TYPE_APP, OTA_PT_SUB_OTA_0, NULL, &l->staging, &rc);
    int otadata = rc ? -1 : find(pt, OTA_PT_TYPE_DATA, OTA_PT_SUB_DATA_OTA, NULL, &l->otadata, &rc);
    if (rc) return rc;
    if (app < 0 || staging < 0 || otadata < 0 || app == staging) return OTA_E_PT_MISSING;
    if (l->otadata.size < 2 * OTA_FLASH_SECTOR_SIZE) return OTA_E_PT_MISSING;
    return OTA_OK;
}

int ota_ptable_at(const ota_ptable_t *pt, uint32_t offset, ota_part_t *e)
{
    for (uint32_t i = 0; i < pt->count; i++) {
        int rc = ota_ptable_get(pt, i, e);
        if (rc) return rc;
        if (e->offset == offset) return OTA_OK;
    }
    return OTA_E_PT_MISSING;
}

int ota_ptable_find_label(const ota_ptable_t *pt, const char *label, ota_part_t *e)
{
    for (uint32_t i = 0; i < pt->count; i++) {
        int rc = ota_ptable_get(pt, i, e);
        if (rc) return rc;
        if (strcmp(e->label, label) == 0) return OTA_OK;
    }
    return OTA_E_PT_MISSING;
}
