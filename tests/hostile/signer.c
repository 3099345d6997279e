/*
 * A hostile DNSSEC signer for tests/hostile/run.sh (issue 26): a root zone and its child zones,
 * each signed on the fly with libcrypto, DS-delegated from the root, so that a trace with the
 * root's key as trust anchor validates them from the top. Some child zones are built the way
 * KeyTrap (CVE-2023-50387) and NSEC3 floods are: many keys sharing one key tag with huge RSA
 * exponents, junk RRSIGs before each valid one, NSEC3 replies with expensive parameters from
 * many addresses. Runs inside the test's own network namespace only.
 *
 * Usage: signer -A ANCHORFILE ROOTADDR CHILDADDR...
 *   ANCHORFILE gets the root's DNSKEY as one presentation line (for --trust-anchor).
 *   ROOTADDR serves the root zone; every CHILDADDR serves every child zone. A one-server
 *   zone is delegated to the first CHILDADDR, a "wide" zone to all of them (at most 64).
 *
 * Child zones (each a top-level name, e.g. www.kt.):
 *   ok.     healthy: one ECDSA P-256 key; answers A 192.0.2.1 (the look-alike)
 *   kt.     KeyTrap: one RSA-2048 key and 63 RSA keys with its key tag (3072-bit modulus and
 *           3072-bit exponent); 20 junk RRSIGs with that tag before each valid RRSIG
 *   kt150.  the same with up to 150 junk RRSIGs per RRset (as many as fit in 64 KB; TCP)
 *   ktw.    kt. behind every CHILDADDR
 *   ktc.    kt.'s keys; c1.ktc. is a CNAME to c2.ktc. ... c9.ktc. has the A record
 *   n3.     NXDOMAIN for every name below the apex with 64 NSEC3 records (150 iterations,
 *           255-byte salt), each signed (ECDSA P-256, a fresh signature per reply), from
 *           every CHILDADDR
 *   exp.    an ECDSA key (the DS designates it) and an RSA key with a 3072-bit exponent
 *           and modulus, whose junk RRSIG comes before each valid one
 */
#define _GNU_SOURCE /* accept4, SOCK_NONBLOCK */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"

#define MAX_ADDR 80
#define MAX_WIDE 64
#define MAX_CONN 128
#define JUNK_KEYS 63
#define BIG_BYTES 384 /* 3072 bits */
#define NSEC3_N 64
#define MSG_LIMIT 65000

#define F_QR 0x8000
#define F_AA 0x0400
#define F_TC 0x0200

/** One zone's key: the real key (@p pkey set) or a junk key (RDATA only). */
typedef struct key {
    EVP_PKEY *pkey;
    uint8_t alg;
    uint16_t tag;
    size_t len;
    uint8_t rdata[4 + 3 + 2 * BIG_BYTES];
} key;

typedef enum { Z_ROOT, Z_OK, Z_KT, Z_KT150, Z_KTW, Z_KTC, Z_N3, Z_EXP, Z_COUNT } zone_id;

static const char *const zone_names[Z_COUNT] = {".",    "ok.",  "kt.", "kt150.",
                                                "ktw.", "ktc.", "n3.", "exp."};

typedef struct zone {
    gt_name name;
    key keys[1 + JUNK_KEYS];
    size_t nkeys;
    unsigned junk;               /* junk RRSIGs before each valid one */
    uint16_t junk_tag;           /* their key tag (algorithm 8) */
    bool wide;                   /* delegated to every child address */
    uint8_t junk_sig[BIG_BYTES]; /* the junk signature (the same in every reply) */
} zone;

static zone zones[Z_COUNT];
static gt_addr child_addr[MAX_ADDR];
static size_t nchild;
static volatile sig_atomic_t stop;
static uint8_t salt[255];

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void die(const char *what)
{
    fprintf(stderr, "signer: %s\n", what);
    exit(1);
}

/* ---- keys ------------------------------------------------------------------------------- */

