# RISC-V BCJ filter (issue 9): vectors from test-vectors/generate_bcj.py (independent Python
# encoder) through the decoder and the bootloader's install.
add_executable(test_bcj ${CMAKE_CURRENT_LIST_DIR}/test_bcj.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c)
target_link_libraries(test_bcj ota_boot_testlib)
target_compile_definitions(test_bcj PRIVATE VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")
add_test(NAME xz_bcj_riscv COMMAND test_bcj)
# The alignment table bounds a far-mode BCJ block (OTA_XZ_BCJ_HISTORY_MAX): a build with 16 KiB
# refuses the 20000-byte vectors through a small ring (E205) and still decodes them in RAM.
file(GLOB _bcj16k_core CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../core/src/*.c")
file(GLOB _bcj16k_host CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../port/host/*.c")
add_executable(test_bcj_history16k ${CMAKE_CURRENT_LIST_DIR}/test_bcj.c ${_bcj16k_core} ${_bcj16k_host}
               ${CMAKE_CURRENT_LIST_DIR}/boot_testlib.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c)
target_compile_definitions(test_bcj_history16k PRIVATE OTA_XZ_BCJ_HISTORY_MAX=16384u
                           VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")
target_include_directories(test_bcj_history16k PRIVATE "${CMAKE_CURRENT_LIST_DIR}/../core/include"
                           "${CMAKE_CURRENT_LIST_DIR}/../port/host" "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(test_bcj_history16k ${MBEDCRYPTO_LIB} ${OTA_TEST_LZMA})
add_test(NAME xz_bcj_riscv_history16k COMMAND test_bcj_history16k)
