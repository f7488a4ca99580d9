/* Error names are what messages print: keep them equal to docs/design.md section 7. */
#include <stdio.h>
#include <string.h>
#include "ota_err.h"

int main(void)
{
    int bad = 0;
    if (strcmp(ota_err_name(OTA_E_IMG_MAGIC), "IMG_MAGIC") != 0) bad++;
    if (strcmp(ota_err_name(OTA_E_XZ_CHECK), "XZ_CHECK") != 0) bad++;
    if (OTA_E_IMG_MAGIC != 102 || OTA_E_XZ_CHECK != 204) bad++;
    if (strcmp(ota_err_name(OTA_E_PACKAGE_REJECTED), "PACKAGE_REJECTED") != 0 || OTA_E_PACKAGE_REJECTED != 611) bad++;
    if (strcmp(ota_err_name(12345), "UNKNOWN") != 0) bad++;
    printf("%s\n", bad ? "FAIL" : "ok");
    return bad != 0;
}
