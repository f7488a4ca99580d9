/* Checked wrappers over a port's flash ops (see ota_flash.h for the NOR rules). */
#include "ota_flash.h"
#include "ota_crc.h"
#include "ota_err.h"
#include <string.h>

void ota_flash_init(ota_flash_t *f, const ota_flash_ops_t *ops, void *ctx, uint32_t size)
{
    f->ops = ops;
    f->ctx = ctx;
    f->size = size;
    f->sector_size = OTA_FLASH_SECTOR_SIZE;
    f->block_size = OTA_FLASH_BLOCK_SIZE;
    f->page_size = OTA_FLASH_PAGE_SIZE;
    f->write_align = 1;
}

static int in_range(const ota_flash_t *f, uint32_t addr, uint32_t len)
{
    return addr <= f->size && len <= f->size - addr;
}

int ota_flash_read(const ota_flash_t *f, uint32_t addr, void *buf, uint32_t len)
{
    if (!in_range(f, addr, len)) return OTA_E_FLASH_RANGE;
    if (len == 0) return OTA_OK;
    return f->ops->read(f->ctx, addr, (uint8_t *)buf, len);
}

int ota_flash_program(const ota_flash_t *f, uint32_t addr, const void *buf, uint32_t len)
{
    if (!in_range(f, addr, len)) return OTA_E_FLASH_RANGE;
    if (len == 0) return OTA_OK;
    if (addr % f->write_align || len % f->write_align) return OTA_E_FLASH_ALIGN;
    if (addr / f->page_size != (addr + len - 1) / f->page_size) return OTA_E_FLASH_ALIGN;
    return f->ops->program(f->ctx, addr, (const uint8_t *)buf, len);
}

int ota_flash_write(const ota_flash_t *f, uint32_t addr, const void *buf, uint32_t len)
{
    const uint8_t *p = (const uint8_t *)buf;
    if (!in_range(f, addr, len)) return OTA_E_FLASH_RANGE;
    while (len > 0) {
        uint32_t room = f->page_size - addr % f->page_size;
        uint32_t n = len < room ? len : room;
        int rc = ota_flash_program(f, addr, p, n);
        if (rc) return rc;
        addr += n; p += n; len -= n;
    }
    return OTA_OK;
}

int ota_flash_erase_sector(const ota_flash_t *f, uint32_t addr)
{
    if (!in_range(f, addr, f->sector_size)) return OTA_E_FLASH_RANGE;
    if (addr % f->sector_size) return OTA_E_FLASH_ALIGN;
    return f->ops->erase_sector(f->ctx, addr);
}

int ota_flash_erase_block(const ota_flash_t *f, uint32_t addr)
{
    if (!in_range(f, addr, f->block_size)) return OTA_E_FLASH_RANGE;
    if (addr % f->block_size) return OTA_E_FLASH_ALIGN;
    if (f->ops->erase_block) return f->ops->erase_block(f->ctx, addr);
    for (uint32_t a = addr; a < addr + f->block_size; a += f->sector_size) {
        int rc = f->ops->erase_sector(f->ctx, a);
        if (rc) return rc;
    }
    return OTA_OK;
}

int ota_flash_erase_range(const ota_flash_t *f, uint32_t addr, uint32_t len)
{
    if (!in_range(f, addr, len)) return OTA_E_FLASH_RANGE;
    if (addr % f->sector_size || len % f->sector_size) return OTA_E_FLASH_ALIGN;
    uint32_t end = addr + len;
    while (addr < end) {
        int rc;
        if (addr % f->block_size == 0 && end - addr >= f->block_size) {
            rc = ota_flash_erase_block(f, addr);
            addr += f->block_size;
        } else {
            rc = ota_flash_erase_sector(f, addr);
            addr += f->sector_size;
        }
        if (rc) return rc;
    }
    return OTA_OK;
}

int ota_flash_compare(const ota_flash_t *f, uint32_t addr, const void *data, uint32_t len, int *equal)
{
    uint8_t chunk[64];
    const uint8_t *p = (const uint8_t *)data;
    *equal = 0;
    while (len > 0) {
        uint32_t n = len < sizeof chunk ? len : (uint32_t)sizeof chunk;
        int rc = ota_flash_read(f, addr, chunk, n);
        if (rc) return rc;
        if (memcmp(chunk, p, n) != 0) return OTA_OK;
        addr += n; p += n; len -= n;
    }
    *equal = 1;
    return OTA_OK;
}

int ota_flash_crc32(const ota_flash_t *f, uint32_t addr, uint32_t len, uint8_t *buf, uint32_t buf_len,
                    uint32_t *crc)
{
    uint32_t c = OTA_CRC32_INIT;
    while (len > 0) {
        uint32_t n = len < buf_len ? len : buf_len;
        int rc = ota_flash_read(f, addr, buf, n);
        if (rc) return rc;
        c = ota_crc32_update(c, buf, n);
        addr += n;
        len -= n;
    }
    *crc = c;
    return OTA_OK;
}
