#!/usr/bin/env bash
# Scenario 5 (NS is a CNAME, RFC 2181 10.3): nscname.test NS alias.dns-host.example.,
# which is a CNAME to ns1.dns-host.example. Whether the engine follows the alias
# (like Unbound) or gives up (like BIND) is its choice; either way the sub-trace
# must show the CNAME, and an answer, if any, must be the right one.
. "$(dirname "$0")/lib.sh"

gt_run www.nscname.test A
expect_trace subtrace alias.dns-host.example.
jq_true "the sub-trace for alias.dns-host.example. met the CNAME" \
    'any(.queries[]; .trace == "alias.dns-host.example." and (.qname|ascii_downcase) == "alias.dns-host.example."
         and (.outcome | IN("cname","answer")) and any(.answer[]?; .type == "CNAME" and .data == "ns1.dns-host.example."))'
# The alias is followed (so the answer is reached) and reported: exit 1.
expect_rc 1
expect_finding NS_IS_CNAME error "alias.dns-host.example."
jq_true "NS_IS_CNAME once, on the delegation of nscname.test. from test., alias and target named" \
    '[.findings[] | select(.code == "NS_IS_CNAME")] | length == 1 and .[0].zone == "nscname.test."
     and (.[0].message | contains("the delegation of nscname.test. from test. names NS alias.dns-host.example., an alias (CNAME to ns1.dns-host.example.)"))'
expect_answer www.nscname.test. A 192.0.2.5
expect_only_answer_data 192.0.2.5
jq_true "answers came only from the dns-host servers" \
    'all(.answers[].alternatives[].servers[]; IN("127.53.102.1","2001:db8:53:102::1","127.53.102.2","2001:db8:53:102::2"))'
jq_true "the problem is the zone's delegation, not the TLD server that relayed it" \
    '[.problems[] | select(.code == "NS_IS_CNAME")] | length == 1 and .[0].zone == "nscname.test."
     and .[0].server == null and .[0].subject == "zone"'
finish
