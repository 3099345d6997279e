#!/usr/bin/env python3
"""Write the hand-made seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/).

Run from anywhere; rewrites the seeds it knows and leaves other files (crash regressions,
named crash-*) alone. The messages are built byte by byte so edge cases (compression loops,
forward pointers, lengths past the end) are exactly what the name says.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

A, NS, CNAME, SOA, MX, TXT, AAAA, SRV, DNAME, OPT, DS, DNSKEY, CAA = (
    1, 2, 5, 6, 15, 16, 28, 33, 39, 41, 43, 48, 257)


def name(text):
    if text in ("", "."):
        return b"\x00"
    out = b""
    for label in text.rstrip(".").split("."):
        raw = label.encode("latin-1")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def raw_labels(*labels):
    out = b""
    for raw in labels:
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def ptr(offset):
    return struct.pack("!H", 0xC000 | offset)


def header(qid=0x1234, qr=1, aa=1, tc=0, rd=0, rcode=0, qd=1, an=0, ns=0, ar=0, opcode=0):
    flags = (qr << 15) | (opcode << 11) | (aa << 10) | (tc << 9) | (rd << 8) | rcode
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def question(qname, qtype=A, qclass=1):
    return (qname if isinstance(qname, bytes) else name(qname)) + struct.pack("!HH", qtype, qclass)


def rr(owner, rtype, rdata, ttl=3600, rclass=1, rdlen=None):
    owner = owner if isinstance(owner, bytes) else name(owner)
    if rdlen is None:
        rdlen = len(rdata)
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, rdlen) + rdata


def opt(size=1232, do=0):
    return b"\x00" + struct.pack("!HHIH", OPT, size, 0x8000 if do else 0, 0)


def a(ip):
    return bytes(int(x) for x in ip.split("."))


def aaaa(last):
    return bytes.fromhex("20010db8" + "00" * 10 + "%04x" % last)


def soa(mname="ns1.example.test", rname="h.example.test", serial=1):
    return name(mname) + name(rname) + struct.pack("!IIIII", serial, 7200, 3600, 86400, 300)


def msg(qname="www.example.test", qtype=A, an=(), ns=(), ar=(), **kw):
    h = header(an=len(an), ns=len(ns), ar=len(ar), **kw)
    return h + question(qname, qtype) + b"".join(an) + b"".join(ns) + b"".join(ar)


def messages():
    m = {}
    m["query-edns"] = header(qr=0, aa=0, rd=0, ar=1) + question("www.example.test") + opt()
    m["answer-a"] = msg(an=[rr("www.example.test", A, a("192.0.2.1"))])
    m["referral-glue"] = msg(
        aa=0,
        ns=[rr("example.test", NS, name("ns1.example.test")),
            rr("example.test", NS, name("ns2.other.test")),
            rr("example.test", NS, name("ns.elsewhere.net"))],
        ar=[rr("ns1.example.test", A, a("198.51.100.30")),
            rr("ns1.example.test", AAAA, aaaa(0x30)),
            rr("ns2.other.test", A, a("198.51.100.31")),
            rr("ns.elsewhere.net", A, a("203.0.113.66")),
            opt()])
    # Compressed: question name at offset 12, "example.test" at 16.
    q = header(an=3, ns=1) + question("www.example.test", MX)
    m["compressed-rdata"] = (
        q + rr(ptr(12), MX, struct.pack("!H", 10) + b"\x04mail" + ptr(16))
        + rr(ptr(12), MX, struct.pack("!H", 20) + ptr(12))
        + rr(ptr(16), NS, b"\x03ns1" + ptr(16))
        + rr(ptr(16), SOA, b"\x03ns1" + ptr(16) + b"\x01h" + ptr(16) + struct.pack("!IIIII", 1, 2, 3, 4, 5)))
    m["nxdomain-soa"] = msg(rcode=3, ns=[rr("example.test", SOA, soa(), ttl=300)])
    m["nodata-soa"] = msg(qtype=AAAA, ns=[rr("example.test", SOA, soa())])
    m["refused"] = msg(aa=0, rcode=5)
    m["truncated"] = msg(tc=1, aa=0)
    m["cname-chain"] = msg(an=[
        rr("www.example.test", CNAME, name("a.example.test")),
        rr("a.example.test", CNAME, name("b.example.test")),
        rr("b.example.test", A, a("192.0.2.2"))])
    m["cname-loop"] = msg(an=[
        rr("www.example.test", CNAME, name("a.example.test")),
        rr("a.example.test", CNAME, name("www.example.test"))])
    m["dname"] = msg(an=[rr("example.test", DNAME, name("example.net")),
                         rr("www.example.test", CNAME, name("www.example.net"))])
    # Hostile shapes.
    m["ptr-loop-self"] = header(an=0) + ptr(12) + struct.pack("!HH", A, 1)
    m["ptr-loop-pair"] = (header(an=1) + question("www.example.test")
                          + ptr(34) + struct.pack("!HHIH", A, 1, 1, 4) + b"\x01x" + ptr(32))
    m["ptr-forward"] = header(an=0) + ptr(14) + name("www.example.test") + struct.pack("!HH", A, 1)
    m["ptr-past-end"] = header(an=0) + ptr(0x3fff)
    m["ptr-into-header"] = header(an=0) + ptr(2) + struct.pack("!HH", A, 1)
    m["rdlength-past-end"] = msg(an=[rr("www.example.test", A, a("192.0.2.1"), rdlen=400)])
    m["rdlength-short-ns"] = msg(ns=[rr("example.test", NS, name("ns1.example.test"), rdlen=3)])
    m["rdlength-long-a"] = msg(an=[rr("www.example.test", A, a("192.0.2.1") + b"\x00\x00")])
    m["count-past-end"] = header(an=65535, ns=65535, ar=65535) + question("www.example.test")
    m["header-only"] = header(qd=0)
    m["short-header"] = header()[:5]
    m["empty"] = b""
    m["qd-two"] = header(qd=2) + question("a.test") + question("b.test")
    m["two-opt"] = msg(ar=[opt(), opt()])
    m["opt-in-answer"] = msg(an=[opt()])
    m["opt-badvers"] = msg(rcode=0, ar=[b"\x00" + struct.pack("!HHIH", OPT, 4096, 0x01000000, 0)])
    m["label-type-01"] = header(an=0) + b"\x41" + b"x" * 4 + b"\x00" + struct.pack("!HH", A, 1)
    m["label-63"] = msg(qname=raw_labels(b"a" * 63, b"test"))
    m["label-64"] = header() + b"\x40" + b"a" * 64 + b"\x00" + struct.pack("!HH", A, 1)
    m["name-255"] = msg(qname=raw_labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 61))
    m["name-256"] = msg(qname=raw_labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 62))
    m["name-hostile-bytes"] = msg(
        qname=raw_labels(b"\x1b[31mred\x07", b'q"uo\\te.dot', b"\x00\xff ;()@$", b"test"),
        an=[rr(raw_labels(b"\x1b[31mred\x07", b'q"uo\\te.dot', b"\x00\xff ;()@$", b"test"), A,
               a("192.0.2.9"))])
    m["txt-hostile"] = msg(qtype=TXT, an=[rr("www.example.test", TXT,
                                             b"\x05a\"b\\c" + b"\x04\x1b[2J" + b"\x00" + b"\x03\x7f\x80\xff")])
    m["txt-overlong-string"] = msg(qtype=TXT, an=[rr("www.example.test", TXT, b"\x09abc")])
    m["ttl-huge-zero"] = msg(an=[rr("www.example.test", A, a("192.0.2.1"), ttl=0xFFFFFFFF),
                                 rr("www.example.test", A, a("192.0.2.2"), ttl=0),
                                 rr("www.example.test", A, a("192.0.2.3"), ttl=0x80000000)])
    m["many-types"] = msg(qtype=255, an=[
        rr("www.example.test", SRV, struct.pack("!HHH", 1, 2, 53) + name("t.example.test")),
        rr("www.example.test", DS, struct.pack("!HBB", 12345, 8, 2) + bytes(range(32))),
        rr("www.example.test", DNSKEY, struct.pack("!HBB", 257, 3, 8) + bytes(range(64))),
        rr("www.example.test", CAA, b"\x00\x05issue" + b"ca.example"),
        rr("www.example.test", 65280, b"\x01\x02\x03"),
        rr("www.example.test", 99, b""),
        rr("www.example.test", AAAA, aaaa(1))])
    m["class-chaos"] = msg(an=[rr("www.example.test", TXT, b"\x03abc", rclass=3)])
    m["trailing-garbage"] = msg(an=[rr("www.example.test", A, a("192.0.2.1"))]) + b"\xde\xad" * 8
    big_ns = [rr("example.test", NS, name("ns%d.example.test" % i)) for i in range(300)]
    big_ar = [rr("ns%d.example.test" % i, A, a("198.51.%d.%d" % (i // 250, i % 250 + 1))) for i in range(300)]
    m["referral-300ns"] = msg(aa=0, ns=big_ns, ar=big_ar)
    # DNSSEC records interleaved as servers send them: RRSIGs after their RRsets, an NSEC and
    # an NSEC3 (salt, two bitmap windows), an NSEC3PARAM, and malformed ones (a bitmap window
    # out of order, an RRSIG with no signature, an NSEC3 with an empty hash)
    def rrsig(covered, signer="example.test", sig=b"\x01\x02\x03"):
        return struct.pack("!HBBIIIH", covered, 13, 2, 3600, 0xFFFFFFFF, 946684800, 4242) + name(signer) + sig
    bitmap = b"\x00\x06\x40\x01\x00\x00\x00\x03" + b"\x01\x01\x40"
    m["dnssec-records"] = msg(an=[
        rr("www.example.test", A, a("192.0.2.1")),
        rr("www.example.test", 46, rrsig(A)),
        rr("www.example.test", A, a("192.0.2.2")),
        rr("www.example.test", 51, b"\x01\x00\x00\x0a\x02\xab\xcd")],
        ns=[rr("example.test", NS, name("ns1.example.test")),
            rr("example.test", 46, rrsig(NS)),
            rr("example.test", 47, name("z.example.test") + bitmap),
            rr("example.test", 46, rrsig(47)),
            rr("abcd.example.test", 50, b"\x01\x01\x00\x00\x00\x14" + bytes(range(20)) + bitmap),
            rr("bad.example.test", 47, name("z.example.test") + b"\x01\x01\x40\x00\x01\x40"),
            rr("bad.example.test", 46, rrsig(A, sig=b"")),
            rr("bad.example.test", 50, b"\x01\x00\x00\x00\x00\x00")],
        ar=[rr("ns1.example.test", 46, rrsig(A)), opt(do=1)])
    return m


def classify_seeds(msgs):
    out = {}
    for key in ("answer-a", "referral-glue", "nxdomain-soa", "nodata-soa", "refused", "truncated",
                "cname-chain", "cname-loop", "dname", "referral-300ns", "name-hostile-bytes"):
        for sel in (1, 2, 6):
            out["%s-%d" % (key, sel)] = bytes([sel]) + msgs[key]
    # Referrals seen from different cuts: upward, sideways, to itself, to the parent.
    ref = lambda zone, nsname, glue_owner, **kw: msg(aa=0, ns=[rr(zone, NS, name(nsname))],
                                                    ar=[rr(glue_owner, A, a("198.51.100.9"))], **kw)
    out["upward-root"] = bytes([2]) + ref(".", "a.root.test", "a.root.test")
    out["self-referral"] = bytes([2]) + ref("example.test", "ns.example.test", "ns.example.test")
    out["sideways"] = bytes([1]) + ref("other.test", "ns.other.test", "ns.other.test")
    out["parent-referral"] = bytes([2]) + ref("test", "ns.test", "ns.test")
    out["oob-glue"] = bytes([1]) + msg(aa=0, ns=[rr("example.test", NS, name("ns.example.test")),
                                               rr("example.test", NS, name("ns.victim.net"))],
                                       ar=[rr("ns.victim.net", A, a("203.0.113.1")),
                                           rr("ns.example.test", A, a("198.51.100.7")),
                                           rr("www.bank.test", A, a("203.0.113.2")),
                                           rr("ns.example.test", TXT, b"\x01x")])
    out["fixed-question"] = bytes([3]) + msg(qname="www.a.b.c.example.test", aa=0,
                                            ns=[rr("www.a.b.c.example.test", NS, name("ns.www.a.b.c.example.test"))],
                                            ar=[rr("ns.www.a.b.c.example.test", A, a("198.51.100.8"))])
    return out


HINTS = {
    "valid": """; root hints
