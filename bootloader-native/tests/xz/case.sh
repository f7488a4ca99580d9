#!/usr/bin/env bash
# One decoder test case: makes the input, compresses it with the system xz, runs test_xz.
#   case.sh TEST_XZ WORKDIR NAME INPUT MODE [XZ ARGS...]
# INPUT: sample:SIZE | random:SIZE | text:SIZE | empty | file:PATH (exit 77 = skipped when the
# file's package is not installed). MODE: a test_xz mode (decode, corrupt, reject:CODE).
set -u
test_xz=$1 work=$2 name=$3 input=$4 mode=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
# a private folder per run: parallel ctest runs in one build tree must not share files;
# removed on success, kept for inspection on failure
work=$(mktemp -d "$work/$name.XXXXXX")
in="$work/$name.in"
case $input in
  empty) : > "$in" ;;
  file:*)
    path=${input#file:}
    if [ ! -f "$path" ]; then echo "SKIP: $path not installed"; rm -rf "$work"; exit 77; fi
    cp "$path" "$in" ;;
  *) python3 "$here/gen_input.py" "${input%%:*}" "${input#*:}" "$in" || exit 1 ;;
esac
xz "$@" -c "$in" > "$work/$name.xz" || { echo "xz $* failed"; exit 1; }
echo "input $(stat -c %s "$in") bytes, xz $* -> $(stat -c %s "$work/$name.xz") bytes"
"$test_xz" "$mode" "$work/$name.xz" "$in"
rc=$?
[ $rc -eq 0 ] && rm -rf "$work"
exit $rc
