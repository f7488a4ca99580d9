/* State record and partition table units: a state write cut at each of its flash ops (before,
 * after, torn) leaves the old or the new record current, never none; seq alternates sectors;
 * the trial counter never erases; bitmap copy on request; partition table layout rules. */
#include <stdio.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"
#include "ota_md5.h"

static void test_state_write_cuts(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_state_store_t st;
    ota_state_t s;
    CHECK_EQ(ota_state_load(&st, &h->flash, T_OTADATA), 0);
    CHECK_EQ(st.sector, -1);
    memset(&s, 0, sizeof s);
    s.state = OTA_STATE_CONFIRMED;
    s.max_upd_no = 7;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    CHECK_EQ(st.sector, 0);
    CHECK_EQ(s.seq, 1);
    s.state = OTA_STATE_DOWNLOADING;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    CHECK_EQ(st.sector, 1);
    CHECK_EQ(s.seq, 2);
    /* mark two download blocks durable by hand, then keep them across a write */
    uint8_t b = 0xFC;
    CHECK_EQ(ota_flash_program(&h->flash, T_OTADATA + 4096 + OTA_STATE_BITMAP_OFFSET, &b, 1), 0);

    static uint8_t base[T_FLASH_SIZE];
    ota_hostflash_snapshot(h, base);
    ota_hostflash_reset_counters(h);
    s.state = OTA_STATE_STAGED;
    CHECK_EQ(ota_state_write(&st, &s, 1), 0);
    uint64_t ops = h->count.ops;
    CHECK_EQ(ops, 4); /* erase, bitmap page, record, CRC */
    CHECK_EQ(h->count.sector_erases, 1);
    uint8_t bm;
    CHECK_EQ(ota_flash_read(&h->flash, T_OTADATA + OTA_STATE_BITMAP_OFFSET, &bm, 1), 0);
    CHECK_EQ(bm, 0xFC);

    int cuts = 0;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t k = 1; k <= ops; k++) {
            ota_hostflash_restore(h, base);
            ota_hostflash_power_on(h);
            ota_hostflash_reset_counters(h);
            ota_state_load(&st, &h->flash, T_OTADATA);
            ota_hostflash_set_power_cut(h, k, mode, (uint32_t)(k * 31 + (uint64_t)mode));
            ota_state_t next = st.cur;
            next.state = OTA_STATE_STAGED;
            CHECK_EQ(ota_state_write(&st, &next, 1), OTA_E_FLASH_POWER_CUT);
            ota_hostflash_power_on(h);
            ota_state_store_t after;
            CHECK_EQ(ota_state_load(&after, &h->flash, T_OTADATA), 0);
            int old = after.sector == 1 && after.cur.seq == 2 && after.cur.state == OTA_STATE_DOWNLOADING;
            int new = after.sector == 0 && after.cur.seq == 3 && after.cur.state == OTA_STATE_STAGED;
            CHECK(old || new);
            CHECK(new || k < ops || mode == OTA_CUT_BEFORE || mode == OTA_CUT_TORN);
            if (old) CHECK_EQ(after.cur.max_upd_no, 7);
            cuts++;
        }
    CHECK_EQ(cuts, 12);

    /* trial counter: bits only, no erase, in the current sector */
    ota_hostflash_restore(h, base);
    ota_hostflash_power_on(h);
    ota_state_load(&st, &h->flash, T_OTADATA);
    s = st.cur;
    s.state = OTA_STATE_TRIAL;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    ota_hostflash_reset_counters(h);
    uint32_t n = 0;
    for (int i = 1; i <= 10; i++) {
        CHECK_EQ(ota_state_add_trial_boot(&st, &n), 0);
        CHECK_EQ(n, (uint32_t)i);
    }
    CHECK_EQ(h->count.sector_erases, 0);
    CHECK_EQ(h->count.programs, 10);
    uint8_t tb[2];
    CHECK_EQ(ota_flash_read(&h->flash, T_OTADATA + OTA_STATE_TRIAL_OFFSET, tb, 2), 0);
    CHECK_EQ(tb[0], 0x00);
    CHECK_EQ(tb[1], 0xFC);
    /* a new record starts a fresh counter */
    s.state = OTA_STATE_CONFIRMED;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    CHECK_EQ(ota_state_trial_count(&st, &n), 0);
    CHECK_EQ(n, 0);
    /* state NONE is never written */
    s.state = OTA_STATE_NONE;
    CHECK_EQ(ota_state_write(&st, &s, 0), OTA_E_STATE_TRANSITION);
    ota_hostflash_close(h);
}

