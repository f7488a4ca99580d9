/* Data-partition updates (docs/design.md section 15) on a small file-backed NOR layout:
 * target/backup rules (app targets, otadata, the running app as backup, nothing big enough),
 * scheme 1 and 2, explicit restore, deployment trial/confirm/rollback, a corrupted backup,
 * and power cuts (before / after / torn) at every flash operation of backup, write and end,
 * and of a restore: the next boot always leaves the old data or the complete new data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ota_data_update.h"
#include "ota_hostflash.h"
#include "ota_crc.h"
#include "ota_err.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
    if (_a != _b) { printf("FAIL %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #a, _a, _b); failures++; } } while (0)

/* Layout: 320 KiB flash; deploy (4 sectors) and config, staging 64 KiB, an optional backup. */
#define F_SIZE    0x50000u
#define OTADATA   0x1E000u
#define APP       0x20000u
#define STAGING   0x30000u
#define DEPLOY    0x40000u
#define DEPLOY_SZ 0x4000u
#define CONFIG    0x44000u
#define BACKUP    0x48000u

static ota_ptable_t pt;
static ota_layout_t lay;
static uint8_t pt_rows[OTA_PT_MAX_LEN]; /* the binary table pt views */
static ota_part_t parts[8];             /* the same partitions, decoded, by row */
static uint32_t nparts;

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void part(const char *label, uint8_t type, uint8_t sub, uint32_t off, uint32_t size)
{
    ota_part_t *p = &parts[nparts];
    uint8_t *r = pt_rows + nparts++ * OTA_PT_ROW;
    memset(p, 0, sizeof *p);
    strncpy(p->label, label, 16);
    p->type = type;
    p->subtype = sub;
    p->offset = off;
    p->size = size;
    memset(r, 0, OTA_PT_ROW);
    r[0] = 0xAA; r[1] = 0x50; r[2] = type; r[3] = sub;
    put32(r + 4, off);
    put32(r + 8, size);
    strncpy((char *)r + 12, label, 16);
}

static void layout(int with_backup)
{
    memset(pt_rows, 0xFF, sizeof pt_rows);
    nparts = 0;
    part("otadata", 1, 0, OTADATA, 0x2000);
    part("app", 0, 0, APP, 0x10000);
    part("app_ota", 0, 0x10, STAGING, 0x10000);
    part("deploy", 1, 0x84, DEPLOY, DEPLOY_SZ);
    part("config", 1, 0x83, CONFIG, 0x4000);
    if (with_backup) part("backup", 1, 0x06, BACKUP, 0x4000);
    CHECK_EQ(ota_ptable_parse_binary(pt_rows, sizeof pt_rows, &pt), 0);
    CHECK_EQ(pt.count, nparts);
    CHECK_EQ(ota_ptable_check(&pt, F_SIZE), 0);
    CHECK_EQ(ota_ptable_layout(&pt, &lay), 0);
}

static void pattern(uint8_t *p, uint32_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        p[i] = (uint8_t)(i % 97 < 40 ? i : x); /* some structure, some noise */
    }
}

static uint8_t old_data[DEPLOY_SZ], new_data[DEPLOY_SZ];
#define NEW_LEN 10003u /* not a page multiple: the last page is padded */

/* Flash with the old deployment and a CONFIRMED record. */
static ota_hostflash_t *fresh(void)
{
    int err;
    ota_hostflash_t *h = ota_hostflash_open(NULL, F_SIZE, &err);
    CHECK(h != NULL);
    CHECK_EQ(ota_flash_write(&h->flash, DEPLOY, old_data, DEPLOY_SZ), 0);
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, OTADATA);
    ota_state_t s = st.cur;
    s.state = OTA_STATE_CONFIRMED;
    s.max_upd_no = 5;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    ota_hostflash_reset_counters(h);
    return h;
}

static int holds(ota_hostflash_t *h, uint32_t addr, const uint8_t *want, uint32_t len)
{
    int eq = 0;
    return ota_flash_compare(&h->flash, addr, want, len, &eq) == 0 && eq;
}

static int holds_new(ota_hostflash_t *h)
{
    static uint8_t ff[DEPLOY_SZ];
    memset(ff, 0xFF, sizeof ff);
    return holds(h, DEPLOY, new_data, NEW_LEN) && holds(h, DEPLOY + NEW_LEN, ff, DEPLOY_SZ - NEW_LEN);
}

