#!/usr/bin/env bash
# `make bench` section: `ota pack --compress xz` (liblzma through P/Invoke) against the system
# `xz -9e --check=crc32` on the same full images in the same run: package size ratio, the effect of
# the dictionary size, and how the generated sample firmware compresses next to real firmware.
# Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
source tools/scripts/bench-lib.sh  # ota work, corpus_add
corpus_add ath9k_htc_9271.fw /usr/lib/firmware/ath9k_htc/htc_9271-1.4.0.fw
corpus_add opensbi_fw_dynamic.bin /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
corpus_add u-boot_qemu-riscv64.bin /usr/lib/u-boot/qemu-riscv64/u-boot.bin
corpus_add u-boot_qemu_arm64.bin /usr/lib/u-boot/qemu_arm64/u-boot.bin
"$ota" sample-firmware --version 1.0.0 --size 1M -o "$work/sample_1m.bin" > /dev/null
files+=(sample_1m.bin)

now() { date +%s.%N; }
echo "## Packing (ota pack --compress xz)"
echo
echo "Each input packed as a full image, then as an xz package with the default options (preset 9e,"
echo "dict = image size rounded up) and with 64 KiB / 256 KiB dictionaries. Reference: system"
echo "\`xz -9e --check=crc32\` ($(xz --version | head -1 | sed 's/^xz (XZ Utils) //')) of the same full image."
echo "size % = package / full image; vs xz = our package / xz's stream (1.000 = same size); time ratio"
echo "= our pack time (incl. .NET start-up) / xz time."
echo
echo "| input | full image | default | vs xz | time ratio | dict 256 KiB | dict 64 KiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for f in "${files[@]}"; do
  v=1.0.0
  "$ota" pack "$work/$f" -o "$work/$f.img" --version "$v" -q
  full=$(stat -c %s "$work/$f.img")
  t0=$(now); "$ota" pack "$work/$f" -o "$work/$f.ota" --version "$v" --compress xz -q; t1=$(now)
  xz -9e --check=crc32 -T1 -c "$work/$f.img" > "$work/$f.xz"; t2=$(now)
  "$ota" pack "$work/$f" -o "$work/$f.256" --version "$v" --compress xz --dict 256K -q
  "$ota" pack "$work/$f" -o "$work/$f.64" --version "$v" --compress xz --dict 64K -q
  ours=$(stat -c %s "$work/$f.ota"); ref=$(stat -c %s "$work/$f.xz")
  d256=$(stat -c %s "$work/$f.256"); d64=$(stat -c %s "$work/$f.64")
  python3 - "$f" "$full" "$ours" "$ref" "$d256" "$d64" "$t0" "$t1" "$t2" <<'PY'
import sys
f, full, ours, ref, d256, d64 = sys.argv[1], *map(int, sys.argv[2:7])
t0, t1, t2 = map(float, sys.argv[7:10])
pct = lambda n: f"{100.0 * n / full:.1f} %"
print(f"| {f} | {full} | {pct(ours)} | {(ours - 64) / ref:.3f} | {(t1 - t0) / max(t2 - t1, 1e-3):.2f} | {pct(d256)} | {pct(d64)} |")
PY
done