static void row(uint8_t *r, const char *label, uint8_t type, uint8_t sub, uint32_t off, uint32_t size)
{
    memset(r, 0, 32);
    r[0] = 0xAA; r[1] = 0x50; r[2] = type; r[3] = sub;
    for (int i = 0; i < 4; i++) { r[4 + i] = (uint8_t)(off >> (8 * i)); r[8 + i] = (uint8_t)(size >> (8 * i)); }
    strncpy((char *)r + 12, label, 16);
}

static void test_ptable(void)
{
    uint8_t t[OTA_PT_MAX_LEN];
    ota_ptable_t pt;
    ota_layout_t l;
    /* no factory app: the first app partition runs, staging is the one named app_ota */
    memset(t, 0xFF, sizeof t);
    row(t + 0, "otadata", 1, 0, 0xD000, 0x2000);
    row(t + 32, "main", 0, 0x10, 0x10000, 0x100000);
    row(t + 64, "app_ota", 0, 0x11, 0x110000, 0x100000);
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), 0);
    CHECK(!pt.has_md5);
    CHECK_EQ(ota_ptable_layout(&pt, &l), 0);
    CHECK(strcmp(l.app.label, "main") == 0);
    CHECK(strcmp(l.staging.label, "app_ota") == 0);
    CHECK_EQ(ota_ptable_check(&pt, 4u << 20), 0);
    /* MD5 row checked */
    uint8_t *m = t + 96;
    m[0] = 0xEB; m[1] = 0xEB;
    memset(m + 2, 0xFF, 14);
    ota_md5(t, 96, m + 16);
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), 0);
    CHECK(pt.has_md5);
    m[20] ^= 1;
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), OTA_E_PT_BINARY);
    m[20] ^= 1;
    /* an entry after the MD5 row, garbage rows, an unterminated table */
    row(t + 128, "late", 1, 2, 0x300000, 0x1000);
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), OTA_E_PT_BINARY);
    memset(t + 128, 0x12, 32);
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), OTA_E_PT_BINARY);
    memset(t + 128, 0xFF, 32);
    CHECK_EQ(ota_ptable_parse_binary(t, 128, &pt), OTA_E_PT_BINARY);
    /* layout: otadata of one sector, no staging, overlap, misaligned app, outside the flash */
    memset(t, 0xFF, sizeof t);
    row(t + 0, "otadata", 1, 0, 0xD000, 0x1000);
    row(t + 32, "app", 0, 0, 0x10000, 0x100000);
    row(t + 64, "app_ota", 0, 0x10, 0x110000, 0x100000);
    CHECK_EQ(ota_ptable_parse_binary(t, sizeof t, &pt), 0);
    CHECK_EQ(ota_ptable_layout(&pt, &l), OTA_E_PT_MISSING);
    row(t + 0, "otadata", 1, 0, 0xD000, 0x2000);
    row(t + 64, "spare", 1, 0x82, 0x110000, 0x100000);
    ota_ptable_parse_binary(t, sizeof t, &pt);
    CHECK_EQ(ota_ptable_layout(&pt, &l), OTA_E_PT_MISSING);
    row(t + 64, "app_ota", 0, 0x10, 0x100000, 0x100000);
    ota_ptable_parse_binary(t, sizeof t, &pt);
    CHECK_EQ(ota_ptable_check(&pt, 4u << 20), OTA_E_PT_OVERLAP);
    row(t + 64, "app_ota", 0, 0x10, 0x118000, 0x100000);
    ota_ptable_parse_binary(t, sizeof t, &pt);
    CHECK_EQ(ota_ptable_check(&pt, 4u << 20), OTA_E_PT_ALIGN);
    row(t + 64, "app_ota", 0, 0x10, 0x310000, 0x100000);
    ota_ptable_parse_binary(t, sizeof t, &pt);
    CHECK_EQ(ota_ptable_check(&pt, 4u << 20), OTA_E_PT_RANGE);
}

int main(void)
{
    test_state_write_cuts();
    test_ptable();
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
