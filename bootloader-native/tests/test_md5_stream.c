/* Streaming MD5 against the RFC 1321 test suite, fed in uneven pieces (the push receiver hashes
 * whatever a TCP read delivered). */
#include <stdio.h>
#include <string.h>
#include "ota_md5.h"

static int check(const char *msg, const char *hex, size_t piece)
{
    ota_md5_stream_t c;
    uint8_t d[OTA_MD5_SIZE];
    char got[33];
    size_t len = strlen(msg);
    if (ota_md5_stream_init(&c) != 0) return 1;
    for (size_t i = 0; i < len; i += piece) {
        size_t n = len - i < piece ? len - i : piece;
        if (ota_md5_stream_update(&c, msg + i, n) != 0) return 1;
    }
    if (ota_md5_stream_finish(&c, d) != 0) return 1;
    for (int i = 0; i < OTA_MD5_SIZE; i++) sprintf(got + 2 * i, "%02x", d[i]);
    if (strcmp(got, hex) != 0) {
        printf("md5(\"%s\") piece %zu: %s, want %s\n", msg, piece, got, hex);
        return 1;
    }
    return 0;
}

int main(void)
{
    static const char *const v[][2] = {
        { "", "d41d8cd98f00b204e9800998ecf8427e" },
        { "a", "0cc175b9c0f1b6a831c399e269772661" },
        { "abc", "900150983cd24fb0d6963f7d28e17f72" },
        { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
        { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f" },
        { "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
          "57edf4a22be3c955ac49da2e2107b67a" },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (size_t piece = 1; piece <= 70; piece += 23) bad += check(v[i][0], v[i][1], piece);
    printf("%s\n", bad ? "FAIL" : "ok");
    return bad != 0;
}
