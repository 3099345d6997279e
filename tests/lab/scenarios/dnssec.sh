#!/usr/bin/env bash
# DNSSEC along the glue-faithful path (issue 14): for every name of tests/lab/dnssec.tab,
# gluetrace --trust-anchor <lab anchor> must reach the verdict the lab's validating resolver
# (Unbound on LAB_VALIDATOR4, asked here, live) reaches, which is also the table's. Prints the
# comparison table; any disagreement fails. Then the findings of the scenario zones: the
# provider move, expired signatures, the unsigned zone and the stale DNSKEY set of
# ns2.rollover.example., each beside a healthy look-alike where the finding stays silent, and
# the run without an anchor (every cut "indeterminate: no trust anchor", exit codes as before).
# CNAME chains (the target's trace validated, the weakest link decides) and sub-traces (their
# cuts judged and shown; a bogus sub-trace does not make the answer bogus, as the validator
# says), and the answer's status on the verdict line of every output.
. "$(dirname "$0")/lib.sh"
TAB=$SCEN_DIR/../dnssec.tab
ANCHOR_DS=$LAB_ANCHOR_DIR/root.ds
ANCHOR_KEY=$LAB_ANCHOR_DIR/root.key
[[ -r $ANCHOR_DS && -r $ANCHOR_KEY ]] || abort "the lab's trust anchor files are missing in $LAB_ANCHOR_DIR"
command -v dig >/dev/null || abort "dig is required"

# validator NAME TYPE: secure / insecure / bogus as the lab's validating resolver says.
validator() {
    local out st
    out=$(timeout 30 ip netns exec "$GT_LAB_NS" dig +time=5 +tries=2 +dnssec @"$LAB_VALIDATOR4" "$1" "$2" 2>&1)
    st=$(grep -o 'status: [A-Z]*' <<< "$out" | awk '{print $2}')
    case $st in
        NOERROR | NXDOMAIN)
            if grep -Eq '^;; flags:[a-z ]* ad[ ;]' <<< "$out"; then echo secure; else echo insecure; fi ;;
        SERVFAIL) echo bogus ;;
        *) echo "error:${st:-none}" ;;
    esac
}

