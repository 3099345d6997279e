#!/usr/bin/env bash
# -S/--source (dnstracer -S, dig -b): every query leaves from the given address. Seen from
# the server side: a capture on the namespace's loopback of every packet to port 53 while
# gluetrace runs. The source addresses are added to lo for this test and removed after.
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null || abort "tcpdump is required (scripts/install-deps)"

SRC4=127.53.250.1
SRC6=2001:db8:53:250::1
TCPDUMP_PID=""
cleanup() {
    [[ -n $TCPDUMP_PID ]] && kill "$TCPDUMP_PID" 2>/dev/null && wait "$TCPDUMP_PID" 2>/dev/null
    ip -n "$GT_LAB_NS" addr del "$SRC4/32" dev lo 2>/dev/null
    ip -n "$GT_LAB_NS" addr del "$SRC6/128" dev lo 2>/dev/null
    rm -rf "$GT_TMP"
}
trap cleanup EXIT
ip -n "$GT_LAB_NS" addr del "$SRC4/32" dev lo 2>/dev/null # left over from an interrupted run
ip -n "$GT_LAB_NS" addr del "$SRC6/128" dev lo 2>/dev/null
ip -n "$GT_LAB_NS" addr add "$SRC4/32" dev lo || abort "cannot add $SRC4 to lo"
ip -n "$GT_LAB_NS" addr add "$SRC6/128" dev lo nodad || abort "cannot add $SRC6 to lo"

CAPTURES=0
# capture_start: record every packet to port 53 on the namespace's loopback.
capture_start() {
    CAPTURES=$((CAPTURES + 1))
    PCAP=$GT_TMP/cap$CAPTURES.pcap
    # not through a function: $! must be tcpdump itself (ip netns exec execs it)
    timeout 100 ip netns exec "$GT_LAB_NS" tcpdump -Z root --immediate-mode -B 16384 -U -n -i lo \
        -w "$PCAP" 'dst port 53' 2>"$GT_TMP/tcpdump$CAPTURES.log" &
    TCPDUMP_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if grep -q listening "$GT_TMP/tcpdump$CAPTURES.log" 2>/dev/null; then
            sleep 0.2 # "listening" is printed just before the capture starts
            return 0
        fi
        sleep 0.05
    done
    abort "tcpdump did not start: $(cat "$GT_TMP/tcpdump$CAPTURES.log")"
}
# capture_stop: end the capture; sets PKTS (one line per packet: "SRC PROTO DST") and NPKTS.
capture_stop() {
    sleep 0.2 # let the last packets reach the capture
    kill -INT "$TCPDUMP_PID" 2>/dev/null
    wait "$TCPDUMP_PID" 2>/dev/null
    TCPDUMP_PID=""
    # "IP 127.53.250.1.40000 > 127.53.0.1.53: ..." / "IP6 2001:db8:53:250::1.40000 > ..."
    PKTS=$(tcpdump -n -r "$PCAP" 2>/dev/null | awk '$2 == "IP" || $2 == "IP6" {
        src = $3; sub(/\.[0-9]+$/, "", src); dst = $5; sub(/\.[0-9]+:$/, "", dst)
        print src, ($0 ~ /Flags/ ? "tcp" : "udp"), dst }')
    NPKTS=$(grep -c . <<< "$PKTS")
}
# expect_sources DESC ADDR...: some packets were captured and every one came from one of ADDRs.
expect_sources() {
    local desc=$1 others
    shift
    others=$(awk '{print $1}' <<< "$PKTS" | sort -u | grep -vxF -f <(printf '%s\n' "$@"))
    if [[ $NPKTS -gt 0 && -z $others ]]; then
        pass "$desc: all $NPKTS packets to port 53 came from $*"
    else
        fail "$desc: $NPKTS packets to port 53, from others than $*: ${others//$'\n'/ }"
    fi
}
# expect_count DESC N PATTERN: N captured packets match the (grep -E) PATTERN.
expect_count() {
    local n
    n=$(grep -cE "$3" <<< "$PKTS")
    if [[ $n -eq $2 ]]; then pass "$1: $n"; else fail "$1: $n packets, expected $2"; fi
}

# Control: without -S the kernel picks the source (on lo: the server's own address), so the
# capture tells the two apart.
capture_start
gt_run www.normal.test A
capture_stop
expect_rc 0
expect_count "no packet from $SRC4 or $SRC6 without -S" 0 "^($SRC4|$SRC6) "

