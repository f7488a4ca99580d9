/* File- or memory-backed NOR flash with fault injection (see ota_hostflash.h). */
#define _POSIX_C_SOURCE 200809L
#include "ota_hostflash.h"
#include "ota_err.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint8_t next_rand(ota_hostflash_t *h)
{
    /* xorshift32: reproducible torn patterns per seed */
    uint32_t x = h->rng ? h->rng : 0x9E3779B9u;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    h->rng = x;
    return (uint8_t)(x >> 11);
}

static uint32_t rand_below(ota_hostflash_t *h, uint32_t n)
{
    uint32_t r = (uint32_t)next_rand(h) << 16 | (uint32_t)next_rand(h) << 8 | next_rand(h);
    return n ? r % n : 0;
}

/* Counts one op; returns 0 to go ahead, or the cut mode (+1) when this op loses power. */
static int begin_op(ota_hostflash_t *h, int *cut)
{
    *cut = -1;
    if (h->power_lost) return OTA_E_FLASH_POWER_CUT;
    h->count.ops++;
    if (h->cut_at && h->count.ops == h->cut_at) {
        h->power_lost = 1;
        *cut = h->cut_mode;
        if (*cut == OTA_CUT_BEFORE) return OTA_E_FLASH_POWER_CUT;
    }
    return OTA_OK;
}

static int host_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    ota_hostflash_t *h = ctx;
    if (h->power_lost) return OTA_E_FLASH_POWER_CUT;
    memcpy(buf, h->mem + addr, len);
    h->count.reads++;
    h->count.bytes_read += len;
    if (h->timing.read_bytes_per_ms) {
        uint64_t us = (uint64_t)len * 1000u / h->timing.read_bytes_per_ms;
        h->count.read_us += us;
        h->count.modelled_us += us;
    }
    return OTA_OK;
}

static int host_program(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    ota_hostflash_t *h = ctx;
    int cut;
    for (uint32_t i = 0; i < len; i++)
        if ((h->mem[addr + i] & buf[i]) != buf[i]) {
            if (h->power_lost) return OTA_E_FLASH_POWER_CUT;
            return OTA_E_FLASH_NOR;
        }
    int rc = begin_op(h, &cut);
    if (rc) return rc;
    uint8_t *m = h->mem + addr;
    if (cut == OTA_CUT_TORN) {
        uint32_t done = rand_below(h, len);
        for (uint32_t i = 0; i < len; i++)
            m[i] &= i < done ? buf[i] : (uint8_t)(buf[i] | next_rand(h));
    } else {
        for (uint32_t i = 0; i < len; i++) m[i] &= buf[i];
    }
    h->count.programs++;
    h->count.bytes_programmed += len;
    h->count.program_us += h->timing.page_program_us;
    h->count.modelled_us += h->timing.page_program_us;
    h->write_us[addr / OTA_FLASH_SECTOR_SIZE] += h->timing.page_program_us;
    return cut >= 0 ? OTA_E_FLASH_POWER_CUT : OTA_OK;
}

static void tear_sector(ota_hostflash_t *h, uint32_t addr)
{
    uint32_t done = rand_below(h, OTA_FLASH_SECTOR_SIZE);
    memset(h->mem + addr, 0xFF, done);
    for (uint32_t i = done; i < OTA_FLASH_SECTOR_SIZE; i++)
        h->mem[addr + i] |= (uint8_t)(next_rand(h) & next_rand(h));
}

static int host_erase_sector(void *ctx, uint32_t addr)
{
    ota_hostflash_t *h = ctx;
    int cut;
    int rc = begin_op(h, &cut);
    if (rc) return rc;
    if (cut == OTA_CUT_TORN) tear_sector(h, addr);
    else memset(h->mem + addr, 0xFF, OTA_FLASH_SECTOR_SIZE);
    h->erase_counts[addr / OTA_FLASH_SECTOR_SIZE]++;
    h->count.sector_erases++;
    h->count.erase_us += h->timing.sector_erase_us;
    h->count.modelled_us += h->timing.sector_erase_us;
    h->write_us[addr / OTA_FLASH_SECTOR_SIZE] += h->timing.sector_erase_us;
    return cut >= 0 ? OTA_E_FLASH_POWER_CUT : OTA_OK;
}

