# Data-partition updates (docs/design.md section 15): rules, schemes, restore, rollback and the
# power-cut sweep over backup, write, end and restore.
add_executable(test_data_update ${CMAKE_CURRENT_LIST_DIR}/test_data_update.c)
target_link_libraries(test_data_update ota_port_host ota_core)
add_test(NAME data_update COMMAND test_data_update)
target_compile_definitions(test_data_update PRIVATE VECTORS_DIR="${OTA_REPO_ROOT}/test-vectors")

add_executable(test_data_boot ${CMAKE_CURRENT_LIST_DIR}/test_data_boot.c)
target_link_libraries(test_data_boot ota_boot_testlib)
add_test(NAME data_update_boot COMMAND test_data_boot)

add_executable(test_multi_image ${CMAKE_CURRENT_LIST_DIR}/test_multi_image.c)
target_link_libraries(test_multi_image ota_boot_testlib)
add_test(NAME multi_image_install COMMAND test_multi_image)

# make bench only (tools/scripts/bench.d/70-data-update.sh)
add_executable(bench_data_update ${CMAKE_CURRENT_LIST_DIR}/bench_data_update.c)
target_link_libraries(bench_data_update ota_boot_testlib)
