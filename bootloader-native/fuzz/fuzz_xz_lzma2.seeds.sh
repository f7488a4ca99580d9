#!/usr/bin/env bash
# Seed corpus for fuzz_xz_lzma2: raw LZMA2 payloads (xz --format=raw) with a 64 KiB dictionary,
# prefixed by the harness' two control bytes (dictionary property 8 = 64 KiB, piece size).
#   fuzz_xz_lzma2.seeds.sh OUTDIR
set -eu
. "$(dirname "$0")/xz_seed_inputs.sh"
seed_inputs "$1" 8000 4000 700
cat "$tmp/t" "$tmp/r" "$tmp/t" > "$tmp/m"
i=0
for f in s t r m e; do
  for o in preset=0 preset=6 preset=9e,lc=0,lp=4,pb=4 preset=1,mf=hc3,mode=fast,lc=4,lp=0,pb=0; do
    { printf '\x08\x11'; xz --format=raw --lzma2=$o,dict=64KiB -c "$tmp/$f"; } > "$out/seed_$i"
    i=$((i + 1))
  done
done
