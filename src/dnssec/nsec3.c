/*
 * NSEC3: hashing (RFC 5155 5), base32hex owner labels (RFC 4648 7) and denial proofs
 * (RFC 5155 8, with the iteration limit of RFC 9276 3.2).
 */
#include <string.h>

#include <openssl/evp.h>

#include "gluetrace/dnssec/denial.h"
#include "internal.h"

gt_dsec_code gt_nsec3_parse(const uint8_t *rdata, size_t len, gt_nsec3 *out)
{
    memset(out, 0, sizeof(*out));
    if (rdata == NULL || len < 5) {
        return GT_DSEC_MALFORMED;
    }
    out->hash_alg = rdata[0];
    out->flags = rdata[1];
    out->iterations = dsec_u16(rdata + 2);
    out->saltlen = rdata[4];
    size_t off = 5 + out->saltlen;
    if (off >= len) {
        return GT_DSEC_MALFORMED;
    }
    out->salt = rdata + 5;
    out->nextlen = rdata[off];
    out->next = rdata + off + 1;
    off += 1 + out->nextlen;
    if (out->nextlen == 0 || off > len || !gt_nsec_bitmap_valid(rdata + off, len - off)) {
        return GT_DSEC_MALFORMED;
    }
    out->bitmap = rdata + off;
    out->bitmaplen = len - off;
    return GT_DSEC_OK;
}

gt_dsec_code gt_nsec3_hash(const gt_name *name, uint8_t hash_alg, const uint8_t *salt,
                           size_t saltlen, uint16_t iterations, uint8_t *out)
{
    gt_dsec_code code = GT_DSEC_NOMEM;
    gt_name lower = *name;
    EVP_MD_CTX *ctx = NULL;
    const EVP_MD *md = NULL;

    if (hash_alg != GT_NSEC3_HASH_SHA1) {
        return GT_DSEC_UNSUPPORTED_DIGEST;
    }
    gt_dnssec_name_lower(&lower);
    ctx = EVP_MD_CTX_new();
    md = dsec_md(DSEC_SHA1);
    if (ctx == NULL || md == NULL) {
        goto done;
    }
    /* IH(0) = H(name | salt); IH(k) = H(IH(k-1) | salt). */
    for (unsigned k = 0; k <= iterations; k++) {
        const uint8_t *in = k == 0 ? lower.data : out;
        size_t inlen = k == 0 ? lower.len : GT_NSEC3_HASH_LEN;
        unsigned int got = 0;

        if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, in, inlen) != 1 ||
            EVP_DigestUpdate(ctx, salt, saltlen) != 1 || EVP_DigestFinal_ex(ctx, out, &got) != 1 ||
            got != GT_NSEC3_HASH_LEN) {
            goto done;
        }
    }
    code = GT_DSEC_OK;
done:
    EVP_MD_CTX_free(ctx);
    return code;
}

static int b32hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'v') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'V') {
        return c - 'A' + 10;
    }
    return -1;
}

gt_status gt_base32hex_decode(const char *text, size_t len, uint8_t *out, size_t cap,
                              size_t *outlen)
{
    return dsec_decode_bits(text, len, 5, b32hex_value, out, cap, outlen, GT_EINVAL);
}

/** One usable NSEC3 record: its parsed RDATA and owner hash. */
typedef struct nsec3_view {
    const gt_rr *rr;         /**< the record (borrowed) */
    gt_nsec3 d;              /**< its RDATA */
    uint8_t owner_hash[255]; /**< decoded first label of the owner */
    size_t owner_hashlen;    /**< its length (must equal d.nextlen) */
} nsec3_view;

/** The proof's context: the records and the zone. */
typedef struct nsec3_ctx {
    const gt_rr *rrs;    /**< the records given (borrowed) */
    size_t n;            /**< their count */
    const gt_name *zone; /**< the zone */
} nsec3_ctx;

