# Bootloader tests: boot flow scenarios, shared test vectors, power-cut sweep.
find_library(OTA_TEST_LZMA lzma REQUIRED)
add_library(ota_boot_testlib STATIC ${CMAKE_CURRENT_LIST_DIR}/boot_testlib.c)
target_include_directories(ota_boot_testlib PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ota_boot_testlib PUBLIC ota_port_host ota_core ${OTA_TEST_LZMA})

add_executable(test_boot ${CMAKE_CURRENT_LIST_DIR}/test_boot.c)
target_link_libraries(test_boot ota_boot_testlib)
add_test(NAME boot_flow COMMAND test_boot)

add_executable(test_powercut ${CMAKE_CURRENT_LIST_DIR}/test_powercut.c)
target_link_libraries(test_powercut ota_boot_testlib)
add_test(NAME power_cut_sweep COMMAND test_powercut)

add_executable(test_vectors ${CMAKE_CURRENT_LIST_DIR}/test_vectors.c)
target_link_libraries(test_vectors ota_boot_testlib)
target_compile_definitions(test_vectors PRIVATE VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")
add_test(NAME shared_vectors COMMAND test_vectors)

add_executable(test_cli ${CMAKE_CURRENT_LIST_DIR}/test_cli.c)
target_link_libraries(test_cli ota_boot_testlib otahost)
add_test(NAME ota_boot_cli COMMAND test_cli $<TARGET_FILE:ota-boot> ${OTA_REPO_ROOT}/partitions.csv)

# make bench only (tools/scripts/bench.d/30-install.sh): flash work and RAM per install.
add_executable(bench_install ${CMAKE_CURRENT_LIST_DIR}/bench_install.c)
target_link_libraries(bench_install ota_boot_testlib pthread)

add_executable(test_state ${CMAKE_CURRENT_LIST_DIR}/test_state.c)
target_link_libraries(test_state ota_boot_testlib)
add_test(NAME state_ptable COMMAND test_state)
