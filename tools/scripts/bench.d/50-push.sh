#!/usr/bin/env bash
# `make bench` section: network push (ArduinoOTA protocol) on 127.0.0.1, `ota push` against the
# simulated device `ota push-device` (real sockets, libotahost flash, MD5 + staging + verify).
# Ratios against the ESP32 espota.py setting (1024-byte chunks, raw firmware) in the same run.
# Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
ota="$build/bin/ota"
work=$(mktemp -d)
dev_pid=""
trap '[ -n "$dev_pid" ] && kill "$dev_pid" 2>/dev/null; rm -rf "$work"' EXIT

"$ota" sample-firmware --version 1.0.0 --size 128K -o "$work/fw1.bin" > /dev/null
"$ota" pack "$work/fw1.bin" -o "$work/fw1.img" --version 1.0.0 > /dev/null
head -c 4096 /dev/zero > "$work/boot.bin"
"$ota" sample-firmware --version 2.0.0 --size 1M -o "$work/fw2.bin" > /dev/null
"$ota" pack "$work/fw2.bin" -o "$work/fw2.img" --version 2.0.0 > /dev/null
"$ota" pack "$work/fw2.bin" -o "$work/fw2_ota.img" --version 2.0.0 --compress xz > /dev/null

now() { date +%s.%N; }
# push FILE CHUNK: prints seconds for the client (invitation to final OK, .NET start-up included)
push() {
  "$ota" flash-image --partitions partitions.csv --bootloader "$work/boot.bin" --app "$work/fw1.img" -o "$work/flash.bin" > /dev/null
  "$ota" push-device --flash "$work/flash.bin" --port 0 --count 1 --timeout 120 > /dev/null 2> "$work/dev.err" &
  dev_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/dev.err" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/dev.err" | cut -d: -f2)
  t0=$(now)
  "$ota" push 127.0.0.1 "$1" --port "$port" --chunk "$2" --quiet > /dev/null
  t1=$(now)
  wait "$dev_pid"; dev_pid=""
  echo "$t1 - $t0" | bc -l
}

ref=$(push "$work/fw2.bin" 1024)
echo "## Network push (ArduinoOTA / espota protocol)"
echo
echo "\`ota push\` to \`ota push-device\` on 127.0.0.1: 1 MiB sample firmware; the device receives, MD5s,"
echo "stages through the StagingWriter and re-reads the package before its final OK. time ratio = push"
echo "time / raw firmware with 1024-byte chunks (espota.py's ESP32 setting), same run; loopback has no"
echo "WiFi latency, so the stop-and-wait cost per chunk shows only as CPU."
echo
echo "| file | bytes sent | chunk | time ratio |"
echo "|---|---|---|---|"
printf '| raw firmware | %d | 1024 | 1.000 |\n' "$(stat -c %s "$work/fw2.bin")"
for row in "fw2.bin 1460 raw firmware" "fw2.bin 4096 raw firmware" "fw2.img 1024 full .img" "fw2_ota.img 1024 xz _ota.img" "fw2_ota.img 1460 xz _ota.img"; do
  set -- $row
  t=$(push "$work/$1" "$2")
  printf '| %s | %d | %s | %.3f |\n' "${*:3}" "$(stat -c %s "$work/$1")" "$2" "$(echo "$t / $ref" | bc -l)"
done
