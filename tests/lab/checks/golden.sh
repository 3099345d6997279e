#!/usr/bin/env bash
# lab.golden: text and dig layouts of real lab traces against committed golden files.
# --one -4 --no-checks makes the path deterministic (one server per zone cut, in glue
# order); round-trip and elapsed times are normalised to "X". GT_UPDATE_GOLDEN=1 rewrites.
# Text is not written to a terminal here, so no line may be wider than 100 columns; the
# 13-server zone (all paths, every check) is held to that too.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
golden=$LAB_DIR/../golden/lab
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
fails=0 checks=0
# Round-trip times vary in width, which moves where a tree line wraps: the comparison joins
# each continuation row of the tree (text starting 2 columns after a rail cell) back onto its
# line. The width limit is checked on the output as printed.
normalise() {
    sed -E 's/[0-9]+(\.[0-9]+)? ms/X ms/g; s/in [0-9]+ ms/in X ms/g' | awk '
        /^$/ { blank++ }
        blank == 1 && match($0, /[^| ]/) && RSTART % 4 == 3 && RSTART > 1 {
            prev = prev " " substr($0, RSTART); next }
        { if (NR > 1) print prev; prev = $0 }
        END { print prev }'
}
one() { # NAME FORMAT FILE [EXTRA OPTIONS...]
    local name=$1 fmt=$2 file=$3 out
    shift 3
    checks=$((checks + 1))
    # The dig layout prints every record of each reply (and its size): with DNSSEC on, the DS
    # sets of the lab's signed zones, whose keys are made afresh at every `up`. It is compared
    # as DO=0 output; DNSSEC in the lab is checked by the dnssec scenario.
    local dnssec=()
    [[ $fmt == dig ]] && dnssec=(--no-dnssec)
    out=$(timeout 60 ip netns exec "$GT_LAB_NS" env -u COLUMNS "$GLUETRACE" --hints "$LAB_HINTS" --one -4 \
        --no-checks --timeout 500 --retries 0 --color never "${dnssec[@]}" -o "$fmt" "$@" "$name")
    if [[ $fmt == text ]] && awk 'length > 100 { bad = 1 } END { exit !bad }' <<< "$out"; then
        echo "FAIL: $name: text lines wider than 100 columns"
        fails=$((fails + 1))
    fi
    out=$(normalise <<< "$out")
    if [[ -n ${GT_UPDATE_GOLDEN:-} ]]; then
        printf '%s\n' "$out" > "$golden/$file"
        return
    fi
    if ! diff -u "$golden/$file" <(printf '%s\n' "$out"); then
        echo "FAIL: $name -o $fmt differs from $file"
        fails=$((fails + 1))
    fi
}
one www.normal.test text normal.txt
one www.glueless.test text glueless.txt
one www.cycle.test text cycle.txt
one www.lame.test text lame.txt
one www.sub.oob.test text oob.txt
one www.big.test text big.txt
one www.normal.test dig normal.dig
one www.glueless.test dig glueless.dig
# The width limit on a full run (all paths, checks) of the 13-server zone, COLUMNS unset.
checks=$((checks + 1))
wide=$(timeout 60 ip netns exec "$GT_LAB_NS" env -u COLUMNS "$GLUETRACE" --hints "$LAB_HINTS" \
    --timeout 500 --retries 0 --color never www.big.test | awk 'length > 100' | wc -l)
if [[ $wide -ne 0 ]]; then
    echo "FAIL: www.big.test: $wide lines wider than 100 columns"
    fails=$((fails + 1))
fi
if [[ $fails -gt 0 ]]; then echo "lab.golden: $fails of $checks checks failed"; exit 1; fi
echo "lab.golden: all $checks checks passed"
