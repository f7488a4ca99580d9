# Sourced by the bench fragments that read the firmware corpus (bench.d/10, 20, 60-*), after
# `build=${1:-build}`: the common set-up and the corpus.
#   bin, ota, root, core  the build's programs, the CLI, the checkout, the C core
#   work                  a scratch folder, removed on exit
# `corpus_add NAME PATH [riscv]` copies PATH into $work/NAME when the file exists (the Debian
# package may be missing: the file is then skipped) and appends NAME to files=(...), and to
# riscv=(...) for RISC-V code (the BCJ filter's inputs). `corpus_issue9` adds the issue-9 corpus:
# real firmware from firmware-ath9k-htc (Xtensa, like the ESP32), opensbi, u-boot-qemu
# riscv64/arm/arm64, and our 1 MiB sample firmware.
bin="$build/bin"
ota="$bin/ota"
root=$(pwd)
core=bootloader-native/core
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/bench

files=(); riscv=()
corpus_add() { [ -f "$2" ] && { cp "$2" "$work/$1"; files+=("$1"); [ "${3:-}" = riscv ] && riscv+=("$1"); } || true; }
corpus_issue9() {
  local f
  for f in /usr/lib/firmware/ath9k_htc/*.fw; do [ -f "$f" ] && corpus_add "ath9k_$(basename "$f")" "$f"; done
  corpus_add opensbi_fw_dynamic.bin /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin riscv
  corpus_add u-boot_qemu-riscv64.bin /usr/lib/u-boot/qemu-riscv64/u-boot.bin riscv
  corpus_add u-boot_qemu_arm.bin /usr/lib/u-boot/qemu_arm/u-boot.bin
  corpus_add u-boot_qemu_arm64.bin /usr/lib/u-boot/qemu_arm64/u-boot.bin
  "$ota" sample-firmware --version 1.0.0 --size 1M -o "$work/sample_1m.bin" > /dev/null
  files+=(sample_1m.bin)
}
