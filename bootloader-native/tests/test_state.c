/* State record log and partition table units: records fill the 4 slots of a sector without an
 * erase, then the other sector is erased; STAGED keeps 2 erased slots for the install boot; a
 * state write cut at each of its flash ops (before, after, torn), inside a sector and at the
 * sector switch, leaves the old or the new record current, never none, and the next write still
 * succeeds; the old one-record-per-sector layout reads the same; the trial counter never erases;
 * bitmap copy on request; partition table layout rules. */
#include <stdio.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"
#include "ota_md5.h"

static ota_state_t with_state(const ota_state_store_t *st, uint32_t state)
{
    ota_state_t s = st->cur;
    s.state = state;
    return s;
}

/* Writes `state` and checks where it landed and how many sector erases it cost. */
static void write_at(ota_hostflash_t *h, ota_state_store_t *st, uint32_t state, int sector, int slot, int erases)
{
    ota_state_t s = with_state(st, state);
    uint32_t seq = st->sector < 0 ? 1 : st->cur.seq + 1;
    ota_hostflash_reset_counters(h);
    CHECK_EQ(ota_state_write(st, &s, 0), 0);
    CHECK_EQ(s.seq, seq);
    CHECK_EQ(st->sector, sector);
    CHECK_EQ(st->slot, slot);
    CHECK_EQ(h->count.sector_erases, erases);
    ota_state_store_t back;
    CHECK_EQ(ota_state_load(&back, &h->flash, T_OTADATA), 0);
    CHECK_EQ(back.sector, sector);
    CHECK_EQ(back.slot, slot);
    CHECK_EQ(back.cur.seq, seq);
    CHECK_EQ(back.cur.state, state);
}

static void test_slot_rule(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_state_store_t st;
    CHECK_EQ(ota_state_load(&st, &h->flash, T_OTADATA), 0);
    CHECK_EQ(st.sector, -1);
    CHECK_EQ(st.slot, -1);
    /* first record: sector 0 slot 0, blank otadata needs no erase; then slots 1..3, no erase */
    write_at(h, &st, OTA_STATE_CONFIRMED, 0, 0, 0);
    write_at(h, &st, OTA_STATE_DOWNLOADING, 0, 1, 0);
    write_at(h, &st, OTA_STATE_DOWNLOADING, 0, 2, 0);
    write_at(h, &st, OTA_STATE_CONFIRMED, 0, 3, 0);
    /* sector full: erase sector 1, slot 0 (sector 0's records stay, older) */
    write_at(h, &st, OTA_STATE_DOWNLOADING, 1, 0, 1);
    /* STAGED in slot 1 leaves slots 2, 3 erased: allowed */
    write_at(h, &st, OTA_STATE_STAGED, 1, 1, 0);
    write_at(h, &st, OTA_STATE_INSTALLING, 1, 2, 0);
    write_at(h, &st, OTA_STATE_TRIAL, 1, 3, 0);
    write_at(h, &st, OTA_STATE_CONFIRMED, 0, 0, 1);
    write_at(h, &st, OTA_STATE_DOWNLOADING, 0, 1, 0);
    /* STAGED in slot 2 would leave one erased slot: a fresh sector instead */
    write_at(h, &st, OTA_STATE_STAGED, 1, 0, 1);
    write_at(h, &st, OTA_STATE_INSTALLING, 1, 1, 0);
    write_at(h, &st, OTA_STATE_TRIAL, 1, 2, 0);
    /* a slot with one programmed byte (an earlier torn write) is passed over */
    uint8_t z = 0x7F;
    CHECK_EQ(ota_flash_program(&h->flash, T_OTADATA + 0x1000 + 3 * 0x400 + 0x3FF, &z, 1), 0);
    write_at(h, &st, OTA_STATE_CONFIRMED, 0, 0, 1);
    /* the first record over a non-blank sector 0 (garbage, no valid record) erases it */
    ota_hostflash_close(h);
    h = t_flash_new();
    CHECK_EQ(ota_flash_program(&h->flash, T_OTADATA + 0xF00, &z, 1), 0);
    CHECK_EQ(ota_state_load(&st, &h->flash, T_OTADATA), 0);
    write_at(h, &st, OTA_STATE_CONFIRMED, 0, 0, 1);
    ota_hostflash_close(h);
}

/* Records only at slot 0 of each sector (the old layout) read the same and the log continues in
 * slot 1 of the current sector. */
