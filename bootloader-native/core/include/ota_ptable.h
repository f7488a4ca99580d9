/* ESP-IDF binary partition table (at 0x8000, at most 0xC00 bytes): 32-byte rows
 *   <2sBBLL16sL> = magic 0xAA 0x50, type, subtype, offset, size, label (NUL-padded), flags;
 * optionally an MD5 row 0xEB 0xEB + 14 x 0xFF + MD5 of all preceding rows; then 0xFF rows.
 * The bootloader needs three partitions (docs/design.md section 2): `app` (factory, else the
 * first app), staging (`app_ota`, else the first ota_0) and the state record (data/ota).
 *
 * An ota_ptable_t is a validated view of the rows, not a copy: the rows stay where they are
 * (in flash at 0x8000 for the bootloader, or in a caller's buffer) and each lookup decodes the
 * row it needs into an ota_part_t. So the bootloader's RAM for the table is this small handle,
 * whatever the number of partitions (issue 9). */
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
    const uint8_t *rows;       /* the table's bytes in RAM, or NULL: read from `flash` at `addr` */
    const ota_flash_t *flash;
    uint32_t addr;
    uint32_t count;            /* partition rows (the first `count` rows) */
    int has_md5;
} ota_ptable_t;

/* Copies of the three partitions the boot needs. */
typedef struct ota_layout {
    ota_part_t app;
    ota_part_t staging;
    ota_part_t otadata;
} ota_layout_t;

/* Validates a binary table in `buf` and makes `pt` a view of it (buf must outlive pt).
 * PT_BINARY: bad magic, MD5 mismatch, no end row, too many entries. */
int ota_ptable_parse_binary(const uint8_t *buf, size_t len, ota_ptable_t *pt);

/* Validates the table in flash at `addr` (rows read one at a time, MD5 streamed) and makes
 * `pt` a view of it there. No buffer needed. */
int ota_ptable_open(const ota_flash_t *f, uint32_t addr, ota_ptable_t *pt);

/* Row i (< count) decoded into *e. */
int ota_ptable_get(const ota_ptable_t *pt, uint32_t i, ota_part_t *e);

/* Every partition inside the flash (PT_RANGE), apps 64 KiB-aligned and others 4 KiB (PT_ALIGN),
 * no overlaps (PT_OVERLAP), no nothing below 0x9000 (PT_RANGE). */
int ota_ptable_check(const ota_ptable_t *pt, uint32_t flash_size);

/* Finds app, staging and otadata (PT_MISSING when one is absent; otadata < 2 sectors too). */
int ota_ptable_layout(const ota_ptable_t *pt, ota_layout_t *l);

/* The partition starting at `offset` into *e (PT_MISSING when there is none). */
int ota_ptable_at(const ota_ptable_t *pt, uint32_t offset, ota_part_t *e);

/* The partition labelled `label` into *e (PT_MISSING when there is none). */
int ota_ptable_find_label(const ota_ptable_t *pt, const char *label, ota_part_t *e);

#endif