printf '%-28s %-6s %-9s %-9s %-9s %s\n' NAME TYPE EXPECTED VALIDATOR GLUETRACE AGREE
while read -r name type expected _rcode _delv _reason; do
    [[ -z $name || $name == \#* ]] && continue
    gt_run --trust-anchor "$ANCHOR_DS" "$name" "$type"
    got=$(jq -r '.dnssec.answer.status' "$GT_JSON")
    val=$(validator "$name" "$type")
    agree=yes
    [[ $got == "$val" && $got == "$expected" ]] || agree=NO
    printf '%-28s %-6s %-9s %-9s %-9s %s\n' "$name" "$type" "$expected" "$val" "$got" "$agree"
    if [[ $agree == yes ]]; then
        pass "$name $type: $got, as the validator"
    else
        fail "$name $type: gluetrace says $got, the validator $val, dnssec.tab $expected"
    fi
    jq_true "the answer's status is judged against the file's anchor" '.dnssec.anchor == "file" and .options.trust_anchor == "file"'
    if [[ $expected == bogus ]]; then expect_rc 1; fi
    if [[ $expected == secure ]]; then
        # The answer's chain: the cuts of the main trace and of its CNAME targets (a sub-trace
        # only finds a server's address: its own status is judged apart, see viaexpired).
        jq_true "every zone cut of the answer's chain is secure, and no DNSSEC finding about one" \
            '. as $r | [.dnssec.zones[] | select($r.traces[.trace].kind != "subtrace")] as $chain
             | all($chain[]; .status == "secure")
             and all(.findings[]; (.code | IN("DNSSEC_DS_NO_KEY", "DNSSEC_SIG_EXPIRED",
                                               "DNSSEC_SIG_INVALID", "DNSSEC_DNSKEY_MISSING",
                                               "DNSSEC_NO_DENIAL", "DNSSEC_NSEC3_ITERATIONS") | not)
                                  or (.zone as $z | all($chain[]; .zone != $z)))'
        # healthy look-alikes: 30-day signatures made at lab start; algorithms 8, 13, 15
        # with SHA-256 DS records (sha1 and digest carry their DNSSEC_ALGORITHM warnings)
        [[ $name == www.expiring.example. ]] || expect_no_finding DNSSEC_SIG_EXPIRING
        [[ $name == www.sha1.example. || $name == www.digest.example. ]] || expect_no_finding DNSSEC_ALGORITHM
    fi
    if [[ $expected == insecure ]]; then
        # proven insecure (NSEC, NSEC3 opt-out, no usable DS, iterations): never a missing proof
        expect_no_finding DNSSEC_NO_DENIAL
        expect_no_finding DNSSEC_SIG_INVALID
    fi
    expect_no_finding DNSSEC_NO_ANCHOR
done < "$TAB"

# The root.key form of the same anchor gives the same chain.
gt_run --trust-anchor "$ANCHOR_KEY" www.secure.example A
expect_rc 0
jq_true "root.key anchor: secure, root KSK designated by the anchor" \
    '.dnssec.answer.status == "secure" and (.dnssec.zones[0] | .zone == "." and .status == "secure" and (.keys | length) >= 1)'
jq_true "secure.example. validated with an algorithm 15 KSK on every server" \
    'any(.dnssec.zones[]; .zone == "secure.example." and .servers == .secure_servers and any(.keys[]; .alg == 15))'

# Every server of each signed cut is asked for its DNSKEY set (in the delegation checks).
jq_true "every address of secure.example. was asked for its DNSKEY set" \
    '[.queries[] | select(.qname == "secure.example." and .qtype == "DNSKEY") | .server.address] | unique == ["127.53.140.1", "2001:db8:53:140::1"]'
jq_true "the root servers were asked for the root's DNSKEY set" \
    'any(.queries[]; .qname == "." and .qtype == "DNSKEY" and .server.source == "hints")'

# Provider move: example.'s DS designates a key moved.example. does not have.
gt_run --trust-anchor "$ANCHOR_DS" www.moved.example A
expect_rc 1
expect_finding DNSSEC_DS_NO_KEY error "example. publishes DS"
expect_finding DNSSEC_DS_NO_KEY error "no DNSKEY of moved.example. has that key tag"
jq_true "moved.example. is bogus, example. secure" \
    'any(.dnssec.zones[]; .zone == "moved.example." and .status == "bogus") and any(.dnssec.zones[]; .zone == "example." and .status == "secure")'

# Expired signatures (2020) at expired.example.
gt_run --trust-anchor "$ANCHOR_DS" www.expired.example A
expect_rc 1
expect_finding DNSSEC_SIG_EXPIRED error "expired"
expect_no_finding DNSSEC_DS_NO_KEY

# DS at the parent, zone served unsigned.
gt_run --trust-anchor "$ANCHOR_DS" www.unsigned.example A
expect_rc 1
expect_finding DNSSEC_DNSKEY_MISSING error "unsigned.example."

# Rollover: ns2 (127.53.144.2) still serves the old DNSKEY set; ns1 the new one. Secure, and
# the stale server is named.
gt_run --trust-anchor "$ANCHOR_DS" www.rollover.example A
expect_rc 0
expect_finding DNSSEC_DNSKEY_MISMATCH warning "rollover.example." "127.53.144.2"
jq_true "the DNSKEY mismatch names ns2 only" \
    'all(.findings[] | select(.code == "DNSSEC_DNSKEY_MISMATCH"); .server | contains("ns2.rollover.example."))'
# Healthy look-alike: two servers of secure.example.'s parent serve one DNSKEY set.
gt_run --trust-anchor "$ANCHOR_DS" www.secure.example A
expect_no_finding DNSSEC_DNSKEY_MISMATCH

# --- CNAME chains: the target's trace is validated too, the weakest link decides ---------------
# Healthy look-alike: secure.example. -> the secure target.example.: no DNSSEC finding at all,
# the target's own cut judged on the CNAME trace, every one of its servers asked its DNSKEY.
gt_run --trust-anchor "$ANCHOR_DS" to-target.secure.example A
expect_rc 0
jq_true "secure chain: answer, main trace and CNAME trace secure" \
    '. as $r | .dnssec.answer == {status: "secure", reason: ""}
     and ([.dnssec.traces[] | select($r.traces[.trace].kind | IN("main", "cname"))] | length == 2
          and all(.[]; .status == "secure"))'
jq_true "target.example. is a cut of the CNAME trace, secure with its algorithm 13 key" \
    '. as $r | any(.dnssec.zones[]; .zone == "target.example." and $r.traces[.trace].kind == "cname"
                                    and .status == "secure" and any(.keys[]; .alg == 13)
                                    and .servers == 2 and .secure_servers == 2)'
jq_true "every address of target.example. was asked for its DNSKEY set" \
    '[.queries[] | select(.qname == "target.example." and .qtype == "DNSKEY") | .server.address] | unique == ["127.53.145.1", "2001:db8:53:145::1"]'
jq_true "no DNSSEC finding on the secure chain" 'all(.findings[]; .code | startswith("DNSSEC_") | not)'

# Into a bogus zone: the answer is bogus, the reason and the finding name the target's zone.
gt_run --trust-anchor "$ANCHOR_DS" to-expired.secure.example A
expect_rc 1
jq_true "CNAME into expired.example.: bogus, the reason names the target and its zone" \
    '.dnssec.answer.status == "bogus" and (.dnssec.answer.reason | contains("CNAME target www.expired.example.") and contains("expired.example. bogus"))'
jq_true "secure.example. (the CNAME's zone) secure, expired.example. (the CNAME trace's) bogus" \
    '. as $r | any(.dnssec.zones[]; .zone == "secure.example." and .status == "secure" and .trace == 0)
     and any(.dnssec.zones[]; .zone == "expired.example." and .status == "bogus" and $r.traces[.trace].kind == "cname")'
jq_true "the main trace's own link (the CNAME) is secure only through its target: bogus as a chain" \
    'any(.dnssec.traces[]; .trace == 0 and .status == "bogus")'
jq_true "DNSSEC_SIG_EXPIRED about expired.example." 'any(.findings[]; .code == "DNSSEC_SIG_EXPIRED" and .zone == "expired.example.")'
GT_DESC="schema: to-expired.secure.example"
if out=$(python3 "$SCEN_DIR/../../output/validate.py" "$SCEN_DIR/../../../docs/gluetrace.schema.json" json "$GT_JSON" 2>&1); then
    pass "the JSON with a CNAME trace's cuts matches the schema"
else
    fail "schema: $out"
fi

# Into an insecure zone: insecure, no finding (an insecure delegation proven by NSEC is fine).
gt_run --trust-anchor "$ANCHOR_DS" to-insecure.secure.example A
expect_rc 0
jq_true "CNAME into dns-host.example.: insecure, proven at example." \
    '. as $r | .dnssec.answer.status == "insecure" and (.dnssec.answer.reason | contains("dns-host.example. insecure"))
     and any(.dnssec.zones[]; .zone == "dns-host.example." and .status == "insecure" and $r.traces[.trace].kind == "cname")'
jq_true "no DNSSEC finding for an insecure target" 'all(.findings[]; .code | startswith("DNSSEC_") | not)'

# --- sub-traces: their cuts are judged and shown like the main trace's --------------------------
# viasec.example. is served by ns2.target.example. (no glue): target.example. is a sub-trace cut.
gt_run --trust-anchor "$ANCHOR_DS" www.viasec.example A
expect_rc 0
jq_true "target.example. judged on the sub-trace: secure, both servers asked its DNSKEY set" \
    '. as $r | any(.dnssec.zones[]; .zone == "target.example." and $r.traces[.trace].kind == "subtrace"
                                    and .status == "secure" and .secure_servers == 2)
     and ([.queries[] | select(.qname == "target.example." and .qtype == "DNSKEY") | .server.address] | unique
          == ["127.53.145.1", "2001:db8:53:145::1"])'
