#!/usr/bin/env bash
# `make bench` section: issue 9 item 2, one row per corpus file with every issue-9 fact about it:
# package sizes (the same packers and commands as 60-performance.sh), the decode time of the
# stream the bootloader really decodes (our package, dictionary = image size) against liblzma in
# the same run, with a RAM dictionary and as the bootloader runs it (4 KiB ring, older bytes read
# back through read_history), callgrind instructions per MB, and the bootloader's RAM measured on
# rv32imc under qemu for an install of that file (tools/bench/rv32/ram.sh). The core's rv32imc -Os
# code size is printed once below the table. Plot: docs/bench/corpus-targets.svg.
# $1 = build folder. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
source tools/scripts/bench-lib.sh  # bin ota root core work, corpus_add
corpus_issue9                        # files=(...), riscv=(...)

sz() { stat -c %s "$1"; }
have_rv=0; command -v riscv64-unknown-elf-gcc > /dev/null && have_rv=1
if [ $have_rv = 1 ]; then
  command -v qemu-system-riscv32 > /dev/null || (source tools/scripts/prereqs.sh && install_bench_prereqs) >&2 || true
fi
have_vg=0; command -v valgrind > /dev/null && have_vg=1
ir() { # mode stream -> whole-program Ir of one decode
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin/ota-xzbench" "$1" "$2" > /dev/null 2> "$work/cg.log"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.log"
}

