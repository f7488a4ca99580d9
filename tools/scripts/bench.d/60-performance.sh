#!/usr/bin/env bash
# `make bench` section: the issue-9 performance report. Package size on a corpus of real firmware
# (gzip / xz with 32 and 64 KiB dictionaries / xz -9e / ours), the RISC-V BCJ filter's gain, the
# bootloader's RAM (rv32 static sizes + worst-case stack from gcc's call graph, and the host build's
# painted stack), rv32imc -Os code size of the core, and the install's flash time on the timing
# model, and the pipelined download (tools/bench/PipelineBench) over throttled links. Decoder speed
# and instructions per MB: section "XZ decoder" (20-xz-decoder.sh).
# Plots (gnuplot, SVG) go to docs/bench/. $1 = build folder. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
bin="$build/bin"
ota="$bin/ota"
root=$(pwd)
core=bootloader-native/core
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/bench

# ---- corpus ------------------------------------------------------------------------------
files=(); riscv=()
add() { [ -f "$2" ] && { cp "$2" "$work/$1"; files+=("$1"); [ "${3:-}" = riscv ] && riscv+=("$1"); } || true; }
for f in /usr/lib/firmware/ath9k_htc/*.fw; do [ -f "$f" ] && add "ath9k_$(basename "$f")" "$f"; done
add opensbi_fw_dynamic.bin /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin riscv
add u-boot_qemu-riscv64.bin /usr/lib/u-boot/qemu-riscv64/u-boot.bin riscv
add u-boot_qemu_arm.bin /usr/lib/u-boot/qemu_arm/u-boot.bin
add u-boot_qemu_arm64.bin /usr/lib/u-boot/qemu_arm64/u-boot.bin
"$ota" sample-firmware --version 1.0.0 --size 1M -o "$work/sample_1m.bin" > /dev/null
files+=(sample_1m.bin)

sz() { stat -c %s "$1"; }
if [ -z "${BCJ_ONLY:-}" ]; then
echo "## Performance (issue 9)"
echo
echo "### Package size on real firmware"
echo
echo "Every input is packed as a full image (\`ota pack\`) and all compressors get that same full"
echo "image. gzip -9; xz 32 KiB / 64 KiB = \`xz --lzma2=preset=9e,dict=…\` (the dictionaries of the"
echo "WinnerMicro and Espressif OTA compressors); reference = \`xz -9e --check=crc32\`; ours = \`ota pack"
echo "--compress xz\` (preset 9e, dictionary = image size; body without the 64-byte outer header)."
echo "Columns: % of the full image; *ours ÷ xz* = our stream ÷ the reference (target ≤ 1.00)."
echo
echo "| file | raw bytes | gzip -9 | xz 32 KiB | xz 64 KiB | xz -9e | ours | ours ÷ xz -9e |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
: > "$work/corpus.dat"
worst=0
for f in "${files[@]}"; do
  "$ota" pack "$work/$f" -o "$work/$f.img" --version 1.0.0 -q
  "$ota" pack "$work/$f" -o "$work/$f.ota" --version 1.0.0 --compress xz -q
  full=$(sz "$work/$f.img")
  g=$(gzip -9 -c "$work/$f.img" | wc -c)
  x32=$(xz --lzma2=preset=9e,dict=32KiB --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  x64=$(xz --lzma2=preset=9e,dict=64KiB --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  ref=$(xz -9e --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  ours=$(( $(sz "$work/$f.ota") - 64 ))
  python3 - "$f" "$(sz "$work/$f")" "$full" "$g" "$x32" "$x64" "$ref" "$ours" >> "$work/corpus.md" <<'PY'
import sys
f, raw, full, g, x32, x64, ref, ours = sys.argv[1], *map(int, sys.argv[2:])
p = lambda n: f"{100.0 * n / full:.1f} %"
print(f"| {f} | {raw} | {p(g)} | {p(x32)} | {p(x64)} | {p(ref)} | {p(ours)} | {ours / ref:.4f} |")
PY
  echo "$f $(python3 -c "import sys; a=list(map(int,sys.argv[1:])); print(' '.join(f'{100.0*x/a[0]:.2f}' for x in a[1:]))" "$full" "$g" "$x32" "$x64" "$ref" "$ours")" >> "$work/corpus.dat"
  worst=$(python3 -c "import sys; print(max(float(sys.argv[1]), int(sys.argv[2]) / int(sys.argv[3])))" "$worst" "$ours" "$ref")
done
cat "$work/corpus.md"
echo
echo "Largest ours ÷ xz -9e: $(printf '%.4f' "$worst") — target ≤ 1.00 **$(python3 -c "import sys; print('met' if float(sys.argv[1]) <= 1.0 else 'MISSED')" "$worst")**."
if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal svg size 900,420 dynamic font "sans,11"
set output "$root/docs/bench/corpus.svg"
set title "Package size, % of the full image (lower is better)"
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.85 border -1
set boxwidth 0.9; set xtics rotate by -25 scale 0 noenhanced; set ylabel "%"; set yrange [0:*]
set key outside right top; set grid ytics
plot "$work/corpus.dat" using 2:xtic(1) title "gzip -9", '' using 3 title "xz 32 KiB", \
     '' using 4 title "xz 64 KiB", '' using 5 title "xz -9e", '' using 6 title "ours"
GP
  echo
  echo "![package size per file](bench/corpus.svg)"
fi
echo

fi # BCJ_ONLY

# ---- RISC-V BCJ --------------------------------------------------------------------------
# (also runnable alone: BCJ_ONLY=1 bash tools/scripts/bench.d/60-performance.sh BUILD)
echo "### RISC-V BCJ filter (xz filter 0x0B)"
echo
echo "\`ota pack --compress xz --bcj riscv\` on the RISC-V files (ESP32-C3/C6 are RISC-V), dictionary ="
echo "image size like every default package: the default bootloader (4 KiB RAM window) installs it,"
echo "re-encoding the history it reads back from flash (docs/design.md, section 10). Every package is"
echo "decoded back byte-exactly by \`ota-xzdec\` in this run. *gain* = 1 − BCJ ÷ no BCJ. *decode time"
echo "ratio* = BCJ ÷ no BCJ, both decoded as the bootloader does (\`ota-xzbench flash\`: 4 KiB ring,"
echo "history read back from the output through \`read_history\`, best round of ≥ 1 s, same run; RAM"
echo "reads here, so flash read time is not in it). *flash read* = bytes \`read_history\` returned"
echo "per install (no BCJ / BCJ) and the extra read time on the flash model's 10 MB/s. liblzma 5.4"
echo "(Debian 12) cannot decode 0x0B; \`xz -d\` needs xz ≥ 5.6."
echo
echo "| file | full image | no BCJ | BCJ | gain | decode time ratio | flash read, no BCJ | flash read, BCJ | extra read at 10 MB/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "${riscv[@]}" ; do
  [ -f "$work/$f.img" ] || "$ota" pack "$work/$f" -o "$work/$f.img" --version 1.0.0 -q
  [ -f "$work/$f.ota" ] || "$ota" pack "$work/$f" -o "$work/$f.ota" --version 1.0.0 --compress xz -q
  full=$(sz "$work/$f.img")
  "$ota" pack "$work/$f" -o "$work/$f.bcj" --version 1.0.0 --compress xz --bcj riscv -q
  for v in ota bcj; do
    tail -c +65 "$work/$f.$v" > "$work/$f.$v.xz"
    "$bin/ota-xzdec" "$work/$f.$v.xz" "$work/$f.$v.out"
    cmp -s "$work/$f.$v.out" "$work/$f.img" || { echo "bench: $f.$v decodes wrong" >&2; exit 1; }
  done
  read -r tp hp _ < <("$bin/ota-xzbench" flash "$work/$f.ota.xz")
  read -r tb hb _ < <("$bin/ota-xzbench" flash "$work/$f.bcj.xz")
  python3 - "$f" "$full" "$(sz "$work/$f.ota")" "$(sz "$work/$f.bcj")" "$tp" "$tb" "$hp" "$hb" <<'PY'
import sys
f, full, pf, bf = sys.argv[1], *map(int, sys.argv[2:5])
tp, tb = map(float, sys.argv[5:7])
hp, hb = map(int, sys.argv[7:9])
p = lambda n: f"{n} ({100.0 * n / full:.1f} %)"
print(f"| {f} | {full} | {p(pf)} | {p(bf)} | {100.0 * (1 - bf / pf):.1f} % | {tb / tp:.2f} | {hp} | {hb} "
      f"({hb / full:.1f} B per byte) | {(hb - hp) / 10e6 * 1000:.0f} ms |")
PY
done
[ ${#riscv[@]} -eq 0 ] && echo "| (opensbi / u-boot-qemu not installed) | | | | | | | | |"
echo
echo "Where the extra reads come from: a far match in a BCJ block restarts the encoder at the"
echo "recorded scan alignment of its 512-byte page (OTA_XZ_BCJ_SYNC_SHIFT 9), i.e. reads on average"
echo "half a page before the bytes it needs; matches that continue the previous one are served from"
echo "the 96-byte re-encode cache. The decoder's BCJ state is 1 184 B on the host (was 268 B):"
echo "alignment table 896 B for 1.75 MiB (OTA_XZ_BCJ_HISTORY_MAX), cache 96 B, filtered tail 16 B,"
echo "and the stage shrank from 256 to 128 B. The page"
echo "size (OTA_XZ_BCJ_SYNC_SHIFT) trades table RAM (2 bits a page) against these reads."
echo
[ -n "${BCJ_ONLY:-}" ] && exit 0

# ---- RAM -----------------------------------------------------------------------------------
echo "### Bootloader RAM of an install (dictionary = image size)"
echo
rv() { riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -std=c11 "$@"; }
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  mkdir -p "$work/mbinc"; ln -s /usr/include/mbedtls "$work/mbinc/mbedtls"
  [ -d /usr/include/psa ] && ln -s /usr/include/psa "$work/mbinc/psa"
  printf '#include "ota_install.h"\nchar probe_work[sizeof(ota_install_work_t)];\n' > "$work/sz.c"
  echo "rv32imc -Os (ESP32-C3/C6 class), all in bytes. *static* = \`ota_install_work_t\` (decoder state,"
  echo "window, sector buffer; the boot passes it in) + the core's own .data/.bss (partition table,"
  echo "data-update state); *stack* = deepest call chain from \`ota_boot_run\`, from gcc's call graph"
  echo "(\`-fcallgraph-info=su\`, tools/bench/rv32_stack.py; the installer's XZ callbacks resolved, the"
  echo "flash port's own frames and mbedTLS internals (signed mode only) not included). Heap: none (the"
  echo "core references no allocator; see the installer section)."
  echo
  echo "| build | window | lc+lp max | \`ota_install_work_t\` | core .data+.bss | stack (worst path) | **total** | ≤ 32 KiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for cfg in "default|4096|3" "ram32k|32768|4"; do
    IFS='|' read -r name win lclp <<<"$cfg"
    defs=(-DOTA_INSTALL_WINDOW_SIZE=${win}u -DOTA_XZ_LCLP_MAX=$lclp)
    rv "${defs[@]}" -I$core/include -I"$work/mbinc" -fcommon -c "$work/sz.c" -o "$work/sz.o"
    w=$(riscv64-unknown-elf-nm -S "$work/sz.o" | awk '/probe_work/{print $2}'); w=$((16#$w))
    mkdir -p "$work/ci-$name"
    for f in $core/src/*.c; do
      rv "${defs[@]}" -fcallgraph-info=su -ffunction-sections -fdata-sections -I$core/include -I"$work/mbinc" \
         -c "$f" -o "$work/ci-$name/$(basename "$f" .c).o" -fcallgraph-info=su 2> /dev/null
    done
    (cd "$work/ci-$name" && python3 "$root/tools/bench/rv32_stack.py" ota_boot_run *.ci > stack.txt 2> /dev/null)
    st=$(cut -d'|' -f1 "$work/ci-$name/stack.txt"); path=$(cut -d'|' -f2 "$work/ci-$name/stack.txt")
    db=$(riscv64-unknown-elf-size "$work/ci-$name"/*.o | awk 'NR>1{s+=$2+$3} END{print s}')
    tot=$((w + db + st))
    echo "| $name | $win | $lclp | $w | $db | $st | **$tot** | $([ $tot -le 32768 ] && echo met || echo no) |"
    echo "$name: $path" >> "$work/paths.txt"
  done
  echo
  echo "Worst stack paths (frame bytes):"
  echo
  sed 's/^/- /' "$work/paths.txt"
  echo
  echo "The *default* build (\`OTA_INSTALL_WINDOW_SIZE\` 4096, \`OTA_XZ_LCLP_MAX\` 3) reads LZMA matches"
  echo "beyond 4 KiB back from the app flash (dictionary in flash; RISC-V BCJ history re-encoded) and"
  echo "keeps literal probabilities for lc + lp ≤ 3 only (our packages use lc 3, lp 0; anything above"
  echo "is E202 XZ_OPTIONS). *ram32k* is the earlier default (32 KiB window, lc + lp ≤ 4); its boot"
  echo "tests run in \`make test\` (\`boot_flow_ram32k\`, \`power_cut_ram32k\`, \`xz_bcj_riscv_ram32k\`)."
fi
if [ -x "$bin/bench_install_ram32k" ] && [ -f "$work/u-boot_qemu-riscv64.bin" ]; then
  echo
  echo "Host (x86-64) measurement of the same builds: static structs + stack high-water of a real"
  echo "install painted on a thread stack (64-bit pointers, host port, -O2):"
  echo
  echo "| build | bytes |"
  echo "|---|---|"
  for b in bench_install bench_install_ram32k; do
    [ -x "$bin/$b" ] && "$bin/$b" --ram-only "$work/u-boot_qemu-riscv64.bin" | sed "s/^| window/| $b: window/"
  done
fi
echo

# ---- code size -----------------------------------------------------------------------------
echo "### Code size of the core, rv32imc -Os"
echo
if command -v riscv64-unknown-elf-gcc > /dev/null; then
  echo "\`bootloader-native/core/src/*.c\` compiled with riscv64-unknown-elf-gcc -march=rv32imc -Os"
  echo "-ffunction-sections (default build); mbedTLS (SHA-256, MD5, ECDSA) is the ESP-IDF ROM/library"
  echo "and not counted."
  echo
  echo "| part | files | text | data | bss |"
  echo "|---|---|---:|---:|---:|"
  mkdir -p "$work/cs"
  for f in $core/src/*.c; do
    rv -ffunction-sections -fdata-sections -I$core/include -I"$work/mbinc" -c "$f" -o "$work/cs/$(basename "$f" .c).o"
  done
  part() { # name glob...
    local name=$1; shift
    (cd "$work/cs" && riscv64-unknown-elf-size "$@" 2> /dev/null) | awk -v n="$name" -v fl="$*" \
      'NR>1{t+=$1; d+=$2; b+=$3} END{gsub(/\.o/, "", fl); printf "| %s | %s | %d | %d | %d |\n", n, fl, t, d, b}'
  }
  part "XZ decoder (+ RISC-V BCJ)" $(cd "$work/cs" && ls xz_*.o ota_crc32.o ota_crc64.o)
  part "installer, boot flow, state, tables, flash" $(cd "$work/cs" && ls ota_install.o ota_boot.o ota_state.o ota_ptable.o ota_flash.o ota_image.o ota_err.o $(ls ota_data_update.o ota_multi_image.o 2> /dev/null))
  part "signatures, hashes (mbedTLS glue)" $(cd "$work/cs" && ls ota_sig*.o ota_crypto_mbedtls.o)
  (cd "$work/cs" && riscv64-unknown-elf-size *.o) | awk 'NR>1{t+=$1; d+=$2; b+=$3} END{printf "| **all of core/** | | **%d** | **%d** | **%d** |\n", t, d, b}'
fi
echo

# ---- pipelined download ------------------------------------------------------------------
dotnet build tools/bench/PipelineBench/PipelineBench.csproj -c Release -nologo -v:q -clp:ErrorsOnly >&2
OTA_HOST_LIB_DIR=$(cd "$bin" && pwd) dotnet "$build/dotnet/bin/PipelineBench/Release/net10.0/PipelineBench.dll"
echo

# ---- flash time ----------------------------------------------------------------------------
echo "### Install time on the flash timing model"
echo
echo "From the installer section (\`bench_install\`): modelled flash time of one boot that installs an"
echo "xz package of a rebuilt image ÷ the physical limit of the same change (target ≤ 1.05). The"
echo "difference is the protocol's own work: the INSTALLING and TRIAL state-record writes (one 4 KiB"
echo "erase each) and the reads of package and image; it weighs most on small images."
echo
echo "| firmware | modelled ms | physical limit ms | ratio |"
echo "|---|---:|---:|---:|"
fws=()
for f in u-boot_qemu-riscv64.bin opensbi_fw_dynamic.bin ath9k_htc_9271-1.4.0.fw sample_1m.bin; do [ -f "$work/$f" ] && fws+=("$work/$f"); done
"$bin/bench_install" "${fws[@]}" | awk -F'|' '$3 ~ /changed, xz package/ {
  gsub(/ /, "", $2); m=$11+0; l=$12+0; r=(l>0)?m/l:0;
  printf "| %s | %d | %d | %.2f |\n", $2, m, l, r }'
