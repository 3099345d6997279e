#!/usr/bin/env bash
# digcmp.mismatch: in the parent/child mismatch scenario the lab resolver gives dig +trace the
# child's own address for ns1.mismatch.test (127.53.110.11), not the parent's glue. dig is not
# misled by a stale cache there: it follows the child zone. gluetrace --vs-dig must say so,
# and leave the blame on the glue (GLUE_MISMATCH), never call dig misled (issue 11).
. "$(dirname "$0")/lib.sh"

# dig picks one of the two NS names at random: try until it asks ns1 (bounded).
got=""
for _ in $(seq 1 30); do
    dig_trace www.mismatch.test +nodnssec
    last=$(awk '/^;; Received .* from / {s=$0} END {sub(/.* from /, "", s); sub(/#.*/, "", s); print s}' "$TMP/dig.txt")
    if [[ $last == 127.53.110.11 || $last == 2001:db8:53:110::11 ]]; then
        got=$last
        break
    fi
done
check "dig +trace asked ns1.mismatch.test at the child's address (got '${got:-none}')" "[[ -n '$got' ]]"

gt --vs-dig "$TMP/dig.txt" -o json www.mismatch.test
check "gluetrace --vs-dig exits 1 for the GLUE_MISMATCH (got $RC)" "[[ $RC -eq 1 ]]"
check "no DIG_MISLED_BY_RESOLVER: the resolver follows the child" \
    "jq -e 'all(.findings[]; .code != \"DIG_MISLED_BY_RESOLVER\")' '$TMP/gt.out' >/dev/null"
check "GLUE_MISMATCH names the glue and the child's address" \
    "jq -e 'any(.findings[]; .code == \"GLUE_MISMATCH\" and (.message | contains(\"127.53.110.11\")))' '$TMP/gt.out' >/dev/null"
check "vs_dig.verdict is not misled" "[[ \$(jq -r .vs_dig.verdict '$TMP/gt.out') != misled ]]"
check "the JSON (a step matched by the child's own address) is valid against the schema" "schema_ok '$TMP/gt.out'"
check "the step for mismatch.test. matches the child's own address" \
    "jq -e --arg p '$got' 'any(.vs_dig.steps[]; .zone == \"mismatch.test.\" and .address == \$p and .address_check == \"match\")' '$TMP/gt.out' >/dev/null"
finish