# One address per family: every UDP query of the trace and of the checks.
capture_start
gt_run -S "$SRC4" --source "$SRC6" www.normal.test A
capture_stop
expect_rc 0
expect_answer www.normal.test. A 192.0.2.1
expect_sources "-S both families" "$SRC4" "$SRC6"
# A loaded machine's capture may drop packets (tcpdump counts them), never invent them: every
# captured packet must come from the source address of its family, and each family be seen.
v4sent=$(jq '[.queries[] | select(.cached_from == null and (.server.address | contains(":") | not))] | length' "$GT_JSON")
v6sent=$(jq '[.queries[] | select(.cached_from == null and (.server.address | contains(":")))] | length' "$GT_JSON")
for fam in "$SRC4:$v4sent" "$SRC6:$v6sent"; do
    src=${fam%:*} n=$(grep -c "^${fam%:*} udp " <<< "$PKTS")
    if [[ $n -ge 1 && $n -le ${fam##*:} ]]; then
        pass "$n of ${fam##*:} queries of the family of $src seen leaving from it"
    else
        fail "$n packets from $src for ${fam##*:} queries of its family"
    fi
done

# TCP too (c-ares binds its TCP sockets as well).
capture_start
gt_run --tcp -4 -S "$SRC4" www.normal.test A
capture_stop
expect_rc 0
expect_answer www.normal.test. A 192.0.2.1
expect_sources "--tcp -4 -S" "$SRC4"
jq_true "--tcp: every query went over TCP" 'all(.queries[] | select(.cached_from == null); .transport == "tcp")'
if grep -q ' tcp ' <<< "$PKTS"; then pass "TCP segments captured"; else fail "no TCP segment captured"; fi

# One family only: IPv4 from the given address, IPv6 left to the kernel (not from SRC6).
capture_start
gt_run -S "$SRC4" www.normal.test A
capture_stop
expect_rc 0
jq_true "both families asked" 'any(.queries[]; .server.address | contains(":")) and any(.queries[]; .server.address | contains(":") | not)'
v4_others=$(awk '$1 !~ /:/ && $1 != src {print $1}' src="$SRC4" <<< "$PKTS" | sort -u)
if [[ -z $v4_others ]]; then pass "IPv4 packets all from $SRC4"; else fail "IPv4 packets from ${v4_others//$'\n'/ }"; fi
if grep -q "^$SRC4 udp " <<< "$PKTS"; then pass "IPv4 queries from $SRC4 seen"; else fail "no IPv4 query from $SRC4 seen"; fi
expect_count "no IPv6 packet from $SRC6" 0 "^$SRC6 "
if grep -q '^[0-9a-f:]*:[0-9a-f:]* ' <<< "$PKTS"; then pass "IPv6 queries sent (kernel's source)"; else fail "no IPv6 packet captured"; fi

# The resolver comparison leaves from the source address too.
capture_start
gt_run -4 -S "$SRC4" --compare-resolver=127.53.53.53 www.normal.test A
capture_stop
expect_rc 0
jq_true "the resolver was asked" 'any(.queries[]; .server.source == "resolver")'
# The lab resolver recurses on its own (from its own addresses): look at what went to it.
to_resolver=$(awk '$3 == "127.53.53.53" {print $1}' <<< "$PKTS")
if [[ -n $to_resolver && -z $(grep -vxF "$SRC4" <<< "$to_resolver") ]]; then
    pass "all $(wc -l <<< "$to_resolver") queries to the resolver came from $SRC4"
else
    fail "queries to the resolver from: $(sort -u <<< "$to_resolver" | tr '\n' ' ')"
fi

# Addresses this host does not have: exit 2, one clear line, nothing sent.
no_such_source() { # ADDR
    local out err rc
    GT_DESC="gluetrace -S $1"
    capture_start
    out=$(timeout 30 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -S "$1" \
        www.normal.test 2>"$GT_TMP/nosrc.err")
    rc=$?
    capture_stop
    err=$(cat "$GT_TMP/nosrc.err")
    if [[ $rc -eq 2 && -z $out && $err == "gluetrace: error: -S $1: not an address of this host"* ]]; then
        pass "exit 2: $err"
    else
        fail "expected exit 2 and 'not an address of this host', got exit $rc, stderr '$err'"
    fi
    if [[ $NPKTS -eq 0 ]]; then pass "nothing sent"; else fail "$NPKTS packets sent"; fi
}
no_such_source 192.0.2.99
no_such_source 2001:db8:53:250::99
finish
