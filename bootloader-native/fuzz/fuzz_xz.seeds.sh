#!/usr/bin/env bash
# Seed corpus for fuzz_xz: small streams from the system xz covering presets, checks,
# multi-block, uncompressed chunks, lc/lp/pb variants, a filter we refuse, and empty input.
# Small dictionaries keep the reference side (liblzma allocates the whole dictionary) fast.
#   fuzz_xz.seeds.sh OUTDIR
set -eu
. "$(dirname "$0")/xz_seed_inputs.sh"
seed_inputs "$1" 6000 3000 600
i=0
seed() { xz "$@" > "$out/seed_$i.xz"; i=$((i + 1)); }
for f in s t r e; do
  seed --lzma2=preset=0,dict=64KiB -c "$tmp/$f"
  seed --check=crc32 --lzma2=preset=6,dict=64KiB -c "$tmp/$f"
done
seed --check=crc64 --lzma2=preset=9e,dict=256KiB -c "$tmp/s"
seed --check=sha256 --lzma2=preset=3,dict=32KiB -c "$tmp/t"
seed --check=none --lzma2=preset=6,dict=8KiB -c "$tmp/s"
seed --block-size=1000 --lzma2=preset=6,dict=4KiB -c "$tmp/s"
seed --lzma2=preset=6,dict=16KiB,lc=0,lp=4,pb=4 -c "$tmp/s"
seed --lzma2=preset=1,dict=4KiB,mf=hc3,mode=fast -c "$tmp/t"
seed --x86 --lzma2=dict=64KiB -c "$tmp/s"
# RISC-V BCJ + LZMA2 (32 KiB dictionary: history behind the harness's small rings is re-encoded)
cp "$here/../../../test-vectors/bcj/riscv_mix.xz" "$out/seed_bcj.xz"
cp "$here/../../../test-vectors/bcj/riscv_mix_s4096.xz" "$out/seed_bcj_s4096.xz"
cat "$tmp/s" "$tmp/r" "$tmp/s" | xz --lzma2=preset=6,dict=64KiB -c > "$out/seed_mixed.xz"
