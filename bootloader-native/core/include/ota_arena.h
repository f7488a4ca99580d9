/* A heap inside a caller's buffer, for mbedTLS' bignums during the signature check (the core
 * itself never allocates). The buffer is a sequence of blocks, each an 8-byte header
 * { uint32 size of the block in bytes, header included, a multiple of 8; uint32 tag: used or
 * free } followed by its payload, so every payload is 8-byte aligned. Allocation is first fit
 * (the tail of a larger free block stays free when it can hold a header and 8 bytes); freeing
 * merges the block with free neighbours. A pointer that is not the payload of a used block of
 * this arena (a double free, a pointer into the middle of a block, foreign memory) is refused.
 * mbedTLS allocates and frees a few thousand times in one ECDSA verification with at most some
 * dozens of blocks live, so the linear walks stay short. */
#ifndef OTA_ARENA_H
#define OTA_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define OTA_ARENA_ALIGN 8u
#define OTA_ARENA_HEADER 8u

typedef struct ota_arena {
    uint8_t *base;       /* first block (8-byte aligned) */
    uint32_t size;       /* bytes of blocks from base (a multiple of 8) */
    uint32_t live;       /* bytes of used blocks, headers included */
    uint32_t high_water; /* highest end offset any used block reached: the buffer size this use needs */
    uint32_t allocs;     /* successful allocations */
    uint32_t failures;   /* allocations refused for want of room */
} ota_arena_t;

/* Makes mem[0..len) one free block (the unaligned head and the tail beyond a multiple of 8 are
 * left unused). -1 when fewer than two blocks' worth of bytes remain. */
int ota_arena_init(ota_arena_t *a, void *mem, size_t len);

/* n bytes, 8-byte aligned, or NULL (n == 0 or no free block large enough). */
void *ota_arena_alloc(ota_arena_t *a, size_t n);

/* count * size zeroed bytes, or NULL (also on overflow of count * size). */
void *ota_arena_calloc(ota_arena_t *a, size_t count, size_t size);

/* Frees p (NULL is fine: 0). -1 when p is not a used block's payload of this arena. */
int ota_arena_free(ota_arena_t *a, void *p);

/* 1 when p points into the arena's buffer. */
int ota_arena_owns(const ota_arena_t *a, const void *p);

/* The arena the crypto glue allocates from: the installer lends one (its idle decoder memory)
 * for the signature check and takes it back (NULL) before decoding. While none is lent, mbedTLS
 * uses its default allocator. ota_crypto_mbedtls.c hooks it into mbedTLS where
 * MBEDTLS_PLATFORM_MEMORY exists (ESP-IDF); a host program without it routes its process
 * allocator here (tests/arena_malloc.c). */
void ota_arena_lend(ota_arena_t *a);
ota_arena_t *ota_arena_lent(void);

#endif
