#!/usr/bin/env bash
# --explain CODE for every code of docs/findings.md (test_codes checks that these are exactly
# the registry's codes): it prints that code's section of findings.md, from the copy embedded
# at build time, as terminal text: every word of the section in order, no Markdown marks, the
# lines within the width; the man page's FINDINGS section names every code; --explain list has
# a line per code; an unknown code is a usage error.
set -uo pipefail
[[ -x ${GLUETRACE:-} && -f ${GT_MAN:-} && -f ${GT_FINDINGS:-} ]] ||
    { echo "FAIL: GLUETRACE, GT_MAN or GT_FINDINGS not set"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtexplain.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0 checks=0
check() { local desc=$1; shift; if "$@"; then checks=$((checks + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi; }
mapfile -t codes < <(sed -n 's/^### `\([A-Z0-9_]*\)`.*/\1/p' "$GT_FINDINGS")
check "findings.md lists codes" test "${#codes[@]}" -gt 10
findings=$(sed -n '/^\.SH FINDINGS/,/^\.SH /p' "$GT_MAN" | sed 's/\\-/-/g')
for code in "${codes[@]}"; do
    # the section: from its heading to the line before the next heading, trailing blanks cut
    awk -v h="### \`$code\`" 'index($0, h) == 1 { on = 1 } on && /^#/ && index($0, h) != 1 { exit }
        on { print }' "$GT_FINDINGS" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$TMP/want"
    (cd "$TMP" && COLUMNS=60 "$GLUETRACE" --explain "$code") > "$TMP/got"
    check "--explain $code exits 0" test $? -eq 0
    # the words of both, Markdown marks and the paragraph labels (What, Why, Fix) left out
    words() { sed 's/\*\*//g; s/`//g; s/^###//' "$1" | tr -s ' \n' '\n\n' | sed 's/:$//' |
        grep -vxE 'What|Why|Fix|'; }
    check "--explain $code prints the words of its section of findings.md" \
        cmp -s <(words "$TMP/want") <(words "$TMP/got")
    check "--explain $code: no Markdown marks" test "$(grep -c -e '\*\*' -e '`' -e '^#' "$TMP/got")" -eq 0
    check "--explain $code: heading '$code (severity)'" grep -qE "^$code \((error|warning|info)\)$" "$TMP/got"
    check "--explain $code: lines within COLUMNS=60" test "$(awk 'length > 60' "$TMP/got" | wc -l)" -eq 0
    lower=$(tr 'A-Z' 'a-z' <<< "$code")
    check "--explain is case-insensitive ($lower)" cmp -s "$TMP/got" <(COLUMNS=60 "$GLUETRACE" --explain "$lower")
    check "man page FINDINGS names $code" grep -qx ".B $code" <<< "$findings"
done
"$GLUETRACE" --explain list > "$TMP/list"
check "--explain list exits 0" test $? -eq 0
check "--explain list: one line per code" test "$(wc -l < "$TMP/list")" -eq "${#codes[@]}"
check "--explain list: every code once" cmp -s <(cut -d' ' -f1 "$TMP/list" | sort) <(printf '%s\n' "${codes[@]}" | sort)
check "--explain list: a severity and a summary on every line" \
    test "$(grep -cE '^[A-Z0-9_]+ +(error|warning|info) +[a-zA-Z(]' "$TMP/list")" -eq "${#codes[@]}"
"$GLUETRACE" --explain NO_SUCH_CODE > "$TMP/out" 2> "$TMP/err"
check "unknown code exits 2" test $? -eq 2
check "unknown code: one error line" grep -q "^gluetrace: .*unknown finding code 'NO_SUCH_CODE'" "$TMP/err"
check "unknown code: nothing on stdout" test ! -s "$TMP/out"
echo "$checks passed, $fails failed"
[[ $fails -eq 0 ]]
