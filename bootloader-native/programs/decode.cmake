# `--decode` of ota-boot (engineer B's main links ota_decode_cmd) and the developer driver
# ota-xzdec (same command standalone; also used by tests and `make bench`).
add_library(ota_decode_cmd STATIC ${CMAKE_CURRENT_LIST_DIR}/decode_cmd.c)
target_include_directories(ota_decode_cmd PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ota_decode_cmd PUBLIC ota_core)

# ota-xzdec decodes any LZMA2 stream (lc + lp <= 4); `ota-boot --decode` is the bootloader's
# decoder (default build: lc + lp <= 3, else E202 XZ_OPTIONS).
add_executable(ota-xzdec ${CMAKE_CURRENT_LIST_DIR}/ota_xzdec.c ${CMAKE_CURRENT_LIST_DIR}/decode_cmd.c)
target_include_directories(ota-xzdec PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ota-xzdec ota_core_lclp4)

# ota-xzbench: in-memory throughput of our decoder vs liblzma, and single decodes for callgrind
# (`make bench`, tools/scripts/bench.d/20-xz-decoder.sh). Host tool; needs liblzma.
find_library(OTA_LZMA_LIB lzma)
if(OTA_LZMA_LIB)
  add_executable(ota-xzbench ${CMAKE_CURRENT_LIST_DIR}/xz_bench.c)
  target_link_libraries(ota-xzbench ota_core ${OTA_LZMA_LIB})
endif()
