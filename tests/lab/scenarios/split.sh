#!/usr/bin/env bash
# Scenario 13 (inconsistent answers): split.test's two servers answer differently for
# www (ns2 is a secondary that stopped transferring). Following every server shows both
# answers side by side and names the disagreement.
. "$(dirname "$0")/lib.sh"

gt_run www.split.test A
expect_rc 1
expect_answer www.split.test. A 192.0.2.13
expect_answer www.split.test. A 192.0.2.113
expect_only_answer_data 192.0.2.13 192.0.2.113
jq_true "two distinct answers, each with its own servers" \
    '(.answers | length) == 1 and (.answers[0].alternatives | length) == 2
     and all(.answers[0].alternatives[]; .zone == "split.test.")
     and any(.answers[0].alternatives[]; any(.rrs[]; .data == "192.0.2.13") and (.servers | sort) == ["127.53.113.1","2001:db8:53:113::1"])
     and any(.answers[0].alternatives[]; any(.rrs[]; .data == "192.0.2.113") and (.servers | sort) == ["127.53.113.2","2001:db8:53:113::2"])'
expect_finding INCONSISTENT_ANSWERS error "192.0.2.13"
expect_finding INCONSISTENT_ANSWERS error "192.0.2.113"
jq_true "the disagreement is about split.test." \
    'any(.findings[]; .code == "INCONSISTENT_ANSWERS" and .zone == "split.test.")'
# The stale secondary by its SOA serial, asked of every server (issue 11).
expect_finding SERIAL_MISMATCH warning "ns1.split.test. 127.53.113.1: 2"
expect_finding SERIAL_MISMATCH warning "ns2.split.test. 127.53.113.2: 1"
# --one follows one server only: it cannot see the disagreement.
gt_run --one www.split.test A
expect_rc 0
expect_no_finding INCONSISTENT_ANSWERS
finish
