#!/usr/bin/env bash
# DNSSEC oracle test: keys and signed zones made at test time by ldns (ldns-keygen,
# ldns-signzone, ldns-key2ds, ldns-nsec3-hash from ldnsutils), checked by our validator
# (dnssec_oracle).
# For algorithms 5 7 8 10 13 14 15 16: every RRSIG verifies, tampering fails with the right
# reason, the window is enforced, our DS equals ldns-key2ds (digest 1, 2, 4). NSEC proofs on
# every algorithm's zone; NSEC3 (salted, with and without opt-out, and above the iteration
# limit) on ECDSAP256SHA256 zones; NSEC3 hashes equal ldns-nsec3-hash's; a zone signed with a
# past window is "expired".
# Usage: oracle.sh DRIVER ZONEFILE. Fails (never skips) when a tool is missing.
set -euo pipefail
driver=$(realpath "$1")
zonefile=$(realpath "$2")
for tool in ldns-keygen ldns-signzone ldns-key2ds ldns-nsec3-hash; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "oracle: $tool not found (Debian package ldnsutils, see scripts/install-deps)" >&2
        exit 1
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
zone=example.test.
fail=0

# run NAME COMMAND...: one driver run; its TAP-style summary is printed, failures counted.
run() {
    local name=$1
    shift
    if out=$("$@" 2>&1); then
        echo "ok   $name: ${out##*$'\n'}"
    else
        echo "FAIL $name:"
        echo "$out" | sed 's/^/    /'
        fail=1
    fi
}

# keys ALG: make a KSK and a ZSK in ./ALG/, print the two base names.
keys() {
    mkdir -p "$1"
    (cd "$1" && ldns-keygen -a "$1" -k "$zone" && ldns-keygen -a "$1" "$zone") | sed "s|^|$1/|"
}

for alg in RSASHA1 RSASHA1-NSEC3-SHA1 RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
    ED25519 ED448; do
    mapfile -t k < <(keys "$alg")
    # RSASHA1 (5) cannot sign NSEC3 zones; the NSEC3-capable alias 7 gets NSEC too (allowed).
    ldns-signzone -o "$zone" -f "$alg/zone.signed" "$zonefile" "${k[@]}"
    run "$alg verify" "$driver" verify "$alg/zone.signed" "$zone"
    run "$alg nsec" "$driver" nsec "$alg/zone.signed" "$zone"
    for kf in "${k[@]}"; do
        for d in 1 2 4; do
            ldns-key2ds -n -f -"$d" "$kf.key" >"$kf.ds$d"
            run "$alg ds$d $(basename "$kf")" "$driver" ds "$kf.key" "$kf.ds$d"
        done
    done
done

# NSEC3 variants on ECDSAP256SHA256 keys.
mapfile -t k < <(keys ECDSAP256SHA256)
ldns-signzone -n -s AABBCCDD -t 5 -o "$zone" -f nsec3.signed "$zonefile" "${k[@]}"
run "nsec3 salted" "$driver" nsec3 nsec3.signed "$zone" plain
run "nsec3 salted verify" "$driver" verify nsec3.signed "$zone"
ldns-signzone -n -p -s DEADBEEF -t 1 -o "$zone" -f optout.signed "$zonefile" "${k[@]}"
run "nsec3 opt-out" "$driver" nsec3 optout.signed "$zone" optout
run "nsec3 opt-out verify" "$driver" verify optout.signed "$zone"
ldns-signzone -n -t 200 -o "$zone" -f iter.signed "$zonefile" "${k[@]}"
run "nsec3 200 iterations" "$driver" nsec3 iter.signed "$zone" iterations

# NSEC3 hashes against ldns-nsec3-hash: salts, iteration counts, case, wildcards, the root.
for name in example.test. WWW.Example.TEST. '*.wild.example.test.' . a.b.c.d.e.f.g.; do
    for salt in "" AABBCCDD 0102030405060708090A; do
        for iter in 0 1 12 150; do
            h=$(ldns-nsec3-hash -t "$iter" ${salt:+-s "$salt"} "$name")
            run "nsec3 hash $name salt '${salt:--}' $iter" "$driver" hash "$name" "$salt" "$iter" "$h"
        done
    done
done

# A zone signed with a window in the past: every RRSIG is "expired" today.
ldns-signzone -i 20200101 -e 20200201 -o "$zone" -f past.signed "$zonefile" "${k[@]}"
run "past window" "$driver" expired past.signed "$zone"

if [[ $fail != 0 ]]; then
    echo "oracle: FAILED"
    exit 1
fi
echo "oracle: all checks passed"
