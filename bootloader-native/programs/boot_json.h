/* JSON form of a boot report (ota-boot stdout, otahost_boot); format in docs/design.md. */
#ifndef BOOT_JSON_H
#define BOOT_JSON_H

#include <stddef.h>
#include "ota_boot.h"
#include "ota_hostflash.h"

/* Writes the report as one JSON object plus '\n' (NUL-terminated, truncated to cap). `count`
 * (may be NULL): the flash counters of this boot. Returns the full length it needed. */
size_t ota_boot_json(const ota_boot_report_t *r, const ota_flash_counters_t *count, char *buf, size_t cap);

#endif