jq_true "every sub-trace's own answer is secure, and so is the answer" \
    '. as $r | .dnssec.answer.status == "secure"
     and ([.dnssec.traces[] | select($r.traces[.trace].kind == "subtrace")] | length >= 1 and all(.[]; .status == "secure"))'
jq_true "no DNSSEC finding" 'all(.findings[]; .code | startswith("DNSSEC_") | not)'
text=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" -v --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" www.viasec.example A 2>&1)
GT_DESC="text: www.viasec.example"
if grep -Eq -e '-- sub-trace T[0-9]+: ns2\.target\.example\. A from the root -> 127\.53\.145\.1; DNSSEC secure$' <<< "$text" &&
    grep -Eq 'DNSSEC target\.example\.: DS 1 -> KSK [0-9]+ alg 13 \(2 of 2 servers\):' <<< "$text" &&
    grep -q 'DNSSEC secure; no problems found' <<< "$text"; then
    pass "the sub-trace line says its status, its cut has its mark, the verdict line the answer's"
else
    fail "text output lacks the sub-trace's DNSSEC status or target.example.'s mark: $text"
fi

# A bogus zone only on the sub-trace path: the address of ns2.expired.example. comes from the
# bogus expired.example. A validator does not validate the addresses of the servers it asks
# (the lab's Unbound answers www.viaexpired.example. with AD): the answer stays secure, the
# sub-trace is bogus, and expired.example. gets its finding (exit 1: a zone is broken).
gt_run --trust-anchor "$ANCHOR_DS" www.viaexpired.example A
expect_rc 1
jq_true "answer secure; the sub-traces bogus, naming expired.example." \
    '. as $r | .dnssec.answer == {status: "secure", reason: ""}
     and ([.dnssec.traces[] | select($r.traces[.trace].kind == "subtrace")] | length >= 1
          and all(.[]; .status == "bogus" and (.reason | contains("expired.example. bogus"))))'
