/* The shared test vectors (test-vectors/, made by generate.py, read by the C# tests too):
 * image headers (every field, every error), xz packages staged and booted (inner errors),
 * CRC-32 values, state record sectors, binary partition tables and CSV tables. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_testlib.h"
#include "ota_crc.h"
#include "ota_err.h"
#include "ota_ptable_csv.h"

#ifndef VECTORS_DIR
#error VECTORS_DIR must name the test-vectors folder
#endif

static uint8_t buf[4 << 20];
static int checked;

static size_t load(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) return (size_t)-1;
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

/* value of key= in an .expect text (NULL when absent); comments skipped */
static const char *get(const char *text, const char *key, char *val, size_t cap)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (*p == '#') continue;
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t n = strcspn(v, "\r\n");
            if (n >= cap) n = cap - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return val;
        }
    }
    return NULL;
}

static long long num(const char *text, const char *key, long long dflt)
{
    char v[256];
    return get(text, key, v, sizeof v) ? strtoll(v, NULL, 0) : dflt;
}

static void hex_to_bytes(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

typedef void (*vector_fn)(const char *dir, const char *name, const char *expect);

static void each(const char *sub, const char *ext, vector_fn fn)
{
    char dir[1024], path[1280];
    snprintf(dir, sizeof dir, "%s/%s", VECTORS_DIR, sub);
    DIR *d = opendir(dir);
    if (!d) { printf("FAIL no %s\n", dir); t_failures++; return; }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name), el = strlen(ext);
        if (n <= el || strcmp(e->d_name + n - el, ext) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        static char text[65536];
        size_t tl = load(path, (uint8_t *)text, sizeof text - 1);
        if (tl == (size_t)-1) continue;
        text[tl] = 0;
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)(n - el), e->d_name);
        fn(dir, name, text);
        checked++;
    }
    closedir(d);
}

#define VCHECK(c, name) do { if (!(c)) { printf("FAIL vector %s: %s\n", name, #c); t_failures++; } } while (0)

static void image_vector(const char *dir, const char *name, const char *ex)
{
    char path[1280];
    snprintf(path, sizeof path, "%s/%s.img", dir, name);
    size_t n = load(path, buf, sizeof buf);
    if (n == (size_t)-1) return;
    ota_img_header_t h;
    int rc = ota_image_parse(buf, n, &h);
    long long want = num(ex, "outer_error", num(ex, "error", -1));
    if (rc != want) printf("FAIL vector %s: parse gives %d, want %lld\n", name, rc, want), t_failures++;
    if (rc == 0) {
        char v[64];
        VCHECK(h.magic_no == (uint32_t)num(ex, "magic_no", 0), name);
        VCHECK(h.img_attr == (uint32_t)num(ex, "img_attr", 0), name);
        VCHECK(ota_img_type(&h) == (uint32_t)num(ex, "img_type", 0), name);
        VCHECK(ota_img_compress(&h) == (uint32_t)num(ex, "compress_type", 0), name);
        VCHECK(h.img_addr == (uint32_t)num(ex, "img_addr", 0), name);
        VCHECK(h.img_len == (uint32_t)num(ex, "img_len", 0), name);
        VCHECK(h.img_header_addr == (uint32_t)num(ex, "img_header_addr", 0), name);
        VCHECK(h.upgrade_img_addr == (uint32_t)num(ex, "upgrade_img_addr", 0), name);
        VCHECK(h.org_checksum == (uint32_t)num(ex, "org_checksum", 0), name);
        VCHECK(h.upd_no == (uint32_t)num(ex, "upd_no", 0), name);
        VCHECK(h.flags == (uint32_t)num(ex, "flags", 0), name);
        VCHECK(h.next == (uint32_t)num(ex, "next", 0), name);
        VCHECK(h.hd_checksum == (uint32_t)num(ex, "hd_checksum", 0), name);
        VCHECK(get(ex, "ver", v, sizeof v) && strcmp(v, h.ver) == 0, name);
    }
    /* packages the outer checks accept: stage and boot; the bootloader must give `error` */
    if (rc == 0 && ota_img_type(&h) == OTA_IMG_TYPE_APP && h.img_addr == T_APP &&
        h.upgrade_img_addr == T_STAGING && h.img_header_addr == T_OTADATA) {
        long long inner_want = num(ex, "error", -1);
        ota_hostflash_t *f = t_flash_new();
        ota_boot_report_t r;
        t_stage(f, buf, n);
        t_boot(f, &r);
        if (inner_want == 0) {
            VCHECK(r.state_after == OTA_STATE_TRIAL && r.boot, name);
            char full[1280];
            snprintf(full, sizeof full, "%s/%s.full", dir, name);
            static uint8_t fullimg[1 << 20];
            size_t fl = load(full, fullimg, sizeof fullimg);
            const uint8_t *img = buf;
            if (ota_img_compress(&h) == OTA_COMPRESS_XZ) {
                VCHECK(fl != (size_t)-1, name); /* the xz vector's full image */
                img = fullimg;
                n = fl;
            }
            VCHECK(t_app_holds(f, img, n), name);
            VCHECK(memcmp(t_state(f).cur.installed_header, img, 64) == 0, name);
        } else {
            if (r.error != inner_want) printf("FAIL vector %s: boot gives E%d, want E%lld\n", name, r.error, inner_want), t_failures++;
            VCHECK(r.state_after == OTA_STATE_FAILED, name);
            VCHECK(t_state(f).cur.last_error == (uint32_t)inner_want, name);
        }
        ota_hostflash_close(f);
    }
}

