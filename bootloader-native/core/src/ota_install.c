/* Installer: package verification, the sector pipeline into the target partition, and the
 * post-install check (see ota_install.h for the algorithm). */
#include "ota_install.h"
#include "ota_arena.h"
#include "ota_multi_image.h"
#include "ota_sig_flash.h"
#include "ota_crc.h"
#include "ota_err.h"
#include <string.h>

/* ---- sector pipeline ------------------------------------------------------------------- */

static int program_pages(ota_install_work_t *w, uint32_t addr)
{
    for (uint32_t o = 0; o < OTA_FLASH_SECTOR_SIZE; o += OTA_FLASH_PAGE_SIZE) {
        const uint8_t *p = w->sec + o;
        if (ota_flash_is_erased(p, OTA_FLASH_PAGE_SIZE)) continue; /* erased already reads 0xFF */
        int rc = ota_flash_program(w->flash, addr + o, p, OTA_FLASH_PAGE_SIZE);
        if (rc) return rc;
        w->stats.pages_programmed++;
    }
    return OTA_OK;
}

/* Writes sec[] (a whole sector, 0xFF past the body) to target + sec_base. */
static int commit_sector(ota_install_work_t *w)
{
    const ota_flash_t *f = w->flash;
    uint32_t addr = w->target + w->sec_base;
    uint32_t block = addr - addr % OTA_FLASH_BLOCK_SIZE;
    uint32_t end = w->target + ota_flash_round_up_sector(w->inner.img_len);
    int always = (w->outer.img_attr & OTA_ATTR_ERASE_ALWAYS) != 0;
    int rc, equal = 0;

    if (w->block_erased == block) {
        w->stats.sectors_written++;
        return program_pages(w, addr);
    }
    if (!always) {
        rc = ota_flash_compare(f, addr, w->sec, OTA_FLASH_SECTOR_SIZE, &equal);
        if (rc) return rc;
        if (equal) {
            w->stats.sectors_skipped++;
            return OTA_OK;
        }
    }
    if (addr == block && end - addr >= OTA_FLASH_BLOCK_SIZE) {
        /* the whole block will be rewritten: one block erase instead of 16 sector erases */
        rc = ota_flash_erase_block(f, block);
        if (rc) return rc;
        w->block_erased = block;
        w->stats.block_erases++;
    } else {
        rc = ota_flash_erase_sector(f, addr);
        if (rc) return rc;
        w->stats.sector_erases++;
    }
    w->stats.sectors_written++;
    return program_pages(w, addr);
}

/* ---- stream sink: the full image (inner header + body) in order ----------------------- */

static int take_inner_header(ota_install_work_t *w)
{
    int rc = ota_image_parse_header(w->inner_raw, OTA_IMG_HEADER_SIZE, &w->inner);
    if (rc) {
        w->inner_err = rc;
        return OTA_E_IMG_INNER;
    }
    if (ota_img_compress(&w->outer) == OTA_COMPRESS_XZ) {
        rc = ota_image_check_inner(&w->outer, &w->inner);
        if (rc) return rc;
    }
    if (w->inner.img_len > w->target_size) return OTA_E_IMG_TOO_LARGE;
    if (w->sig_checked && (uint64_t)OTA_IMG_HEADER_SIZE + w->inner.img_len != w->sig.image_size)
        return OTA_E_SIG_HASH;
    return OTA_OK;
}

