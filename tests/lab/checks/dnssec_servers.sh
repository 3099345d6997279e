#!/usr/bin/env bash
# lab.dnssec_servers: the JSON dnssec.zones[].server_status of signed lab zones, one entry per
# server address asked for the zone's DNSKEY set. It must agree with the cut's own counts
# (secure entries = secure_servers, judged entries = servers) on every name, name each
# failing server with its finding, name the rollover's second server (old DNSKEY set) and
# only it, stay empty for an insecure cut and without a trust anchor, and validate against
# docs/gluetrace.schema.json.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtdsrv.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0 checks=0
check() { local desc=$1; shift; if "$@"; then checks=$((checks + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi; }
anchor=$LAB_ANCHOR_DIR/root.ds
run() { # NAME [OPTIONS...]: JSON in $TMP/NAME.json
    local n=$1
    shift
    timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --timeout 500 \
        --retries 0 -o json "$@" "$n" > "$TMP/$n.json"
}
# zone ZONE: that zone's object
jz() { jq -e --arg z "$2" ".dnssec.zones[] | select(.zone == \$z) | $3" "$TMP/$1.json" > /dev/null; }
consistent() { # every cut: secure entries = secure_servers, secure + bogus entries = servers
    jq -e 'all(.dnssec.zones[]; ([.server_status[] | select(.status == "secure")] | length) == .secure_servers
        and ([.server_status[] | select(.status != "no_reply")] | length) == .servers)' "$TMP/$1.json" > /dev/null
}
schema_ok() { python3 "$LAB_DIR/../output/validate.py" "$LAB_DIR/../../docs/gluetrace.schema.json" json "$TMP/$1.json"; }

for n in www.secure.example www.moved.example www.expired.example www.unsigned.example \
    www.rollover.example www.normal.test; do
    run "$n" --trust-anchor "$anchor"
    check "$n: server_status agrees with servers/secure_servers on every cut" consistent "$n"
    check "$n: valid against the schema" schema_ok "$n"
done
check "secure: 2 servers of secure.example., both secure, no finding" \
    jz www.secure.example secure.example. '(.server_status | length == 2 and all(.[]; .status == "secure" and .code == null and .reason == "" and .other_findings == []))'
check "moved: both addresses of ns1.moved.example. bogus with DNSSEC_DS_NO_KEY and its message" \
    jz www.moved.example moved.example. '(.server_status | length == 2 and all(.[]; .status == "bogus" and .name == "ns1.moved.example." and .code == "DNSSEC_DS_NO_KEY" and (.reason | test("no DNSKEY of moved.example. has that key tag"))))'
check "moved: example.'s servers are all secure" \
    jz www.moved.example example. '(.server_status | length == 4 and all(.[]; .status == "secure"))'
check "expired: bogus with DNSSEC_SIG_EXPIRED" \
    jz www.expired.example expired.example. '(.server_status | length >= 1 and all(.[]; .status == "bogus" and .code == "DNSSEC_SIG_EXPIRED"))'
check "unsigned: bogus with DNSSEC_DNSKEY_MISSING" \
    jz www.unsigned.example unsigned.example. '(.server_status | length >= 1 and all(.[]; .status == "bogus" and .code == "DNSSEC_DNSKEY_MISSING"))'
check "rollover: all 4 secure; ns2's 2 addresses (old DNSKEY set) carry DNSSEC_DNSKEY_MISMATCH, ns1's nothing" \
    jz www.rollover.example rollover.example. '(.server_status | length == 4 and all(.[]; .status == "secure")
        and ([.[] | select(.other_findings == ["DNSSEC_DNSKEY_MISMATCH"]) | .address] | sort == ["127.53.144.2", "2001:db8:53:144::2"])
        and ([.[] | select(.other_findings == []) | .name] | unique == ["ns1.rollover.example."]))'
check "normal: the insecure cut normal.test. has no server entries" \
    jz www.normal.test normal.test. '(.status == "insecure" and .server_status == [])'
run www.moved.example
check "no anchor: every server_status empty" \
    jq -e '.dnssec.anchor == "none" and all(.dnssec.zones[]; .server_status == [])' "$TMP/www.moved.example.json" > /dev/null
echo "lab.dnssec_servers: $checks passed, $fails failed"
[[ $fails -eq 0 ]]
