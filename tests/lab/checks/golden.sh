#!/usr/bin/env bash
# lab.golden: text and dig layouts of real lab traces against committed golden files.
# --one -4 --no-checks makes the path deterministic (one server per zone cut, in glue
# order); round-trip and elapsed times are normalised to "X". GT_UPDATE_GOLDEN=1 rewrites.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
golden=$LAB_DIR/../golden/lab
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
fails=0 checks=0
normalise() { sed -E 's/[0-9]+(\.[0-9]+)? ms/X ms/g; s/in [0-9]+ ms/in X ms/g'; }
one() { # NAME FORMAT FILE [EXTRA OPTIONS...]
    local name=$1 fmt=$2 file=$3 out
    shift 3
    checks=$((checks + 1))
    out=$(timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --one -4 \
        --no-checks --timeout 500 --retries 0 --color never -o "$fmt" "$@" "$name" | normalise)
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
one www.normal.test dig normal.dig
one www.glueless.test dig glueless.dig
if [[ $fails -gt 0 ]]; then echo "lab.golden: $fails of $checks checks failed"; exit 1; fi
echo "lab.golden: all $checks checks passed"
