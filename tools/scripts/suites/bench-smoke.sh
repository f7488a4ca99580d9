#!/usr/bin/env bash
# CI part of the hardware-in-the-loop bench (issue 5, docs/bench.md): `ota bench run` on every
# scenario in tools/bench/scenarios with the power-cut points sampled deterministically (every
# BENCH_EVERY-th cut point of each phase, all three cut modes for the sweep), each bench case
# counted as one test; then the CLI's contract: JUnit XML and the Markdown report agree with the
# cases, negative controls fail with exit 1, bad scenario files give one E901 line and no output
# file, and `ota serve` faults from flags, a scenario file and the HTTP control endpoint.
# The full sweep is `make bench` (tools/scripts/bench.d/50-reliability.sh).
# Usage: bench-smoke.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
ota="$(cd "$build" && pwd)/bin/ota"
every=${BENCH_EVERY:-7}
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
work=$(mktemp -d); server_pid=""
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
scen=tools/bench/scenarios

# 1. Every scenario, cut points sampled; each case is a test.
"$ota" bench run "$scen"/power-cut-sweep.json --every "$every" --modes torn,before,after \
  --junit "$work/sweep.xml" --report "$work/sweep.md" > "$work/sweep.out" 2> "$work/sweep.log"; rc_sweep=$?
