#!/usr/bin/env bash
# Bench section: the native installer. Flash work per install on the timing model (ratio to the
# flash's physical limit for the same change), RAM of an install, and the full power-cut sweep.
# $1 = build folder. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
bin="$build/bin"
core_lib=$(find "$build/native" -name libota_core.a | head -1)

echo "## Native installer (bootloader-native)"
echo
echo "Flash work of one boot that installs a staged package, on the simulator's timing model"
echo "(4 KiB erase 45 ms, 64 KiB erase 150 ms, 256 B program 0.6 ms, read 10 MB/s). *Physical"
echo "limit* = erasing only the sectors whose content changes (block erase where cheaper) and"
echo "programming their non-0xFF pages, with no reads; *ratio* = modelled ÷ limit. The old image is"
echo "the same firmware shifted by 16 bytes (a rebuild), so nearly every sector changes."
echo
fws=()
for f in /usr/lib/u-boot/qemu-riscv64/u-boot.bin /lib/firmware/ath9k_htc/htc_9271-1.4.0.fw \
         /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin; do
  [ -r "$f" ] && fws+=("$f")
done
"$bin/bench_install" "${fws[@]}"
if [ -x "$bin/bench_install_ram32k" ] && [ ${#fws[@]} -gt 0 ]; then
  echo
  echo "The same install with the earlier default, a 32 KiB decoder window and lc + lp ≤ 4 (\`ram32k\`:"
  echo "\`OTA_INSTALL_WINDOW_SIZE=32768 OTA_XZ_LCLP_MAX=4\`; the default reads LZMA matches beyond 4 KiB"
  echo "from the app flash already written):"
  echo
  echo "| build | bytes |"
  echo "|---|---|"
  "$bin/bench_install_ram32k" --ram-only "${fws[0]}" || echo "| 32 KiB window install FAILED | |"
fi
echo
# Target-side sizes of the static structs (rv32imc ilp32, as on ESP32-C3/C6).
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  work=$(mktemp -d)
  core=bootloader-native/core
  printf '#include "ota_install.h"\n#include "ota_ptable.h"\nchar probe_work[sizeof(ota_install_work_t)];\nchar probe_pt[sizeof(ota_ptable_t)];\n' > "$work/sz.c"
  if riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -I$core/include -fcommon \
       -c "$work/sz.c" -o "$work/sz.o" 2>/dev/null; then
    w=$(riscv64-unknown-elf-nm -S "$work/sz.o" | awk '/probe_work/{print $2}')
    p=$(riscv64-unknown-elf-nm -S "$work/sz.o" | awk '/probe_pt/{print $2}')
    echo "On rv32 (ilp32, riscv64-unknown-elf-gcc): \`ota_install_work_t\` = $((16#$w)) bytes,"
    echo "\`ota_ptable_t\` = $((16#$p)) bytes (static)."
    echo
  fi
  rm -rf "$work"
fi
if [ -n "$core_lib" ]; then
  allocs=$(nm -u "$core_lib" 2>/dev/null | grep -cwE 'malloc|calloc|realloc|free' || true)
  echo "Heap: \`libota_core.a\` references $allocs allocator symbols (malloc/calloc/realloc/free):"
  echo "the core allocates nothing; all working memory is the static \`ota_install_work_t\`. (In signed"
  echo "mode mbedTLS' ECDSA bignums allocate from the arena the device bootloader gives mbedTLS.)"
  echo
fi

echo "### Power cuts during an install"
echo
echo "Power cut at every flash operation of a full install (counted in a dry run), cut before,"
echo "after, or torn (partly programmed page / partly erased sector with random bits); after each"
echo "cut the device boots again, every 4th case with a further random cut, until the app runs."
echo "Each case must end with the new image bit-exact in state TRIAL and no boot may report"
echo "running anything but the old or the new image; no sector may be erased more than once per boot."
echo "The 1 MiB image is sampled (every 37th op)."
echo
echo "| image bytes | package | cut | flash ops per install | cut points | boots | max boots to recover |"
echo "|---|---|---|---|---|---|---|"
total=0; failed=0
for args in "--sizes 12288,70001,200000 --stride 1" "--sizes 1048576 --stride 37"; do
  set +e
  out=$("$bin/test_powercut" $args)
  rc=$?
  set -e
  [ $rc -ne 0 ] && failed=1
  sed -nE 's/^size ([0-9]+) ([a-z]+) cut-([a-z]+): ([0-9]+) flash ops per install, ([0-9]+) cut points, ([0-9]+) boots, max ([0-9]+) boots to recover$/| \1 | \2 | \3 | \4 | \5 | \6 | \7 |/p' <<<"$out"
  n=$(sed -nE 's/^power-cut cut points: ([0-9]+).*/\1/p' <<<"$out")
  total=$((total + ${n:-0}))
  grep '^FAIL' <<<"$out" | head -5 | sed 's/^/    /' || true
done
echo
if [ $failed -eq 0 ]; then
  echo "**$total power-cut cases, all recovered** (new image bit-exact, state TRIAL)."
else
  echo "**$total power-cut cases, FAILURES above.**"
fi