static int sink(void *ctx, const uint8_t *data, size_t len)
{
    ota_install_work_t *w = ctx;
    if (w->sig_checked && !w->writing) {
        int rc = ota_sig_image_update(&w->sig_img, data, len);
        if (rc) return rc;
    }
    while (len > 0) {
        if (w->out_pos < OTA_IMG_HEADER_SIZE) {
            size_t n = OTA_IMG_HEADER_SIZE - (size_t)w->out_pos;
            if (n > len) n = len;
            memcpy(w->inner_raw + w->out_pos, data, n);
            w->out_pos += n; data += n; len -= n;
            if (w->out_pos == OTA_IMG_HEADER_SIZE) {
                int rc = take_inner_header(w);
                if (rc) return rc;
            }
            continue;
        }
        uint64_t body = w->out_pos - OTA_IMG_HEADER_SIZE;
        if (body + len > w->inner.img_len) {
            w->inner_err = OTA_E_IMG_TRAILING;
            return OTA_E_IMG_INNER;
        }
        size_t n = len;
        if (w->writing) {
            size_t room = OTA_FLASH_SECTOR_SIZE - w->sec_fill;
            if (n > room) n = room;
            memcpy(w->sec + w->sec_fill, data, n);
            w->sec_fill += (uint32_t)n;
            if (w->sec_fill == OTA_FLASH_SECTOR_SIZE) {
                int rc = commit_sector(w);
                if (rc) return rc;
                w->sec_base += OTA_FLASH_SECTOR_SIZE;
                w->sec_fill = 0;
            }
        }
        w->body_crc = ota_crc32_update(w->body_crc, data, n);
        w->stats.bytes_written += w->writing ? (uint32_t)n : 0;
        w->out_pos += n; data += n; len -= n;
    }
    return OTA_OK;
}

/* Earlier output for LZMA matches beyond the RAM window: the inner header copy, the sector
 * buffer, or the target flash the bytes were already committed to. */
static int history(void *ctx, uint64_t pos, uint8_t *buf, size_t len)
{
    ota_install_work_t *w = ctx;
    if (!w->writing) return OTA_E_XZ_MEMLIMIT; /* nothing written to read back: stop verifying */
    while (len > 0) {
        size_t n;
        if (pos < OTA_IMG_HEADER_SIZE) {
            n = OTA_IMG_HEADER_SIZE - (size_t)pos;
            if (n > len) n = len;
            memcpy(buf, w->inner_raw + pos, n);
        } else {
            uint64_t body = pos - OTA_IMG_HEADER_SIZE;
            if (body >= w->sec_base) {
                if (body + len > (uint64_t)w->sec_base + w->sec_fill) return OTA_E_XZ_DATA;
                memcpy(buf, w->sec + (body - w->sec_base), len);
                return OTA_OK;
            }
            n = (size_t)(w->sec_base - body);
            if (n > len) n = len;
            int rc = ota_flash_read(w->flash, w->target + (uint32_t)body, buf, (uint32_t)n);
            if (rc) return rc;
        }
        pos += n; buf += n; len -= n;
    }
    return OTA_OK;
}

static void reset_stream(ota_install_work_t *w, int writing)
{
    w->writing = writing;
    w->out_pos = 0;
    w->inner_err = 0;
    w->body_crc = OTA_CRC32_INIT;
    w->sec_base = 0;
    w->sec_fill = 0;
    w->block_erased = UINT32_MAX;
    memset(&w->stats, 0, sizeof w->stats);
    memset(w->sec, 0xFF, sizeof w->sec);
}

static int run_xz(ota_install_work_t *w)
{
    w->win.ram = w->window;
    w->win.ram_size = OTA_INSTALL_WINDOW_SIZE;
    w->win.ctx = w;
    w->win.flush = sink;
    w->win.read_history = history;
    w->win.out_limit = w->sig_checked ? w->sig.image_size : (uint64_t)OTA_IMG_HEADER_SIZE + w->target_size;
    ota_xz_init(&w->xz, &w->win);
    uint32_t src = w->staging + OTA_IMG_HEADER_SIZE, left = w->outer.img_len;
    while (left > 0) {
        uint32_t n = left < OTA_INSTALL_IO_SIZE ? left : OTA_INSTALL_IO_SIZE;
        int rc = ota_flash_read(w->flash, src, w->io, n);
        if (rc) return rc;
        size_t used = 0;
        rc = ota_xz_run(&w->xz, w->io, n, &used);
        if (rc == OTA_XZ_END) return OTA_OK; /* what follows is the body's 0xFF padding */
        if (rc != OTA_XZ_MORE) return rc;
        if (used == 0) return OTA_E_XZ_DATA;
        src += (uint32_t)used;
        left -= (uint32_t)used;
    }
    return OTA_E_XZ_TRUNCATED;
}

