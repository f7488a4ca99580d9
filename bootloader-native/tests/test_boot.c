/* Boot flow scenarios (docs/design.md section 5) on the NOR simulator: fresh flash, install
 * (full and xz), trial boots -> UNCONFIRMED, confirm, corrupt package -> FAILED with the old app
 * intact, rollback, wrong address, same image twice (no erase), 64 KiB block erases,
 * erase_always, a damaged app. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"

#define FW_MAX (400 * 1024)
static uint8_t fw[FW_MAX], v1[FW_MAX + 64], v2[FW_MAX + 64], v3[FW_MAX + 64], pkg[FW_MAX + 4096];

static int has(const ota_boot_report_t *r, uint32_t act) { return (r->actions & act) != 0; }

static void test_fresh_flash(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    CHECK_EQ(t_boot(h, &r), OTA_E_INSTALL_NO_APP);
    CHECK_EQ(r.boot, 0);
    CHECK_EQ(r.state_before, OTA_STATE_NONE);
    CHECK_EQ(h->count.ops, 0); /* a boot with nothing to do never writes */
    ota_hostflash_close(h);
}

static void test_install_trial_unconfirmed_confirm(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t n1 = t_seeded_image(v1, fw, 150000, 1, "1.0.0", 1);
    size_t n2 = t_seeded_image(v2, fw, 150002, 2, "1.1.0", 2);
    t_flash_install_direct(h, v1, n1);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.boot, 1);
    CHECK(r.app_verified);
    CHECK(strcmp(r.image.ver, "1.0.0") == 0);
    CHECK_EQ(r.state_after, OTA_STATE_CONFIRMED);

    /* uncompressed package */
    t_stage(h, v2, n2);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_before, OTA_STATE_STAGED);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK(has(&r, OTA_ACT_VERIFY_STAGED) && has(&r, OTA_ACT_MARK_INSTALLING) && has(&r, OTA_ACT_INSTALL));
    CHECK(has(&r, OTA_ACT_VERIFY_INSTALLED) && has(&r, OTA_ACT_MARK_TRIAL) && has(&r, OTA_ACT_BOOT));
    CHECK_EQ(r.verify_mode, OTA_VERIFY_FULL);
    CHECK(strcmp(r.image.ver, "1.1.0") == 0);
    CHECK(t_app_holds(h, v2, n2));
    CHECK_EQ(r.trial_boots, 1);
    CHECK_EQ(r.install_attempts, 1);
    CHECK_EQ(t_state(h).cur.max_upd_no, 2);
    CHECK_EQ(t_state(h).cur.install_count, 1);

    /* trial boots 2 and 3 keep TRIAL; the 4th marks UNCONFIRMED and still boots */
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.trial_boots, 2);
    uint64_t erases = h->count.sector_erases;
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.trial_boots, 3);
    CHECK_EQ(h->count.sector_erases, erases); /* a trial boot costs no erase */
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_UNCONFIRMED);
    CHECK(has(&r, OTA_ACT_MARK_UNCONFIRMED));
    CHECK_EQ(r.boot, 1);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_UNCONFIRMED);
    CHECK(!has(&r, OTA_ACT_TRIAL_BOOT));

    /* confirm path: a TRIAL image the app confirms boots without trial accounting */
    size_t n3 = t_seeded_image(v3, fw, 90000, 3, "1.2.0", 3);
    size_t np = t_xz_package(pkg, sizeof pkg, v3, n3, 6);
    t_stage(h, pkg, np);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK(t_app_holds(h, v3, n3));
    t_write_state(h, OTA_STATE_CONFIRMED); /* what OtaCore Confirm() does */
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_CONFIRMED);
    CHECK_EQ(r.actions, OTA_ACT_CHECK_APP | OTA_ACT_BOOT);
    CHECK(strcmp(r.image.ver, "1.2.0") == 0);
    ota_hostflash_close(h);
}

