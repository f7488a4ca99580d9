# XZ decoder tests. Every stream is made at test time by the system xz from an input generated
# (tests/xz/gen_input.py) or taken from an installed firmware package (skipped if missing), into
# the build tree; each case checks byte-exact output (test_xz.c) under many window setups.
add_executable(test_xz ${CMAKE_CURRENT_LIST_DIR}/test_xz.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c)
target_link_libraries(test_xz ota_core)

set(XZ_CASE ${CMAKE_CURRENT_LIST_DIR}/xz/case.sh)
set(XZ_WORK ${CMAKE_CURRENT_BINARY_DIR}/xz-corpus)
set(XZ_SAMPLE sample:262144)

# name | input | test_xz mode | xz options (space-separated)
set(XZ_CASES
  "preset0|${XZ_SAMPLE}|decode|-0"
  "preset1|${XZ_SAMPLE}|decode|-1"
  "preset2|${XZ_SAMPLE}|decode|-2"
  "preset3|${XZ_SAMPLE}|decode|-3"
  "preset4|${XZ_SAMPLE}|decode|-4"
  "preset5|${XZ_SAMPLE}|decode|-5"
  "preset6|${XZ_SAMPLE}|decode|-6"
  "preset7|${XZ_SAMPLE}|decode|-7"
  "preset8|${XZ_SAMPLE}|decode|-8"
  "preset9|${XZ_SAMPLE}|decode|-9"
  "preset9e|${XZ_SAMPLE}|decode|-9e"
  "preset0e_text|text:200000|decode|-0e"
  "dict4k|${XZ_SAMPLE}|decode|--lzma2=preset=6,dict=4KiB"
  "dict64k|${XZ_SAMPLE}|decode|--lzma2=preset=6,dict=64KiB"
  "dict1m|${XZ_SAMPLE}|decode|--lzma2=preset=9,dict=1MiB"
  "dict8m|${XZ_SAMPLE}|decode|--lzma2=preset=9,dict=8MiB"
  "dict64m_small|text:20000|decode|--lzma2=preset=9e,dict=64MiB"
  "dict3x|${XZ_SAMPLE}|decode|--lzma2=preset=6,dict=48KiB"
  "check_none|${XZ_SAMPLE}|decode|-6 --check=none"
  "check_crc32|${XZ_SAMPLE}|decode|-6 --check=crc32"
  "check_crc64|${XZ_SAMPLE}|decode|-6 --check=crc64"
  "check_sha256|${XZ_SAMPLE}|decode|-6 --check=sha256"
  "multiblock|${XZ_SAMPLE}|decode|-6 --block-size=20000"
  "multiblock_sizes|${XZ_SAMPLE}|decode|-6 --block-list=1000,50000,3,100000"
  "empty|empty|decode|-6"
  "one_byte|text:1|decode|-6"
  "random_uncompressed_chunks|random:300000|decode|-6"
  "lclppb_lc0lp3pb4|${XZ_SAMPLE}|decode|--lzma2=preset=6,lc=0,lp=3,pb=4"
  "lclppb_lc2lp1pb1|${XZ_SAMPLE}|decode|--lzma2=preset=6,lc=2,lp=1,pb=1"
  "lclppb_lc0lp4|${XZ_SAMPLE}|reject:XZ_OPTIONS|--lzma2=preset=6,lc=0,lp=4,pb=4"
  "lclppb_lc4lp0|${XZ_SAMPLE}|reject:XZ_OPTIONS|--lzma2=preset=6,lc=4,lp=0,pb=0"
  "lclppb_lc1lp3pb1|${XZ_SAMPLE}|reject:XZ_OPTIONS|--lzma2=preset=6,lc=1,lp=3,pb=1"
  "mode_fast_hc3|${XZ_SAMPLE}|decode|--lzma2=preset=1,mf=hc3,mode=fast"
  "nice273|${XZ_SAMPLE}|decode|--lzma2=preset=9,nice=273,mf=bt4"
  "fw_ath9k_htc|file:/usr/lib/firmware/ath9k_htc/htc_9271-1.4.0.fw|decode|-9e --check=crc32"
  "fw_opensbi|file:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin|decode|-9e --check=crc32"
  "fw_uboot_riscv64|file:/usr/lib/u-boot/qemu-riscv64/u-boot.bin|decode|-9e --check=crc32"
  "fw_uboot_rom_1m|file:/usr/lib/u-boot/qemu-x86_64/u-boot.rom|decode|-9e --check=crc32"
  "fw_uboot_arm64_dict32k|file:/usr/lib/u-boot/qemu_arm64/u-boot.bin|decode|--lzma2=preset=9e,dict=32KiB"
  "corrupt_crc32|${XZ_SAMPLE}|corrupt|-6 --check=crc32"
  "corrupt_crc64|text:50000|corrupt|-6 --check=crc64"
  "corrupt_sha256|text:50000|corrupt|-6 --check=sha256"
  "corrupt_random|random:30000|corrupt|-6 --check=crc32"
  "unit|text:100000|unit|-6 --check=crc32"
  "reject_bcj_x86|${XZ_SAMPLE}|reject:XZ_OPTIONS|--x86 --lzma2"
  "reject_delta|${XZ_SAMPLE}|reject:XZ_OPTIONS|--delta=dist=4 --lzma2"
  "reject_lzma1_format|${XZ_SAMPLE}|reject:XZ_FORMAT|--format=lzma"
)

