# The signature check's heap (core/src/ota_arena.c): unit test.
add_executable(test_arena ${CMAKE_CURRENT_LIST_DIR}/test_arena.c)
target_link_libraries(test_arena ota_core)
add_test(NAME arena_unit COMMAND test_arena)

# A bootloader build whose signature-check arena is too small for one P-256 verification: every
# signed package is E808 SIG_NOMEM and the old firmware keeps booting.
find_library(OTA_TEST_LZMA lzma REQUIRED)
file(GLOB _smallheap_core CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../core/src/*.c")
file(GLOB _smallheap_host CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../port/host/*.c")
add_library(ota_smallheap_testlib STATIC ${_smallheap_core} ${_smallheap_host} ${CMAKE_CURRENT_LIST_DIR}/boot_testlib.c)
target_compile_definitions(ota_smallheap_testlib PUBLIC OTA_INSTALL_SIG_HEAP_SIZE=2048u)
target_include_directories(ota_smallheap_testlib PUBLIC "${CMAKE_CURRENT_LIST_DIR}/../core/include"
                           "${CMAKE_CURRENT_LIST_DIR}/../port/host" "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(ota_smallheap_testlib PUBLIC ${MBEDCRYPTO_LIB} ${OTA_TEST_LZMA})
add_executable(test_sig_boot_smallheap ${CMAKE_CURRENT_LIST_DIR}/test_sig_boot.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c ${CMAKE_CURRENT_LIST_DIR}/arena_malloc.c)
target_link_libraries(test_sig_boot_smallheap ota_smallheap_testlib)
add_test(NAME sig_boot_small_heap COMMAND test_sig_boot_smallheap "${OTA_REPO_ROOT}/test-vectors/signing" --expect-nomem)
