#!/usr/bin/env bash
# docs/gluetrace.1 matches --help: every option --help lists is documented in the man page,
# and every option the man page documents is in --help.
set -uo pipefail
[[ -x ${GLUETRACE:-} && -f ${GT_MAN:-} ]] || { echo "FAIL: GLUETRACE or GT_MAN not set"; exit 1; }
help=$("$GLUETRACE" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
man=$(sed 's/\\-/-/g' "$GT_MAN" | grep '^\.B' | grep -o -- '--[a-z][a-z-]*' | sort -u)
fails=0 checks=0
for o in $help; do
    if grep -qx -- "$o" <<< "$man"; then checks=$((checks + 1)); else echo "FAIL: $o in --help, not in the man page"; fails=$((fails + 1)); fi
done
for o in $man; do
    if grep -qx -- "$o" <<< "$help"; then checks=$((checks + 1)); else echo "FAIL: $o in the man page, not in --help"; fails=$((fails + 1)); fi
done
echo "$checks passed, $fails failed"
[[ $fails -eq 0 ]]
