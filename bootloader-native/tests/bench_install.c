/* make bench: flash work and RAM of one install (not a test; prints Markdown).
 *   bench_install FIRMWARE...
 * For each firmware file: install over a different image (full and xz package), reinstall the
 * same image, and a small patch; flash ops/erases/programs and the timing model's install time
 * against the flash's physical limit for the same change (erase only differing sectors with
 * the cheapest erase units, program their non-0xFF pages, no reads). Then the RAM of an install:
 * static structs, stack high-water (painted thread stack) and heap (none: see bench script).
 *   bench_install --cycles N FIRMWARE...
 * N consecutive update cycles per firmware, alternating between the rebuilt and the original
 * image: DOWNLOADING and STAGED written as the device engine writes them (STAGED by the record
 * log's install reserve), the install boot (measured), CONFIRMED by the app. One Markdown row
 * per firmware: install boot time mean / max against the physical limit, its reads, and the
 * otadata erases of the install boots and of whole cycles. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"

#define MAX_FW (1700 * 1024)
static uint8_t fw[MAX_FW], oldimg[MAX_FW + 64], newimg[MAX_FW + 64], pkg[MAX_FW + 65536], pkg2[MAX_FW + 65536];

static size_t load(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

/* Physical limit of turning old app content into new (timing model of the host flash). */
static double limit_ms(const ota_flash_timing_t *t, const uint8_t *oldb, size_t oldn, const uint8_t *newb, size_t newn)
{
    size_t sectors = (newn + 4095) / 4096;
    double us = 0;
    for (size_t b = 0; b < sectors; b += 16) {
        int differing = 0;
        for (size_t s = b; s < b + 16 && s < sectors; s++) {
            uint8_t a[4096], n[4096];
            memset(a, 0xFF, sizeof a);
            memset(n, 0xFF, sizeof n);
            if (s * 4096 < oldn) memcpy(a, oldb + s * 4096, oldn - s * 4096 < 4096 ? oldn - s * 4096 : 4096);
            memcpy(n, newb + s * 4096, newn - s * 4096 < 4096 ? newn - s * 4096 : 4096);
            if (memcmp(a, n, 4096) == 0) continue;
            differing++;
            for (int p = 0; p < 16; p++) {
                int ff = 1;
                for (int i = 0; i < 256 && ff; i++) ff = n[p * 256 + i] == 0xFF;
                if (!ff) us += t->page_program_us;
            }
        }
        double per_sector = (double)differing * t->sector_erase_us;
        int whole = b + 16 <= sectors;
        us += whole && t->block_erase_us < per_sector ? t->block_erase_us : per_sector;
    }
    return us / 1000.0;
}

static void row(const char *name, const char *scenario, size_t pkg_len, ota_hostflash_t *h,
                const ota_boot_report_t *r, double limit)
{
    double ms = (double)h->count.modelled_us / 1000.0;
    char ratio[32];
    if (limit > 0) snprintf(ratio, sizeof ratio, "%.2f", ms / limit);
    else snprintf(ratio, sizeof ratio, "n/a");
    printf("| %s | %s | %zu | %llu | %llu | %llu | %u | %u | %llu | %.0f | %.0f | %s |\n", name, scenario, pkg_len,
           (unsigned long long)h->count.ops, (unsigned long long)h->count.sector_erases,
           (unsigned long long)h->count.block_erases, r->install.sectors_written, r->install.sectors_skipped,
           (unsigned long long)h->count.programs, ms, limit, ratio);
    if (r->state_after != OTA_STATE_TRIAL || !r->boot) printf("| ERROR: install failed (E%d) | | | | | | | | | | | |\n", r->error);
}

static void install_case(const char *name, const char *scenario, const uint8_t *full_new, size_t nnew,
                         const uint8_t *full_old, size_t nold, int compressed, int direct_old)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    if (direct_old) t_flash_install_direct(h, full_old, nold);
    size_t np = compressed ? t_xz_package(pkg, sizeof pkg, full_new, nnew, 9) : (memcpy(pkg, full_new, nnew), nnew);
    t_stage(h, pkg, np);
    ota_hostflash_reset_counters(h);
    t_boot(h, &r);
    row(name, scenario, np, h, &r, limit_ms(&h->timing, full_old + 64, nold - 64, full_new + 64, nnew - 64));
    ota_hostflash_close(h);
}

/* ---- consecutive update cycles ------------------------------------------------------------ */

