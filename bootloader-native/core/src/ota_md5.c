/* MD5 through mbedTLS' generic one-shot mbedtls_md(), whose signature is the same in 2.28 and
 * 3.x and which allocates nothing. Used only for the partition table's MD5 row. */
#include "ota_md5.h"
#include <mbedtls/md.h>

int ota_md5(const void *data, size_t len, uint8_t out[16])
{
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_MD5);
    if (!info) return -1;
    return mbedtls_md(info, (const unsigned char *)data, len, out) == 0 ? 0 : -1;
}
