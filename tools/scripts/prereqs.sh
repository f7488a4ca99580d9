#!/usr/bin/env bash
# The Debian packages the build, tests, demo and benchmarks need (README's prerequisites line).
OTA_PREREQS=(make cmake gcc libc6-dev xz-utils liblzma-dev libmbedtls-dev python3 curl nginx-light
             clang libclang-rt-14-dev valgrind gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
             firmware-ath9k-htc opensbi u-boot-qemu gnuplot-nox)
# make bench only (not the build or the tests): qemu-system-riscv32 runs the rv32 RAM measurement
# (tools/bench/rv32/ram.sh); `install_bench_prereqs` is called by the bench fragment when missing.
OTA_BENCH_PREREQS=(qemu-system-misc)

# install_missing LABEL PACKAGE...: apt-get install the packages dpkg does not list as installed
install_missing() {
  local label=$1 missing=() p; shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing${label}: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_prereqs() { install_missing "" "${OTA_PREREQS[@]}"; }
install_bench_prereqs() { install_missing " (bench)" "${OTA_BENCH_PREREQS[@]}"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then install_prereqs; fi
