#!/usr/bin/env bash
# Bulk runs split and restarted (issue 15): N shards (--shard I/N, by name and by zone)
# together give exactly the lines of one unsharded run, and a run cut off mid-line (or stopped
# by SIGINT) then continued with --resume gives, merged, exactly the uninterrupted run. Lines
# are compared by their verdict (tests/lab/verdict.jq: everything but query ids, timings and
# counts).
. "$(dirname "$0")/lib.sh"

NAMES=$GT_TMP/names.txt
"$SCEN_DIR/../names" 150 >"$NAMES"
NNAMES=$(wc -l <"$NAMES")
GT_DESC=bulk

# bulk OUT [OPTIONS...]: gluetrace -f NAMES -o jsonl into OUT (stderr into OUT.err).
bulk() {
    local out=$1
    shift
    timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -f "$NAMES" \
        -o jsonl "$@" >"$out" 2>"$out.err"
    local rc=$?
    [[ $rc -ne 124 ]] || fail "gluetrace -f $* did not finish within 120 s"
    return $rc
}
# awk 1 ends every file with a newline: a cut-off last line must not join the next file's first.
verdicts() { awk 1 "$@" | jq -cR -f "$SCEN_DIR/../verdict.jq" | sort; }
names_of() { jq -r '.query.name' "$@" | sort; }
same() { # DESCRIPTION FILE1 FILE2
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1: $(diff "$2" "$3" | head -n 6 | tr '\n' ' ')"; fi
}

bulk "$GT_TMP/full.jsonl" --concurrency 16
verdicts "$GT_TMP/full.jsonl" >"$GT_TMP/full.v"
sort -u "$NAMES" >"$GT_TMP/names.sorted"
names_of "$GT_TMP/full.jsonl" >"$GT_TMP/full.names"
same "the unsharded run has one line per name" "$GT_TMP/names.sorted" "$GT_TMP/full.names"
# the comparisons below are by verdict: every line must have one (an empty verdict set would
# make every comparison pass)
nv=$(wc -l <"$GT_TMP/full.v")
((nv == NNAMES)) && jq -e -s 'all(.[]; (.answers | length) > 0)' "$GT_TMP/full.v" >/dev/null \
    && pass "a verdict with its answers for each of the $NNAMES names" \
    || fail "$nv verdicts (or verdicts without answers) for $NNAMES names: tests/lab/verdict.jq does not read the output"
jq -e -s 'all(.[]; .traces[0].status | IN("answer", "nxdomain", "nodata"))' "$GT_TMP/full.jsonl" >/dev/null \
    && pass "every name ended in an answer, NXDOMAIN or NODATA" \
    || fail "main trace statuses: $(jq -r '.traces[0].status' "$GT_TMP/full.jsonl" | sort | uniq -c | tr '\n' ' ')"

# --- shards -----------------------------------------------------------------------------
for by in name zone; do
    : >"$GT_TMP/union.jsonl"
    for i in 0 1 2; do
        bulk "$GT_TMP/shard-$by-$i.jsonl" --concurrency 16 --shard "$i/3" --shard-by "$by"
        n=$(wc -l <"$GT_TMP/shard-$by-$i.jsonl")
        ((n > 0 && n < NNAMES)) && pass "shard $i/3 by $by holds $n names" \
            || fail "shard $i/3 by $by holds $n of $NNAMES names"
        grep -q "of $NNAMES names traced, .* in other shards (this is share $i/3)\$" "$GT_TMP/shard-$by-$i.jsonl.err" \
            && pass "shard $i/3 by $by says what it traces" || fail "no shard note on stderr"
        grep -q "already done in" "$GT_TMP/shard-$by-$i.jsonl.err" \
            && fail "shard $i/3 by $by speaks of a resume it did not do" || pass "shard $i/3 by $by: no resume note"
        cat "$GT_TMP/shard-$by-$i.jsonl" >>"$GT_TMP/union.jsonl"
    done
    names_of "$GT_TMP/union.jsonl" >"$GT_TMP/union.names"
    same "3 shards by $by: every name exactly once" "$GT_TMP/names.sorted" "$GT_TMP/union.names"
    verdicts "$GT_TMP/union.jsonl" >"$GT_TMP/union.v"
    same "3 shards by $by: the same lines as the unsharded run" "$GT_TMP/full.v" "$GT_TMP/union.v"
