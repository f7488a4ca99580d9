#!/usr/bin/env bash
# ota_decode_cmd through ota-xzdec: output equals xzcat's for single, concatenated and padded
# streams and stdout; bad input gives one "ota-boot: E2xx NAME: ..." line, a non-zero exit and
# no output file.
#   decode_cmd_test.sh WORKDIR DECODER...   (e.g. ota-xzdec, or ota-boot --decode)
set -u
work=$1
shift
dec_cmd=("$@")
dec() { "${dec_cmd[@]}" "$@"; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work" && work=$(mktemp -d "$work/run.XXXXXX") && cd "$work" || exit 2
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

python3 "$here/gen_input.py" sample 200000 a.bin
python3 "$here/gen_input.py" text 50000 b.bin
xz -6 -c a.bin > a.xz
xz -1 --check=sha256 -c b.bin > b.xz
cat a.xz b.xz > ab.xz                             # concatenated streams
{ cat a.xz; head -c 8 /dev/zero; cat b.xz; head -c 4 /dev/zero; } > abpad.xz  # + stream padding
xz -c < /dev/null > empty.xz

for f in a ab abpad empty; do
  rm -f out.bin
  if dec $f.xz out.bin && xz -dc $f.xz | cmp -s - out.bin; then ok "$f.xz = xzcat"; else ko "$f.xz"; fi
done
if dec a.xz - | cmp -s - a.bin; then ok "stdout"; else ko "stdout"; fi
if dec - out2.bin < b.xz && cmp -s out2.bin b.bin; then ok "stdin"; else ko "stdin"; fi

# bad inputs: expected code, one line, no output file left behind
expect_err() { # NAME FILE CODE
  rm -f bad.out bad.out.tmp.*
  dec "$2" bad.out 2> err.txt; rc=$?
  lines=$(wc -l < err.txt)
  if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q "^ota-boot: E$3 " err.txt &&
     [ ! -e bad.out ] && [ -z "$(ls bad.out.tmp.* 2>/dev/null)" ]; then
    ok "$1: $(cat err.txt)"
  else
    ko "$1: rc $rc, stderr: $(cat err.txt)"
  fi
}
head -c 1000 a.xz > trunc.xz;                       expect_err truncated trunc.xz 206
printf 'not xz at all' > notxz.xz;                  expect_err not-xz notxz.xz 201
: > zero.xz;                                        expect_err empty-file zero.xz 206
cp a.xz flip.xz; printf '\x55' | dd of=flip.xz bs=1 seek=5000 conv=notrunc status=none
                                                    expect_err corrupt-data flip.xz 203
n=$(stat -c %s a.xz); cp a.xz chk.xz
printf '\x00' | dd of=chk.xz bs=1 seek=$((n - 12 - 12 - 4)) conv=notrunc status=none  # CRC32 byte
cmp -s a.xz chk.xz && printf '\x01' | dd of=chk.xz bs=1 seek=$((n - 12 - 12 - 4)) conv=notrunc status=none
                                                    expect_err check chk.xz 204
{ cat a.xz; printf 'garbage!'; } > trail.xz;        expect_err short-trailing-garbage trail.xz 206  # as xz
{ cat a.xz; printf 'garbage garbage!'; } > trail2.xz; expect_err trailing-garbage trail2.xz 201
{ cat a.xz; head -c 3 /dev/zero; } > pad3.xz;       expect_err bad-padding pad3.xz 203
xz --x86 --lzma2 -c a.bin > bcj.xz;                 expect_err bcj-filter bcj.xz 202
dec /nonexistent/in.xz bad.out 2> err.txt; rc=$?
if [ $rc -ne 0 ] && grep -q '^ota-boot: E902 IO:' err.txt; then ok "missing input"; else ko "missing input"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && rm -rf "$work"
[ $fail -eq 0 ]