static int run_copy(ota_install_work_t *w)
{
    int rc = ota_flash_read(w->flash, w->staging, w->io, OTA_IMG_HEADER_SIZE);
    if (rc) return rc;
    rc = sink(w, w->io, OTA_IMG_HEADER_SIZE);
    if (rc) return rc;
    uint32_t src = w->staging + OTA_IMG_HEADER_SIZE, left = w->outer.img_len;
    while (left > 0) {
        uint32_t n = left < OTA_INSTALL_IO_SIZE ? left : OTA_INSTALL_IO_SIZE;
        rc = ota_flash_read(w->flash, src, w->io, n);
        if (rc) return rc;
        rc = sink(w, w->io, n);
        if (rc) return rc;
        src += n;
        left -= n;
    }
    return OTA_OK;
}

/* Runs the whole stream once; checks the inner image's length and (when verifying) CRC. */
static int run_stream(ota_install_work_t *w, int writing)
{
    reset_stream(w, writing);
    int compressed = ota_img_compress(&w->outer) == OTA_COMPRESS_XZ;
    int rc = compressed ? run_xz(w) : run_copy(w);
    if (rc == OTA_E_XZ_OUTPUT_LIMIT && w->sig_checked) return OTA_E_SIG_HASH; /* beyond image_size */
    if (rc) return rc;
    if (w->out_pos < OTA_IMG_HEADER_SIZE ||
        w->out_pos != (uint64_t)OTA_IMG_HEADER_SIZE + w->inner.img_len) {
        w->inner_err = OTA_E_IMG_TRUNCATED;
        return OTA_E_IMG_INNER;
    }
    if (w->body_crc != w->inner.org_checksum) {
        w->inner_err = OTA_E_IMG_BODY_CRC;
        return compressed ? OTA_E_IMG_INNER : OTA_E_IMG_BODY_CRC;
    }
    if (writing && w->sec_fill > 0) {
        memset(w->sec + w->sec_fill, 0xFF, OTA_FLASH_SECTOR_SIZE - w->sec_fill);
        rc = commit_sector(w);
        if (rc) return rc;
        w->sec_fill = 0;
    }
    return OTA_OK;
}

/* ---- verification ---------------------------------------------------------------------- */

static int check_addresses(ota_install_work_t *w, const ota_install_target_t *t)
{
    const ota_img_header_t *h = &w->outer;
    const ota_layout_t *l = t->layout;
    if (h->img_header_addr != l->otadata.offset) return OTA_E_IMG_ADDR;
    if (h->upgrade_img_addr != l->staging.offset) return OTA_E_IMG_ADDR;
    ota_part_t dst;
    int rc = ota_ptable_at(t->pt, h->img_addr, &dst);
    if (rc == OTA_E_PT_MISSING) return OTA_E_IMG_ADDR;
    if (rc) return rc;
    if (ota_img_type(h) == OTA_IMG_TYPE_APP) {
        if (dst.offset != l->app.offset) return OTA_E_IMG_ADDR;
    } else {
        /* data images go to a data partition other than the state record */
        if (dst.type != OTA_PT_TYPE_DATA || dst.offset == l->otadata.offset) return OTA_E_IMG_ADDR;
    }
    if (ota_img_total_len(h) > l->staging.size - t->image_offset) return OTA_E_IMG_TOO_LARGE;
    if (ota_img_compress(h) == OTA_COMPRESS_NONE && h->img_len > dst.size) return OTA_E_IMG_TOO_LARGE;
    rc = ota_multi_check_link(h, t->image_offset, l->staging.size);
    if (rc) return rc;
    w->target = dst.offset;
    w->target_size = dst.size;
    return OTA_OK;
}

/* Signed package: with keys the full check (then the block binds the decoded stream and the
 * installed image), without keys the block format only. */
static int verify_signature(ota_install_work_t *w, int keyed)
{
    if (!keyed) { /* parsed into w->sig, which counts only once sig_checked is set */
        int rc = ota_flash_read(w->flash, w->staging + OTA_IMG_HEADER_SIZE + w->outer.img_len, w->io, OTA_SIG_BLOCK_SIZE);
        return rc ? rc : ota_sig_block_parse(w->io, &w->sig);
    }
    /* mbedTLS' bignums and the hash contexts live in the idle decoder memory (run_xz
     * re-initialises it afterwards) */
    if (ota_arena_init(&w->sig_arena, w->sig_heap, sizeof w->sig_heap) != 0) return OTA_E_SIG_NOMEM;
    ota_arena_lend(&w->sig_arena);
    int rc = ota_sig_verify_flash(w->flash, w->staging, &w->outer, w->keys, &w->sig, &w->sig_check,
                                  w->io, sizeof w->io);
    ota_arena_lend(NULL);
    if (rc) return rc;
    if (w->sig.image_size < OTA_IMG_HEADER_SIZE || w->sig.image_size - OTA_IMG_HEADER_SIZE > w->target_size)
        return OTA_E_IMG_TOO_LARGE;
    w->sig_checked = 1;
    return OTA_OK;
}

