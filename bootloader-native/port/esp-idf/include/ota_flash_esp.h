/* ESP-IDF port of the flash HAL: bootloader_flash_read / bootloader_flash_write /
 * bootloader_flash_erase_sector / bootloader_flash_erase_range (the ROM-backed SPI flash API that
 * works before the app's esp_flash driver exists). */
#ifndef OTA_FLASH_ESP_H
#define OTA_FLASH_ESP_H

#include "ota_flash.h"

/* Fills `f` for the chip's main flash; size from the image header the ROM loaded
 * (g_rom_flashchip.chip_size). */
void ota_flash_esp_init(ota_flash_t *f);

#endif