others=$(ls "$scen"/*.json | grep -v power-cut-sweep)
# shellcheck disable=SC2086
"$ota" bench run $others --junit "$work/net.xml" --report "$work/net.md" > "$work/net.out" 2> "$work/net.log"; rc_net=$?
for f in sweep net; do
  cat "$work/$f.out"
  grep '^bench: FAIL' "$work/$f.log"
  line=$(grep -E '^bench: [0-9]+ scenarios, [0-9]+ cases, [0-9]+ passed, [0-9]+ failed' "$work/$f.out")
  if [ -z "$line" ]; then bad "bench $f: no summary line"; tail -20 "$work/$f.log"; continue; fi
  p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line"); n=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + n))
done
check "bench exit status 0 when every case passed" bash -c "[ $rc_sweep -eq 0 ] && [ $rc_net -eq 0 ]"
check "sweep: cut points in download, commit, install and confirm, every mode" python3 - "$work/sweep.md" <<'PY'
import sys, re
t = open(sys.argv[1]).read()
row = [l for l in t.splitlines() if l.startswith("| power-cut-sweep |")][0]
need = [f"{p} ({m})" for p in ("download", "commit", "install", "confirm") for m in ("torn", "before", "after")]
sys.exit(0 if all(n in row for n in need) else 1)
PY
check "JUnit XML: well-formed, one testcase per case, failures match" python3 - "$work/sweep.xml" "$work/sweep.out" "$work/net.xml" "$work/net.out" <<'PY'
import sys, re, xml.etree.ElementTree as ET
for xmlp, outp in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    root = ET.parse(xmlp).getroot()
    cases = root.findall(".//testcase"); fails = root.findall(".//testcase/failure")
    m = re.search(r"(\d+) cases, (\d+) passed, (\d+) failed", open(outp).read())
    if not m or int(m.group(1)) != len(cases) or int(m.group(3)) != len(fails) or int(root.get("tests")) != len(cases):
        sys.exit(1)
PY

# 2. Negative controls: a wrong expectation must fail, with exit 1 and failures in the reports.
"$ota" bench run tools/bench/negative/*.json --junit "$work/neg.xml" --report "$work/neg.md" --quiet > "$work/neg.out" 2>&1; rc=$?
check "negative controls: exit 1" test $rc -eq 1
check "negative controls (wrong final, wrong after-faults, unchecked app bit rot booted, bricked): each fails with its reason" python3 - "$work/neg.xml" "$work/neg.md" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase"); fails = root.findall(".//testcase/failure")
md = open(sys.argv[2]).read()
msgs = [f.get("message", "") for f in fails]
want = ["expected 1.0.0", "while the faults lasted", "neither 1.0.0 nor 2.0.0 bit-exact", "the bootloader boots no app"]
ok = len(cases) == 4 and len(fails) == 4 and all(any(w in m for m in msgs) for w in want) and md.count("**FAIL**") == 4
sys.exit(0 if ok else 1)
PY

# 3. Bad input: one E901 line, exit 2, no report written.
printf '{"name": "x", "power_cuts": {"phases": ["flashing"]}}' > "$work/bad.json"
"$ota" bench run "$work/bad.json" --report "$work/bad.md" > /dev/null 2> "$work/bad.err"; rc=$?
check "bad scenario: E901 naming the file and key, exit 2, no report" bash -c "[ $rc -eq 2 ] && grep -q '^ota: E901 USAGE: .*bad.json: power_cuts.phases: unknown phase .flashing.' '$work/bad.err' && [ \$(wc -l < '$work/bad.err') -eq 1 ] && [ ! -e '$work/bad.md' ]"
printf '{"faults": [{"path": "/x", "drop_afterr": 5}]}' > "$work/bad2.json"
"$ota" bench run "$work/bad2.json" > /dev/null 2> "$work/bad2.err"; rc=$?
check "bad fault rule: E901 unknown key" bash -c "[ $rc -eq 2 ] && grep -q \"E901 USAGE: .*unknown key 'drop_afterr'\" '$work/bad2.err'"
"$ota" bench run "$work/none.json" > /dev/null 2> "$work/none.err"; rc=$?
check "missing scenario: E902, exit 1" bash -c "[ $rc -eq 1 ] && grep -q '^ota: E902 IO' '$work/none.err'"

# 4. `ota serve` faults from flags, a file and the control endpoint; `ota sim` through them.
fw="$work/fw"; mkdir -p "$fw/srv/esp32/stable"
"$ota" sample-firmware --version 1.0.0 --size 64K -o "$fw/v1.bin" > /dev/null
"$ota" sample-firmware --version 2.0.0 --size 64K -o "$fw/v2.bin" > /dev/null
"$ota" pack "$fw/v1.bin" -o "$fw/v1.img" --version 1.0.0 --upd-no 1 > /dev/null
"$ota" pack "$fw/v2.bin" -o "$fw/v2.img" --version 2.0.0 --upd-no 2 > /dev/null
"$ota" pack "$fw/v2.bin" -o "$fw/srv/esp32/stable/v2_ota.img" --version 2.0.0 --upd-no 2 --compress xz > /dev/null
head -c 4096 /dev/zero > "$fw/bl.bin"
"$ota" flash-image --partitions partitions.csv --bootloader "$fw/bl.bin" --app "$fw/v1.img" -o "$fw/flash.bin" > /dev/null
pkg="$fw/srv/esp32/stable/v2_ota.img"; size=$(stat -c %s "$pkg")
start_serve() { # args...: starts ota serve on the firmware folder, sets $url
  "$ota" serve "$fw/srv" --port 0 "$@" > "$work/serve.out" 2> "$work/serve.log" &
  server_pid=$!; url=""
  for _ in $(seq 1 600); do url=$(sed -n 's/^serving .* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.out"); [ -n "$url" ] && break; sleep 0.1; done
  [ -n "$url" ] || { echo "bench-smoke: ota serve $* did not start within 60 s"; cat "$work/serve.log"; }
}
stop_serve() { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""; }

start_serve --fault 'path=/esp32/stable/*.img;nth=2-3;drop_after=9000' --fault 'path=*.img;nth=1;status=503' --control
f="$url/esp32/stable/v2_ota.img"
check "serve --fault: 503 on the 1st, drop after 9000 B on the 2nd and 3rd, then whole" bash -c "
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$f')\" = 503 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{size_download}' '$f')\" = 9000 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{size_download}' '$f')\" = 9000 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{size_download}' '$f')\" = $size ]"
check "control: GET lists the rules with their counters" python3 - "$url/_ota/faults" <<'PY'
import json, sys, urllib.request
p = json.load(urllib.request.urlopen(sys.argv[1]))
sys.exit(0 if p["requests"] == 4 and p["faulted"] == 3 and [r["applied"] for r in p["rules"]] == [2, 1] else 1)
PY
check "control: POST rule lines replace the rules (truncate, 500 on the manifest)" bash -c "
  curl -s -o /dev/null -d 'path=*.img;truncate=100
path=/manifest/*;status=500' '$url/_ota/faults' &&
  [ \"\$(curl -s -o /dev/null -w '%{size_download}' '$f')\" = 100 ] &&
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$url/manifest/esp32/stable.json')\" = 500 ]"
check "control: a bad rule is 400 with one E901 line, old rules kept" bash -c "
  [ \"\$(curl -s -o '$work/ctl.err' -w '%{http_code}' -d 'path=*.img;drop=5' '$url/_ota/faults')\" = 400 ] &&
  grep -q \"^E901 USAGE: fault rule: unknown key 'drop'\" '$work/ctl.err' &&
  [ \"\$(curl -s -o /dev/null -w '%{size_download}' '$f')\" = 100 ]"
check "control: JSON body (ignore_range), then DELETE restores normal answers" bash -c "
  curl -s -o /dev/null --data-binary '[{\"path\": \"*.img\", \"ignore_range\": true}]' '$url/_ota/faults' &&
  [ \"\$(curl -s -o /dev/null -r 0-9 -w '%{http_code} %{size_download}' '$f')\" = '200 $size' ] &&
  curl -s -o /dev/null -X DELETE '$url/_ota/faults' &&
  [ \"\$(curl -s -o /dev/null -r 0-9 -w '%{http_code} %{size_download}' '$f')\" = '206 10' ]"
stop_serve

printf '{"faults": [{"path": "/esp32/stable/*.img", "nth": "2-3", "drop_after": 12000}, {"path": "/esp32/stable/*.img", "nth": 4, "stall_after": 8000, "stall_ms": 4000}]}' > "$work/faults.json"
start_serve --faults "$work/faults.json"
cp "$fw/flash.bin" "$work/sim-flash.bin"
"$ota" sim --flash "$work/sim-flash.bin" --server "$url" --expect "$fw/v2.img" --config <(echo '{"request_timeout_ms": 2500}') --json --quiet > "$work/sim.json"; rc=$?
check "ota sim through ota serve --faults (2 drops, 1 stall): resumes, v2 bit-exact, confirmed" python3 - "$work/sim.json" "$rc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
u = r["boots"][0]["app"]
sys.exit(0 if sys.argv[2] == "0" and r["bit_exact"] and r["final_state"] == "CONFIRMED" and u["retries"] >= 3 else 1)
PY
check "serve log marks the faulted requests" bash -c "[ \$(grep -c ' fault' '$work/serve.log') -ge 3 ]"
stop_serve
"$ota" serve "$fw/srv" --fault 'path=*.img;status=418' > /dev/null 2> "$work/serve-bad.err"; rc=$?
check "serve --fault with an unsupported status: E901, exit 2" bash -c "[ $rc -eq 2 ] && grep -q '^ota: E901 USAGE: fault rule: status 418' '$work/serve-bad.err'"

# 5. Real-device mode: no device here (docs/bench.md), but its argument checks and the relay path
# are real: a relay command that fails makes the case fail with the command's exit status.
"$ota" bench run "$scen"/status-404.json --device http://127.0.0.1:9/status --old "$fw/v1.img" > /dev/null 2> "$work/dev.err"; rc=$?
check "real-device mode without --power-cmd: E901, exit 2" bash -c "[ $rc -eq 2 ] && grep -q '^ota: E901 USAGE: --device needs --power-cmd' '$work/dev.err'"
"$ota" bench run "$scen"/status-404.json --device http://127.0.0.1:9/status --power-cmd false --old "$fw/v1.img" --new "$fw/v2.img" \
  --package "$pkg" --serve "$fw/srv" --bind 127.0.0.1 --port 0 --junit "$work/dev.xml" --quiet > "$work/dev.out" 2>&1; rc=$?
check "real-device mode: a failing relay command fails the case (exit 1, JUnit names it)" bash -c "[ $rc -eq 1 ] && grep -q \"power command 'false off' exited 1\" '$work/dev.xml'"

# 6. Real-device mode end to end against the host device process (docs/bench.md "Real-device
# mode"): the "device" is `ota sim --run-forever --serve-status PORT` on a flash file, its power
# the process (tools/bench/relay-sim.sh: on = start, off = kill -9, reset = the 1.0.0 flash). One
# reference case and one power cut mid-download, through a dropped and a throttled connection.
dev="$work/dev"; mkdir -p "$dev"
"$ota" flash-image --partitions partitions.csv --bootloader "$fw/bl.bin" --app "$fw/v1.img" -o "$dev/flash-old.bin" > /dev/null
cp "$dev/flash-old.bin" "$dev/flash.bin"
read -r bench_port status_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
echo '{"request_timeout_ms": 2000}' > "$dev/ota.json"
printf 'OTA=%s\nSERVER=http://127.0.0.1:%s\nSTATUS_PORT=%s\nCONFIG=%s\n' "$ota" "$bench_port" "$status_port" "$dev/ota.json" > "$dev/device.env"
printf '{"name": "host-device", "faults": [{"path": "/esp32/stable/*.img", "nth": 2, "drop_after": 10000}, {"path": "/esp32/stable/*.img", "throttle": 20000}], "power_cuts": {"phases": ["download"], "count": 1}, "expect": {"after_faults": "new"}}' > "$work/host-device.json"
relay="$PWD/tools/bench/relay-sim.sh $dev"
trap '$relay off 2>/dev/null; [ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
timeout 90 "$ota" bench run "$work/host-device.json" --device "http://127.0.0.1:$status_port/" --power-cmd "$relay" --reset-cmd "$relay" \
  --old "$fw/v1.img" --new "$fw/v2.img" --package "$pkg" --serve "$fw/srv" --bind 127.0.0.1 --port "$bench_port" \
  --fault-seconds 4 --timeout 40 --junit "$work/host-device.xml" --report "$work/host-device.md" > "$work/host-device.out" 2> "$work/host-device.log"; rc=$?
$relay off
cat "$work/host-device.out"
check "real-device mode vs the host device process: exit 0, 2 cases passed, 2.0.0 CONFIRMED each" python3 - "$rc" "$work/host-device.xml" "$work/host-device.md" <<'PY'
import re, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[2]).getroot()
cases = root.findall(".//testcase"); fails = root.findall(".//testcase/failure")
md = open(sys.argv[3]).read()
rows = [l for l in md.splitlines() if re.match(r"\| (reference|download at)", l)]
ok = (sys.argv[1] == "0" and len(cases) == 2 and not fails and len(rows) == 2
      and all("| ok |" in r and "| old new | 2.0.0 CONFIRMED |" in r for r in rows)
      and "(1 cuts happened)" in md)
sys.exit(0 if ok else 1)
PY
check "host device: the cut hit mid-download (next power-on boots from DOWNLOADING) and the download resumed with a Range from durable progress" bash -c "
  grep -q 'bootloader: DOWNLOADING -> DOWNLOADING' '$dev/device.log' &&
  [ \$(grep -c '^--- power on' '$dev/device.log') -ge 3 ] &&
  grep -E 'GET /esp32/stable/v2_ota.img\" 206 [0-9]+B range=[1-9][0-9]*-' '$work/host-device.log' | grep -vq 'range=10000-'"
check "host device: status URL answers version, state and the app CRC (= org_checksum of the running image)" bash -c "
  $relay on && for _ in \$(seq 1 100); do curl -sf 'http://127.0.0.1:$status_port/' > '$dev/status.json' && break; sleep 0.1; done; $relay off
  python3 - '$dev/status.json' '$fw/v2.img' <<'PY'
import json, struct, sys
st = json.load(open(sys.argv[1])); h = open(sys.argv[2], 'rb').read(64)
sys.exit(0 if st == {'version': '2.0.0', 'state': 'CONFIRMED', 'app_crc32': struct.unpack('<I', h[0x18:0x1c])[0]} else 1)
PY"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
