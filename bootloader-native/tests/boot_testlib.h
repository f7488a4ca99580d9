/* Helpers for the bootloader tests: a default-layout flash (binary partition table with MD5),
 * full and XZ images (liblzma), staging a package and writing state records like OtaCore. */
#ifndef BOOT_TESTLIB_H
#define BOOT_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include "ota_boot.h"
#include "ota_hostflash.h"

#define T_FLASH_SIZE   (4u << 20)
#define T_OTADATA      0x1E000u
#define T_APP          0x20000u
#define T_APP_SIZE     0x1C0000u
#define T_STAGING      0x1E0000u
#define T_STAGING_SIZE 0x110000u

extern int t_failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); t_failures++; } } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
    if (_a != _b) { printf("FAIL %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #a, _a, _b); t_failures++; } } while (0)

/* Deterministic firmware-like bytes (compressible, with seed-dependent content). */
void t_firmware(uint8_t *out, size_t len, uint32_t seed);

/* Full image (header + body padded to 4) into out; returns its length. attr_extra is ORed
 * into img_attr. */
size_t t_full_image(uint8_t *out, const uint8_t *fw, size_t fw_len, const char *ver, uint32_t upd_no,
                    uint32_t attr_extra, uint32_t flags);
/* t_firmware(fw, fw_len, seed) then its full image (no extra attributes or flags) into out;
 * fw keeps the firmware bytes. Returns the image's length. */
size_t t_seeded_image(uint8_t *out, uint8_t *fw, size_t fw_len, uint32_t seed, const char *ver, uint32_t upd_no);
/* XZ package of a full image (liblzma, preset, CRC32 check); returns its length. */
size_t t_xz_package(uint8_t *out, size_t cap, const uint8_t *full, size_t full_len, uint32_t preset);

/* A fresh erased flash with the default partition table at 0x8000. */
ota_hostflash_t *t_flash_new(void);
/* Writes `img` into app (as flash-image does) and a CONFIRMED record with it installed. */
void t_flash_install_direct(ota_hostflash_t *h, const uint8_t *full, size_t full_len);
/* Erases staging, programs the package and writes STAGED (like OtaCore's commit). */
void t_stage(ota_hostflash_t *h, const uint8_t *pkg, size_t pkg_len);
/* Writes a record with `state` on top of the current one (copying its fields). */
void t_write_state(ota_hostflash_t *h, uint32_t state);
/* Loads the current record. */
ota_state_store_t t_state(ota_hostflash_t *h);
/* 1 when app holds `full`'s body exactly. */
int t_app_holds(ota_hostflash_t *h, const uint8_t *full, size_t full_len);

/* One boot (shared static working memory). */
int t_boot(ota_hostflash_t *h, ota_boot_report_t *r);

#endif
