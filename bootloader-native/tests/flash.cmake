# Flash HAL + NOR simulator + libotahost flash API.
add_executable(test_flash ${CMAKE_CURRENT_LIST_DIR}/test_flash.c)
target_link_libraries(test_flash ota_port_host ota_core otahost)
add_test(NAME flash_sim COMMAND test_flash)