static uint32_t otadata_erases(const ota_hostflash_t *h)
{
    return h->erase_counts[T_OTADATA / 4096] + h->erase_counts[T_OTADATA / 4096 + 1];
}

/* n cycles alternating b (over a, installed first) and a (over b), xz packages. */
static void cycles_case(const char *name, const uint8_t *a, size_t na, const uint8_t *b, size_t nb, int n)
{
    ota_hostflash_t *h = t_flash_new();
    ota_boot_report_t r;
    size_t npa = t_xz_package(pkg, sizeof pkg, a, na, 9), npb = t_xz_package(pkg2, sizeof pkg2, b, nb, 9);
    double lim_ab = limit_ms(&h->timing, a + 64, na - 64, b + 64, nb - 64);
    double lim_ba = limit_ms(&h->timing, b + 64, nb - 64, a + 64, na - 64);
    t_flash_install_direct(h, a, na);
    double sum_ms = 0, max_ms = 0, sum_ratio = 0, max_ratio = 0, sum_read_ms = 0, sum_lim = 0, sum_pkg_ratio = 0;
    uint32_t boot_erases = 0, cycle_erases = 0, start = otadata_erases(h);
    int ok = 1;
    for (int c = 0; c < n; c++) {
        int to_b = c % 2 == 0;
        t_write_state(h, OTA_STATE_DOWNLOADING);
        t_stage(h, to_b ? pkg2 : pkg, to_b ? npb : npa);
        uint32_t before = otadata_erases(h);
        ota_hostflash_reset_counters(h);
        t_boot(h, &r);
        boot_erases += otadata_erases(h) - before;
        double ms = (double)h->count.modelled_us / 1000.0, lim = to_b ? lim_ab : lim_ba;
        double read_ms = (double)h->count.bytes_read / (double)h->timing.read_bytes_per_ms;
        /* checked after the counters were taken: the check reads the app */
        ok &= r.state_after == OTA_STATE_TRIAL && r.boot && t_app_holds(h, to_b ? b : a, to_b ? nb : na);
        double pkg_read_ms = (double)(to_b ? npb : npa) / (double)h->timing.read_bytes_per_ms;
        sum_ms += ms;
        sum_lim += lim;
        sum_read_ms += read_ms;
        sum_ratio += ms / lim;
        sum_pkg_ratio += ms / (lim + pkg_read_ms);
        if (ms > max_ms) max_ms = ms;
        if (ms / lim > max_ratio) max_ratio = ms / lim;
        t_write_state(h, OTA_STATE_CONFIRMED);
    }
    cycle_erases = otadata_erases(h) - start;
    printf("| %s | %d | %.0f / %.0f | %.0f | **%.3f** / %.3f | %.0f | %.3f | %u | %.2f |\n", name, n, sum_ms / n, max_ms,
           sum_lim / n, sum_ratio / n, max_ratio, sum_read_ms / n, sum_pkg_ratio / n, boot_erases,
           (double)cycle_erases / n);
    if (!ok) printf("| ERROR: an install failed (E%d) | | | | | | | | |\n", r.error);
    ota_hostflash_close(h);
}

static int cycles_main(int n, int argc, char **argv)
{
    printf("| firmware | installs | install boot ms mean / max | physical limit ms | ratio mean / max | reads ms (mean) | ratio to limit + one package read | otadata erases in install boots | otadata erases per update cycle |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < argc; i++) {
        size_t len = load(argv[i], fw, MAX_FW);
        if (!len) continue;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        /* the same upd_no: going back to the other image is not a rollback */
        size_t nnew = t_full_image(newimg, fw, len, "2.0.0", 2, 0, 0);
        size_t nold = t_full_image(oldimg, fw + 16, len - 16, "1.0.0", 2, 0, 0);
        cycles_case(name, oldimg, nold, newimg, nnew, n);
    }
    return t_failures != 0;
}

/* ---- stack high-water of one xz install, on a painted thread stack ---------------------- */

#define STACK_SIZE (256 * 1024)
static uint8_t *stack_mem;
static ota_hostflash_t *stack_flash;
static ota_boot_report_t stack_report;

static void *boot_thread(void *arg)
{
    (void)arg;
    t_boot(stack_flash, &stack_report);
    return NULL;
}

