/* Host test and bench programs only: Debian's mbedTLS 2.28 has no MBEDTLS_PLATFORM_MEMORY, so
 * mbedTLS allocates with the process's calloc/free. This file replaces them (glibc lets an
 * executable do that): while the installer has lent an arena (ota_arena_lend), allocations come
 * from it, exactly as the device's mbedtls_platform_set_calloc_free hook does; at other times
 * glibc's own allocator (__libc_*) serves them. A free of an arena pointer the arena refuses
 * (double or foreign free) aborts the program. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arena_malloc.h"
#include "ota_arena.h"

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

arena_malloc_stats_t arena_malloc_stats;

static void *from_arena(ota_arena_t *a, void *p)
{
    arena_malloc_stats.arena_size = a->size;
    if (a->high_water > arena_malloc_stats.high_water) arena_malloc_stats.high_water = a->high_water;
    if (p) arena_malloc_stats.allocs++;
    else {
        arena_malloc_stats.failures++;
        errno = ENOMEM;
    }
    return p;
}

void *malloc(size_t n)
{
    ota_arena_t *a = ota_arena_lent();
    return a ? from_arena(a, ota_arena_alloc(a, n)) : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    ota_arena_t *a = ota_arena_lent();
    return a ? from_arena(a, ota_arena_calloc(a, n, size)) : __libc_calloc(n, size);
}

void free(void *p)
{
    ota_arena_t *a = ota_arena_lent();
    if (a && ota_arena_owns(a, p)) {
        if (ota_arena_free(a, p) != 0) abort();
        return;
    }
    __libc_free(p);
}

void *realloc(void *p, size_t n)
{
    ota_arena_t *a = ota_arena_lent();
    if (!a || (p && !ota_arena_owns(a, p))) return __libc_realloc(p, n);
    void *q = malloc(n);
    if (q && p) {
        uint32_t block; /* the block header before the payload (ota_arena.h) */
        memcpy(&block, (uint8_t *)p - OTA_ARENA_HEADER, sizeof block);
        size_t old = block - OTA_ARENA_HEADER;
        memcpy(q, p, old < n ? old : n);
        free(p);
    }
    return q;
}