static int host_erase_block(void *ctx, uint32_t addr)
{
    ota_hostflash_t *h = ctx;
    const uint32_t sectors = OTA_FLASH_BLOCK_SIZE / OTA_FLASH_SECTOR_SIZE;
    int cut;
    int rc = begin_op(h, &cut);
    if (rc) return rc;
    if (cut == OTA_CUT_TORN) {
        uint32_t whole = rand_below(h, sectors);
        memset(h->mem + addr, 0xFF, whole * OTA_FLASH_SECTOR_SIZE);
        tear_sector(h, addr + whole * OTA_FLASH_SECTOR_SIZE);
    } else {
        memset(h->mem + addr, 0xFF, OTA_FLASH_BLOCK_SIZE);
    }
    for (uint32_t s = 0; s < sectors; s++) {
        h->erase_counts[addr / OTA_FLASH_SECTOR_SIZE + s]++;
        /* the block's time over its sectors, the remainder on the first: sums stay exact */
        h->write_us[addr / OTA_FLASH_SECTOR_SIZE + s] +=
            h->timing.block_erase_us / sectors + (s == 0 ? h->timing.block_erase_us % sectors : 0);
    }
    h->count.block_erases++;
    h->count.erase_us += h->timing.block_erase_us;
    h->count.modelled_us += h->timing.block_erase_us;
    return cut >= 0 ? OTA_E_FLASH_POWER_CUT : OTA_OK;
}

static const ota_flash_ops_t host_ops = {
    host_read, host_program, host_erase_sector, host_erase_block,
};

static int map_file(ota_hostflash_t *h, const char *path, uint32_t size)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return OTA_E_IO;
    if (fstat(fd, &st) != 0) { close(fd); return OTA_E_IO; }
    if (st.st_size == 0) {
        uint8_t ff[OTA_FLASH_SECTOR_SIZE];
        memset(ff, 0xFF, sizeof ff);
        for (uint32_t a = 0; a < size; a += sizeof ff)
            if (pwrite(fd, ff, sizeof ff, a) != (ssize_t)sizeof ff) { close(fd); return OTA_E_IO; }
    } else if ((uint64_t)st.st_size != size) {
        close(fd);
        return OTA_E_FLASH_RANGE;
    }
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { close(fd); return OTA_E_IO; }
    h->fd = fd;
    h->mem = m;
    return OTA_OK;
}

ota_hostflash_t *ota_hostflash_open(const char *path, uint32_t size, int *err)
{
    int dummy;
    if (!err) err = &dummy;
    *err = OTA_OK;
    if (size == 0 || size % OTA_FLASH_BLOCK_SIZE) { *err = OTA_E_FLASH_RANGE; return NULL; }
    ota_hostflash_t *h = calloc(1, sizeof *h);
    if (!h) { *err = OTA_E_IO; return NULL; }
    h->fd = -1;
    h->size = size;
    h->erase_counts = calloc(size / OTA_FLASH_SECTOR_SIZE, sizeof *h->erase_counts);
    h->write_us = calloc(size / OTA_FLASH_SECTOR_SIZE, sizeof *h->write_us);
    if (!h->erase_counts || !h->write_us) {
        free(h->erase_counts); free(h->write_us); free(h);
        *err = OTA_E_IO;
        return NULL;
    }
    if (path) {
        *err = map_file(h, path, size);
    } else {
        h->mem = malloc(size);
        if (h->mem) memset(h->mem, 0xFF, size);
        else *err = OTA_E_IO;
    }
    if (*err) { free(h->erase_counts); free(h->write_us); free(h); return NULL; }
    ota_flash_timing_esp32(&h->timing);
    ota_flash_init(&h->flash, &host_ops, h, size);
    return h;
}

void ota_hostflash_close(ota_hostflash_t *h)
{
    if (!h) return;
    if (h->fd >= 0) {
        msync(h->mem, h->size, MS_SYNC);
        munmap(h->mem, h->size);
        close(h->fd);
    } else {
        free(h->mem);
    }
    free(h->erase_counts);
    free(h->write_us);
    free(h);
}

void ota_hostflash_set_power_cut(ota_hostflash_t *h, uint64_t op_index, int mode, uint32_t seed)
{
    h->cut_at = op_index;
    h->cut_mode = mode;
    h->rng = seed;
}

void ota_hostflash_power_on(ota_hostflash_t *h)
{
    h->power_lost = 0;
    h->cut_at = 0;
}

void ota_hostflash_reset_counters(ota_hostflash_t *h)
{
    memset(&h->count, 0, sizeof h->count);
}

uint64_t ota_hostflash_write_us(const ota_hostflash_t *h, uint32_t addr, uint32_t len)
{
    uint64_t us = 0;
    uint64_t end = (uint64_t)addr + len;
    if (end > h->size) end = h->size;
    for (uint64_t a = addr - addr % OTA_FLASH_SECTOR_SIZE; a < end; a += OTA_FLASH_SECTOR_SIZE)
        us += h->write_us[a / OTA_FLASH_SECTOR_SIZE];
    return us;
}

void ota_hostflash_snapshot(const ota_hostflash_t *h, uint8_t *out)
{
    memcpy(out, h->mem, h->size);
}

void ota_hostflash_restore(ota_hostflash_t *h, const uint8_t *in)
{
    memcpy(h->mem, in, h->size);
    ota_hostflash_power_on(h);
}