done
# by zone, the names of one zone (its last two labels) are all in one shard
for i in 0 1 2; do
    jq -r --arg i "$i" '.query.name | split(".") | .[-3:] | join(".") + " " + $i' \
        "$GT_TMP/shard-zone-$i.jsonl"
done | sort -u | awk '{print $1}' | uniq -d >"$GT_TMP/split-zones"
[[ ! -s $GT_TMP/split-zones ]] && pass "--shard-by zone keeps each zone in one shard" \
    || fail "zones split across shards: $(tr '\n' ' ' <"$GT_TMP/split-zones")"

# --- resume -----------------------------------------------------------------------------
# An interrupted run's output: cut in the middle of a line (a killed process leaves its
# last buffer half written); then the same at a line boundary and with nothing written.
size=$(stat -c %s "$GT_TMP/full.jsonl")
cutat=$((size * 2 / 5))
[[ $(head -c "$cutat" "$GT_TMP/full.jsonl" | tail -c 1) != $'\n' ]] || cutat=$((cutat + 1))
head -c "$cutat" "$GT_TMP/full.jsonl" >"$GT_TMP/part1.jsonl"
whole=$(head -c "$cutat" "$GT_TMP/full.jsonl" | grep -c '}$' || true)
bulk "$GT_TMP/part2.jsonl" --concurrency 16 --resume "$GT_TMP/part1.jsonl"
expect=$((NNAMES - whole))
got=$(wc -l <"$GT_TMP/part2.jsonl")
[[ $got -eq $expect ]] && pass "the resumed run traced the $expect names without a whole line" \
    || fail "the resumed run traced $got names, expected $expect"
grep -q '(1 cut-off lines there, traced again)' "$GT_TMP/part2.jsonl.err" && pass "the cut-off line is noted" \
    || fail "no note about the cut-off line: $(cat "$GT_TMP/part2.jsonl.err")"
verdicts "$GT_TMP/part1.jsonl" "$GT_TMP/part2.jsonl" >"$GT_TMP/merged.v"
same "interrupted + resumed = uninterrupted" "$GT_TMP/full.v" "$GT_TMP/merged.v"

# cut at a line boundary, resumed twice: the second resume has nothing left to do
head -n 40 "$GT_TMP/full.jsonl" >"$GT_TMP/p1.jsonl"
bulk "$GT_TMP/p2.jsonl" --resume "$GT_TMP/p1.jsonl"
[[ $(wc -l <"$GT_TMP/p2.jsonl") -eq $((NNAMES - 40)) ]] && pass "40 whole lines: 40 names skipped" \
    || fail "40 whole lines: $(wc -l <"$GT_TMP/p2.jsonl") names traced"
# an unsharded resume with no cut-off line says only that: no shard, no cut-off count
grep -qx "gluetrace: $((NNAMES - 40)) of $NNAMES names traced, 40 already done in $GT_TMP/p1.jsonl" \
    "$GT_TMP/p2.jsonl.err" && pass "the resume note says only what happened" \
    || fail "resume note: $(grep 'names traced' "$GT_TMP/p2.jsonl.err")"
cat "$GT_TMP/p1.jsonl" "$GT_TMP/p2.jsonl" >"$GT_TMP/p12.jsonl"
bulk "$GT_TMP/p3.jsonl" --resume "$GT_TMP/p12.jsonl"
rc=$?
[[ $rc -eq 0 && ! -s $GT_TMP/p3.jsonl ]] && pass "resuming a finished run traces nothing (exit 0)" \
    || fail "resuming a finished run: exit $rc, $(wc -l <"$GT_TMP/p3.jsonl") lines"
verdicts "$GT_TMP/p12.jsonl" >"$GT_TMP/p12.v"
same "resumed at a line boundary = uninterrupted" "$GT_TMP/full.v" "$GT_TMP/p12.v"

