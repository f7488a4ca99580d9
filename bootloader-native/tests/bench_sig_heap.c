/* make bench only (tools/scripts/bench.d/60-performance.sh): the RAM a signed install adds.
 *   bench_sig_heap SIGNING_VECTORS_DIR
 * The core allocates nothing; in signed mode mbedTLS' ECDSA allocates its bignums, from the arena
 * the installer lends over its idle decoder memory (OTA_INSTALL_SIG_HEAP_SIZE, ota_install.h).
 * Debian's mbedTLS 2.28 has no MBEDTLS_PLATFORM_MEMORY, so tests/arena_malloc.c routes the process
 * allocator into that arena, as the device's hook does. The arena's high-water mark is the heap
 * one verification needs. mbedTLS' stack: ota_ecdsa_p256_verify is wrapped (ld --wrap) by a
 * function that paints the stack below it, calls it, and finds the deepest byte touched.
 * One boot installs test-vectors/signing/boot/ok_xz.img with test_pub.pem as the trusted key (the
 * same case as test_sig_boot). Prints two Markdown rows or fails with status 1:
 *   | arena ... | HIGH_WATER | ALLOCATIONS |   and   | stack ... | BYTES | |                      */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena_malloc.h"
#include "boot_testlib.h"
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_sig.h"
#include "test_file.h"

/* ---- stack of ota_ecdsa_p256_verify (mbedTLS included) --------------------------------------- */

#define PAINT_BYTES (256u << 10)
#define PAINT 0xA5
static uintptr_t paint_low;
static size_t verify_stack;

static __attribute__((noinline)) void paint_below(void)
{
    volatile uint8_t area[PAINT_BYTES];
    for (size_t i = 0; i < PAINT_BYTES; i++) area[i] = PAINT;
    paint_low = (uintptr_t)area;
}

int __real_ota_ecdsa_p256_verify(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE], const uint8_t hash[32],
                                 const uint8_t r[OTA_ECDSA_P256_SCALAR_SIZE], const uint8_t s[OTA_ECDSA_P256_SCALAR_SIZE]);

int __wrap_ota_ecdsa_p256_verify(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE], const uint8_t hash[32],
                                 const uint8_t r[OTA_ECDSA_P256_SCALAR_SIZE], const uint8_t s[OTA_ECDSA_P256_SCALAR_SIZE])
{
    volatile uint8_t top = 0;
    paint_below();
    int rc = __real_ota_ecdsa_p256_verify(point, hash, r, s);
    const volatile uint8_t *p = (const volatile uint8_t *)paint_low;
    while ((uintptr_t)p < (uintptr_t)&top && *p == PAINT) p++;
    size_t used = (size_t)((uintptr_t)&top - (uintptr_t)p);
    if (used > verify_stack) verify_stack = used;
    return rc;
}

/* ---- one signed install ------------------------------------------------------------------ */

static ota_install_work_t work;

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "test-vectors/signing";
    size_t pem_len, old_len, pkg_len;
    char *pem = (char *)t_read_file(dir, "test_pub.pem", &pem_len);
    uint8_t *old = t_read_file(dir, "boot/old.img", &old_len), *pkg = t_read_file(dir, "boot/ok_xz.img", &pkg_len);
    if (!pem || !old || !pkg) { fprintf(stderr, "bench_sig_heap: vectors not found in %s\n", dir); return 1; }
    ota_sig_key_t key;
    if (ota_sig_key_from_pem(&key, pem, pem_len)) { fprintf(stderr, "bench_sig_heap: bad key\n"); return 1; }
    ota_sig_keyring_t ring = { &key, 1 };
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, old, old_len);
    t_stage(h, pkg, pkg_len);
    ota_boot_report_t r;
    work.keys = &ring;
    int rc = ota_boot_run(&h->flash, NULL, &work, &r);
    ota_state_store_t st = t_state(h);
    /* installed, its CRC and signed hash checked by the boot, the record TRIAL with the signed flag */
    if (rc || t_failures || !(r.actions & OTA_ACT_VERIFY_INSTALLED) || st.cur.state != OTA_STATE_TRIAL ||
        !(st.cur.flags & OTA_STATE_FLAG_SIGNED)) {
        fprintf(stderr, "bench_sig_heap: signed install failed (E%d)\n", rc);
        return 1;
    }
    if (arena_malloc_stats.allocs == 0 || arena_malloc_stats.failures || verify_stack == 0 ||
        verify_stack >= PAINT_BYTES) {
        fprintf(stderr, "bench_sig_heap: mbedTLS did not run on the arena, or the stack was not measured\n");
        return 1;
    }
    printf("| mbedTLS heap of one signed install: high-water of the %zu-byte arena over the decoder memory "
           "(host x86-64 mbedTLS 2.28) | %zu | %zu |\n", arena_malloc_stats.arena_size, arena_malloc_stats.high_water,
           arena_malloc_stats.allocs);
    printf("| stack of ota_ecdsa_p256_verify with mbedTLS' frames (host x86-64, painted) | %zu | |\n", verify_stack);
    return 0;
}
