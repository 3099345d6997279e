#!/usr/bin/env bash
# Scenario 6 (lame): of lame.test's three servers, ns1 answers, ns2 answers REFUSED
# (it does not serve the zone), ns3 refers upward to test. (a leftover root copy).
. "$(dirname "$0")/lib.sh"

gt_run www.lame.test A
# The answer is reached, but lame servers are error findings: exit 1.
expect_rc 1
expect_answer www.lame.test. A 192.0.2.6
expect_only_answer_data 192.0.2.6
for a in 127.53.106.1 2001:db8:53:106::1; do expect_outcome "$a" answer NOERROR; done
for a in 127.53.106.2 2001:db8:53:106::2; do expect_outcome "$a" lame REFUSED; done
for a in 127.53.106.3 2001:db8:53:106::3; do
    expect_outcome "$a" upward_referral NOERROR
    jq_true "$a answered without AA" 'all(.queries[] | select(.server.address == $a); .aa == false)' --arg a "$a"
done
expect_answer_servers 127.53.106.1 2001:db8:53:106::1
for a in 127.53.106.2 2001:db8:53:106::2; do expect_finding LAME_SERVER error REFUSED "$a"; done
for a in 127.53.106.3 2001:db8:53:106::3; do
    expect_finding LAME_SERVER error "refers to test." "$a"
    expect_finding UPWARD_REFERRAL error "test." "$a"
done
jq_true "the answering server is never called lame" \
    'all(.findings[] | select(.code == "LAME_SERVER"); (.server | contains("127.53.106.1") or contains("106::1")) | not)'
jq_true "two problems (ns2, ns3 with its upward referral folded in), the anchor a note" \
    '(.problems | length) == 2 and all(.problems[]; .code == "LAME_SERVER" and .subject == "server")
     and ([.notes[].code] == ["DNSSEC_NO_ANCHOR"])'
gt_run --strict www.lame.test A
expect_rc 1
jq_true "nothing was asked on the strength of an upward referral" \
    '. as $r | all(.queries[]; .parent as $p | $p == null
        or all($r.queries[] | select(.id == $p); .outcome != "upward_referral"))'
finish