static void crc_vector(const char *dir, const char *name, const char *text)
{
    char path[1280];
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    size_t n = load(path, buf, sizeof buf);
    VCHECK(n != (size_t)-1, name);
    uint32_t want = (uint32_t)strtoul(text, NULL, 16);
    VCHECK(ota_crc32(buf, n) == want, name);
}

/* The record-log rule of a `next=S:K:E` key: a write of `state` from the vector's otadata lands in
 * sector S slot K, erasing first when E = 1, and reads back as the current record. */
static void state_next(ota_hostflash_t *f, const char *ex, const char *key, uint32_t state, const char *name)
{
    char v[64];
    int sector, slot, erase;
    if (!get(ex, key, v, sizeof v)) return;
    VCHECK(sscanf(v, "%d:%d:%d", &sector, &slot, &erase) == 3, name);
    ota_flash_erase_range(&f->flash, T_OTADATA, 0x2000);
    ota_flash_write(&f->flash, T_OTADATA, buf, 0x2000);
    ota_state_store_t st, back;
    CHECK_EQ(ota_state_load(&st, &f->flash, T_OTADATA), 0);
    ota_state_t next = st.cur;
    next.state = state;
    ota_hostflash_reset_counters(f);
    CHECK_EQ(ota_state_write(&st, &next, 1), 0);
    VCHECK(st.sector == sector && st.slot == slot, name);
    VCHECK(f->count.sector_erases == (uint64_t)erase, name);
    CHECK_EQ(ota_state_load(&back, &f->flash, T_OTADATA), 0);
    VCHECK(back.sector == sector && back.slot == slot && back.cur.seq == next.seq && back.cur.state == state, name);
}

static void state_vector(const char *dir, const char *name, const char *ex)
{
    char path[1280], v[512];
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    size_t n = load(path, buf, sizeof buf);
    VCHECK(n == 2 * OTA_FLASH_SECTOR_SIZE, name);
    ota_hostflash_t *f = t_flash_new();
    ota_flash_erase_range(&f->flash, T_OTADATA, 0x2000);
    ota_flash_write(&f->flash, T_OTADATA, buf, 0x2000);
    ota_state_store_t st;
    CHECK_EQ(ota_state_load(&st, &f->flash, T_OTADATA), 0);
    if (num(ex, "valid", 0) == 0) {
        VCHECK(st.sector == -1 && st.cur.state == OTA_STATE_NONE, name);
    } else {
        uint8_t hdr[64], tag[32];
        VCHECK(st.sector == num(ex, "sector", -2), name);
        VCHECK(st.slot == num(ex, "slot", -2), name);
        VCHECK(st.cur.seq == (uint32_t)num(ex, "seq", 0), name);
        VCHECK(st.cur.state == (uint32_t)num(ex, "state", 0), name);
        VCHECK(st.cur.last_error == (uint32_t)num(ex, "last_error", 0), name);
        VCHECK(st.cur.max_upd_no == (uint32_t)num(ex, "max_upd_no", 0), name);
        VCHECK(st.cur.install_count == (uint32_t)num(ex, "install_count", 0), name);
        VCHECK(st.cur.install_attempts == (uint32_t)num(ex, "install_attempts", 0), name);
        VCHECK(st.cur.flags == (uint32_t)num(ex, "flags", 0), name);
        if (get(ex, "staged_header", v, sizeof v)) { hex_to_bytes(v, hdr, 64); VCHECK(memcmp(hdr, st.cur.staged_header, 64) == 0, name); }
        if (get(ex, "installed_header", v, sizeof v)) { hex_to_bytes(v, hdr, 64); VCHECK(memcmp(hdr, st.cur.installed_header, 64) == 0, name); }
        if (get(ex, "source_tag", v, sizeof v)) { hex_to_bytes(v, tag, 32); VCHECK(memcmp(tag, st.cur.source_tag, 32) == 0, name); }
        uint32_t trials;
        ota_state_trial_count(&st, &trials);
        VCHECK(trials == (uint32_t)num(ex, "trial_boots", 0), name);
        /* durable blocks: cleared bitmap bits of the current slot */
        uint8_t bm[OTA_STATE_BITMAP_LEN];
        ota_flash_read(&f->flash, ota_state_record_addr(&st) + OTA_STATE_BITMAP_OFFSET, bm, sizeof bm);
        long durable = 0;
        for (size_t i = 0; i < sizeof bm; i++) for (uint8_t b = (uint8_t)~bm[i]; b; b >>= 1) durable += b & 1;
        VCHECK(durable == num(ex, "durable_blocks", 0), name);
        /* and our encoder reproduces the record bytes */
        uint8_t rec[OTA_STATE_RECORD_SIZE];
        ota_state_encode(&st.cur, rec);
        VCHECK(memcmp(rec, buf + (ota_state_record_addr(&st) - T_OTADATA), sizeof rec) == 0, name);
        state_next(f, ex, "next", OTA_STATE_CONFIRMED, name);
        state_next(f, ex, "next_staged", OTA_STATE_STAGED, name);
    }
    ota_hostflash_close(f);
}

