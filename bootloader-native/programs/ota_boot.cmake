# ota-boot: one boot against a flash image file (JSON report), and --decode.
add_library(ota_boot_json STATIC ${CMAKE_CURRENT_LIST_DIR}/boot_json.c)
target_include_directories(ota_boot_json PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ota_boot_json PUBLIC ota_port_host ota_core)
add_executable(ota-boot ${CMAKE_CURRENT_LIST_DIR}/ota_boot.c)
target_link_libraries(ota-boot ota_boot_json ota_decode_cmd ota_port_host ota_core)