jq_true "expired.example. is a bogus sub-trace cut; viaexpired.example. (main) secure" \
    '. as $r | any(.dnssec.zones[]; .zone == "expired.example." and .status == "bogus" and $r.traces[.trace].kind == "subtrace")
     and any(.dnssec.zones[]; .zone == "viaexpired.example." and .status == "secure" and .trace == 0)'
jq_true "the finding is about expired.example., and no DNSSEC finding about another zone" \
    'any(.findings[]; .code == "DNSSEC_SIG_EXPIRED" and .zone == "expired.example.")
     and all(.findings[] | select(.code | startswith("DNSSEC_")); .zone == "expired.example.")'
GT_DESC="schema: www.viaexpired.example"
if out=$(python3 "$SCEN_DIR/../../output/validate.py" "$SCEN_DIR/../../../docs/gluetrace.schema.json" json "$GT_JSON" 2>&1); then
    pass "the JSON with sub-trace cuts and dnssec.traces matches the schema"
else
    fail "schema: $out"
fi
text=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" -v --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" www.viaexpired.example A 2>&1)
GT_DESC="text: www.viaexpired.example"
if grep -Eq 'sub-trace T[0-9]+: ns2\.expired\.example\. A from the root -> 127\.53\.142\.1; DNSSEC bogus$' <<< "$text" &&
    grep -q 'DNSSEC expired\.example\.: DS 1 -> no verified KSK (0 of 2 servers): bogus' <<< "$text" &&
    grep -q 'A 192\.0\.2\.147 from 2 of 2 addresses; DNSSEC secure; 1 problem' <<< "$text"; then
    pass "the sub-trace says bogus, its cut's mark too, the verdict line secure with the problem"
