/* JSON form of a boot report (ota-boot stdout, otahost_boot); format in docs/design.md. */
#ifndef BOOT_JSON_H
#define BOOT_JSON_H

#include <stddef.h>
#include "ota_boot.h"
#include "ota_hostflash.h"

/* Writes the report as one JSON object plus '\n' (NUL-terminated, truncated to cap). `count`
 * (may be NULL): the flash counters of this boot; `target_write_us`: the modelled erase +
 * program time of this boot inside the partition that runs (r->app). Returns the full length
 * it needed. */
size_t ota_boot_json(const ota_boot_report_t *r, const ota_flash_counters_t *count, uint64_t target_write_us,
                     char *buf, size_t cap);

/* Modelled erase + program time of this boot inside r->app: `before` (may be NULL: zeros) is
 * the flash's per-sector write time (h->write_us) copied before the boot. 0 without an app. */
uint64_t ota_boot_target_write_us(const ota_boot_report_t *r, const ota_hostflash_t *h, const uint64_t *before);

#endif