# an interrupted name's line (main trace "interrupted") does not count as done
head -n 10 "$GT_TMP/full.jsonl" | jq -c '.traces[0].status = "interrupted"' >"$GT_TMP/int.jsonl"
bulk "$GT_TMP/int2.jsonl" --resume "$GT_TMP/int.jsonl"
[[ $(wc -l <"$GT_TMP/int2.jsonl") -eq $NNAMES ]] && pass "interrupted names are traced again" \
    || fail "interrupted names: $(wc -l <"$GT_TMP/int2.jsonl") of $NNAMES traced"

# resume and shard together: the shard's names less those done
bulk "$GT_TMP/s0.jsonl" --shard 0/3 --resume "$GT_TMP/p1.jsonl"
comm -23 <(names_of "$GT_TMP/shard-name-0.jsonl") <(names_of "$GT_TMP/p1.jsonl") >"$GT_TMP/s0.want"
names_of "$GT_TMP/s0.jsonl" >"$GT_TMP/s0.names"
same "--shard with --resume: the shard's names not done yet" "$GT_TMP/s0.want" "$GT_TMP/s0.names"

# restarted appending to the cut-off file itself (after ending it with a newline), then
# resumed once more from that file: the broken line in the middle is skipped, nothing is left
cp "$GT_TMP/part1.jsonl" "$GT_TMP/same.jsonl"
echo >>"$GT_TMP/same.jsonl"
bulk "$GT_TMP/same-new.jsonl" --resume "$GT_TMP/same.jsonl"
cat "$GT_TMP/same-new.jsonl" >>"$GT_TMP/same.jsonl"
bulk "$GT_TMP/same-more.jsonl" --resume "$GT_TMP/same.jsonl"
[[ ! -s $GT_TMP/same-more.jsonl ]] && pass "appended to the cut-off file: a second resume has nothing left" \
    || fail "appended to the cut-off file: $(wc -l <"$GT_TMP/same-more.jsonl") names traced again"
verdicts "$GT_TMP/same.jsonl" >"$GT_TMP/same.v"
same "appended to the cut-off file = uninterrupted" "$GT_TMP/full.v" "$GT_TMP/same.v"

# a real interruption: SIGINT during a run slowed down with --rate 20 (the names before it
# are written whole, exit 130), then --resume finishes the list
timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -f "$NAMES" -o jsonl \
    --concurrency 8 --rate 20 >"$GT_TMP/sig1.jsonl" 2>"$GT_TMP/sig1.err" &
pid=$!
sleep 3
kill -INT "$pid"
wait "$pid"
rc=$?
got=$(wc -l <"$GT_TMP/sig1.jsonl")
[[ $rc -eq 130 && $got -gt 0 && $got -lt $NNAMES ]] && pass "SIGINT after 3 s: exit 130 with $got whole lines" \
    || fail "SIGINT after 3 s: exit $rc, $got lines of $NNAMES"
bulk "$GT_TMP/sig2.jsonl" --resume "$GT_TMP/sig1.jsonl"
[[ $(wc -l <"$GT_TMP/sig2.jsonl") -eq $((NNAMES - got)) ]] && pass "resumed after SIGINT: the $((NNAMES - got)) names left" \
    || fail "resumed after SIGINT: $(wc -l <"$GT_TMP/sig2.jsonl") names traced, $((NNAMES - got)) expected"
verdicts "$GT_TMP/sig1.jsonl" "$GT_TMP/sig2.jsonl" >"$GT_TMP/sig.v"
same "interrupted by SIGINT + resumed = uninterrupted" "$GT_TMP/full.v" "$GT_TMP/sig.v"

# a file that is not a bulk output is refused (exit 2), not silently taken as empty
printf 'not json\n{"type":"summary"}\n' >"$GT_TMP/bad.jsonl"
bulk "$GT_TMP/bad-out.jsonl" --resume "$GT_TMP/bad.jsonl"
rc=$?
[[ $rc -eq 2 ]] && grep -q 'line 2 is not a line of gluetrace -f -o jsonl' "$GT_TMP/bad-out.jsonl.err" \
    && pass "a foreign --resume file: exit 2 with the line" || fail "foreign --resume file: exit $rc"

