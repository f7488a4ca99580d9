# Issue 9 "lean" bootloader build: 4 KiB decoder window (dictionary in flash) and literal
# probabilities for lc + lp <= 3 only (OTA_XZ_LCLP_MAX, ota_xz_state.h). The boot-flow tests run
# on it; bench_install_lean measures its RAM for `make bench` (tools/scripts/bench.d/60-performance.sh).
file(GLOB _lean_core CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../core/src/*.c")
file(GLOB _lean_host CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../port/host/*.c")
add_library(ota_lean_testlib STATIC ${_lean_core} ${_lean_host} ${CMAKE_CURRENT_LIST_DIR}/boot_testlib.c)
target_compile_definitions(ota_lean_testlib PUBLIC OTA_INSTALL_WINDOW_SIZE=4096u OTA_XZ_LCLP_MAX=3)
target_include_directories(ota_lean_testlib PUBLIC "${CMAKE_CURRENT_LIST_DIR}/../core/include"
                           "${CMAKE_CURRENT_LIST_DIR}/../port/host" "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(ota_lean_testlib PUBLIC ${MBEDCRYPTO_LIB} ${OTA_TEST_LZMA})
add_executable(test_boot_lean ${CMAKE_CURRENT_LIST_DIR}/test_boot.c)
target_link_libraries(test_boot_lean ota_lean_testlib)
add_test(NAME boot_flow_lean COMMAND test_boot_lean)
add_executable(bench_install_lean ${CMAKE_CURRENT_LIST_DIR}/bench_install.c)
target_link_libraries(bench_install_lean ota_lean_testlib pthread)
