#!/usr/bin/env bash
# `make bench` section: our XZ decoder (bootloader-native/core/src/xz_*.c) against liblzma on the
# same streams in the same run: throughput ratio, callgrind instructions per MB of output,
# decoder RAM and rv32imc -Os code size. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
source tools/scripts/bench-lib.sh  # bin root core work, corpus_add

# corpus: real firmware from Debian packages (skipped if missing) + our generated sample
corpus_add ath9k_htc_9271.fw /usr/lib/firmware/ath9k_htc/htc_9271-1.4.0.fw
corpus_add opensbi_fw_dynamic.bin /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
corpus_add u-boot_qemu-riscv64.bin /usr/lib/u-boot/qemu-riscv64/u-boot.bin
corpus_add u-boot_qemu_arm64.bin /usr/lib/u-boot/qemu_arm64/u-boot.bin
corpus_add u-boot_qemu-x86_64.rom /usr/lib/u-boot/qemu-x86_64/u-boot.rom
python3 bootloader-native/tests/xz/gen_input.py sample 1048576 "$work/sample_1m.bin"
files+=(sample_1m.bin)

echo "## XZ decoder (bootloader-native)"
echo
echo "Our decoder vs liblzma $(xz --version | sed -n 's/^liblzma //p'), both decoding the same"
echo "in-memory stream into RAM (\`ota-xzbench time\`: alternating rounds for ≥ 2 s, best round of"
echo "each, so other load on the machine disturbs the ratio least). Streams:"
echo "\`xz -9e --check=crc32\` (the packer default of issue 9) and \`xz -6\`. ratio = liblzma"
echo "throughput ÷ ours (1.00 = as fast; target ≤ 1.5)."
echo
echo "| file | raw bytes | xz bytes | preset | ours MB/s | liblzma MB/s | ratio |"
echo "|---|---:|---:|---|---:|---:|---:|"
for f in "${files[@]}"; do
  for p in -9e -6; do
    xz $p --check=crc32 -c "$work/$f" > "$work/$f$p.xz"
    read -r mo ml ratio out < <("$bin/ota-xzbench" time "$work/$f$p.xz")
    cmp -s <("$bin/ota-xzdec" "$work/$f$p.xz" -) "$work/$f" || { echo "bench: $f$p decodes wrong" >&2; exit 1; }
    echo "| $f | $(stat -c %s "$work/$f") | $(stat -c %s "$work/$f$p.xz") | $p | $mo | $ml | $ratio |"
  done
done
echo

echo "### Instructions per MB of output (callgrind)"
echo
echo "One decode of the stream in memory (\`ota-xzbench ours|lzma\`), whole-program instruction"
echo "count (Ir) from \`valgrind --tool=callgrind\` divided by the output size."
echo
echo "| stream | output bytes | ours Ir/MB | liblzma Ir/MB | ratio |"
echo "|---|---:|---:|---:|---:|"
if command -v valgrind > /dev/null; then
  for f in u-boot_qemu-riscv64.bin sample_1m.bin; do
    [ -f "$work/$f-9e.xz" ] || continue
    size=$(stat -c %s "$work/$f")
    ir() { valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin/ota-xzbench" "$1" "$2" > /dev/null 2> "$work/cg.log"
           sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.log"; }
    io=$(ir ours "$work/$f-9e.xz"); il=$(ir lzma "$work/$f-9e.xz")
    echo "| $f -9e | $size | $(( io * 1000000 / size )) | $(( il * 1000000 / size )) | $(awk -v a="$io" -v b="$il" 'BEGIN{printf "%.3f", a/b}') |"
  done
else
  echo "| (valgrind not installed) | | | | |"
fi
echo

echo "### Decoder RAM"
echo
cat > "$work/sz.c" <<'C'
#include "ota_xz.h"
ota_xz_dec_t ota_xz_sizeof_probe;
C
host=$(printf '#include "ota_xz.h"\n#include <stdio.h>\nint main(void){printf("%%zu\\n", sizeof(ota_xz_dec_t));return 0;}\n' > "$work/h.c" && cc -I$core/include "$work/h.c" -o "$work/h" && "$work/h")
rv=""
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -I$core/include -fcommon -c "$work/sz.c" -o "$work/sz.o"
  hex=$(riscv64-unknown-elf-nm -S "$work/sz.o" | awk '/ota_xz_sizeof_probe/{print $2}')
  rv=$((16#$hex))
fi
echo "All decoder state is one struct, \`ota_xz_dec_t\` (no heap). The window RAM ring is separate"
echo "and chosen by the caller: dictionary size for a RAM dictionary, or any size (e.g. 4 KiB)"
echo "with \`read_history\` reading older bytes from the destination flash (issue 9)."
echo
echo "| item | bytes |"
echo "|---|---:|"
echo "| sizeof(ota_xz_dec_t), x86-64 | $host |"
[ -n "$rv" ] && echo "| sizeof(ota_xz_dec_t), rv32 (ilp32) | $rv |"
echo "| + window for a 32 KiB dictionary in RAM (the ram32k bootloader build) | 32768 |"
echo "| + window with read_history (any dictionary; the default bootloader) | 4096 |"
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  mkdir -p "$work/su"
  for f in $core/src/xz_*.c $core/src/ota_crc32.c $core/src/ota_crc64.c; do
    riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -std=c11 \
      -fstack-usage -I$core/include -c "$f" -o "$work/su/$(basename "$f" .c).o"
  done
  # deepest decoding call chain: run -> lzma2 -> chunk -> symbols -> match copy -> history read
  # (-> for a RISC-V BCJ block, the re-encode of history read back: xz_bcj_history.c)
  chain=$(cat "$work"/su/*.su | awk -F'\t' '{split($1,a,":"); fn=a[4]; if (fn ~ /^(ota_xz_run|xz_lzma2_run|lzma_chunk|xz_lzma_decode|copy_match|xz_dict_far_copy|far_read|xz_bcj_far_read|reencode)$/) {s+=$2; l=l fn "(" $2 ") "}} END{print s " = " l}')
  echo "| stack, rv32 -Os: deepest chain (gcc -fstack-usage; plus the flush/read_history callback) | ${chain%% =*} |"
  echo
  echo "Stack chain: ${chain#*= }"
fi
echo

echo "### Code size, rv32imc -Os (riscv64-unknown-elf-gcc + picolibc)"
echo
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  echo "SHA-256 comes from mbedTLS (ESP-IDF ROM/HAL on the device) and is not counted."
  echo
  echo "| file | text | data | bss | total |"
  echo "|---|---:|---:|---:|---:|"
  mkdir -p "$work/rv"
  for f in $core/src/xz_*.c $core/src/ota_crc32.c $core/src/ota_crc64.c; do
    o="$work/rv/$(basename "$f" .c).o"
    riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -std=c11 \
      -ffunction-sections -fdata-sections -I$core/include -c "$f" -o "$o"
  done
  riscv64-unknown-elf-size "$work"/rv/*.o | awk 'NR>1{n=$6; sub(".*/","",n); printf "| %s | %d | %d | %d | %d |\n", n, $1, $2, $3, $1+$2+$3; t+=$1; d+=$2; b+=$3} END{printf "| **total** | **%d** | **%d** | **%d** | **%d** |\n", t, d, b, t+d+b}'
else
  echo "(riscv64-unknown-elf-gcc not installed)"
fi