static void key_rsa(key *k, EVP_PKEY *pkey)
{
    BIGNUM *n = NULL, *e = NULL;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
        die("RSA parameters");
    }
    size_t el = (size_t)BN_num_bytes(e), nl = (size_t)BN_num_bytes(n);
    k->pkey = pkey;
    k->alg = GT_ALG_RSASHA256;
    k->rdata[0] = 1;
    k->rdata[1] = 1; /* flags 257 */
    k->rdata[2] = 3;
    k->rdata[3] = k->alg;
    k->rdata[4] = (uint8_t)el;
    BN_bn2bin(e, k->rdata + 5);
    BN_bn2bin(n, k->rdata + 5 + el);
    k->len = 5 + el + nl;
    k->tag = gt_dnssec_key_tag(k->rdata, k->len);
    BN_free(n);
    BN_free(e);
}

static void key_ec(key *k)
{
    uint8_t pub[65];
    size_t pl = 0;
    k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (k->pkey == NULL ||
        EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &pl) !=
            1 ||
        pl != 65) {
        die("EC key");
    }
    k->alg = GT_ALG_ECDSAP256;
    k->rdata[0] = 1;
    k->rdata[1] = 1;
    k->rdata[2] = 3;
    k->rdata[3] = k->alg;
    memcpy(k->rdata + 4, pub + 1, 64);
    k->len = 68;
    k->tag = gt_dnssec_key_tag(k->rdata, k->len);
}

/* A junk RSA key with a 3072-bit modulus and a 3072-bit exponent whose key tag is @p tag. */
static void key_junk(key *k, uint16_t tag)
{
    memset(k, 0, sizeof(*k));
    k->alg = GT_ALG_RSASHA256;
    k->rdata[0] = 1;
    k->rdata[1] = 0; /* flags 256 */
    k->rdata[2] = 3;
    k->rdata[3] = k->alg;
    k->rdata[4] = 0;
    k->rdata[5] = BIG_BYTES >> 8;
    k->rdata[6] = BIG_BYTES & 0xff;
    RAND_bytes(k->rdata + 7, 2 * BIG_BYTES);
    k->rdata[7] |= 0x80;            /* a full 3072-bit exponent */
    k->rdata[7 + BIG_BYTES] = 0xff; /* a modulus above every junk signature */
    k->len = 7 + 2 * BIG_BYTES;
    /* The last two bytes set so the key tag (RFC 4034 appendix B) is @p tag. */
    k->rdata[k->len - 2] = 0;
    k->rdata[k->len - 1] = 0;
    uint32_t ac0 = 0;
    for (size_t i = 0; i < k->len; i++) {
        ac0 += (i & 1) ? k->rdata[i] : (uint32_t)k->rdata[i] << 8;
    }
    bool odd_first = ((k->len - 2) & 1) != 0; /* which of the two carries the high byte */
    for (uint32_t x = 0; x < 65536; x++) {
        uint32_t ac = ac0 + x;
        ac += (ac >> 16) & 0xFFFF;
        if ((ac & 0xFFFF) == tag) {
            k->rdata[k->len - 2] = (uint8_t)(odd_first ? x : x >> 8);
            k->rdata[k->len - 1] = (uint8_t)(odd_first ? x >> 8 : x);
            break;
        }
    }
    k->tag = gt_dnssec_key_tag(k->rdata, k->len);
    if (k->tag != tag) {
        die("junk key tag");
    }
}

/* ---- replies ---------------------------------------------------------------------------- */

typedef struct rb {
    gt_wbuf w;
    uint16_t counts[3];
    bool full; /* a record did not fit under MSG_LIMIT */
} rb;

static void rb_begin(rb *b, uint8_t *buf, const uint8_t *q, size_t qend, uint16_t flags)
{
    memset(b, 0, sizeof(*b));
    gt_wbuf_init(&b->w, buf, MSG_LIMIT);
    gt_wbuf_bytes(&b->w, q, 2);
    gt_wbuf_u16(&b->w, flags);
    gt_wbuf_u16(&b->w, 1);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_bytes(&b->w, q + 12, qend - 12);
}

static void rb_raw(rb *b, gt_section sec, const gt_name *owner, uint16_t type, uint32_t ttl,
                   const uint8_t *rd, size_t rdlen)
{
    if (b->full || b->w.len + owner->len + 10 + rdlen + 11 > MSG_LIMIT) {
        b->full = true;
        return;
    }
    gt_wbuf_name(&b->w, owner);
    gt_wbuf_u16(&b->w, type);
    gt_wbuf_u16(&b->w, GT_CLASS_IN);
    gt_wbuf_u32(&b->w, ttl);
    gt_wbuf_u16(&b->w, (uint16_t)rdlen);
    gt_wbuf_bytes(&b->w, rd, rdlen);
    b->counts[sec]++;
}

