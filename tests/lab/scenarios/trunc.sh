#!/usr/bin/env bash
# Scenario 8 (truncation): test.'s referral for big.test (13 NS, A+AAAA glue) is
# about 860 bytes. Without EDNS, NSD (ns1.nic.test) silently drops glue that does
# not fit and does not set TC; Knot (ns2.nic.test) sets TC, so gluetrace retries
# over TCP and gets all the glue.
. "$(dirname "$0")/lib.sh"
big=()
for i in $(seq 1 13); do big+=("127.53.108.$i" "$(printf '2001:db8:53:108::%x' "$i")"); done

gt_run --no-edns www.big.test A
# NSD's silent glue drop without TC leaves in-domain NS names without glue: exit 1.
expect_rc 1
expect_finding TRUNCATED_REFERRAL info "UDP lost glue" 127.53.1.2
expect_finding MISSING_GLUE error "ns13.big.test." ns1.nic.test.
expect_finding INCONSISTENT_REFERRALS warning "big.test."
expect_no_finding GLUELESS_CYCLE
expect_answer www.big.test. A 192.0.2.8
expect_only_answer_data 192.0.2.8
jq_true "Knot (127.53.1.2) truncated the UDP referral" \
    'any(.queries[]; .server.address == "127.53.1.2" and .zone == "test." and .transport == "udp" and .tc == true and .outcome == "truncated")'
jq_true "gluetrace retried 127.53.1.2 over TCP and got the referral" \
    'any(.queries[]; .server.address == "127.53.1.2" and .transport == "tcp" and .outcome == "referral"
         and .referral.zone == "big.test." and (.referral.glue|length) == 26)'
jq_true "NSD (127.53.1.1) answered over UDP without TC and with partial glue" \
    'any(.queries[]; .server.address == "127.53.1.1" and .transport == "udp" and .tc == false and .outcome == "referral"
         and .referral.zone == "big.test." and (.referral.glue|length) < 26)'
for a in "${big[@]}"; do expect_asked "$a" big.test.; expect_outcome "$a" answer NOERROR; done

gt_run www.big.test A
expect_rc 0
expect_no_errors
expect_no_finding TRUNCATED_REFERRAL
jq_true "with EDNS nobody truncates" 'all(.queries[]; .tc != true)'
jq_true "with EDNS every test. server gives all 26 glue records" \
    'all(.queries[] | select(.referral.zone == "big.test."); (.referral.glue|length) == 26)'
for a in "${big[@]}"; do expect_asked "$a" big.test. glue in-domain; done
finish
