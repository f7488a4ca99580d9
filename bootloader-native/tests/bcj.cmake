# RISC-V BCJ filter (issue 9): vectors from test-vectors/generate_bcj.py (independent Python
# encoder) through the decoder and the bootloader's install.
add_executable(test_bcj ${CMAKE_CURRENT_LIST_DIR}/test_bcj.c)
target_link_libraries(test_bcj ota_boot_testlib)
target_compile_definitions(test_bcj PRIVATE VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")
add_test(NAME xz_bcj_riscv COMMAND test_bcj)