/** Parse record @p i into @p v when it is a usable NSEC3 of the zone. */
static bool nsec3_view_of(const nsec3_ctx *c, size_t i, nsec3_view *v)
{
    const gt_rr *rr = &c->rrs[i];
    gt_name parent;

    if (rr->type != GT_TYPE_NSEC3 || gt_name_labels(&rr->owner) != gt_name_labels(c->zone) + 1 ||
        gt_nsec3_parse(rr->rdata, rr->rdlen, &v->d) != GT_DSEC_OK ||
        v->d.hash_alg != GT_NSEC3_HASH_SHA1) {
        return false;
    }
    gt_name_suffix(&rr->owner, 1, &parent);
    if (!gt_name_eq(&parent, c->zone) ||
        gt_base32hex_decode((const char *)rr->owner.data + 1, rr->owner.data[0], v->owner_hash,
                            sizeof(v->owner_hash), &v->owner_hashlen) != GT_OK ||
        v->owner_hashlen != v->d.nextlen) {
        return false;
    }
    v->rr = rr;
    return true;
}

static int hash_cmp(const uint8_t *a, const uint8_t *b, size_t len)
{
    return memcmp(a, b, len);
}

/**
 * Find an NSEC3 that matches (@p want_match) or covers @p name, each record hashed with its
 * own parameters. @return GT_DSEC_OK when found, GT_DSEC_NO_PROOF, or GT_DSEC_NOMEM.
 */
static gt_dsec_code nsec3_find(const nsec3_ctx *c, const gt_name *name, bool want_match,
                               nsec3_view *out)
{
    for (size_t i = 0; i < c->n; i++) {
        uint8_t h[GT_NSEC3_HASH_LEN];

        if (!nsec3_view_of(c, i, out) || out->d.nextlen != GT_NSEC3_HASH_LEN) {
            continue;
        }
        if (gt_nsec3_hash(name, out->d.hash_alg, out->d.salt, out->d.saltlen, out->d.iterations,
                          h) != GT_DSEC_OK) {
            return GT_DSEC_NOMEM;
        }
        int vs_owner = hash_cmp(h, out->owner_hash, GT_NSEC3_HASH_LEN);
        int vs_next = hash_cmp(h, out->d.next, GT_NSEC3_HASH_LEN);
        bool wraps = hash_cmp(out->owner_hash, out->d.next, GT_NSEC3_HASH_LEN) >= 0;
        bool covers = wraps ? (vs_owner > 0 || vs_next < 0) : (vs_owner > 0 && vs_next < 0);
        if (want_match ? vs_owner == 0 : covers) {
            return GT_DSEC_OK;
        }
    }
    return GT_DSEC_NO_PROOF;
}

/** A closest encloser proof (RFC 5155 8.3). */
typedef struct ce_proof {
    gt_name ce;          /**< closest encloser */
    gt_name next;        /**< next closer name */
    nsec3_view covering; /**< the NSEC3 covering the next closer name */
} ce_proof;

/**
 * Closest encloser proof for @p qname: the longest existing ancestor (matched) whose NSEC3
 * is neither a delegation nor a DNAME, and a covered next closer name.
 */
static gt_dsec_code closest_encloser(const nsec3_ctx *c, const gt_name *qname, ce_proof *p,
                                     gt_dsec_result *res)
{
    unsigned ql = gt_name_labels(qname), zl = gt_name_labels(c->zone);
    nsec3_view m;

    memset(p, 0, sizeof(*p));
    if (ql < zl) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the name is not in the zone");
    }
    for (unsigned drop = 1; drop <= ql - zl; drop++) {
        gt_name_suffix(qname, drop, &p->ce);
        gt_dsec_code code = nsec3_find(c, &p->ce, true, &m);
        if (code == GT_DSEC_NOMEM) {
            return dsec_set(res, code, "out of memory while hashing");
        }
        if (code != GT_DSEC_OK) {
            continue;
        }
        const uint8_t *b = m.d.bitmap;
        size_t l = m.d.bitmaplen;
        if (gt_nsec_bitmap_has(b, l, GT_TYPE_DNAME) ||
            (gt_nsec_bitmap_has(b, l, GT_TYPE_NS) && !gt_nsec_bitmap_has(b, l, GT_TYPE_SOA))) {
            return dsec_set(res, GT_DSEC_NO_PROOF, "closest encloser is a delegation or DNAME");
        }
        gt_name_suffix(qname, drop - 1, &p->next);
        code = nsec3_find(c, &p->next, false, &p->covering);
        if (code != GT_DSEC_OK) {
            return dsec_set(res, code, "no NSEC3 covers the next closer name");
        }
        return GT_DSEC_OK;
    }
    return dsec_set(res, GT_DSEC_NO_PROOF, "no closest encloser is matched");
}