echo "### Corpus summary, one row per file (issue 9 item 2)"
echo
echo "Every fact of issue 9 for each corpus file of the package-size table above, all measured in"
echo "this run. Sizes: the same commands as *Package size on real firmware* (% of the full image from"
echo "\`ota pack\`; ours = \`ota pack --compress xz\` body without its 64-byte header). Decode time"
echo "ratio = our decode time ÷ liblzma $(xz --version | sed -n 's/^liblzma //p')'s on **our package's stream** (dictionary = image"
echo "size, the stream the bootloader decodes), best round of each over alternating rounds for ≥ 2 s,"
echo "liblzma always decoding into RAM: *RAM dict* = ours with the whole output as its window"
echo "(\`ota-xzbench time\`); *flash history* = ours as the default bootloader runs it (\`ota-xzbench"
echo "flashvs\`: 4 KiB ring, flush() appending to the output, matches beyond the ring read back from it"
echo "through \`read_history\`; its output is checked equal to liblzma's). Ir/MB = whole-program"
echo "instructions of one decode under \`valgrind --tool=callgrind\` (ours in the flash-history mode,"
echo "\`ota-xzbench oursflash|lzma\`) per MB of output. *RAM* = total bootloader RAM of one real"
echo "install of that file on rv32imc under qemu, default build (4 KiB window, lc+lp ≤ 3; work +"
echo "core .data/.bss + boot statics + painted stack, \`tools/bench/rv32/ram.sh\`, install checked"
echo "byte-exact; unsigned: the signed-mode rows are in the RAM section above)."
echo "Targets: ours ÷ xz -9e ≤ 1.00, time ratios ≤ 1.5, RAM ≤ 32 KiB (32768 B)."
echo
echo "| file | raw bytes | gzip -9 | xz 32 KiB | xz 64 KiB | xz -9e | ours | ours ÷ xz -9e (≤ 1.00) | time ratio, RAM dict (≤ 1.5) | time ratio, flash history (≤ 1.5) | ours Ir/MB | liblzma Ir/MB | Ir ratio | RAM bytes (≤ 32768) | targets |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
: > "$work/targets.dat"
for f in "${files[@]}"; do
  "$ota" pack "$work/$f" -o "$work/$f.img" --version 1.0.0 -q
  "$ota" pack "$work/$f" -o "$work/$f.ota" --version 1.0.0 --compress xz -q
  full=$(sz "$work/$f.img")
  g=$(gzip -9 -c "$work/$f.img" | wc -c)
  x32=$(xz --lzma2=preset=9e,dict=32KiB --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  x64=$(xz --lzma2=preset=9e,dict=64KiB --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  ref=$(xz -9e --check=crc32 -T1 -c "$work/$f.img" | wc -c)
  ours=$(( $(sz "$work/$f.ota") - 64 ))
  # the stream the bootloader decodes; decoded back byte-exactly before it is timed
  tail -c +65 "$work/$f.ota" > "$work/$f.xz"
  cmp -s <("$bin/ota-xzdec" "$work/$f.xz" -) "$work/$f.img" || { echo "bench: $f decodes wrong" >&2; exit 1; }
  read -r _ _ tram out < <("$bin/ota-xzbench" time "$work/$f.xz")
  read -r _ _ tflash _ _ < <("$bin/ota-xzbench" flashvs "$work/$f.xz")
  io=""; il=""
  if [ $have_vg = 1 ]; then io=$(ir oursflash "$work/$f.xz"); il=$(ir lzma "$work/$f.xz"); fi
  ram=""
  if [ $have_rv = 1 ]; then
    row=$(bash tools/bench/rv32/ram.sh "$build" "$work/$f" default 4096 3 "$work/rv32-$f" 2> "$work/ram.log") || row=""
    # | name | window | lclp | work | core | statics | stack | heap | **total** | met | check |
    [ -n "$row" ] && ram=$(awk -F'|' '{gsub(/[* ]/, "", $10); print $10}' <<<"$row")
    [ -n "$ram" ] || echo "bench: rv32 RAM run for $f failed: $(tail -c 300 "$work/ram.log")" >&2
  fi
  python3 - "$f" "$(sz "$work/$f")" "$full" "$g" "$x32" "$x64" "$ref" "$ours" "$tram" "$tflash" "$out" \
      "${io:-0}" "${il:-0}" "${ram:-0}" "$work/targets.dat" <<'PY'
import sys
f = sys.argv[1]
raw, full, g, x32, x64, ref, ours = map(int, sys.argv[2:9])
tram, tflash = map(float, sys.argv[9:11])
out, io, il, ram = map(int, sys.argv[11:15])
p = lambda n: f"{100.0 * n / full:.1f} %"
size = ours / ref
missed = [n for n, ok in (("size", size <= 1.0), ("RAM-dict speed", tram <= 1.5),
                          ("flash speed", tflash <= 1.5), ("RAM", 0 < ram <= 32768)) if not ok]
irmb = lambda n: f"{n * 1_000_000 // out}" if n else "n/a"
irr = f"{io / il:.3f}" if io and il else "n/a"
print(f"| {f} | {raw} | {p(g)} | {p(x32)} | {p(x64)} | {p(ref)} | {p(ours)} | {size:.4f} | {tram:.3f} | "
      f"{tflash:.3f} | {irmb(io)} | {irmb(il)} | {irr} | {ram if ram else 'n/a'} | "
      f"{'met' if not missed else 'MISSED: ' + ', '.join(missed)} |")
with open(sys.argv[15], "a") as d:
    print(f"{f} {size:.6f} {tram:.3f} {tflash:.3f} {ram}", file=d)
PY
done
echo
python3 - "$work/targets.dat" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
names = ("ours ÷ xz -9e", "time ratio RAM dict", "time ratio flash history", "RAM")
limit = (1.0, 1.5, 1.5, 32768)
for i, n in enumerate(names):
    vals = [float(r[i + 1]) for r in rows]
    worst = max(range(len(rows)), key=lambda k: vals[k])
    v = vals[worst]
    shown = f"{v:.0f} B" if i == 3 else f"{v:.3f}" if i else f"{v:.4f}"
    ok = all(0 < x <= limit[i] for x in vals)
    print(f"- worst {n}: {shown} ({rows[worst][0]}) — target ≤ {('1.00', '1.5', '1.5', '32768 B')[i]}: "
          f"**{'met' if ok else 'MISSED'}**")
ram = {r[4] for r in rows}
if len(ram) == 1:
    print(f"- RAM is the same {ram.pop()} B for every file: the default build's statics and stack do not"
          " depend on the image (its size only sets the dictionary, which stays in flash).")
PY
if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal svg size 900,420 dynamic font "sans,11"
set output "$root/docs/bench/corpus-targets.svg"
set title "Issue 9 targets per file: measured ÷ target (≤ 1 is met)"
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.85 border -1
set boxwidth 0.9; set xtics rotate by -25 scale 0 noenhanced; set ylabel "measured ÷ target"; set yrange [0:1.25<*]
set key outside right top; set grid ytics
plot "$work/targets.dat" using 2:xtic(1) title "size: ours ÷ xz -9e", '' using (\$3/1.5) title "time ratio RAM dict ÷ 1.5", \
     '' using (\$4/1.5) title "time ratio flash history ÷ 1.5", '' using (\$5/32768) title "RAM ÷ 32 KiB", 1 with lines lc "black" dt 2 title "target"
GP
  echo
  echo "![measured ÷ target per file](bench/corpus-targets.svg)"
fi
echo
if [ $have_rv = 1 ]; then
  # the core's code does not depend on the file: compiled once, as the code-size section does
  mkdir -p "$work/cs" "$work/mbinc"; ln -s /usr/include/mbedtls "$work/mbinc/mbedtls"
  for f in $core/src/*.c; do
    riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -Os --specs=picolibc.specs -std=c11 -ffunction-sections \
      -fdata-sections -I$core/include -I"$work/mbinc" -c "$f" -o "$work/cs/$(basename "$f" .c).o"
  done
  xzsize=$(cd "$work/cs" && riscv64-unknown-elf-size xz_*.o ota_crc32.o ota_crc64.o | awk 'NR>1{t+=$1+$2} END{print t}')
  allsize=$(cd "$work/cs" && riscv64-unknown-elf-size *.o | awk 'NR>1{t+=$1+$2} END{print t}')
  echo "Code size of the core, rv32imc -Os (riscv64-unknown-elf-gcc + picolibc, default build, text +"
  echo "data; the same for every file, so not a column): XZ decoder with RISC-V BCJ and CRCs **$xzsize B**,"
  echo "all of \`bootloader-native/core/src\` **$allsize B** (mbedTLS not counted; per part: section"
  echo "*Code size of the core* above)."
else
  echo "(riscv64-unknown-elf-gcc not installed: no RAM or code size on rv32)"
fi