static size_t rb_end(rb *b)
{
    static const uint8_t opt[] = {0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0};
    gt_wbuf_bytes(&b->w, opt, sizeof(opt)); /* EDNS, 1232 bytes, DO=1 */
    b->counts[GT_SEC_ADDITIONAL]++;
    for (int s = 0; s < 3; s++) {
        gt_wbuf_put_u16_at(&b->w, 6 + 2 * (size_t)s, b->counts[s]);
    }
    return b->w.err == GT_OK ? b->w.len : 0;
}

/* An RRset of the reply, kept until it is signed and written. */
typedef struct set {
    gt_rr rr[NSEC3_N];
    uint8_t rd[NSEC3_N][300];
    size_t n;
} set;

static void set_add(set *s, const gt_name *owner, uint16_t type, const uint8_t *rd, size_t len)
{
    if (s->n == NSEC3_N || len > sizeof(s->rd[0])) {
        die("set full");
    }
    memcpy(s->rd[s->n], rd, len);
    s->rr[s->n] = (gt_rr){.owner = *owner,
                          .type = type,
                          .cls = GT_CLASS_IN,
                          .ttl = 3600,
                          .rdlen = (uint16_t)len,
                          .rdata = s->rd[s->n]};
    s->n++;
}

static void set_text(set *s, const char *owner, const char *type, const char *text)
{
    gt_name n;
    uint16_t t;
    uint8_t rd[300];
    size_t len;
    if (gt_name_from_str(&n, owner) != GT_OK || gt_type_from_str(type, &t) != GT_OK ||
        gt_rdata_from_str(t, text, rd, sizeof(rd), &len) != GT_OK) {
        die("bad record text");
    }
    set_add(s, &n, t, rd, len);
}

/* RRSIG RDATA header (without signature) for @p s by zone @p z's key @p k into @p out. */
static size_t sig_head(const set *s, const zone *z, uint16_t tag, uint8_t alg, uint8_t *out)
{
    gt_wbuf w;
    uint32_t now = (uint32_t)time(NULL);
    gt_wbuf_init(&w, out, 300);
    gt_wbuf_u16(&w, s->rr[0].type);
    gt_wbuf_u8(&w, alg);
    gt_wbuf_u8(&w, (uint8_t)gt_name_labels(&s->rr[0].owner));
    gt_wbuf_u32(&w, 3600);
    gt_wbuf_u32(&w, now + 30u * 86400u);
    gt_wbuf_u32(&w, now - 3600u);
    gt_wbuf_u16(&w, tag);
    gt_wbuf_name(&w, &z->name);
    return w.len;
}

/* The valid RRSIG of @p s by @p k into @p out; @return its RDATA length. */
static size_t sign(const set *s, const zone *z, const key *k, uint8_t *out)
{
    size_t hl = sig_head(s, z, k->tag, k->alg, out);
    uint8_t *data = NULL, sig[512];
    size_t dl = 0, sl = sizeof(sig);
    out[hl] = 0; /* a placeholder signature byte for the parser */
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (gt_dnssec_signed_data(s->rr, s->n, out, hl + 1, &data, &dl) != GT_OK || m == NULL ||
        EVP_DigestSignInit_ex(m, NULL, "SHA256", NULL, NULL, k->pkey, NULL) != 1 ||
        EVP_DigestSign(m, sig, &sl, data, dl) != 1) {
        die("signing");
    }
    EVP_MD_CTX_free(m);
    free(data);
    if (k->alg == GT_ALG_ECDSAP256) {
        const unsigned char *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sl);
        if (es == NULL) {
            die("ECDSA signature");
        }
        BN_bn2binpad(ECDSA_SIG_get0_r(es), out + hl, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(es), out + hl + 32, 32);
        ECDSA_SIG_free(es);
        return hl + 64;
    }
    memcpy(out + hl, sig, sl);
    return hl + sl;
}

