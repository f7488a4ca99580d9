/* Multi-image package headers and links (rules in ota_multi_image.h). */
#include "ota_multi_image.h"
#include "ota_err.h"

int ota_multi_parse_header(const uint8_t raw[OTA_IMG_HEADER_SIZE], ota_img_header_t *h, int first)
{
    int rc = ota_image_parse_header(raw, OTA_IMG_HEADER_SIZE, h);
    if (rc == OTA_E_IMG_MAGIC || rc == OTA_E_IMG_HEADER_CRC || !first || h->next == 0) return rc;
    /* the first header of a chain: its fields checked without `next` and an app's deploy_compat */
    ota_img_header_t plain = *h;
    if (ota_img_type(&plain) == OTA_IMG_TYPE_APP) plain.flags &= ~OTA_FLAG_DEPLOY_COMPAT;
    plain.next = 0;
    return ota_image_check_fields(&plain);
}

int ota_multi_check_link(const ota_img_header_t *h, uint32_t offset, uint32_t package_room)
{
    if ((offset != 0 || h->next != 0) && ota_img_signed(h)) return OTA_E_IMG_NEXT; /* not yet */
    if (offset != 0) return ota_img_type(h) == OTA_IMG_TYPE_DATA ? OTA_OK : OTA_E_IMG_NEXT;
    if (h->next == 0) return OTA_OK;
    if (ota_img_type(h) != OTA_IMG_TYPE_APP) return OTA_E_IMG_NEXT;
    if ((uint64_t)h->next != ota_img_total_len(h)) return OTA_E_IMG_NEXT;
    if ((uint64_t)h->next + OTA_IMG_HEADER_SIZE > package_room) return OTA_E_IMG_NEXT;
    return OTA_OK;
}
