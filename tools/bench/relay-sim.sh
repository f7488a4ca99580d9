#!/usr/bin/env bash
# Relay for the bench's real-device mode on this machine (docs/bench.md "Real-device mode"): the
# "device" is `ota sim --run-forever` (C bootloader + DeviceApp host twin on a flash file, status
# URL on 127.0.0.1), and its power is the process.
#   relay-sim.sh DIR on     start the device process in the background (pid in DIR/device.pid,
#                           log appended to DIR/device.log); a power-on boots the flash file again
#   relay-sim.sh DIR off    kill -9 the device process: a power cut at an arbitrary moment
#   relay-sim.sh DIR reset  (power off) copy DIR/flash-old.bin over DIR/flash.bin
# DIR/device.env sets OTA (the ota CLI), SERVER (the bench's URL), STATUS_PORT, CONFIG (ota.json).
# Limitation: the host flash writes are pwrite()s of whole program/erase operations, and a killed
# process never tears a pwrite(), so a cut lands between flash operations (plus what the file
# holds at that moment); torn NOR cells are exercised by the simulated bench (--power-cut torn).
set -eu
dir=$1; action=$2
# shellcheck disable=SC1091
. "$dir/device.env"
pidfile="$dir/device.pid"
case "$action" in
  on)
    [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && { echo "relay-sim: already on" >&2; exit 0; }
    echo "--- power on $(date +%T.%N)" >> "$dir/device.log"
    setsid "$OTA" sim --flash "$dir/flash.bin" --server "$SERVER" --config "$CONFIG" \
      --serve-status "$STATUS_PORT" --run-forever --max-boots 50 < /dev/null >> "$dir/device.log" 2>&1 &
    echo $! > "$pidfile"
    ;;
  off)
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
      echo "--- power off $(date +%T.%N)" >> "$dir/device.log"
      rm -f "$pidfile"
    fi
    ;;
  reset)
    cp "$dir/flash-old.bin" "$dir/flash.bin.tmp" && mv "$dir/flash.bin.tmp" "$dir/flash.bin"
    ;;
  *) echo "usage: relay-sim.sh DIR on|off|reset" >&2; exit 2 ;;
esac
