# Sourced by the xz seed scripts (fuzz_xz.seeds.sh, fuzz_xz_lzma2.seeds.sh).
#   seed_inputs OUTDIR SAMPLE TEXT RANDOM
# makes OUTDIR ($out) and the uncompressed inputs the seeds are made of, in a temporary folder
# ($tmp, removed on exit): s = firmware-like (SAMPLE bytes), t = text (TEXT bytes), r = random
# (RANDOM bytes), e = empty. $here is tests/xz (gen_input.py).
seed_inputs() {
  out=$1
  mkdir -p "$out"
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/xz" && pwd)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 "$here/gen_input.py" sample "$2" "$tmp/s"
  python3 "$here/gen_input.py" text "$3" "$tmp/t"
  python3 "$here/gen_input.py" random "$4" "$tmp/r"
  : > "$tmp/e"
}
