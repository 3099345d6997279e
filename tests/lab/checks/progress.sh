#!/usr/bin/env bash
# lab.progress: the live progress line on a pseudo-terminal. A trace waiting 1.5 s on a server
# that drops every packet (www.unreach.test, --timeout 1500 --retries 0) must be redrawn by
# the timer while the query is outstanding (at least 4 times a second, the clock moving), say
# what it waits on, and be erased before the output. In bulk mode (-f) too, with the names'
# lines written clean. Piped, nothing of it appears.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
PTYRUN=$LAB_DIR/../output/ptyrun.py
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtprog.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0 checks=0
check() { local desc=$1; shift; if "$@"; then checks=$((checks + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi; }
gt() { timeout 60 ip netns exec "$GT_LAB_NS" env COLUMNS=200 python3 "$PTYRUN" "$GLUETRACE" \
    --hints "$LAB_HINTS" --timeout 1500 --retries 0 --color never "$@"; }

# progress.py FILE MIN_DRAWS WORD: the progress segments (between "\r ESC [K"), their clock
# values, and what follows the last erase.
cat > "$TMP/progress.py" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
min_draws, word = int(sys.argv[2]), sys.argv[3].encode()
segs = data.split(b"\r\x1b[K")
prog = [s for s in segs if s.startswith(b"gluetrace ") and b" in flight" in s]
clock = [float(m.group(1)) for s in prog for m in [re.match(rb"gluetrace ([0-9.]+) s: ", s)] if m]
ok = True
def need(cond, what):
    global ok
    if not cond:
        print("  " + what); ok = False
need(len(prog) >= min_draws, f"{len(prog)} progress draws, want >= {min_draws}")
need(len(set(clock)) >= min_draws, f"{len(set(clock))} distinct clock values, want >= {min_draws}")
if clock:
    # at least 4 draws a second between the first and the last
    span = max(clock) - min(clock)
    need(span >= 0.7, f"clock spans {span:.1f} s, want >= 0.7")
    need(len(prog) >= 4 * span, f"{len(prog)} draws over {span:.1f} s: fewer than 4 a second")
need(any(word in s for s in prog), f"no draw names what it waits on ({word.decode()})")
need(any(re.search(rb"[1-9][0-9]* in flight", s) for s in prog), "never a query in flight")
last_prog = data.rfind(b" in flight")
last_erase = data.rfind(b"\r\x1b[K")
need(last_erase > last_prog, "the progress line is not erased at the end")
tail = data[last_erase + 4:]
need(b" in flight" not in tail, "progress text after the last erase")
sys.exit(0 if ok else 1)
PY
gt www.unreach.test > "$TMP/single.out"
check "single: the line redraws while waiting, names unreach.test., is erased" \
    python3 "$TMP/progress.py" "$TMP/single.out" 4 "of unreach.test."
check "single: the output follows" grep -q 'Verdict: www.unreach.test. A' "$TMP/single.out"

printf '%s\n' www.normal.test www.unreach.test www.lame.test > "$TMP/names"
gt -f "$TMP/names" > "$TMP/bulk.out"
check "bulk: the line redraws while waiting, is erased" \
    python3 "$TMP/progress.py" "$TMP/bulk.out" 4 "in flight"
# every name's line is written whole, on a clean row
# (what a terminal shows of each row: the text after the row's last erase)
python3 -c 'import sys
for row in open(sys.argv[1], "rb").read().split(b"\n"):
    sys.stdout.buffer.write(row.split(b"\r\x1b[K")[-1].replace(b"\r", b"") + b"\n")' \
    "$TMP/bulk.out" > "$TMP/bulk.txt"
for n in www.normal.test www.unreach.test www.lame.test; do
    check "bulk: $n's line is clean" grep -q "^$n\. A: " "$TMP/bulk.txt"
done
check "bulk: the summary" grep -q '^;; 3 names: 3 answer' "$TMP/bulk.txt"

# Not a terminal: no progress at all.
timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --timeout 1500 \
    --retries 0 www.unreach.test > "$TMP/pipe.out" 2> "$TMP/pipe.err"
check "piped: no progress" bash -c "! grep -q 'in flight' '$TMP/pipe.out' '$TMP/pipe.err'"
echo "lab.progress: $checks passed, $fails failed"
[[ $fails -eq 0 ]]
