#define _POSIX_C_SOURCE 200809L
/* The NOR flash simulator and the HAL wrappers: NOR rules, alignment, page crossing, erase,
 * fault injection (cut before/after/torn), counters, and the file-backed libotahost API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ota_err.h"
#include "ota_flash.h"
#include "ota_flash_timing.h"
#include "ota_hostflash.h"
#include "otahost.h"
#include "ota_sha256.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
    if (_a != _b) { printf("FAIL %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #a, _a, _b); failures++; } } while (0)

static int all_ff(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) if (p[i] != 0xFF) return 0;
    return 1;
}

static void test_nor_rules(void)
{
    int err;
    ota_hostflash_t *h = ota_hostflash_open(NULL, 0x20000, &err);
    CHECK(h != NULL);
    const ota_flash_t *f = &h->flash;
    uint8_t buf[512], rd[512];
    CHECK_EQ(ota_flash_read(f, 0, rd, 512), OTA_OK);
    CHECK(all_ff(rd, 512));
    memset(buf, 0x5A, sizeof buf);
    CHECK_EQ(ota_flash_program(f, 0x100, buf, 256), OTA_OK);
    CHECK_EQ(ota_flash_program(f, 0x180, buf, 256), OTA_E_FLASH_ALIGN); /* crosses a page */
    CHECK_EQ(ota_flash_write(f, 0x1180, buf, 300), OTA_OK);              /* split into pages */
    CHECK_EQ(h->count.programs, 1 + 2);
    CHECK_EQ(ota_flash_read(f, 0x1180, rd, 300), OTA_OK);
    CHECK(memcmp(rd, buf, 300) == 0);
    /* clearing more bits is allowed, setting a 0 back to 1 is not and changes nothing */
    uint8_t b = 0x50;
    CHECK_EQ(ota_flash_program(f, 0x100, &b, 1), OTA_OK);
    b = 0xFF;
    CHECK_EQ(ota_flash_program(f, 0x100, &b, 1), OTA_E_FLASH_NOR);
    CHECK_EQ(ota_flash_read(f, 0x100, rd, 2), OTA_OK);
    CHECK_EQ(rd[0], 0x50); CHECK_EQ(rd[1], 0x5A);
    CHECK_EQ(ota_flash_read(f, 0x1FF00, rd, 0x200), OTA_E_FLASH_RANGE);
    CHECK_EQ(ota_flash_erase_sector(f, 0x800), OTA_E_FLASH_ALIGN);
    CHECK_EQ(ota_flash_erase_block(f, 0x1000), OTA_E_FLASH_ALIGN);
    CHECK_EQ(ota_flash_erase_sector(f, 0x20000), OTA_E_FLASH_RANGE);
    CHECK_EQ(ota_flash_erase_sector(f, 0), OTA_OK);
    CHECK_EQ(ota_flash_read(f, 0, rd, 512), OTA_OK);
    CHECK(all_ff(rd, 512));
    CHECK_EQ(ota_flash_read(f, 0x1180, rd, 4), OTA_OK);
    CHECK_EQ(rd[0], 0x5A); /* another sector: untouched */
    /* range erase: 0x10000..0x20000 is one block, 0x1000 one sector */
    ota_hostflash_reset_counters(h);
    CHECK_EQ(ota_flash_erase_range(f, 0xF000, 0x11000), OTA_OK);
    CHECK_EQ(h->count.block_erases, 1);
    CHECK_EQ(h->count.sector_erases, 1);
    CHECK_EQ(h->erase_counts[0x10], 1);
    CHECK_EQ(h->erase_counts[0x1F], 1);
    CHECK_EQ(h->erase_counts[0x0E], 0);
    CHECK_EQ(h->count.modelled_us, 150000 + 45000);
    /* write alignment when the port asks for it */
    h->flash.write_align = 16;
    CHECK_EQ(ota_flash_program(f, 0x2004, buf, 16), OTA_E_FLASH_ALIGN);
    CHECK_EQ(ota_flash_program(f, 0x2000, buf, 12), OTA_E_FLASH_ALIGN);
    CHECK_EQ(ota_flash_program(f, 0x2010, buf, 32), OTA_OK);
    ota_hostflash_close(h);
}

