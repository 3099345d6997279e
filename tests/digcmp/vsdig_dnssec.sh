#!/usr/bin/env bash
# digcmp.vsdig_dnssec: --vs-dig reads the DS and RRSIG records of real dig +trace +dnssec
# output. Agreeing case: the DS set dig saw at each referral is the one the parent's servers
# give gluetrace, every RRSIG dig printed is among gluetrace's: no finding, verdict agrees.
# Differing case: the same real output with one field changed each in the DS record and the
# RRSIG over it (as after a DS change at the parent and a re-signing since dig ran):
# DIG_DS_DIFFERS (warning) names both sets, the RRSIG difference is noted, not a finding.
. "$(dirname "$0")/lib.sh"

codes() { jq -r '[.findings[].code] | join(" ")' "$TMP/gt.out"; }

# --- agreeing: a secure chain (DS at two referrals) and an insecure delegation (no DS)
dig_trace www.secure.example +dnssec
cp "$TMP/dig.txt" "$TMP/secure.txt"
check "dig printed 2 DS and 4 RRSIG lines" \
    "[[ \$(grep -c \$'\\tDS\\t' '$TMP/secure.txt') -eq 2 && \$(grep -c \$'\\tRRSIG\\t' '$TMP/secure.txt') -ge 4 ]]"
gt --vs-dig "$TMP/secure.txt" -o json www.secure.example
check "secure: exit 0 (got $RC)" "[[ $RC -eq 0 ]]"
check "secure: verdict agrees" "[[ \$(jq -r .vs_dig.verdict '$TMP/gt.out') == agrees ]]"
check "secure: the JSON (vs_dig with ds and rrsig fields) is valid against the schema" "schema_ok '$TMP/gt.out'"
check "secure: no DIG_DS_DIFFERS (findings: $(codes))" "! jq -e 'any(.findings[]; .code == \"DIG_DS_DIFFERS\")' '$TMP/gt.out' >/dev/null"
check "secure: 2 DS sets compared, none differs" \
    "jq -e '.vs_dig.dnssec | .dig_printed_dnssec and .ds_compared == 2 and .ds_differ == 0' '$TMP/gt.out' >/dev/null"
check "secure: the DS of example. and secure.example. are the same" \
    "jq -e '[.vs_dig.steps[] | select(.kind == \"referral\") | .ds.check] == [\"same\", \"same\"]' '$TMP/gt.out' >/dev/null"
check "secure: every RRSIG dig printed (>= 3 outside the root step) is among gluetrace's" \
    "jq -e '.vs_dig.dnssec | .rrsigs_compared >= 3 and .rrsigs_differ == 0' '$TMP/gt.out' >/dev/null"
dig_trace www.secure.example +dnssec +yaml
gt --vs-dig "$TMP/dig.txt" -o json www.secure.example
check "secure, dig +yaml: the same 2 DS sets compared and the same, RRSIGs all found" \
    "jq -e '.vs_dig.format == \"yaml\" and .vs_dig.verdict == \"agrees\" and (.vs_dig.dnssec | .ds_compared == 2 and .ds_differ == 0 and .rrsigs_compared >= 3 and .rrsigs_differ == 0)' '$TMP/gt.out' >/dev/null"
dig_trace www.normal.test +dnssec
gt --vs-dig "$TMP/dig.txt" -o json www.normal.test
check "normal (insecure, no DS at normal.test.): exit 0 and agrees (got $RC)" \
    "[[ $RC -eq 0 && \$(jq -r .vs_dig.verdict '$TMP/gt.out') == agrees ]]"
check "normal: test. same DS, normal.test. same (no DS on either side)" \
    "jq -e '[.vs_dig.steps[] | select(.kind == \"referral\") | .ds | .check + \"/\" + .dig] == [\"same/\" + (.vs_dig.steps[1].ds.dig), \"same/no DS\"]' '$TMP/gt.out' >/dev/null"

# --- the provider move: dig prints moved.example.'s DS without judging it; the table says
# it is the DS the parent gives and that no key of the zone matches it
dig_trace www.moved.example +dnssec
gt --vs-dig "$TMP/dig.txt" --trust-anchor "$LAB_ANCHOR_DIR/root.ds" -o json www.moved.example
check "moved: DS same as dig's, and gluetrace's status of moved.example. is bogus with the reason" \
    "jq -e '[.vs_dig.steps[] | select(.kind == \"referral\") | .ds | .check + \"/\" + (.zone_status // \"null\")] == [\"same/secure\", \"same/bogus\"] and (.vs_dig.steps[2].ds.zone_reason | test(\"^no DNSKEY matches the DS [0-9]+/13\$\"))' '$TMP/gt.out' >/dev/null"
