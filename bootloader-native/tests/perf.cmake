# Issue 9: the default build is lean (4 KiB decoder window: the dictionary is read back from
# flash; literal probabilities for lc + lp <= 3). The previous default, a 32 KiB window and
# lc + lp <= 4 ("ram32k"), stays tested: boot flow, power cuts, BCJ; bench_install_ram32k
# measures its RAM for `make bench` (tools/scripts/bench.d/30-install.sh, 60-performance.sh).
file(GLOB _ram32k_core CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../core/src/*.c")
file(GLOB _ram32k_host CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../port/host/*.c")
add_library(ota_ram32k_testlib STATIC ${_ram32k_core} ${_ram32k_host} ${CMAKE_CURRENT_LIST_DIR}/boot_testlib.c)
target_compile_definitions(ota_ram32k_testlib PUBLIC OTA_INSTALL_WINDOW_SIZE=32768u OTA_XZ_LCLP_MAX=4)
target_include_directories(ota_ram32k_testlib PUBLIC "${CMAKE_CURRENT_LIST_DIR}/../core/include"
                           "${CMAKE_CURRENT_LIST_DIR}/../port/host" "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(ota_ram32k_testlib PUBLIC ${MBEDCRYPTO_LIB} ${OTA_TEST_LZMA})
add_executable(test_boot_ram32k ${CMAKE_CURRENT_LIST_DIR}/test_boot.c)
target_link_libraries(test_boot_ram32k ota_ram32k_testlib)
add_test(NAME boot_flow_ram32k COMMAND test_boot_ram32k)
add_executable(test_powercut_ram32k ${CMAKE_CURRENT_LIST_DIR}/test_powercut.c)
target_link_libraries(test_powercut_ram32k ota_ram32k_testlib)
add_test(NAME power_cut_ram32k COMMAND test_powercut_ram32k --sizes 70001)
add_executable(test_bcj_ram32k ${CMAKE_CURRENT_LIST_DIR}/test_bcj.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c)
target_link_libraries(test_bcj_ram32k ota_ram32k_testlib)
target_compile_definitions(test_bcj_ram32k PRIVATE VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")
add_test(NAME xz_bcj_riscv_ram32k COMMAND test_bcj_ram32k)
add_executable(bench_install_ram32k ${CMAKE_CURRENT_LIST_DIR}/bench_install.c)
target_link_libraries(bench_install_ram32k ota_ram32k_testlib pthread)
