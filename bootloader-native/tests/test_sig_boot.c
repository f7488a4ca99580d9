/* Hostile packages against the bootloader in signed mode (test-vectors/signing/boot, made by
 * generate.py). For each: a fresh default-layout flash runs boot/old.img (1.0.0, upd_no 5,
 * CONFIRMED), the package is staged, one boot runs with test_pub.pem as the only trusted key.
 * A package with error=E must be rejected with exactly E, state FAILED (last_error E), the old
 * firmware untouched and booting; error=0 must install (TRIAL, signed flag, counter raised).
 * Then: signed mode ignores skip_integrity_check (a corrupted app is not booted), and unsigned
 * mode still accepts unsigned packages. mbedTLS runs on the arena the installer lends over its
 * decoder memory (tests/arena_malloc.c routes the process allocator there), which must have
 * served every bignum within OTA_INSTALL_SIG_HEAP_SIZE.
 *   test_sig_boot DIR --expect-nomem   (a build whose arena is too small: every signed package
 *                                       is E808 SIG_NOMEM and the old firmware keeps booting) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena_malloc.h"
#include "boot_testlib.h"
#include "ota_err.h"
#include "ota_sig.h"
#include "test_file.h"

int t_failures;
static const char *dir;
static ota_install_work_t work;

static uint8_t *load(const char *name, size_t *len)
{
    uint8_t *b = t_read_file(dir, name, len);
    if (!b) { printf("FAIL cannot open %s/%s\n", dir, name); t_failures++; }
    return b;
}

static int expected_error(const char *name)
{
    char file[300];
    snprintf(file, sizeof file, "boot/%s.expect", name);
    size_t n;
    char *t = (char *)load(file, &n);
    const char *e = t ? strstr(t, "error=") : NULL;
    int v = e ? atoi(e + 6) : -1;
    free(t);
    return v;
}

static int boot(ota_hostflash_t *h, const ota_sig_keyring_t *ring, ota_boot_report_t *r)
{
    work.keys = ring;
    return ota_boot_run(&h->flash, NULL, &work, r);
}

static void run_vector_want(const char *name, int want, const ota_sig_keyring_t *ring, const uint8_t *old, size_t old_len)
{
    char file[300];
    snprintf(file, sizeof file, "boot/%s.img", name);
    size_t n;
    uint8_t *pkg = load(file, &n);
    if (!pkg) return;
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, old, old_len);
    t_stage(h, pkg, n);
    ota_boot_report_t r;
    boot(h, ring, &r);
    ota_state_store_t st = t_state(h);
    int fails = t_failures;
    CHECK_EQ(r.error, want);
    CHECK_EQ(r.boot, 1);
    if (want) {
        CHECK_EQ(st.cur.state, OTA_STATE_FAILED);
        CHECK_EQ(st.cur.last_error, want);
        CHECK(t_app_holds(h, old, old_len));
        CHECK_EQ(st.cur.max_upd_no, 5);
        CHECK(!(st.cur.flags & OTA_STATE_FLAG_SIGNED));
        CHECK_EQ(r.install.sectors_written, 0);
    } else {
        /* far matches: the decoded image is bound to the block only while it is installed */
        /* (the default 4 KiB window: every xz vector has matches beyond it) */
        CHECK_EQ(r.verify_mode, strcmp(name, "ok_xz_far") == 0 ||
                                    (OTA_INSTALL_WINDOW_SIZE < 32768u && strstr(name, "xz") != NULL)
                                    ? OTA_VERIFY_HEADER : OTA_VERIFY_FULL);
        CHECK_EQ(st.cur.state, OTA_STATE_TRIAL);
        CHECK(st.cur.flags & OTA_STATE_FLAG_SIGNED);
        CHECK(!t_app_holds(h, old, old_len));
        ota_img_header_t ih;
        CHECK_EQ(ota_image_parse_header(st.cur.installed_header, OTA_IMG_HEADER_SIZE, &ih), 0);
        CHECK(st.cur.max_upd_no >= 5 && st.cur.max_upd_no == (ih.upd_no > 5 ? ih.upd_no : 5));
        /* the next boot checks the installed app and runs it */
        boot(h, ring, &r);
        CHECK_EQ(r.error, 0);
        CHECK_EQ(r.boot, 1);
        CHECK(r.app_verified);
    }
    if (t_failures != fails) printf("  ^ vector %s (want %d, got %d)\n", name, want, r.error);
    ota_hostflash_close(h);
    free(pkg);
}

static void run_vector(const char *name, const ota_sig_keyring_t *ring, const uint8_t *old, size_t old_len)
{
    run_vector_want(name, expected_error(name), ring, old, old_len);
}

/* skip_integrity_check is honoured without keys and ignored with them. */
static void skip_integrity(const ota_sig_keyring_t *ring, const uint8_t *old, size_t old_len)
{
    size_t n;
    uint8_t *pkg = load("boot/skip_flags.img", &n);
    for (int signed_mode = 0; signed_mode < 2 && pkg; signed_mode++) {
        const ota_sig_keyring_t none = { NULL, 0 };
        const ota_sig_keyring_t *k = signed_mode ? ring : &none;
        ota_hostflash_t *h = t_flash_new();
        t_flash_install_direct(h, old, old_len);
        t_stage(h, pkg, n);
        ota_boot_report_t r;
        CHECK_EQ(boot(h, k, &r), 0);
        CHECK_EQ(t_state(h).cur.state, OTA_STATE_TRIAL);
        uint8_t zero[4] = { 0, 0, 0, 0 };
        CHECK_EQ(ota_flash_write(&h->flash, T_APP + 100, zero, 4), 0); /* the app goes bad */
        boot(h, k, &r);
        CHECK_EQ(r.boot, signed_mode ? 0 : 1);
        if (signed_mode) CHECK_EQ(r.app_error, OTA_E_INSTALL_NO_APP);
        ota_hostflash_close(h);
    }
    free(pkg);
}