static ota_data_update_t work;

/* A whole scheme-1 update of deploy with the backup in `backup`. */
static int update(ota_hostflash_t *h, uint32_t backup, int trial)
{
    ota_state_store_t st;
    int rc = ota_state_load(&st, &h->flash, OTADATA);
    if (!rc) rc = ota_data_begin(&work, &h->flash, &st, &parts[3], OTA_DATA_SCHEME_BACKUP, backup, 0, 0);
    for (uint32_t o = 0; !rc && o < NEW_LEN; o += 1000)
        rc = ota_data_write(&work, new_data + o, NEW_LEN - o < 1000 ? NEW_LEN - o : 1000);
    if (!rc) rc = ota_data_end(&work, trial);
    return rc;
}

static int boot_step(ota_hostflash_t *h, uint32_t *actions)
{
    ota_state_store_t st;
    int rc = ota_state_load(&st, &h->flash, OTADATA);
    return rc ? rc : ota_data_boot(&st, &pt, &work, 3, 0, 0, actions);
}

static ota_state_t current(ota_hostflash_t *h)
{
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, OTADATA);
    return st.cur;
}

static void test_rules(void)
{
    layout(0);
    uint32_t addr = 0;
    ota_state_t s;
    memset(&s, 0, sizeof s);
    s.state = OTA_STATE_CONFIRMED;
    /* app-type targets and otadata are refused */
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &lay.app, NULL, 0, 0, &addr), OTA_E_DATA_TARGET);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &lay.staging, NULL, 0, 0, &addr), OTA_E_DATA_TARGET);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &lay.otadata, NULL, 0, 0, &addr), OTA_E_DATA_TARGET);
    /* a backup that is the running app, the target itself or otadata is refused */
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &lay.app, 0, 0, &addr), OTA_E_DATA_TARGET);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &parts[3], 0, 0, &addr), OTA_E_DATA_TARGET);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &lay.otadata, 0, 0, &addr), OTA_E_DATA_TARGET);
    /* default: free staging */
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], NULL, 0, 0, &addr), 0);
    CHECK_EQ(addr, STAGING);
    /* another data partition as explicit backup */
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &parts[4], 0, 0, &addr), 0);
    CHECK_EQ(addr, CONFIG);
    /* staging in use by a download: nothing fits */
    s.state = OTA_STATE_DOWNLOADING;
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], NULL, 0, 0, &addr), OTA_E_DATA_NO_BACKUP);
    /* during a package install: after the package, if it fits */
    s.state = OTA_STATE_INSTALLING;
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], NULL, 0, 0x9001, &addr), 0);
    CHECK_EQ(addr, STAGING + 0xA000);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], NULL, 0, 0xD000, &addr), OTA_E_DATA_NO_BACKUP);
    /* a backup partition too small for the backup length */
    parts[4].size = 0x2000;
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &parts[4], 0, 0, &addr), OTA_E_DATA_NO_BACKUP);
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], &parts[4], 0x2000, 0, &addr), 0);
    parts[4].size = 0x4000;
    /* the partition labelled "backup" wins over staging */
    layout(1);
    s.state = OTA_STATE_CONFIRMED;
    CHECK_EQ(ota_data_pick_backup(&pt, &lay, &s, &parts[3], NULL, 0, 0, &addr), 0);
    CHECK_EQ(addr, BACKUP);
    layout(0);

    /* begin with a data update already pending is refused */
    ota_hostflash_t *h = fresh();
    CHECK_EQ(update(h, STAGING, 1), 0);
    CHECK_EQ(update(h, STAGING, 0), OTA_E_STATE_TRANSITION);
    ota_hostflash_close(h);
}

