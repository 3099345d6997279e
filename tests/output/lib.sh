# shellcheck shell=bash
# Shared by the output tests: the scripted-world driver and a pass/fail tally.
# env: RENDER_DRIVER (required), GT_SCHEMA, GT_DOT, GT_PYTHON3.
set -uo pipefail
OUT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAILS=0
CHECKS=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtout.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { FAILS=$((FAILS + 1)); printf 'FAIL: %s\n' "$*"; }
pass() { CHECKS=$((CHECKS + 1)); }
check() { local desc=$1; shift; if "$@"; then pass; else fail "$desc"; fi; }
[[ -x ${RENDER_DRIVER:-} ]] || { echo "FAIL: RENDER_DRIVER not set or not executable"; exit 1; }
# The names traced; the hostile one has a quote, a backslash, BEL and ESC in its first label.
HOSTILE='x\"y\\z\007\027[31m.hostile.test.'
NAMES=(www.example.test. www.glueless.test. "$HOSTILE" nope.example.test.)
drive() { "$RENDER_DRIVER" --normalise "$@"; }
finish() {
    echo "$CHECKS passed, $FAILS failed"
    [[ $FAILS -eq 0 && $CHECKS -gt 0 ]]
}
