# libotahost.so: the core + host flash for the managed simulator (P/Invoke), in build/bin.
add_library(otahost SHARED ${CMAKE_CURRENT_LIST_DIR}/otahost.c)
target_include_directories(otahost PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(otahost PRIVATE ota_boot_json ota_port_host ota_core)
