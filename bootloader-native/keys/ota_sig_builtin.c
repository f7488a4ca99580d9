/* Built-in keys: PEM text compiled in by the build (ota_sig_builtin_keys.h defines
 * OTA_SIG_BUILTIN_PEMS, a list of string literals, and OTA_SIG_BUILTIN_COUNT). */
#include <string.h>
#include "ota_err.h"
#include "ota_sig_builtin.h"
#include "ota_sig_builtin_keys.h"

#if OTA_SIG_BUILTIN_COUNT > 0
static const char *const builtin_pems[OTA_SIG_BUILTIN_COUNT] = { OTA_SIG_BUILTIN_PEMS };
#endif
static ota_sig_key_t builtin_keys[OTA_SIG_BUILTIN_MAX];
static int builtin_state; /* 0 not parsed, 1 good, else the error */

_Static_assert(OTA_SIG_BUILTIN_COUNT <= OTA_SIG_BUILTIN_MAX, "too many built-in keys");

int ota_sig_builtin_keyring(ota_sig_keyring_t *ring)
{
    ring->keys = builtin_keys;
    ring->count = 0;
    if (builtin_state == 0) {
        builtin_state = 1;
#if OTA_SIG_BUILTIN_COUNT > 0
        for (unsigned i = 0; i < OTA_SIG_BUILTIN_COUNT; i++) {
            int rc = ota_sig_key_from_pem(&builtin_keys[i], builtin_pems[i], strlen(builtin_pems[i]));
            if (rc) { builtin_state = rc; break; }
        }
#endif
    }
    if (builtin_state != 1) return builtin_state;
    ring->count = OTA_SIG_BUILTIN_COUNT;
    return OTA_OK;
}
