/* libotahost: the C core exposed to the managed host simulator and tests through P/Invoke
 * (the host mirror of the nanoFramework InternalCall interop). Every function returns 0 or an
 * ota_err_t code (ota_err.h) unless said otherwise. Addresses are absolute flash offsets. */
#ifndef OTAHOST_H
#define OTAHOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct otahost_flash otahost_flash_t;

/* Opens a flash image file of `size` bytes (created erased, all 0xFF, if absent; an existing
 * file must have exactly `size` bytes). NOR rules are enforced on every write. NULL on failure. */
otahost_flash_t *otahost_flash_open(const char *path, uint32_t size);
void otahost_flash_close(otahost_flash_t *f);
uint32_t otahost_flash_size(const otahost_flash_t *f);

int otahost_flash_read(otahost_flash_t *f, uint32_t addr, uint8_t *buf, uint32_t len);
/* Program: only clears bits (OTA_E_FLASH_NOR otherwise); no alignment beyond 1 byte needed on the
 * host, but a program must not cross a 256-byte page (OTA_E_FLASH_ALIGN). */
int otahost_flash_program(otahost_flash_t *f, uint32_t addr, const uint8_t *buf, uint32_t len);
/* Erase: addr and len multiples of 4096 (a 64 KiB-aligned 64 KiB range may be a block erase). */
int otahost_flash_erase(otahost_flash_t *f, uint32_t addr, uint32_t len);

/* Fault injection. Power is cut during the flash operation with index `op_index` (counted from
 * the open, program and erase operations only; 0 disables). mode 0: cut before the operation,
 * 1: after it, 2: torn (a random part of the page programmed / sector partly erased, random bits).
 * The cut operation and every later one return OTA_E_FLASH_POWER_CUT until the file is reopened. */
int otahost_flash_set_power_cut(otahost_flash_t *f, uint64_t op_index, int mode, uint32_t seed);
/* Program + erase operations performed since open. */
uint64_t otahost_flash_op_count(const otahost_flash_t *f);
/* Erase count of the 4 KiB sector containing addr since open (wear accounting). */
uint32_t otahost_flash_erase_count(const otahost_flash_t *f, uint32_t addr);

/* Power back on without reopening (a simulated reboot): clears a pending or past power cut. */
int otahost_flash_power_on(otahost_flash_t *f);

/* Counters since open (the power-cut op index counts `ops`) and the timing model's total. */
typedef struct otahost_flash_stats {
    uint64_t ops;              /* program + erase operations */
    uint64_t programs;
    uint64_t sector_erases;
    uint64_t block_erases;
    uint64_t bytes_programmed;
    uint64_t bytes_read;
    uint64_t modelled_us;      /* time of all operations on the timing model = */
    uint64_t erase_us;         /*   erases + */
    uint64_t program_us;       /*   programs + */
    uint64_t read_us;          /*   reads */
    uint64_t reads;            /* read calls */
} otahost_flash_stats_t;
int otahost_flash_stats(const otahost_flash_t *f, otahost_flash_stats_t *out);

/* Timing model (defaults: 4 KiB erase 45000 us, 64 KiB erase 150000 us, one program op of up to
 * 256 B 600 us, reads 10000 bytes per ms = 10 MB/s). */
int otahost_flash_set_timing(otahost_flash_t *f, uint32_t sector_erase_us, uint32_t block_erase_us,
                             uint32_t page_program_us, uint32_t read_bytes_per_ms);

/* Parses a timing SPEC ("esp32", "off", or "erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s",
 * any subset; grammar in port/host/ota_flash_timing.h) into *out: 0 or OTA_E_USAGE. */
typedef struct otahost_flash_timing {
    uint32_t sector_erase_us;
    uint32_t block_erase_us;
    uint32_t page_program_us;
    uint32_t read_bytes_per_ms;
} otahost_flash_timing_t;
int otahost_flash_timing_parse(const char *spec, otahost_flash_timing_t *out);

/* Modelled erase + program time since open of the 4 KiB sectors in [addr, addr + len). */
uint64_t otahost_flash_write_us(const otahost_flash_t *f, uint32_t addr, uint32_t len);

/* One boot of the native bootloader against the flash: reads the partition table from flash at
 * 0x8000, the state record, installs a staged update if any. Writes a JSON report (NUL-terminated,
 * truncated to json_cap) and returns 0 when an app would run, else the error code. Its "flash"
 * object holds this boot's counters and modelled time: modelled_us = erase_us + program_us +
 * read_us = target_write_us (erases + programs inside the partition that runs) + other_us. */
int otahost_boot(otahost_flash_t *f, char *json, uint32_t json_cap);

/* SHA-256 (mbedTLS). */
int otahost_sha256(const uint8_t *data, uint32_t len, uint8_t out[32]);

#ifdef __cplusplus
}
#endif

#endif
