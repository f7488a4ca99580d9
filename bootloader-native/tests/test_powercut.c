/* Power cut at every flash operation of a full install, for several image sizes (one not a
 * sector multiple), uncompressed and xz packages, cut before / after / torn. After each cut
 * the device boots again (some cases with a further random cut) until it boots; the result
 * must be the new image bit-exact in state TRIAL, no boot may ever report running an app
 * that is not exactly the old or the new image, and no sector is erased more than once per boot.
 *   test_powercut [--sizes N,N,...] [--stride S]   (CI: defaults; make bench: bigger sizes) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"

#define MAX_FW (1200 * 1024)
static uint8_t fw[MAX_FW], oldimg[MAX_FW + 64], newimg[MAX_FW + 64], pkg[MAX_FW + 8192];
static uint8_t *base;
static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

struct tally { long cuts, boots, max_boots; };

/* A boot that says the app runs must find exactly the old or the new image there. */
static void check_running(ota_hostflash_t *h, const ota_boot_report_t *r, size_t nold, size_t nnew)
{
    if (!r->boot) return;
    int ok_new = t_app_holds(h, newimg, nnew) && r->image_known && strcmp(r->image.ver, "9.0.1") == 0;
    int ok_old = t_app_holds(h, oldimg, nold) && r->image_known && strcmp(r->image.ver, "9.0.0") == 0;
    if (!ok_new && !ok_old) {
        printf("FAIL a boot reported running an app that is neither image (state %s)\n", ota_state_name(r->state_after));
        t_failures++;
    }
}

static int run_case(size_t fw_len, int compressed, int mode, long stride, struct tally *t)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t nold = t_seeded_image(oldimg, fw, fw_len, 100, "9.0.0", 1);
    t_firmware(fw, fw_len, 200);
    for (size_t i = 0; i < fw_len; i += 8192) fw[i] ^= 0x5A; /* mostly new, some equal runs */
    size_t nnew = t_full_image(newimg, fw, fw_len, "9.0.1", 2, 0, 0);
    size_t npkg = compressed ? t_xz_package(pkg, sizeof pkg, newimg, nnew, 6) : (memcpy(pkg, newimg, nnew), nnew);
    t_flash_install_direct(h, oldimg, nold);
    t_stage(h, pkg, npkg);
    ota_hostflash_snapshot(h, base);

    /* dry run: how many flash ops one uninterrupted install takes */
    ota_hostflash_reset_counters(h);
    CHECK_EQ(t_boot(h, &r), 0);
    CHECK_EQ(r.state_after, OTA_STATE_TRIAL);
    CHECK(t_app_holds(h, newimg, nnew));
    uint64_t ops = h->count.ops;
    int fails_before = t_failures;

    for (uint64_t k = 1; k <= ops; k += (uint64_t)stride) {
        ota_hostflash_restore(h, base);
        ota_hostflash_reset_counters(h);
        ota_hostflash_set_power_cut(h, k, mode, (uint32_t)k * 7919u + 1);
        static uint32_t erases_before[T_FLASH_SIZE / 4096];
        memcpy(erases_before, h->erase_counts, sizeof erases_before);
        int rc = t_boot(h, &r);
        t->cuts++;
        t->boots++;
        if (rc != OTA_E_FLASH_POWER_CUT) {
            printf("FAIL cut at op %llu/%llu: boot returned %d\n", (unsigned long long)k, (unsigned long long)ops, rc);
            t_failures++;
        }
        check_running(h, &r, nold, nnew);
        /* boot again until the app runs; every 4th case takes a further random cut */
        int boots = 1, extra_cut = (k % 4 == 0);
        for (;;) {
            ota_hostflash_power_on(h);
            if (extra_cut) {
                ota_hostflash_set_power_cut(h, h->count.ops + 1 + rnd() % (ops + 1), (int)(rnd() % 3), rnd());
                extra_cut = 0;
            }
            rc = t_boot(h, &r);
            boots++;
            t->boots++;
            check_running(h, &r, nold, nnew);
            if (r.state_after == OTA_STATE_FAILED) {
                printf("FAIL cut at op %llu: package rejected after a cut (E%d)\n", (unsigned long long)k, r.error);
                t_failures++;
                break;
            }
            if (r.boot && rc == 0) break;
            if (rc != OTA_E_FLASH_POWER_CUT) {
                printf("FAIL cut at op %llu: boot %d returned %d without running an app\n", (unsigned long long)k, boots, rc);
                t_failures++;
                break;
            }
            if (boots > 10) {
                printf("FAIL cut at op %llu: no app after 10 boots\n", (unsigned long long)k);
                t_failures++;
                break;
            }
        }
        if (boots > t->max_boots) t->max_boots = boots;
        /* wear: no sector (app or otadata) is erased more than once per boot */
        for (uint32_t sec = 0; sec < T_FLASH_SIZE / 4096; sec++)
            if (h->erase_counts[sec] - erases_before[sec] > (uint32_t)boots) {
                printf("FAIL cut at op %llu: sector 0x%X erased %u times in %d boots\n", (unsigned long long)k,
                       sec * 4096, h->erase_counts[sec] - erases_before[sec], boots);
                t_failures++;
                break;
            }
        ota_state_store_t st = t_state(h);
        if (st.cur.state != OTA_STATE_TRIAL || !t_app_holds(h, newimg, nnew) ||
            memcmp(st.cur.installed_header, newimg, 64) != 0) {
            printf("FAIL cut at op %llu (%s, %zu bytes, mode %d): state %s, app %s\n", (unsigned long long)k,
                   compressed ? "xz" : "full", fw_len, mode, ota_state_name(st.cur.state),
                   t_app_holds(h, newimg, nnew) ? "new" : "not the new image");
            t_failures++;
        }
        if (t_failures - fails_before > 5) break; /* enough detail */
    }
    ota_hostflash_close(h);
    return (int)ops;
}