static void test_rejections(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t n1 = t_seeded_image(v1, fw, 100000, 4, "2.0.0", 10);
    t_flash_install_direct(h, v1, n1);
    size_t n2 = t_seeded_image(v2, fw, 100000, 5, "2.1.0", 11);
    size_t np = t_xz_package(pkg, sizeof pkg, v2, n2, 6);

    /* staging damaged after the download: FAILED, old app untouched and booting */
    t_stage(h, pkg, np);
    uint8_t bad = 0x00;
    CHECK_EQ(ota_flash_program(&h->flash, T_STAGING + 64 + 1000, &bad, 1), 0);
    uint32_t app_erases0 = h->erase_counts[T_APP / 4096];
    CHECK_EQ(t_boot(h, &r), OTA_E_IMG_BODY_CRC);
    CHECK_EQ(r.boot, 1);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);
    CHECK(has(&r, OTA_ACT_MARK_FAILED));
    CHECK_EQ(t_state(h).cur.last_error, OTA_E_IMG_BODY_CRC);
    CHECK(t_app_holds(h, v1, n1));
    CHECK_EQ(h->erase_counts[T_APP / 4096], app_erases0);
    CHECK(strcmp(r.image.ver, "2.0.0") == 0);
    CHECK_EQ(t_boot(h, &r), 0); /* FAILED stays FAILED, boots the old app */
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);

    /* anti-rollback: upd_no below the counter is refused unless skip_upgrade_check */
    size_t n3 = t_full_image(v3, fw, 100000, "1.9.0", 9, 0, 0);
    t_stage(h, v3, n3);
    CHECK_EQ(t_boot(h, &r), OTA_E_INSTALL_ROLLBACK);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);
    CHECK(t_app_holds(h, v1, n1));
    n3 = t_full_image(v3, fw, 100000, "1.9.0", 9, 0, OTA_FLAG_SKIP_UPGRADE);
    t_stage(h, v3, n3);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK(t_app_holds(h, v3, n3));
    CHECK_EQ(t_state(h).cur.max_upd_no, 10); /* the counter never goes down */

    /* wrong target address */
    size_t n4 = t_full_image(v2, fw, 1000, "3.0.0", 20, 0, 0);
    ota_img_header_t hd;
    ota_image_decode(v2, &hd);
    hd.img_addr = 0x30000;
    ota_image_encode(&hd, v2);
    t_stage(h, v2, n4);
    CHECK_EQ(t_boot(h, &r), OTA_E_IMG_ADDR);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);

    /* a package whose inner image's CRC is wrong is caught before the app is touched (its
     * matches are 1000 bytes back: inside the RAM window, so the pass checks every byte) */
    for (size_t i = 0; i < 30000; i++) fw[i] = (uint8_t)((i % 1000) * 2654435761u >> 13);
    n4 = t_full_image(v2, fw, 30000, "3.0.0", 20, 0, 0);
    v2[64 + 500] ^= 1;
    np = t_xz_package(pkg, sizeof pkg, v2, n4, 0);
    uint64_t app_erases = h->erase_counts[T_APP / 4096];
    t_stage(h, pkg, np);
    CHECK_EQ(t_boot(h, &r), OTA_E_IMG_INNER);
    CHECK_EQ(r.inner_error, OTA_E_IMG_BODY_CRC);
    CHECK_EQ(r.verify_mode, 0);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);
    CHECK_EQ(h->erase_counts[T_APP / 4096], app_erases);
    CHECK_EQ(r.boot, 1);

    /* the app itself damaged: nothing to boot */
    t_write_state(h, OTA_STATE_CONFIRMED);
    uint8_t z = 0;
    CHECK_EQ(ota_flash_program(&h->flash, T_APP + 5000, &z, 1), 0);
    CHECK_EQ(t_boot(h, &r), OTA_E_INSTALL_NO_APP);
    CHECK_EQ(r.boot, 0);
    ota_hostflash_close(h);
}

static void test_flash_work(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t n1 = t_seeded_image(v1, fw, 300000, 7, "4.0.0", 1);
    size_t n2 = t_seeded_image(v2, fw, 300000, 8, "4.1.0", 2);
    t_flash_install_direct(h, v1, n1);
    size_t np = t_xz_package(pkg, sizeof pkg, v2, n2, 6);

    /* a changed 300 KB image: 4 whole 64 KiB blocks as block erases, the rest per sector */
    t_stage(h, pkg, np);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK(t_app_holds(h, v2, n2));
    CHECK_EQ(r.install.block_erases, 4);
    CHECK_EQ(r.install.sector_erases, (300000 + 4095) / 4096 - 64);
    CHECK_EQ(r.install.sectors_skipped, 0);
    CHECK_EQ(r.install.bytes_written, n2 - 64);

    /* the same image again: every sector compares equal, no erase, no program in app */
    t_stage(h, pkg, np);
    ota_hostflash_reset_counters(h);
    uint32_t app_erases = h->erase_counts[T_APP / 4096];
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.install.sector_erases + r.install.block_erases, 0);
    CHECK_EQ(r.install.pages_programmed, 0);
    CHECK_EQ(r.install.sectors_skipped, (300000 + 4095) / 4096);
    CHECK_EQ(h->erase_counts[T_APP / 4096], app_erases);
    CHECK_EQ(h->count.sector_erases, 0); /* INSTALLING and TRIAL go into slots STAGED kept erased */
    CHECK_EQ(h->count.programs, 5);      /* their record bytes and CRCs, the first trial-boot bit */

    /* erase_always forces the rewrite */
    n2 = t_full_image(v2, fw, 300000, "4.1.0", 2, OTA_ATTR_ERASE_ALWAYS, 0);
    t_stage(h, v2, n2);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.install.sectors_skipped, 0);
    CHECK_EQ(r.install.block_erases, 4);
    CHECK(t_app_holds(h, v2, n2));
    ota_hostflash_close(h);
}

/* LZMA matches 100 KB back, beyond the 32 KiB RAM window: the verification pass can only check
 * the inner header, and the install reads the history back from the app flash it wrote. */
