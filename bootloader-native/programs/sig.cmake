# Signed updates: the bootloader's built-in public keys (keys/keys.cmake: OTA_SIGNING_PUBKEY ->
# generated header -> ota_sig_builtin) and the host verifier ota-sigverify.
include("${CMAKE_CURRENT_LIST_DIR}/../keys/keys.cmake")

add_executable(ota-sigverify "${CMAKE_CURRENT_LIST_DIR}/sig_verify.c")
target_link_libraries(ota-sigverify ota_sig_builtin ota_core)

# ota-boot (ota_boot.cmake) runs with the built-in keys.
if(TARGET ota-boot)
  target_link_libraries(ota-boot ota_sig_builtin)
endif()

# libotahost (otahost.cmake) exports the C verifier to the managed host bindings.
if(TARGET otahost)
  target_sources(otahost PRIVATE "${CMAKE_CURRENT_LIST_DIR}/sig_host.c")
endif()
