/* MD5 (RFC 1321) through mbedTLS: streaming, for the network push (ArduinoOTA protocol: the
 * pushed file and the login digest are MD5), and one-shot, for the ESP-IDF partition table
 * checksum row. Same shape as ota_sha256.h: the context is opaque
 * storage sized for mbedTLS 2.28 and 3.x, so includers never see mbedTLS headers. Every function
 * returns 0, or -1 if mbedTLS failed. */
#ifndef OTA_MD5_H
#define OTA_MD5_H

#include <stddef.h>
#include <stdint.h>

#define OTA_MD5_SIZE 16
#define OTA_MD5_CTX_BYTES 128

typedef struct ota_md5_stream {
    union {
        uint64_t align;
        void *align_ptr;
        uint8_t bytes[OTA_MD5_CTX_BYTES];
    } ctx;
} ota_md5_stream_t;

/* Starts a new digest in `c` (no allocation). */
int ota_md5_stream_init(ota_md5_stream_t *c);
/* Feeds `len` bytes. */
int ota_md5_stream_update(ota_md5_stream_t *c, const void *data, size_t len);
/* Writes the digest and releases the context (init again to reuse it). */
int ota_md5_stream_finish(ota_md5_stream_t *c, uint8_t out[OTA_MD5_SIZE]);

/* One-shot MD5 of a buffer. */
int ota_md5(const void *data, size_t len, uint8_t out[OTA_MD5_SIZE]);

#endif
