/* Test helpers (see boot_testlib.h). */
#include "boot_testlib.h"
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_md5.h"

/* weak: a test may define its own counter */
__attribute__((weak)) int t_failures;
static ota_install_work_t work;

void t_firmware(uint8_t *out, size_t len, uint32_t seed)
{
    /* instruction-like words with repeats: compresses like real code, differs per seed */
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        out[i] = (i % 16 < 6) ? (uint8_t)(x & 0x1F) : (uint8_t)((i / 64 + seed) & 0xFF);
    }
}

size_t t_full_image(uint8_t *out, const uint8_t *fw, size_t fw_len, const char *ver, uint32_t upd_no,
                    uint32_t attr_extra, uint32_t flags)
{
    size_t body = (fw_len + 3) & ~(size_t)3;
    memcpy(out + 64, fw, fw_len);
    memset(out + 64 + fw_len, 0xFF, body - fw_len);
    ota_img_header_t h;
    memset(&h, 0, sizeof h);
    h.magic_no = OTA_IMG_MAGIC;
    h.img_attr = OTA_IMG_TYPE_APP | attr_extra;
    h.img_addr = T_APP;
    h.img_len = (uint32_t)body;
    h.img_header_addr = T_OTADATA;
    h.upgrade_img_addr = T_STAGING;
    h.org_checksum = ota_crc32(out + 64, body);
    h.upd_no = upd_no;
    strncpy(h.ver, ver, 15);
    h.flags = flags;
    ota_image_encode(&h, out);
    return 64 + body;
}

size_t t_seeded_image(uint8_t *out, uint8_t *fw, size_t fw_len, uint32_t seed, const char *ver, uint32_t upd_no)
{
    t_firmware(fw, fw_len, seed);
    return t_full_image(out, fw, fw_len, ver, upd_no, 0, 0);
}

size_t t_xz_package(uint8_t *out, size_t cap, const uint8_t *full, size_t full_len, uint32_t preset)
{
    size_t pos = 0;
    if (lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC32, NULL, full, full_len, out + 64, &pos, cap - 64 - 4) != LZMA_OK) {
        printf("FAIL liblzma encode\n");
        exit(2);
    }
    size_t body = (pos + 3) & ~(size_t)3;
    memset(out + 64 + pos, 0xFF, body - pos);
    ota_img_header_t inner, h;
    ota_image_decode(full, &inner);
    h = inner;
    h.img_attr = (inner.img_attr & ~OTA_ATTR_COMPRESS_MASK) | (OTA_COMPRESS_XZ << OTA_ATTR_COMPRESS_SHIFT);
    h.img_len = (uint32_t)body;
    h.org_checksum = ota_crc32(out + 64, body);
    ota_image_encode(&h, out);
    return 64 + body;
}

static void row(uint8_t *r, const char *label, uint8_t type, uint8_t sub, uint32_t off, uint32_t size)
{
    memset(r, 0, 32);
    r[0] = 0xAA; r[1] = 0x50; r[2] = type; r[3] = sub;
    for (int i = 0; i < 4; i++) { r[4 + i] = (uint8_t)(off >> (8 * i)); r[8 + i] = (uint8_t)(size >> (8 * i)); }
    strncpy((char *)r + 12, label, 16);
}

ota_hostflash_t *t_flash_new(void)
{
    int err;
    ota_hostflash_t *h = ota_hostflash_open(NULL, T_FLASH_SIZE, &err);
    uint8_t t[OTA_PT_MAX_LEN];
    memset(t, 0xFF, sizeof t);
    row(t + 0 * 32, "nvs", 1, 2, 0x9000, 0x14000);
    row(t + 1 * 32, "phy_init", 1, 1, 0x1D000, 0x1000);
    row(t + 2 * 32, "otadata", 1, 0, T_OTADATA, 0x2000);
    row(t + 3 * 32, "app", 0, 0, T_APP, T_APP_SIZE);
    row(t + 4 * 32, "app_ota", 0, 0x10, T_STAGING, T_STAGING_SIZE);
    row(t + 5 * 32, "deploy", 1, 0x84, 0x2F0000, 0x80000);
    row(t + 6 * 32, "config", 1, 0x83, 0x370000, 0x90000);
    uint8_t *md5row = t + 7 * 32;
    md5row[0] = 0xEB; md5row[1] = 0xEB;
    ota_md5(t, 7 * 32, md5row + 16);
    ota_flash_write(&h->flash, OTA_PT_ADDR, t, sizeof t);
    ota_hostflash_reset_counters(h);
    return h;
}

void t_flash_install_direct(ota_hostflash_t *h, const uint8_t *full, size_t full_len)
{
    size_t body = full_len - 64;
    CHECK_EQ(ota_flash_erase_range(&h->flash, T_APP, (uint32_t)((body + 4095) & ~(size_t)4095)), 0);
    CHECK_EQ(ota_flash_write(&h->flash, T_APP, full + 64, (uint32_t)body), 0);
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, T_OTADATA);
    ota_state_t s = st.cur;
    s.state = OTA_STATE_CONFIRMED;
    memcpy(s.installed_header, full, 64);
    ota_img_header_t hd;
    ota_image_decode(full, &hd);
    if (hd.upd_no > s.max_upd_no) s.max_upd_no = hd.upd_no;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
}

void t_stage(ota_hostflash_t *h, const uint8_t *pkg, size_t pkg_len)
{
    CHECK_EQ(ota_flash_erase_range(&h->flash, T_STAGING, (uint32_t)((pkg_len + 4095) & ~(size_t)4095)), 0);
    CHECK_EQ(ota_flash_write(&h->flash, T_STAGING, pkg, (uint32_t)pkg_len), 0);
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, T_OTADATA);
    ota_state_t s = st.cur;
    s.state = OTA_STATE_STAGED;
    s.last_error = 0;
    s.install_attempts = 0;
    memcpy(s.staged_header, pkg, 64);
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
}

void t_write_state(ota_hostflash_t *h, uint32_t state)
{
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, T_OTADATA);
    ota_state_t s = st.cur;
    s.state = state;
    CHECK_EQ(ota_state_write(&st, &s, 0), 0);
}

ota_state_store_t t_state(ota_hostflash_t *h)
{
    ota_state_store_t st;
    ota_state_load(&st, &h->flash, T_OTADATA);
    return st;
}

int t_app_holds(ota_hostflash_t *h, const uint8_t *full, size_t full_len)
{
    int equal = 0;
    if (ota_flash_compare(&h->flash, T_APP, full + 64, (uint32_t)(full_len - 64), &equal)) return 0;
    return equal;
}

int t_boot(ota_hostflash_t *h, ota_boot_report_t *r)
{
    return ota_boot_run(&h->flash, NULL, &work, r);
}
