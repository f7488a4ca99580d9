/* Flash HAL: the only way the core touches flash. A port (port/host: a file with NOR rules and
 * fault injection; port/esp-idf: esp_flash) fills an ota_flash_t; the core calls the checked
 * wrappers below, never the ops directly.
 *
 * NOR rules every port must follow:
 *  - erase sets every byte of a 4 KiB sector (or a 64 KiB-aligned 64 KiB block) to 0xFF;
 *  - program can only clear bits (1 -> 0); a program that would need a 0 -> 1 change is
 *    OTA_E_FLASH_NOR and changes nothing;
 *  - one program stays inside one 256-byte page; its address and length are multiples of
 *    write_align (1 on plain SPI flash, 16 with flash encryption).
 * Addresses are absolute flash offsets. Every op returns 0 or an ota_err_t code. */
#ifndef OTA_FLASH_H
#define OTA_FLASH_H

#include <stddef.h>
#include <stdint.h>

#define OTA_FLASH_SECTOR_SIZE 4096u
#define OTA_FLASH_BLOCK_SIZE  65536u
#define OTA_FLASH_PAGE_SIZE   256u

typedef struct ota_flash_ops {
    int (*read)(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len);
    /* Inside one page; the wrapper checks range, alignment and page crossing first. */
    int (*program)(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len);
    /* One 4 KiB sector at a sector-aligned address. */
    int (*erase_sector)(void *ctx, uint32_t addr);
    /* One 64 KiB block at a block-aligned address (NULL: the wrapper erases 16 sectors). */
    int (*erase_block)(void *ctx, uint32_t addr);
} ota_flash_ops_t;

typedef struct ota_flash {
    const ota_flash_ops_t *ops;
    void *ctx;
    uint32_t size;        /* bytes, a multiple of the block size */
    uint32_t sector_size; /* 4096 */
    uint32_t block_size;  /* 65536 */
    uint32_t page_size;   /* 256 */
    uint32_t write_align; /* 1, 4 or 16 */
} ota_flash_t;

/* n rounded up to whole 4 KiB sectors (0 past 0xFFFFF000). */
static inline uint32_t ota_flash_round_up_sector(uint32_t n)
{
    return (n + OTA_FLASH_SECTOR_SIZE - 1) / OTA_FLASH_SECTOR_SIZE * OTA_FLASH_SECTOR_SIZE;
}

/* 1 when every byte of p[0..n) is 0xFF, what erased flash reads (such a page needs no program). */
static inline int ota_flash_is_erased(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xFF) return 0;
    return 1;
}

/* Sets the geometry to the defaults above (ops, ctx and size are the port's). */
void ota_flash_init(ota_flash_t *f, const ota_flash_ops_t *ops, void *ctx, uint32_t size);

/* Range-checked read of any length. */
int ota_flash_read(const ota_flash_t *f, uint32_t addr, void *buf, uint32_t len);

/* Programs any aligned range, split into page-bounded ops. */
int ota_flash_write(const ota_flash_t *f, uint32_t addr, const void *buf, uint32_t len);

/* One page-bounded program op (OTA_E_FLASH_ALIGN when it would cross a page). */
int ota_flash_program(const ota_flash_t *f, uint32_t addr, const void *buf, uint32_t len);

int ota_flash_erase_sector(const ota_flash_t *f, uint32_t addr);
int ota_flash_erase_block(const ota_flash_t *f, uint32_t addr);

/* Erases [addr, addr+len), both sector multiples: block erases for the 64 KiB-aligned
 * blocks wholly inside the range, sector erases for the rest. */
int ota_flash_erase_range(const ota_flash_t *f, uint32_t addr, uint32_t len);

/* Sets *equal to 1 when [addr, addr+len) holds exactly `data`, else 0 (reads in small chunks). */
int ota_flash_compare(const ota_flash_t *f, uint32_t addr, const void *data, uint32_t len, int *equal);

/* *crc = the image-header CRC-32 (ota_crc32: raw register, no final XOR) of [addr, addr+len),
 * read through the caller's buf in pieces of at most buf_len bytes. */
int ota_flash_crc32(const ota_flash_t *f, uint32_t addr, uint32_t len, uint8_t *buf, uint32_t buf_len,
                    uint32_t *crc);

#endif