/* Write @p s into section @p sec with its RRSIGs: the zone's junk ones first, then the valid. */
static void put_signed(rb *b, gt_section sec, const set *s, const zone *z)
{
    uint8_t rd[1024];
    for (size_t i = 0; i < s->n; i++) {
        rb_raw(b, sec, &s->rr[i].owner, s->rr[i].type, 3600, s->rr[i].rdata, s->rr[i].rdlen);
    }
    for (unsigned j = 0; j < z->junk && b->w.len + 1200 < MSG_LIMIT;
         j++) { /* room for the valid one */
        size_t hl = sig_head(s, z, z->junk_tag, GT_ALG_RSASHA256, rd);
        memcpy(rd + hl, z->junk_sig, BIG_BYTES);
        rd[hl + BIG_BYTES - 1] ^= (uint8_t)j; /* each junk RRSIG its own */
        rb_raw(b, sec, &s->rr[0].owner, GT_TYPE_RRSIG, 3600, rd, hl + BIG_BYTES);
    }
    if (z->keys[0].pkey != NULL) {
        size_t len = sign(s, z, &z->keys[0], rd);
        rb_raw(b, sec, &s->rr[0].owner, GT_TYPE_RRSIG, 3600, rd, len);
    }
}

static void put_dnskeys(rb *b, const zone *z)
{
    static set s;
    s.n = 0;
    for (size_t i = 0; i < z->nkeys; i++) {
        if (s.n == NSEC3_N) {
            break;
        }
        /* the keys' RDATA is longer than the set's own slots: borrowed from the zone */
        s.rr[s.n] = (gt_rr){.owner = z->name,
                            .type = GT_TYPE_DNSKEY,
                            .cls = GT_CLASS_IN,
                            .ttl = 3600,
                            .rdlen = (uint16_t)z->keys[i].len,
                            .rdata = z->keys[i].rdata};
        s.n++;
    }
    put_signed(b, GT_SEC_ANSWER, &s, z);
}

static void put_soa(rb *b, gt_section sec, const zone *z)
{
    static set s;
    char owner[GT_NAME_STRLEN], text[GT_NAME_STRLEN * 3];
    s.n = 0;
    gt_name_to_str(&z->name, owner, sizeof(owner));
    snprintf(text, sizeof(text), "ns1.%s hostmaster.%s 1 3600 600 86400 300",
             z->name.len == 1 ? "root.invalid." : owner, z->name.len == 1 ? "invalid." : owner);
    set_text(&s, owner, "SOA", text);
    put_signed(b, sec, &s, z);
}

static size_t nservers(const zone *z)
{
    return z->wide ? (nchild < MAX_WIDE ? nchild : MAX_WIDE) : 1;
}

static void ns_name(const zone *z, size_t i, char *out, size_t size)
{
    char zn[GT_NAME_STRLEN];
    gt_name_to_str(&z->name, zn, sizeof(zn));
    if (snprintf(out, size, "ns%zu.%s", i + 1, zn) >= (int)size) {
        die("name too long");
    }
}

/* The root's referral to child zone @p z: NS, DS (signed by the root), glue. */
static void referral(rb *b, const zone *z)
{
    static set s;
    char zn[GT_NAME_STRLEN], ns[GT_NAME_STRLEN];
    uint8_t ds[4 + GT_DIGEST_MAX];
    size_t dl = 0;
    gt_name_to_str(&z->name, zn, sizeof(zn));
    for (size_t i = 0; i < nservers(z); i++) {
        ns_name(z, i, ns, sizeof(ns));
        gt_name n;
        gt_name_from_str(&n, ns);
        rb_raw(b, GT_SEC_AUTHORITY, &z->name, GT_TYPE_NS, 3600, n.data, n.len);
    }
    s.n = 0;
    ds[0] = (uint8_t)(z->keys[0].tag >> 8);
    ds[1] = (uint8_t)z->keys[0].tag;
    ds[2] = z->keys[0].alg;
    ds[3] = GT_DIGEST_SHA256;
    if (gt_ds_digest(&z->name, z->keys[0].rdata, z->keys[0].len, GT_DIGEST_SHA256, ds + 4, &dl) !=
        GT_DSEC_OK) {
        die("DS digest");
    }
    set_add(&s, &z->name, GT_TYPE_DS, ds, 4 + dl);
    put_signed(b, GT_SEC_AUTHORITY, &s, &zones[Z_ROOT]);
    for (size_t i = 0; i < nservers(z); i++) {
        gt_name n;
        ns_name(z, i, ns, sizeof(ns));
        gt_name_from_str(&n, ns);
        rb_raw(b, GT_SEC_ADDITIONAL, &n, child_addr[i].family == AF_INET ? GT_TYPE_A : GT_TYPE_AAAA,
               3600, child_addr[i].bytes, child_addr[i].family == AF_INET ? 4 : 16);
    }
}

