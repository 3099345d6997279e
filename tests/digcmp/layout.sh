#!/usr/bin/env bash
# digcmp.layout: -o dig lines up with real dig +trace on the normal scenario: the same
# blocks, the same record lines except TTLs of the root NS set, ";; Received" lines in
# dig's form; only the expected lines differ (header, server choice, timing, comments).
. "$(dirname "$0")/lib.sh"

# The lab is signed and both dig +trace and gluetrace set DO=1 by default; the layout is
# compared on DO=0 traces (dig +nodnssec, gluetrace --no-dnssec): dig prints RRSIGs that
# gluetrace's dig layout leaves out.
dig_trace www.normal.test +nodnssec
gt -o dig --no-dnssec www.normal.test
check "exit 0 (got $RC)" "[[ $RC -eq 0 ]]"
cp "$TMP/gt.out" "$TMP/gt.txt"
# record lines with the TTL column blanked, sorted within the whole output
records() { grep -v -e '^;' -e '^$' "$1" | awk -F'\t+' -v OFS='\t' '{ $2 = "TTL"; print }' | sort; }
records "$TMP/dig.txt" >"$TMP/dig.rr"
records "$TMP/gt.txt" >"$TMP/gt.rr"
check "the same record lines, tab layout and all (TTLs aside)" "diff -u '$TMP/dig.rr' '$TMP/gt.rr'"
ndig=$(grep -c '^;; Received ' "$TMP/dig.txt")
ngt=$(grep -c '^;; Received ' "$TMP/gt.txt")
check "one Received line per step after the root set (dig $ndig, gluetrace $ngt + the resolver's)" \
    "[[ $ngt -eq $((ndig - 1)) ]]"
check "Received lines have dig's form" \
    "! grep '^;; Received ' '$TMP/gt.txt' | grep -Evq '^;; Received [0-9]+ bytes from [0-9a-f.:]+#53\\([a-z0-9.-]+\\) in [0-9]+ ms\$'"
check "every Received line is followed by a provenance comment" \
    "[[ \$(grep -A1 '^;; Received ' '$TMP/gt.txt' | grep -c '^;; gluetrace: ') -eq $ngt ]]"
check "blocks separated by one blank line each, like dig" \
    "[[ \$(grep -c '^\$' '$TMP/gt.txt') -eq \$(grep -c '^\$' '$TMP/dig.txt') ]]"
# diff: only header, Received and comment lines (and root NS TTLs) differ
diff "$TMP/dig.txt" "$TMP/gt.txt" | grep '^[<>]' | grep -v -e '^[<>] ;' -e $'^[<>] \\.\t' >"$TMP/rest"
check "diff shows no other differing lines" "[[ ! -s '$TMP/rest' ]]"
finish
