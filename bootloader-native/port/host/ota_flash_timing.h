/* The host flash's timing model and its text form (`ota sim --flash-timing`, `ota-boot
 * --flash-timing`):
 *   SPEC  = "esp32" | "off" | ITEM ("," ITEM)*
 *   ITEM  = "erase4k=" TIME | "erase64k=" TIME | "program=" TIME | "read=" RATE
 *   TIME  = DECIMAL ("us" | "ms" | "s")        a whole number of microseconds, < 2^32
 *   RATE  = DECIMAL ("MB/s" | "KB/s" | "kB/s") a whole number of bytes per millisecond, >= 1
 * DECIMAL has at most 6 fraction digits. Items not named keep the ESP32 values (4 KiB erase
 * 45 ms, 64 KiB erase 150 ms, one program op of up to 256 B 0.6 ms, reads 10 MB/s = 10^7 B/s);
 * each item at most once. "off": every operation takes no time. */
#ifndef OTA_FLASH_TIMING_H
#define OTA_FLASH_TIMING_H

#include <stdint.h>

typedef struct ota_flash_timing {
    uint32_t sector_erase_us;
    uint32_t block_erase_us;
    uint32_t page_program_us;
    uint32_t read_bytes_per_ms;  /* 0: reads take no time */
} ota_flash_timing_t;

/* The ESP32 defaults above. */
void ota_flash_timing_esp32(ota_flash_timing_t *t);

/* Parses SPEC into *t (untouched on error). Returns 0 or OTA_E_USAGE. */
int ota_flash_timing_parse(const char *spec, ota_flash_timing_t *t);

#endif
