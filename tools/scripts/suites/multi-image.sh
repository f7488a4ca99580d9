#!/usr/bin/env bash
# Multi-image packages through the CLIs (docs/design.md section 15): `ota pack --target deploy`
# makes a data image, `ota pack-multi` chains it behind an xz nanoCLR image; the chain staged into
# a flash made by `ota flash-image` is installed by `ota-boot` (the C bootloader): app and deploy
# partitions hold the new pair bit-exact and the deployment is on trial (power cuts are swept in
# the C test test_multi_image). Bad chains fail with their code and leave no output file. Usage: multi-image.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
bin="$(cd "$build" && pwd)/bin"
ota="$bin/ota"; boot="$bin/ota-boot"
parts="$(pwd)/partitions.csv"; stage="$(pwd)/tools/scripts/stage-package.py"
passed=0; failed=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
expect_err() { # name code output command...
  local name=$1 want=$2 out=$3; shift 3
  local err; err=$("$@" 2>&1 >/dev/null); local rc=$?
  if [ $rc -ne 0 ] && grep -q "E$want " <<<"$err" && [ ! -e "$out" ]; then ok "$name"; else bad "$name: rc $rc, '$err'"; fi
}

"$ota" sample-firmware --version 1.0.0 --size 150000 -o fw1.bin >/dev/null
"$ota" sample-firmware --version 2.0.0 --size 150000 -o fw2.bin >/dev/null
head -c 200000 /dev/urandom > dep1.bin
head -c 120000 /dev/urandom > dep2.bin
head -c 4096 /dev/zero > bl.bin
"$ota" pack fw1.bin -o v1.img --version 1.0.0 --upd-no 1 -q
"$ota" pack fw2.bin -o v2.img --version 2.0.0 --upd-no 2 -q
"$ota" pack fw2.bin -o v2_ota.img --version 2.0.0 --upd-no 2 --compress xz -q
if "$ota" pack dep2.bin -o dep2.img --version 2.0.0 --upd-no 2 --target deploy -q &&
   "$ota" inspect dep2.img | grep -qE 'img_attr .*\(type 2,' && "$ota" inspect dep2.img | grep -qE 'img_addr +0x002F0000' ; then ok "pack --target deploy makes a data image"; else bad "pack --target deploy"; fi
if "$ota" pack-multi v2_ota.img dep2.img -o pair.img --deploy-compat > list.txt &&
   grep -q "2 image(s)" list.txt && grep -q "deploy_compat" list.txt; then ok "pack-multi"; else bad "pack-multi: $(cat list.txt)"; fi
expect_err "data image first is IMG_NEXT" 112 x1.img "$ota" pack-multi dep2.img v2_ota.img -o x1.img
expect_err "two app images is IMG_NEXT" 112 x2.img "$ota" pack-multi v2_ota.img v2.img -o x2.img
head -c 1100000 /dev/urandom > huge.bin
"$ota" pack huge.bin -o huge.img --version 2.0.0 --upd-no 2 -q
expect_err "package larger than staging is IMG_TOO_LARGE" 114 x3.img "$ota" pack-multi huge.img dep2.img -o x3.img
expect_err "pack-multi --list of a broken chain" 103 nothing "$ota" pack-multi --list <(python3 -c "
import sys; b=bytearray(open('pair.img','rb').read()); b[0x20]^=1; sys.stdout.buffer.write(b)")

# a device with v1 + the old deployment, the chain staged (what the engine would leave)
"$ota" flash-image --partitions "$parts" --bootloader bl.bin --app v1.img --deploy dep1.bin -o flash.bin > /dev/null
check_pair() { # flash file: app holds v2's body, deploy holds dep2 then erased
  python3 - "$1" v2.img dep2.bin <<'PY'
import sys
f = open(sys.argv[1], "rb").read(); v2 = open(sys.argv[2], "rb").read(); d = open(sys.argv[3], "rb").read()
APP, DEPLOY = 0x20000, 0x2F0000
ok = f[APP:APP + len(v2) - 64] == v2[64:]
ok = ok and f[DEPLOY:DEPLOY + len(d)] == d
pad = (-len(d)) % 4; end = DEPLOY + len(d) + pad
ok = ok and f[end:DEPLOY + 0x80000] == b"\xFF" * (DEPLOY + 0x80000 - end)
sys.exit(0 if ok else 1)
PY
}
python3 "$stage" flash.bin pair.img
"$boot" --flash flash.bin > boot1.json 2>/dev/null; rc=$?
if [ $rc -eq 0 ] && grep -q '"state_after":"TRIAL"' boot1.json && check_pair flash.bin; then ok "ota-boot installs the pair bit-exact"; else bad "ota-boot install: rc $rc $(cat boot1.json)"; fi
if python3 -c "
import struct,sys
f=open('flash.bin','rb').read(); o=0x1E000
recs=[f[o+i*1024:o+i*1024+256] for i in range(8)]  # 8 record slots of 1 KiB
cur=max(recs,key=lambda r: struct.unpack_from('<I',r,4)[0] if r[:4]==b'OTST' else -1)
sys.exit(0 if struct.unpack_from('<II',cur,0xC0)==(2,0x2F0000) else 1)"; then ok "deployment on trial in the record (data_state 2 at 0x0C0)"; else bad "record data fields"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
