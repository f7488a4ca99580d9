/* ota_arena: the heap mbedTLS' bignums get during the signature check (ota_arena.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "ota_arena.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static _Alignas(16) uint8_t mem[4096 + 8];

static int aligned(const void *p) { return ((uintptr_t)p % OTA_ARENA_ALIGN) == 0; }

/* a misaligned buffer: the arena starts at the next 8-byte boundary and uses whole 8-byte units */
static void init_alignment(void)
{
    ota_arena_t a;
    CHECK(ota_arena_init(&a, mem + 3, 1000) == 0);
    CHECK(a.base == mem + 8);
    CHECK(a.size == 992);
    CHECK(ota_arena_init(&a, mem, 15) == -1);
    CHECK(ota_arena_init(&a, NULL, 100) == -1);
    CHECK(ota_arena_init(&a, mem, 16) == 0);
    CHECK(ota_arena_alloc(&a, 1) != NULL); /* one header + 8 bytes */
    CHECK(ota_arena_alloc(&a, 1) == NULL);
}

/* exhaustion gives NULL (and counts it); freeing makes the room usable again */
static void exhaustion(void)
{
    ota_arena_t a;
    ota_arena_init(&a, mem, 4096);
    void *p[600];
    int n = 0;
    while (n < 600 && (p[n] = ota_arena_alloc(&a, 24)) != NULL) {
        CHECK(aligned(p[n]));
        memset(p[n], n & 0xFF, 24);
        n++;
    }
    CHECK(n == 4096 / 32);
    CHECK(a.failures == 1);
    CHECK(a.live == 4096 && a.high_water == 4096);
    CHECK(ota_arena_alloc(&a, 1) == NULL);
    CHECK(ota_arena_alloc(&a, 0) == NULL);
    CHECK(ota_arena_alloc(&a, 1u << 20) == NULL);
    for (int i = 0; i < n; i++) {
        uint8_t want[24];
        memset(want, i & 0xFF, 24);
        CHECK(memcmp(p[i], want, 24) == 0); /* no block overlapped another */
    }
    CHECK(ota_arena_free(&a, p[7]) == 0);
    void *q = ota_arena_alloc(&a, 20);
    CHECK(q == p[7]); /* first fit: the only hole */
}

/* calloc zeroes memory a previous user dirtied, and refuses an overflowing count * size */
static void calloc_zeroes(void)
{
    ota_arena_t a;
    ota_arena_init(&a, mem, 4096);
    uint8_t *p = ota_arena_alloc(&a, 512);
    memset(p, 0xA5, 512);
    CHECK(ota_arena_free(&a, p) == 0);
    uint8_t *z = ota_arena_calloc(&a, 64, 8);
    CHECK(z == p);
    int zero = 1;
    for (int i = 0; i < 512; i++) zero &= z[i] == 0;
    CHECK(zero);
    CHECK(ota_arena_calloc(&a, (size_t)-1 / 2, 4) == NULL);
    CHECK(a.failures == 1);
}

/* freed neighbours merge (with the next and with the previous block): after a checkerboard of
 * frees a large block does not fit, after the rest is freed the whole arena is one block again */
static void fragmentation(void)
{
    ota_arena_t a;
    ota_arena_init(&a, mem, 4096);
    void *p[64];
    for (int i = 0; i < 64; i++) p[i] = ota_arena_alloc(&a, 56); /* 64 blocks of 64 bytes */
    CHECK(ota_arena_alloc(&a, 8) == NULL);
    for (int i = 0; i < 64; i += 2) CHECK(ota_arena_free(&a, p[i]) == 0);
    CHECK(a.live == 2048);
    CHECK(ota_arena_alloc(&a, 100) == NULL); /* 2 KiB free, but in 64-byte holes */
    CHECK(ota_arena_alloc(&a, 56) == p[0]);  /* a hole fits exactly */
    CHECK(ota_arena_free(&a, p[0]) == 0);
    for (int i = 1; i < 64; i += 4) CHECK(ota_arena_free(&a, p[i]) == 0); /* merges both sides */
    void *big = ota_arena_alloc(&a, 3 * 64 - 8);                         /* holes 0..2 as one */
    CHECK(big == p[0]);
    CHECK(ota_arena_free(&a, big) == 0);
    for (int i = 3; i < 64; i += 4) CHECK(ota_arena_free(&a, p[i]) == 0);
    CHECK(a.live == 0);
    CHECK(ota_arena_alloc(&a, 4096 - OTA_ARENA_HEADER) == p[0]);
}

/* a double free, a pointer into a block and foreign memory are refused and change nothing */
static void bad_frees(void)
{
    ota_arena_t a;
    uint8_t other[16];
    ota_arena_init(&a, mem, 4096);
    uint8_t *p = ota_arena_alloc(&a, 40), *q = ota_arena_alloc(&a, 40);
    CHECK(ota_arena_free(&a, NULL) == 0);
    CHECK(ota_arena_free(&a, p + 8) == -1);
    CHECK(ota_arena_free(&a, other) == -1);
    CHECK(!ota_arena_owns(&a, other) && ota_arena_owns(&a, p));
    CHECK(ota_arena_free(&a, p) == 0);
    CHECK(ota_arena_free(&a, p) == -1);
    CHECK(a.live == 48);
    CHECK(ota_arena_free(&a, q) == 0);
    CHECK(ota_arena_free(&a, q) == -1);
    CHECK(a.live == 0);
}

/* random allocations and frees against a model: contents survive, accounting is exact */
static void random_use(void)
{
    ota_arena_t a;
    ota_arena_init(&a, mem, 4096);
    struct { uint8_t *p; uint32_t n, block; uint8_t fill; } live[40] = { { 0 } };
    uint32_t x = 12345, used = 0, peak = 0;
    for (int op = 0; op < 200000; op++) {
        x = x * 1103515245u + 12345u;
        int i = (int)((x >> 16) % 40);
        if (live[i].p) {
            for (uint32_t k = 0; k < live[i].n; k++)
                if (live[i].p[k] != live[i].fill) { CHECK(!"block content changed"); return; }
            CHECK(ota_arena_free(&a, live[i].p) == 0);
            used -= live[i].block;
            live[i].p = NULL;
        } else {
            uint32_t n = 1 + (x >> 8) % 300;
            uint32_t before = a.live, need = (n + 7) / 8 * 8 + 8;
            uint8_t *p = ota_arena_alloc(&a, n);
            if (!p) continue;
            /* a block is the rounded size + header, or up to 8 more when the rest was too small to split */
            CHECK(a.live - before == need || a.live - before == need + 8);
            live[i].block = a.live - before;
            CHECK(aligned(p) && ota_arena_owns(&a, p) && ota_arena_owns(&a, p + n - 1));
            live[i].p = p; live[i].n = n; live[i].fill = (uint8_t)op;
            memset(p, live[i].fill, n);
            used += live[i].block;
        }
        if (a.live != used) { CHECK(a.live == used); return; }
        if (used > peak) peak = used;
    }
    CHECK(a.allocs > 50000 && a.failures > 0);
    CHECK(a.high_water >= peak && a.high_water <= 4096);
    for (int i = 0; i < 40; i++) if (live[i].p) CHECK(ota_arena_free(&a, live[i].p) == 0);
    CHECK(a.live == 0);
    CHECK(ota_arena_alloc(&a, 4096 - OTA_ARENA_HEADER) != NULL); /* all merged back into one block */
}

int main(void)
{
    init_alignment();
    exhaustion();
    calloc_zeroes();
    fragmentation();
    bad_frees();
    random_use();
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