static void test_far_matches(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    uint32_t x = 99;
    for (size_t i = 0; i < 100000; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        fw[i] = (uint8_t)x;
    }
    memcpy(fw + 100000, fw, 100000);
    memcpy(fw + 200000, fw, 100000);
    size_t n1 = t_full_image(v1, fw, 300000, "5.0.0", 1, 0, 0);
    size_t np = t_xz_package(pkg, sizeof pkg, v1, n1, 6);
    CHECK(np < 150000); /* the repeats were found: the stream needs the far history */
    t_stage(h, pkg, np);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.verify_mode, OTA_VERIFY_HEADER);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK(t_app_holds(h, v1, n1));
    /* the same with a wrong inner CRC: only the install can see it; the partly trusted app is
     * never booted and the next boot stops the same way */
    v1[64 + 150000] ^= 0x40;
    np = t_xz_package(pkg, sizeof pkg, v1, n1, 6);
    t_stage(h, pkg, np);
    for (int boot = 0; boot < 2; boot++) {
        CHECK_EQ(t_boot(h, &r), OTA_E_IMG_INNER);
        CHECK_EQ(r.inner_error, OTA_E_IMG_BODY_CRC);
        CHECK_EQ(r.boot, 0);
        CHECK_EQ(r.state_after, OTA_STATE_INSTALLING);
    }
    ota_hostflash_close(h);
}

/* INSTALLING with a staging area that went bad: report, never boot the partial app, and keep
 * the state so a repaired flash could still finish. */
static void test_installing_bad_staging(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t n1 = t_seeded_image(v1, fw, 50000, 11, "6.0.0", 1);
    t_flash_install_direct(h, v1, n1);
    size_t n2 = t_seeded_image(v2, fw, 50000, 12, "6.1.0", 2);
    t_stage(h, v2, n2);
    t_write_state(h, OTA_STATE_INSTALLING); /* as if a cut hit the install */
    uint8_t z = 0;
    CHECK_EQ(ota_flash_program(&h->flash, T_STAGING + 64 + 7, &z, 1), 0);
    CHECK_EQ(t_boot(h, &r), OTA_E_IMG_BODY_CRC);
    CHECK_EQ(r.boot, 0);
    CHECK_EQ(r.app_error, OTA_E_INSTALL_NO_APP);
    CHECK_EQ(r.state_after, OTA_STATE_INSTALLING);
    CHECK(!has(&r, OTA_ACT_MARK_FAILED));
    ota_hostflash_close(h);
}

static void test_versions(void)
{
    CHECK(ota_version_compare("1.2.10", "1.2.9") > 0);
    CHECK(ota_version_compare("1.2.9", "1.2.10") < 0);
    CHECK_EQ(ota_version_compare("1.2", "1.2.0"), 0);
    CHECK_EQ(ota_version_compare("01.2", "1.2"), 0);
    CHECK(ota_version_compare("1.2.0-rc1", "1.2.0-rc2") < 0);
    CHECK(ota_version_compare("1.3", "1.2.99") > 0);
    CHECK(ota_version_compare("1.2.a", "1.2.9") > 0); /* ordinal: 'a' > '9' */
    CHECK(ota_version_compare("2", "10") < 0);
}

/* img_type 2: the body goes to the data partition at img_addr; the app and its header stay. */
static void test_data_image(void)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t n1 = t_seeded_image(v1, fw, 40000, 21, "7.0.0", 1);
    t_flash_install_direct(h, v1, n1);
    size_t n2 = t_seeded_image(v2, fw, 20000, 22, "7.0.1", 2);
    ota_img_header_t hd;
    ota_image_decode(v2, &hd);
    hd.img_attr = (hd.img_attr & ~OTA_ATTR_TYPE_MASK) | OTA_IMG_TYPE_DATA;
    hd.img_addr = 0x2F0000; /* deploy */
    ota_image_encode(&hd, v2);
    size_t np = t_xz_package(pkg, sizeof pkg, v2, n2, 6);
    t_stage(h, pkg, np);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    int equal = 0;
    CHECK_EQ(ota_flash_compare(&h->flash, 0x2F0000, v2 + 64, (uint32_t)(n2 - 64), &equal), 0);
    CHECK(equal);
    CHECK(t_app_holds(h, v1, n1));
    CHECK(strcmp(r.image.ver, "7.0.0") == 0); /* the app that runs is still the old one */
    /* a data image aimed at otadata is refused */
    hd.img_addr = T_OTADATA;
    ota_image_encode(&hd, v2);
    t_stage(h, v2, n2);
    CHECK_EQ(t_boot(h, &r), OTA_E_IMG_ADDR);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);
    ota_hostflash_close(h);
}

int main(void)
{
    test_data_image();
    test_versions();
    test_installing_bad_staging();
    test_far_matches();
    test_fresh_flash();
    test_install_trial_unconfirmed_confirm();
    test_rejections();
    test_flash_work();
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
