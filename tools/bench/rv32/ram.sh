#!/usr/bin/env bash
# make bench only (called by tools/scripts/bench.d/60-performance.sh): measures the bootloader's RAM
# on rv32imc by running one real install (install_rv32.c) under qemu-system-riscv32.
#   ram.sh BUILD FIRMWARE NAME WINDOW LCLP_MAX WORKDIR
# Builds the core (minus the mbedTLS glue: an unsigned install) with riscv64-unknown-elf-gcc
# -march=rv32imc -Os + picolibc (semihosting), packs FIRMWARE with `ota pack --compress xz`
# (dictionary = image size) for partitions.csv, links table, package and firmware in as data,
# runs it, and prints one Markdown row:
#   | NAME | WINDOW | LCLP | work | core .data+.bss | boot statics | stack | heap | total | ≤ 32 KiB | check |
# static sizes come from the linked ELF (symbol sizes, and the link map for the core's objects);
# stack is the painted high-water of ota_boot_run measured inside the run. Exit status 1 when the
# run fails (the install was not byte-exact, or qemu is missing).
set -euo pipefail
build=$(cd "$1" && pwd); fw=$(realpath "$2"); name=$3; win=$4; lclp=$5; work=$6
root=$(cd "$(dirname "$0")/../../.." && pwd)
core=$root/bootloader-native/core
here=$root/tools/bench/rv32
ota=$build/bin/ota
dir=$work/$(tr -c "A-Za-z0-9\n" _ <<<"$name"); mkdir -p "$dir"; cd "$dir"

# the table without its (optional) MD5 row: MD5 is mbedTLS, not linked into this run
"$ota" partitions "$root/partitions.csv" -o pt_md5.bin > /dev/null
python3 - pt_md5.bin pt.bin <<'PY'
import sys
t = bytearray(open(sys.argv[1], 'rb').read())
for o in range(0, len(t), 32):
    if t[o:o + 2] == b'\xeb\xeb':
        t[o:o + 32] = b'\xff' * 32
open(sys.argv[2], 'wb').write(t)
PY
"$ota" pack "$fw" -o pkg.img --version 2.0.0 --compress xz --partitions "$root/partitions.csv" --target app -q
cp "$fw" fw.bin
cat > blobs.S <<'ASM'
    .section .rodata.bench_blobs, "a"
    .p2align 2
    .global bench_ptable, bench_ptable_end, bench_package, bench_package_end, bench_firmware, bench_firmware_end
bench_ptable:   .incbin "pt.bin"
bench_ptable_end:
    .p2align 2
bench_package:  .incbin "pkg.img"
bench_package_end:
    .p2align 2
bench_firmware: .incbin "fw.bin"
bench_firmware_end:
ASM

cc=(riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs --oslib=semihost --crt0=semihost
    -std=c11 -ffunction-sections -fdata-sections -DOTA_INSTALL_WINDOW_SIZE=${win}u -DOTA_XZ_LCLP_MAX=$lclp -I"$core/include")
mkdir -p core
for f in "$core"/src/*.c; do
  [ "$(basename "$f")" = ota_crypto_mbedtls.c ] && continue
  "${cc[@]}" -c "$f" -o "core/$(basename "$f" .c).o"
done
"${cc[@]}" -c "$here/install_rv32.c" -o install_rv32.o
"${cc[@]}" -c blobs.S -o blobs.o
"${cc[@]}" -Wl,--gc-sections -Wl,-Map=install.map \
  -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x01000000 \
  -Wl,--defsym=__ram=0x81000000 -Wl,--defsym=__ram_size=0x00800000 -Wl,--defsym=__stack_size=0x20000 \
  -o install.elf install_rv32.o blobs.o core/*.o

out=$(timeout 600 qemu-system-riscv32 -machine virt -nographic -bios none -kernel install.elf \
      -semihosting-config enable=on,target=native -monitor none -serial none 2>&1) || true
line=$(grep '^rv32-install' <<<"$out" || true)
[ -n "$line" ] || { echo "ram.sh: $name: no result from qemu: $out" >&2; exit 1; }
# core .data/.bss: the input sections from core/*.o that the link kept
coredata=$(python3 - install.map <<'PY'
import re, sys
total, sec = 0, None
lines = open(sys.argv[1]).read().splitlines()
pending = None
for ln in lines:
    m = re.match(r'^ (\.(?:s?data|s?bss)[^\s]*)(?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+))?$', ln)
    if m:
        if m.group(2):
            if 'core/' in m.group(4): total += int(m.group(3), 16)
            pending = None
        else:
            pending = m.group(1)
        continue
    if pending:
        m2 = re.match(r'^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+)$', ln)
        if m2 and 'core/' in m2.group(3): total += int(m2.group(2), 16)
        pending = None
print(total)
PY
)
sym() { echo $((16#$(riscv64-unknown-elf-nm -S install.elf | awk -v s="$1" '$4==s{print $2}'))); }
wk=$(sym work); rep=$(sym report); fl=$(sym flash)
stack=$(sed -E 's/.* stack=([0-9]+).*/\1/' <<<"$line")
allocs=$(riscv64-unknown-elf-nm -u core/*.o | grep -cwE 'malloc|calloc|realloc|free|_sbrk|sbrk' || true)
heap=0; [ "$allocs" -eq 0 ] || heap="? ($allocs allocator refs)"
statics=$((rep + fl))
total=$((wk + coredata + statics + stack))
check=$(sed -E 's/^rv32-install (ok|FAIL).* verify=([0-9]+).* sectors=([0-9]+).*/\1, verify=\2, \3 sectors/' <<<"$line")
printf '| %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %s |\n' "$name" "$win" "$lclp" "$wk" "$coredata" \
  "$statics" "$stack" "$heap" "$total" "$([ $total -le 32768 ] && echo met || echo no)" "$check"
grep -q '^rv32-install ok' <<<"$line"