static void test_power_cuts(void)
{
    int err;
    ota_hostflash_t *h = ota_hostflash_open(NULL, 0x20000, &err);
    const ota_flash_t *f = &h->flash;
    uint8_t zero[256], rd[4096];
    memset(zero, 0, sizeof zero);

    /* before: op 2 does not happen, everything after fails until power comes back */
    ota_hostflash_set_power_cut(h, 2, OTA_CUT_BEFORE, 1);
    CHECK_EQ(ota_flash_program(f, 0, zero, 16), OTA_OK);
    CHECK_EQ(ota_flash_program(f, 256, zero, 16), OTA_E_FLASH_POWER_CUT);
    CHECK_EQ(ota_flash_read(f, 0, rd, 16), OTA_E_FLASH_POWER_CUT);
    CHECK_EQ(ota_flash_erase_sector(f, 0), OTA_E_FLASH_POWER_CUT);
    ota_hostflash_power_on(h);
    CHECK_EQ(ota_flash_read(f, 256, rd, 16), OTA_OK);
    CHECK(all_ff(rd, 16));
    CHECK_EQ(h->count.ops, 2);

    /* after: op happens, then power is lost */
    ota_hostflash_set_power_cut(h, 3, OTA_CUT_AFTER, 1);
    CHECK_EQ(ota_flash_program(f, 512, zero, 16), OTA_E_FLASH_POWER_CUT);
    ota_hostflash_power_on(h);
    CHECK_EQ(ota_flash_read(f, 512, rd, 16), OTA_OK);
    CHECK_EQ(rd[0], 0); CHECK_EQ(rd[15], 0);

    /* torn program: only intended bits cleared, not all of them */
    int partial = 0;
    for (uint32_t seed = 1; seed <= 20; seed++) {
        CHECK_EQ(ota_flash_erase_sector(f, 0x3000), OTA_OK);
        ota_hostflash_set_power_cut(h, h->count.ops + 1, OTA_CUT_TORN, seed);
        uint8_t pat[256];
        for (int i = 0; i < 256; i++) pat[i] = (uint8_t)(i * 7);
        CHECK_EQ(ota_flash_program(f, 0x3000, pat, 256), OTA_E_FLASH_POWER_CUT);
        ota_hostflash_power_on(h);
        CHECK_EQ(ota_flash_read(f, 0x3000, rd, 256), OTA_OK);
        int exact = 1;
        for (int i = 0; i < 256; i++) {
            CHECK((rd[i] & pat[i]) == pat[i]); /* never clears a bit it was not asked to */
            if (rd[i] != pat[i]) exact = 0;
        }
        if (!exact) partial++;
    }
    CHECK(partial > 10);

    /* torn erase: a prefix erased, the rest old data with some bits set */
    memset(zero, 0, sizeof zero);
    int torn_seen = 0;
    for (uint32_t seed = 1; seed <= 10; seed++) {
        for (uint32_t a = 0x4000; a < 0x5000; a += 256) CHECK_EQ(ota_flash_program(f, a, zero, 256), OTA_OK);
        ota_hostflash_set_power_cut(h, h->count.ops + 1, OTA_CUT_TORN, seed);
        CHECK_EQ(ota_flash_erase_sector(f, 0x4000), OTA_E_FLASH_POWER_CUT);
        ota_hostflash_power_on(h);
        CHECK_EQ(ota_flash_read(f, 0x4000, rd, 4096), OTA_OK);
        if (!all_ff(rd, 4096)) torn_seen++;
        CHECK_EQ(ota_flash_erase_sector(f, 0x4000), OTA_OK);
    }
    CHECK(torn_seen >= 9);
    ota_hostflash_close(h);
}

