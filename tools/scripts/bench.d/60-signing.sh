#!/usr/bin/env bash
# `make bench` section: what signed mode costs. The C verifier (ota-sigverify: the bootloader's
# code, SHA-256 + ECDSA P-256 through mbedTLS, xz decoded and hashed) against the same tool without
# trusted keys (format, CRC and xz decode only) on the same images in the same run, plus the size
# overhead of the 256-byte block. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
bin="$build/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reps=10

"$bin/ota" keygen -o "$work/k.pem" --pub "$work/p.pem" -q
"$bin/ota" sample-firmware --version 1.0.0 --size 1M -o "$work/fw.bin" > /dev/null
"$bin/ota" sample-firmware --version 1.0.0 --size 4K -o "$work/tiny.bin" > /dev/null
for n in fw tiny; do
  "$bin/ota" pack "$work/$n.bin" -o "$work/$n.img" --version 1.0.0 -q
  "$bin/ota" pack "$work/$n.bin" -o "$work/${n}_ota.img" --version 1.0.0 --compress xz -q
  for i in "$n.img" "${n}_ota.img"; do "$bin/ota" sign "$work/$i" --key "$work/k.pem" -o "$work/s_$i" -q; done
done

# seconds for $reps runs of a command
clock() { local t0 t1; t0=$(date +%s.%N); for _ in $(seq $reps); do "$@" > /dev/null; done; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }

echo "## Signed mode (ota-sigverify, C verifier)"
echo
echo "Each image verified $reps times with the test key (SHA-256 of header + body, ECDSA P-256,"
echo "xz decoded and its SHA-256 bound to the block) and $reps times without keys (format, CRC, xz"
echo "decode only). ratio = signed / unsigned time in this run (process start included in both);"
echo "ms/run = the difference per run, i.e. what the signature check adds."
echo
echo "| image | package | block overhead | signed / unsigned time | added ms/run |"
echo "|---|---:|---:|---:|---:|"
for i in fw.img fw_ota.img tiny.img tiny_ota.img; do
  size=$(stat -c %s "$work/s_$i")
  ts=$(clock "$bin/ota-sigverify" "$work/s_$i" --pub "$work/p.pem")
  tu=$(clock "$bin/ota-sigverify" "$work/s_$i")
  awk -v i="$i" -v size="$size" -v ts="$ts" -v tu="$tu" -v reps="$reps" \
    'BEGIN { printf "| %s | %d B | %.3f %% | %.2f | %.2f |\n", i, size, 25600 / size, ts / tu, (ts - tu) * 1000 / reps }'
done