int ota_install_verify(ota_install_work_t *w, const ota_flash_t *f, const ota_install_target_t *t,
                       int *verify_mode)
{
    /* the outer header is read into inner_raw: for a straight copy it is the inner header too,
     * for an xz package the verification pass overwrites it with the decoded one */
    uint8_t *raw = w->inner_raw;
    *verify_mode = 0;
    w->flash = f;
    w->staging = t->layout->staging.offset + t->image_offset;
    w->inner_err = 0;
    if (t->image_offset >= t->layout->staging.size) return OTA_E_IMG_NEXT;
    int rc = ota_flash_read(f, w->staging, raw, OTA_IMG_HEADER_SIZE);
    if (rc) return rc;
    rc = ota_multi_parse_header(raw, &w->outer, t->image_offset == 0);
    if (rc) return rc;
    w->sig_checked = 0;
    int keyed = w->keys && w->keys->count > 0;
    if ((keyed || t->signed_mode) && !ota_img_signed(&w->outer)) return OTA_E_SIG_MISSING;
    rc = check_addresses(w, t);
    if (rc) return rc;
    uint32_t crc;
    rc = ota_flash_crc32(f, w->staging + OTA_IMG_HEADER_SIZE, w->outer.img_len, w->io, sizeof w->io, &crc);
    if (rc) return rc;
    if (crc != w->outer.org_checksum) return OTA_E_IMG_BODY_CRC;
    if (ota_img_signed(&w->outer)) {
        rc = verify_signature(w, keyed);
        if (rc) return rc;
    }
    if (w->outer.upd_no < t->max_upd_no &&
        (t->signed_mode || !(w->outer.flags & OTA_FLAG_SKIP_UPGRADE)))
        return OTA_E_INSTALL_ROLLBACK;
    if (ota_img_compress(&w->outer) == OTA_COMPRESS_NONE) {
        w->inner = w->outer;
        if (w->outer.next) { /* what gets installed is the image alone: no chain fields */
            w->inner.next = 0;
            w->inner.flags &= ~OTA_FLAG_DEPLOY_COMPAT;
            ota_image_encode(&w->inner, w->inner_raw);
        }
        *verify_mode = OTA_VERIFY_FULL; /* the body CRC above covered every byte */
        return OTA_OK;
    }
    if (w->sig_checked) {
        rc = ota_sig_image_begin(&w->sig_img);
        if (rc) return rc;
    }
    rc = run_stream(w, 0);
    if (w->sig_checked) {
        int hrc = ota_sig_image_finish(&w->sig_img, &w->sig); /* also releases the hash */
        if (rc == OTA_OK && hrc) return hrc;
    }
    if (rc == OTA_E_XZ_MEMLIMIT && w->out_pos >= OTA_IMG_HEADER_SIZE) {
        /* a RISC-V BCJ image longer than the decoder's alignment table: refused now, not
         * halfway through the install */
        if ((uint64_t)OTA_IMG_HEADER_SIZE + w->inner.img_len > ota_xz_far_out_limit(&w->xz))
            return OTA_E_XZ_MEMLIMIT;
        *verify_mode = OTA_VERIFY_HEADER;
        return OTA_OK;
    }
    if (rc) return rc;
    *verify_mode = OTA_VERIFY_FULL;
    return OTA_OK;
}

int ota_install_write(ota_install_work_t *w)
{
    return run_stream(w, 1);
}

int ota_install_check_target(const ota_flash_t *f, const ota_img_header_t *h, uint8_t *io, uint32_t io_len)
{
    uint32_t crc;
    int rc = ota_flash_crc32(f, h->img_addr, h->img_len, io, io_len, &crc);
    if (rc) return rc;
    return crc == h->org_checksum ? OTA_OK : OTA_E_INSTALL_VERIFY;
}
