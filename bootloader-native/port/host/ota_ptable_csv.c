/* ESP-IDF partition CSV reader for the host runner (format in ota_ptable_csv.h). */
#include "ota_ptable_csv.h"
#include "ota_err.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 7

struct name_value { const char *name; uint8_t value; };

static const struct name_value types[] = { { "app", 0x00 }, { "data", 0x01 } };
static const struct name_value data_subtypes[] = {
    { "ota", 0x00 }, { "phy", 0x01 }, { "nvs", 0x02 }, { "coredump", 0x03 }, { "nvs_keys", 0x04 },
    { "efuse", 0x05 }, { "undefined", 0x06 }, { "esphttpd", 0x80 }, { "fat", 0x81 },
    { "spiffs", 0x82 }, { "littlefs", 0x83 },
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* Decimal or 0x hex, with an optional K or M suffix. */
static int parse_number(const char *s, uint32_t *out)
{
    char *end;
    if (!*s || *s == '-') return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s) return -1;
    if (*end == 'K' || *end == 'k') { v *= 1024; end++; }
    else if (*end == 'M' || *end == 'm') { v *= 1024 * 1024; end++; }
    if (*end || v > 0xFFFFFFFFull) return -1;
    *out = (uint32_t)v;
    return 0;
}

static int lookup(const char *s, const struct name_value *t, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(s, t[i].name) == 0) { *out = t[i].value; return 0; }
    uint32_t v;
    if (parse_number(s, &v) == 0 && v <= 0xFF) { *out = (uint8_t)v; return 0; }
    return -1;
}

static int parse_subtype(const char *s, uint8_t type, uint8_t *out)
{
    if (type == OTA_PT_TYPE_APP) {
        if (strcasecmp(s, "factory") == 0) { *out = 0x00; return 0; }
        if (strcasecmp(s, "test") == 0) { *out = 0x20; return 0; }
        if (strncasecmp(s, "ota_", 4) == 0 && isdigit((unsigned char)s[4])) {
            char *end;
            long n = strtol(s + 4, &end, 10);
            if (*end || n > 15) return -1;
            *out = (uint8_t)(0x10 + n);
            return 0;
        }
        return lookup(s, NULL, 0, out);
    }
    if (type == OTA_PT_TYPE_DATA) return lookup(s, data_subtypes, sizeof data_subtypes / sizeof data_subtypes[0], out);
    return lookup(s, NULL, 0, out);
}

static int parse_flags(char *s, uint32_t *out)
{
    *out = 0;
    for (char *tok = strtok(s, ":"); tok; tok = strtok(NULL, ":")) {
        tok = trim(tok);
        if (!*tok) continue;
        if (strcasecmp(tok, "encrypted") == 0) *out |= 1;
        else if (strcasecmp(tok, "readonly") == 0) *out |= 2;
        else return -1;
    }
    return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* The row in the ESP-IDF binary layout (ota_ptable.h). */
static void encode_row(const ota_part_t *e, uint8_t *r)
{
    r[0] = 0xAA; r[1] = 0x50; r[2] = e->type; r[3] = e->subtype;
    put_le32(r + 4, e->offset);
    put_le32(r + 8, e->size);
    memset(r + 12, 0, 16);
    memcpy(r + 12, e->label, strlen(e->label));
    put_le32(r + 28, e->flags);
}

static int parse_row(char *row, uint8_t *rows, uint32_t *count, uint32_t *next_offset)
{
    char *f[MAX_FIELDS];
    int n = 0;
    for (char *p = row; n < MAX_FIELDS; n++) {
        f[n] = p;
        char *c = strchr(p, ',');
        if (!c) { n++; break; }
        *c = 0;
        p = c + 1;
    }
    if (n < 5 || n > 6 || *count >= OTA_PT_MAX_ENTRIES) return -1;
    for (int i = 0; i < n; i++) f[i] = trim(f[i]);
    ota_part_t part, *e = &part;
    memset(e, 0, sizeof *e);
    size_t len = strlen(f[0]);
    if (len == 0 || len > 16) return -1;
    memcpy(e->label, f[0], len);
    if (lookup(f[1], types, 2, &e->type) != 0) return -1;
    if (parse_subtype(f[2], e->type, &e->subtype) != 0) return -1;
    if (parse_number(f[4], &e->size) != 0 || e->size == 0) return -1;
    if (*f[3]) {
        if (parse_number(f[3], &e->offset) != 0) return -1;
    } else {
        uint32_t align = e->type == OTA_PT_TYPE_APP ? OTA_FLASH_BLOCK_SIZE : OTA_FLASH_SECTOR_SIZE;
        e->offset = (*next_offset + align - 1) / align * align;
    }
    if (n == 6 && parse_flags(f[5], &e->flags) != 0) return -1;
    *next_offset = e->offset + e->size;
    encode_row(e, rows + *count * OTA_PT_ROW);
    (*count)++;
    return 0;
}

int ota_ptable_parse_csv(const char *text, uint8_t rows[OTA_PT_MAX_LEN], ota_ptable_t *pt, uint32_t *line)
{
    char buf[512];
    uint32_t next_offset = 0x9000, count = 0;
    memset(pt, 0, sizeof *pt);
    memset(rows, 0xFF, OTA_PT_MAX_LEN);
    *line = 0;
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        (*line)++;
        if (len >= sizeof buf) return OTA_E_PT_SYNTAX;
        memcpy(buf, text, len);
        buf[len] = 0;
        text += len + (nl ? 1 : 0);
        char *hash = strchr(buf, '#');
        if (hash) *hash = 0;
        char *row = trim(buf);
        if (!*row) continue;
        if (parse_row(row, rows, &count, &next_offset) != 0) return OTA_E_PT_SYNTAX;
    }
    *line = 0;
    if (!count) return OTA_E_PT_MISSING;
    return ota_ptable_parse_binary(rows, OTA_PT_MAX_LEN, pt);
}

int ota_ptable_load_csv(const char *path, uint8_t rows[OTA_PT_MAX_LEN], ota_ptable_t *pt, uint32_t *line)
{
    static char text[64 * 1024];
    *line = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return OTA_E_IO;
    size_t n = fread(text, 1, sizeof text - 1, fp);
    int bad = ferror(fp) || !feof(fp);
    fclose(fp);
    if (bad) return OTA_E_IO;
    text[n] = 0;
    return ota_ptable_parse_csv(text, rows, pt, line);
}