/* Power cuts anywhere in a signed install (every op of the boot, torn in every third): boots
 * until the state settles; the signed image ends up installed and verified, never a half one. */
static int power_cuts(const ota_sig_keyring_t *ring, const uint8_t *old, size_t old_len)
{
    size_t n;
    uint8_t *pkg = load("boot/ok_xz.img", &n);
    if (!pkg) return 0;
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, old, old_len);
    t_stage(h, pkg, n);
    uint64_t start = h->count.ops;
    ota_boot_report_t r;
    CHECK_EQ(boot(h, ring, &r), 0);
    uint64_t total = h->count.ops - start;
    ota_hostflash_close(h);
    CHECK(total > 3);
    int cuts = 0;
    for (uint64_t op = 1; op <= total; op++) {
        h = t_flash_new();
        t_flash_install_direct(h, old, old_len);
        t_stage(h, pkg, n);
        ota_hostflash_set_power_cut(h, h->count.ops + op, op % 3 == 0 ? OTA_CUT_TORN : OTA_CUT_BEFORE, (uint32_t)op);
        boot(h, ring, &r);
        cuts += h->power_lost != 0;
        int boots = 0;
        do {
            ota_hostflash_power_on(h);
            boot(h, ring, &r);
        } while (t_state(h).cur.state != OTA_STATE_TRIAL && ++boots < 4);
        ota_state_store_t st = t_state(h);
        int fails = t_failures;
        CHECK_EQ(st.cur.state, OTA_STATE_TRIAL);
        CHECK(st.cur.flags & OTA_STATE_FLAG_SIGNED);
        CHECK_EQ(r.error, 0);
        CHECK_EQ(r.boot, 1);
        if (t_failures != fails) printf("  ^ power cut at op %llu of %llu\n", (unsigned long long)op, (unsigned long long)total);
        ota_hostflash_close(h);
    }
    CHECK_EQ(cuts, (int)total);
    free(pkg);
    return cuts;
}

/* Without trusted keys (unsigned mode) an unsigned package installs as before, and a downgrade
 * with skip_upgrade_check is the publisher's deliberate choice. */
static void unsigned_mode(const uint8_t *old, size_t old_len)
{
    const ota_sig_keyring_t none = { NULL, 0 };
    size_t n;
    uint8_t *pkg = load("boot/unsigned.img", &n);
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, old, old_len);
    t_stage(h, pkg, n);
    ota_boot_report_t r;
    CHECK_EQ(boot(h, &none, &r), 0);
    CHECK_EQ(t_state(h).cur.state, OTA_STATE_TRIAL);
    CHECK(!(t_state(h).cur.flags & OTA_STATE_FLAG_SIGNED));
    ota_hostflash_close(h);
    free(pkg);
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : "test-vectors/signing";
    size_t n, old_len;
    char *pem = (char *)load("test_pub.pem", &n);
    ota_sig_key_t key;
    CHECK_EQ(ota_sig_key_from_pem(&key, pem, n), 0);
    free(pem);
    ota_sig_keyring_t ring = { &key, 1 };
    uint8_t *old = load("boot/old.img", &old_len);

    if (argc > 2 && strcmp(argv[2], "--expect-nomem") == 0) {
        run_vector_want("ok_full", OTA_E_SIG_NOMEM, &ring, old, old_len);
        run_vector_want("ok_xz", OTA_E_SIG_NOMEM, &ring, old, old_len);
        CHECK(arena_malloc_stats.failures >= 2);
        CHECK(arena_malloc_stats.high_water <= OTA_INSTALL_SIG_HEAP_SIZE);
        free(old);
        printf("arena of %u bytes too small: E808 twice, old firmware kept, %s\n",
               (unsigned)OTA_INSTALL_SIG_HEAP_SIZE, t_failures ? "FAIL" : "ok");
        return t_failures != 0;
    }
    char bootdir[1024];
    snprintf(bootdir, sizeof bootdir, "%s/boot", dir);
    DIR *d = opendir(bootdir);
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 7 && strcmp(e->d_name + l - 7, ".expect") == 0) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(l - 7), e->d_name);
            run_vector(name, &ring, old, old_len);
            count++;
        }
    }
    if (d) closedir(d);
    CHECK(count >= 20);
    /* every signature check allocated on the lent arena, and it was always large enough */
    CHECK(arena_malloc_stats.allocs > 1000);
    CHECK_EQ(arena_malloc_stats.failures, 0);
    CHECK(arena_malloc_stats.high_water > 0 && arena_malloc_stats.high_water <= OTA_INSTALL_SIG_HEAP_SIZE);
    skip_integrity(&ring, old, old_len);
    int cuts = power_cuts(&ring, old, old_len);
    unsigned_mode(old, old_len);
    free(old);
    printf("%d boot vectors, %d power cuts in a signed install, mbedTLS on the arena: %zu allocations, "
           "peak %zu of %u bytes, %s\n", count, cuts, arena_malloc_stats.allocs, arena_malloc_stats.high_water,
           (unsigned)OTA_INSTALL_SIG_HEAP_SIZE, t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
