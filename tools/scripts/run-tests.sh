#!/usr/bin/env bash
# Runs every test suite (ctest, dotnet test) and prints one closing line "N passed, N failed".
# A suite that fails to run at all counts as one failure. Exit status: 0 only if nothing failed.
set -u
build=${1:-build}; config=${2:-Release}
logs="$build/test-logs"; mkdir -p "$logs"
passed=0; failed=0

# --- C: ctest -------------------------------------------------------------------------------
ctest --test-dir "$build/native" --output-on-failure -j2 --timeout 900 > "$logs/ctest.log" 2>&1
rc=$?
cat "$logs/ctest.log"
line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$logs/ctest.log" | tail -1)
if [ -n "$line" ]; then
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  nf=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - nf)); failed=$((failed + nf))
else
  echo "run-tests: ctest produced no summary (exit $rc)"; failed=$((failed + 1))
fi

# --- C#: dotnet test (MSTest) --------------------------------------------------------------
dotnet test Firmware.sln -c "$config" --no-build -nologo > "$logs/dotnet-test.log" 2>&1
rc=$?
cat "$logs/dotnet-test.log"
lines=$(grep -E 'Failed:\s+[0-9]+, Passed:\s+[0-9]+' "$logs/dotnet-test.log")
if [ -n "$lines" ]; then
  while read -r l; do
    f=$(sed -E 's/.*Failed:\s+([0-9]+),.*/\1/' <<<"$l"); p=$(sed -E 's/.*Passed:\s+([0-9]+),.*/\1/' <<<"$l")
    passed=$((passed + p)); failed=$((failed + f))
  done <<<"$lines"
  if [ $rc -ne 0 ] && ! grep -qE 'Failed:\s+[1-9]' <<<"$lines"; then
    echo "run-tests: dotnet test exited $rc"; failed=$((failed + 1))
  fi
else
  echo "run-tests: dotnet test produced no summary (exit $rc)"; failed=$((failed + 1))
fi

# --- extra suites (scripts printing "N passed, N failed") ----------------------------------
for s in tools/scripts/suites/*.sh; do
  [ -e "$s" ] || continue
  name=$(basename "$s" .sh)
  bash "$s" "$build" > "$logs/suite-$name.log" 2>&1; rc=$?
  cat "$logs/suite-$name.log"
  l=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/suite-$name.log" | tail -1)
  if [ -n "$l" ]; then
    passed=$((passed + $(cut -d' ' -f1 <<<"$l"))); failed=$((failed + $(cut -d' ' -f3 <<<"$l")))
  else
    echo "run-tests: suite $name produced no summary (exit $rc)"; failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
