/* libotahost: the C core behind P/Invoke for the managed host simulator (see otahost.h). The
 * flash is the host port's NOR simulator; every call goes through the same checked HAL
 * wrappers the bootloader uses. */
#include "otahost.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ota_err.h"
#include "ota_flash.h"
#include "ota_flash_timing.h"
#include "ota_hostflash.h"
#include "ota_sha256.h"
#include "boot_json.h"
#include "ota_boot.h"
#include "sig_host.h"

struct otahost_flash {
    ota_hostflash_t *h;
};

otahost_flash_t *otahost_flash_open(const char *path, uint32_t size)
{
    int err;
    if (!path) return NULL;
    ota_hostflash_t *h = ota_hostflash_open(path, size, &err);
    if (!h) return NULL;
    /* the handle is the host flash itself: no second allocation to leak */
    return (otahost_flash_t *)h;
}

static ota_hostflash_t *hf(const otahost_flash_t *f)
{
    return (ota_hostflash_t *)f;
}

void otahost_flash_close(otahost_flash_t *f)
{
    ota_hostflash_close(hf(f));
}

uint32_t otahost_flash_size(const otahost_flash_t *f)
{
    return f ? hf(f)->size : 0;
}

int otahost_flash_read(otahost_flash_t *f, uint32_t addr, uint8_t *buf, uint32_t len)
{
    if (!f || (!buf && len)) return OTA_E_USAGE;
    return ota_flash_read(&hf(f)->flash, addr, buf, len);
}

int otahost_flash_program(otahost_flash_t *f, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    if (!f || (!buf && len)) return OTA_E_USAGE;
    return ota_flash_program(&hf(f)->flash, addr, buf, len);
}

int otahost_flash_erase(otahost_flash_t *f, uint32_t addr, uint32_t len)
{
    if (!f) return OTA_E_USAGE;
    return ota_flash_erase_range(&hf(f)->flash, addr, len);
}

int otahost_flash_set_power_cut(otahost_flash_t *f, uint64_t op_index, int mode, uint32_t seed)
{
    if (!f || mode < OTA_CUT_BEFORE || mode > OTA_CUT_TORN) return OTA_E_USAGE;
    ota_hostflash_set_power_cut(hf(f), op_index, mode, seed);
    return OTA_OK;
}

uint64_t otahost_flash_op_count(const otahost_flash_t *f)
{
    return f ? hf(f)->count.ops : 0;
}

uint32_t otahost_flash_erase_count(const otahost_flash_t *f, uint32_t addr)
{
    if (!f || addr >= hf(f)->size) return 0;
    return hf(f)->erase_counts[addr / OTA_FLASH_SECTOR_SIZE];
}

int otahost_flash_power_on(otahost_flash_t *f)
{
    if (!f) return OTA_E_USAGE;
    ota_hostflash_power_on(hf(f));
    return OTA_OK;
}

int otahost_flash_stats(const otahost_flash_t *f, otahost_flash_stats_t *out)
{
    if (!f || !out) return OTA_E_USAGE;
    const ota_flash_counters_t *c = &hf(f)->count;
    out->ops = c->ops;
    out->programs = c->programs;
    out->sector_erases = c->sector_erases;
    out->block_erases = c->block_erases;
    out->bytes_programmed = c->bytes_programmed;
    out->bytes_read = c->bytes_read;
    out->modelled_us = c->modelled_us;
    out->erase_us = c->erase_us;
    out->program_us = c->program_us;
    out->read_us = c->read_us;
    out->reads = c->reads;
    return OTA_OK;
}

int otahost_flash_set_timing(otahost_flash_t *f, uint32_t sector_erase_us, uint32_t block_erase_us,
                             uint32_t page_program_us, uint32_t read_bytes_per_ms)
{
    if (!f) return OTA_E_USAGE;
    ota_flash_timing_t *t = &hf(f)->timing;
    t->sector_erase_us = sector_erase_us;
    t->block_erase_us = block_erase_us;
    t->page_program_us = page_program_us;
    t->read_bytes_per_ms = read_bytes_per_ms;
    return OTA_OK;
}

int otahost_flash_timing_parse(const char *spec, otahost_flash_timing_t *out)
{
    ota_flash_timing_t t;
    if (!out) return OTA_E_USAGE;
    int rc = ota_flash_timing_parse(spec, &t);
    if (rc) return rc;
    out->sector_erase_us = t.sector_erase_us;
    out->block_erase_us = t.block_erase_us;
    out->page_program_us = t.page_program_us;
    out->read_bytes_per_ms = t.read_bytes_per_ms;
    return OTA_OK;
}

uint64_t otahost_flash_write_us(const otahost_flash_t *f, uint32_t addr, uint32_t len)
{
    return f ? ota_hostflash_write_us(hf(f), addr, len) : 0;
}

int otahost_sha256(const uint8_t *data, uint32_t len, uint8_t out[32])
{
    if ((!data && len) || !out) return OTA_E_USAGE;
    return ota_sha256(data, len, out) == 0 ? OTA_OK : OTA_E_IO;
}

/* The installer's working memory lives in static memory, as on the device; a lock keeps
 * concurrent callers (parallel managed tests) from sharing it. */
static ota_install_work_t boot_work;
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;

static int boot_locked(ota_hostflash_t *h, char *json, uint32_t json_cap);

int otahost_boot(otahost_flash_t *f, char *json, uint32_t json_cap)
{
    if (!f) return OTA_E_USAGE;
    pthread_mutex_lock(&boot_lock);
    int rc = boot_locked(hf(f), json, json_cap);
    pthread_mutex_unlock(&boot_lock);
    return rc;
}

static int boot_locked(ota_hostflash_t *h, char *json, uint32_t json_cap)
{
    ota_boot_report_t r;
    ota_flash_counters_t before = h->count, delta;
    size_t sectors = h->size / OTA_FLASH_SECTOR_SIZE;
    uint64_t *write_before = malloc(sectors * sizeof *write_before); /* the simulator's, not the boot's */
    if (write_before) memcpy(write_before, h->write_us, sectors * sizeof *write_before);
    boot_work.keys = otahost_keyring(); /* trusted keys set through otahost_add_pubkey */
    ota_boot_run(&h->flash, NULL, &boot_work, &r);
    uint64_t target_us = write_before ? ota_boot_target_write_us(&r, h, write_before) : 0;
    free(write_before);
    delta = h->count;
    delta.ops -= before.ops;
    delta.programs -= before.programs;
    delta.sector_erases -= before.sector_erases;
    delta.block_erases -= before.block_erases;
    delta.bytes_programmed -= before.bytes_programmed;
    delta.reads -= before.reads;
    delta.bytes_read -= before.bytes_read;
    delta.modelled_us -= before.modelled_us;
    delta.erase_us -= before.erase_us;
    delta.program_us -= before.program_us;
    delta.read_us -= before.read_us;
    if (json && json_cap) ota_boot_json(&r, &delta, target_us, json, json_cap);
    if (r.boot) return OTA_OK;
    return r.error ? r.error : r.app_error;
}
