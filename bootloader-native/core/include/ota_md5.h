/* MD5 of a buffer (mbedTLS), only for the ESP-IDF partition table checksum row. */
#ifndef OTA_MD5_H
#define OTA_MD5_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0, or -1 if mbedTLS failed. */
int ota_md5(const void *data, size_t len, uint8_t out[16]);

#endif
