#!/usr/bin/env bash
# The shipped binaries end to end: `make demo` itself (and the staging writer it reports), `ota serve`
# probed with curl (Range, 416, HEAD, If-Match, manifest), and `ota sim` from the command line with a
# power cut mid-download (default pipelined writer) and with config staging_pipeline false; the
# modelled flash time line of make demo and a bad --flash-timing.
# Usage: device-sim.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
ota="$(cd "$build" && pwd)/bin/ota"
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
work=$(mktemp -d); server_pid=""
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT

# 1. make demo (v1 -> v2 over HTTP, bit-exact)
if bash tools/scripts/demo.sh "$build" > "$work/demo.log" 2>&1; then ok "make demo: v2 boots bit-exact"; else bad "make demo (log below)"; tail -30 "$work/demo.log"; fi
demo="$build/demo"
check "make demo: the pipelined staging writer ran (worker thread)" bash -c "grep -q '^   staging writer     : pipelined (a worker thread' '$work/demo.log' && python3 -c \"import json,sys; r=json.load(open('$demo/sim.json')); sys.exit(0 if r['staging_writer']=='pipelined' and r['staging_worker_operations']>0 else 1)\""
check "make demo: flash time line (ESP32 model) matches sim.json's op counts" python3 - "$work/demo.log" "$demo/sim.json" <<'PY'
import json, re, sys
log, r = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
ft = r["flash_time"]; ds, ins = ft["download_stage"], ft["install"]
m = re.search(r"^   flash time         : \(ESP32 model\) download\+stage (\d+) ms, install (\d+) ms = erase/program (\d+) ms \+ reads/records (\d+) ms \(([\d.]+)×\)", log, re.M)
inst = [b["bootloader"]["flash"] for b in r["boots"] if "install" in (b["bootloader"] or {}).get("actions", [])]
ok = (m is not None and ft["model"] == "esp32" and len(inst) == 1
      and abs(ds["erase_ms"] - (ds["sector_erases"] * 45 + ds["block_erases"] * 150)) < 1e-6
      and abs(ds["program_ms"] - ds["programs"] * 0.6) < 1e-6
      and inst[0]["erase_us"] == inst[0]["sector_erases"] * 45000 + inst[0]["block_erases"] * 150000
      and inst[0]["program_us"] == inst[0]["programs"] * 600
      and inst[0]["modelled_us"] == inst[0]["target_write_us"] + inst[0]["other_us"]
      and int(m.group(1)) == round(ds["modelled_ms"]) and int(m.group(2)) == round(inst[0]["modelled_us"] / 1000)
      and abs(float(m.group(5)) - inst[0]["modelled_us"] / inst[0]["target_write_us"]) < 0.001)
sys.exit(0 if ok else 1)
PY

# 2. ota serve probed with curl
"$ota" serve "$demo/srv" --port 0 > "$work/serve.out" 2> "$work/serve.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do url=$(sed -n 's/^serving .* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.out"); [ -n "$url" ] && break; sleep 0.1; done
pkg="$demo/srv/esp32/stable/fw-2.0.0_ota.img"
size=$(stat -c %s "$pkg" 2>/dev/null || echo 0)
f="$url/esp32/stable/fw-2.0.0_ota.img"
check "serve: Range -> 206 + Content-Range" bash -c "curl -s -D - -o '$work/part' -r 100-199 '$f' | grep -qi '^Content-Range: bytes 100-199/$size' && cmp -s '$work/part' <(tail -c +101 '$pkg' | head -c 100)"
check "serve: past the end -> 416 bytes */size" bash -c "curl -s -D - -o /dev/null -r $((size + 5))- '$f' | grep -qi '^Content-Range: bytes \*/$size'"
check "serve: HEAD -> length, no body" bash -c "[ \"\$(curl -s -I '$f' | tr -d '\r' | sed -n 's/^Content-Length: //Ip')\" = '$size' ] && [ \"\$(curl -s -I '$f' -o - | tr -d '\r' | tail -n +2 | grep -c '^HTTP')\" = 0 ]"
etag=$(curl -s -I "$f" | tr -d '\r' | sed -n 's/^ETag: //Ip')
check "serve: If-Match stale -> 412, current -> 206" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'If-Match: \"x\"' -r 0-9 '$f')\" = 412 ] && [ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'If-Match: $etag' -r 0-9 '$f')\" = 206 ]"
check "serve: manifest names 2.0.0 with the package's size and sha256" python3 - "$url/manifest/esp32/stable.json" "$pkg" <<'PY'
import hashlib, json, os, sys, urllib.request
m = json.load(urllib.request.urlopen(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
sys.exit(0 if m["version"] == "2.0.0" and m["size"] == len(data) and m["sha256"] == hashlib.sha256(data).hexdigest() else 1)
PY
check "serve: one log line per request on stderr" grep -q '^serve: #1 ' "$work/serve.log"

# 3. ota sim from the command line with a power cut in the middle of the download
"$ota" flash-image --partitions partitions.csv --bootloader "$demo/bootloader-placeholder.bin" --app "$demo/fw-1.0.0.img" -o "$work/flash.bin" > /dev/null
if "$ota" sim --flash "$work/flash.bin" --server "$url" --expect "$demo/fw-2.0.0.img" --power-cut 900:torn:5 --json --quiet > "$work/sim.json"; then
  check "sim: power cut at op 900 (pipelined writer), resumed, v2 bit-exact" python3 -c "
import json,sys; r=json.load(open('$work/sim.json'))
sys.exit(0 if r['power_cuts']==1 and r['bit_exact'] and r['final_state']=='CONFIRMED' and r['staging_writer']=='pipelined' and any((b['app'] or {}).get('resumed_from',0)>0 for b in r['boots']) else 1)"
else
  bad "sim with a power cut exited non-zero"; cat "$work/sim.json"
fi
printf '{"staging_pipeline": false}' > "$work/plain.json"
"$ota" flash-image --partitions partitions.csv --bootloader "$demo/bootloader-placeholder.bin" --app "$demo/fw-1.0.0.img" -o "$work/flash2.bin" > /dev/null
if "$ota" sim --flash "$work/flash2.bin" --server "$url" --config "$work/plain.json" --expect "$demo/fw-2.0.0.img" --json --quiet > "$work/sim2.json"; then
  check "sim: config staging_pipeline false -> erase-as-you-go writer, v2 bit-exact" python3 -c "
import json,sys; r=json.load(open('$work/sim2.json'))
sys.exit(0 if r['staging_writer']=='erase-as-you-go' and r['staging_worker_operations']==0 and r['bit_exact'] else 1)"
else
  bad "sim with staging_pipeline false exited non-zero"; cat "$work/sim2.json"
fi
check "sim: --flash-timing bogus -> E901, exit 2, flash untouched" bash -c "cp '$work/flash2.bin' '$work/flash3.bin'; '$ota' sim --flash '$work/flash3.bin' --server '$url' --flash-timing erase4k=fast 2>&1 | grep -q 'E901 USAGE.*--flash-timing'; [ \${PIPESTATUS[0]} -eq 2 ] && cmp -s '$work/flash2.bin' '$work/flash3.bin'"
check "sim: missing flash file -> E902, exit 1" bash -c "'$ota' sim --flash '$work/none.bin' --server '$url' 2>&1 | grep -q 'E902 IO'; [ \${PIPESTATUS[0]} -eq 1 ]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
