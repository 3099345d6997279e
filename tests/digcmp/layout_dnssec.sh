#!/usr/bin/env bash
# digcmp.layout_dnssec (and -v): with DNSSEC on (dig +trace +dnssec, gluetrace's default DO=1), -o dig
# prints the DS, RRSIG, NSEC and NSEC3 records of each step exactly like dig: the same record
# lines, tabs and dig's 56-character words of base64/hex included. The root step is left out
# (dig gets the root NS set and its RRSIG from its resolver; gluetrace from the hints).
. "$(dirname "$0")/lib.sh"

# record lines except the root's, sorted
records() { grep -v -e '^;' -e '^$' "$1" | grep -v $'^\\.\t' | sort; }
# a signed chain (15 below 13 below 8), an NSEC3 NXDOMAIN, an NSEC NXDOMAIN, an insecure
# delegation proven by an opt-out NSEC3 (the test. servers are NSD and Knot: dig picks either)
for name in www.secure.example nope.secure.example nope.example www.normal.test; do
    dig_trace "$name" +dnssec
    gt -o dig "$name"
    check "$name: exit 0 (got $RC)" "[[ $RC -eq 0 ]]"
    cp "$TMP/gt.out" "$TMP/gt.txt"
    records "$TMP/dig.txt" >"$TMP/dig.rr"
    records "$TMP/gt.txt" >"$TMP/gt.rr"
    check "$name: dig printed RRSIG records ($(grep -c $'\tRRSIG\t' "$TMP/dig.rr"))" \
        "grep -q \$'\\tRRSIG\\t' '$TMP/dig.rr'"
    check "$name: the same record lines as dig +dnssec, RRSIG/DS/NSEC/NSEC3 included" \
        "diff -u '$TMP/dig.rr' '$TMP/gt.rr'"
    # each RRSIG right after the records it covers, as the server sent them
    check "$name: every RRSIG line follows a record of the type it covers" \
        "awk '/^;/ || NF < 5 { next } \$4 == \"RRSIG\" { if (prev != \$5) bad = 1; next } { prev = \$4 } END { exit bad }' '$TMP/gt.txt'"
    cp "$TMP/gt.txt" "$TMP/$name.txt"
done
# the DS of secure.example. (SHA-256: 64 hex digits) in dig's words of 56 characters
check "the DS of secure.example. in dig's words" \
    "grep -Eq $'^secure\\.example\\.\t\t[0-9]+\tIN\tDS\t[0-9]+ 15 2 [0-9A-F]{56} [0-9A-F]{8}\$' '$TMP/www.secure.example.txt'"
# -v: the text tree's record lines carry the RRSIGs too, each after the RRset it signs (the
# same records as the dig layout, one line each, blobs whole)
gt -v www.secure.example
grep -o '; \(answer\|authority\|additional\): .*' "$TMP/gt.out" >"$TMP/v.txt"
check "-v: the RRSIG over www.secure.example. A right after the A record" \
    "grep -A1 -x '; answer: www.secure.example. 3600 IN A 192.0.2.140' '$TMP/v.txt' | grep -q '^; answer: www.secure.example. 3600 IN RRSIG A 15 3 3600 [0-9]\{14\} [0-9]\{14\} [0-9]* secure.example. [A-Za-z0-9+/=]*\$'"
check "-v: the DS of secure.example. and its RRSIG in the referral, the digest whole" \
    "grep -A1 -E '^; authority: secure\.example\. 86400 IN DS [0-9]+ 15 2 [0-9A-F]{64}\$' '$TMP/v.txt' | grep -q '^; authority: secure.example. 86400 IN RRSIG DS 13 2 86400 '"
check "-v: at least 8 RRSIG lines over the whole tree (referrals, DNSKEY checks, answers)" \
    "[[ \$(grep -c ' IN RRSIG ' '$TMP/v.txt') -ge 8 ]]"
gt -v --no-dnssec www.secure.example
check "-v --no-dnssec: no RRSIG, DS or NSEC line" "! grep -Eq ' IN (RRSIG|DS|NSEC3?) ' '$TMP/gt.out'"
# --no-dnssec: DO=0, no DNSSEC record at all
gt -o dig --no-dnssec www.secure.example
check "--no-dnssec: no RRSIG or DS line" "! grep -Eq $'\\t(RRSIG|DS|NSEC3?)\\t' '$TMP/gt.out'"
finish
