#!/usr/bin/env bash
# Scenario 3b (stale sibling glue): test. delegates sibmis.test to old.sibling-host.test with
# sibling glue 127.53.103.2 / 2001:db8:53:103::2; the zone that owns the name,
# sibling-host.test, says 127.53.103.12 / ::12. The glue is used (glue-faithful) and checked
# against the owning zone, found by tracing the name from the root (issue 11).
. "$(dirname "$0")/lib.sh"

gt_run www.sibmis.test A
expect_rc 1
expect_answer www.sibmis.test. A 192.0.2.33
for a in 127.53.103.2 2001:db8:53:103::2; do expect_asked "$a" sibmis.test. glue sibling; done
jq_true "old.sibling-host.test. is traced from the root to verify its glue" \
    'any(.traces[]; .kind == "subtrace" and .name == "old.sibling-host.test." and .type == "A"
         and .status == "answer")'
expect_finding GLUE_MISMATCH error "old.sibling-host.test. A: the glue in the referral to sibmis.test. says {127.53.103.2}"
expect_finding GLUE_MISMATCH error "the zone sibling-host.test. that owns the name says {127.53.103.12}"
expect_finding GLUE_MISMATCH error "old.sibling-host.test. AAAA"
jq_true "ns.sibling-host.test. (glue equal to its zone's data) is not reported" \
    'all(.findings[] | select(.code == "GLUE_MISMATCH"); .message | contains("ns.sibling-host.") | not)'
# Both sides of the mismatch are asked, as for in-domain glue: the owning zone's addresses too.
for a in 127.53.103.12 2001:db8:53:103::12; do
    jq_true "$a (the owning zone's address, not the glue) asked for sibmis.test., source child" \
        'any(.queries[]; .server.address == $a and .zone == "sibmis.test." and .server.source == "child"
             and .outcome == "answer")' --arg a "$a"
done
expect_finding GLUE_MISMATCH error "both were asked: 1 of 1 glue addresses and 1 of 1 of the zone's own answered authoritatively"

gt_run --no-checks www.sibmis.test A
expect_rc 0
expect_no_finding GLUE_MISMATCH
finish
