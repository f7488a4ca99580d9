#!/usr/bin/env bash
# Seeds for fuzz_sig: every signing vector (good, hostile per region) and the boot vectors.
set -eu
out=${1:?output folder}
here=$(cd "$(dirname "$0")" && pwd)
cp "$here"/../../test-vectors/signing/*.img "$out"/
for f in "$here"/../../test-vectors/signing/boot/*.img; do cp "$f" "$out/boot_$(basename "$f")"; done
