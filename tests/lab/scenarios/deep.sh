#!/usr/bin/env bash
# Scenario 12 (deep name and cross-zone CNAME chain).
# www.l1.l2.l3.l4.deep.test: six zone cuts under the root, each its own server.
# chain.deep.test CNAME alias.chain.example. CNAME www.normal.test. A 192.0.2.1.
. "$(dirname "$0")/lib.sh"

gt_run www.l1.l2.l3.l4.deep.test A
expect_rc 0
expect_no_errors
expect_answer www.l1.l2.l3.l4.deep.test. A 192.0.2.12
expect_only_answer_data 192.0.2.12
i=1
for z in deep.test. l4.deep.test. l3.l4.deep.test. l2.l3.l4.deep.test. l1.l2.l3.l4.deep.test.; do
    expect_asked "127.53.112.$i" "$z" glue in-domain
    expect_asked "2001:db8:53:112::$i" "$z" glue in-domain
    i=$((i + 1))
done
jq_true "main trace asked exactly the zones . test. deep.test. l4 l3 l2 l1" \
    '[.queries[] | select(.trace == "main") | .zone] | unique == (["." ,"test.","deep.test.","l4.deep.test.",
      "l3.l4.deep.test.","l2.l3.l4.deep.test.","l1.l2.l3.l4.deep.test."] | unique)'
expect_answer_servers 127.53.112.5 2001:db8:53:112::5

gt_run chain.deep.test A
expect_rc 0
expect_outcome 127.53.112.1 cname NOERROR
expect_outcome 127.53.112.10 cname NOERROR
expect_trace cname alias.chain.example.
expect_trace cname www.normal.test. answer
for a in 127.53.112.10 2001:db8:53:112::10; do expect_asked "$a" chain.example. glue in-domain; done
for a in 127.53.101.1 127.53.101.2; do expect_asked "$a" normal.test. glue in-domain; done
expect_answer www.normal.test. A 192.0.2.1
# One answer through three zones (issue 11): three links, one alternative each, no disagreement.
jq_true "the answer is a chain of 3 links, each answered by its own zone" \
    '[.answers[] | [.link, .name, (.alternatives | length), .alternatives[0].zone, .alternatives[0].outcome]]
     == [[0,"chain.deep.test.",1,"deep.test.","cname"],
         [1,"alias.chain.example.",1,"chain.example.","cname"],
         [2,"www.normal.test.",1,"normal.test.","answer"]]'
expect_no_finding INCONSISTENT_ANSWERS
finish
