add_executable(test_md5_stream ${CMAKE_CURRENT_LIST_DIR}/test_md5_stream.c)
target_link_libraries(test_md5_stream ota_core)
add_test(NAME md5_stream COMMAND test_md5_stream)
