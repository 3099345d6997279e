#!/usr/bin/env bash
# Scenario 7 (unreachable): ns1 answers, ns2's addresses have nothing listening
# (ICMP port unreachable), ns3's packets are dropped (timeout).
. "$(dirname "$0")/lib.sh"

gt_run --timeout 500 --retries 0 www.unreach.test A
expect_rc 0
expect_no_errors
for a in "${LAB_SILENT_ADDRS[@]}" "${LAB_DROP_ADDRS[@]}"; do expect_finding UNREACHABLE_SERVER warning "" "$a"; done
jq_true "the answering server is not called unreachable" \
    'all(.findings[] | select(.code == "UNREACHABLE_SERVER"); .server | (contains("107.1)") or contains("107::1)")) | not)'
expect_answer www.unreach.test. A 192.0.2.7
expect_only_answer_data 192.0.2.7
expect_answer_servers 127.53.107.1 2001:db8:53:107::1
for a in "${LAB_SILENT_ADDRS[@]}"; do
    jq_true "$a: no reply (unreachable or timeout)" \
        'any(.queries[]; .server.address == $a and (.outcome | IN("unreachable","timeout")) and .rcode == null)' --arg a "$a"
done
for a in "${LAB_DROP_ADDRS[@]}"; do expect_outcome "$a" timeout null; done
jq_true "stats count at least the two dropped addresses as timeouts" '.stats.timeouts >= 2'
jq_true "the run took well under the sum of serial timeouts (parallel, < 5 s)" '.stats.elapsed_ms < 5000'
gt_run --strict --timeout 500 --retries 0 www.unreach.test A
expect_rc 1
finish
