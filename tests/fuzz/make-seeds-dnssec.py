#!/usr/bin/env python3
"""Write the seed corpus of the dnssec fuzz target (tests/fuzz/corpus/dnssec/).

Usage: make-seeds-dnssec.py SIGNED_ZONE...   (zones printed by ldns-signzone, one record a
line, signed with a window around 2027 so the target's fixed "now" 1800000000 is inside it).
For each zone it writes text seeds (mode byte 1, 3, 5: the three denial claims, then the zone
text) and binary seeds (mode byte 0, 2, 4, then now | zone name | count | records), one per
RRSIG with its RRset and the DNSKEYs, plus the NSEC/NSEC3 records. Existing crash-* files
are left alone.
"""
import base64
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "dnssec")
NOW = 1800000000
TYPES = {"A": 1, "NS": 2, "SOA": 6, "TXT": 16, "AAAA": 28, "DS": 43, "RRSIG": 46,
         "NSEC": 47, "DNSKEY": 48, "NSEC3": 50, "NSEC3PARAM": 51, "CNAME": 5}
B32HEX = "0123456789abcdefghijklmnopqrstuv"


def name(text):
    if text in ("", "."):
        return b"\x00"
    out = b""
    for label in text.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def bitmap(types):
    wins = {}
    for t in types:
        v = TYPES[t]
        win = wins.setdefault(v >> 8, bytearray(32))
        win[(v & 0xFF) // 8] |= 0x80 >> (v % 8)
    out = b""
    for w in sorted(wins):
        bits = bytes(wins[w]).rstrip(b"\x00")
        out += bytes([w, len(bits)]) + bits
    return out


def b32hex(text):
    bits, acc, out = 0, 0, bytearray()
    for c in text.lower():
        acc = (acc << 5) | B32HEX.index(c)
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return bytes(out)


def when(text):
    import calendar
    import time
    return calendar.timegm(time.strptime(text, "%Y%m%d%H%M%S")) & 0xFFFFFFFF


def rdata(rtype, f):
    if rtype == "A":
        return bytes(int(x) for x in f[0].split("."))
    if rtype in ("NS", "CNAME"):
        return name(f[0])
    if rtype == "SOA":
        return name(f[0]) + name(f[1]) + struct.pack("!5I", *[int(x) for x in f[2:7]])
    if rtype == "TXT":
        s = f[0].strip('"').encode()
        return bytes([len(s)]) + s
    if rtype == "DNSKEY":
        return struct.pack("!HBB", int(f[0]), int(f[1]), int(f[2])) + base64.b64decode("".join(f[3:]))
    if rtype == "DS":
        return struct.pack("!HBB", int(f[0]), int(f[1]), int(f[2])) + bytes.fromhex("".join(f[3:]))
    if rtype == "RRSIG":
        return (struct.pack("!HBBIIIH", TYPES[f[0]], int(f[1]), int(f[2]), int(f[3]), when(f[4]),
                            when(f[5]), int(f[6])) + name(f[7]) + base64.b64decode("".join(f[8:])))
    if rtype == "NSEC":
        return name(f[0]) + bitmap(f[1:])
    if rtype == "NSEC3PARAM":
        salt = b"" if f[3] == "-" else bytes.fromhex(f[3])
        return struct.pack("!BBHB", int(f[0]), int(f[1]), int(f[2]), len(salt)) + salt
    if rtype == "NSEC3":
        salt = b"" if f[3] == "-" else bytes.fromhex(f[3])
        nxt = b32hex(f[4])
        return (struct.pack("!BBHB", int(f[0]), int(f[1]), int(f[2]), len(salt)) + salt +
                bytes([len(nxt)]) + nxt + bitmap(f[5:]))
    raise ValueError(rtype)


def records(text):
    out = []
    for line in text.splitlines():
        line = line.split(";")[0].strip()
        if not line:
            continue
        f = line.split()
        owner, rtype = f[0], f[3]
        out.append((owner, rtype, f, rdata(rtype, f[4:])))
    return out


def binary(kind, zone, recs):
    body = struct.pack("!I", NOW) + name(zone) + bytes([len(recs)])
    for owner, rtype, _, rd in recs:
        body += name(owner) + struct.pack("!HH", TYPES[rtype], len(rd)) + rd
    return bytes([kind << 1]) + body


def main():
    os.makedirs(OUT, exist_ok=True)
    for path in sys.argv[1:]:
        base = os.path.splitext(os.path.basename(path))[0]
        text = open(path).read()
        recs = records(text)
        zone = next(r[0] for r in recs if r[1] == "SOA")
        for kind in range(3):
            with open(os.path.join(OUT, "text-%s-%d" % (base, kind)), "wb") as f:
                f.write(bytes([1 | kind << 1]) + text.encode())
        keys = [r for r in recs if r[1] == "DNSKEY"]
        for i, sig in enumerate(r for r in recs if r[1] == "RRSIG"):
            rrset = [r for r in recs if r[0] == sig[0] and r[1] == sig[2][4]]
            with open(os.path.join(OUT, "bin-%s-sig%d" % (base, i)), "wb") as f:
                f.write(binary(i % 3, zone, rrset + [sig] + keys))
        denial = [r for r in recs if r[1] in ("NSEC", "NSEC3")][:15]
        for kind in range(3):
            with open(os.path.join(OUT, "bin-%s-denial%d" % (base, kind)), "wb") as f:
                f.write(binary(kind, zone, [recs[0]] + denial))


if __name__ == "__main__":
    main()