/** NODATA at a matched NSEC3 (RFC 5155 8.5, 8.6, 8.7). */
static gt_dsec_code nodata_at(const nsec3_view *m, uint16_t qtype, const char *what,
                              gt_dsec_result *res)
{
    const uint8_t *b = m->d.bitmap;
    size_t l = m->d.bitmaplen;

    if (gt_nsec_bitmap_has(b, l, qtype) || gt_nsec_bitmap_has(b, l, GT_TYPE_CNAME)) {
        return dsec_set(res, GT_DSEC_TYPE_EXISTS,
                        "the NSEC3 bitmap of the %s lists type %u or "
                        "CNAME",
                        what, qtype);
    }
    if (qtype != GT_TYPE_DS && gt_nsec_bitmap_has(b, l, GT_TYPE_NS) &&
        !gt_nsec_bitmap_has(b, l, GT_TYPE_SOA)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the NSEC3 is a delegation's (NS without SOA)");
    }
    return dsec_set(res, GT_DSEC_OK, "NODATA: the NSEC3 bitmap of the %s lacks type %u", what,
                    qtype);
}

static gt_dsec_code prove_nxdomain(const nsec3_ctx *c, const gt_name *qname, gt_dsec_result *res)
{
    ce_proof p;
    nsec3_view v;
    gt_name star;

    gt_dsec_code code = nsec3_find(c, qname, true, &v);
    if (code == GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "an NSEC3 matches the name");
    }
    code = closest_encloser(c, qname, &p, res);
    if (code != GT_DSEC_OK) {
        return code;
    }
    if (!dsec_wildcard_of(&p.ce, &star)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no room for a wildcard name");
    }
    if (nsec3_find(c, &star, true, &v) == GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_WILDCARD_EXISTS, "an NSEC3 matches the wildcard");
    }
    if (nsec3_find(c, &star, false, &v) != GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC3 covers the wildcard");
    }
    return dsec_set(res, GT_DSEC_OK, "NXDOMAIN: closest encloser proven, wildcard covered");
}

static gt_dsec_code prove_nodata(const nsec3_ctx *c, const gt_name *qname, uint16_t qtype,
                                 gt_dsec_result *res)
{
    ce_proof p;
    nsec3_view v;
    gt_name star;

    if (nsec3_find(c, qname, true, &v) == GT_DSEC_OK) {
        return nodata_at(&v, qtype, "name", res);
    }
    gt_dsec_code code = closest_encloser(c, qname, &p, res);
    if (code != GT_DSEC_OK) {
        return code;
    }
    /* 8.6: no DS and an opt-out span over the next closer name: an unsigned delegation. */
    if (qtype == GT_TYPE_DS && (p.covering.d.flags & GT_NSEC3_FLAG_OPTOUT) != 0) {
        return dsec_set(res, GT_DSEC_INSECURE, "no DS: opt-out NSEC3 covers the next closer");
    }
    if (dsec_wildcard_of(&p.ce, &star) && nsec3_find(c, &star, true, &v) == GT_DSEC_OK) {
        return nodata_at(&v, qtype, "wildcard", res);
    }
    return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC3 matches the name or its wildcard");
}

