/* Flash HAL over the ESP-IDF bootloader flash API (compiled only in an ESP-IDF build).
 * The bootloader API takes care of the SPI flash commands; we map its esp_err_t results onto
 * ota_err_t and keep the NOR rules the core relies on (the checked wrappers in ota_flash.c do
 * range, alignment and page checks before any call lands here). Reads are unencrypted; flash
 * encryption would need write_align 16 and the *_encrypted calls. */
#include "ota_flash_esp.h"
#include "ota_err.h"
#include "bootloader_flash_priv.h"
#include "esp_rom_spiflash.h"

extern esp_rom_spiflash_chip_t g_rom_flashchip;

static int map_err(esp_err_t e)
{
    if (e == ESP_OK) return OTA_OK;
    if (e == ESP_ERR_INVALID_ARG) return OTA_E_FLASH_RANGE;
    return OTA_E_FLASH_IO;
}

static int esp_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    /* unencrypted bootloader reads need 4-byte aligned address, size and buffer: bounce */
    uint32_t words[16];
    while (len > 0) {
        uint32_t head = addr & 3u, start = addr - head;
        uint32_t n = sizeof words - head;
        if (n > len) n = len;
        esp_err_t e = bootloader_flash_read(start, words, (head + n + 3u) & ~3u, false);
        if (e != ESP_OK) return map_err(e);
        const uint8_t *w = (const uint8_t *)words + head;
        for (uint32_t i = 0; i < n; i++) buf[i] = w[i];
        addr += n; buf += n; len -= n;
    }
    return OTA_OK;
}

static int esp_program(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len)
{
    (void)ctx;
    /* bootloader_flash_write wants 4-byte alignment of address and length: widen with 0xFF,
     * which programs nothing (NOR: 1 bits stay as they are) */
    uint32_t head = addr & 3u, start = addr - head;
    uint32_t total = (head + len + 3u) & ~3u;
    uint32_t words[OTA_FLASH_PAGE_SIZE / 4 + 2];
    uint8_t *w = (uint8_t *)words;
    for (uint32_t i = 0; i < total; i++) w[i] = 0xFF;
    for (uint32_t i = 0; i < len; i++) w[head + i] = buf[i];
    return map_err(bootloader_flash_write(start, words, total, false));
}

static int esp_erase_sector(void *ctx, uint32_t addr)
{
    (void)ctx;
    return map_err(bootloader_flash_erase_sector(addr / OTA_FLASH_SECTOR_SIZE));
}

static int esp_erase_block(void *ctx, uint32_t addr)
{
    (void)ctx;
    /* erase_range issues the 64 KiB block erase command for an aligned 64 KiB range */
    return map_err(bootloader_flash_erase_range(addr, OTA_FLASH_BLOCK_SIZE));
}

static const ota_flash_ops_t esp_ops = { esp_read, esp_program, esp_erase_sector, esp_erase_block };

void ota_flash_esp_init(ota_flash_t *f)
{
    ota_flash_init(f, &esp_ops, NULL, g_rom_flashchip.chip_size);
}