# names from stdin are read as they come: a bad line stops the run there (exit 2) after the
# names before it were traced and written
{ head -n 5 "$NAMES"; echo "bad..name"; tail -n 5 "$NAMES"; } |
    timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -f - -o jsonl \
        --concurrency 2 >"$GT_TMP/stdin.jsonl" 2>"$GT_TMP/stdin.err"
rc=$?
[[ $rc -eq 2 && $(wc -l <"$GT_TMP/stdin.jsonl") -eq 5 ]] && grep -q -- '- line 6: invalid name' "$GT_TMP/stdin.err" \
    && pass "stdin: a bad line 6 stops the run after the 5 names before it (exit 2)" \
    || fail "stdin with a bad line 6: exit $rc, $(wc -l <"$GT_TMP/stdin.jsonl") lines, $(tail -n 1 "$GT_TMP/stdin.err")"
# --- DNSSEC in bulk ------------------------------------------------------------------------
# Names of signed zones one after the other (--concurrency 1: every later name reuses the
# referrals and the DNSKEY replies the earlier ones got): each name's verdict and DNSSEC
# statuses (the answer's and every zone's) are those of its single run, and the DNSKEY sets
# are asked once per server, not once per name (the later names' are reused; with --no-cache,
# which shares nothing, none is).
GT_DESC="bulk DNSSEC"
ANCHOR_DS=$LAB_ANCHOR_DIR/root.ds
DN=$GT_TMP/dnssec.names
printf '%s\n' to-target.secure.example nx1.secure.example to-expired.secure.example \
    to-insecure.secure.example www.viasec.example www.viaexpired.example nx2.secure.example >"$DN"
dstat() { jq -c '{name: .query.name, answer: .dnssec.answer.status, zones: [.dnssec.zones[] | .zone + "=" + .status]}'; }
timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
    -f "$DN" --concurrency 1 -o jsonl >"$GT_TMP/dn.jsonl" 2>/dev/null
while read -r n; do
    timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
        -o jsonl "$n" 2>/dev/null | grep '"type":"summary"'
done <"$DN" >"$GT_TMP/dn-single.jsonl"
dstat <"$GT_TMP/dn.jsonl" | sort >"$GT_TMP/dn.s"
dstat <"$GT_TMP/dn-single.jsonl" | sort >"$GT_TMP/dn-single.s"
[[ $(wc -l <"$GT_TMP/dn.s") -eq 7 ]] && grep -q '"answer":"secure"' "$GT_TMP/dn.s" && grep -q '"answer":"bogus"' "$GT_TMP/dn.s" \
    && pass "7 lines, secure and bogus answers among them" || fail "bulk DNSSEC lines: $(cat "$GT_TMP/dn.s")"
same "each name's DNSSEC statuses are its single run's" "$GT_TMP/dn-single.s" "$GT_TMP/dn.s"
verdicts "$GT_TMP/dn.jsonl" >"$GT_TMP/dn.v"
verdicts "$GT_TMP/dn-single.jsonl" >"$GT_TMP/dn-single.v"
same "each name's verdict is its single run's" "$GT_TMP/dn-single.v" "$GT_TMP/dn.v"
dnskeys() { # OPTIONS...: DNSKEY queries of the bulk run, "sent reused"
    timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --trust-anchor "$ANCHOR_DS" \
        -f "$DN" --concurrency 1 -v --color never "$@" 2>/dev/null |
        awk '/DNSKEY\?/ { if (/reused from an earlier name/) r++; else s++ } END { print s + 0, r + 0 }'
}
read -r sent reused < <(dnskeys)
read -r nc_sent nc_reused < <(dnskeys --no-cache)
((reused > 0 && nc_reused == 0 && sent < nc_sent)) \
    && pass "DNSKEY queries: $sent sent and $reused reused, against $nc_sent sent with --no-cache" \
    || fail "DNSKEY queries: $sent sent, $reused reused; --no-cache: $nc_sent sent, $nc_reused reused"

finish
