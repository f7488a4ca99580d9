/* ota-boot and libotahost end to end: a flash image file with a staged xz package, booted by the
 * ota-boot program (JSON on stdout, table from flash or from --partitions CSV) and through
 * otahost_boot; usage and input errors give "E<code> NAME:" lines and exit status 2.
 *   test_cli PATH/TO/ota-boot PATH/TO/partitions.csv */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "boot_testlib.h"
#include "ota_err.h"
#include "otahost.h"

static const char *ota_boot, *csv;
static char out[16384];
static uint8_t fw[300000], v1[300064], v2[300064], pkg[320000];
static uint8_t *image;

/* Runs ota-boot with the arguments printf-formatted from fmt; stdout and stderr into `out`. */
static int run(int *status, const char *fmt, ...)
{
    char args[1024], cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", ota_boot, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int st = pclose(p);
    *status = WEXITSTATUS(st);
    return 0;
}

/* The number after "key": in the report (-1 when absent). */
static long long num(const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(out, pat);
    return p ? atoll(p + strlen(pat)) : -1;
}

static void save(const char *path)
{
    FILE *f = fopen(path, "wb");
    fwrite(image, 1, T_FLASH_SIZE, f);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    ota_boot = argv[1];
    csv = argv[2];
    image = malloc(T_FLASH_SIZE);
    char path[] = "/tmp/test_cli_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    int status;

    ota_hostflash_t *h = t_flash_new();
    size_t n1 = t_seeded_image(v1, fw, sizeof fw, 1, "1.0.0", 1);
    size_t n2 = t_seeded_image(v2, fw, sizeof fw, 2, "1.1.0", 2);
    size_t np = t_xz_package(pkg, sizeof pkg, v2, n2, 6);
    t_flash_install_direct(h, v1, n1);
    t_stage(h, pkg, np);
    ota_hostflash_snapshot(h, image);
    save(path);

    /* a bad timing model: usage error before the flash is opened */
    CHECK_EQ(run(&status, "--flash %s --flash-timing erase4k=fast", path), 0);
    CHECK_EQ(status, 2);
    CHECK(strstr(out, "ota-boot: E901 USAGE: --flash-timing") != NULL);

    /* table from flash at 0x8000; a round timing model: the report's modelled time is the op
     * counts times the op times, split into the app partition's erases + programs and the rest */
    CHECK_EQ(run(&status, "--flash %s --flash-timing erase4k=1ms,erase64k=10ms,program=100us,read=1KB/s", path), 0);
    CHECK_EQ(status, 0);
    CHECK_EQ(num("erase_us"), num("sector_erases") * 1000 + num("block_erases") * 10000);
    CHECK_EQ(num("program_us"), num("programs") * 100);
    CHECK_EQ(num("read_us"), num("bytes_read") * 1000); /* one read call's bytes at 1 B/ms each */
    CHECK_EQ(num("modelled_us"), num("erase_us") + num("program_us") + num("read_us"));
    CHECK_EQ(num("modelled_us"), num("target_write_us") + num("other_us"));
    CHECK_EQ(num("modelled_ms"), num("modelled_us") / 1000);
    /* the 4 block erases of the install and its pages land in the app; the state records don't */
    CHECK(num("target_write_us") >= 4 * 10000 + num("pages_programmed") * 100);
    CHECK(num("target_write_us") < num("erase_us") + num("program_us"));
    CHECK(num("other_us") >= num("read_us"));
    CHECK(strstr(out, "\"boot\":true") != NULL);
    CHECK(strstr(out, "\"state_before\":\"STAGED\",\"state_after\":\"TRIAL\"") != NULL);
    CHECK(strstr(out, "\"actions\":[\"verify_staged\",\"mark_installing\",\"install\",\"verify_installed\",\"mark_trial\",\"trial_boot\",\"boot\"]") != NULL);
    CHECK(strstr(out, "\"version\":\"1.1.0\"") != NULL);
    CHECK(strstr(out, "\"block_erases\":4") != NULL);
    CHECK(strstr(out, "\"error\":null") != NULL);
    if (t_failures) printf("%s\n", out);

    /* the file now holds the new image */
    ota_hostflash_t *hf = ota_hostflash_open(path, T_FLASH_SIZE, NULL);
    CHECK(hf != NULL);
    if (hf) {
        CHECK(t_app_holds(hf, v2, n2));
        ota_hostflash_close(hf);
    }

    /* same flash, table from the CSV; second boot: trial 2 */
    CHECK_EQ(run(&status, "--flash %s --partitions %s --flash-size 4M", path, csv), 0);
    CHECK_EQ(status, 0);
    CHECK(strstr(out, "\"trial_boots\":2") != NULL);

    /* otahost_boot on the same file */
    otahost_flash_t *of = otahost_flash_open(path, T_FLASH_SIZE);
    static char json[4096];
    CHECK_EQ(otahost_boot(of, json, sizeof json), 0);
    CHECK(strstr(json, "\"trial_boots\":3") != NULL);
    CHECK(strstr(json, "\"flash\":{\"ops\":1,") != NULL); /* one trial bit programmed */
    otahost_flash_close(of);

    /* a staged package for the wrong address: FAILED, the old app keeps running */
    hf = ota_hostflash_open(path, T_FLASH_SIZE, NULL);
    ota_img_header_t hd;
    ota_image_decode(pkg, &hd);
    hd.img_addr = 0x30000;
    ota_image_encode(&hd, pkg);
    t_stage(hf, pkg, np);
    ota_hostflash_close(hf);
    CHECK_EQ(run(&status, "--flash %s", path), 0);
    CHECK_EQ(status, 0);
    CHECK(strstr(out, "\"state_after\":\"FAILED\"") != NULL);
    CHECK(strstr(out, "\"last_error\":{\"code\":113,\"name\":\"IMG_ADDR\"") != NULL);
    CHECK(strstr(out, "\"install_count\":1,") != NULL);
    CHECK(strstr(out, "\"error\":{\"code\":113,\"name\":\"IMG_ADDR\",\"message\":\"E113 IMG_ADDR\"}") != NULL);

    /* an erased flash: exit 1, E501 on stderr */
    memset(image, 0xFF, T_FLASH_SIZE);
    save(path);
    CHECK_EQ(run(&status, "--flash %s --partitions %s", path, csv), 0);
    CHECK_EQ(status, 1);
    CHECK(strstr(out, "\"boot\":false") != NULL);
    CHECK(strstr(out, "ota-boot: E501 INSTALL_NO_APP:") != NULL);
    CHECK_EQ(run(&status, "--flash %s", path), 0);
    CHECK(strstr(out, "\"error\":{\"code\":706,\"name\":\"PT_BINARY\"") != NULL);

    /* usage and input errors */
    CHECK_EQ(run(&status, "--bogus x"), 0);
    CHECK_EQ(status, 2);
    CHECK(strstr(out, "ota-boot: E901 USAGE:") != NULL);
    CHECK_EQ(run(&status, "--flash %s --flash-size 3M", path), 0);
    CHECK_EQ(status, 2);
    CHECK(strstr(out, "ota-boot: E902 IO:") != NULL);
    CHECK_EQ(run(&status, "--flash /nonexistent/flash.bin"), 0);
    CHECK_EQ(status, 2);
    CHECK(strstr(out, "ota-boot: E902 IO: cannot open /nonexistent/flash.bin") != NULL);
    CHECK_EQ(run(&status, "--flash %s --partitions /nonexistent.csv", path), 0);
    CHECK(strstr(out, "ota-boot: E902 IO:") != NULL);
    FILE *bad = fopen(path, "w");
    fputs("nvs,data,nvs,0x9000,0x6000\napp,app,factory,0x20000,12Q\n", bad);
    fclose(bad);
    CHECK_EQ(run(&status, "--flash /tmp/unused.bin --partitions %s", path), 0);
    CHECK_EQ(status, 2);
    CHECK(strstr(out, "E701 PT_SYNTAX:") != NULL && strstr(out, "line 2") != NULL);

    unlink(path);
    ota_hostflash_close(h);
    free(image);
    printf("%s\n", t_failures ? "FAIL" : "ok");
    return t_failures != 0;
}
