#!/usr/bin/env bash
# CI smoke of the libFuzzer harnesses: each runs ~15 s (FUZZ_SMOKE_SECONDS); a harness passes if
# it exits cleanly. Prints "N passed, N failed" (from fuzz.sh).
build=${1:-build}
exec bash tools/scripts/fuzz.sh "$build" "${FUZZ_SMOKE_SECONDS:-15}"
