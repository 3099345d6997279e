#!/usr/bin/env bash
# A hostile name (quote, backslash, BEL, ESC) comes out escaped in every format: no control
# byte in any output, the name in presentation format (\DDD) and, for JSON and DOT, quoted
# by that format's own rules.
. "$(dirname "$0")/lib.sh"
[[ -x ${GT_PYTHON3:-} ]] || { echo "FAIL: python3 not found"; exit 1; }
ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"; }
for fmt in text json jsonl dot; do
    for t in A TXT; do
        drive --color=never -o "$fmt" "$HOSTILE" "$t" > "$TMP/$fmt.$t" 2>&1
        check "$fmt $t: no control bytes" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f]' '$TMP/$fmt.$t'"
    done
done
# Coloured text: the only escape sequences are our SGR colour codes.
drive --color=always "$HOSTILE" TXT > "$TMP/color.txt"
sed 's/\x1b\[[0-9;]*m//g' "$TMP/color.txt" > "$TMP/color-stripped.txt"
check "coloured text: only SGR sequences" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f]' '$TMP/color-stripped.txt'"
check "text shows the name escaped" grep -qF 'x\"y\\z\007\027[31m.hostile.test.' "$TMP/text.TXT"
check "text shows the TXT data escaped" grep -qF '"quote\"d\\ \007bell"' "$TMP/text.TXT"
check "text shows the NS name escaped" grep -qF 'ns\027[2J.hostile.test.' "$TMP/text.A"
check "DOT quotes the escaped name" grep -qF 'ns\\027[2J.hostile.test.' "$TMP/dot.A"
check "DOT escapes quote and backslash" grep -qF 'x\\\"y\\\\z\\007\\027[31m.hostile.test.' "$TMP/dot.TXT"
"$GT_PYTHON3" - "$TMP/json.TXT" "$TMP/jsonl.TXT" "$HOSTILE" <<'PY' && pass || fail "JSON carries the presentation-format name"
import json, sys
want = sys.argv[3]
d = json.load(open(sys.argv[1]))
assert d["query"]["name"] == want, d["query"]["name"]
a = d["answers"][0]["alternatives"][0]
assert a["rrs"][0]["name"] == want
assert a["rrs"][0]["data"] == '"quote\\"d\\\\ \\007bell"', a["rrs"][0]["data"]
lines = [json.loads(l) for l in open(sys.argv[2])]
assert lines[-1]["type"] == "summary" and lines[-1]["query"]["name"] == want
assert any(l.get("qname") == want for l in lines[:-1])
PY
finish
