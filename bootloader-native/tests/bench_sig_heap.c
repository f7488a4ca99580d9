/* make bench only (tools/scripts/bench.d/60-performance.sh): peak heap of a signed install.
 *   bench_sig_heap SIGNING_VECTORS_DIR
 * The core allocates nothing; in signed mode mbedTLS' ECDSA allocates its bignums. Debian's
 * mbedTLS 2.28 is built without MBEDTLS_PLATFORM_MEMORY (no mbedtls_platform_set_calloc_free), so
 * this program replaces the process allocator itself (malloc/calloc/realloc/free, which glibc
 * allows an executable to do): a bump arena that never reuses memory and counts the bytes live.
 * One boot installs test-vectors/signing/boot/ok_xz.img with test_pub.pem as the trusted key (the
 * same case as test_sig_boot); the peak of live bytes during ota_boot_run above those live before
 * it is mbedTLS' heap. Prints "| signed install (...) | PEAK | ALLOCS |" or fails with status 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_err.h"
#include "ota_sig.h"

/* ---- counting allocator ------------------------------------------------------------------- */

#define ARENA_BYTES (256u << 20)
#define HDR 16u /* size header, keeps 16-byte alignment */
static unsigned char arena[ARENA_BYTES];
static size_t arena_used, live, peak, allocs;

static void *take(size_t n, size_t align)
{
    size_t at = (arena_used + HDR + align - 1) / align * align;
    if (n > ARENA_BYTES || at + n > ARENA_BYTES) { errno = ENOMEM; return NULL; }
    arena_used = at + n;
    memcpy(arena + at - HDR, &n, sizeof n);
    live += n;
    if (live > peak) peak = live;
    allocs++;
    return arena + at;
}

static size_t size_of(void *p) { size_t n; memcpy(&n, (unsigned char *)p - HDR, sizeof n); return n; }

void *malloc(size_t n) { return take(n, 16); }
void free(void *p) { if (p) live -= size_of(p); }
void *calloc(size_t a, size_t b)
{
    if (b && a > (size_t)-1 / b) { errno = ENOMEM; return NULL; }
    return take(a * b, 16); /* the arena is zero and never reused */
}
void *realloc(void *p, size_t n)
{
    void *q = take(n, 16);
    if (q && p) { size_t o = size_of(p); memcpy(q, p, o < n ? o : n); free(p); }
    return q;
}
void *memalign(size_t align, size_t n) { return take(n, align < 16 ? 16 : align); }
void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) { *out = memalign(align, n); return *out ? 0 : ENOMEM; }
void *valloc(size_t n) { return memalign(4096, n); }
void *pvalloc(size_t n) { return memalign(4096, (n + 4095) & ~(size_t)4095); }
size_t malloc_usable_size(void *p) { return p ? size_of(p) : 0; }

/* ---- one signed install ------------------------------------------------------------------ */

static ota_install_work_t work;

static uint8_t *load(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "test-vectors/signing";
    size_t pem_len, old_len, pkg_len;
    char *pem = (char *)load(dir, "test_pub.pem", &pem_len);
    uint8_t *old = load(dir, "boot/old.img", &old_len), *pkg = load(dir, "boot/ok_xz.img", &pkg_len);
    if (!pem || !old || !pkg) { fprintf(stderr, "bench_sig_heap: vectors not found in %s\n", dir); return 1; }
    ota_sig_key_t key;
    if (ota_sig_key_from_pem(&key, pem, pem_len)) { fprintf(stderr, "bench_sig_heap: bad key\n"); return 1; }
    ota_sig_keyring_t ring = { &key, 1 };
    ota_hostflash_t *h = t_flash_new();
    t_flash_install_direct(h, old, old_len);
    t_stage(h, pkg, pkg_len);
    ota_boot_report_t r;
    work.keys = &ring;
    size_t base = live, base_allocs = allocs;
    peak = live;
    int rc = ota_boot_run(&h->flash, NULL, &work, &r);
    size_t used = peak - base, n = allocs - base_allocs;
    ota_state_store_t st = t_state(h);
    /* installed, its CRC and signed hash checked by the boot, the record TRIAL with the signed flag */
    if (rc || t_failures || !(r.actions & OTA_ACT_VERIFY_INSTALLED) || st.cur.state != OTA_STATE_TRIAL ||
        !(st.cur.flags & OTA_STATE_FLAG_SIGNED)) {
        fprintf(stderr, "bench_sig_heap: signed install failed (E%d)\n", rc);
        return 1;
    }
    printf("| signed install (ECDSA P-256 + SHA-256, host x86-64 mbedTLS 2.28) | %zu | %zu |\n", used, n);
    return 0;
}