static const char b32[] = "0123456789abcdefghijklmnopqrstuv";

/* NXDOMAIN of zone @p z: SOA and NSEC3_N NSEC3 records with random hashes, each signed. */
static void nsec3_flood(rb *b, const zone *z)
{
    static set s;
    char zn[GT_NAME_STRLEN], owner[GT_NAME_STRLEN + 40];
    uint8_t rd[300], h[20];
    gt_name_to_str(&z->name, zn, sizeof(zn));
    put_soa(b, GT_SEC_AUTHORITY, z);
    for (int i = 0; i < NSEC3_N && !b->full; i++) {
        gt_wbuf w;
        char label[33];
        RAND_bytes(h, sizeof(h));
        for (int c = 0; c < 32; c++) { /* 160 bits in base32hex */
            unsigned bit = (unsigned)c * 5u, v = 0;
            for (unsigned k = 0; k < 5; k++) {
                v = v << 1 | (((unsigned)h[(bit + k) / 8] >> (7u - (bit + k) % 8u)) & 1u);
            }
            label[c] = b32[v];
        }
        label[32] = '\0';
        snprintf(owner, sizeof(owner), "%s.%s", label, zn);
        gt_wbuf_init(&w, rd, sizeof(rd));
        gt_wbuf_u8(&w, 1);
        gt_wbuf_u8(&w, 0);
        gt_wbuf_u16(&w, 150);
        gt_wbuf_u8(&w, 255);
        gt_wbuf_bytes(&w, salt, 255);
        gt_wbuf_u8(&w, 20);
        RAND_bytes(h, sizeof(h));
        gt_wbuf_bytes(&w, h, 20);
        gt_wbuf_bytes(&w, (const uint8_t *)"\x00\x01\x40", 3); /* A */
        gt_name n;
        gt_name_from_str(&n, owner);
        s.n = 0;
        set_add(&s, &n, GT_TYPE_NSEC3, rd, w.len);
        put_signed(b, GT_SEC_AUTHORITY, &s, z);
    }
}

/* The zone of @p qname: the child zone it is in, or the root. */
static const zone *zone_of(const gt_name *qname)
{
    for (int i = 1; i < Z_COUNT; i++) {
        if (gt_name_is_under(qname, &zones[i].name)) {
            return &zones[i];
        }
    }
    return &zones[Z_ROOT];
}

/*
 * n3.'s replies, signed once per server address (each its own fresh ECDSA signatures, as
 * servers of a zone signed on the fly would give): the records after the question of its
 * NXDOMAIN [0] and DNSKEY [1] replies, so one signer process keeps up with 64 addresses.
 */
typedef struct cached {
    uint8_t *rec;
    size_t len;
    uint16_t counts[3];
} cached;

static cached n3_cache[MAX_ADDR][2];

/*
 * Every other reply, signed once per (server kind, name, type): RSA signatures are
 * deterministic and any valid ECDSA one will do, so one signer keeps up with a burst of
 * queries to 64 addresses even on a loaded machine (the timeouts a test counts must be
 * gluetrace's, not the signer's).
 */
#define REPLY_CACHE 1024

typedef struct reply_entry {
    bool root;
    gt_name qname;
    uint16_t qtype;
    uint8_t *msg; /* the whole reply as built, before truncation */
    size_t len;
} reply_entry;

static reply_entry reply_cache[REPLY_CACHE];
static size_t nreply_cache;

