/* ota-xzdec IN OUT: developer driver for ota_decode_cmd (same as `ota-boot --decode IN OUT`). */
#include "decode_cmd.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "ota-boot: E901 USAGE: ota-xzdec IN.xz OUT (\"-\" = stdin/stdout)\n");
        return 2;
    }
    return ota_decode_cmd(argv[1], argv[2]) == 0 ? 0 : 1;
}
