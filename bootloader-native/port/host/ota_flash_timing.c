/* Text form of the flash timing model (grammar in ota_flash_timing.h). */
#include "ota_flash_timing.h"
#include "ota_err.h"
#include <string.h>

void ota_flash_timing_esp32(ota_flash_timing_t *t)
{
    t->sector_erase_us = 45000;
    t->block_erase_us = 150000;
    t->page_program_us = 600;
    t->read_bytes_per_ms = 10000;
}

/* DECIMAL at *p in millionths; advances *p. -1 when there is no number or too many digits. */
static int64_t parse_micro(const char **p)
{
    const char *s = *p;
    uint64_t v = 0;
    int digits = 0, frac = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (v > 1000000000000ull) return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, frac++) {
            if (frac == 6) return -1;
            v = v * 10 + (uint64_t)(*s - '0');
        }
        if (frac == 0) return -1;
    }
    if (digits == 0) return -1;
    for (; frac < 6; frac++) v *= 10;
    *p = s;
    return (int64_t)v;
}

/* A whole multiple of `unit` millionths below 2^32, or -1. */
static int64_t scale(int64_t micro, int64_t unit)
{
    if (micro < 0 || micro % unit) return -1;
    micro /= unit;
    return micro > 0xFFFFFFFFll ? -1 : micro;
}

/* One "value+unit" up to ',' or the end; *out in us (TIME) or B/ms (RATE). */
static int parse_value(const char *s, size_t len, int rate, uint32_t *out)
{
    static const struct { const char *unit; int rate; int64_t div; } units[] = {
        { "us", 0, 1000000 }, { "ms", 0, 1000 }, { "s", 0, 1 },
        { "MB/s", 1, 1000 }, { "KB/s", 1, 1000000 }, { "kB/s", 1, 1000000 },
    };
    const char *p = s;
    int64_t micro = parse_micro(&p);
    if (micro < 0) return -1;
    size_t ulen = len - (size_t)(p - s);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].rate == rate && strlen(units[i].unit) == ulen && memcmp(p, units[i].unit, ulen) == 0) {
            int64_t v = scale(micro, units[i].div);
            if (v < 0 || (rate && v == 0)) return -1;
            *out = (uint32_t)v;
            return 0;
        }
    return -1;
}

int ota_flash_timing_parse(const char *spec, ota_flash_timing_t *t)
{
    static const char *const keys[] = { "erase4k=", "erase64k=", "program=", "read=" };
    ota_flash_timing_t v;
    if (!spec || !t) return OTA_E_USAGE;
    if (strcmp(spec, "off") == 0) {
        memset(t, 0, sizeof *t);
        return OTA_OK;
    }
    ota_flash_timing_esp32(&v);
    if (strcmp(spec, "esp32") == 0) {
        *t = v;
        return OTA_OK;
    }
    uint32_t *field[] = { &v.sector_erase_us, &v.block_erase_us, &v.page_program_us, &v.read_bytes_per_ms };
    unsigned seen = 0;
    const char *s = spec;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        size_t k = 0;
        while (k < 4 && strncmp(s, keys[k], strlen(keys[k])) != 0) k++;
        if (k == 4 || (seen & (1u << k))) return OTA_E_USAGE;
        seen |= 1u << k;
        size_t klen = strlen(keys[k]);
        if (len <= klen || parse_value(s + klen, len - klen, k == 3, field[k]) != 0) return OTA_E_USAGE;
        if (!end) break;
        s = end + 1;
    }
    *t = v;
    return OTA_OK;
}
