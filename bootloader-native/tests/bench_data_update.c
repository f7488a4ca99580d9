/* make bench only (tools/scripts/bench.d/70-data-update.sh): flash work of data-partition updates
 * on the simulator's timing model, default layout, deploy 512 KiB: scheme 1 (backup into staging)
 * vs scheme 2 (direct) for the same new data, a restore, and a second identical update (sectors
 * already right are skipped). Ratios are against scheme 2 in the same run. Prints Markdown. */
#include <stdio.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_data_update.h"

#define DEPLOY    0x2F0000u
#define DEPLOY_SZ 0x80000u

static uint8_t old_dep[DEPLOY_SZ], new_dep[400000];
static ota_data_update_t work;

typedef struct { const char *name; ota_flash_counters_t c; } row_t;

static ota_hostflash_t *device(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_flash_write(&h->flash, DEPLOY, old_dep, DEPLOY_SZ);
    t_write_state(h, OTA_STATE_CONFIRMED);
    ota_hostflash_reset_counters(h);
    return h;
}

static int update(ota_hostflash_t *h, int scheme)
{
    ota_ptable_t pt;
    ota_part_t deploy;
    int rc = ota_ptable_open(&h->flash, OTA_PT_ADDR, &pt);
    if (!rc) rc = ota_ptable_at(&pt, DEPLOY, &deploy);
    ota_state_store_t st = t_state(h);
    if (!rc) rc = ota_data_begin(&work, &h->flash, &st, &deploy, scheme, T_STAGING, 0, 0);
    for (uint32_t o = 0; !rc && o < sizeof new_dep; o += 4096)
        rc = ota_data_write(&work, new_dep + o, sizeof new_dep - o < 4096 ? (uint32_t)(sizeof new_dep - o) : 4096);
    return rc ? rc : ota_data_end(&work, scheme == OTA_DATA_SCHEME_BACKUP);
}

static void print(const row_t *r, const row_t *ref)
{
    printf("| %s | %llu | %llu | %llu | %llu | %.0f | %.2f |\n", r->name, (unsigned long long)r->c.sector_erases,
           (unsigned long long)r->c.block_erases, (unsigned long long)r->c.programs,
           (unsigned long long)(r->c.bytes_read / 1024), r->c.modelled_us / 1000.0,
           (double)r->c.modelled_us / (double)ref->c.modelled_us);
}

int main(void)
{
    t_firmware(old_dep, sizeof old_dep, 21);
    t_firmware(new_dep, sizeof new_dep, 22);
    row_t rows[4];
    ota_hostflash_t *h = device();
    if (update(h, OTA_DATA_SCHEME_DIRECT)) return 1;
    rows[0] = (row_t){ "scheme 2: erase + write (reference)", h->count };
    ota_hostflash_close(h);
    h = device();
    if (update(h, OTA_DATA_SCHEME_BACKUP)) return 1;
    rows[1] = (row_t){ "scheme 1: backup + erase + write (kept for trial)", h->count };
    ota_hostflash_reset_counters(h);
    ota_state_store_t st = t_state(h);
    ota_ptable_t pt;
    if (ota_ptable_open(&h->flash, OTA_PT_ADDR, &pt)) return 1;
    if (ota_data_restore(&st, &pt, &work)) return 1;
    rows[2] = (row_t){ "restore of the backup", h->count };
    ota_hostflash_reset_counters(h);
    st = t_state(h);
    if (update(h, OTA_DATA_SCHEME_BACKUP)) return 1;
    rows[3] = (row_t){ "scheme 1 again (backup already in place)", h->count };
    ota_hostflash_close(h);

    printf("## Data-partition updates (ota_data_update.c)\n\n");
    printf("Deploy partition 512 KiB (old content random-like), new data %u bytes, backup into the free\n"
           "staging partition; flash timing model as above. *ratio* = modelled time ÷ scheme 2.\n\n",
           (unsigned)sizeof new_dep);
    printf("| operation | 4 KiB erases | 64 KiB erases | programs | KiB read | modelled ms | ratio |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < 4; i++) print(&rows[i], &rows[0]);
    printf("\nRAM: `ota_data_update_t` %u bytes (static in the bootloader), no allocation.\n",
           (unsigned)sizeof(ota_data_update_t));
    return 0;
}
