/* Crypto natives: SHA-256 contexts from a small static pool (no heap on this path), mbedTLS
 * through the core's ota_sha256 wrapper; ECDSA P-256 through the core's ota_sig_verify_digest
 * (the bootloader's verifier). */
#include "DeviceApp.h"

typedef Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative OtaNative;

#define SHA_POOL 2
static ota_sha256_t sha_pool[SHA_POOL];
static bool sha_busy[SHA_POOL];

static uint8_t *slice(CLR_RT_HeapBlock &arg, int32_t offset, int32_t count)
{
    CLR_RT_HeapBlock_Array *a = arg.DereferenceArray();
    if (a == NULL || offset < 0 || count < 0 || (CLR_UINT32)offset + (CLR_UINT32)count > a->m_numOfElements)
        return NULL;
    return a->GetFirstElement() + offset;
}

static bool valid_handle(int32_t h)
{
    return h >= 0 && h < SHA_POOL && sha_busy[h];
}

HRESULT OtaNative::Sha256Begin___STATIC__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = -OTA_E_IO;
    for (int32_t i = 0; i < SHA_POOL; i++) {
        if (!sha_busy[i]) {
            if (ota_sha256_init(&sha_pool[i]) == 0) {
                sha_busy[i] = true;
                h = i;
            }
            break;
        }
    }
    stack.SetResult_I4(h);
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT OtaNative::Sha256Update___STATIC__I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = stack.Arg0().NumericByRef().s4;
    int32_t off = stack.Arg2().NumericByRef().s4, count = stack.Arg3().NumericByRef().s4;
    uint8_t *p = slice(stack.Arg1(), off, count);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!valid_handle(h)) {
        stack.SetResult_I4(OTA_E_USAGE);
    } else {
        stack.SetResult_I4(ota_sha256_update(&sha_pool[h], p, (size_t)count) == 0 ? OTA_OK : OTA_E_IO);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT OtaNative::Sha256Finish___STATIC__I4__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = stack.Arg0().NumericByRef().s4;
    int32_t off = stack.Arg2().NumericByRef().s4;
    uint8_t *p = slice(stack.Arg1(), off, OTA_SHA256_SIZE);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!valid_handle(h)) {
        stack.SetResult_I4(OTA_E_USAGE);
    } else {
        int rc = ota_sha256_finish(&sha_pool[h], p);
        sha_busy[h] = false;
        stack.SetResult_I4(rc == 0 ? OTA_OK : OTA_E_IO);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT OtaNative::EcdsaP256Verify___STATIC__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    uint8_t *key = slice(stack.Arg0(), stack.Arg1().NumericByRef().s4, OTA_SIG_POINT_LEN);
    uint8_t *hash = slice(stack.Arg2(), stack.Arg3().NumericByRef().s4, OTA_SHA256_SIZE);
    int32_t sig_len = stack.Arg6().NumericByRef().s4;
    uint8_t *sig = slice(stack.Arg4(), stack.Arg5().NumericByRef().s4, sig_len);
    /* a malformed slice is an invalid signature, never an exception */
    int ok = key && hash && sig && sig_len > 0 && ota_sig_verify_digest(key, hash, sig, (size_t)sig_len) == OTA_OK;
    stack.SetResult_I4(ok ? 1 : 0);
    NANOCLR_NOCLEANUP_NOLABEL();
}
