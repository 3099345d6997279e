#!/usr/bin/env bash
# Colour and progress only on a terminal: --color=auto colours on a tty unless NO_COLOR is
# set (non-empty), never when piped; --color=always/never win; the progress line appears on
# a terminal, is erased at the end, and never reaches a pipe.
. "$(dirname "$0")/lib.sh"
[[ -x ${GT_PYTHON3:-} ]] || { echo "FAIL: python3 not found"; exit 1; }
ESC=$'\033'
pty() { "$GT_PYTHON3" "$OUT_DIR/ptyrun.py" "$@"; }
has_esc() { LC_ALL=C grep -q "$ESC" "$1"; }
n=www.example.test

env -u NO_COLOR "$RENDER_DRIVER" "$n" > "$TMP/pipe.txt" 2>&1
check "auto, piped: no colour" bash -c "! LC_ALL=C grep -q \$'\\033' '$TMP/pipe.txt'"
env -u NO_COLOR "$GT_PYTHON3" "$OUT_DIR/ptyrun.py" "$RENDER_DRIVER" "$n" > "$TMP/tty.txt"
check "auto, terminal: colour" has_esc "$TMP/tty.txt"
NO_COLOR=1 pty "$RENDER_DRIVER" "$n" > "$TMP/nocolor.txt"
check "auto, terminal, NO_COLOR=1: no colour" bash -c "! LC_ALL=C grep -q \$'\\033' '$TMP/nocolor.txt'"
NO_COLOR= pty "$RENDER_DRIVER" "$n" > "$TMP/empty.txt"
check "auto, terminal, NO_COLOR empty: colour" has_esc "$TMP/empty.txt"
NO_COLOR=1 "$RENDER_DRIVER" --normalise --color=always "$n" > "$TMP/always.txt"
check "--color=always, piped, NO_COLOR: colour" has_esc "$TMP/always.txt"
env -u NO_COLOR "$GT_PYTHON3" "$OUT_DIR/ptyrun.py" "$RENDER_DRIVER" --color=never "$n" > "$TMP/never.txt"
check "--color=never, terminal: no colour" bash -c "! LC_ALL=C grep -q \$'\\033' '$TMP/never.txt'"
# Same text apart from the colour codes.
sed 's/\x1b\[[0-9;]*m//g' "$TMP/always.txt" | tr -d '\r' > "$TMP/stripped.txt"
"$RENDER_DRIVER" --normalise --color=never "$n" > "$TMP/plain.txt"
check "colour adds only SGR codes" cmp -s "$TMP/stripped.txt" "$TMP/plain.txt"

# Progress: on a terminal it shows and is erased last; piped it never appears.
pty "$RENDER_DRIVER" --progress-now -o json "$n" > "$TMP/prog.txt"
check "progress shown on a terminal" grep -q "queries done, .* in flight" "$TMP/prog.txt"
"$GT_PYTHON3" - "$TMP/prog.txt" <<'PY' && pass || fail "progress line erased before the output"
import sys
data = open(sys.argv[1], "rb").read()
last = data.rfind(b"queries done")
erase = data.rfind(b"\r\x1b[K")
sys.exit(0 if last >= 0 and erase > last and data.find(b"{", erase) > erase else 1)
PY
"$RENDER_DRIVER" --progress-now -o json "$n" > "$TMP/prog-out.txt" 2> "$TMP/prog-err.txt"
check "no progress when stderr is not a terminal" bash -c "! grep -q 'queries done' '$TMP/prog-err.txt' '$TMP/prog-out.txt'"
finish