static size_t stack_high_water(const uint8_t *full, size_t n)
{
    stack_flash = t_flash_new();
    size_t np = t_xz_package(pkg, sizeof pkg, full, n, 9);
    t_stage(stack_flash, pkg, np);
    stack_mem = aligned_alloc(4096, STACK_SIZE);
    memset(stack_mem, 0xA5, STACK_SIZE);
    pthread_attr_t a;
    pthread_t th;
    pthread_attr_init(&a);
    pthread_attr_setstack(&a, stack_mem, STACK_SIZE);
    pthread_create(&th, &a, boot_thread, NULL);
    pthread_join(th, NULL);
    size_t untouched = 0;
    while (untouched < STACK_SIZE && stack_mem[untouched] == 0xA5) untouched++; /* stack grows down */
    free(stack_mem);
    ota_hostflash_close(stack_flash);
    return STACK_SIZE - untouched;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--cycles") == 0) return cycles_main(atoi(argv[2]), argc - 3, argv + 3);
    if (argc == 3 && strcmp(argv[1], "--ram-only") == 0) {
        /* RAM rows only, for a build with another OTA_INSTALL_WINDOW_SIZE */
        size_t n = load(argv[2], fw, MAX_FW);
        size_t nnew = t_full_image(newimg, fw, n, "2.0.0", 2, 0, 0);
        size_t stack = stack_high_water(newimg, nnew);
        printf("| window %u B: `ota_install_work_t` + `ota_ptable_t` + stack | %zu + %zu + %zu = **%zu** |\n",
               OTA_INSTALL_WINDOW_SIZE, sizeof(ota_install_work_t), sizeof(ota_ptable_t), stack,
               sizeof(ota_install_work_t) + sizeof(ota_ptable_t) + stack);
        return stack_report.state_after == OTA_STATE_TRIAL ? 0 : 1;
    }
    printf("| firmware | scenario | package bytes | flash ops | sector erases | block erases | sectors written | sectors skipped | page programs | modelled ms | physical limit ms | ratio |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    size_t last_n = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = load(argv[i], fw, MAX_FW);
        if (!n) continue;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        size_t nnew = t_full_image(newimg, fw, n, "2.0.0", 2, 0, 0);
        /* old: the same firmware shifted by 16 bytes (a typical rebuild: everything moves) */
        size_t nold = t_full_image(oldimg, fw + 16, n - 16, "1.0.0", 1, 0, 0);
        install_case(name, "changed, full package", newimg, nnew, oldimg, nold, 0, 1);
        install_case(name, "changed, xz package", newimg, nnew, oldimg, nold, 1, 1);
        install_case(name, "same image again, xz", newimg, nnew, newimg, nnew, 1, 1);
        /* small patch: 8 bytes changed in the middle */
        memcpy(oldimg, newimg, nnew);
        for (int k = 0; k < 8; k++) fw[n / 2 + (size_t)k] ^= 0xFF;
        nnew = t_full_image(newimg, fw, n, "2.0.1", 3, 0, 0);
        install_case(name, "8-byte patch, xz", newimg, nnew, oldimg, nold = nnew, 1, 1);
        install_case(name, "into erased app, xz", newimg, nnew, oldimg, 64, 1, 0);
        last_n = nnew;
    }
    printf("\n");
    size_t stack = last_n ? stack_high_water(newimg, last_n) : 0;
    printf("RAM of one xz install (host x86-64 build, sizes in bytes):\n\n");
    printf("| item | bytes |\n|---|---|\n");
    printf("| installer working memory `ota_install_work_t` (static) | %zu |\n", sizeof(ota_install_work_t));
    printf("| of which XZ decoder state `ota_xz_dec_t` | %zu |\n", sizeof(ota_xz_dec_t));
    printf("| of which decoder RAM window | %u |\n", OTA_INSTALL_WINDOW_SIZE);
    printf("| of which sector buffer | %u |\n", OTA_FLASH_SECTOR_SIZE);
    printf("| partition table `ota_ptable_t` (static) | %zu |\n", sizeof(ota_ptable_t));
    printf("| state record `ota_state_t` / store `ota_state_store_t` | %zu / %zu |\n", sizeof(ota_state_t), sizeof(ota_state_store_t));
    printf("| boot report `ota_boot_report_t` | %zu |\n", sizeof(ota_boot_report_t));
    printf("| stack high-water of `ota_boot_run` (painted stack) | %zu |\n", stack);
    printf("| **total static + stack** | **%zu** |\n", sizeof(ota_install_work_t) + sizeof(ota_ptable_t) + stack);
    return 0;
}
