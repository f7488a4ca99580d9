/* The bootloader's trusted public keys, built in at configure time from the PEM files named by
 * the CMake option OTA_SIGNING_PUBKEY (generated header ota_sig_builtin_keys.h). No key = unsigned
 * mode; device builds refuse to configure without a key unless OTA_ALLOW_UNSIGNED is set. */
#ifndef OTA_SIG_BUILTIN_H
#define OTA_SIG_BUILTIN_H

#include "ota_sig.h"

#define OTA_SIG_BUILTIN_MAX 4u

/* Fills `ring` with the built-in keys (parsed once into static memory). 0, or
 * OTA_E_SIG_KEY_FORMAT when a built-in key is broken (then nothing may be installed). */
int ota_sig_builtin_keyring(ota_sig_keyring_t *ring);

#endif
