/* First-fit heap in a caller's buffer (block format: ota_arena.h). */
#include "ota_arena.h"
#include <string.h>

#define TAG_USED 0x55534544u /* "USED" */
#define TAG_FREE 0x46524545u /* "FREE" */

typedef struct {
    uint32_t size;
    uint32_t tag;
} block_t;

static block_t *at(const ota_arena_t *a, uint32_t off) { return (block_t *)(void *)(a->base + off); }

int ota_arena_init(ota_arena_t *a, void *mem, size_t len)
{
    uintptr_t p = (uintptr_t)mem, aligned = (p + OTA_ARENA_ALIGN - 1) & ~(uintptr_t)(OTA_ARENA_ALIGN - 1);
    memset(a, 0, sizeof *a);
    if (!mem || len < (aligned - p) + 2 * OTA_ARENA_HEADER) return -1;
    len -= aligned - p;
    if (len > UINT32_MAX) len = UINT32_MAX;
    a->base = (uint8_t *)mem + (aligned - p);
    a->size = (uint32_t)len & ~(OTA_ARENA_ALIGN - 1);
    at(a, 0)->size = a->size;
    at(a, 0)->tag = TAG_FREE;
    return 0;
}

void *ota_arena_alloc(ota_arena_t *a, size_t n)
{
    if (n == 0 || n > a->size - OTA_ARENA_HEADER) return NULL;
    uint32_t need = ((uint32_t)n + OTA_ARENA_ALIGN - 1) / OTA_ARENA_ALIGN * OTA_ARENA_ALIGN + OTA_ARENA_HEADER;
    for (uint32_t off = 0; off < a->size; off += at(a, off)->size) {
        block_t *b = at(a, off);
        if (b->tag != TAG_FREE || b->size < need) continue;
        if (b->size - need >= 2 * OTA_ARENA_HEADER) { /* split: the rest stays a free block */
            block_t *rest = at(a, off + need);
            rest->size = b->size - need;
            rest->tag = TAG_FREE;
            b->size = need;
        }
        b->tag = TAG_USED;
        a->live += b->size;
        a->allocs++;
        if (off + b->size > a->high_water) a->high_water = off + b->size;
        return (uint8_t *)b + OTA_ARENA_HEADER;
    }
    a->failures++;
    return NULL;
}

void *ota_arena_calloc(ota_arena_t *a, size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size) {
        a->failures++;
        return NULL;
    }
    void *p = ota_arena_alloc(a, count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

static ota_arena_t *lent;

void ota_arena_lend(ota_arena_t *a) { lent = a; }

ota_arena_t *ota_arena_lent(void) { return lent; }

int ota_arena_owns(const ota_arena_t *a, const void *p)
{
    uintptr_t q = (uintptr_t)p, b = (uintptr_t)a->base;
    return a->base && q >= b && q < b + a->size;
}

int ota_arena_free(ota_arena_t *a, void *p)
{
    if (!p) return 0;
    if (!ota_arena_owns(a, p)) return -1;
    uint32_t want = (uint32_t)((uint8_t *)p - a->base) - OTA_ARENA_HEADER, prev = UINT32_MAX;
    for (uint32_t off = 0; off < a->size; prev = off, off += at(a, off)->size) {
        if (off < want) continue;
        block_t *b = at(a, off);
        if (off != want || b->tag != TAG_USED) return -1; /* inside a block, or already free */
        a->live -= b->size;
        b->tag = TAG_FREE;
        uint32_t next = off + b->size;
        if (next < a->size && at(a, next)->tag == TAG_FREE) b->size += at(a, next)->size;
        if (prev != UINT32_MAX && at(a, prev)->tag == TAG_FREE) at(a, prev)->size += b->size;
        return 0;
    }
    return -1;
}