check "moved: valid against the schema" "schema_ok '$TMP/gt.out'"
gt -v --vs-dig "$TMP/dig.txt" --trust-anchor "$LAB_ANCHOR_DIR/root.ds" www.moved.example # -v: unwrapped
check "moved, text: the DS line names the bogus zone and why" \
    "grep -Eq '^       DS: [0-9]+ 13 2 [0-9A-F]{8}\.\.\., as dig saw it; moved\.example\. is bogus \(no DNSKEY matches the DS [0-9]+/13\)\$' '$TMP/gt.out'"

# --- differing: another DS key tag for secure.example., and a later RRSIG expiration
sed -E '/^secure\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+DS[[:space:]]/ s/(DS[[:space:]]+)[0-9]+ /\111111 /
        /^secure\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+RRSIG[[:space:]]+DS / s/ 20[0-9]{12} / 20300101000000 /' \
    "$TMP/secure.txt" >"$TMP/changed.txt"
check "the changed copy differs in exactly 2 lines" "[[ \$(diff '$TMP/secure.txt' '$TMP/changed.txt' | grep -c '^>') -eq 2 ]]"
gt --vs-dig "$TMP/changed.txt" -o json www.secure.example
check "changed: exit 0 (a warning; got $RC)" "[[ $RC -eq 0 ]]"
check "changed: DIG_DS_DIFFERS warning about secure.example. with both sets" \
    "jq -e '[.findings[] | select(.code == \"DIG_DS_DIFFERS\")] | length == 1 and (.[0] | .severity == \"warning\" and .zone == \"secure.example.\" and (.message | test(\"dig \\\\+trace saw 11111 15 2 .* gave gluetrace [0-9]+ 15 2 \")))' '$TMP/gt.out' >/dev/null"
check "changed: verdict ds_differs" "[[ \$(jq -r .vs_dig.verdict '$TMP/gt.out') == ds_differs ]]"
check "changed: valid against the schema (rrsig_differences, ds differs)" "schema_ok '$TMP/gt.out'"
check "changed: example.'s DS still the same, secure.example.'s differs" \
    "jq -e '[.vs_dig.steps[] | select(.kind == \"referral\") | .ds.check] == [\"same\", \"differs\"]' '$TMP/gt.out' >/dev/null"
check "changed: the RRSIG over the DS noted with signer, key tag and expiration; not a finding" \
    "jq -e '.vs_dig.dnssec.rrsigs_differ == 1 and ([.vs_dig.steps[].rrsig_differences // [] | .[]] | length == 1 and (.[0] | .type_covered == \"DS\" and .signer == \"example.\" and .expiration == \"20300101000000\" and (.gluetrace | test(\"^key [0-9]+ alg 13 until 20[0-9]{12}\$\"))))' '$TMP/gt.out' >/dev/null"
gt -v --vs-dig "$TMP/changed.txt" --strict www.secure.example
check "changed, --strict: exit 1 (got $RC)" "[[ $RC -eq 1 ]]"
check "changed, text: the DS DIFFERS line under the step" \
    "grep -Eq '^       DS DIFFERS: dig saw 11111 15 2 [0-9A-F]{8}\\.\\.\\.; the parent.s servers gave gluetrace [0-9]+ 15 2 ' '$TMP/gt.out'"
check "changed, text: the RRSIG line" "grep -q '^       RRSIG DS of secure.example. by example. key [0-9]* alg 13 until 20300101000000 (dig) not among' '$TMP/gt.out'"

# --- no DNSSEC on one side: nothing compared, nothing raised
dig_trace www.secure.example +nodnssec
gt --vs-dig "$TMP/dig.txt" -o json www.secure.example
check "dig +nodnssec: valid against the schema" "schema_ok '$TMP/gt.out'"
check "dig +nodnssec: no DS comparison, agrees" \
    "jq -e '(.vs_dig.dnssec.dig_printed_dnssec | not) and .vs_dig.verdict == \"agrees\" and all(.vs_dig.steps[]; .ds == null)' '$TMP/gt.out' >/dev/null"
gt --no-dnssec --vs-dig "$TMP/changed.txt" -o json www.secure.example
check "gluetrace --no-dnssec: DS no_data, no DIG_DS_DIFFERS (findings: $(codes))" \
    "jq -e '([.vs_dig.steps[] | select(.kind == \"referral\") | .ds.check] == [\"no_data\", \"no_data\"]) and all(.findings[]; .code != \"DIG_DS_DIFFERS\")' '$TMP/gt.out' >/dev/null"
finish
