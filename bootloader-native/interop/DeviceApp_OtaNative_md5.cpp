/* MD5 natives for the network push (ArduinoOTA: the pushed file and the login digest are MD5;
 * nanoFramework has no managed MD5). Contexts come from a small static pool (no heap on this
 * path); the hashing is the core's ota_md5_stream over mbedTLS. */
#include "DeviceApp.h"

typedef Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative OtaNative;

#define MD5_POOL 2
static ota_md5_stream_t md5_pool[MD5_POOL];
static bool md5_busy[MD5_POOL];

static uint8_t *md5_slice(CLR_RT_HeapBlock &arg, int32_t offset, int32_t count)
{
    CLR_RT_HeapBlock_Array *a = arg.DereferenceArray();
    if (a == NULL || offset < 0 || count < 0 || (CLR_UINT32)offset + (CLR_UINT32)count > a->m_numOfElements)
        return NULL;
    return a->GetFirstElement() + offset;
}

static bool md5_valid(int32_t h)
{
    return h >= 0 && h < MD5_POOL && md5_busy[h];
}

HRESULT OtaNative::Md5Begin___STATIC__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = -OTA_E_IO;
    for (int32_t i = 0; i < MD5_POOL; i++) {
        if (!md5_busy[i]) {
            if (ota_md5_stream_init(&md5_pool[i]) == 0) {
                md5_busy[i] = true;
                h = i;
            }
            break;
        }
    }
    stack.SetResult_I4(h);
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT OtaNative::Md5Update___STATIC__I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = stack.Arg0().NumericByRef().s4;
    int32_t off = stack.Arg2().NumericByRef().s4, count = stack.Arg3().NumericByRef().s4;
    uint8_t *p = md5_slice(stack.Arg1(), off, count);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!md5_valid(h)) {
        stack.SetResult_I4(OTA_E_USAGE);
    } else {
        stack.SetResult_I4(ota_md5_stream_update(&md5_pool[h], p, (size_t)count) == 0 ? OTA_OK : OTA_E_IO);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT OtaNative::Md5Finish___STATIC__I4__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    int32_t h = stack.Arg0().NumericByRef().s4;
    int32_t off = stack.Arg2().NumericByRef().s4;
    uint8_t *p = md5_slice(stack.Arg1(), off, OTA_MD5_SIZE);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!md5_valid(h)) {
        stack.SetResult_I4(OTA_E_USAGE);
    } else {
        int rc = ota_md5_stream_finish(&md5_pool[h], p);
        md5_busy[h] = false;
        stack.SetResult_I4(rc == 0 ? OTA_OK : OTA_E_IO);
    }
    NANOCLR_NOCLEANUP();
}
