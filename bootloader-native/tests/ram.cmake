# make bench only (tools/scripts/bench.d/60-performance.sh, "Bootloader RAM of an install"): peak
# heap of a signed install (mbedTLS' bignums), measured by replacing the process allocator.
add_executable(bench_sig_heap ${CMAKE_CURRENT_LIST_DIR}/bench_sig_heap.c)
target_link_libraries(bench_sig_heap ota_boot_testlib)
