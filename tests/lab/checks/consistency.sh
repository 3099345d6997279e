#!/usr/bin/env bash
# lab.consistency: one diagnosis, the same counts everywhere. For a trace of every lab scenario
# (and the -s/@ and DNSSEC forms), the text verdict, --short, -o json and a bulk (-f) run
# must report the same number of problems, errors and warnings; info findings are notes,
# counted as problems nowhere; in the JSON every error and warning finding is in exactly one
# problem and every info finding in exactly one note.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is needed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gtlab-consistency.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
anchor=$LAB_RUN/anchor/root.ds
gt() { timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --timeout 500 --retries 0 "$@"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# "N problems (E errors, W warnings)" / "no problems found" of the text verdict -> "N E W".
text_counts() {
    awk '/^Verdict:/ {v = $0; on = 1; next} on && /^    / {v = v " " $0; next} {on = 0}
         END {n = 0; e = 0; w = 0
              gsub(/ +/, " ", v)
              if (match(v, /[0-9]+ problems? \(/)) n = substr(v, RSTART, RLENGTH) + 0
              if (match(v, /[0-9]+ errors?[,)]/)) e = substr(v, RSTART, RLENGTH) + 0
              if (match(v, /[0-9]+ warnings?[,)]/)) w = substr(v, RSTART, RLENGTH) + 0
              print n, e, w}' "$1"
}
# "; E errors: ...; W warnings: ..." of the --short verdict line (the last line on stderr, after
# any note) -> "E W".
short_counts() {
    tail -n 1 "$1" | awk '{e = 0; w = 0
          if (match($0, /; [0-9]+ errors?:/)) e = substr($0, RSTART + 2, RLENGTH) + 0
          if (match($0, /; [0-9]+ warnings?:/)) w = substr($0, RSTART + 2, RLENGTH) + 0
          print e, w; exit}
         END {if (NR == 0) print 0, 0}'
}
# "; N problems, worst ..." of the bulk line -> "N".
bulk_count() {
    grep -m1 -oE '; [0-9]+ problems?, worst' "$1" | grep -oE '[0-9]+' || echo 0
}

one() { # OPTIONS... NAME (the last argument)
    local name=${*: -1} desc="$*" opts=("${@:1:$#-1}")
    gt "${opts[@]}" -o json "$name" >"$tmp/j" 2>/dev/null
    gt "${opts[@]}" --color never "$name" >"$tmp/t" 2>/dev/null
    gt "${opts[@]}" --short "$name" >/dev/null 2>"$tmp/s"
    printf '%s\n' "$name" >"$tmp/names"
    gt "${opts[@]}" -f "$tmp/names" >"$tmp/b" 2>/dev/null
    checks=$((checks + 1))
    if ! jq -e '([.findings | to_entries[] | select(.value.severity != "info") | .key] | sort)
                    == ([.problems[].findings[]] | sort)
                and ([.findings | to_entries[] | select(.value.severity == "info") | .key] | sort)
                    == ([.notes[].findings[]] | sort)' "$tmp/j" >/dev/null; then
        fail "$desc: a finding is in no problem, or in more than one"
    fi
    local j t s b
    j=$(jq -r '[(.problems | length), ([.problems[] | select(.severity == "error")] | length),
                ([.problems[] | select(.severity == "warning")] | length)] | map(tostring) | join(" ")' "$tmp/j")
    t=$(text_counts "$tmp/t")
    s=$(short_counts "$tmp/s")
    b=$(bulk_count "$tmp/b")
    checks=$((checks + 3))
    [[ $t == "$j" ]] || fail "$desc: text verdict counts '$t', JSON '$j' (problems errors warnings)"
    [[ $s == "${j#* }" ]] || fail "$desc: --short counts '$s', JSON '${j#* }' (errors warnings)"
    [[ $b == "${j%% *}" ]] || fail "$desc: bulk line counts $b problems, JSON ${j%% *}"
    [[ -n ${LAB_VERBOSE:-} ]] && echo "ok: $desc: $j (text $t, short $s, bulk $b)"
    return 0
}

H=(--hints "$LAB_HINTS")
one "${H[@]}" www.normal.test
one "${H[@]}" chain.deep.test
one "${H[@]}" www.l1.l2.l3.l4.deep.test
one "${H[@]}" www.cycle.test
one "${H[@]}" www.glueless.test
one "${H[@]}" www.lame.test
one "${H[@]}" --max-queries 6 www.glueless.test
one "${H[@]}" www.mismatch.test
one "${H[@]}" --compare-resolver=127.53.53.53 www.mismatch.test
one "${H[@]}" www.noaddr.test
one "${H[@]}" www.nscname.test
one "${H[@]}" www.sub.oob.test
one "${H[@]}" www.sibling.test
one "${H[@]}" www.sibmis.test
one "${H[@]}" www.split.test
one "${H[@]}" www.stale.test
one "${H[@]}" --compare-resolver=127.53.53.53 www.stale.test
one "${H[@]}" --no-edns www.big.test
one "${H[@]}" www.unreach.test
one "${H[@]}" nx.normal.test
for name in www.secure.example www.moved.example www.expired.example www.unsigned.example \
    www.rollover.example www.viasec.example www.expiring.example www.sha1.example \
    www.gostds.example www.badsig.example www.iter.example host.bare.denial.example; do
    one "${H[@]}" --trust-anchor "$anchor" "$name"
done
one -s 127.53.1.1 www.normal.test
one -s 127.53.1.1 --trust-anchor "$anchor" www.normal.test
one -s 127.53.53.53 www.normal.test
one -s 127.53.53.53 --trust-anchor "$anchor" www.normal.test

echo "lab.consistency: $checks checks, $fails failed"
[[ $fails -eq 0 ]]
