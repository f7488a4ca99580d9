/* Host test and bench programs: the process allocator routed into the arena the installer lends
 * for the signature check (tests/arena_malloc.c). */
#ifndef ARENA_MALLOC_H
#define ARENA_MALLOC_H

#include <stddef.h>

typedef struct arena_malloc_stats {
    size_t allocs;     /* allocations served by a lent arena */
    size_t failures;   /* allocations a lent arena refused (no room) */
    size_t high_water; /* largest ota_arena_t.high_water seen: the arena size the checks needed */
    size_t arena_size; /* size of the last arena seen */
} arena_malloc_stats_t;

extern arena_malloc_stats_t arena_malloc_stats;

#endif
