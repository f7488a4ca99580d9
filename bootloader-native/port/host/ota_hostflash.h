/* Host port of the flash HAL: NOR flash kept in a file (mmap, so every program and erase lands
 * in the file at once) or in memory, with the NOR rules enforced, fault injection (power cuts,
 * torn programs and erases), operation counters, per-sector erase counts and a timing model.
 * Allocates (it is the simulator, not the install path). */
#ifndef OTA_HOSTFLASH_H
#define OTA_HOSTFLASH_H

#include <stdint.h>
#include "ota_flash.h"
#include "ota_flash_timing.h"

/* What a power cut does to the operation it hits. */
enum {
    OTA_CUT_BEFORE = 0, /* the operation does not happen */
    OTA_CUT_AFTER = 1,  /* the operation completes, then power is lost */
    OTA_CUT_TORN = 2    /* program: a random prefix lands, the rest gets a random subset of its
                           cleared bits; erase: a random prefix reads 0xFF, the rest keeps its
                           old bits plus random set bits (a block: whole sectors, then a torn one) */
};


typedef struct ota_flash_counters {
    uint64_t ops;             /* program + erase operations (the power-cut index counts these) */
    uint64_t programs;
    uint64_t sector_erases;
    uint64_t block_erases;
    uint64_t bytes_programmed;
    uint64_t reads;
    uint64_t bytes_read;
    uint64_t modelled_us;     /* time the operations take on the timing model: the sum of */
    uint64_t erase_us;        /*   sector and block erases, */
    uint64_t program_us;      /*   program ops */
    uint64_t read_us;         /*   and reads */
} ota_flash_counters_t;

typedef struct ota_hostflash {
    ota_flash_t flash;        /* the HAL the core uses */
    uint8_t *mem;
    uint32_t size;
    int fd;                   /* -1: memory only */
    ota_flash_counters_t count;
    ota_flash_timing_t timing;
    uint32_t *erase_counts;   /* per 4 KiB sector */
    uint64_t *write_us;       /* per 4 KiB sector: modelled erase + program time since open (a
                                 block erase is shared out over its 16 sectors) */
    uint64_t cut_at;          /* op index (1 = first op since open) that loses power; 0 = never */
    int cut_mode;
    uint32_t rng;
    int power_lost;
} ota_hostflash_t;

/* Opens a flash of `size` bytes (a multiple of 64 KiB). path NULL: in memory, erased. Else the
 * file is created erased when absent and must otherwise be exactly `size` bytes long.
 * Returns NULL on failure and sets *err (OTA_E_IO, OTA_E_FLASH_RANGE for a size mismatch). */
ota_hostflash_t *ota_hostflash_open(const char *path, uint32_t size, int *err);
void ota_hostflash_close(ota_hostflash_t *h);

/* Power is cut during op number `op_index` (absolute, counted since open; 0 disables) in the
 * given OTA_CUT_* mode; the cut op and all later accesses fail with OTA_E_FLASH_POWER_CUT. */
void ota_hostflash_set_power_cut(ota_hostflash_t *h, uint64_t op_index, int mode, uint32_t seed);
/* Power back on (a reboot): clears a pending or past cut; counters keep counting. */
void ota_hostflash_power_on(ota_hostflash_t *h);
void ota_hostflash_reset_counters(ota_hostflash_t *h);

/* Modelled erase + program time since open of the sectors in [addr, addr + len) (whole 4 KiB
 * sectors; a range past the end is clipped). */
uint64_t ota_hostflash_write_us(const ota_hostflash_t *h, uint32_t addr, uint32_t len);

/* Copies the whole flash content out / in (test snapshots). Restoring is also a power-on (a
 * restored device starts powered, with no cut pending); counters keep counting. */
void ota_hostflash_snapshot(const ota_hostflash_t *h, uint8_t *out);
void ota_hostflash_restore(ota_hostflash_t *h, const uint8_t *in);

#endif
