#!/usr/bin/env bash
# Cross-implementation check: images signed by the .NET `ota sign` are verified by the C verifier
# (ota-sigverify, the bootloader's code), and tampering is caught by both with the same code.
# Usage: signing.sh BUILD_DIR. Prints "N passed, N failed".
set -u
build=${1:-build}
bin="$(cd "$build" && pwd)/bin"
ota="$bin/ota"; cver="$bin/ota-sigverify"
passed=0; failed=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

check() { # name expected-code command...
  local name=$1 want=$2; shift 2
  local err; err=$("$@" 2>&1 >/dev/null); local rc=$?
  local got=0
  if [ $rc -ne 0 ]; then got=$(sed -nE 's/.*E([0-9]{3}) .*/\1/p' <<<"$err" | head -1); got=${got:-rc$rc}; fi
  if [ "$got" = "$want" ]; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name: want $want, got $got ($err)"; fi
}

# Re-seals the header CRC (and org_checksum) after flipping one bit at OFFSET.
flip() { # in out offset fix-body-crc
  python3 - "$@" <<'PY'
import struct, sys, zlib
src, dst, off, fix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
b = bytearray(open(src, "rb").read())
b[off] ^= 1
crc = lambda d: zlib.crc32(bytes(d)) ^ 0xFFFFFFFF
img_len = struct.unpack_from("<I", b, 12)[0]
if fix:
    struct.pack_into("<I", b, 0x18, crc(b[64:64 + img_len]))
    struct.pack_into("<I", b, 0x3C, crc(b[:60]))
open(dst, "wb").write(b)
PY
}

head -c 70000 /dev/urandom > fw.bin
"$ota" keygen -o k.pem --pub p.pem -q && "$ota" keygen -o k2.pem --pub p2.pem -q || { echo "0 passed, 1 failed"; exit 1; }
"$ota" pack fw.bin -o fw.img --version 2.0.0 --upd-no 5 -q
"$ota" pack fw.bin -o fw_ota.img --version 2.0.0 --upd-no 5 --compress xz -q
"$ota" sign fw.img --key k.pem -o s.img -q
"$ota" sign fw_ota.img --key k.pem -o s_ota.img -q --slot 1

for img in s.img s_ota.img; do
  check "$img: C verifies the .NET signature" 0 "$cver" "$img" --pub p.pem
  check "$img: .NET verifies" 0 "$ota" verify "$img" --pub p.pem
  check "$img: C, untrusted key" 804 "$cver" "$img" --pub p2.pem
  check "$img: C, two keys, one trusted" 0 "$cver" "$img" --pub p2.pem --pub p.pem
  for off in 28 100 40000; do
    flip "$img" t.img $off 1
    check "$img: bit at $off flipped, CRCs fixed: C" 805 "$cver" t.img --pub p.pem
    check "$img: bit at $off flipped, CRCs fixed: .NET" 805 "$ota" verify t.img --pub p.pem
  done
  size=$(stat -c %s "$img")
  flip "$img" t.img $((size - 200)) 0
  check "$img: block bit flipped: C" 802 "$cver" t.img --pub p.pem
  check "$img: block bit flipped: .NET" 802 "$ota" verify t.img --pub p.pem
  head -c $((size - 1)) "$img" > t.img
  check "$img: truncated signature: C" 101 "$cver" t.img --pub p.pem
  check "$img: truncated signature: .NET" 101 "$ota" verify t.img --pub p.pem
done
check "unsigned image in signed mode: C" 801 "$cver" fw.img --pub p.pem
check "unsigned image without keys: C" 0 "$cver" fw.img

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