/* The reply of server @p ci (-1: the root) to query @p q. @return its length, 0 for none. */
static size_t answer(int ci, const uint8_t *q, size_t qlen, bool tcp, uint8_t *out)
{
    bool root = ci < 0;
    gt_cursor c;
    gt_name qname;
    rb b;
    static set s;
    char zn[GT_NAME_STRLEN], text[GT_NAME_STRLEN * 2];
    gt_cursor_init(&c, q, qlen);
    gt_cursor_skip(&c, 12);
    gt_cursor_name(&c, &qname);
    uint16_t qtype = gt_cursor_u16(&c);
    gt_cursor_skip(&c, 2);
    if (c.err != GT_OK || qlen < 12) {
        return 0;
    }
    size_t qend = c.pos;
    const zone *z = zone_of(&qname);
    size_t len = 0;
    reply_entry *hit = NULL;
    if (z != &zones[Z_N3]) {
        for (size_t i = 0; i < nreply_cache && hit == NULL; i++) {
            reply_entry *r = &reply_cache[i];
            if (r->root == root && r->qtype == qtype && gt_name_eq(&r->qname, &qname)) {
                hit = r;
            }
        }
    }
    if (hit != NULL) {
        memcpy(out, hit->msg, hit->len);
        memcpy(out, q, 2);                   /* the query's ID */
        memcpy(out + 12, q + 12, qend - 12); /* its question, as it spelt it */
        len = hit->len;
        goto truncate;
    }
    gt_name_to_str(&z->name, zn, sizeof(zn));
    s.n = 0;
    if (root && z != &zones[Z_ROOT]) {
        rb_begin(&b, out, q, qend, F_QR);
        referral(&b, z);
    } else if (!root && z == &zones[Z_ROOT]) {
        rb_begin(&b, out, q, qend, F_QR | 5); /* REFUSED: not ours */
    } else if (z == &zones[Z_N3] && (qtype == GT_TYPE_DNSKEY || !gt_name_eq(&qname, &z->name))) {
        bool keys = gt_name_eq(&qname, &z->name);
        cached *nc = &n3_cache[ci][keys];
        rb_begin(&b, out, q, qend, (uint16_t)(F_QR | F_AA | (keys ? 0 : GT_RCODE_NXDOMAIN)));
        size_t start = b.w.len;
        if (nc->rec != NULL) {
            gt_wbuf_bytes(&b.w, nc->rec, nc->len);
            memcpy(b.counts, nc->counts, sizeof(b.counts));
        } else {
            if (keys) {
                put_dnskeys(&b, z);
            } else {
                nsec3_flood(&b, z);
            }
            nc->len = b.w.len - start;
            nc->rec = malloc(nc->len > 0 ? nc->len : 1);
            if (nc->rec == NULL) {
                die("out of memory");
            }
            memcpy(nc->rec, out + start, nc->len);
            memcpy(nc->counts, b.counts, sizeof(b.counts));
        }
    } else if (gt_name_eq(&qname, &z->name) && qtype == GT_TYPE_DNSKEY) {
        rb_begin(&b, out, q, qend, F_QR | F_AA);
        put_dnskeys(&b, z);
    } else if (gt_name_eq(&qname, &z->name) && qtype == GT_TYPE_NS) {
        rb_begin(&b, out, q, qend, F_QR | F_AA);
        for (size_t i = 0; i < nservers(z) && z != &zones[Z_ROOT]; i++) {
            ns_name(z, i, text, sizeof(text));
            set_text(&s, zn, "NS", text);
        }
        if (s.n == 0) {
            set_text(&s, ".", "NS", "a.root.invalid.");
        }
        put_signed(&b, GT_SEC_ANSWER, &s, z);
    } else if (z == &zones[Z_KTC] && qname.len > 2 && qname.data[1] == 'c' &&
               qname.data[2] >= '1' && qname.data[2] < '9' && qname.data[0] == 2) {
        rb_begin(&b, out, q, qend, F_QR | F_AA);
        char owner[GT_NAME_STRLEN];
        gt_name_to_str(&qname, owner, sizeof(owner));
        snprintf(text, sizeof(text), "c%c.%s", qname.data[2] + 1, zn);
        set_text(&s, owner, "CNAME", text);
        put_signed(&b, GT_SEC_ANSWER, &s, z);
    } else if (qtype == GT_TYPE_A && z != &zones[Z_ROOT] && !gt_name_eq(&qname, &z->name)) {
        rb_begin(&b, out, q, qend, F_QR | F_AA);
        char owner[GT_NAME_STRLEN], a[GT_ADDR_STRLEN] = "192.0.2.1";
        gt_name_to_str(&qname, owner, sizeof(owner));
        for (size_t i = 0; i < nservers(z); i++) {
            ns_name(z, i, text, sizeof(text));
            if (strcmp(text, owner) == 0 && child_addr[i].family == AF_INET) {
                gt_addr_to_str(&child_addr[i], a, sizeof(a));
            }
        }
        set_text(&s, owner, "A", a);
        put_signed(&b, GT_SEC_ANSWER, &s, z);
    } else {
        rb_begin(&b, out, q, qend, F_QR | F_AA);
        put_soa(&b, GT_SEC_AUTHORITY, z);
    }
    len = rb_end(&b);
    if (len > 0 && z != &zones[Z_N3] && nreply_cache < REPLY_CACHE) {
        reply_entry *r = &reply_cache[nreply_cache];
        r->msg = malloc(len);
        if (r->msg != NULL) {
            memcpy(r->msg, out, len);
            r->len = len;
            r->root = root;
            r->qname = qname;
            r->qtype = qtype;
            nreply_cache++;
        }
    }
truncate:
    if (!tcp && len > 1232) {
        /* Truncated: the zone's SOA kept in AUTHORITY, so a bulk run's pacer does not take
         * the reply for a rate limiter's empty "slip" (transport/pace.c) and goes to TCP. */
        rb_begin(&b, out, q, qend, F_QR | F_AA | F_TC);
        static const uint8_t soa[] = {2, 'n', 's',  0,    2,    'h',  'm', 0,   0, 0,
                                      0, 1,   0,    0,    0x0e, 0x10, 0,   0,   2, 0x58,
                                      0, 1,   0x51, 0x80, 0,    0,    1,   0x2c};
        rb_raw(&b, GT_SEC_AUTHORITY, &z->name, GT_TYPE_SOA, 3600, soa, sizeof(soa));
        len = rb_end(&b);
    }
    return len;
}

