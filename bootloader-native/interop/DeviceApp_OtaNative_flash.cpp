/* Flash natives: absolute addresses, buffer slices checked against the managed array, then the
 * core's checked flash HAL (range, alignment, NOR and page rules are enforced there). */
#include "DeviceApp.h"

typedef Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative OtaNative;

/* Resolves (array, offset, count) to a byte pointer, or NULL when the slice is outside the array. */
static uint8_t *slice(CLR_RT_HeapBlock &arg, int32_t offset, int32_t count)
{
    CLR_RT_HeapBlock_Array *a = arg.DereferenceArray();
    if (a == NULL || offset < 0 || count < 0 || (CLR_UINT32)offset + (CLR_UINT32)count > a->m_numOfElements)
        return NULL;
    return a->GetFirstElement() + offset;
}

HRESULT OtaNative::FlashRead___STATIC__I4__U4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    uint32_t addr = stack.Arg0().NumericByRef().u4;
    int32_t off = stack.Arg2().NumericByRef().s4, count = stack.Arg3().NumericByRef().s4;
    uint8_t *p = slice(stack.Arg1(), off, count);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    stack.SetResult_I4(ota_flash_read(ota_interop_flash(), addr, p, (uint32_t)count));
    NANOCLR_NOCLEANUP();
}

HRESULT OtaNative::FlashWrite___STATIC__I4__U4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    uint32_t addr = stack.Arg0().NumericByRef().u4;
    int32_t off = stack.Arg2().NumericByRef().s4, count = stack.Arg3().NumericByRef().s4;
    uint8_t *p = slice(stack.Arg1(), off, count);
    if (p == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    /* ota_flash_write splits the range into page-bounded program operations */
    stack.SetResult_I4(ota_flash_write(ota_interop_flash(), addr, p, (uint32_t)count));
    NANOCLR_NOCLEANUP();
}

HRESULT OtaNative::FlashErase___STATIC__I4__U4__U4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    uint32_t addr = stack.Arg0().NumericByRef().u4;
    uint32_t len = stack.Arg1().NumericByRef().u4;
    stack.SetResult_I4(ota_flash_erase_range(ota_interop_flash(), addr, len));
    NANOCLR_NOCLEANUP();
}

/* The partition table stays in flash: validated and searched row by row on each call. */

HRESULT OtaNative::FindPartition___STATIC__I4__STRING__BYREF_U4__BYREF_U4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    const char *name = stack.Arg0().RecoverString();
    int rc;
    if (name == NULL) NANOCLR_SET_AND_LEAVE(CLR_E_ARGUMENT_NULL);
    ota_ptable_t table;
    ota_part_t part;
    rc = ota_ptable_open(ota_interop_flash(), OTA_PT_ADDR, &table);
    if (rc == OTA_OK) rc = ota_ptable_find_label(&table, name, &part);
    if (rc == OTA_OK) {
        CLR_RT_HeapBlock offset, size;
        offset.SetInteger(part.offset);
        size.SetInteger(part.size);
        NANOCLR_CHECK_HRESULT(offset.StoreToReference(stack.Arg1(), 0));
        NANOCLR_CHECK_HRESULT(size.StoreToReference(stack.Arg2(), 0));
    }
    stack.SetResult_I4(rc);
    NANOCLR_NOCLEANUP();
}
