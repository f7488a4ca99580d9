#!/usr/bin/env bash
# Bench section: data-partition updates (docs/design.md section 15): flash work of scheme 1
# (backup) vs scheme 2 (direct), a restore, a repeated update. $1 = build folder. Markdown out.
set -euo pipefail
build=${1:-build}
"$build/bin/bench_data_update"
