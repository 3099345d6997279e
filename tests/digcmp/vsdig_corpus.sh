#!/usr/bin/env bash
# digcmp.corpus: a corpus of real `dig +trace` runs captured in the lab, many per scenario so
# that every server choice occurs, each fed to gluetrace --vs-dig with the verdict it must give
# for the server dig ended at:
#   lame.test.   ns1 -> same answer, the two lame servers named as not shown by dig
#                ns2 -> broken_server: "asked ns2.lame.test. ... (REFUSED: lame), so it has no
#                       answer; 1 of 3 servers of lame.test. answers"
#                ns3 -> broken_server: "(upward referral to test.: lame)"
#   split.test.  ns2 -> broken_server: "got the copy with serial 1 from ns2.split.test., which
#                       is behind ns1.split.test. (serial 2)"; ns1 -> same answer, the split
#                       named as not shown
#   nscname, moved (DNSSEC bogus), chain (CNAME targets): same answer, with what dig could not
#   see; stale: misled, the verdict as before; normal: agrees; unreach: never a broken server.
# Then the runs together (several files, and all of them on stdin): how often dig's path hit
# each server, counted against the runs' own Received lines; and the block's width.
. "$(dirname "$0")/lib.sh"

# capture NAME COUNT [DIG OPTS...]: COUNT runs of dig +trace NAME in $TMP/NAME/1..COUNT.txt
capture() {
    local name=$1 count=$2 i
    shift 2
    mkdir -p "$TMP/$name"
    for ((i = 1; i <= count; i++)); do
        dig_trace "$name" "$@"
        mv "$TMP/dig.txt" "$TMP/$name/$i.txt"
    done
}

# ended NAME I: the server name of the last ";; Received" line of run I (dig's final server).
ended() {
    awk '/^;; Received .* from / {s=$0} END {sub(/.*\(/, "", s); sub(/\).*/, "", s); print s}' \
        "$TMP/$1/$2.txt"
}

# compare_all NAME COUNT [GLUETRACE OPTS...]: every run as its own --vs-dig file, -o json
compare_all() {
    local name=$1 count=$2 i
    shift 2
    local args=()
    for ((i = 1; i <= count; i++)); do
        args+=(--vs-dig "$TMP/$name/$i.txt")
    done
    gt "${args[@]}" "$@" -o json "$name"
    cp "$TMP/gt.out" "$TMP/$name.json"
}

# run_field NAME I JQ: field of run I (1-based) of the last compare_all of NAME
run_field() {
    jq -r --argjson i "$(($2 - 1))" ".vs_dig.runs[\$i] | $3" "$TMP/$1.json"
}

# --- lame.test.: 36 runs (each of the 3 servers is missed with probability (2/3)^36)
N=36
capture www.lame.test $N
compare_all www.lame.test $N
check "lame: $N runs compared, exit 1 (got $RC)" \
    "[[ $RC -eq 1 && \$(jq .vs_dig.runs_compared '$TMP/www.lame.test.json') -eq $N ]]"
check "lame: the JSON of $N runs is valid against the schema" "schema_ok '$TMP/www.lame.test.json'"
declare -A seen=()
bad=0
for ((i = 1; i <= N; i++)); do
    srv=$(ended www.lame.test $i)
    seen[$srv]=$((${seen[$srv]:-0} + 1))
    verdict=$(run_field www.lame.test $i .verdict)
    msg=$(run_field www.lame.test $i .message)
    case $srv in
    ns1.lame.test)
        [[ $verdict == same_answer_unseen_problems && $(run_field www.lame.test $i '.cause') == null &&
            $msg == *"LAME_SERVER at ns2.lame.test., LAME_SERVER at ns3.lame.test. (dig asks one server per step and did not ask them)"* ]] ||
            { bad=$((bad + 1)); echo "    run $i ($srv): $verdict: $msg"; } ;;
    ns2.lame.test)
        [[ $verdict == broken_server && $(run_field www.lame.test $i '.cause.judgement + "/" + .cause.finding') == lame/LAME_SERVER &&
            $msg == "dig +trace asked ns2.lame.test. ("*") at step 3 (REFUSED: lame), so it has no answer; 1 of 3 servers of lame.test. answers" ]] ||
            { bad=$((bad + 1)); echo "    run $i ($srv): $verdict: $msg"; } ;;
    ns3.lame.test)
        [[ $verdict == broken_server && $(run_field www.lame.test $i '.cause.judgement') == upward_referral &&
            $msg == "dig +trace asked ns3.lame.test. ("*") at step 3 (upward referral to test.: lame), so it has no answer; 1 of 3 servers of lame.test. answers" ]] ||
            { bad=$((bad + 1)); echo "    run $i ($srv): $verdict: $msg"; } ;;
    *) bad=$((bad + 1)); echo "    run $i ended at '$srv'" ;;
    esac
