#!/usr/bin/env bash
# `make demo`: the whole OTA path on one machine, no setup. Builds sample firmware 1.0.0 and
# 2.0.0, packs 2.0.0 as an xz package, serves it with `ota serve` on 127.0.0.1 (free port),
# composes a fresh flash with 1.0.0, and runs the simulated device (`ota sim`): the C bootloader
# boots 1.0.0, the DeviceApp flow downloads 2.0.0 over HTTP (live progress bar), stages it and
# reboots, the bootloader installs it, 2.0.0 boots and confirms itself. Exit 0 only if the app
# partition then holds 2.0.0 bit-exact and the bootloader runs it. The summary adds the flash
# time of each phase on the simulator's ESP32 timing model (modelled from the run's operations).
set -euo pipefail
build=${1:-build}
ota="$build/bin/ota"
out="$build/demo"
rm -rf "$out"; mkdir -p "$out/srv/esp32/stable"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT
ms() { date +%s%3N; }

t0=$(ms)
echo "== 1. sample firmware 1.0.0 and 2.0.0 (1 MiB ESP32 app images)"
"$ota" sample-firmware --version 1.0.0 --size 1M -o "$out/fw-1.0.0.bin"
"$ota" sample-firmware --version 2.0.0 --size 1M -o "$out/fw-2.0.0.bin"
echo "== 2. pack: 1.0.0 full (factory flash), 2.0.0 full (reference) and 2.0.0 xz (the update)"
"$ota" pack "$out/fw-1.0.0.bin" -o "$out/fw-1.0.0.img" --version 1.0.0 --upd-no 1
"$ota" pack "$out/fw-2.0.0.bin" -o "$out/fw-2.0.0.img" --version 2.0.0 --upd-no 2
"$ota" pack "$out/fw-2.0.0.bin" -o "$out/srv/esp32/stable/fw-2.0.0_ota.img" --version 2.0.0 --upd-no 2 --compress xz
t_pack=$(ms)

echo "== 3. serve $out/srv on 127.0.0.1"
"$ota" serve "$out/srv" --port 0 > "$out/serve.out" 2> "$out/serve.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^serving .* at \(http:[^ ]*\)\/$/\1/p' "$out/serve.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$out/serve.log"; echo "demo: ota serve died"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "demo: ota serve did not start"; exit 1; }
echo "   $url  (manifest: $url/manifest/esp32/stable.json)"

echo "== 4. fresh flash with 1.0.0 (bootloader region: placeholder; the simulator runs the C"
echo "      bootloader natively through libotahost)"
head -c 16384 /dev/zero | tr '\0' '\377' > "$out/bootloader-placeholder.bin"
"$ota" flash-image --partitions partitions.csv --bootloader "$out/bootloader-placeholder.bin" \
  --app "$out/fw-1.0.0.img" -o "$out/flash.bin"
t_setup=$(ms)

echo "== 5. simulated device: boot 1.0.0 -> update over HTTP -> reboot -> install -> boot 2.0.0 -> confirm"
rc=0
timeout 600 "$ota" sim --flash "$out/flash.bin" --server "$url" --expect "$out/fw-2.0.0.img" --json > "$out/sim.json" || rc=$?
t_sim=$(ms)

python3 - "$out/sim.json" "$out/fw-2.0.0.img" "$out/srv/esp32/stable/fw-2.0.0_ota.img" \
  $((t_pack - t0)) $((t_setup - t_pack)) $((t_sim - t_setup)) <<'PY' || rc=1
import json, os, sys
path, full, pkg, t_pack, t_setup, t_sim = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
try:
    r = json.load(open(path))
except Exception as e:
    print(f"demo: no simulator report ({e})"); sys.exit(1)
fs, ps = os.path.getsize(full), os.path.getsize(pkg)
ms = r["ms"]
print()
print("== summary")
for b in r["boots"]:
    bl = b["bootloader"] or {}
    app = b["app"] or {}
    print(f"   boot {b['boot']}: bootloader {bl.get('state_before')} -> {bl.get('state_after')} "
          f"runs {((bl.get('image') or {}).get('version'))}; app {app.get('start_state')} -> {app.get('end_state')}"
          + (" (confirmed)" if app.get("confirmed") else "") + (" (reboot to install)" if app.get("reboot") else ""))
print(f"   result             : {'OK' if r['success'] else 'FAILED'}: running {r['final_version']}, state {r['final_state']}, "
      f"app partition {'bit-exact with 2.0.0' if r['bit_exact'] else 'NOT bit-exact: ' + str(r['bit_exact_note'])}")
print(f"   bytes on the wire  : {r['bytes_on_wire']} HTTP body bytes (package {ps} B + manifests and the header probe)")
print(f"   compression        : {ps} / {fs} B = {ps / fs:.3f} ({100 - 100 * ps / fs:.1f} % saved)")
print(f"   time per phase     : build+pack {t_pack} ms, serve+flash {t_setup} ms, download+stage {ms['download']:.0f} ms, "
      f"install {ms['install']:.0f} ms, boot+confirm {ms['boot_confirm']:.0f} ms (simulator total {ms['total']:.0f} ms)")
print(f"   flash operations   : {r['flash_operations']}")
ft = r["flash_time"]
if ft["model"] == "off":
    print("   flash time         : model off")
else:
    ds, ins = ft["download_stage"], ft["install"]
    name = "ESP32 model" if ft["model"] == "esp32" else "model " + ft["model"]
    line = f"   flash time         : ({name}) download+stage {ds['modelled_ms']:.0f} ms, install {ins['modelled_ms']:.0f} ms"
    if ins["ratio"] is not None:
        line += (f" = erase/program {ins['target_write_ms']:.0f} ms + reads/records {ins['other_ms']:.0f} ms"
                 f" ({ins['ratio']:.3f}×)")
    print(line + " (modelled, not waited for)")
writer = r.get("staging_writer")
print(f"   staging writer     : " + ("none (nothing downloaded)" if writer is None else
      f"{writer}" + (f" (a worker thread erased ahead and programmed the package, {r['staging_worker_operations']} staging flash operations, while the app received)"
                     if writer == "pipelined" else " (every erase and program in the app's thread)")))
sys.exit(0 if r["success"] and r["bit_exact"] else 1)
PY
requests=$(grep -c '^serve: #' "$out/serve.log" || true)
echo "   server requests    : $requests (log: $out/serve.log)"
if [ $rc -ne 0 ]; then echo "demo: FAILED (exit $rc)"; exit 1; fi
echo "demo: OK"
