#!/usr/bin/env bash
# The dig and dnstracer spellings on real lab traces: `-s .` (dnstracer: start at the root)
# is the default start, and dig's @ADDR before or after the name is `-s ADDR`. Each pair of
# runs must give the same trace: the same options, queries (zone, server, provenance,
# question, transport, outcome), answers, findings and exit status; only round-trip times,
# elapsed time and the order replies came in may differ.
. "$(dirname "$0")/lib.sh"

# canon FILE: the run's JSON without rtt/elapsed, queries and answers as sorted sets.
canon() {
    jq -S '{options, query, exit_code,
            queries: ([.queries[] | [.zone, .server.address, .server.source, .server.glue_kind,
                       .qname, .qtype, .transport, .outcome, .rcode]] | sort),
            answers: ([.answers[] | {link, name, alternatives: ([.alternatives[]
                       | {zone, outcome, rrs, servers: (.servers | sort)}] | sort)}] | sort),
            findings: ([.findings[] | [.code, .severity, .zone, .server]] | sort),
            traces: ([.traces[] | [.kind, .name, .type, .status]] | sort)}' "$1"
}

# same_as FILE WHAT: the current run equals the run saved in FILE.
same_as() {
    if diff -u <(canon "$1") <(canon "$GT_JSON") > "$GT_TMP/diff" 2>&1; then
        pass "same trace as $2"
    else
        fail "differs from $2: $(head -c 600 "$GT_TMP/diff")"
    fi
}

gt_run www.normal.test A
expect_rc 0
cp "$GT_JSON" "$GT_TMP/default.json"
jq_true "default: starts at the hints" '.options.start == "hints" and .queries[0].server.source == "hints"'

gt_run -s . www.normal.test A
expect_rc 0
jq_true "-s .: starts at the hints" '.options.start == "hints" and .queries[0].server.source == "hints"'
same_as "$GT_TMP/default.json" "the default run"

gt_run -s 127.53.1.2 -s . www.normal.test A
expect_rc 0
same_as "$GT_TMP/default.json" "the default run (a later -s . wins)"

gt_run -s 127.53.1.2 www.normal.test A
expect_rc 0
cp "$GT_JSON" "$GT_TMP/s.json"
jq_true "-s ADDR: the first query goes to ADDR, source user" \
    '.options.start == "server" and .queries[0].server.address == "127.53.1.2"
     and .queries[0].server.source == "user" and all(.queries[]; .server.source != "hints")'
expect_answer www.normal.test. A 192.0.2.1

for args in "@127.53.1.2 www.normal.test A" "www.normal.test @127.53.1.2 A" \
    "www.normal.test A @127.53.1.2" "-s 127.53.1.2 www.normal.test @127.53.1.2"; do
    # shellcheck disable=SC2086 # the words are the command line
    gt_run $args
    expect_rc 0
    jq_true "first query to 127.53.1.2 (user)" \
        '.queries[0].server.address == "127.53.1.2" and .queries[0].server.source == "user"'
    same_as "$GT_TMP/s.json" "-s 127.53.1.2"
done

gt_run @2001:db8:53:1::1 www.normal.test AAAA
expect_rc 0
jq_true "@IPv6: first query to 2001:db8:53:1::1 (user)" \
    '.queries[0].server.address == "2001:db8:53:1::1" and .queries[0].server.source == "user"'
expect_answer www.normal.test. AAAA 2001:db8:1::1

# Usage errors: exit 2, one line on stderr, nothing on stdout, nothing sent.
usage_error() { # EXPECTED-TEXT ARGS...
    local want=$1 out err rc
    shift
    GT_DESC="gluetrace $*"
    out=$(timeout 30 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" "$@" 2>"$GT_TMP/usage.err")
    rc=$?
    err=$(cat "$GT_TMP/usage.err")
    if [[ $rc -eq 2 && -z $out && $err == "gluetrace: error: "*"$want"* && $(wc -l <<< "$err") -eq 1 ]]; then
        pass "usage error: $want"
    else
        fail "expected exit 2 and '$want' on stderr, got exit $rc, stdout '${out:0:200}', stderr '$err'"
    fi
}
usage_error "two start servers" -s 127.53.1.2 www.normal.test @127.53.1.1
usage_error "@ADDR needs an IPv4 or IPv6 address" @ns1.nic.test www.normal.test
finish