static void test_otahost_file(void)
{
    char path[] = "/tmp/test_flash_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd); /* empty file: created erased */
    otahost_flash_t *f = otahost_flash_open(path, 0x40000);
    CHECK(f != NULL);
    CHECK_EQ(otahost_flash_size(f), 0x40000);
    uint8_t data[256], rd[256];
    for (int i = 0; i < 256; i++) data[i] = (uint8_t)(255 - i);
    CHECK_EQ(otahost_flash_program(f, 0x10000, data, 256), OTA_OK);
    CHECK_EQ(otahost_flash_program(f, 0x10001, data, 256), OTA_E_FLASH_ALIGN);
    CHECK_EQ(otahost_flash_program(f, 0x10001, data, 1), OTA_E_FLASH_NOR); /* 0xFE -> 0xFF */
    CHECK_EQ(otahost_flash_erase(f, 0x20000, 0x10000), OTA_OK);
    CHECK_EQ(otahost_flash_erase(f, 0x20000, 0x800), OTA_E_FLASH_ALIGN);
    CHECK_EQ(otahost_flash_erase_count(f, 0x2F000), 1);
    CHECK_EQ(otahost_flash_op_count(f), 2);
    otahost_flash_stats_t st;
    CHECK_EQ(otahost_flash_set_timing(f, 1000, 5000, 10, 1000), OTA_OK);
    CHECK_EQ(otahost_flash_erase(f, 0x30000, 0x1000), OTA_OK);
    CHECK_EQ(otahost_flash_stats(f, &st), OTA_OK);
    CHECK_EQ(st.ops, 3);
    CHECK_EQ(st.programs, 1);
    CHECK_EQ(st.sector_erases, 1);
    CHECK_EQ(st.block_erases, 1);
    CHECK_EQ(st.bytes_programmed, 256);
    CHECK_EQ(st.modelled_us, 600 + 150000 + 1000);
    CHECK_EQ(st.erase_us, 150000 + 1000);
    CHECK_EQ(st.program_us, 600);
    CHECK_EQ(st.read_us, 0);
    CHECK_EQ(otahost_flash_write_us(f, 0x20000, 0x10000), 150000);
    CHECK_EQ(otahost_flash_write_us(f, 0x10000, 0x1000), 600);
    CHECK_EQ(otahost_flash_set_power_cut(f, 4, 0, 0), OTA_OK);
    CHECK_EQ(otahost_flash_erase(f, 0x10000, 0x1000), OTA_E_FLASH_POWER_CUT);
    CHECK_EQ(otahost_flash_read(f, 0x10000, rd, 4), OTA_E_FLASH_POWER_CUT);
    CHECK_EQ(otahost_flash_power_on(f), OTA_OK);
    CHECK_EQ(otahost_flash_read(f, 0x10000, rd, 4), OTA_OK); /* the cut erase did not happen */
    CHECK_EQ(rd[0], data[0]);
    otahost_flash_close(f);
    /* the file keeps the data; a reopen restores power; a wrong size is refused */
    CHECK(otahost_flash_open(path, 0x80000) == NULL);
    f = otahost_flash_open(path, 0x40000);
    CHECK(f != NULL);
    CHECK_EQ(otahost_flash_read(f, 0x10000, rd, 256), OTA_OK);
    CHECK(memcmp(rd, data, 256) == 0);
    CHECK_EQ(otahost_flash_op_count(f), 0);
    otahost_flash_close(f);
    unlink(path);

    uint8_t md[32];
    CHECK_EQ(otahost_sha256((const uint8_t *)"abc", 3, md), OTA_OK);
    CHECK_EQ(md[0], 0xBA); CHECK_EQ(md[1], 0x78); CHECK_EQ(md[31], 0xAD);
}

/* Per-kind modelled time and the per-sector erase + program time (the install split). */
static void test_timing_split(void)
{
    int err;
    ota_hostflash_t *h = ota_hostflash_open(NULL, 0x40000, &err);
    CHECK(h != NULL);
    const ota_flash_t *f = &h->flash;
    /* a block time not divisible by 16: the per-sector shares still add up exactly */
    h->timing = (ota_flash_timing_t){ 1000, 10007, 30, 2 };
    uint8_t page[256], rd[1000];
    memset(page, 0x5A, sizeof page);
    CHECK_EQ(ota_flash_erase_range(f, 0x10000, 0x10000), OTA_OK);   /* one block */
    CHECK_EQ(ota_flash_erase_range(f, 0x21000, 0x2000), OTA_OK);    /* two sectors */
    CHECK_EQ(ota_flash_program(f, 0x10000, page, 256), OTA_OK);
    CHECK_EQ(ota_flash_program(f, 0x10100, page, 256), OTA_OK);
    CHECK_EQ(ota_flash_program(f, 0x22000, page, 100), OTA_OK);
    CHECK_EQ(ota_flash_read(f, 0x10000, rd, 1000), OTA_OK);          /* 1000 B at 2 B/ms */
    CHECK_EQ(h->count.erase_us, 10007 + 2 * 1000);
    CHECK_EQ(h->count.program_us, 3 * 30);
    CHECK_EQ(h->count.read_us, 500000);
    CHECK_EQ(h->count.modelled_us, h->count.erase_us + h->count.program_us + h->count.read_us);
    CHECK_EQ(ota_hostflash_write_us(h, 0x10000, 0x10000), 10007 + 2 * 30);
    CHECK_EQ(ota_hostflash_write_us(h, 0x20000, 0x20000), 2 * 1000 + 30);
    CHECK_EQ(ota_hostflash_write_us(h, 0, 0x40000), h->count.erase_us + h->count.program_us);
    CHECK_EQ(ota_hostflash_write_us(h, 0x10800, 0x100), 10007 / 16 + 10007 % 16 + 2 * 30); /* first sector */
    CHECK_EQ(ota_hostflash_write_us(h, 0x11000, 0x1000), 10007 / 16);
    CHECK_EQ(ota_hostflash_write_us(h, 0x30000, 0x20000), 0);        /* clipped at the end */
    ota_hostflash_close(h);
}

