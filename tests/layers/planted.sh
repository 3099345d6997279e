#!/usr/bin/env bash
# scripts/check-layers must fail on each kind of violation it exists to catch. Each case plants
# one bad include in a scratch copy of src/ and include/ and expects exit 1 and the reason.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gtlayers.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0

plant() { # name file line expected-regex
    local name=$1 file=$2 line=$3 want=$4 out rc=0
    rm -rf "$work/tree"
    mkdir -p "$work/tree"
    cp -r "$top/src" "$top/include" "$work/tree/"
    printf '%s\n' "$line" >>"$work/tree/$file"
    out=$("$top/scripts/check-layers" "$work/tree" 2>&1) || rc=$?
    if [[ $rc -ne 1 ]] || ! grep -qE "$want" <<<"$out"; then
        echo "FAIL $name: exit $rc, output: $out"
        fail=1
    else
        echo "ok $name: $(grep -E "$want" <<<"$out" | head -1)"
    fi
}

# The clean tree passes (so the failures below are the planted lines' doing).
if ! out=$("$top/scripts/check-layers" "$top" 2>&1); then
    echo "FAIL clean tree: $out"
    fail=1
else
    echo "ok clean tree: $out"
fi
plant upward src/base/addr.c '#include "gluetrace/output/render.h"' 'src/base/addr.c .*output is above base'
plant sibling src/engine/$(basename "$(ls "$top"/src/engine/*.c | head -1)") \
    '#include "gluetrace/diagnose/findings.h"' 'src/engine/.* includes gluetrace/diagnose/findings.h: .* siblings'
plant nolayer src/dns/classify.c '#include "gluetrace/nowhere/x.h"' 'in no layer'
plant cycle include/gluetrace/base/array.h '#include "gluetrace/base/log.h"' 'include cycle .*(array -> log -> array|log -> array -> log)'
exit $fail
