/* Multi-image packages through the real boot flow (docs/design.md section 15): app (xz) + deploy
 * data image chained by `next`. Clean install; deploy_compat decides the deployment rollback;
 * power cuts (before / after / torn) sampled across the whole install: the app never boots
 * half-installed and the end result is always the new pair bit-exact; wrong-type chains and
 * targets are rejected, and a backup that does not fit is refused, before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_crc.h"
#include "ota_data_update.h"
#include "ota_err.h"
#include "ota_multi_image.h"

#define DEPLOY    0x2F0000u
#define DEPLOY_SZ 0x80000u

static uint8_t fw1[200000], fw2[200000], full1[200064], full2[200064];
static uint8_t old_dep[DEPLOY_SZ], new_dep[300000];
static uint8_t app_pkg[300000], data_img[300064], chain[1000000];
static size_t full1_len, full2_len, app_len, data_len;

/* Rewrites a full image's header into a data image for `addr`. */
static void make_data(uint8_t *img, uint32_t addr, uint32_t type)
{
    ota_img_header_t h;
    ota_image_decode(img, &h);
    h.img_attr = (h.img_attr & ~OTA_ATTR_TYPE_MASK) | type;
    h.img_addr = addr;
    ota_image_encode(&h, img);
}

/* app image + data image, next set in the first header (and deploy_compat when asked). */
static size_t make_chain(const uint8_t *a, size_t alen, const uint8_t *d, size_t dlen, uint32_t extra_flags)
{
    memcpy(chain, a, alen);
    memcpy(chain + alen, d, dlen);
    ota_img_header_t h;
    ota_image_decode(chain, &h);
    h.next = (uint32_t)alen;
    h.flags |= extra_flags;
    ota_image_encode(&h, chain);
    return alen + dlen;
}

static ota_hostflash_t *device(void)
{
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, full1, full1_len);
    CHECK_EQ(ota_flash_write(&h->flash, DEPLOY, old_dep, DEPLOY_SZ), 0);
    return h;
}

static int deploy_holds(ota_hostflash_t *h, const uint8_t *d, uint32_t n)
{
    int eq = 0;
    if (ota_flash_compare(&h->flash, DEPLOY, d, n, &eq) || !eq) return 0;
    if (n == DEPLOY_SZ) return 1;
    static uint8_t ff[DEPLOY_SZ];
    memset(ff, 0xFF, sizeof ff);
    return ota_flash_compare(&h->flash, DEPLOY + n, ff, DEPLOY_SZ - n, &eq) == 0 && eq; /* old tail erased */
}

static void test_clean_install_and_rollback(void)
{
    for (int compat = 0; compat < 2; compat++) {
        size_t n = make_chain(app_pkg, app_len, data_img, data_len, compat ? OTA_FLAG_DEPLOY_COMPAT : 0);
        ota_hostflash_t *h = device();
        t_stage(h, chain, n);
        ota_boot_report_t r;
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(r.boot);
        CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
        CHECK(t_app_holds(h, full2, full2_len));
        CHECK(deploy_holds(h, new_dep, sizeof new_dep));
        ota_state_store_t st = t_state(h);
        CHECK_EQ(st.cur.data_state, compat ? OTA_DATA_STATE_TRIAL : OTA_DATA_STATE_NONE);
        CHECK_EQ(st.cur.install_count, 1);
        /* the installed header is the app image alone (no chain fields) */
        ota_img_header_t ih;
        CHECK_EQ(ota_image_parse_header(st.cur.installed_header, 64, &ih), 0);
        CHECK_EQ(strcmp(ih.ver, "2.0.0"), 0);
        /* never confirmed: boots 2, 3 on trial, the 4th marks UNCONFIRMED */
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(deploy_holds(h, new_dep, sizeof new_dep));
        CHECK_EQ(t_boot(h, &r), 0);
        CHECK(r.actions & OTA_ACT_MARK_UNCONFIRMED);
        CHECK(r.boot);
        CHECK(t_app_holds(h, full2, full2_len));
        if (compat) { /* the new nanoCLR runs the old deployment: restored */
            CHECK(r.actions & OTA_ACT_DATA_ROLLBACK);
            CHECK(deploy_holds(h, old_dep, DEPLOY_SZ));
        } else { /* not declared compatible: the pair stays together */
            CHECK(!(r.actions & OTA_ACT_DATA_ROLLBACK));
            CHECK(deploy_holds(h, new_dep, sizeof new_dep));
        }
        CHECK_EQ(t_state(h).cur.data_state, OTA_DATA_STATE_NONE);
        ota_hostflash_close(h);
    }
}

