/* libFuzzer harness for the image header parser (ota_image.h): any input must parse without a
 * crash or UB, an accepted image must re-encode to the same 64 header bytes and satisfy the
 * length rules, and version comparison must be reflexive and antisymmetric. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ota_err.h"
#include "ota_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ota_img_header_t h, inner;
    int rc = ota_image_parse(data, size, &h);
    int hrc = ota_image_parse_header(data, size, &inner);
    if (rc == OTA_OK) {
        uint8_t raw[OTA_IMG_HEADER_SIZE];
        ota_img_header_t copy = h;
        if (hrc != OTA_OK) abort();
        ota_image_encode(&copy, raw);
        if (memcmp(raw, data, sizeof raw) != 0 || copy.hd_checksum != h.hd_checksum) abort();
        if (ota_img_total_len(&h) != size || h.img_len == 0 || h.img_len % 4) abort();
        if (ota_version_compare(h.ver, h.ver) != 0) abort();
    } else if (rc < OTA_E_IMG_TRUNCATED || rc > OTA_E_IMG_OLD_VERSION) {
        abort(); /* every rejection is an image error code */
    }
    /* the second half of the input as another header: inner checks and version order */
    if (size >= 2 * OTA_IMG_HEADER_SIZE &&
        ota_image_parse_header(data + OTA_IMG_HEADER_SIZE, size - OTA_IMG_HEADER_SIZE, &inner) == OTA_OK &&
        hrc == OTA_OK) {
        ota_img_header_t outer;
        ota_image_parse_header(data, size, &outer);
        int a = ota_version_compare(outer.ver, inner.ver), b = ota_version_compare(inner.ver, outer.ver);
        if ((a > 0) != (b < 0) || (a == 0) != (b == 0)) abort();
        int m = ota_image_check_inner(&outer, &inner);
        if (m != OTA_OK && m != OTA_E_IMG_INNER_MISMATCH) abort();
    }
    return 0;
}
