/* ESP-IDF binary partition table reader (row layout in ota_ptable.h). */
#include "ota_ptable.h"
#include "ota_err.h"
#include "ota_md5.h"
#include "ota_bytes.h"
#include <string.h>

static int all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) if (p[i] != 0xFF) return 0;
    return 1;
}

int ota_ptable_parse_binary(const uint8_t *buf, size_t len, ota_ptable_t *pt)
{
    memset(pt, 0, sizeof *pt);
    if (len > OTA_PT_MAX_LEN) len = OTA_PT_MAX_LEN;
    for (size_t off = 0; off + OTA_PT_ROW <= len; off += OTA_PT_ROW) {
        const uint8_t *r = buf + off;
        if (r[0] == 0xAA && r[1] == 0x50) {
            if (pt->count >= OTA_PT_MAX_ENTRIES || pt->has_md5) return OTA_E_PT_BINARY;
            ota_part_t *e = &pt->e[pt->count++];
            e->type = r[2];
            e->subtype = r[3];
            e->offset = ota_get_le32(r + 4);
            e->size = ota_get_le32(r + 8);
            memcpy(e->label, r + 12, 16);
            e->label[16] = 0;
            e->flags = ota_get_le32(r + 28);
        } else if (r[0] == 0xEB && r[1] == 0xEB && all_ff(r + 2, 14)) {
            uint8_t md5[16];
            if (pt->has_md5 || ota_md5(buf, off, md5) != 0) return OTA_E_PT_BINARY;
            if (memcmp(md5, r + 16, 16) != 0) return OTA_E_PT_BINARY;
            pt->has_md5 = 1;
        } else if (all_ff(r, OTA_PT_ROW)) {
            return pt->count ? OTA_OK : OTA_E_PT_BINARY;
        } else {
            return OTA_E_PT_BINARY;
        }
    }
    return OTA_E_PT_BINARY; /* no end row */
}

int ota_ptable_read(const ota_flash_t *f, uint32_t addr, ota_ptable_t *pt, uint8_t *scratch)
{
    int rc = ota_flash_read(f, addr, scratch, OTA_PT_MAX_LEN);
    if (rc) return rc;
    return ota_ptable_parse_binary(scratch, OTA_PT_MAX_LEN, pt);
}

int ota_ptable_check(const ota_ptable_t *pt, uint32_t flash_size)
{
    for (uint32_t i = 0; i < pt->count; i++) {
        const ota_part_t *a = &pt->e[i];
        if (a->offset < 0x9000 || a->size == 0 || a->offset > flash_size || a->size > flash_size - a->offset)
            return OTA_E_PT_RANGE;
        uint32_t align = a->type == OTA_PT_TYPE_APP ? OTA_FLASH_BLOCK_SIZE : OTA_FLASH_SECTOR_SIZE;
        if (a->offset % align) return OTA_E_PT_ALIGN;
        for (uint32_t j = 0; j < i; j++) {
            const ota_part_t *b = &pt->e[j];
            if (a->offset < b->offset + b->size && b->offset < a->offset + a->size) return OTA_E_PT_OVERLAP;
            if (strcmp(a->label, b->label) == 0) return OTA_E_PT_DUPLICATE;
        }
    }
    return OTA_OK;
}

static const ota_part_t *find(const ota_ptable_t *pt, uint8_t type, int subtype, const char *label)
{
    for (uint32_t i = 0; i < pt->count; i++) {
        const ota_part_t *e = &pt->e[i];
        if (e->type != type) continue;
        if (label && strcmp(e->label, label) != 0) continue;
        if (subtype >= 0 && e->subtype != subtype) continue;
        return e;
    }
    return NULL;
}

int ota_ptable_layout(const ota_ptable_t *pt, ota_layout_t *l)
{
    l->app = find(pt, OTA_PT_TYPE_APP, OTA_PT_SUB_FACTORY, NULL);
    if (!l->app) l->app = find(pt, OTA_PT_TYPE_APP, -1, NULL);
    l->staging = find(pt, OTA_PT_TYPE_APP, -1, "app_ota");
    if (!l->staging) l->staging = find(pt, OTA_PT_TYPE_APP, OTA_PT_SUB_OTA_0, NULL);
    l->otadata = find(pt, OTA_PT_TYPE_DATA, OTA_PT_SUB_DATA_OTA, NULL);
    if (!l->app || !l->staging || !l->otadata || l->app == l->staging) return OTA_E_PT_MISSING;
    if (l->otadata->size < 2 * OTA_FLASH_SECTOR_SIZE) return OTA_E_PT_MISSING;
    return OTA_OK;
}

const ota_part_t *ota_ptable_at(const ota_ptable_t *pt, uint32_t offset)
{
    for (uint32_t i = 0; i < pt->count; i++)
        if (pt->e[i].offset == offset) return &pt->e[i];
    return NULL;
}
