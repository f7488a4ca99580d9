#!/usr/bin/env bash
# Cross-implementation check of the RISC-V BCJ filter (issue 9): packages made by the C# packer
# (`ota pack --compress xz --bcj riscv`) decoded by the C decoder (`ota-xzdec`, the bootloader's
# code) back to the full image, byte-exactly; on real RISC-V firmware when installed, else on the
# shared synthetic vector. Usage: bcj-riscv.sh BUILD_DIR. Prints "N passed, N failed".
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

for f in "${inputs[@]}"; do
  n=$(basename "$f")
  for dict in default 1M; do
    name="$n dict=$dict"
    args=(--compress xz --bcj riscv); [ "$dict" != default ] && args+=(--dict "$dict")
    if "$bin/ota" pack "$f" -o "$work/p.img" --version 1.0.0 -q "${args[@]}" 2> "$work/err" \
       && "$bin/ota" pack "$f" -o "$work/full.img" --version 1.0.0 -q \
       && tail -c +65 "$work/p.img" > "$work/p.xz" \
       && "$bin/ota-xzdec" "$work/p.xz" "$work/out" && cmp -s "$work/out" "$work/full.img"; then
      passed=$((passed + 1)); echo "ok   $name"
    else
      failed=$((failed + 1)); echo "FAIL $name: $(cat "$work/err")"
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
