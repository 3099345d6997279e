#!/usr/bin/env bash
# digcmp.normal: on the normal scenario dig +trace and gluetrace agree.
. "$(dirname "$0")/lib.sh"

dig_trace www.normal.test
gt --vs-dig "$TMP/dig.txt" -o json www.normal.test
check "exit 0 (got $RC)" "[[ $RC -eq 0 ]]"
check "vs_dig.verdict is agrees" "[[ \$(jq -r .vs_dig.verdict '$TMP/gt.out') == agrees ]]"
check "no DIG_* error finding" \
    "jq -e 'all(.findings[]; (.code | startswith(\"DIG_\") | not) or .severity != \"error\")' '$TMP/gt.out' >/dev/null"
check "every dig step after the first is a match" \
    "jq -e '[.vs_dig.steps[1:][] | .address_check] | all(. == \"match\")' '$TMP/gt.out' >/dev/null"
gt --vs-dig "$TMP/dig.txt" www.normal.test
check "text verdict line" \
    "grep -qx 'Verdict: dig +trace followed the same servers and got the same answer.' '$TMP/gt.out'"
finish
