#!/usr/bin/env bash
# lab.budget: the text output (all paths, DNSSEC validated with the lab's anchor, no -v, not a
# terminal: 100 columns) is at most twice as long as `dig +trace` for the same name, for
# every lab scenario; www.glueless.test fits in 40 lines. What the collapsing leaves out is
# still in the verdict: each name's verdict block (up to the first blank line) is compared
# with -v's, which collapses nothing.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
fails=0 checks=0
ok() { checks=$((checks + 1)); [[ -n ${LAB_VERBOSE:-} ]] && echo "ok:   $*"; return 0; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
gt() {
    timeout 60 ip netns exec "$GT_LAB_NS" env -u COLUMNS "$GLUETRACE" --hints "$LAB_HINTS" \
        --trust-anchor "$LAB_ANCHOR_DIR/root.ds" --timeout 500 --retries 0 --color never "$@"
}
# name [extra gluetrace options]; the lab's scenarios (README "Scenarios")
names=(
    "www.normal.test" "www.glueless.test" "www.sibling.test" "www.sibmis.test"
    "www.stale.test" "www.nscname.test" "www.lame.test" "www.unreach.test"
    "www.big.test --no-edns" "www.cycle.test" "www.mismatch.test" "www.sub.oob.test"
    "www.l1.l2.l3.l4.deep.test" "chain.deep.test" "www.split.test" "www.noaddr.test"
    "www.secure.example" "www.moved.example" "www.viasec.example" "to-target.secure.example"
)
printf '%-28s %5s %5s\n' name dig gluetrace
for entry in "${names[@]}"; do
    read -r name extra <<<"$entry"
    # dig +trace as a user runs it (it asks the lab resolver for every server address)
    dlines=$(timeout 60 ip netns exec "$GT_LAB_NS" dig +trace +tries=1 +time=1 "$name" A 2>&1 | wc -l)
    # shellcheck disable=SC2086
    out=$(gt $extra "$name" A)
    glines=$(wc -l <<<"$out")
    printf '%-28s %5d %5d\n' "$name" "$dlines" "$glines"
    if ((dlines < 5)); then
        bad "$name: dig +trace printed $dlines lines (the lab resolver is not answering?)"
    elif ((glines <= 2 * dlines)); then ok "$name: $glines lines <= 2 x $dlines"; else
        bad "$name: $glines lines, more than 2 x dig +trace's $dlines"
    fi
    # nothing lost from the verdict: the block before the first blank line equals -v's
    # shellcheck disable=SC2086
    # (-v is not wrapped: both are compared as words; query numbers depend on timing)
    v=$(gt -v $extra "$name" A | sed -n '1,/^$/p' | sed -E 's/[0-9]+(\.[0-9]+)? ms/X ms/g; s/#[0-9]+/#N/g' | tr -s ' \n' '  ')
    plain=$(sed -n '1,/^$/p' <<<"$out" | sed -E 's/[0-9]+(\.[0-9]+)? ms/X ms/g; s/#[0-9]+/#N/g' | tr -s ' \n' '  ')
    [[ $v == "$plain" ]] && ok "$name: the verdict is -v's" ||
        bad "$name: the verdict differs from -v's: $(diff <(echo "$plain") <(echo "$v") | head -n 4 | tr '\n' ' ')"
    if [[ $name == www.glueless.test ]]; then
        ((glines <= 40)) && ok "www.glueless.test within 40 lines" ||
            bad "www.glueless.test: $glines lines (budget 40)"
    fi
done
echo "$checks passed, $fails failed"
[[ $fails -eq 0 ]]