static void test_power_cuts(void)
{
    size_t n = make_chain(app_pkg, app_len, data_img, data_len, OTA_FLAG_DEPLOY_COMPAT);
    ota_hostflash_t *h = device();
    t_stage(h, chain, n);
    static uint8_t base[T_FLASH_SIZE];
    ota_hostflash_snapshot(h, base);
    ota_hostflash_reset_counters(h);
    ota_boot_report_t r;
    CHECK_EQ(t_boot(h, &r), 0);
    uint64_t ops = h->count.ops;
    int runs = 0, stopped = 0;
    uint64_t step = ops / 40 + 1;
    for (int mode = 0; mode < 3; mode++)
        for (uint64_t k = 1 + (uint64_t)mode * 7; k <= ops; k += step) {
            ota_hostflash_restore(h, base);
            ota_hostflash_reset_counters(h);
            ota_hostflash_set_power_cut(h, k, mode, (uint32_t)(k * 13u + (uint32_t)mode));
            CHECK_EQ(t_boot(h, &r), OTA_E_FLASH_POWER_CUT);
            CHECK(!r.boot);
            ota_hostflash_power_on(h);
            int boots = 0;
            do {
                CHECK_EQ(t_boot(h, &r), 0);
                boots++;
            } while (!r.boot && boots < 3);
            CHECK(r.boot);
            CHECK(t_app_holds(h, full2, full2_len));
            CHECK(deploy_holds(h, new_dep, sizeof new_dep));
            ota_state_store_t st = t_state(h);
            CHECK_EQ(st.cur.state, OTA_STATE_TRIAL);
            CHECK_EQ(st.cur.data_state, OTA_DATA_STATE_TRIAL);
            CHECK_EQ(st.cur.data_backup_crc, ota_crc32(old_dep, DEPLOY_SZ)); /* the backup is the OLD deployment */
            stopped += r.state_before == OTA_STATE_INSTALLING;
            runs++;
        }
    CHECK(stopped > 0);
    printf("multi-image power cuts: %d runs over %llu ops (step %llu), %d resumed from INSTALLING\n", runs,
           (unsigned long long)ops, (unsigned long long)step, stopped);
    ota_hostflash_close(h);
}

static void expect_failed(const uint8_t *pkg, size_t n, int code)
{
    ota_hostflash_t *h = device();
    t_stage(h, pkg, n);
    ota_hostflash_reset_counters(h);
    ota_boot_report_t r;
    CHECK_EQ(t_boot(h, &r), code);
    CHECK(r.boot);
    CHECK_EQ(r.state_after, OTA_STATE_FAILED);
    CHECK_EQ(t_state(h).cur.last_error, code);
    CHECK_EQ(h->count.ops, 2); /* the FAILED record only: record bytes, CRC (a slot STAGED kept erased) */
    CHECK(t_app_holds(h, full1, full1_len));
    CHECK(deploy_holds(h, old_dep, DEPLOY_SZ));
    ota_hostflash_close(h);
}

static void test_rejections(void)
{
    static uint8_t img[300064];
    /* second image of app type */
    size_t n = make_chain(app_pkg, app_len, full2, full2_len, 0);
    expect_failed(chain, n, OTA_E_IMG_NEXT);
    /* data image aimed at otadata / at the app partition */
    memcpy(img, data_img, data_len);
    make_data(img, T_OTADATA, OTA_IMG_TYPE_DATA);
    n = make_chain(app_pkg, app_len, img, data_len, 0);
    expect_failed(chain, n, OTA_E_IMG_ADDR);
    memcpy(img, data_img, data_len);
    make_data(img, T_APP, OTA_IMG_TYPE_DATA);
    n = make_chain(app_pkg, app_len, img, data_len, 0);
    expect_failed(chain, n, OTA_E_IMG_ADDR);
    /* next not at the end of the first image */
    n = make_chain(app_pkg, app_len, data_img, data_len, 0);
    ota_img_header_t h;
    ota_image_decode(chain, &h);
    h.next += 4;
    ota_image_encode(&h, chain);
    expect_failed(chain, n, OTA_E_IMG_NEXT);
    /* deploy_compat outside a chain stays a reserved flag bit */
    memcpy(img, app_pkg, app_len);
    ota_image_decode(img, &h);
    h.flags |= OTA_FLAG_DEPLOY_COMPAT;
    ota_image_encode(&h, img);
    expect_failed(img, app_len, OTA_E_IMG_FLAGS);
    /* backup does not fit: an uncompressed 600 KiB app leaves < 512 KiB of staging */
    static uint8_t big_fw[600000], big[600064];
    size_t big_len = t_seeded_image(big, big_fw, sizeof big_fw, 77, "2.0.0", 2);
    n = make_chain(big, big_len, data_img, data_len, 0);
    expect_failed(chain, n, OTA_E_DATA_NO_BACKUP);
}

int main(void)
{
    t_firmware(fw1, sizeof fw1, 1);
    t_firmware(fw2, sizeof fw2, 2);
    full1_len = t_full_image(full1, fw1, sizeof fw1, "1.0.0", 1, 0, 0);
    full2_len = t_full_image(full2, fw2, sizeof fw2, "2.0.0", 2, 0, 0);
    app_len = t_xz_package(app_pkg, sizeof app_pkg, full2, full2_len, 6);
    t_firmware(old_dep, sizeof old_dep, 11);
    data_len = t_seeded_image(data_img, new_dep, sizeof new_dep, 12, "2.0.0", 2);
    make_data(data_img, DEPLOY, OTA_IMG_TYPE_DATA);
    test_clean_install_and_rollback();
    test_rejections();
    test_power_cuts();
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
