/* Boot report -> JSON (see boot_json.h). */
#include "boot_json.h"
#include "ota_err.h"
#include <stdarg.h>
#include <stdio.h>

struct out { char *buf; size_t cap; size_t len; };

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
}

static void put_error(struct out *o, const char *key, int code, int inner)
{
    if (!code) {
        put(o, "\"%s\":null", key);
        return;
    }
    put(o, "\"%s\":{\"code\":%d,\"name\":\"%s\",\"message\":\"E%d %s", key, code, ota_err_name(code), code, ota_err_name(code));
    if (inner) put(o, ": inner image: E%d %s", inner, ota_err_name(inner));
    put(o, "\"");
    if (inner) put(o, ",\"inner\":{\"code\":%d,\"name\":\"%s\"}", inner, ota_err_name(inner));
    put(o, "}");
}

/* ver is printable ASCII without quotes or backslashes only after validation: escape anyway */
static void put_string(struct out *o, const char *s, size_t max)
{
    put(o, "\"");
    for (size_t i = 0; i < max && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') put(o, "\\%c", c);
        else if (c < 0x20 || c > 0x7E) put(o, "\\u%04x", c);
        else put(o, "%c", c);
    }
    put(o, "\"");
}

size_t ota_boot_json(const ota_boot_report_t *r, const ota_flash_counters_t *count, uint64_t target_write_us,
                     char *buf, size_t cap)
{
    static const char *const verify[] = { "null", "\"full\"", "\"header\"" };
    struct out o = { buf, cap, 0 };
    put(&o, "{\"boot\":%s,", r->boot ? "true" : "false");
    put(&o, "\"state_before\":\"%s\",\"state_after\":\"%s\",\"seq\":%u,",
        ota_state_name(r->state_before), ota_state_name(r->state_after), r->seq_after);
    put(&o, "\"actions\":[");
    int first = 1;
    for (int i = 0; i < OTA_ACT_COUNT; i++)
        if (r->actions & (1u << i)) {
            put(&o, "%s\"%s\"", first ? "" : ",", ota_boot_action_name(1u << i));
            first = 0;
        }
    put(&o, "],");
    put_error(&o, "error", r->error, r->inner_error);
    put(&o, ",");
    put_error(&o, "app_error", r->app_error, 0);
    put(&o, ",\"verify\":%s,", verify[r->verify_mode >= 0 && r->verify_mode <= 2 ? r->verify_mode : 0]);
    if (r->boot || r->image_known) {
        put(&o, "\"image\":{\"partition\":");
        put_string(&o, r->app.label, sizeof r->app.label);
        put(&o, ",\"offset\":%u,\"runs\":%s,", r->app.offset, r->boot ? "true" : "false");
        if (r->image_known) {
            put(&o, "\"version\":");
            put_string(&o, r->image.ver, sizeof r->image.ver);
            put(&o, ",\"upd_no\":%u,\"img_len\":%u,\"org_checksum\":%u,\"verified\":%s}",
                r->image.upd_no, r->image.img_len, r->image.org_checksum, r->app_verified ? "true" : "false");
        } else {
            put(&o, "\"version\":null,\"verified\":false}");
        }
    } else {
        put(&o, "\"image\":null");
    }
    put(&o, ",\"trial_boots\":%u,\"install_attempts\":%u,\"install_count\":%u,", r->trial_boots,
        r->install_attempts, r->install_count);
    put_error(&o, "last_error", (int)r->last_error, 0);
    put(&o, ",");
    put(&o, "\"install\":{\"bytes\":%u,\"sectors_written\":%u,\"sectors_skipped\":%u,"
            "\"sector_erases\":%u,\"block_erases\":%u,\"pages_programmed\":%u}",
        r->install.bytes_written, r->install.sectors_written, r->install.sectors_skipped,
        r->install.sector_erases, r->install.block_erases, r->install.pages_programmed);
    if (count) {
        put(&o, ",\"flash\":{\"ops\":%llu,\"programs\":%llu,\"sector_erases\":%llu,\"block_erases\":%llu,"
                "\"bytes_read\":%llu,\"modelled_ms\":%llu,",
            (unsigned long long)count->ops, (unsigned long long)count->programs,
            (unsigned long long)count->sector_erases, (unsigned long long)count->block_erases,
            (unsigned long long)count->bytes_read, (unsigned long long)(count->modelled_us / 1000));
        /* the timing model in us: per kind, and the erase + program time of the partition that
         * runs (the install target) against everything else (reads, state records) */
        put(&o, "\"modelled_us\":%llu,\"erase_us\":%llu,\"program_us\":%llu,\"read_us\":%llu,"
                "\"target_write_us\":%llu,\"other_us\":%llu}",
            (unsigned long long)count->modelled_us, (unsigned long long)count->erase_us,
            (unsigned long long)count->program_us, (unsigned long long)count->read_us,
            (unsigned long long)target_write_us, (unsigned long long)(count->modelled_us - target_write_us));
    }
    put(&o, "}\n");
    if (cap) buf[o.len < cap ? o.len : cap - 1] = 0;
    return o.len;
}

uint64_t ota_boot_target_write_us(const ota_boot_report_t *r, const ota_hostflash_t *h, const uint64_t *before)
{
    if (!(r->boot || r->image_known) || r->app.size == 0) return 0;
    uint64_t us = ota_hostflash_write_us(h, r->app.offset, r->app.size);
    if (before)
        for (uint32_t s = r->app.offset / OTA_FLASH_SECTOR_SIZE;
             s < h->size / OTA_FLASH_SECTOR_SIZE && s < (r->app.offset + r->app.size) / OTA_FLASH_SECTOR_SIZE; s++)
            us -= before[s];
    return us;
}
