# The signature check's heap (core/src/ota_arena.c): unit test.
add_executable(test_arena ${CMAKE_CURRENT_LIST_DIR}/test_arena.c)
target_link_libraries(test_arena ota_core)
add_test(NAME arena_unit COMMAND test_arena)
