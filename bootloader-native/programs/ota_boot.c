/* ota-boot: one boot of the native bootloader against a flash image file, JSON report on stdout.
 *   ota-boot --flash flash.bin [--partitions partitions.csv] [--flash-size 4M] [--pubkey PUB.pem]...
 *            [--flash-timing SPEC]
 * --flash-timing: the timing model of the report's modelled flash time (default esp32; grammar in
 * port/host/ota_flash_timing.h); the boot itself does not wait.
 * Trusted keys: the built-in ones (CMake OTA_SIGNING_PUBKEY) plus every --pubkey; any key makes
 * the boot run in signed mode (docs/design.md section 3).
 *   ota-boot --decode IN OUT        (xzcat-compatible, our decoder)
 * Exit status: 0 when an app would run, 1 when not, 2 on usage or I/O errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_json.h"
#include "decode_cmd.h"
#include "ota_err.h"
#include "ota_flash_timing.h"
#include "ota_hostflash.h"
#include "ota_ptable_csv.h"
#include "ota_sig_builtin.h"

static ota_install_work_t work;
static ota_ptable_t table;
static uint8_t table_rows[OTA_PT_MAX_LEN];
static char json[8192];
static ota_sig_key_t keys[8];
static ota_sig_keyring_t ring = { keys, 0 };

/* Adds a PEM public key file to the trusted keys (0 or an error code). */
static int add_pubkey(const char *path)
{
    char pem[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return OTA_E_IO;
    size_t n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    if (ring.count >= sizeof keys / sizeof keys[0]) return OTA_E_USAGE;
    int rc = ota_sig_key_from_pem(&keys[ring.count], pem, n);
    if (!rc) ring.count++;
    return rc;
}

static int fail(int code, const char *detail)
{
    fprintf(stderr, "ota-boot: E%d %s: %s\n", code, ota_err_name(code), detail);
    return 2;
}

static int parse_size(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s) return -1;
    if (*end == 'M' || *end == 'm') { v <<= 20; end++; }
    else if (*end == 'K' || *end == 'k') { v <<= 10; end++; }
    if (*end || v == 0 || v > 0x80000000ull || v % OTA_FLASH_BLOCK_SIZE) return -1;
    *out = (uint32_t)v;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: ota-boot --flash FLASH.bin [--partitions partitions.csv] [--flash-size 4M] [--pubkey PUB.pem]...\n"
                    "                [--flash-timing esp32|off|erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s]\n"
                    "       ota-boot --decode IN.xz OUT\n");
}

int main(int argc, char **argv)
{
    const char *flash = NULL, *csv = NULL;
    uint32_t size = 4u << 20;
    ota_flash_timing_t timing;
    ota_flash_timing_esp32(&timing);
    if (argc == 4 && strcmp(argv[1], "--decode") == 0)
        return ota_decode_cmd(argv[2], argv[3]) == 0 ? 0 : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) { usage(); return fail(OTA_E_USAGE, "option needs a value"); }
        if (strcmp(a, "--flash") == 0) flash = argv[++i];
        else if (strcmp(a, "--partitions") == 0) csv = argv[++i];
        else if (strcmp(a, "--pubkey") == 0) {
            int rc = add_pubkey(argv[++i]);
            if (rc) return fail(rc, argv[i]);
        }
        else if (strcmp(a, "--flash-timing") == 0) {
            if (ota_flash_timing_parse(argv[++i], &timing) != 0)
                return fail(OTA_E_USAGE, "--flash-timing is esp32, off or a list like erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s");
        }
        else if (strcmp(a, "--flash-size") == 0) {
            if (parse_size(argv[++i], &size) != 0) return fail(OTA_E_USAGE, "--flash-size must be a multiple of 64K, e.g. 4M");
        } else {
            usage();
            return fail(OTA_E_USAGE, "unknown option");
        }
    }
    if (!flash) { usage(); return fail(OTA_E_USAGE, "--flash is required"); }
    ota_sig_keyring_t builtin;
    int krc = ota_sig_builtin_keyring(&builtin);
    if (krc) return fail(krc, "built-in public key (OTA_SIGNING_PUBKEY)");
    for (uint32_t k = 0; k < builtin.count && ring.count < sizeof keys / sizeof keys[0]; k++) keys[ring.count++] = builtin.keys[k];
    work.keys = &ring;

    const ota_ptable_t *pt = NULL;
    if (csv) {
        uint32_t line;
        int rc = ota_ptable_load_csv(csv, table_rows, &table, &line);
        if (rc) {
            char detail[256];
            if (rc == OTA_E_PT_SYNTAX) snprintf(detail, sizeof detail, "%s line %u", csv, line);
            else snprintf(detail, sizeof detail, "%s", csv);
            return fail(rc, detail);
        }
        pt = &table;
    }
    FILE *exists = fopen(flash, "rb"); /* the host port would create a missing file: refuse */
    if (!exists) {
        char detail[256];
        snprintf(detail, sizeof detail, "cannot open %s", flash);
        return fail(OTA_E_IO, detail);
    }
    fclose(exists);
    int err;
    ota_hostflash_t *h = ota_hostflash_open(flash, size, &err);
    if (!h) {
        char detail[256];
        snprintf(detail, sizeof detail, err == OTA_E_FLASH_RANGE ? "%s is not %u bytes (--flash-size)" : "cannot open %s",
                 flash, size);
        return fail(err == OTA_E_FLASH_RANGE ? OTA_E_IO : err, detail);
    }
    h->timing = timing;
    ota_boot_report_t r;
    ota_boot_run(&h->flash, pt, &work, &r);
    ota_boot_json(&r, &h->count, ota_boot_target_write_us(&r, h, NULL), json, sizeof json);
    fputs(json, stdout);
    ota_hostflash_close(h);
    if (!r.boot)
        fprintf(stderr, "ota-boot: E%d %s: no app started (state %s%s%s)\n", r.app_error, ota_err_name(r.app_error),
                ota_state_name(r.state_after), r.error ? ", after " : "", r.error ? ota_err_name(r.error) : "");
    return r.boot ? 0 : 1;
}
