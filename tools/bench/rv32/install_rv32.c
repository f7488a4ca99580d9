/* make bench only (tools/bench/rv32/ram.sh): one real install of the bootloader core on rv32imc,
 * run under qemu-system-riscv32 (-machine virt, semihosting), to measure the bootloader's RAM on
 * the target ISA. Not a test.
 *
 * The flash is a RAM array (the port below). ram.sh links three blobs in as data: the binary
 * partition table, an xz package made by `ota pack` (dictionary = image size) and the firmware it
 * holds. The program writes the table and the package into the flash, writes the STAGED state
 * record with the core's own ota_state_write, paints the stack below its frame, runs one
 * ota_boot_run (the table read from flash, as on the device) and checks that the app partition
 * then holds the firmware byte for byte and the record says TRIAL. It prints one line:
 *   rv32-install ok stack=<bytes> work=<bytes> verify=<mode> boot=<0|1> sectors=<n>
 * (or "rv32-install FAIL ..."), and exits 0 only when the install is right.
 *
 * Unsigned install: the crypto glue (ota_crypto_mbedtls.c, mbedTLS on the device) is not linked;
 * the functions below stand in for it, fail, and must never be called (checked). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "ota_boot.h"
#include "ota_ecdsa.h"
#include "ota_err.h"
#include "ota_image.h"
#include "ota_md5.h"
#include "ota_sha256.h"
#include "ota_state.h"

#define FLASH_SIZE (4u << 20)
#define PAINT 0x5AA5C33Cu
#define PAINT_BYTES (64u * 1024u)

extern const uint8_t bench_ptable[], bench_ptable_end[];
extern const uint8_t bench_package[], bench_package_end[];
extern const uint8_t bench_firmware[], bench_firmware_end[];

/* ---- RAM-backed NOR flash (the same rules as ota_flash.h: program only clears bits) ------- */

static uint8_t flash_mem[FLASH_SIZE];

static int ram_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    memcpy(buf, flash_mem + addr, len);
    return OTA_OK;
}

static int ram_program(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    (void)ctx;
    for (uint32_t i = 0; i < len; i++)
        if (buf[i] & ~flash_mem[addr + i]) return OTA_E_FLASH_NOR;
    for (uint32_t i = 0; i < len; i++) flash_mem[addr + i] &= buf[i];
    return OTA_OK;
}

static int ram_erase_sector(void *ctx, uint32_t addr)
{
    (void)ctx;
    memset(flash_mem + addr, 0xFF, OTA_FLASH_SECTOR_SIZE);
    return OTA_OK;
}

static const ota_flash_ops_t ram_ops = { ram_read, ram_program, ram_erase_sector, NULL };

/* ---- crypto glue of signed mode: not in this unsigned run ----------------------------------- */

static int crypto_calls;
int ota_sha256_init(ota_sha256_t *c) { (void)c; crypto_calls++; return -1; }
int ota_sha256_update(ota_sha256_t *c, const void *d, size_t n) { (void)c; (void)d; (void)n; crypto_calls++; return -1; }
int ota_sha256_finish(ota_sha256_t *c, uint8_t out[OTA_SHA256_SIZE]) { (void)c; (void)out; crypto_calls++; return -1; }
int ota_sha256(const void *d, size_t n, uint8_t out[OTA_SHA256_SIZE]) { (void)d; (void)n; (void)out; crypto_calls++; return -1; }
int ota_md5_stream_init(ota_md5_stream_t *c) { (void)c; crypto_calls++; return -1; }
int ota_md5_stream_update(ota_md5_stream_t *c, const void *d, size_t n) { (void)c; (void)d; (void)n; crypto_calls++; return -1; }
int ota_md5_stream_finish(ota_md5_stream_t *c, uint8_t out[OTA_MD5_SIZE]) { (void)c; (void)out; crypto_calls++; return -1; }
int ota_md5(const void *d, size_t n, uint8_t out[OTA_MD5_SIZE]) { (void)d; (void)n; (void)out; crypto_calls++; return -1; }
int ota_ecdsa_p256_verify(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE], const uint8_t hash[32],
                          const uint8_t r[OTA_ECDSA_P256_SCALAR_SIZE], const uint8_t s[OTA_ECDSA_P256_SCALAR_SIZE])
{
    (void)point; (void)hash; (void)r; (void)s; crypto_calls++; return OTA_E_IO;
}
int ota_ecdsa_p256_check_key(const uint8_t point[OTA_ECDSA_P256_POINT_SIZE]) { (void)point; crypto_calls++; return OTA_E_IO; }

/* ---- the run ------------------------------------------------------------------------------ */

/* The bootloader's own static memory, as on the device. */
static ota_flash_t flash;
static ota_install_work_t work;
static ota_boot_report_t report;

static int stage(uint32_t staging, uint32_t otadata)
{
    uint32_t pkg_len = (uint32_t)(bench_package_end - bench_package);
    uint32_t pt_len = (uint32_t)(bench_ptable_end - bench_ptable);
    int rc = ota_flash_write(&flash, OTA_PT_ADDR, bench_ptable, pt_len);
    if (!rc) rc = ota_flash_write(&flash, staging, bench_package, pkg_len);
    if (rc) return rc;
    ota_state_store_t st;
    ota_state_load(&st, &flash, otadata);
    ota_state_t s = st.cur;
    s.state = OTA_STATE_STAGED;
    memcpy(s.staged_header, bench_package, OTA_IMG_HEADER_SIZE);
    return ota_state_write(&st, &s, 0);
}

int main(void)
{
    memset(flash_mem, 0xFF, sizeof flash_mem);
    ota_flash_init(&flash, &ram_ops, NULL, FLASH_SIZE);
    /* addresses from the package's own header: staging, otadata and the app */
    ota_img_header_t h;
    int rc = ota_image_parse_header(bench_package, OTA_IMG_HEADER_SIZE, &h);
    if (!rc) rc = stage(h.upgrade_img_addr, h.img_header_addr);
    if (rc) { printf("rv32-install FAIL staging E%d\n", rc); return 1; }

    /* paint the stack below this frame, then run one boot and find the deepest word it touched */
    uint8_t *sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    uint8_t *low = sp - PAINT_BYTES;
    for (uint32_t *p = (uint32_t *)low; (uint8_t *)p < sp - 64; p++) *p = PAINT;
    ota_boot_run(&flash, NULL, &work, &report);
    const uint32_t *q = (const uint32_t *)low;
    while ((const uint8_t *)q < sp - 64 && *q == PAINT) q++;
    uint32_t stack = (uint32_t)(sp - (const uint8_t *)q);

    uint32_t fw_len = (uint32_t)(bench_firmware_end - bench_firmware);
    int exact = memcmp(flash_mem + h.img_addr, bench_firmware, fw_len) == 0;
    int ok = exact && report.error == 0 && report.boot && report.state_after == OTA_STATE_TRIAL &&
             crypto_calls == 0 && (const uint8_t *)q > low;
    printf("rv32-install %s stack=%u work=%u verify=%d boot=%d sectors=%u error=%d exact=%d crypto_calls=%d\n",
           ok ? "ok" : "FAIL", (unsigned)stack, (unsigned)sizeof work, report.verify_mode, report.boot,
           (unsigned)report.install.sectors_written, report.error, exact, crypto_calls);
    return ok ? 0 : 1;
}
