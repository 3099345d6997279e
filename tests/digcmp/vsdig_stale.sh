#!/usr/bin/env bash
# digcmp.stale: real dig +trace www.stale.test falls into the lab resolver's stale cache
# (parking server); gluetrace --vs-dig on that output must say so plainly.
. "$(dirname "$0")/lib.sh"

dig_trace www.stale.test
last=$(awk '/^;; Received .* from / {s=$0} END {sub(/.* from /, "", s); sub(/#.*/, "", s); print s}' "$TMP/dig.txt")
check "dig +trace reached the parking server (got '$last')" \
    "[[ '$last' == '$LAB_PARKING4' || '$last' == '$LAB_PARKING6' ]]"

gt --vs-dig "$TMP/dig.txt" -o json www.stale.test
check "gluetrace --vs-dig exits 1 (got $RC)" "[[ $RC -eq 1 ]]"
check "JSON has the DIG_MISLED_BY_RESOLVER error finding" \
    "jq -e 'any(.findings[]; .code == \"DIG_MISLED_BY_RESOLVER\" and .severity == \"error\" and .zone == \"stale.test.\")' '$TMP/gt.out' >/dev/null"
check "the finding names the parking address and the glue address" \
    "jq -e --arg p '$last' --arg g '$LAB_STALE4' 'any(.findings[]; .code == \"DIG_MISLED_BY_RESOLVER\" and (.message | contains(\$p)) and (.message | contains(\$g)))' '$TMP/gt.out' >/dev/null"
check "JSON has DIG_ANSWER_DIFFERS (dig got 192.0.2.99)" \
    "jq -e 'any(.findings[]; .code == \"DIG_ANSWER_DIFFERS\")' '$TMP/gt.out' >/dev/null"
check "vs_dig.verdict is misled" "[[ \$(jq -r .vs_dig.verdict '$TMP/gt.out') == misled ]]"
check "the JSON (vs_dig of a misled dig) is valid against the schema" "schema_ok '$TMP/gt.out'"
check "the step for stale.test. is not glue" \
    "jq -e --arg p '$last' 'any(.vs_dig.steps[]; .zone == \"stale.test.\" and .address == \$p and .address_check == \"not_glue\")' '$TMP/gt.out' >/dev/null"

# The same through stdin, text output: the verdict line (-v: lines are not wrapped when the
# output is not a terminal, so the sentence is one line).
timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -v --vs-dig - www.stale.test \
    <"$TMP/dig.txt" >"$TMP/gt.out" 2>"$TMP/gt.err"
RC=$?
check "text run exits 1 (got $RC)" "[[ $RC -eq 1 ]]"
verdict=$(grep '^Verdict: dig ' "$TMP/gt.out") # the comparison's verdict, not the trace's
echo "    $verdict"
check "verdict line says dig was misled by its resolver, naming $last and ns1.stale.test." \
    "[[ \"\$verdict\" == 'Verdict: dig +trace was misled by its resolver: it asked $last for ns1.stale.test., but the parent'\\''s glue says '* ]]"
check "verdict line gives the glue address $LAB_STALE4" "[[ \"\$verdict\" == *'$LAB_STALE4'* ]]"

# dig +trace +yaml: the same verdict.
dig_trace www.stale.test +yaml
gt --vs-dig "$TMP/dig.txt" -o json www.stale.test
check "+yaml: exit 1 and verdict misled" "[[ $RC -eq 1 && \$(jq -r .vs_dig.verdict '$TMP/gt.out') == misled ]]"
finish
