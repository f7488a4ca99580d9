/* Host-only reader of an ESP-IDF partition CSV (`ota-boot --partitions partitions.csv`):
 * "name, type, subtype, offset, size[, flags]" rows, '#' comments, type/subtype names or
 * numbers, sizes with K/M suffixes, empty offsets placed after the previous partition (apps on
 * 64 KiB, others on 4 KiB, starting at 0x9000). The full checker is `ota partitions` (C#). */
#ifndef OTA_PTABLE_CSV_H
#define OTA_PTABLE_CSV_H

#include <stdint.h>
#include "ota_ptable.h"

/* Parses NUL-terminated CSV text into binary rows (the ESP-IDF layout, 0xFF after the last row)
 * in `rows`, and makes `pt` a view of them (rows must outlive pt). On OTA_E_PT_SYNTAX *line is the
 * 1-based line number. */
int ota_ptable_parse_csv(const char *text, uint8_t rows[OTA_PT_MAX_LEN], ota_ptable_t *pt, uint32_t *line);

/* Reads and parses a CSV file (OTA_E_IO when unreadable). */
int ota_ptable_load_csv(const char *path, uint8_t rows[OTA_PT_MAX_LEN], ota_ptable_t *pt, uint32_t *line);

#endif
