#!/usr/bin/env bash
# What goes on the wire is what gluetrace built, on every supported c-ares: a capture on the
# namespace's loopback of every query of a trace (UDP, then TCP) is compared with the queries
# gluetrace logs with GLUETRACE_DEBUG=1 ("built": the bytes it handed to c-ares; "sent": the
# bytes its socket functions saw c-ares write). The capture must hold exactly the "sent"
# queries, and each equals a "built" one except the fields the library owns: the query ID and,
# over UDP, the value of the 8-byte client cookie (RFC 7873); TCP queries carry no cookie.
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null || abort "tcpdump is required (scripts/install-deps)"
command -v python3 >/dev/null || abort "python3 is required (scripts/install-deps)"

TCPDUMP_PID=""
cleanup() {
    [[ -n $TCPDUMP_PID ]] && kill "$TCPDUMP_PID" 2>/dev/null && wait "$TCPDUMP_PID" 2>/dev/null
    rm -rf "$GT_TMP"
}
trap cleanup EXIT

capture_start() { # PCAP
    timeout 100 ip netns exec "$GT_LAB_NS" tcpdump -Z root --immediate-mode -B 16384 -U -n -i lo \
        -w "$1" 'dst port 53' 2>"$1.log" &
    TCPDUMP_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if grep -q listening "$1.log" 2>/dev/null; then
            sleep 0.2
            return 0
        fi
        sleep 0.05
    done
    abort "tcpdump did not start: $(cat "$1.log")"
}
capture_stop() {
    sleep 0.2
    kill -INT "$TCPDUMP_PID" 2>/dev/null
    wait "$TCPDUMP_PID" 2>/dev/null
    TCPDUMP_PID=""
}

# compare PCAP STDERR: the checks above; prints "ok ..." lines or "bad ..." lines.
compare() {
    python3 - "$1" "$2" <<'PY'
import struct, sys
from collections import Counter

def packets(path):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    link = struct.unpack(e + 'I', data[20:24])[0]
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack(e + 'IIII', data[pos:pos + 16])[2]
        yield link, data[pos + 16:pos + 16 + incl]
        pos += 16 + incl

udp, streams = [], {}
for link, p in packets(sys.argv[1]):
    if link == 1:  # Ethernet (Linux loopback)
        etype, p = struct.unpack('!H', p[12:14])[0], p[14:]
    elif link == 113:  # Linux cooked capture
        etype, p = struct.unpack('!H', p[14:16])[0], p[16:]
    else:
        print('bad link type', link); sys.exit(0)
    if etype == 0x0800:
        proto, src, dst, p = p[9], p[12:16], p[16:20], p[(p[0] & 15) * 4:]
    elif etype == 0x86dd:
        proto, src, dst, p = p[6], p[8:24], p[24:40], p[40:]
    else:
        continue
    if proto == 17:
        udp.append(p[8:])
    elif proto == 6:
        sport, seq, off = struct.unpack('!H', p[:2])[0], struct.unpack('!I', p[4:8])[0], p[12] >> 4
        payload = p[off * 4:]
        if payload:
            streams.setdefault((src, sport), {})[seq] = payload
tcp = []
for segs in streams.values():
    s = b''.join(segs[k] for k in sorted(segs))
    while len(s) >= 2:
        n = struct.unpack('!H', s[:2])[0]
        tcp.append(s[2:2 + n])
        s = s[2 + n:]

def strip_cookie(m):
    """(m with the ID zeroed and its COOKIE option taken out, cookie length)"""
    m = bytearray(m)
    m[0:2] = b'\0\0'
    pos = 12
    while m[pos]:
        pos += m[pos] + 1
    pos += 5
    if struct.unpack('!H', m[10:12])[0] != 1 or m[pos:pos + 3] != b'\0\0\x29':
        return bytes(m), 0
    rdlen_at = pos + 9
    rdlen = struct.unpack('!H', m[rdlen_at:rdlen_at + 2])[0]
    p, end = rdlen_at + 2, rdlen_at + 2 + rdlen
    while p + 4 <= end:
        code, olen = struct.unpack('!HH', m[p:p + 4])
        if code == 10:
            del m[p:p + 4 + olen]
            m[rdlen_at:rdlen_at + 2] = struct.pack('!H', rdlen - 4 - olen)
            return bytes(m), olen
        p += 4 + olen
    return bytes(m), 0

logged = {'built': {'udp': [], 'tcp': []}, 'sent': {'udp': [], 'tcp': []}}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) == 7 and f[1:3] == ['debug:', 'wire:'] and not f[6].endswith('...'):
        logged[f[3]][f[4]].append(bytes.fromhex(f[6]))
for proto, wire in (('udp', udp), ('tcp', tcp)):
    sent, built = logged['sent'][proto], logged['built'][proto]
    if not wire:
        continue
    if Counter(wire) == Counter(sent):
        print(f'ok {proto}: the {len(wire)} queries captured are the {len(sent)} logged as sent')
    else:
        print(f'bad {proto}: {len(wire)} queries captured, {len(sent)} logged as sent, not the same bytes')
    ws = [strip_cookie(m) for m in wire]
    bs = [strip_cookie(m) for m in built]
    lens = Counter(l for _, l in ws)
    want = 8 if proto == 'udp' else 0
    if set(lens) == {want}:
        print(f'ok {proto}: every query captured carries a cookie of {want} bytes')
    else:
        print(f'bad {proto}: cookie lengths {dict(lens)}, expected {want}')
    missing = Counter(m for m, _ in ws) - Counter(m for m, _ in bs)
    if not missing:
        print(f'ok {proto}: each query captured equals a query built, but for its ID and cookie value')
    else:
        print(f'bad {proto}: {sum(missing.values())} queries captured match no query built, '
              f'e.g. {next(iter(missing)).hex()}')
    m = wire[0]
    print(f'# {proto}: first query on the wire ({len(m)} bytes): {m.hex()}')
PY
}

run_captured() { # DESC OPTIONS...
    local desc=$1 pcap=$GT_TMP/cap$GT_RUNS.pcap out
    shift
    GT_DESC="$desc"
    capture_start "$pcap"
    GLUETRACE_DEBUG=1 timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" \
        -o json "$@" >"$GT_TMP/wire.json" 2>"$GT_TMP/wire.err"
    GT_RC=$?
    capture_stop
    [[ $GT_RC -eq 0 ]] && pass "exit 0" || fail "exit $GT_RC: $(head -c 300 "$GT_TMP/wire.err")"
    out=$(compare "$pcap" "$GT_TMP/wire.err")
    grep -q . <<< "$out" || fail "nothing captured"
    while IFS= read -r line; do
        case $line in
        ok*) pass "${line#ok }" ;;
        '#'*) echo "$line" ;;
        *) fail "${line#bad }" ;;
        esac
    done <<< "$out"
    GT_RUNS=$((GT_RUNS + 1))
}

run_captured "UDP trace" www.normal.test A
run_captured "TCP trace" --tcp www.normal.test A
finish