done
echo "    lame: dig ended at ns1 ${seen[ns1.lame.test]:-0}, ns2 ${seen[ns2.lame.test]:-0}, ns3 ${seen[ns3.lame.test]:-0} times of $N"
check "lame: every server choice occurred (ns1, ns2, ns3)" \
    "[[ ${seen[ns1.lame.test]:-0} -gt 0 && ${seen[ns2.lame.test]:-0} -gt 0 && ${seen[ns3.lame.test]:-0} -gt 0 ]]"
check "lame: each of the $N runs has the verdict of the server it ended at ($bad wrong)" "[[ $bad -eq 0 ]]"
for srv in ns1 ns2 ns3; do
    want=${seen[$srv.lame.test]:-0}
    check "lame: ends counts $want runs at $srv.lame.test." \
        "[[ \$(jq '[.vs_dig.ends[] | select(.server == \"$srv.lame.test.\") | .runs] | add // 0' '$TMP/www.lame.test.json') -eq $want ]]"
done
check "lame: DIG_ASKED_BROKEN_SERVER for ns2 counts its runs, no resolver finding" \
    "jq -e --arg n '${seen[ns2.lame.test]:-0} of $N dig +trace runs asked ns2.lame.test. (' 'any(.findings[]; .code == \"DIG_ASKED_BROKEN_SERVER\" and (.message | startswith(\$n)) and (.message | contains(\"REFUSED: lame (LAME_SERVER)\"))) and all(.findings[]; .code != \"DIG_ANSWER_DIFFERS\" and .code != \"DIG_MISLED_BY_RESOLVER\")' '$TMP/www.lame.test.json' >/dev/null"