static void test_old_layout(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_state_t s;
    uint8_t rec[OTA_STATE_RECORD_SIZE];
    memset(&s, 0, sizeof s);
    s.seq = 6;
    s.state = OTA_STATE_CONFIRMED;
    s.max_upd_no = 4;
    ota_state_encode(&s, rec);
    CHECK_EQ(ota_flash_write(&h->flash, T_OTADATA, rec, sizeof rec), 0);
    s.seq = 7;
    s.state = OTA_STATE_TRIAL;
    ota_state_encode(&s, rec);
    CHECK_EQ(ota_flash_write(&h->flash, T_OTADATA + 0x1000, rec, sizeof rec), 0);
    uint8_t t = 0xFE; /* one trial boot counted */
    CHECK_EQ(ota_flash_program(&h->flash, T_OTADATA + 0x1000 + OTA_STATE_TRIAL_OFFSET, &t, 1), 0);
    ota_state_store_t st;
    CHECK_EQ(ota_state_load(&st, &h->flash, T_OTADATA), 0);
    CHECK_EQ(st.sector, 1);
    CHECK_EQ(st.slot, 0);
    CHECK_EQ(st.cur.seq, 7);
    CHECK_EQ(st.cur.state, OTA_STATE_TRIAL);
    uint32_t n;
    CHECK_EQ(ota_state_trial_count(&st, &n), 0);
    CHECK_EQ(n, 1);
    write_at(h, &st, OTA_STATE_CONFIRMED, 1, 1, 0);
    ota_hostflash_close(h);
}

/* Cuts a write of `state` (with bitmap copy) from the otadata in `base` at each of its flash ops
 * in all three modes; the old (old_seq) or the new record must be current, the next write must
 * succeed and become current. Returns the number of cuts. */
static int cut_sweep(ota_hostflash_t *h, const uint8_t *base, uint32_t state, uint64_t want_ops,
                     int new_sector, int new_slot)
{
    ota_state_store_t st;
    ota_hostflash_restore(h, base);
    ota_state_load(&st, &h->flash, T_OTADATA);
    int old_sector = st.sector, old_slot = st.slot;
    uint32_t old_seq = st.cur.seq, old_state = st.cur.state;
    ota_state_t next = with_state(&st, state);
    ota_hostflash_reset_counters(h);
    CHECK_EQ(ota_state_write(&st, &next, 1), 0);
    uint64_t ops = h->count.ops;
    CHECK_EQ(ops, want_ops);
    CHECK_EQ(st.sector, new_sector);
    CHECK_EQ(st.slot, new_slot);
    int cuts = 0;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t k = 1; k <= ops; k++) {
            ota_hostflash_restore(h, base);
            ota_hostflash_reset_counters(h);
            ota_state_load(&st, &h->flash, T_OTADATA);
            ota_hostflash_set_power_cut(h, k, mode, (uint32_t)(k * 31 + (uint64_t)mode));
            next = with_state(&st, state);
            CHECK_EQ(ota_state_write(&st, &next, 1), OTA_E_FLASH_POWER_CUT);
            ota_hostflash_power_on(h);
            ota_state_store_t after;
            CHECK_EQ(ota_state_load(&after, &h->flash, T_OTADATA), 0);
            int old = after.sector == old_sector && after.slot == old_slot && after.cur.seq == old_seq &&
                      after.cur.state == old_state;
            int new = after.sector == new_sector && after.slot == new_slot && after.cur.seq == old_seq + 1 &&
                      after.cur.state == state;
            CHECK(old || new);
            CHECK(new || k < ops || mode == OTA_CUT_BEFORE || mode == OTA_CUT_TORN);
            /* the download bitmap survives the cut (kept in the old slot or copied to the new) */
            uint8_t bm;
            CHECK_EQ(ota_flash_read(&h->flash, ota_state_record_addr(&after) + OTA_STATE_BITMAP_OFFSET, &bm, 1), 0);
            CHECK_EQ(bm, 0xFC);
            /* the log goes on: the next write lands past any torn slot and becomes current */
            int was_sector = after.sector, was_slot = after.slot;
            ota_state_t again = with_state(&after, OTA_STATE_CONFIRMED);
            CHECK_EQ(ota_state_write(&after, &again, 0), 0);
            ota_state_store_t last;
            CHECK_EQ(ota_state_load(&last, &h->flash, T_OTADATA), 0);
            CHECK_EQ(last.cur.seq, again.seq);
            CHECK_EQ(last.cur.state, OTA_STATE_CONFIRMED);
            CHECK(last.sector != was_sector || last.slot != was_slot);
            cuts++;
        }
    return cuts;
}

