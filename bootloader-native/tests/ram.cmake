# make bench only (tools/scripts/bench.d/60-performance.sh, "Bootloader RAM of an install"): the
# heap of a signed install (mbedTLS' bignums on the arena lent over the decoder memory) and the
# stack of the ECDSA verification with mbedTLS' frames, painted on the host.
add_executable(bench_sig_heap ${CMAKE_CURRENT_LIST_DIR}/bench_sig_heap.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c ${CMAKE_CURRENT_LIST_DIR}/arena_malloc.c)
target_link_libraries(bench_sig_heap ota_boot_testlib)
target_link_options(bench_sig_heap PRIVATE -Wl,--wrap=ota_ecdsa_p256_verify)