# The same runs on stdin, one after the other, text output: the verdict counts them.
cat "$TMP"/www.lame.test/*.txt >"$TMP/lame-all.txt"
timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --vs-dig - www.lame.test \
    <"$TMP/lame-all.txt" >"$TMP/gt.out" 2>"$TMP/gt.err"
RC=$?
sed -n '/^Verdict: [0-9]/,/^$/p' "$TMP/gt.out" | sed 's/^/    /'
verdict=$(sed -n '/^Verdict: [0-9]/,/^$/p' "$TMP/gt.out" | tr -s ' \n' ' ')
check "stdin with $N runs: exit 1 and the verdict counts the runs at ns2 (${seen[ns2.lame.test]:-0})" \
    "[[ $RC -eq 1 && \"\$verdict\" == *'${seen[ns2.lame.test]:-0} of $N'*'ns2.lame.test. (REFUSED: lame)'* ]]"
longest=$(awk '/^Compared with/,0' "$TMP/gt.out" | awk '{ if (length > m) m = length } END { print m + 0 }')
check "stdin: the block is wrapped to 100 columns (longest: $longest)" "[[ $longest -le 100 ]]"

# One run of each kind alone, text: the findings and the wrapped block.
for srv in ns2 ns3; do
    for ((i = 1; i <= N; i++)); do
        [[ $(ended www.lame.test $i) == $srv.lame.test ]] && break
    done
    ((i <= N)) || continue
    gt --vs-dig "$TMP/www.lame.test/$i.txt" www.lame.test
    check "lame, one run ending at $srv: DIG_ASKED_BROKEN_SERVER, no 'flush the resolver' fix" \
        "grep -q 'DIG_ASKED_BROKEN_SERVER in lame.test.: $srv.lame.test.' '$TMP/gt.out' && ! grep -q 'DIG_ANSWER_DIFFERS' '$TMP/gt.out'"
    check "lame, $srv: the step says where dig's path went wrong" \
        "tr -s ' \\n' ' ' <'$TMP/gt.out' | grep -q \"gluetrace got from that address: [^<]*(LAME_SERVER) <- dig's path went wrong here\""
    check "lame, $srv: no line of the output is wider than 100 columns" \
        "[[ \$(awk '{ if (length > m) m = length } END { print m + 0 }' '$TMP/gt.out') -le 100 ]]"
done

# --- split.test.: 24 runs
N=24
capture www.split.test $N
compare_all www.split.test $N
seen=()
bad=0
for ((i = 1; i <= N; i++)); do
    srv=$(ended www.split.test $i)
    seen[$srv]=$((${seen[$srv]:-0} + 1))
    verdict=$(run_field www.split.test $i .verdict)
    msg=$(run_field www.split.test $i .message)
    case $srv in
    ns1.split.test)
        [[ $verdict == same_answer_unseen_problems && $msg == *"SERIAL_MISMATCH in split.test. (dig asks one server per zone and sees one copy)"* ]] ||
            { bad=$((bad + 1)); echo "    run $i ($srv): $verdict: $msg"; } ;;
    ns2.split.test)
        [[ $verdict == broken_server && $(run_field www.split.test $i '.cause.judgement') == old_serial &&
            $msg == "dig +trace got the copy with serial 1 from ns2.split.test. ("*"), which is behind ns1.split.test. (serial 2): its answer (A 192.0.2.113) is the old copy's"* ]] ||
            { bad=$((bad + 1)); echo "    run $i ($srv): $verdict: $msg"; } ;;
    *) bad=$((bad + 1)); echo "    run $i ended at '$srv'" ;;
    esac
done
echo "    split: dig ended at ns1 ${seen[ns1.split.test]:-0}, ns2 ${seen[ns2.split.test]:-0} times of $N"
check "split: both server choices occurred" \
    "[[ ${seen[ns1.split.test]:-0} -gt 0 && ${seen[ns2.split.test]:-0} -gt 0 ]]"
check "split: each of the $N runs has the verdict of the server it ended at ($bad wrong)" "[[ $bad -eq 0 ]]"

# --- faults dig cannot see: the verdict is not "the same" and says why
capture www.nscname.test 4
compare_all www.nscname.test 4
check "nscname: every run names NS_IS_CNAME as not shown, with the reason" \
    "jq -e '.vs_dig.runs | length == 4 and all(.[]; .verdict == \"same_answer_unseen_problems\" and any(.unseen_problems[]; .code == \"NS_IS_CNAME\" and (.why | contains(\"follows the alias silently\"))))' '$TMP/www.nscname.test.json' >/dev/null"
capture www.moved.example 4
compare_all www.moved.example 4 --trust-anchor "$LAB_ANCHOR_DIR/root.ds"
check "moved: every run says dig printed the signatures of a bogus answer without validating" \
    "jq -e '.vs_dig.runs | length == 4 and all(.[]; .verdict == \"same_answer_unseen_problems\" and .bogus_not_validated and (.message | contains(\"gluetrace finds the answer bogus (moved.example. bogus: no DNSKEY matches the DS \")))' '$TMP/www.moved.example.json' >/dev/null"
capture chain.deep.test 4
compare_all chain.deep.test 4
check "chain: every run says dig did not follow the 2 CNAME targets" \
    "jq -e '.vs_dig.runs | length == 4 and all(.[]; .verdict == \"same_answer_unseen_problems\" and .cname_links_not_followed == 2 and (.message | contains(\"it does not follow CNAME targets\")))' '$TMP/chain.deep.test.json' >/dev/null"
capture www.unreach.test 12
compare_all www.unreach.test 12
check "unreach: dig always ends at ns1, never a broken server or a resolver" \
    "jq -e '.vs_dig.runs | length == 12 and all(.[]; .cause == null and (.verdict == \"agrees\" or .verdict == \"same_answer_unseen_problems\"))' '$TMP/www.unreach.test.json' >/dev/null"

# --- the healthy and the stale: as before
capture www.normal.test 6
compare_all www.normal.test 6
check "normal: every run agrees, no DIG_ finding" \
    "jq -e '(.vs_dig.runs | all(.[]; .verdict == \"agrees\" and .message == \"dig +trace followed the same servers and got the same answer.\")) and all(.findings[]; .code | startswith(\"DIG_\") | not)' '$TMP/www.normal.test.json' >/dev/null"
capture www.stale.test 4
compare_all www.stale.test 4
check "stale: every run is misled, the verdict as before" \
    "jq -e '.vs_dig.runs | all(.[]; .verdict == \"misled\" and (.message | test(\"^dig \\\\+trace was misled by its resolver: it asked (127.53.104.99|2001:db8:53:104::99) for ns1.stale.test., but the parent.s glue says 127.53.104.1, 2001:db8:53:104::1; its final answer \\\\(A 192.0.2.99\\\\) differs from the authoritative \\\\(A 192.0.2.4\\\\)$\")))' '$TMP/www.stale.test.json' >/dev/null"
check "stale: DIG_MISLED_BY_RESOLVER and DIG_ANSWER_DIFFERS, no broken server" \
    "jq -e 'any(.findings[]; .code == \"DIG_MISLED_BY_RESOLVER\") and any(.findings[]; .code == \"DIG_ANSWER_DIFFERS\") and all(.findings[]; .code != \"DIG_ASKED_BROKEN_SERVER\")' '$TMP/www.stale.test.json' >/dev/null"
finish
