#!/usr/bin/env bash
# Scenario 4 (stale resolver cache): test.'s glue for ns1.stale.test is right
# (127.53.104.1); the lab resolver still holds the parking address from when the
# domain had expired. gluetrace must follow the glue; dig +trace asks the
# resolver and ends at the parking server.
. "$(dirname "$0")/lib.sh"
parking=("$LAB_PARKING4" "$LAB_PARKING6")

gt_run www.stale.test A
expect_rc 0
expect_answer www.stale.test. A 192.0.2.4
expect_only_answer_data 192.0.2.4
for a in "$LAB_STALE4" "$LAB_STALE6"; do expect_asked "$a" stale.test. glue in-domain; done
expect_not_asked "${parking[@]}"
expect_answer_servers "$LAB_STALE4" "$LAB_STALE6"

GT_DESC="dig +trace www.stale.test"
dig_trace www.stale.test A >/dev/null
if [[ $DIG_LAST_SERVER == "$LAB_PARKING4" || $DIG_LAST_SERVER == "$LAB_PARKING6" ]]; then
    pass "dig +trace ended at the parking server ($DIG_LAST_SERVER)"
else
    fail "dig +trace ended at '$DIG_LAST_SERVER', expected the parking server"
fi
if [[ $DIG_ANSWER == 192.0.2.99 ]]; then pass "dig +trace answer 192.0.2.99"; else fail "dig +trace answer '$DIG_ANSWER', expected 192.0.2.99"; fi
finish
