#!/usr/bin/env bash
# `make fuzz`: builds every libFuzzer harness in bootloader-native/fuzz (fuzz_*.c; clang, ASan +
# UBSan) into BUILD/fuzz and runs each for SECONDS. A harness NAME may have a seed generator
# bootloader-native/fuzz/NAME.seeds.sh OUTDIR; its corpus lives in BUILD/fuzz/corpus/NAME and
# grows across runs; crashes are written to BUILD/fuzz/artifacts/NAME/ (add the fixed ones to
# bootloader-native/fuzz/regress/NAME/, replayed on every run).
#   fuzz.sh [BUILD] [SECONDS]      prints one line per harness and "N passed, N failed"
set -u
build=${1:-build}; secs=${2:-60}
src=bootloader-native/fuzz
out="$build/fuzz"
mkdir -p "$out"
# one fuzz run per build tree at a time (two `make test` runs would share build/fuzz)
exec 9> "$out/.lock"
flock 9
if ! cmake -S "$src" -B "$out" -DCMAKE_C_COMPILER="${FUZZ_CC:-clang}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       > "$out/configure.log" 2>&1 || ! cmake --build "$out" -j2 > "$out/build.log" 2>&1; then
  cat "$out/configure.log" "$out/build.log" 2>/dev/null | tail -30
  echo "fuzz: build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=0 failed=0
for h in "$src"/fuzz_*.c; do
  name=$(basename "$h" .c)
  corpus="$out/corpus/$name"; art="$out/artifacts/$name/"
  mkdir -p "$corpus" "$art"
  if [ -x "$src/$name.seeds.sh" ] && [ -z "$(ls -A "$corpus")" ]; then
    bash "$src/$name.seeds.sh" "$corpus" || echo "fuzz: $name seed generation failed"
  fi
  log="$out/$name.log"
  # inputs that once failed (bootloader-native/fuzz/regress/NAME/) are replayed every run
  regress=(); [ -d "$src/regress/$name" ] && regress=("$src/regress/$name")
  "$out/$name" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 -timeout=20 \
      -print_final_stats=1 -artifact_prefix="$art" "$corpus" "${regress[@]}" > "$log" 2>&1
  rc=$?
  stats=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1)); echo "fuzz: $name ok (${stats:-?} runs in ${secs}s)"
  else
    failed=$((failed + 1)); echo "fuzz: $name FAILED (exit $rc), log $log:"; tail -40 "$log"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