static gt_dsec_code prove_no_ds(const nsec3_ctx *c, const gt_name *qname, gt_dsec_result *res)
{
    ce_proof p;
    nsec3_view v;

    if (nsec3_find(c, qname, true, &v) == GT_DSEC_OK) {
        const uint8_t *b = v.d.bitmap;
        size_t l = v.d.bitmaplen;
        if (gt_nsec_bitmap_has(b, l, GT_TYPE_DS)) {
            return dsec_set(res, GT_DSEC_TYPE_EXISTS, "the NSEC3 bitmap lists DS");
        }
        if (!gt_nsec_bitmap_has(b, l, GT_TYPE_NS) || gt_nsec_bitmap_has(b, l, GT_TYPE_SOA)) {
            return dsec_set(res, GT_DSEC_NO_PROOF, "the NSEC3 is not a delegation's");
        }
        return dsec_set(res, GT_DSEC_INSECURE, "insecure delegation: NS without DS");
    }
    gt_dsec_code code = closest_encloser(c, qname, &p, res);
    if (code != GT_DSEC_OK) {
        return code;
    }
    if ((p.covering.d.flags & GT_NSEC3_FLAG_OPTOUT) == 0) {
        return dsec_set(res, GT_DSEC_NO_PROOF,
                        "the NSEC3 covering the next closer name has no "
                        "opt-out flag");
    }
    return dsec_set(res, GT_DSEC_INSECURE, "insecure delegation: covered by an opt-out NSEC3");
}

gt_dsec_code gt_nsec3_prove(const gt_rr *nsec3s, size_t n, const gt_name *zone,
                            const gt_name *qname, uint16_t qtype, gt_deny_kind kind,
                            gt_dsec_result *res)
{
    nsec3_ctx c = {nsec3s, n, zone};
    nsec3_view v;

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
    }
    if (!gt_name_is_under(qname, zone)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the name is not in the zone");
    }
    for (size_t i = 0; i < n; i++) {
        if (nsec3_view_of(&c, i, &v) && v.d.iterations > GT_NSEC3_MAX_ITERATIONS) {
            return dsec_set(res, GT_DSEC_ITERATIONS,
                            "NSEC3 iterations %u > %u (RFC 9276): "
                            "insecure",
                            v.d.iterations, GT_NSEC3_MAX_ITERATIONS);
        }
    }
    switch (kind) {
    case GT_DENY_NXDOMAIN:
        return prove_nxdomain(&c, qname, res);
    case GT_DENY_NODATA:
        return prove_nodata(&c, qname, qtype, res);
    case GT_DENY_NO_DS:
        return prove_no_ds(&c, qname, res);
    }
    return dsec_set(res, GT_DSEC_NO_PROOF, "unknown kind of denial");
}

gt_dsec_code gt_nsec3_prove_wildcard(const gt_rr *nsec3s, size_t n, const gt_name *zone,
                                     const gt_name *qname, unsigned labels, gt_dsec_result *res)
{
    nsec3_ctx c = {nsec3s, n, zone};
    nsec3_view v;
    gt_name nc;
    gt_dsec_code code = dsec_next_closer(zone, qname, labels, &nc, res);

    if (code != GT_DSEC_OK) {
        return code;
    }
    for (size_t i = 0; i < n; i++) {
        if (nsec3_view_of(&c, i, &v) && v.d.iterations > GT_NSEC3_MAX_ITERATIONS) {
            return dsec_set(res, GT_DSEC_ITERATIONS,
                            "NSEC3 iterations %u > %u (RFC 9276): insecure", v.d.iterations,
                            GT_NSEC3_MAX_ITERATIONS);
        }
    }
    code = nsec3_find(&c, &nc, true, &v);
    if (code == GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "an NSEC3 matches the next closer name");
    }
    code = nsec3_find(&c, &nc, false, &v);
    if (code == GT_DSEC_NOMEM) {
        return dsec_set(res, code, "out of memory while hashing");
    }
    if (code != GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC3 covers the next closer name");
    }
    return dsec_set(res, GT_DSEC_OK, "wildcard answer: the next closer name is covered");
}
