/* Strict DER of an ECDSA signature: 30 L 02 Lr r 02 Ls s, short-form lengths only, integers
 * positive and minimal (a leading 00 only before a byte >= 0x80), not zero, at most 32
 * significant bytes, nothing after. The C# SignatureDer applies the same rules. */
#include <string.h>
#include "ota_err.h"
#include "ota_sig.h"

static int read_int(const uint8_t *der, size_t end, size_t *pos, uint8_t out[32])
{
    size_t p = *pos;
    if (end - p < 2 || der[p] != 0x02) return OTA_E_SIG_FORMAT;
    size_t len = der[p + 1];
    if (len & 0x80u) return OTA_E_SIG_FORMAT;
    if (len == 0 || end - p - 2 < len) return OTA_E_SIG_FORMAT;
    const uint8_t *v = der + p + 2;
    if (v[0] & 0x80u) return OTA_E_SIG_FORMAT;                       /* negative */
    if (v[0] == 0 && len > 1 && !(v[1] & 0x80u)) return OTA_E_SIG_FORMAT; /* not minimal */
    if (v[0] == 0) { v++; len--; }
    if (len > 32) return OTA_E_SIG_FORMAT;
    int nonzero = 0;
    for (size_t i = 0; i < len; i++) nonzero |= v[i];
    if (!nonzero) return OTA_E_SIG_FORMAT;
    memset(out, 0, 32);
    memcpy(out + 32 - len, v, len);
    *pos = (size_t)(v + len - der);
    return OTA_OK;
}

int ota_sig_der_decode(const uint8_t *der, size_t len, uint8_t r[32], uint8_t s[32])
{
    if (len < 2 || der[0] != 0x30 || (der[1] & 0x80u) || der[1] != len - 2) return OTA_E_SIG_FORMAT;
    size_t pos = 2;
    int rc = read_int(der, len, &pos, r);
    if (rc) return rc;
    rc = read_int(der, len, &pos, s);
    if (rc) return rc;
    return pos == len ? OTA_OK : OTA_E_SIG_FORMAT;
}
