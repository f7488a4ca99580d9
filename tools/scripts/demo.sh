#!/usr/bin/env bash
# `make demo` (interim): build a sample firmware, pack it as a full and an xz image, inspect both,
# and compose a whole-flash image. The end-to-end OTA demo (serve, download, stage, install, boot,
# confirm on a simulated device) replaces this script with the device-engine issue.
set -euo pipefail
build=${1:-build}
ota="$build/bin/ota"
out="$build/demo"
mkdir -p "$out"
echo "== sample firmware 1.0.0 (1 MiB, ESP32 app image layout)"
"$ota" sample-firmware --version 1.0.0 --size 1M -o "$out/firmware.bin"
echo "== pack: full image and xz package"
"$ota" pack "$out/firmware.bin" -o "$out/firmware.img" --version 1.0.0 --upd-no 1
"$ota" pack "$out/firmware.bin" -o "$out/firmware_ota.img" --version 1.0.0 --upd-no 1 --compress xz
echo "== inspect the full image"
"$ota" inspect "$out/firmware.img"
echo "== inspect the xz package (stream decoded, inner image checked)"
"$ota" inspect "$out/firmware_ota.img"
echo "== partition table and whole-flash image"
"$ota" partitions partitions.csv -o "$out/partitions.bin"
head -c 16384 /dev/zero | tr '\0' '\377' > "$out/bootloader-placeholder.bin"
"$ota" flash-image --partitions partitions.csv --bootloader "$out/bootloader-placeholder.bin" \
  --app "$out/firmware_ota.img" -o "$out/flash.bin"
full=$(stat -c %s "$out/firmware.img"); xz=$(stat -c %s "$out/firmware_ota.img")
echo
echo "demo: packed 1.0.0 as $full bytes (full) and $xz bytes (xz, $((100 * xz / full)) %); outputs in $out/"
echo "demo: the full OTA demo (serve -> download -> stage -> install -> boot -> confirm on a simulated"
echo "      device) arrives with the device-engine issue; this interim demo stops after pack/inspect."