else
    fail "text output: $text"
fi

# --- the answer's status on every verdict line: text, JSON Lines, bulk text and bulk JSONL -------
names=$GT_TMP/chain.names
printf '%s\n' to-target.secure.example to-expired.secure.example to-insecure.secure.example \
    www.viasec.example www.viaexpired.example > "$names"
want='to-target.secure.example.=secure to-expired.secure.example.=bogus to-insecure.secure.example.=insecure www.viasec.example.=secure www.viaexpired.example.=secure'
GT_DESC="bulk -o jsonl"
got=$(timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    -f "$names" -o jsonl 2>/dev/null | jq -r '"\(.query.name)=\(.dnssec.answer.status)"' | sort | tr '\n' ' ')
if [[ $got == "$(tr ' ' '\n' <<< "$want" | sort | tr '\n' ' ')" ]]; then pass "each line's dnssec.answer.status: $got"; else fail "got '$got', want '$want'"; fi
GT_DESC="bulk text"
got=$(timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    -f "$names" 2>/dev/null | sed -n 's/^\([^ ]*\) A: .*; DNSSEC \([a-z]*\);.*/\1=\2/p' | sort | tr '\n' ' ')
if [[ $got == "$(tr ' ' '\n' <<< "$want" | sort | tr '\n' ' ')" ]]; then pass "each line says '; DNSSEC <status>': $got"; else fail "got '$got', want '$want'"; fi
GT_DESC="bulk text without an anchor"
out=$(timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -f "$names" 2>/dev/null)
got=$(grep -Ec '; DNSSEC [a-z]+' <<< "$out")
lines=$(grep -c ' A: answer' <<< "$out")
if [[ $got == 0 && $lines == 5 ]]; then pass "5 lines, no DNSSEC status on them without an anchor"; else fail "$got of $lines lines say a DNSSEC status: $out"; fi
GT_DESC="single-name JSON Lines summary"
got=$(timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    -o jsonl to-expired.secure.example A 2>/dev/null | jq -r 'select(.type == "summary") | .dnssec.answer.status')
if [[ $got == bogus ]]; then pass "summary line: bogus"; else fail "summary line says '$got'"; fi
text=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" -v --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" to-expired.secure.example A 2>&1)
GT_DESC="text verdict: to-expired.secure.example"
if grep -Eq '^Verdict: to-expired\.secure\.example\. A -> CNAME www\.expired\.example\..*; DNSSEC bogus \(CNAME target www\.expired\.example\.: expired\.example\. bogus' <<< "$text"; then
    pass "the verdict line says bogus and why"
else
    fail "text verdict: $(head -5 <<< "$text")"
fi
GT_DESC="--short verdict line"
err=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" --short --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    to-expired.secure.example A 2>&1 >/dev/null)
if [[ $err == "gluetrace: to-expired.secure.example. A: answer; DNSSEC bogus; "* ]]; then pass "says bogus: $err"; else fail "stderr: $err"; fi
err=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" --short --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    to-target.secure.example A 2>&1 >/dev/null)
if [[ -z $err ]]; then pass "a secure chain without problems: no verdict line"; else fail "stderr: $err"; fi

# Insecure delegations are proven, not assumed.
gt_run --trust-anchor "$ANCHOR_DS" www.normal.test A
expect_rc 0
jq_true "normal.test. insecure by a proof at test." \
    'any(.dnssec.zones[]; .zone == "normal.test." and .status == "insecure" and (.reason | contains("no DS at test.")))'

# No anchor (a lab trace from --hints): indeterminate, one info finding DNSSEC_NO_ANCHOR and
# no other DNSSEC finding, exit code as before (also with --strict); no DNSKEY query is spent,
# but the queries still carry DO=1 (the replies hold the DS).
gt_run www.moved.example A
expect_rc 0
jq_true "without an anchor every cut is indeterminate: no trust anchor" \
    '.dnssec.anchor == "none" and all(.dnssec.zones[]; .status == "indeterminate" and .reason == "no trust anchor")'
