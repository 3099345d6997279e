#!/usr/bin/env bash
# lab.short: --short (dig +short layout) on real lab traces against golden files in
# tests/golden/lab/short: stdout (the answer's RDATA, one record per line), then the verdict
# line on stderr (present only when there is no answer or a warning/error finding), then the
# exit status, which must also be the one -o json reports for the same trace.
# GT_UPDATE_GOLDEN=1 rewrites the files.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
golden=$LAB_DIR/../golden/lab/short
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gtlab-short.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
gt() { timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --timeout 500 --retries 0 "$@"; }

one() { # FILE NAME [TYPE]
    local file=$1 rc json_rc
    shift
    checks=$((checks + 1))
    gt --short "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    { cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; echo "--- exit $rc"; } >"$tmp/got"
    if [[ -n ${GT_UPDATE_GOLDEN:-} ]]; then
        cp "$tmp/got" "$golden/$file"
        return
    fi
    if ! diff -u "$golden/$file" "$tmp/got"; then
        echo "FAIL: --short $* differs from $file"
        fails=$((fails + 1))
    fi
    checks=$((checks + 1))
    json_rc=$(gt -o json "$@" | jq .exit_code)
    if [[ $json_rc != "$rc" ]]; then
        echo "FAIL: --short $* exits $rc, -o json reports exit_code $json_rc"
        fails=$((fails + 1))
    fi
}
one normal-a.out www.normal.test A           # an answer, clean: no stderr line
one normal-aaaa.out www.normal.test AAAA
one chain.out chain.deep.test A              # CNAME, CNAME (across zones), A
one nxdomain.out nx.normal.test A            # no answer: the verdict line
one nodata.out www.normal.test MX            # no answer: the verdict line
one ns.out normal.test NS                    # NS targets as dig +short prints them
one lame.out www.lame.test A                 # an answer with error findings: both
one cycle.out www.cycle.test A               # no authoritative data: exit 3
# -o short is the same renderer.
checks=$((checks + 1))
if ! diff <(gt -o short chain.deep.test 2>&1) <(gt --short chain.deep.test 2>&1) >/dev/null; then
    echo "FAIL: -o short and --short differ"
    fails=$((fails + 1))
fi
if [[ $fails -gt 0 ]]; then echo "lab.short: $fails of $checks checks failed"; exit 1; fi
echo "lab.short: all $checks checks passed"