static void test_scheme1_restore_confirm(void)
{
    ota_hostflash_t *h = fresh();
    uint32_t seq0 = current(h).seq;
    CHECK_EQ(update(h, STAGING, 0), 0);
    CHECK(holds_new(h));
    CHECK(holds(h, STAGING, old_data, DEPLOY_SZ)); /* the backup */
    ota_state_t s = current(h);
    CHECK_EQ(s.data_state, OTA_DATA_STATE_NONE);
    CHECK_EQ(s.data_backup_len, 0);
    CHECK_EQ(s.seq, seq0 + 2); /* two record writes: backup stored, cleared */
    CHECK_EQ(s.max_upd_no, 5);
    CHECK_EQ(s.state, OTA_STATE_CONFIRMED);
    /* nothing stored: restore does nothing */
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_restore(&st, &pt, &work), 0);
    CHECK(holds_new(h));
    CHECK_EQ(current(h).seq, seq0 + 2);
    ota_hostflash_close(h);

    /* kept for trial, then restored explicitly */
    h = fresh();
    CHECK_EQ(update(h, CONFIG, 1), 0);
    s = current(h);
    CHECK_EQ(s.data_state, OTA_DATA_STATE_TRIAL);
    CHECK_EQ(s.data_target, DEPLOY);
    CHECK_EQ(s.data_backup_addr, CONFIG);
    CHECK_EQ(s.data_backup_len, DEPLOY_SZ);
    CHECK_EQ(s.data_backup_crc, ota_crc32(old_data, DEPLOY_SZ));
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_restore(&st, &pt, &work), 0);
    CHECK(holds(h, DEPLOY, old_data, DEPLOY_SZ));
    CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
    ota_hostflash_close(h);

    /* deployment rollback: three trial boots keep the new data, the 4th restores */
    h = fresh();
    CHECK_EQ(update(h, STAGING, 1), 0);
    uint32_t act = 0;
    for (int i = 1; i <= 3; i++) {
        CHECK_EQ(boot_step(h, &act), 0);
        CHECK_EQ(act, OTA_DATA_ACT_TRIAL_BOOT);
        CHECK(holds_new(h));
    }
    CHECK_EQ(boot_step(h, &act), 0);
    CHECK_EQ(act, OTA_DATA_ACT_TRIAL_BOOT | OTA_DATA_ACT_ROLLBACK);
    CHECK(holds(h, DEPLOY, old_data, DEPLOY_SZ));
    CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
    CHECK_EQ(boot_step(h, &act), 0);
    CHECK_EQ(act, 0);
    ota_hostflash_close(h);

    /* confirmed within the trial: kept; the app's own UNCONFIRMED also rolls it back */
    h = fresh();
    CHECK_EQ(update(h, STAGING, 1), 0);
    CHECK_EQ(boot_step(h, &act), 0);
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_confirm(&st), 0);
    for (int i = 0; i < 5; i++) CHECK_EQ(boot_step(h, &act), 0);
    CHECK_EQ(act, 0);
    CHECK(holds_new(h));
    CHECK_EQ(update(h, STAGING, 1), 0);
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_boot(&st, &pt, &work, 3, 1, 1, &act), 0);
    CHECK_EQ(act, OTA_DATA_ACT_ROLLBACK);
    CHECK(holds_new(h)); /* the backup was the previous (identical) new data, restored bit-exact */
    CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
    ota_hostflash_close(h);
}

static void test_bad_backup_and_scheme2(void)
{
    ota_hostflash_t *h = fresh();
    CHECK_EQ(update(h, STAGING, 1), 0);
    uint8_t z = 0x00;
    CHECK_EQ(ota_flash_program(&h->flash, STAGING + 100, &z, 1), 0); /* the backup goes bad */
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_restore(&st, &pt, &work), OTA_E_DATA_BACKUP);
    CHECK(holds_new(h)); /* never copied */
    ota_state_t s = current(h);
    CHECK_EQ(s.data_state, OTA_DATA_STATE_NONE);
    CHECK_EQ(s.last_error, OTA_E_DATA_BACKUP);
    uint32_t act;
    CHECK_EQ(boot_step(h, &act), 0); /* no loop */
    ota_hostflash_close(h);

    /* scheme 2: no record write, no backup */
    h = fresh();
    uint32_t seq0 = current(h).seq;
    ota_state_load(&st, &h->flash, OTADATA);
    CHECK_EQ(ota_data_begin(&work, &h->flash, &st, &parts[3], OTA_DATA_SCHEME_DIRECT, 0, 0, 0), 0);
    CHECK_EQ(ota_data_write(&work, new_data, NEW_LEN), 0);
    CHECK_EQ(ota_data_write(&work, new_data, DEPLOY_SZ), OTA_E_IMG_TOO_LARGE);
    CHECK_EQ(ota_data_end(&work, 0), 0);
    CHECK(holds_new(h));
    CHECK_EQ(current(h).seq, seq0);
    CHECK_EQ(h->count.sector_erases, DEPLOY_SZ / 4096);
    ota_hostflash_close(h);
}