static void test_timing_spec(void)
{
    ota_flash_timing_t t, esp;
    ota_flash_timing_esp32(&esp);
    CHECK_EQ(esp.sector_erase_us, 45000);
    CHECK_EQ(esp.block_erase_us, 150000);
    CHECK_EQ(esp.page_program_us, 600);
    CHECK_EQ(esp.read_bytes_per_ms, 10000);
    CHECK_EQ(ota_flash_timing_parse("erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s", &t), OTA_OK);
    CHECK(memcmp(&t, &esp, sizeof t) == 0);
    CHECK_EQ(ota_flash_timing_parse("off", &t), OTA_OK);
    CHECK_EQ(t.sector_erase_us + t.block_erase_us + t.page_program_us + t.read_bytes_per_ms, 0);
    CHECK_EQ(ota_flash_timing_parse("esp32", &t), OTA_OK);
    CHECK(memcmp(&t, &esp, sizeof t) == 0);
    /* a subset keeps the other defaults; us, ms, s, MB/s, KB/s, kB/s */
    CHECK_EQ(ota_flash_timing_parse("program=250us,erase4k=0.05s", &t), OTA_OK);
    CHECK_EQ(t.page_program_us, 250);
    CHECK_EQ(t.sector_erase_us, 50000);
    CHECK_EQ(t.block_erase_us, 150000);
    CHECK_EQ(t.read_bytes_per_ms, 10000);
    CHECK_EQ(ota_flash_timing_parse("read=1KB/s", &t), OTA_OK);
    CHECK_EQ(t.read_bytes_per_ms, 1);
    CHECK_EQ(ota_flash_timing_parse("read=2.5MB/s,erase64k=0ms", &t), OTA_OK);
    CHECK_EQ(t.read_bytes_per_ms, 2500);
    CHECK_EQ(t.block_erase_us, 0);
    CHECK_EQ(ota_flash_timing_parse("read=40kB/s", &t), OTA_OK);
    CHECK_EQ(t.read_bytes_per_ms, 40);
    /* errors leave *t untouched */
    static const char *const bad[] = {
        "", "ESP32", "fast", "erase4k", "erase4k=", "erase4k=45", "erase4k=45 ms", "erase4k=45ms,",
        ",erase4k=45ms", "erase4k=45ms,erase4k=40ms", "erase4k=0.0001ms", "erase4k=-1ms",
        "erase4k=1.ms", "erase4k=.5ms", "erase4k=5000s", "program=0.0000001s", "read=0MB/s",
        "read=0.5KB/s", "read=10MB", "read=10ms", "program=10MB/s", "off,read=1MB/s", "esp32,program=1ms",
        "erase128k=1s",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = esp;
        t.page_program_us = 7;
        int rc = ota_flash_timing_parse(bad[i], &t);
        if (rc != OTA_E_USAGE) printf("FAIL spec '%s' accepted\n", bad[i]);
        CHECK_EQ(rc, OTA_E_USAGE);
        CHECK_EQ(t.page_program_us, 7);
    }
    CHECK_EQ(ota_flash_timing_parse(NULL, &t), OTA_E_USAGE);
    /* the libotahost export */
    otahost_flash_timing_t ot;
    CHECK_EQ(otahost_flash_timing_parse("erase64k=0.15s,read=20MB/s", &ot), OTA_OK);
    CHECK_EQ(ot.block_erase_us, 150000);
    CHECK_EQ(ot.read_bytes_per_ms, 20000);
    CHECK_EQ(ot.sector_erase_us, 45000);
    CHECK_EQ(otahost_flash_timing_parse("bogus", &ot), OTA_E_USAGE);
}

int main(void)
{
    test_timing_split();
    test_timing_spec();
    test_nor_rules();
    test_power_cuts();
    test_otahost_file();
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