jq_true "without an anchor no DNSKEY query" 'all(.queries[]; .qtype != "DNSKEY")'
expect_finding DNSSEC_NO_ANCHOR info "no trust anchor applies to this trace"
jq_true "DNSSEC_NO_ANCHOR once per trace (not per cut: $(jq '.dnssec.zones | length' "$GT_JSON") cuts)" \
    '[.findings[] | select(.code == "DNSSEC_NO_ANCHOR")] | length == 1'
jq_true "no other DNSSEC finding without an anchor" \
    'all(.findings[]; .code == "DNSSEC_NO_ANCHOR" or (.code | startswith("DNSSEC_") | not))'
gt_run --strict www.moved.example A
expect_rc 0
expect_finding DNSSEC_NO_ANCHOR info

# --no-dnssec: no dnssec object, no DNSKEY query even with an anchor.
gt_run --no-dnssec --trust-anchor "$ANCHOR_DS" www.moved.example A
expect_rc 0
jq_true "--no-dnssec: no dnssec object and no DNSKEY query" \
    '(has("dnssec") | not) and .options.dnssec == false and all(.queries[]; .qtype != "DNSKEY")'
gt_run --no-dnssec www.moved.example A
expect_no_finding DNSSEC_NO_ANCHOR

# Signatures expiring (expiring.example.: signed 27 days before lab start for 30 days): a
# warning naming the zone, the key and the UTC date the server's RRSIG says; exit 1 only with
# --strict. The healthy look-alikes (30-day signatures made at start) are checked above.
sig=$(lab_dig +dnssec @127.53.150.1 expiring.example. DNSKEY 2>/dev/null | awk '$4 == "RRSIG" && $5 == "DNSKEY" {print $9, $11; exit}')
read -r exp tag <<< "$sig"
when="${exp:0:4}-${exp:4:2}-${exp:6:2} ${exp:8:2}:${exp:10:2} UTC"
gt_run --trust-anchor "$ANCHOR_DS" www.expiring.example A
expect_rc 0
expect_finding DNSSEC_SIG_EXPIRING warning "RRSIG by key $tag of expiring.example. over DNSKEY expires on $when"
jq_true "one DNSSEC_SIG_EXPIRING per zone and key, and the answer still secure" \
    '([.findings[] | select(.code == "DNSSEC_SIG_EXPIRING")] | length == 1) and .dnssec.answer.status == "secure"'
gt_run --strict --trust-anchor "$ANCHOR_DS" www.expiring.example A
expect_rc 1

# Algorithm 7 with only a SHA-1 DS: secure (as Unbound and delv on bookworm), two warnings.
gt_run --trust-anchor "$ANCHOR_DS" www.sha1.example A
expect_rc 0
expect_finding DNSSEC_ALGORITHM warning "sha1.example. is signed with algorithm 7 (RSASHA1-NSEC3-SHA1)"
expect_finding DNSSEC_ALGORITHM warning "example. publishes only SHA-1 DS records (digest type 1) for sha1.example."
jq_true "sha1.example. is secure with its algorithm 7 key" \
    'any(.dnssec.zones[]; .zone == "sha1.example." and .status == "secure" and any(.keys[]; .alg == 7))'

# The DS records of gostds.example. have digest type 3 (GOST) or algorithm 253: insecure,
# never bogus; the finding lists both.
gt_run --trust-anchor "$ANCHOR_DS" www.gostds.example A
expect_rc 0
expect_finding DNSSEC_ALGORITHM warning "alg 13 (ECDSAP256SHA256) digest 3"
expect_finding DNSSEC_ALGORITHM warning "alg 253 (unknown) digest 2"
expect_no_finding DNSSEC_DS_NO_KEY
jq_true "gostds.example. is insecure (no usable DS at example.)" \
    'any(.dnssec.zones[]; .zone == "gostds.example." and .status == "insecure" and (.reason | contains("supported algorithm and digest")))'