static void test_state_write_cuts(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_state_store_t st;
    ota_state_t s;
    CHECK_EQ(ota_state_load(&st, &h->flash, T_OTADATA), 0);
    memset(&s, 0, sizeof s);
    s.state = OTA_STATE_CONFIRMED;
    s.max_upd_no = 7;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    s.state = OTA_STATE_DOWNLOADING;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    CHECK_EQ(st.sector, 0);
    CHECK_EQ(st.slot, 1);
    /* mark two download blocks durable by hand, then keep them across a write */
    uint8_t b = 0xFC;
    CHECK_EQ(ota_flash_program(&h->flash, ota_state_record_addr(&st) + OTA_STATE_BITMAP_OFFSET, &b, 1), 0);
    static uint8_t base[T_FLASH_SIZE];
    ota_hostflash_snapshot(h, base);

    int cuts = 0;
    /* inside the sector: bitmap page, record, CRC into slot 2, no erase */
    cuts += cut_sweep(h, base, OTA_STATE_DOWNLOADING, 3, 0, 2);
    /* STAGED would leave one erased slot: sector switch = erase, bitmap page, record, CRC */
    cuts += cut_sweep(h, base, OTA_STATE_STAGED, 4, 1, 0);
    /* the last slot of a sector, and the switch when the sector is full */
    ota_hostflash_restore(h, base);
    ota_state_load(&st, &h->flash, T_OTADATA);
    s = with_state(&st, OTA_STATE_DOWNLOADING);
    CHECK_EQ(ota_state_write(&st, &s, 1), 0);
    static uint8_t base2[T_FLASH_SIZE];
    ota_hostflash_snapshot(h, base2);
    cuts += cut_sweep(h, base2, OTA_STATE_DOWNLOADING, 3, 0, 3);
    ota_hostflash_restore(h, base2);
    ota_state_load(&st, &h->flash, T_OTADATA);
    s = with_state(&st, OTA_STATE_DOWNLOADING);
    CHECK_EQ(ota_state_write(&st, &s, 1), 0);
    ota_hostflash_snapshot(h, base2);
    cuts += cut_sweep(h, base2, OTA_STATE_DOWNLOADING, 4, 1, 0);
    CHECK_EQ(cuts, 3 * (3 + 4 + 3 + 4));

    /* trial counter: bits only, no erase, in the current slot */
    ota_hostflash_restore(h, base);
    ota_state_load(&st, &h->flash, T_OTADATA);
    s = with_state(&st, OTA_STATE_TRIAL);
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
    CHECK_EQ(ota_flash_read(&h->flash, ota_state_record_addr(&st) + OTA_STATE_TRIAL_OFFSET, tb, 2), 0);
    CHECK_EQ(tb[0], 0x00);
    CHECK_EQ(tb[1], 0xFC);
    /* a new record starts a fresh counter */
    s = with_state(&st, OTA_STATE_CONFIRMED);
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    CHECK_EQ(ota_state_trial_count(&st, &n), 0);
    CHECK_EQ(n, 0);
    /* state NONE is never written */
    s.state = OTA_STATE_NONE;
    CHECK_EQ(ota_state_write(&st, &s, 0), OTA_E_STATE_TRANSITION);
    ota_hostflash_close(h);
}

/* Consecutive update cycles as the device runs them (DOWNLOADING, STAGED by the engine;
 * INSTALLING, TRIAL by the install boot; CONFIRMED by the app): the install boot's writes never
 * erase, and the log erases at most 2 sectors per cycle (today's layout: 5). */
static void test_update_cycles(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, T_OTADATA);
    ota_state_t s;
    memset(&s, 0, sizeof s);
    s.state = OTA_STATE_CONFIRMED;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
    uint64_t total = 0;
    static const uint32_t steps[] = { OTA_STATE_DOWNLOADING, OTA_STATE_STAGED, OTA_STATE_INSTALLING,
                                      OTA_STATE_TRIAL, OTA_STATE_CONFIRMED };
    for (int c = 0; c < 40; c++) {
        uint64_t cycle = 0;
        for (int i = 0; i < 5; i++) {
            ota_hostflash_reset_counters(h);
            s = with_state(&st, steps[i]);
            CHECK_EQ(ota_state_write(&st, &s, 0), 0);
            if (steps[i] == OTA_STATE_INSTALLING || steps[i] == OTA_STATE_TRIAL) CHECK_EQ(h->count.sector_erases, 0);
            cycle += h->count.sector_erases;
        }
        CHECK(cycle <= 2);
        total += cycle;
    }
    CHECK(total <= 40 * 2);
    CHECK(total >= 40); /* 5 commits per cycle in 4-slot sectors: at least one erase each */
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
    test_slot_rule();
    test_old_layout();
    test_state_write_cuts();
    test_update_cycles();
    test_ptable();
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