/* ---- sockets -------------------------------------------------------------------------- */

typedef struct listener {
    int ci; /* child address index, -1 for the root */
    int udp, tcp;
} listener;

typedef struct conn {
    const listener *l;
    size_t inlen;
    uint8_t in[2 + 512];
    int fd;
} conn;

static listener ls[MAX_ADDR + 1];
static size_t nls;
static conn cs[MAX_CONN];

static int open_sock(const gt_addr *a, int type)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    if (a->family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(53);
        memcpy(&s4->sin_addr, a->bytes, 4);
        sl = sizeof(*s4);
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(53);
        memcpy(&s6->sin6_addr, a->bytes, 16);
        sl = sizeof(*s6);
    }
    int fd = socket(a->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) != 0 || (type == SOCK_STREAM && listen(fd, 64) != 0)) {
        die(strerror(errno));
    }
    return fd;
}

static void serve_udp(const listener *l)
{
    static uint8_t q[4096], out[GT_MSG_MAX];
    struct sockaddr_storage from;
    socklen_t fl = sizeof(from);
    ssize_t n = recvfrom(l->udp, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
    if (n >= 12) {
        size_t len = answer(l->ci, q, (size_t)n, false, out);
        if (len > 0) {
            sendto(l->udp, out, len, 0, (struct sockaddr *)&from, fl);
        }
    }
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pf = {fd, POLLOUT, 0};
            if (poll(&pf, 1, 1000) <= 0) {
                return;
            }
            continue;
        }
        if (w <= 0) {
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void serve_conn(conn *c)
{
    static uint8_t out[2 + GT_MSG_MAX];
    ssize_t n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);
    if (n <= 0) {
        close(c->fd);
        c->fd = -1;
        return;
    }
    c->inlen += (size_t)n;
    while (c->inlen >= 2) {
        size_t mlen = (size_t)(c->in[0] << 8 | c->in[1]);
        if (mlen > sizeof(c->in) - 2) {
            close(c->fd);
            c->fd = -1;
            return;
        }
        if (c->inlen < 2 + mlen) {
            return;
        }
        size_t len = answer(c->l->ci, c->in + 2, mlen, true, out + 2);
        memmove(c->in, c->in + 2 + mlen, c->inlen - 2 - mlen);
        c->inlen -= 2 + mlen;
        if (len > 0) {
            out[0] = (uint8_t)(len >> 8);
            out[1] = (uint8_t)len;
            write_all(c->fd, out, len + 2);
        }
    }
}

/* ---- set-up ----------------------------------------------------------------------------- */

static void make_zones(void)
{
    RAND_bytes(salt, sizeof(salt));
    for (int i = 0; i < Z_COUNT; i++) {
        zone *z = &zones[i];
        if (gt_name_from_str(&z->name, zone_names[i]) != GT_OK) {
            die("zone name");
        }
        z->wide = i == Z_KTW || i == Z_N3;
        switch ((zone_id)i) {
        case Z_ROOT:
        case Z_OK:
        case Z_N3:
            key_ec(&z->keys[0]);
            z->nkeys = 1;
            break;
        case Z_EXP:
            key_ec(&z->keys[0]);
            key_junk(&z->keys[1], 4242);
            z->nkeys = 2;
            z->junk = 1;
            z->junk_tag = 4242;
            RAND_bytes(z->junk_sig, sizeof(z->junk_sig));
            z->junk_sig[0] = 0x01;
            break;
        default: {
            EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
            if (p == NULL) {
                die("RSA key");
            }
            key_rsa(&z->keys[0], p);
            z->nkeys = 1 + JUNK_KEYS;
            for (size_t k = 1; k < z->nkeys; k++) {
                key_junk(&z->keys[k], z->keys[0].tag);
            }
            z->junk = i == Z_KT150 ? 150 : 20;
            z->junk_tag = z->keys[0].tag;
            RAND_bytes(z->junk_sig, sizeof(z->junk_sig));
            z->junk_sig[0] = 0x01; /* below every junk modulus */
            break;
        }
        }
    }
}

static void write_anchor(const char *path)
{
    char text[1024];
    const key *k = &zones[Z_ROOT].keys[0];
    FILE *f = fopen(path, "w");
    if (f == NULL || gt_rdata_to_str(GT_TYPE_DNSKEY, k->rdata, k->len, text, sizeof(text)) == 0) {
        die("anchor file");
    }
    fprintf(f, ". 3600 IN DNSKEY %s\n", text);
    if (fclose(f) != 0) {
        die("anchor file");
    }
}

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[1], "-A") != 0) {
        fprintf(stderr, "usage: signer -A ANCHORFILE ROOTADDR CHILDADDR...\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    make_zones();
    write_anchor(argv[2]);
    for (int i = 3; i < argc && nls < MAX_ADDR + 1; i++) {
        gt_addr a;
        if (gt_addr_parse(argv[i], &a) != GT_OK) {
            fprintf(stderr, "signer: bad address %s\n", argv[i]);
            return 2;
        }
        ls[nls].ci = i - 4;
        ls[nls].udp = open_sock(&a, SOCK_DGRAM);
        ls[nls].tcp = open_sock(&a, SOCK_STREAM);
        if (i > 3) {
            child_addr[nchild++] = a;
        }
        nls++;
    }
    for (size_t k = 0; k < MAX_CONN; k++) {
        cs[k].fd = -1;
    }
    printf("ready\n");
    fflush(stdout);
    while (!stop) {
        struct pollfd pf[2 * (MAX_ADDR + 1) + MAX_CONN];
        size_t np = 0;
        for (size_t k = 0; k < nls; k++) {
            pf[np++] = (struct pollfd){ls[k].udp, POLLIN, 0};
            pf[np++] = (struct pollfd){ls[k].tcp, POLLIN, 0};
        }
        for (size_t k = 0; k < MAX_CONN; k++) {
            if (cs[k].fd >= 0) {
                pf[np++] = (struct pollfd){cs[k].fd, POLLIN, 0};
            }
        }
        if (poll(pf, np, 1000) < 0 && errno != EINTR) {
            die("poll");
        }
        for (size_t k = 0; k < nls; k++) {
            if (pf[2 * k].revents & POLLIN) {
                serve_udp(&ls[k]);
            }
            if (pf[2 * k + 1].revents & POLLIN) {
                int fd = accept4(ls[k].tcp, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                size_t slot;
                for (slot = 0; fd >= 0 && slot < MAX_CONN && cs[slot].fd >= 0; slot++) {
                }
                if (fd >= 0 && slot == MAX_CONN) {
                    close(fd);
                } else if (fd >= 0) {
                    memset(&cs[slot], 0, sizeof(cs[slot]));
                    cs[slot].fd = fd;
                    cs[slot].l = &ls[k];
                }
            }
        }
        for (size_t k = 2 * nls; k < np; k++) {
            for (size_t s = 0; s < MAX_CONN; s++) {
                if (cs[s].fd == pf[k].fd && (pf[k].revents & (POLLIN | POLLHUP | POLLERR))) {
                    serve_conn(&cs[s]);
                }
            }
        }
    }
    return 0;
}
