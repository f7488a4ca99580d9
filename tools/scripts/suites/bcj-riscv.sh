#!/usr/bin/env bash
# Cross-implementation check of the RISC-V BCJ filter (issue 9): packages made by the C# packer
# (`ota pack --compress xz --bcj riscv`) decoded by the C decoder (`ota-xzdec`, the bootloader's
# code) back to the full image, byte-exactly; on real RISC-V firmware when installed, else on the
# shared synthetic vector. The default package (dictionary = image size, far beyond the default
# bootloader's 4 KiB RAM window) is also installed by `ota-boot` (the C bootloader on a flash
# file): the app partition must then hold the image byte-exactly.
# Usage: bcj-riscv.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
bin="$(cd "$build" && pwd)/bin"
root=$(pwd)
passed=0; failed=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

inputs=()
for f in /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin /usr/lib/u-boot/qemu-riscv64/u-boot.bin; do
  [ -f "$f" ] && inputs+=("$f")
done
inputs+=("$root/test-vectors/bcj/riscv_mix.bin")
# the installs' starting point: another image (v1) in app
printf 'bootloader placeholder' > "$work/bl.bin"
"$bin/ota" pack "$root/test-vectors/bcj/riscv_mix.bin" -o "$work/v1.img" --version 0.9.0 -q

for f in "${inputs[@]}"; do
  n=$(basename "$f")
  rm -f "$work/full.img"
  "$bin/ota" pack "$f" -o "$work/full.img" --version 1.0.0 -q  # what every package must decode to
  for dict in default 1M; do
    name="$n dict=$dict"
    args=(--compress xz --bcj riscv); [ "$dict" != default ] && args+=(--dict "$dict")
    if "$bin/ota" pack "$f" -o "$work/p.img" --version 1.0.0 -q "${args[@]}" 2> "$work/err" \
       && tail -c +65 "$work/p.img" > "$work/p.xz" \
       && "$bin/ota-xzdec" "$work/p.xz" "$work/out" && cmp -s "$work/out" "$work/full.img"; then
      passed=$((passed + 1)); echo "ok   $name"
    else
      failed=$((failed + 1)); echo "FAIL $name: $(cat "$work/err")"
      continue
    fi
    [ "$dict" = default ] || continue
    # install through the bootloader: v1 (another image) in app, the BCJ package staged
    name="$n dict=image installed by ota-boot"
    "$bin/ota" flash-image --partitions "$root/partitions.csv" --bootloader "$work/bl.bin" --app "$work/v1.img" -o "$work/flash.bin" > /dev/null
    python3 "$root/tools/scripts/stage-package.py" "$work/flash.bin" "$work/p.img"
    "$bin/ota-boot" --flash "$work/flash.bin" > "$work/boot.json" 2> "$work/err"; rc=$?
    # "verify":"header": matches reach behind the 4 KiB window (the dictionary is in flash)
    if [ $rc -eq 0 ] && grep -q '"state_after":"TRIAL"' "$work/boot.json" \
       && grep -q '"verify":"header"' "$work/boot.json" \
       && python3 -c "
import sys
f = open('$work/flash.bin', 'rb').read(); img = open('$work/full.img', 'rb').read()
sys.exit(0 if f[0x20000:0x20000 + len(img) - 64] == img[64:] else 1)"; then
      passed=$((passed + 1)); echo "ok   $name"
    else
      failed=$((failed + 1)); echo "FAIL $name: rc $rc $(cat "$work/boot.json" "$work/err")"
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