static void compare_entries(const ota_ptable_t *pt, const char *ex, const char *name)
{
    uint32_t i = 0;
    for (const char *p = ex; (p = strstr(p, "entry=")); p += 6, i++) {
        char label[32];
        unsigned type, sub, off, size, flags;
        if (sscanf(p + 6, "%31[^,],%x,%x,%x,%x,%u", label, &type, &sub, &off, &size, &flags) != 6) { VCHECK(0, name); return; }
        if (i >= pt->count) { VCHECK(i < pt->count, name); return; }
        ota_part_t part, *e = &part;
        if (ota_ptable_get(pt, i, e) != 0) { VCHECK(0, name); return; }
        if (strcmp(e->label, label) || e->type != type || e->subtype != sub || e->offset != off || e->size != size || e->flags != flags) {
            printf("FAIL vector %s: entry %u is %s,%x,%x,%x,%x,%u, want %s\n", name, i, e->label, e->type, e->subtype,
                   e->offset, e->size, e->flags, label);
            t_failures++;
        }
    }
    VCHECK(i == pt->count, name);
}

static void partition_vector(const char *dir, const char *name, const char *ex)
{
    char path[1280], fmt[32], bin[256];
    ota_ptable_t pt;
    static uint8_t rows[OTA_PT_MAX_LEN];
    if (!get(ex, "format", fmt, sizeof fmt)) return;
    long long want = num(ex, "error", -1);
    if (strcmp(fmt, "bin") == 0) {
        snprintf(path, sizeof path, "%s/%s.bin", dir, name);
        size_t n = load(path, buf, sizeof buf);
        int rc = ota_ptable_parse_binary(buf, n, &pt);
        if (rc != want) printf("FAIL vector %s: binary gives %d, want %lld\n", name, rc, want), t_failures++;
        return;
    }
    if (strcmp(fmt, "esp") != 0) return; /* WinnerMicro CSVs: the C# tool only */
    if (get(ex, "binary", bin, sizeof bin)) {
        snprintf(path, sizeof path, "%s/%s", dir, bin);
        size_t n = load(path, buf, sizeof buf);
        VCHECK(ota_ptable_parse_binary(buf, n, &pt) == 0, name);
        VCHECK(pt.has_md5, name);
        compare_entries(&pt, ex, name);
    }
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    uint32_t line;
    int rc = ota_ptable_load_csv(path, rows, &pt, &line);
    if (rc == 0) rc = ota_ptable_check(&pt, (uint32_t)num(ex, "flash_size_bytes", 4 << 20));
    if (rc == 0) {
        ota_layout_t l;
        rc = ota_ptable_layout(&pt, &l);
    }
    if (want == OTA_E_PT_STAGING_SMALL) return; /* size policy of `ota partitions`, not the bootloader's */
    if (rc != want) printf("FAIL vector %s: csv gives %d (line %u), want %lld\n", name, rc, line, want), t_failures++;
    if (rc == OTA_E_PT_SYNTAX) VCHECK(line == (uint32_t)num(ex, "line", 0), name);
    if (rc == 0) compare_entries(&pt, ex, name);
}

int main(void)
{
    each("images", ".expect", image_vector);
    each("crc", ".crc", crc_vector);
    each("state", ".expect", state_vector);
    each("partitions", ".expect", partition_vector);
    printf("%d vectors checked\n", checked);
    CHECK(checked > 40);
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
