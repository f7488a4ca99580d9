#!/usr/bin/env bash
# Seeds for fuzz_image_header: every shared test-vector image (good and each malformed field).
set -eu
out=${1:?output folder}
here=$(cd "$(dirname "$0")" && pwd)
cp "$here"/../../test-vectors/images/*.img "$out"/
