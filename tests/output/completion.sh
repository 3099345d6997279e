#!/usr/bin/env bash
# The bash completion (scripts/gluetrace.bash-completion) against gluetrace --help: it offers
# every option --help lists and no other, the formats and query types --help names, values for
# -o/-t/--color (also as --color=), files for --hints/-f/--vs-dig, and TYPE after NAME.
set -uo pipefail
[[ -x ${GLUETRACE:-} && -f ${GT_COMPLETION:-} ]] || { echo "FAIL: GLUETRACE or GT_COMPLETION not set"; exit 1; }
fails=0 checks=0
ok() { checks=$((checks + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }

# shellcheck source=../../scripts/gluetrace.bash-completion
. "$GT_COMPLETION"
[[ $(complete -p gluetrace 2>/dev/null) == "complete -F _gluetrace gluetrace" ]] && ok ||
    bad "the file does not register _gluetrace for gluetrace"

# complete WORDS...: run the completion with the cursor on the last word (as readline splits
# with the default COMP_WORDBREAKS, '=' its own word); prints COMPREPLY sorted, one per line.
complete_words() {
    COMP_WORDS=(gluetrace "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _gluetrace gluetrace "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
# expect WANT WORDS...: WANT is the expected sorted, space-separated COMPREPLY.
expect() {
    local want=$1 got
    shift
    got=$(complete_words "$@" | paste -sd' ')
    if [[ $got == "$want" ]]; then ok; else bad "gluetrace $* <TAB>: got '$got', want '$want'"; fi
}

help=$("$GLUETRACE" --help)
help_opts=$(grep -oE -- '(^|[ ,/])--?[a-zA-Z0-9][a-z-]*' <<< "$help" | grep -oE -- '--?[a-zA-Z0-9][a-z-]*' | sort -u)
comp_opts=$(complete_words - ; complete_words --)
comp_opts=$(sort -u <<< "$comp_opts")
if [[ $help_opts == "$comp_opts" ]]; then ok; else
    bad "options differ (< --help, > completion): $(diff <(echo "$help_opts") <(echo "$comp_opts") | grep '^[<>]' | paste -sd' ')"
fi
formats=$(sed -n 's/.*--format FMT *\(.*\)$/\1/p' <<< "$help" | grep -oE '[a-z]+' | grep -vxE 'default|or' | sort | paste -sd' ')
expect "$formats" -o ''
expect "$formats" --format ''
expect "short" --format sh
# Types: the list in the -t help text (which spans lines up to "or TYPEnnn").
types=$(sed -n '/--type TYPE/,/TYPEnnn/p' <<< "$help" | sed 's/.*(//; s/or TYPEnnn.*//' | grep -oE '\b[A-Z][A-Z0-9]*\b' | grep -vx TYPE | sort | paste -sd' ')
[[ $(wc -w <<< "$types") -ge 10 ]] && ok || bad "could not read the query types from --help: '$types'"
expect "$types" -t ''
expect "AAAA" -t aa
expect "MX" --type m
expect "$types" www.example.com ''
expect "$types" -o json www.example.com ''
expect "$types" --color = never www.example.com ''
expect "" www.example.com A ''
expect "--samples --server --shard --shard-by --short --source --strict" --s
# --compare-resolver=: the named sets; without '=' the next word may be the NAME: nothing
expect "cloudflare google opendns quad9 system" --compare-resolver =
expect "" --compare-resolver ""
expect "--short" -4 --sho
expect "--shard --shard-by --short" -4 --sh
expect "name zone zone:" -f n.txt --shard-by ""
expect "always auto never" --color ''
expect "always" --color = al
expect "" -s ''
expect "" -S ''
expect "" @192.0.2.1 ''
# dig's +words after NAME; finding codes (from the program's --explain list) for --explain.
expect "+short" www.example.com +sh
expect "+nodnssec +noedns +norec +notcp" www.example.com +no
PATH="$(dirname "$GLUETRACE"):$PATH" expect "NS_IS_CNAME NS_SET_MISMATCH" --explain NS_
PATH="$(dirname "$GLUETRACE"):$PATH" expect "list" --explain li
# Files for --hints.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gtcomp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/root.hints" "$tmp/names.txt"
expect "$tmp/names.txt $tmp/root.hints" --hints "$tmp/"
expect "$tmp/names.txt" -f "$tmp/n"
echo "$checks passed, $fails failed"
[[ $fails -eq 0 ]]