.                        3600000      NS    A.ROOT-SERVERS.NET.
A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
.                        3600000      NS    B.ROOT-SERVERS.NET.
B.ROOT-SERVERS.NET.      3600000      IN A  170.247.170.2
""",
    "ttl-directive": "$TTL 3600\n. NS a.root.test.\na.root.test. A 127.0.0.1\n",
    "escapes": ". NS a\\.b\\032c\\\\.root.test.\na\\.b\\032c\\\\.root.test. A 127.0.0.1\n",
    "no-address": ". NS a.root.test.\n",
    "orphan-address": ". NS a.root.test.\na.root.test. A 127.0.0.1\nb.root.test. A 127.0.0.2\n",
    "bad-ipv4": ". NS a.root.test.\na.root.test. A 1.2.3\n",
    "bad-ipv6": ". NS a.root.test.\na.root.test. AAAA 2001:::1\n",
    "owner-not-root": "test. NS a.root.test.\na.root.test. A 127.0.0.1\n",
    "long-label": ". NS " + "a" * 64 + ".test.\n",
    "too-many-servers": "".join(". NS s%d.test.\ns%d.test. A 127.0.0.%d\n" % (i, i, i % 250 + 1) for i in range(70)),
    "too-many-addrs": ". NS a.test.\n" + "".join("a.test. A 127.0.0.%d\n" % (i + 1) for i in range(12)),
    "crlf-tabs": ".\t3600000\tNS\ta.root.test.\r\na.root.test.\t3600000\tA\t127.0.0.1\r\n",
    "empty": "",
    "comment-only": "; nothing\n\n   ; more\n",
    "control-bytes": ". NS a\x1b[31m.test.\n\x00a.test. A 127.0.0.1\n",
    "huge-ttl": ". 99999999999999999999 NS a.test.\na.test. 4294967296 A 127.0.0.1\n",
}


DIG_HEAD = "\n; <<>> DiG 9.18 <<>> +trace www.normal.test\n;; global options: +cmd\n"
DIG_ROOT = (".\t\t86400\tIN\tNS\ta.root-servers.test.\n"
            ";; Received 100 bytes from 127.53.53.53#53(127.53.53.53) in 1 ms\n\n")
DIG_TLD = ("test.\t\t172800\tIN\tNS\tns1.nic.test.\n"
           ";; Received 120 bytes from 127.53.0.1#53(a.root-servers.test) in 0 ms\n\n")
DIG_REF = ("normal.test.\t\t86400\tIN\tNS\tns1.normal.test.\n"
           "normal.test.\t\t86400\tIN\tNS\tns2.normal.test.\n"
           ";; Received 130 bytes from 127.53.1.1#53(ns1.nic.test) in 0 ms\n\n")
DIG_ANS = ("www.normal.test.\t86400\tIN\tA\t192.0.2.1\n"
           ";; Received 140 bytes from 127.53.101.2#53(ns2.normal.test) in 0 ms\n\n")
# dig +trace +dnssec lines (DS, RRSIG) for the fuzz world of fuzz_vsdig.c, whose referral to
# normal.test. carries this DS and RRSIG and whose answer this RRSIG
DIG_DS = ("normal.test.\t\t86400\tIN\tDS\t33917 13 2 57F63107CFA8AB67742F67F70AD4C4B396E66C635BDBF892BD9837BF F6B7D63E\n"
          "normal.test.\t\t86400\tIN\tRRSIG\tDS 13 2 86400 20261227125235 20261127125235 12926 test. "
          "AQIDBAUGBwgJCgsM\n")
DIG_ANS_SIG = ("www.normal.test.\t86400\tIN\tRRSIG\tA 13 3 86400 20261227125235 20261127125235 4242 normal.test. "
               "Uu59+YGp\n")
DIG_REF_DS = DIG_REF.replace(";; Received", DIG_DS + ";; Received")
DIG_ANS_DS = DIG_ANS.replace(";; Received", DIG_ANS_SIG + ";; Received")
VSDIG = {
    "dnssec": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF_DS + DIG_ANS_DS,
    "dnssec-ds-differs": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF_DS.replace("33917 13 2", "33918 13 2")
    + DIG_ANS_DS.replace("4242 normal", "4243 normal"),
    "dnssec-malformed": DIG_HEAD + DIG_ROOT + DIG_TLD
    + DIG_REF.replace(";; Received", "normal.test.\t1\tIN\tDS\t99999999 13 2 XYZ\n"
                      "normal.test.\t1\tIN\tDS\t1 2\n"
                      "normal.test.\t1\tIN\tRRSIG\tDS 13 2 86400 2026 2026 1 test. !!!\n"
                      "normal.test.\t1\tIN\tRRSIG\tTYPE65535 300 2 1 20261227125235 20261127125235 1 .\n"
                      "normal.test.\t1\tIN\tNSEC3\t1 1 0 - Q7EFGI8BA91IKH4PPJVNMOC2CUJ0MJ32 A \\# 9\n"
                      ";; Received")
    + DIG_ANS_DS.replace("Uu59", "\x1b[2J"),
    "normal": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF + DIG_ANS,
    "other-answer": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF + DIG_ANS.replace("192.0.2.1", "192.0.2.99"),
    "stale-address": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF + DIG_ANS.replace("127.53.101.2", "127.53.104.99"),
    "ipv6-server": DIG_HEAD + DIG_ROOT + DIG_TLD.replace("127.53.0.1", "2001:db8:53::1") + DIG_REF + DIG_ANS,
    "cut-short": (DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF)[:-20],
    "error-lines": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF
    + "couldn't get address for 'ns1.normal.test': failure\ndig: couldn't get address for 'ns1.normal.test': no more\n",
    "cname": DIG_HEAD + DIG_ROOT + DIG_TLD + DIG_REF
    + "www.normal.test.\t60\tIN\tCNAME\tx.other.test.\n;; Received 90 bytes from 127.53.101.1#53(ns1.normal.test) in 0 ms\n",
    "hostile-bytes": DIG_HEAD + DIG_ROOT + DIG_TLD
    + "normal.test.\t\t86400\tIN\tNS\tns1.\\027[2J\\\"q.normal.test.\n;; Received 1 bytes from \x1b[31m#53(\x07) in 99999999999999999999 ms\n",
    "not-dig": "hello world\n",
    "empty": "",
    "received-only": ";; Received 1 bytes from 1.2.3.4#53(x) in 0 ms\n" * 3,
    "long-line": DIG_HEAD + "a" * 5000 + "\tIN\tNS\t" + "b." * 200 + "\n",
    "yaml": "- type: MESSAGE\n  message:\n    type: AUTH_RESPONSE\n    response_address: \"127.53.101.2\"\n"
    "    response_port: 53\n    response_message_data:\n      status: NOERROR\n      ANSWER_SECTION:\n"
    "        - 'www.normal.test. 86400 IN A 192.0.2.1'\n",
}


def write(target, files):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for key, data in files.items():
        if isinstance(data, str):
            data = data.encode("latin-1")
        with open(os.path.join(d, key), "wb") as f:
            f.write(data)


def main():
    msgs = messages()
    write("msg", msgs)
    write("classify", classify_seeds(msgs))
    write("hints", HINTS)
    write("vsdig", VSDIG)


if __name__ == "__main__":
    main()