foreach(c ${XZ_CASES})
  string(REPLACE "|" ";" f "${c}")
  list(GET f 0 name)
  list(GET f 1 input)
  list(GET f 2 mode)
  list(GET f 3 opts)
  separate_arguments(opts UNIX_COMMAND "${opts}")
  add_test(NAME xz_${name}
           COMMAND bash ${XZ_CASE} $<TARGET_FILE:test_xz> ${XZ_WORK} ${name} ${input} ${mode} ${opts})
  set_tests_properties(xz_${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS xz)
endforeach()

# lc + lp = 4 (refused above by the default build, OTA_XZ_LCLP_MAX 3) decodes with the
# lc + lp <= 4 build of the core (ota_core_lclp4, as in ota-xzdec).
add_executable(test_xz_lclp4 ${CMAKE_CURRENT_LIST_DIR}/test_xz.c ${CMAKE_CURRENT_LIST_DIR}/test_file.c)
target_link_libraries(test_xz_lclp4 ota_core_lclp4)
foreach(c "lc0lp4|lc=0,lp=4,pb=4" "lc4lp0|lc=4,lp=0,pb=0" "lc1lp3pb1|lc=1,lp=3,pb=1")
  string(REPLACE "|" ";" f "${c}")
  list(GET f 0 name)
  list(GET f 1 opts)
  add_test(NAME xz_lclp4_${name}
           COMMAND bash ${XZ_CASE} $<TARGET_FILE:test_xz_lclp4> ${XZ_WORK} lclp4_${name} ${XZ_SAMPLE}
                   decode --lzma2=preset=6,${opts})
  set_tests_properties(xz_lclp4_${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS xz)
endforeach()

# ota_decode_cmd (`ota-boot --decode`) through the ota-xzdec driver: xzcat equivalence,
# concatenated streams, errors and no partial output files.
add_test(NAME xz_decode_cmd
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/xz/decode_cmd_test.sh ${XZ_WORK}/decode_cmd
                 $<TARGET_FILE:ota-xzdec>)
set_tests_properties(xz_decode_cmd PROPERTIES LABELS xz)
if(TARGET ota-boot)
  add_test(NAME xz_ota_boot_decode
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/xz/decode_cmd_test.sh ${XZ_WORK}/ota_boot_decode
                   $<TARGET_FILE:ota-boot> --decode)
  set_tests_properties(xz_ota_boot_decode PROPERTIES LABELS xz)
endif()
