/* The native assembly declaration and method lookup table of DeviceApp. The table has one slot
 * per method of the managed assembly in metadata order (NULL for managed methods); the stub
 * generator of the nanoFramework MSBuild system (NF_GenerateStubsDirectory in DeviceApp.nfproj)
 * writes the authoritative order and checksum. Regenerate and compare after changing
 * OtaNative.cs: a checksum mismatch makes the CLR refuse to bind the natives at boot. */
#include "DeviceApp.h"

static const CLR_RT_MethodHandler method_lookup[] = {
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::FlashRead___STATIC__I4__U4__SZARRAY_U1__I4__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::FlashWrite___STATIC__I4__U4__SZARRAY_U1__I4__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::FlashErase___STATIC__I4__U4__U4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::FindPartition___STATIC__I4__STRING__BYREF_U4__BYREF_U4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Sha256Begin___STATIC__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Sha256Update___STATIC__I4__I4__SZARRAY_U1__I4__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Sha256Finish___STATIC__I4__I4__SZARRAY_U1__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::EcdsaP256Verify___STATIC__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__SZARRAY_U1__I4__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Md5Begin___STATIC__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Md5Update___STATIC__I4__I4__SZARRAY_U1__I4__I4,
    Library_DeviceApp_DeviceApp_Bindings_NanoFramework_OtaNative::Md5Finish___STATIC__I4__I4__SZARRAY_U1__I4,
};

const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_DeviceApp = {
    "DeviceApp",
    0x00000000, /* native checksum: replace with the generator's value (see README.md) */
    method_lookup,
    {1, 0, 0, 0},
};
