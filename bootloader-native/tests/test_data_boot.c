/* Data-partition updates through the real boot flow (default 4 MB layout, deploy 512 KiB,
 * backup in the free staging partition): an update cut while writing is restored by the next
 * boot and the app still boots; that restore (block erases) cut at sampled ops in every mode
 * still ends with the old data; a deployment on trial is rolled back after 3 unconfirmed boots,
 * or kept once confirmed; a corrupted backup is reported, never copied, and the app boots. */
#include <stdio.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_data_update.h"
#include "ota_err.h"

#define DEPLOY    0x2F0000u
#define DEPLOY_SZ 0x80000u

static uint8_t fw[200000], full[200064 + 64], old_dep[DEPLOY_SZ], new_dep[300000];
static size_t full_len;
static ota_data_update_t work;

static ota_hostflash_t *device(void)
{
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, full, full_len);
    CHECK_EQ(ota_flash_write(&h->flash, DEPLOY, old_dep, DEPLOY_SZ), 0);
    return h;
}

static const ota_part_t *deploy_part(ota_ptable_t *pt, ota_hostflash_t *h)
{
    static ota_part_t deploy;
    CHECK_EQ(ota_ptable_open(&h->flash, OTA_PT_ADDR, pt), 0);
    CHECK_EQ(ota_ptable_at(pt, DEPLOY, &deploy), 0);
    return &deploy;
}

static int update(ota_hostflash_t *h, int trial)
{
    static ota_ptable_t pt;
    ota_layout_t l;
    const ota_part_t *d = deploy_part(&pt, h);
    CHECK_EQ(ota_ptable_layout(&pt, &l), 0);
    ota_state_store_t st = t_state(h);
    uint32_t backup = 0;
    int rc = ota_data_pick_backup(&pt, &l, &st.cur, d, NULL, 0, 0, &backup);
    CHECK_EQ(backup, T_STAGING);
    if (!rc) rc = ota_data_begin(&work, &h->flash, &st, d, OTA_DATA_SCHEME_BACKUP, backup, 0, 0);
    for (uint32_t o = 0; !rc && o < sizeof new_dep; o += 4096)
        rc = ota_data_write(&work, new_dep + o, sizeof new_dep - o < 4096 ? (uint32_t)(sizeof new_dep - o) : 4096);
    if (!rc) rc = ota_data_end(&work, trial);
    return rc;
}

static int holds(ota_hostflash_t *h, const uint8_t *d, uint32_t n)
{
    int eq = 0;
    return ota_flash_compare(&h->flash, DEPLOY, d, n, &eq) == 0 && eq;
}

static void test_interrupted_update_restored_at_boot(void)
{
    ota_hostflash_t *h = device();
    ota_hostflash_reset_counters(h);
    CHECK_EQ(update(h, 0), 0);
    uint64_t ops = h->count.ops;
    /* cut in the middle of the new data, after the backup was committed */
    uint32_t seeds[] = { 3, 5, 7 };
    for (int i = 0; i < 3; i++) {
        ota_hostflash_close(h);
        h = device();
        ota_hostflash_reset_counters(h);
        ota_hostflash_set_power_cut(h, ops - 20 - (uint64_t)i * 100, i, seeds[i]);
        CHECK_EQ(update(h, 0), OTA_E_FLASH_POWER_CUT);
        ota_hostflash_power_on(h);
        CHECK_EQ(t_state(h).cur.data_state, OTA_DATA_STATE_WRITING);
        ota_boot_report_t r;
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(r.actions & OTA_ACT_DATA_RESTORE);
        CHECK(r.boot);
        CHECK(holds(h, old_dep, DEPLOY_SZ));
        CHECK_EQ(t_state(h).cur.data_state, OTA_DATA_STATE_NONE);
        CHECK_EQ(t_state(h).cur.state, OTA_STATE_CONFIRMED);
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(!(r.actions & OTA_ACT_DATA_RESTORE));
    }
    ota_hostflash_close(h);
}

