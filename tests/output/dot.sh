#!/usr/bin/env bash
# -o dot parses and renders with Graphviz for every scripted scenario.
. "$(dirname "$0")/lib.sh"
[[ -x ${GT_DOT:-} ]] || { echo "FAIL: Graphviz dot not found (scripts/install-deps)"; exit 1; }
i=0
for n in "${NAMES[@]}"; do
    for t in A TXT; do
        i=$((i + 1))
        drive -o dot "$n" "$t" > "$TMP/$i.dot"
        check "$n $t: dot -Tsvg renders" "$GT_DOT" -Tsvg -o "$TMP/$i.svg" "$TMP/$i.dot"
        check "$n $t: SVG written" test -s "$TMP/$i.svg"
        check "$n $t: no control bytes in DOT" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f]' '$TMP/$i.dot'"
    done
done
finish