/* Power cut at every flash op of a whole scheme-1 update (and, nested, of the restore the next
 * boot runs): afterwards the deploy partition holds the old data or the complete new data, and
 * no backup stays pending. */
static void test_power_cuts(void)
{
    ota_hostflash_t *h = fresh();
    static uint8_t base[F_SIZE];
    ota_hostflash_snapshot(h, base);
    CHECK_EQ(update(h, STAGING, 0), 0);
    uint64_t ops = h->count.ops;
    CHECK(ops > 60);
    int runs = 0, olds = 0, news = 0, restores = 0, nested = 0;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t k = 1; k <= ops; k++) {
            ota_hostflash_restore(h, base);
            ota_hostflash_reset_counters(h);
            uint32_t seed = (uint32_t)(k * 7919u + (uint32_t)mode);
            ota_hostflash_set_power_cut(h, k, mode, seed);
            CHECK_EQ(update(h, STAGING, 0), OTA_E_FLASH_POWER_CUT);
            ota_hostflash_power_on(h);
            /* the next boot; every third case also cuts the restore that boot runs */
            uint32_t act = 0;
            if (k % 3 == 0) {
                static uint8_t mid[F_SIZE];
                ota_hostflash_snapshot(h, mid);
                ota_hostflash_reset_counters(h);
                CHECK_EQ(boot_step(h, &act), 0);
                uint64_t rops = h->count.ops;
                for (uint64_t j = 1; j + 1 <= rops; j += 5) { /* every 5th op of the restore */
                    ota_hostflash_restore(h, mid);
                    ota_hostflash_reset_counters(h);
                    ota_hostflash_set_power_cut(h, j, (int)((j + k) % 3), seed ^ (uint32_t)j);
                    CHECK_EQ(boot_step(h, &act), OTA_E_FLASH_POWER_CUT);
                    ota_hostflash_power_on(h);
                    CHECK_EQ(boot_step(h, &act), 0);
                    CHECK(holds(h, DEPLOY, old_data, DEPLOY_SZ) || holds_new(h));
                    CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
                    nested++;
                }
                ota_hostflash_restore(h, mid);
            }
            CHECK_EQ(boot_step(h, &act), 0);
            int old = holds(h, DEPLOY, old_data, DEPLOY_SZ), nw = holds_new(h);
            CHECK(old || nw);
            CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
            CHECK_EQ(current(h).max_upd_no, 5);
            olds += old;
            news += nw;
            restores += (act & OTA_DATA_ACT_RESTORED) != 0;
            /* the update can always be run again to completion */
            CHECK_EQ(update(h, STAGING, 0), 0);
            CHECK(holds_new(h));
            runs++;
        }
    CHECK(olds > 0 && news > 0 && restores > 0 && nested > 0);
    printf("power cuts: %d update cuts (%llu ops x 3 modes), %d restores at boot, %d cut restores; old %d, new %d\n",
           runs, (unsigned long long)ops, restores, nested, olds, news);
    ota_hostflash_close(h);
}

/* test-vectors/data-state: the C reader gets the same fields as the Python reference. */
static uint32_t expect_value(const char *text, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s=", key);
    const char *p = strstr(text, pat);
    if (!p) {
        printf("FAIL vector key %s missing\n", key);
        failures++;
        return 0xDEADBEEFu;
    }
    return (uint32_t)strtoul(p + strlen(pat), NULL, 0);
}