/* Cuts at every op of the two other writing boots: a rejected package (FAILED) and the 4th
 * trial boot (UNCONFIRMED). The old app must keep running and the transition must complete. */
static void run_small_sweeps(struct tally *t)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t nold = t_seeded_image(oldimg, fw, 30000, 300, "9.0.0", 1);
    size_t nnew = t_seeded_image(newimg, fw, 30000, 301, "9.0.1", 2);
    t_flash_install_direct(h, oldimg, nold);
    memcpy(pkg, newimg, nnew);
    pkg[64 + 100] ^= 0x01; /* body CRC no longer matches */
    t_stage(h, pkg, nnew);
    for (int phase = 0; phase < 2; phase++) {
        if (phase == 1) {
            /* a good package installed and booted 3 times: the next boot writes UNCONFIRMED */
            ota_hostflash_restore(h, base);
            t_stage(h, newimg, nnew);
            for (int i = 0; i < 3; i++) t_boot(h, &r);
            CHECK_EQ(r.trial_boots, 3);
        }
        ota_hostflash_snapshot(h, base);
        ota_hostflash_reset_counters(h);
        t_boot(h, &r);
        uint64_t ops = h->count.ops;
        uint32_t want = phase ? OTA_STATE_UNCONFIRMED : OTA_STATE_FAILED;
        CHECK_EQ(r.state_after, want);
        for (int mode = 0; mode < 3; mode++)
            for (uint64_t k = 1; k <= ops; k++) {
                ota_hostflash_restore(h, base);
                ota_hostflash_reset_counters(h);
                ota_hostflash_set_power_cut(h, k, mode, (uint32_t)k + 17u);
                t_boot(h, &r);
                check_running(h, &r, nold, nnew);
                ota_hostflash_power_on(h);
                t_boot(h, &r);
                t->cuts++;
                t->boots += 2;
                check_running(h, &r, nold, nnew);
                if (!r.boot || t_state(h).cur.state != want || (phase == 0 && t_state(h).cur.last_error != OTA_E_IMG_BODY_CRC)) {
                    printf("FAIL %s sweep, cut %llu mode %d: state %s, boot %d\n", phase ? "unconfirmed" : "rejected",
                           (unsigned long long)k, mode, ota_state_name(t_state(h).cur.state), r.boot);
                    t_failures++;
                }
            }
        printf("%s: %llu flash ops, cut before/after/torn at each\n",
               phase ? "4th trial boot (UNCONFIRMED)" : "rejected package (FAILED)", (unsigned long long)ops);
    }
    ota_hostflash_close(h);
}

int main(int argc, char **argv)
{
    size_t sizes[8] = { 12288, 70001, 100000 };
    int nsizes = 3;
    long stride = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--stride") == 0) stride = atol(argv[i + 1]);
        if (strcmp(argv[i], "--sizes") == 0) {
            nsizes = 0;
            for (char *s = strtok(argv[i + 1], ","); s && nsizes < 8; s = strtok(NULL, ",")) {
                size_t v = (size_t)atol(s);
                sizes[nsizes++] = v > MAX_FW ? MAX_FW : v;
            }
        }
    }
    if (stride < 1) stride = 1;
    base = malloc(T_FLASH_SIZE);
    static const char *const modes[] = { "before", "after", "torn" };
    struct tally total = { 0, 0, 0 };
    for (int s = 0; s < nsizes; s++)
        for (int c = 0; c < 2; c++)
            for (int m = 0; m < 3; m++) {
                struct tally t = { 0, 0, 0 };
                int ops = run_case(sizes[s], c, m, stride, &t);
                printf("size %zu %s cut-%s: %d flash ops per install, %ld cut points, %ld boots, max %ld boots to recover\n",
                       sizes[s], c ? "xz" : "full", modes[m], ops, t.cuts, t.boots, t.max_boots);
                total.cuts += t.cuts;
                total.boots += t.boots;
                if (t.max_boots > total.max_boots) total.max_boots = t.max_boots;
            }
    run_small_sweeps(&total);
    printf("power-cut cut points: %ld (boots %ld, max %ld boots to recover), failures %d\n",
           total.cuts, total.boots, total.max_boots, t_failures);
    free(base);
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
