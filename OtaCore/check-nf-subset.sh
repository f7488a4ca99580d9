#!/bin/sh
# Fails the OtaCore build when a source file uses what nanoFramework 1.17 cannot run and the
# banned-API analyzer cannot see: generic type/method declarations, async/await, stackalloc,
# records, dynamic, unsafe code. Usage: check-nf-subset.sh OTACORE_DIR
dir=${1:-.}
hits=$(find "$dir" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 |
  xargs -0 grep -nE '\b(class|struct|interface|delegate)[^(=;]*<[A-Za-z_, ]+>|\b[A-Za-z_][A-Za-z0-9_]*<[A-Z][A-Za-z0-9_, ]*>\s*\(|\bwhere [A-Z][A-Za-z0-9]* *:|\basync\b|\bawait\b|\bstackalloc\b|\brecord\b|\bdynamic\b|\bunsafe\b|\byield return\b' |
  grep -vE '^\S+:[0-9]+:\s*(///|//)')
if [ -n "$hits" ]; then
  echo "$hits" | sed 's/^/error NF0001: nanoFramework subset: /'
  exit 1
fi
exit 0