/* The boot's restore of a 512 KiB deployment (block erases) cut at sampled ops, every mode. */
static void test_restore_cut_at_boot(void)
{
    ota_hostflash_t *h = device();
    ota_hostflash_reset_counters(h);
    CHECK_EQ(update(h, 0), 0);
    uint64_t ops = h->count.ops;
    ota_hostflash_close(h);
    h = device();
    ota_hostflash_reset_counters(h);
    ota_hostflash_set_power_cut(h, ops - 50, OTA_CUT_BEFORE, 1);
    CHECK_EQ(update(h, 0), OTA_E_FLASH_POWER_CUT);
    ota_hostflash_power_on(h);
    static uint8_t mid[T_FLASH_SIZE];
    ota_hostflash_snapshot(h, mid);
    ota_hostflash_reset_counters(h);
    ota_boot_report_t r;
    CHECK_EQ(t_boot(h, &r), 0);
    uint64_t rops = h->count.ops;
    CHECK(h->count.block_erases >= 8);
    int runs = 0;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t j = 1; j <= rops; j += (j < 12 ? 1 : rops / 25 + 1)) {
            ota_hostflash_restore(h, mid);
            ota_hostflash_reset_counters(h);
            ota_hostflash_set_power_cut(h, j, mode, (uint32_t)(j * 17u + (uint32_t)mode));
            CHECK_EQ(t_boot(h, &r), OTA_E_FLASH_POWER_CUT);
            CHECK(!r.boot);
            ota_hostflash_power_on(h);
            CHECK_EQ(t_boot(h, &r), 0);
            CHECK(r.boot);
            CHECK(holds(h, old_dep, DEPLOY_SZ));
            CHECK_EQ(t_state(h).cur.data_state, OTA_DATA_STATE_NONE);
            runs++;
        }
    printf("restore cuts at boot: %d runs over %llu ops\n", runs, (unsigned long long)rops);
    ota_hostflash_close(h);
}

static void test_deployment_rollback_and_confirm(void)
{
    ota_hostflash_t *h = device();
    CHECK_EQ(update(h, 1), 0);
    ota_boot_report_t r;
    for (uint32_t i = 1; i <= 3; i++) {
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(r.actions & OTA_ACT_DATA_TRIAL_BOOT);
        CHECK(!(r.actions & OTA_ACT_DATA_ROLLBACK));
        CHECK_EQ(r.trial_boots, i);
        CHECK(r.boot);
        CHECK(holds(h, new_dep, sizeof new_dep));
    }
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK(r.actions & OTA_ACT_DATA_ROLLBACK);
    CHECK(r.boot);
    CHECK(holds(h, old_dep, DEPLOY_SZ));
    CHECK_EQ(t_state(h).cur.data_state, OTA_DATA_STATE_NONE);
    ota_hostflash_close(h);

    h = device();
    CHECK_EQ(update(h, 1), 0);
    CHECK_EQ(t_boot(h, &r), 0);
    ota_state_store_t st = t_state(h);
    CHECK_EQ(ota_data_confirm(&st), 0);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(!(r.actions & (OTA_ACT_DATA_TRIAL_BOOT | OTA_ACT_DATA_ROLLBACK | OTA_ACT_DATA_RESTORE)));
    }
    CHECK(holds(h, new_dep, sizeof new_dep));
    ota_hostflash_close(h);
}

static void test_bad_backup_reported(void)
{
    ota_hostflash_t *h = device();
    CHECK_EQ(update(h, 1), 0);
    uint8_t z = 0;
    CHECK_EQ(ota_flash_program(&h->flash, T_STAGING + 4096 * 3 + 5, &z, 1), 0);
    ota_boot_report_t r;
    for (int i = 0; i < 3; i++) CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(t_boot(h, &r), OTA_E_DATA_BACKUP); /* the rollback finds the backup damaged */
    CHECK(r.boot);
    CHECK(holds(h, new_dep, sizeof new_dep));
    CHECK_EQ(t_state(h).cur.last_error, OTA_E_DATA_BACKUP);
    CHECK_EQ(t_boot(h, &r), 0);
    ota_hostflash_close(h);
}

int main(void)
{
    full_len = t_seeded_image(full, fw, sizeof fw, 1, "1.0.0", 1);
    t_firmware(old_dep, sizeof old_dep, 11);
    t_firmware(new_dep, sizeof new_dep, 12);
    test_interrupted_update_restored_at_boot();
    test_restore_cut_at_boot();
    test_deployment_rollback_and_confirm();
    test_bad_backup_reported();
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
