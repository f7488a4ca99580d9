/* ESP-IDF binary partition table (at 0x8000, at most 0xC00 bytes): 32-byte rows
 *   <2sBBLL16sL> = magic 0xAA 0x50, type, subtype, offset, size, label (NUL-padded), flags;
 * optionally an MD5 row 0xEB 0xEB + 14 x 0xFF + MD5 of all preceding rows; then 0xFF rows.
 * The bootloader needs three partitions (docs/design.md section 2): `app` (factory, else the
 * first app), staging (`app_ota`, else the first ota_0) and the state record (data/ota). */
#ifndef OTA_PTABLE_H
#define OTA_PTABLE_H

#include <stddef.h>
#include <stdint.h>
#include "ota_flash.h"

#define OTA_PT_ADDR        0x8000u
#define OTA_PT_MAX_LEN     0xC00u
#define OTA_PT_ROW         32u
#define OTA_PT_MAX_ENTRIES 95u

#define OTA_PT_TYPE_APP    0x00u
#define OTA_PT_TYPE_DATA   0x01u
#define OTA_PT_SUB_FACTORY 0x00u
#define OTA_PT_SUB_OTA_0   0x10u
#define OTA_PT_SUB_DATA_OTA 0x00u

typedef struct ota_part {
    char label[17];
    uint8_t type;
    uint8_t subtype;
    uint32_t offset;
    uint32_t size;
    uint32_t flags;
} ota_part_t;

typedef struct ota_ptable {
    ota_part_t e[OTA_PT_MAX_ENTRIES];
    uint32_t count;
    int has_md5;
} ota_ptable_t;

typedef struct ota_layout {
    const ota_part_t *app;
    const ota_part_t *staging;
    const ota_part_t *otadata;
} ota_layout_t;

/* Parses a binary table (PT_BINARY: bad magic, MD5 mismatch, no end row, too many entries). */
int ota_ptable_parse_binary(const uint8_t *buf, size_t len, ota_ptable_t *pt);

/* Reads and parses the table at `addr`; scratch must hold OTA_PT_MAX_LEN bytes. */
int ota_ptable_read(const ota_flash_t *f, uint32_t addr, ota_ptable_t *pt, uint8_t *scratch);

/* Every partition inside the flash (PT_RANGE), apps 64 KiB-aligned and others 4 KiB (PT_ALIGN),
 * no overlaps (PT_OVERLAP), no nothing below 0x9000 (PT_RANGE). */
int ota_ptable_check(const ota_ptable_t *pt, uint32_t flash_size);

/* Finds app, staging and otadata (PT_MISSING when one is absent; otadata < 2 sectors too). */
int ota_ptable_layout(const ota_ptable_t *pt, ota_layout_t *l);

/* The partition starting at `offset`, or NULL. */
const ota_part_t *ota_ptable_at(const ota_ptable_t *pt, uint32_t offset);

#endif
