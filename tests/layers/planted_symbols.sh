#!/usr/bin/env bash
# scripts/check-layers --symbols must fail on each kind of symbol violation it exists to catch.
# Each case adds planted source files to a scratch copy of the tree and their objects to a
# copy of the built library, and expects exit 1 and the reason.
# Usage: planted_symbols.sh LIBGTCORE CC
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
lib=${1:?usage: planted_symbols.sh LIBGTCORE CC}
cc=${2:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/gtsyms.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0

# plant NAME REGEX FILE=CODE...: FILE is a path under src/, CODE its C text.
plant() {
    local name=$1 want=$2 out rc=0 spec file code
    shift 2
    rm -rf "$work/tree" "$work/lib.a" "$work"/*.o
    mkdir -p "$work/tree"
    cp -r "$top/src" "$top/include" "$work/tree/"
    cp "$lib" "$work/lib.a"
    for spec in "$@"; do
        file=${spec%%=*} code=${spec#*=}
        printf '%s\n' "$code" >"$work/tree/$file"
        "$cc" -c -x c -o "$work/$(basename "$file").o" "$work/tree/$file"
        ar rc "$work/lib.a" "$work/$(basename "$file").o"
    done
    out=$("$top/scripts/check-layers" "$work/tree" --symbols "$work/lib.a" \
        --known "$top/scripts/layers-known" 2>&1) || rc=$?
    if [[ $rc -ne 1 ]] || ! grep -qE "$want" <<<"$out"; then
        echo "FAIL $name: exit $rc, output: $out"
        fail=1
    else
        echo "ok $name: $(grep -E "$want" <<<"$out" | head -1)"
    fi
}

# The real library passes (so the failures below are the planted files' doing).
if ! out=$("$top/scripts/check-layers" "$top" --symbols "$lib" 2>&1); then
    echo "FAIL clean library: $out"
    fail=1
else
    echo "ok clean library: $(tail -1 <<<"$out")"
fi
plant unprefixed 'unprefixed extern plant_helper in zzplant.c \(base\)' \
    'src/base/zzplant.c=int plant_helper(void); int plant_helper(void) { return 1; }'
plant cycle 'call cycle between files: zza.c zzb.c' \
    'src/base/zza.c=int gt_zzb(int); int gt_zza(int n); int gt_zza(int n) { return n ? gt_zzb(n - 1) : 0; }' \
    'src/base/zzb.c=int gt_zza(int); int gt_zzb(int n); int gt_zzb(int n) { return n ? gt_zza(n - 1) : 1; }'
plant private 'zzd.c \(output\) uses fd_plant, private to diagnose' \
    'src/diagnose/zzc.c=int fd_plant(void); int fd_plant(void) { return 2; }' \
    'src/output/zzd.c=int fd_plant(void); int gt_zzd(void); int gt_zzd(void) { return fd_plant(); }'
# A listed entry the tree no longer has: the list must stay true.
cp "$top/scripts/layers-known" "$work/known"
echo "unprefixed no_such_symbol" >>"$work/known"
rc=0
out=$("$top/scripts/check-layers" "$top" --symbols "$lib" --known "$work/known" 2>&1) || rc=$?
if [[ $rc -ne 1 ]] || ! grep -q "lists 'unprefixed no_such_symbol', which the tree no longer has" <<<"$out"; then
    echo "FAIL stale entry: exit $rc, output: $out"
    fail=1
else
    echo "ok stale entry"
fi
exit $fail
