# shellcheck shell=bash
# Helpers of the dig comparison tests: run real dig +trace and gluetrace in the lab
# namespace. env: GLUETRACE (gluetrace binary), GT_LAB_NS (lab namespace, default gtlab).
set -uo pipefail
DIGCMP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$DIGCMP_DIR/../lab/lib.sh"

NAME=$(basename "$0" .sh)
FAILS=0
CHECKS=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digcmp-$NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() { FAILS=$((FAILS + 1)); printf 'FAIL: %s\n' "$*"; }
pass() { CHECKS=$((CHECKS + 1)); printf 'ok:   %s\n' "$*"; }
check() { if eval "$2"; then pass "$1"; else fail "$1"; fi; }
abort() { printf 'FAIL: %s\n' "$*"; exit 1; }

[[ -n ${GLUETRACE:-} && -x $GLUETRACE ]] || abort "GLUETRACE is not set to the gluetrace binary"
command -v jq >/dev/null || abort "jq is required"
lab_is_up || abort "lab $GT_LAB_NS is not up (tests/lab/up)"

# dig_trace NAME [OPTS...]: real dig +trace in the namespace (NS names resolved by the lab
# resolver, as dig does); output in $TMP/dig.txt.
dig_trace() {
    local name=$1
    shift
    timeout 60 ip netns exec "$GT_LAB_NS" dig +trace +time=2 +tries=1 "$@" "$name" A \
        >"$TMP/dig.txt" 2>&1
}

# gt ARGS...: gluetrace in the namespace with the lab hints; output in $TMP/gt.out, exit in RC.
gt() {
    timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" "$@" \
        >"$TMP/gt.out" 2>"$TMP/gt.err"
    RC=$?
}

# schema_ok FILE: FILE (-o json output, vs_dig included) is valid against the JSON Schema.
schema_ok() {
    python3 "$DIGCMP_DIR/../output/validate.py" "$DIGCMP_DIR/../../docs/gluetrace.schema.json" json "$1"
}

finish() {
    if [[ $FAILS -gt 0 ]]; then
        echo "--- dig output:"; sed 's/^/    /' "$TMP/dig.txt" 2>/dev/null
        echo "--- last gluetrace output:"; sed 's/^/    /' "$TMP/gt.out" 2>/dev/null | head -80
        sed 's/^/    /' "$TMP/gt.err" 2>/dev/null
        printf '%s: %d of %d checks failed\n' "$NAME" "$FAILS" "$((FAILS + CHECKS))"
        exit 1
    fi
    printf '%s: all %d checks passed\n' "$NAME" "$CHECKS"
}
