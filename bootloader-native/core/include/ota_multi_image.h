/* Multi-image packages (docs/design.md section 15): image k's `next` is the offset from the
 * package start of image k+1's header and must equal the end of image k (header + img_len +
 * signature block). At most two images: an app image first, then one data image. Flags bit 6
 * `deploy_compat` is allowed only in the app header of a chain (the new nanoCLR also runs the
 * deployment already on the device); anywhere else it stays a reserved bit (IMG_FLAGS). */
#ifndef OTA_MULTI_IMAGE_H
#define OTA_MULTI_IMAGE_H

#include <stdint.h>
#include "ota_image.h"

#define OTA_FLAG_DEPLOY_COMPAT 0x40u

/* Parses and checks a header like ota_image_parse_header (same order and codes), except that in
 * the first image of a package (`first`) `next` may be set, and with it bit 6 of the flags of an
 * app image. The chain itself is checked by ota_multi_check_link. */
int ota_multi_parse_header(const uint8_t raw[OTA_IMG_HEADER_SIZE], ota_img_header_t *h, int first);

/* Link rules of the image at package offset `offset` (IMG_NEXT): a first image with `next` set
 * must be an app image whose next equals its end, inside `package_room` bytes; a later image
 * must be a data image. Signed images cannot be chained yet (IMG_NEXT). */
int ota_multi_check_link(const ota_img_header_t *h, uint32_t offset, uint32_t package_room);

#endif