static void test_vectors(void)
{
    static const char *const names[] = { "data_writing_s1", "data_trial_s0", "data_torn", "data_reserved" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512], text[2048];
        static uint8_t bin[0x2000];
        snprintf(path, sizeof path, "%s/data-state/%s.bin", VECTORS_DIR, names[i]);
        FILE *fb = fopen(path, "rb");
        CHECK(fb != NULL);
        if (!fb) continue;
        CHECK_EQ(fread(bin, 1, sizeof bin, fb), sizeof bin);
        fclose(fb);
        snprintf(path, sizeof path, "%s/data-state/%s.expect", VECTORS_DIR, names[i]);
        FILE *fe = fopen(path, "r");
        CHECK(fe != NULL);
        if (!fe) continue;
        text[0] = '\n';
        size_t n = fread(text + 1, 1, sizeof text - 2, fe);
        text[n + 1] = 0;
        fclose(fe);
        int err;
        ota_hostflash_t *h = ota_hostflash_open(NULL, 0x20000, &err);
        CHECK_EQ(ota_flash_write(&h->flash, 0x1E000, bin, sizeof bin), 0);
        ota_state_store_t st;
        CHECK_EQ(ota_state_load(&st, &h->flash, 0x1E000), 0);
        CHECK_EQ(st.sector, expect_value(text, "sector"));
        CHECK_EQ(st.cur.seq, expect_value(text, "seq"));
        CHECK_EQ(st.cur.state, expect_value(text, "state"));
        CHECK_EQ(st.cur.data_state, expect_value(text, "data_state"));
        CHECK_EQ(st.cur.data_target, expect_value(text, "data_target"));
        CHECK_EQ(st.cur.data_backup_addr, expect_value(text, "data_backup_addr"));
        CHECK_EQ(st.cur.data_backup_len, expect_value(text, "data_backup_len"));
        CHECK_EQ(st.cur.data_backup_crc, expect_value(text, "data_backup_crc"));
        uint32_t trials = 0;
        CHECK_EQ(ota_state_trial_count(&st, &trials), 0);
        CHECK_EQ(trials, expect_value(text, "trial_boots"));
        /* a re-encode of a record without future fields gives the vector's bytes */
        if (strcmp(names[i], "data_reserved") != 0) {
            uint8_t rec[OTA_STATE_RECORD_SIZE];
            ota_state_encode(&st.cur, rec);
            CHECK(memcmp(rec, bin + (ota_state_record_addr(&st) - 0x1E000), sizeof rec) == 0);
        }
        ota_hostflash_close(h);
    }
}

/* Every flash op of a restore, in all three modes: the update was cut while writing the new
 * data; the boot's restore is cut at op j; the boot after that always ends with the old data. */
static void test_restore_cuts(void)
{
    ota_hostflash_t *h = fresh();
    ota_hostflash_reset_counters(h);
    CHECK_EQ(update(h, STAGING, 0), 0);
    uint64_t total = h->count.ops;
    ota_hostflash_close(h);
    h = fresh();
    ota_hostflash_reset_counters(h);
    ota_hostflash_set_power_cut(h, total - 10, OTA_CUT_TORN, 99); /* inside the new data */
    CHECK_EQ(update(h, STAGING, 0), OTA_E_FLASH_POWER_CUT);
    ota_hostflash_power_on(h);
    CHECK_EQ(current(h).data_state, OTA_DATA_STATE_WRITING);
    static uint8_t mid[F_SIZE];
    ota_hostflash_snapshot(h, mid);
    ota_hostflash_reset_counters(h);
    uint32_t act = 0;
    CHECK_EQ(boot_step(h, &act), 0);
    CHECK_EQ(act, OTA_DATA_ACT_RESTORED);
    uint64_t rops = h->count.ops;
    CHECK(rops > 8);
    int runs = 0;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t j = 1; j <= rops; j++) {
            ota_hostflash_restore(h, mid);
            ota_hostflash_reset_counters(h);
            ota_hostflash_set_power_cut(h, j, mode, (uint32_t)(j * 31u + (uint32_t)mode));
            CHECK_EQ(boot_step(h, &act), OTA_E_FLASH_POWER_CUT);
            ota_hostflash_power_on(h);
            CHECK_EQ(boot_step(h, &act), 0);
            CHECK(holds(h, DEPLOY, old_data, DEPLOY_SZ));
            CHECK_EQ(current(h).data_state, OTA_DATA_STATE_NONE);
            runs++;
        }
    printf("restore power cuts: %d (%llu ops x 3 modes)\n", runs, (unsigned long long)rops);
    ota_hostflash_close(h);
}

int main(void)
{
    pattern(old_data, DEPLOY_SZ, 1);
    pattern(new_data, DEPLOY_SZ, 2);
    test_vectors();
    layout(0);
    test_rules();
    test_scheme1_restore_confirm();
    test_bad_backup_and_scheme2();
    test_power_cuts();
    test_restore_cuts();
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
