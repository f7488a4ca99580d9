add_executable(test_err ${CMAKE_CURRENT_LIST_DIR}/test_err.c)
target_link_libraries(test_err ota_core)
add_test(NAME err_names COMMAND test_err)
