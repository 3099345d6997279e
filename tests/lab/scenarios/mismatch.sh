#!/usr/bin/env bash
# Scenario 10 (parent/child mismatch): test. says mismatch.test NS ns1, ns2 with
# ns1 at 127.53.110.1; the child says NS ns1, ns3 and ns1 at 127.53.110.11.
# A glue-faithful trace asks the parent's glue addresses.
. "$(dirname "$0")/lib.sh"

gt_run www.mismatch.test A
expect_rc 1
expect_answer www.mismatch.test. A 192.0.2.10
expect_only_answer_data 192.0.2.10
jq_true "the referral lists ns1 and ns2 (the parent's NS set)" \
    'any(.queries[]; .referral.zone == "mismatch.test."
         and ([.referral.ns[] | ascii_downcase] | sort) == ["ns1.mismatch.test.","ns2.mismatch.test."])'
for a in 127.53.110.1 2001:db8:53:110::1 127.53.110.2 2001:db8:53:110::2; do
    expect_asked "$a" mismatch.test. glue in-domain
    expect_outcome "$a" answer NOERROR
done
jq_true "the child's addresses (.11, ns3) never came from glue" \
    'all(.queries[] | select(.server.source == "glue"); .server.address
         | IN("127.53.110.11","2001:db8:53:110::11","127.53.110.3","2001:db8:53:110::3") | not)'
expect_finding GLUE_MISMATCH error "ns1.mismatch.test. A: the parent's glue says {127.53.110.1}"
expect_finding GLUE_MISMATCH error "itself says {127.53.110.11}"
expect_finding NS_SET_MISMATCH warning "ns3.mismatch.test."
# Both sets are asked and shown (issue 11): the child's own address of ns1 too.
for a in 127.53.110.11 2001:db8:53:110::11; do
    expect_asked "$a" mismatch.test. child
    expect_outcome "$a" answer NOERROR
done
expect_finding GLUE_MISMATCH error "both were asked: 1 of 1 glue addresses and 1 of 1 of the zone's own answered authoritatively"
expect_answer_servers 127.53.110.1 2001:db8:53:110::1 127.53.110.2 2001:db8:53:110::2 127.53.110.11 2001:db8:53:110::11
jq_true "ns2 (same address in parent and child) is not reported" \
    'all(.findings[] | select(.code == "GLUE_MISMATCH"); .message | contains("ns2.") | not)'
# The resolver has the child's address for ns1: it follows the child, it is not stale.
gt_run --compare-resolver www.mismatch.test A
expect_no_finding STALE_RESOLVER_ADDRESS
expect_finding RESOLVER_FOLLOWS_CHILD info "ns1.mismatch.test. A is {127.53.110.11}: that is the zone's own data"

gt_run --no-checks www.mismatch.test A
expect_rc 0
expect_no_finding GLUE_MISMATCH
jq_true "without the checks only the glue addresses are asked" 'all(.queries[]; .server.source != "child")'
finish