# A matching SHA-1 DS beside a SHA-256 DS that matches no key (digest.example.): Unbound
# validates (any usable DS), BIND does not (RFC 4509 3): secure, as the lab's validator says,
# with a warning naming the DS of the stronger digest. Its look-alike: www.secure.example.,
# whose one SHA-256 DS matches, stays silent.
gt_run --trust-anchor "$ANCHOR_DS" www.digest.example A
expect_rc 0
expect_finding DNSSEC_ALGORITHM warning "publishes DS records of digest type 2 (DS "
expect_finding DNSSEC_ALGORITHM warning "for digest.example. that match none of its keys"
expect_no_finding DNSSEC_DS_NO_KEY
jq_true "digest.example. is secure (its SHA-1 DS designates the key)" \
    'any(.dnssec.zones[]; .zone == "digest.example." and .status == "secure")'
gt_run --trust-anchor "$ANCHOR_DS" www.secure.example A
expect_no_finding DNSSEC_ALGORITHM

# NSEC3 with 200 iterations: the NXDOMAIN is insecure with a warning naming zone and count; the
# same zone's positive answer is secure and silent.
gt_run --trust-anchor "$ANCHOR_DS" nope.iter.example A
expect_rc 0
expect_finding DNSSEC_NSEC3_ITERATIONS warning "iter.example. denies with NSEC3 of 200 iterations"
gt_run --trust-anchor "$ANCHOR_DS" www.iter.example A
expect_no_finding DNSSEC_NSEC3_ITERATIONS

# A corrupted RRSIG over the answer: bogus, named.
gt_run --trust-anchor "$ANCHOR_DS" www.badsig.example A
expect_rc 1
expect_finding DNSSEC_SIG_INVALID error "www.badsig.example. A: bad-signature"
expect_no_finding DNSSEC_SIG_EXPIRED

# 5-day signatures made at lab start (iter.example., as signers that re-sign daily make them):
# under 7 days left, but most of their window: not reported.
gt_run --trust-anchor "$ANCHOR_DS" www.iter.example A
expect_rc 0
jq_true "www.iter.example. is secure" '.dnssec.answer.status == "secure"'
expect_no_finding DNSSEC_SIG_EXPIRING

# Wildcard answers: host.wild.denial.example. carries the NSEC covering the next closer name
# (secure, silent); host.bare.denial.example. comes from a wildcard whose NSEC was removed
# (bogus, DNSSEC_NO_DENIAL naming the missing proof).
gt_run --trust-anchor "$ANCHOR_DS" host.wild.denial.example A
expect_rc 0
expect_no_finding DNSSEC_NO_DENIAL
gt_run --trust-anchor "$ANCHOR_DS" host.bare.denial.example A
expect_rc 1
expect_finding DNSSEC_NO_DENIAL error "host.bare.denial.example. A: wildcard answer without proof that no closer name exists"

# A signed referral to an unsigned zone without its NSEC: bogus, no denial.
gt_run --trust-anchor "$ANCHOR_DS" www.sub.denial.example A
expect_rc 1
expect_finding DNSSEC_NO_DENIAL error "denial.example. gives no DS for sub.denial.example."
jq_true "sub.denial.example. is bogus, denial.example. secure" \
    'any(.dnssec.zones[]; .zone == "sub.denial.example." and .status == "bogus") and any(.dnssec.zones[]; .zone == "denial.example." and .status == "secure")'

# A bad anchor file is a usage error with one line.
echo ". IN A 192.0.2.1" > "$GT_TMP/bad.anchor"
out=$(ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$GT_TMP/bad.anchor" www.secure.example 2>&1)
rc=$?
GT_DESC="--trust-anchor with an A record"
if [[ $rc -eq 2 && $(wc -l <<< "$out") -eq 1 && $out == gluetrace:* ]]; then
    pass "exit 2 and one line: $out"
else
    fail "exit $rc, output: $out"
fi

finish
