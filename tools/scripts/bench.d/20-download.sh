#!/usr/bin/env bash
# Bench section: the OtaCore engine downloading over loopback HTTP into the simulated flash,
# against curl on the same server in the same run; managed bytes allocated per MiB.
# $1 = build folder. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
OTA_HOST_LIB_DIR=$(cd "$build/bin" && pwd)
export OTA_HOST_LIB_DIR
dotnet build tools/bench/DownloadBench/DownloadBench.csproj -c Release -nologo -v:q -clp:ErrorsOnly >&2
dotnet "$build/dotnet/bin/DownloadBench/Release/net10.0/DownloadBench.dll" --runs "${BENCH_DOWNLOAD_RUNS:-7}"
