/* nanoFramework interop of DeviceApp (NF_INTEROP_ASSEMBLIES convention): the native side of the
 * InternalCall externs in DeviceApp/Bindings/NanoFramework/OtaNative.cs. nanoFramework's CLR is
 * C++, so these files are C++ glue (argument marshalling only); every one of them calls the
 * portable C core of bootloader-native (flash HAL, partition table, SHA-256), the same code the
 * bootloader runs. Not built on the host; built inside nf-interpreter with
 * -DNF_INTEROP_ASSEMBLIES=["DeviceApp"]. */
#ifndef DEVICEAPP_INTEROP_H
#define DEVICEAPP_INTEROP_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoPackStruct.h>
#include <corlib_native.h>

extern "C" {
#include "ota_err.h"
#include "ota_flash.h"
#include "ota_ptable.h"
#include "ota_sha256.h"
#include "ota_sig.h"
#include "ota_md5.h"

/* Provided by the flash port (port/esp-idf): the device's SPI flash as an ota_flash_t. */
const ota_flash_t *ota_interop_flash(void);
}

/* One class of the managed assembly: DeviceApp.Bindings.NanoFramework.OtaNative. The stub names
 * encode namespace, class, method and signature as the nanoFramework stub generator writes them. */
struct Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative
{
    NANOCLR_NATIVE_DECLARE(FlashRead___STATIC__I4__U4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(FlashWrite___STATIC__I4__U4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(FlashErase___STATIC__I4__U4__U4);
    NANOCLR_NATIVE_DECLARE(FindPartition___STATIC__I4__STRING__BYREF_U4__BYREF_U4);
    NANOCLR_NATIVE_DECLARE(Sha256Begin___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(Sha256Update___STATIC__I4__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(Sha256Finish___STATIC__I4__I4__SZARRAY_U1__I4);
    NANOCLR_NATIVE_DECLARE(EcdsaP256Verify___STATIC__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(Md5Begin___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(Md5Update___STATIC__I4__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(Md5Finish___STATIC__I4__I4__SZARRAY_U1__I4);

    //--//
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_DeviceApp;

#endif
