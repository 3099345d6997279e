/*
 * DNSSEC along every trace the engine followed (issue 14): the main trace, the CNAME targets
 * traced from the root, and the sub-traces that found the addresses of glueless NS names.
 * Every zone cut those traces went through is judged once, from the trust anchor down. For
 * each cut: the DS set its parent's referral carried (RRSIG by the parent's validated keys) or
 * the NSEC/NSEC3 proof that there is none (insecure from there on), then each server's DNSKEY
 * reply (delegation-check trace of type DNSKEY): a key the DS designates, and an RRSIG over the
 * DNSKEY set by such a key (RFC 4035 5.2 and 5.3). Each trace's final records (or its NXDOMAIN
 * / NODATA proof) are verified with the keys of the zone that gave them. A validator retries
 * the other servers of a zone, so a cut's (and a trace's) status is the best one of its servers
 * reached; every server that failed is named in a finding. A trace's answer is the weakest
 * link of its CNAME chain (RFC 4035 5: secure only if every link is); the sub-traces behind
 * its servers' addresses are judged on their own (see judge_trace()).
 */
#include "gluetrace/diagnose/dnssec_chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gluetrace/base/array.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/dnssec/denial.h"
#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/wire/name.h"
#include "gluetrace/wire/rrtype.h"
#include "gluetrace/wire/wire.h"

/**
 * An RRSIG the chain validated with is reported (DNSSEC_SIG_EXPIRING) when it expires within
 * this many seconds of the run ...
 */
#define GT_DNSSEC_EXPIRING_SECS (7u * 86400u)
/**
 * ... and less than this fraction (1/N) of its validity window is left: signers that make
 * short-lived signatures and refresh them often (7-day signatures re-signed daily, as large
 * TLDs do) always have under 7 days left, but most of their window, and are not reported.
 */
#define GT_DNSSEC_EXPIRING_FRACTION 4u
/** Most (zone, key) pairs whose expiring signatures one run reports. */
#define GT_DNSSEC_MAX_EXPIRING 16

/** The earliest expiring signature of one (zone, key), reported after the walk. */
typedef struct expiring {
    gt_name zone;        /**< the signer */
    uint16_t tag;        /**< the signing key's tag */
    uint16_t type;       /**< the type covered */
    uint32_t expiration; /**< RRSIG expiration (seconds since the epoch, mod 2^32) */
    uint32_t left;       /**< seconds left at the run */
} expiring;

/** What the walk notes on its way and reports at the end. */
typedef struct notes {
    expiring exp[GT_DNSSEC_MAX_EXPIRING]; /**< expiring signatures, one per (zone, key) */
    size_t nexp;                          /**< entries used */
    size_t exp_dropped;                   /**< (zone, key) pairs beyond the limit */
} notes;

/** A small set of records (values borrowed from replies of the result). */
typedef struct rrset {
    gt_rr rr[GT_DNSSEC_MAX_RRSET]; /**< the records */
    size_t n;                      /**< entries used */
} rrset;

/** What the walk keeps from one validated zone to the next. */
typedef struct walk {
    gt_result *r;             /**< the result */
    const gt_config *cfg;     /**< the run's configuration (anchors) */
    uint64_t now;             /**< seconds since the epoch */
    rrset keys;               /**< validated DNSKEYs of the zone above */
    gt_dnssec_state up;       /**< the zone above's status */
    gt_name upzone;           /**< the zone above */
    notes *notes;             /**< what the walk reports at the end (written through const walks) */
    gt_dnssec_budget *budget; /**< the name's signature checks, from where the trace left them
                                   (written through const walks) */
    gt_dnssec_state limited;  /**< server_dnskey(): the status a limit left, else OFF */
} walk;

/* snprintf into a fixed buffer where a cut message is fine (one line, informative). */
static void say(char *buf, size_t size, const char *fmt, ...) GT_PRINTF(3, 4);
static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(buf, size, fmt, ap) < 0 && size > 0) {
        buf[0] = '\0';
    }
    va_end(ap);
}

static const char *nm(const gt_name *n, char *buf, size_t size)
{
    gt_name_to_str(n, buf, size);
    return buf;
}

static void add(rrset *s, const gt_rr *rr)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->rr[i].type == rr->type && gt_rr_same_rdata(&s->rr[i], rr)) {
            return; /* already there */
        }
    }
    if (s->n < GT_DNSSEC_MAX_RRSET) {
        s->rr[s->n++] = *rr;
    }
}

/* The records of (@p owner, @p type) in section @p sec of @p m (the rule the engine uses). */
static void collect(const gt_msg *m, gt_section sec, const gt_name *owner, uint16_t type,
                    rrset *out)
{
    out->n = gt_dnssec_rrset(m, sec, owner, type, out->rr);
}

/* A date in UTC, "2020-02-01 00:00 UTC", from RRSIG time @p t (taken in 1970..2106). */
static void utc(uint32_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0) {
        say(buf, size, "%lu", (unsigned long)t);
    }
}

/* The detail of an expired / not yet valid RRSIG, with dates instead of epoch seconds. */
static void window_detail(const gt_rrsig *rs, gt_dsec_code code, gt_dsec_result *res)
{
    char a[40], b[40];
    utc(rs->inception, a, sizeof(a));
    utc(rs->expiration, b, sizeof(b));
    say(res->detail, sizeof(res->detail), "RRSIG by key %u %s %s (valid %s to %s)", rs->key_tag,
        code == GT_DSEC_EXPIRED ? "expired on" : "not valid before",
        code == GT_DSEC_EXPIRED ? b : a, a, b);
}

/*
 * A signature that verified: note it when it expires soon (RFC 4034 3.1.5 serial arithmetic;
 * it is inside its window, so expiration - now is its time left).
 */
static void note_expiry(const walk *w, const gt_rrsig *rs, const gt_name *zone)
{
    uint32_t left = rs->expiration - (uint32_t)w->now;
    uint32_t span = rs->expiration - rs->inception;
    notes *n = w->notes;
    if (n == NULL || left >= GT_DNSSEC_EXPIRING_SECS ||
        left >= span / GT_DNSSEC_EXPIRING_FRACTION) {
        return;
    }
    for (size_t i = 0; i < n->nexp; i++) {
        if (n->exp[i].tag == rs->key_tag && gt_name_eq(&n->exp[i].zone, zone)) {
            if (left < n->exp[i].left) {
                n->exp[i].left = left;
                n->exp[i].expiration = rs->expiration;
                n->exp[i].type = rs->type_covered;
            }
            return;
        }
    }
    if (n->nexp == GT_DNSSEC_MAX_EXPIRING) {
        n->exp_dropped++;
        return;
    }
    expiring *e = &n->exp[n->nexp++];
    e->zone = *zone;
    e->tag = rs->key_tag;
    e->type = rs->type_covered;
    e->expiration = rs->expiration;
    e->left = left;
}

/*
 * Verify the RRset @p set (one owner and type, taken from section @p sec of @p m) with any of
 * @p keys, signer @p zone, by the one rule of gt_rrset_verify() (KeyTrap limits, the name's
 * budget). @p nosig is set when no RRSIG covers it at all.
 */
static gt_dsec_code verify_set(const walk *w, const gt_msg *m, gt_section sec, const rrset *set,
                               const rrset *keys, const gt_name *zone, bool *nosig,
                               gt_dsec_result *best)
{
    const gt_rr *sig = NULL;
    gt_rrsig rs;
    gt_dsec_code c = gt_rrset_verify(w->budget, m, sec, set->rr, set->n, keys->rr, keys->n, zone,
                                     w->now, nosig, best, &sig);
    if (sig != NULL && gt_rrsig_parse(sig->rdata, sig->rdlen, &rs) == GT_DSEC_OK) {
        if (c == GT_DSEC_OK) {
            note_expiry(w, &rs, zone);
        } else if (c == GT_DSEC_EXPIRED || c == GT_DSEC_NOT_YET_VALID) {
            window_detail(&rs, c, best);
        }
    }
    return c;
}

/* Verify every RRSIG-covered RRset of the denial records (NSEC, NSEC3) in AUTHORITY. */
static gt_dsec_code verify_denial_sigs(const walk *w, const gt_msg *m, const rrset *keys,
                                       const gt_name *zone, gt_dsec_result *res)
{
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        if (rr->type != GT_TYPE_NSEC && rr->type != GT_TYPE_NSEC3) {
            continue;
        }
        rrset one;
        bool nosig;
        collect(m, GT_SEC_AUTHORITY, &rr->owner, rr->type, &one);
        if (verify_set(w, m, GT_SEC_AUTHORITY, &one, keys, zone, &nosig, res) != GT_DSEC_OK) {
            if (nosig) {
                say(res->detail, sizeof(res->detail), "denial record without RRSIG");
            }
            return res->code == GT_DSEC_OK ? GT_DSEC_NO_PROOF : res->code;
        }
    }
    return GT_DSEC_OK;
}

/* Prove (@p qname, @p qtype, @p kind) with the NSEC or NSEC3 records of AUTHORITY. */
static gt_dsec_code prove(const gt_msg *m, const gt_name *zone, const gt_name *qname,
                          uint16_t qtype, gt_deny_kind kind, gt_dsec_result *res)
{
    rrset nsec, nsec3;
    collect(m, GT_SEC_AUTHORITY, NULL, GT_TYPE_NSEC, &nsec);
    collect(m, GT_SEC_AUTHORITY, NULL, GT_TYPE_NSEC3, &nsec3);
    if (nsec3.n > 0) {
        return gt_nsec3_prove(nsec3.rr, nsec3.n, zone, qname, qtype, kind, res);
    }
    if (nsec.n > 0) {
        return gt_nsec_prove(nsec.rr, nsec.n, zone, qname, qtype, kind, res);
    }
    res->code = GT_DSEC_NO_PROOF;
    say(res->detail, sizeof(res->detail), "no NSEC or NSEC3 record in the reply");
    return GT_DSEC_NO_PROOF;
}

/* The binary hash in the first label of an NSEC3 owner; false when it is not one. */
static bool owner_hash(const gt_rr *rr, uint8_t out[GT_NSEC3_HASH_LEN])
{
    size_t len = 0;
    uint8_t l = rr->owner.len > 1 ? rr->owner.data[0] : 0;
    return l > 0 &&
           gt_base32hex_decode((const char *)rr->owner.data + 1, l, out, GT_NSEC3_HASH_LEN, &len) ==
               GT_OK &&
           len == GT_NSEC3_HASH_LEN;
}

/*
 * An NSEC3 NXDOMAIN proof whose next closer name is covered by an opt-out NSEC3 proves only
 * that no signed name exists there: an unsigned delegation may (RFC 5155 9.2; validators
 * such as Unbound call the answer insecure).
 */
static bool nxdomain_optout(const gt_msg *m, const gt_name *zone, const gt_name *qname)
{
    rrset n3;
    gt_nsec3 p;
    collect(m, GT_SEC_AUTHORITY, NULL, GT_TYPE_NSEC3, &n3);
    if (n3.n == 0 || gt_nsec3_parse(n3.rr[0].rdata, n3.rr[0].rdlen, &p) != GT_DSEC_OK) {
        return false;
    }
    unsigned nl = gt_name_labels(qname), zl = gt_name_labels(zone);
    for (unsigned d = 1; d + zl <= nl; d++) {
        gt_name ce, nc;
        uint8_t h[GT_NSEC3_HASH_LEN], hn[GT_NSEC3_HASH_LEN], o[GT_NSEC3_HASH_LEN];
        gt_name_suffix(qname, d, &ce);
        gt_name_suffix(qname, d - 1, &nc);
        if (gt_nsec3_hash(&ce, p.hash_alg, p.salt, p.saltlen, p.iterations, h) != GT_DSEC_OK ||
            gt_nsec3_hash(&nc, p.hash_alg, p.salt, p.saltlen, p.iterations, hn) != GT_DSEC_OK) {
            return false;
        }
        bool matched = false;
        for (size_t i = 0; i < n3.n && !matched; i++) {
            matched = owner_hash(&n3.rr[i], o) && memcmp(o, h, sizeof(h)) == 0;
        }
        if (!matched) {
            continue;
        }
        for (size_t i = 0; i < n3.n; i++) {
            gt_nsec3 x;
            if (!owner_hash(&n3.rr[i], o) ||
                gt_nsec3_parse(n3.rr[i].rdata, n3.rr[i].rdlen, &x) != GT_DSEC_OK ||
                x.nextlen != GT_NSEC3_HASH_LEN) {
                continue;
            }
            int a = memcmp(o, hn, sizeof(hn)), b = memcmp(hn, x.next, sizeof(hn));
            bool wraps = memcmp(x.next, o, sizeof(o)) <= 0;
            bool covers = wraps ? (a < 0 || b < 0) : (a < 0 && b < 0);
            if (covers) {
                return (x.flags & GT_NSEC3_FLAG_OPTOUT) != 0;
            }
        }
        return false;
    }
    return false;
}

/* Is trace @p t one whose path is validated (main, CNAME target, sub-trace)? */
static bool followed(const gt_result *r, gt_trace_id t)
{
    gt_trace_kind k = t < r->ntraces ? r->traces[t]->kind : GT_TRACE_CHECK;
    return k == GT_TRACE_MAIN || k == GT_TRACE_CNAME || k == GT_TRACE_SUBTRACE;
}

static gt_code sig_code(gt_dsec_code c)
{
    if (c == GT_DSEC_LIMIT) {
        return GT_F_DNSSEC_WORK_LIMIT;
    }
    return c == GT_DSEC_EXPIRED || c == GT_DSEC_NOT_YET_VALID ? GT_F_DNSSEC_SIG_EXPIRED
                                                              : GT_F_DNSSEC_SIG_INVALID;
}

/*
 * The status a validation limit leaves (@p res a GT_DSEC_LIMIT): bogus when the data itself
 * asks for more than validators try (KeyTrap shapes: they SERVFAIL), indeterminate when only
 * an allowance of ours ran out or the run was stopped.
 */
static gt_dnssec_state limit_state(const gt_dsec_result *res)
{
    return (res->caps & GT_DSEC_CAPS_BOGUS) != 0 && (res->caps & ~GT_DSEC_CAPS_BOGUS) == 0
               ? GT_DNSSEC_BOGUS
               : GT_DNSSEC_INDETERMINATE;
}

/* A limit's outcome in words: what a validator does with it. */
static const char *limit_word(const gt_dsec_result *res);

/*
 * DNSSEC_WORK_LIMIT for @p what of zone @p zone in reply @p q (@p res a GT_DSEC_LIMIT): per
 * server for what the data asked; once per zone when the name's allowance ran out or the run
 * is stopping (every later reply of the zone meets the same refusal).
 */
static void limit_finding(walk *w, const gt_name *zone, gt_query_id q, const char *what,
                          const gt_dsec_result *res)
{
    char z[GT_NAME_STRLEN];
    nm(zone, z, sizeof(z));
    if (res->caps & (GT_DSEC_CAP_NAME | GT_DSEC_CAP_STOP)) {
        gt_result_add_finding(w->r, GT_F_DNSSEC_WORK_LIMIT, zone, 0, "",
                              "%s: %s; what is left of %s is not judged: indeterminate", z,
                              gt_dnssec_cap_str(res->caps), z);
        return;
    }
    gt_result_add_finding(w->r, GT_F_DNSSEC_WORK_LIMIT, zone, q, NULL,
                          "%s of %s was not validated: %s; %s", what, z, res->detail,
                          limit_word(res));
}

static const char *limit_word(const gt_dsec_result *res)
{
    return limit_state(res) == GT_DNSSEC_BOGUS ? "validators refuse such data (SERVFAIL): bogus"
                                               : "not judged: indeterminate";
}

/* Why a signature check failed, in words. */
static void why(bool nosig, const gt_dsec_result *res, char *buf, size_t size)
{
    if (nosig) {
        say(buf, size, "no RRSIG");
    } else {
        say(buf, size, "%s%s%s", gt_dsec_code_str(res->code), res->detail[0] ? ": " : "",
            res->detail);
    }
}

/* Has the result a finding @p code about @p zone already? (one per zone is enough) */
static bool have_finding(const gt_result *r, gt_code code, const gt_name *zone)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].code == code && gt_name_eq(&r->findings[i].zone, zone)) {
            return true;
        }
    }
    return false;
}

/*
 * A denial of @p zone in @p m was judged insecure for its NSEC3 iterations (RFC 9276 3.2):
 * DNSSEC_NSEC3_ITERATIONS with the highest count seen, once per zone.
 */
static void note_iterations(walk *w, const gt_msg *m, const gt_name *zone, gt_query_id q)
{
    char z1[GT_NAME_STRLEN];
    unsigned most = 0;
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        gt_nsec3 p;
        if (rr->type == GT_TYPE_NSEC3 && gt_nsec3_parse(rr->rdata, rr->rdlen, &p) == GT_DSEC_OK &&
            p.iterations > most) {
            most = p.iterations;
        }
    }
    if (have_finding(w->r, GT_F_DNSSEC_NSEC3_ITERATIONS, zone)) {
        return;
    }
    gt_result_add_finding(w->r, GT_F_DNSSEC_NSEC3_ITERATIONS, zone, q, NULL,
                          "%s denies with NSEC3 of %u iterations, above the RFC 9276 limit of %u "
                          "validators apply: its negative answers and unsigned delegations are "
                          "insecure",
                          nm(zone, z1, sizeof(z1)), most, (unsigned)GT_NSEC3_MAX_ITERATIONS);
}

/* Can a validator use the DS record @p rr (algorithm and digest type it supports)? */
static bool ds_usable(const gt_rr *rr, gt_ds *d)
{
    return gt_ds_parse(rr->rdata, rr->rdlen, d) == GT_DSEC_OK && gt_dnssec_alg_supported(d->alg) &&
           (d->digest_type == GT_DIGEST_SHA1 || d->digest_type == GT_DIGEST_SHA256 ||
            d->digest_type == GT_DIGEST_SHA384);
}

/*
 * The validated DS set @p ds of cut @p cut, judged for its algorithms and digests: with no
 * entry a validator supports the cut is insecure (RFC 4035 5.2, RFC 6840 5.2), with SHA-1
 * digests only it is noted as deprecated (RFC 8624 3.3). DNSSEC_ALGORITHM either way.
 * @return false when the cut is insecure for it
 */
static bool ds_algorithms(walk *w, gt_dnssec_cut *cut, const rrset *ds)
{
    char z1[GT_NAME_STRLEN], z2[GT_NAME_STRLEN], b[GT_DNSSEC_REASON_MAX];
    size_t usable = 0, sha1 = 0, off = 0;
    b[0] = '\0';
    for (size_t i = 0; i < ds->n; i++) {
        gt_ds d;
        if (ds_usable(&ds->rr[i], &d)) {
            usable++;
            sha1 += d.digest_type == GT_DIGEST_SHA1;
        } else if (gt_ds_parse(ds->rr[i].rdata, ds->rr[i].rdlen, &d) == GT_DSEC_OK &&
                   off < sizeof(b)) {
            int k =
                snprintf(b + off, sizeof(b) - off, "%sDS %u alg %u (%s) digest %u", off ? ", " : "",
                         d.key_tag, d.alg, gt_dnssec_alg_str(d.alg), d.digest_type);
            off += k > 0 ? (size_t)k : 0;
        }
    }
    nm(&w->upzone, z1, sizeof(z1));
    nm(&cut->zone, z2, sizeof(z2));
    if (usable == 0) {
        cut->state = GT_DNSSEC_INSECURE;
        say(cut->reason, sizeof(cut->reason), "no DS at %s with a supported algorithm and digest",
            z1);
        gt_result_add_finding(w->r, GT_F_DNSSEC_ALGORITHM, &cut->zone, cut->referral, NULL,
                              "%s publishes only DS records for %s that validators cannot use "
                              "(%s): the zone is insecure, as if unsigned (RFC 4035 5.2)",
                              z1, z2, b[0] ? b : "malformed");
        return false;
    }
    if (sha1 == usable) {
        gt_result_add_finding(w->r, GT_F_DNSSEC_ALGORITHM, &cut->zone, cut->referral, NULL,
                              "%s publishes only SHA-1 DS records (digest type 1) for %s, which "
                              "RFC 8624 says must not be used; add a SHA-256 DS",
                              z1, z2);
    }
    return true;
}

/* Rank of a DS digest type a validator prefers (the longer digest), 0 when unsupported. */
static unsigned digest_rank(uint8_t type)
{
    switch (type) {
    case GT_DIGEST_SHA1:
        return 1;
    case GT_DIGEST_SHA256:
        return 2;
    case GT_DIGEST_SHA384:
        return 3;
    default:
        return 0;
    }
}

/* Cut @p cut validated: note a KSK of an algorithm RFC 8624 says must not sign (5, 7). */
static void key_algorithms(walk *w, const gt_dnssec_cut *cut)
{
    char z1[GT_NAME_STRLEN];
    for (size_t i = 0; i < cut->nksk; i++) {
        if (gt_dnssec_alg_deprecated(cut->ksk_algs[i])) {
            gt_result_add_finding(w->r, GT_F_DNSSEC_ALGORITHM, &cut->zone, 0, NULL,
                                  "%s is signed with algorithm %u (%s), which RFC 8624 says must "
                                  "not be used to sign: some validators already treat it as "
                                  "insecure",
                                  nm(&cut->zone, z1, sizeof(z1)), cut->ksk_algs[i],
                                  gt_dnssec_alg_str(cut->ksk_algs[i]));
            return;
        }
    }
}

/*
 * The DS set of cut @p cut from the referrals of the zone above: verified with the keys above
 * (@p ds filled, true), or proven absent (cut insecure), or bogus.
 */
static bool cut_ds(walk *w, gt_dnssec_cut *cut, rrset *ds)
{
    char z1[GT_NAME_STRLEN], z2[GT_NAME_STRLEN], reason[GT_DNSSEC_REASON_MAX];
    gt_result *r = w->r;
    bool any = false;
    gt_code code = GT_F_DNSSEC_NO_DENIAL;
    gt_dnssec_state fail = GT_DNSSEC_BOGUS;
    gt_query_id bad_q = 0;
    reason[0] = '\0';
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        const gt_msg *m = gt_query_reply(r, q);
        if (!followed(r, q->trace) || !q->has_referral || m == NULL || m->tc ||
            !gt_name_eq(&q->referral.zone, &cut->zone) || !gt_name_eq(&q->zone, &w->upzone)) {
            continue;
        }
        any = true;
        gt_dnssec_budget_reply(w->budget);
        gt_dsec_result res;
        bool nosig;
        collect(m, GT_SEC_AUTHORITY, &cut->zone, GT_TYPE_DS, ds);
        if (ds->n > 0) {
            if (verify_set(w, m, GT_SEC_AUTHORITY, ds, &w->keys, &w->upzone, &nosig, &res) ==
                GT_DSEC_OK) {
                cut->referral = q->id;
                cut->nds = ds->n;
                return true;
            }
            char b[GT_DNSSEC_REASON_MAX];
            why(nosig, &res, b, sizeof(b));
            if (res.code == GT_DSEC_LIMIT) {
                say(reason, sizeof(reason), "the DS set of %s at %s was not validated: %s; %s",
                    nm(&cut->zone, z2, sizeof(z2)), nm(&w->upzone, z1, sizeof(z1)), res.detail,
                    limit_word(&res));
                fail = limit_state(&res);
            } else {
                say(reason, sizeof(reason), "the DS set at %s does not validate (%s)",
                    nm(&w->upzone, z1, sizeof(z1)), b);
                fail = GT_DNSSEC_BOGUS;
            }
            code = nosig ? GT_F_DNSSEC_SIG_INVALID : sig_code(res.code);
            bad_q = q->id;
            continue;
        }
        gt_dsec_code c = verify_denial_sigs(w, m, &w->keys, &w->upzone, &res);
        if (c == GT_DSEC_LIMIT && bad_q == 0) {
            say(reason, sizeof(reason),
                "the proof that %s has no DS at %s was not validated: "
                "%s; %s",
                nm(&cut->zone, z2, sizeof(z2)), nm(&w->upzone, z1, sizeof(z1)), res.detail,
                limit_word(&res));
            code = GT_F_DNSSEC_WORK_LIMIT;
            fail = limit_state(&res);
            bad_q = q->id;
            continue;
        }
        if (c == GT_DSEC_OK) {
            c = prove(m, &w->upzone, &cut->zone, GT_TYPE_DS, GT_DENY_NO_DS, &res);
        }
        if (c == GT_DSEC_INSECURE || c == GT_DSEC_ITERATIONS) {
            if (c == GT_DSEC_ITERATIONS) {
                note_iterations(w, m, &w->upzone, q->id);
            }
            cut->state = GT_DNSSEC_INSECURE;
            cut->referral = q->id;
            say(cut->reason, sizeof(cut->reason), "no DS at %s (%s)",
                nm(&w->upzone, z1, sizeof(z1)),
                c == GT_DSEC_ITERATIONS ? "NSEC3 iterations above the RFC 9276 limit"
                                        : "proven by NSEC/NSEC3");
            return false;
        }
        if (bad_q == 0) {
            say(reason, sizeof(reason),
                "%s gives no DS for %s and no valid proof that "
                "there is none (%s)",
                nm(&w->upzone, z1, sizeof(z1)), nm(&cut->zone, z2, sizeof(z2)),
                gt_dsec_code_str(c));
            bad_q = q->id;
        }
    }
    if (!any) {
        cut->state = GT_DNSSEC_INDETERMINATE;
        say(cut->reason, sizeof(cut->reason), "no referral to it was seen");
        return false;
    }
    cut->state = fail;
    say(cut->reason, sizeof(cut->reason), "%s", reason);
    if (gt_result_add_finding(r, code, &cut->zone, bad_q, NULL, "%s", reason) != GT_OK) {
        cut->state = GT_DNSSEC_INDETERMINATE; /* out of memory: the caller sees the status */
    }
    return false;
}

/* Does the DS (or anchor) @p ds designate the DNSKEY @p key? */
static bool designates(const gt_rr *ds, const gt_rr *key)
{
    if (ds->type == GT_TYPE_DNSKEY) {
        return gt_rr_same_rdata(ds, key);
    }
    return gt_ds_match(ds, key, NULL) == GT_DSEC_OK;
}

/*
 * Cut @p cut is secure with the keys @p keys its DS set @p ds designates. When the DS records
 * of the strongest digest present (SHA-384, then SHA-256) designate none of them and only
 * weaker ones (SHA-1) do, validators differ: RFC 4509 section 3 has them ignore SHA-1 beside
 * SHA-256 (BIND does, and fails the zone), Unbound accepts any usable DS. DNSSEC_ALGORITHM.
 */
static void weak_digest_only(walk *w, const gt_dnssec_cut *cut, const rrset *ds, const rrset *keys)
{
    char z1[GT_NAME_STRLEN], z2[GT_NAME_STRLEN];
    unsigned best = 0;
    gt_ds d, strong = {0};
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->rr[i].type == GT_TYPE_DS && ds_usable(&ds->rr[i], &d) &&
            digest_rank(d.digest_type) > best) {
            best = digest_rank(d.digest_type);
            strong = d;
        }
    }
    if (best < 2) {
        return; /* SHA-1 only (noted by ds_algorithms), or anchors */
    }
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->rr[i].type != GT_TYPE_DS || !ds_usable(&ds->rr[i], &d) ||
            digest_rank(d.digest_type) != best) {
            continue;
        }
        for (size_t k = 0; k < keys->n; k++) {
            if (designates(&ds->rr[i], &keys->rr[k])) {
                return; /* a strongest-digest DS designates a key: every validator agrees */
            }
        }
    }
    gt_result_add_finding(w->r, GT_F_DNSSEC_ALGORITHM, &cut->zone, cut->referral, NULL,
                          "%s publishes DS records of digest type %u (DS %u/%u) for %s that "
                          "match none of its keys; only a weaker digest (SHA-1) matches. "
                          "Validators that ignore SHA-1 beside a stronger digest (RFC 4509 3; "
                          "BIND) will SERVFAIL, others (Unbound) validate: correct the DS at "
                          "the registrar",
                          nm(&w->upzone, z1, sizeof(z1)), strong.digest_type, strong.key_tag,
                          strong.alg, nm(&cut->zone, z2, sizeof(z2)));
}

/* Do @p a and @p b hold the same keys (both are built by add(): no value twice)? */
static bool same_set(const rrset *a, const rrset *b)
{
    return gt_rrs_same_rdata_set(a->rr, a->n, b->rr, b->n);
}

/* "DS 12345/13" list of @p ds for messages. */
static void ds_list(const rrset *ds, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ds->n && off < size; i++) {
        gt_ds d;
        gt_dnskey k;
        uint16_t tag = 0;
        uint8_t alg = 0;
        if (ds->rr[i].type == GT_TYPE_DS &&
            gt_ds_parse(ds->rr[i].rdata, ds->rr[i].rdlen, &d) == GT_DSEC_OK) {
            tag = d.key_tag;
            alg = d.alg;
        } else if (gt_dnskey_parse(ds->rr[i].rdata, ds->rr[i].rdlen, &k) == GT_DSEC_OK) {
            tag = k.tag;
            alg = k.alg;
        }
        int n = snprintf(buf + off, size - off, "%s%u/%u", i ? ", " : "", tag, alg);
        if (n < 0) {
            return;
        }
        off += (size_t)n;
    }
}

/* "12345/13 KSK, 23456/13" list of the DNSKEY set @p keys for messages. */
static void key_list(const rrset *keys, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < keys->n && off < size; i++) {
        gt_dnskey k;
        if (gt_dnskey_parse(keys->rr[i].rdata, keys->rr[i].rdlen, &k) != GT_DSEC_OK) {
            continue;
        }
        int n = snprintf(buf + off, size - off, "%s%u/%u%s", off ? ", " : "", k.tag, k.alg,
                         (k.flags & GT_DNSKEY_FLAG_SEP) ? " KSK" : "");
        if (n < 0) {
            return;
        }
        off += (size_t)n;
    }
}

/*
 * The DS records (digest type 2, SHA-256) that would designate the KSKs of @p keys (the keys
 * with the SEP flag; every zone key when none has it), as presentation text "zone. IN DS tag
 * alg 2 HEX" joined by " and ", into @p out (malloc'ed; caller frees).
 */
static gt_status ds_to_publish(const gt_name *zone, const rrset *keys, char **out)
{
    gt_buf b;
    char z[GT_NAME_STRLEN];
    bool any_sep = false;
    gt_buf_init_grow(&b);
    nm(zone, z, sizeof(z));
    for (size_t i = 0; i < keys->n; i++) {
        gt_dnskey k;
        any_sep |= gt_dnskey_parse(keys->rr[i].rdata, keys->rr[i].rdlen, &k) == GT_DSEC_OK &&
                   (k.flags & GT_DNSKEY_FLAG_SEP) != 0;
    }
    size_t listed = 0;
    for (size_t i = 0; i < keys->n && listed < 4; i++) {
        gt_dnskey k;
        uint8_t d[GT_DIGEST_MAX];
        size_t dl = 0;
        if (gt_dnskey_parse(keys->rr[i].rdata, keys->rr[i].rdlen, &k) != GT_DSEC_OK ||
            (k.flags & GT_DNSKEY_FLAG_ZONE) == 0 || (any_sep && !(k.flags & GT_DNSKEY_FLAG_SEP)) ||
            gt_ds_digest(zone, keys->rr[i].rdata, keys->rr[i].rdlen, GT_DIGEST_SHA256, d, &dl) !=
                GT_DSEC_OK) {
            continue;
        }
        gt_buf_printf(&b, "%s%s IN DS %u %u 2 ", listed ? " and " : "", z, k.tag, k.alg);
        for (size_t j = 0; j < dl; j++) {
            gt_buf_printf(&b, "%02X", d[j]);
        }
        listed++;
    }
    if (listed == 0) {
        gt_buf_printf(&b, "a DS for one of its keys");
    }
    *out = gt_buf_take(&b, NULL);
    return *out != NULL ? GT_OK : GT_ENOMEM;
}

/* One server's DNSKEY reply for cut @p cut: secure (its keys added to @p keys) or not. */
static bool server_dnskey(walk *w, gt_dnssec_cut *cut, const gt_query *q, const rrset *ds,
                          rrset *keys, rrset *first)
{
    char z1[GT_NAME_STRLEN], z2[GT_NAME_STRLEN], b[GT_DNSSEC_REASON_MAX];
    char k1[GT_DNSSEC_REASON_MAX], k2[GT_DNSSEC_REASON_MAX];
    const gt_msg *m = q->reply;
    rrset set, ksk;
    w->limited = GT_DNSSEC_OFF;
    gt_dnssec_budget_reply(w->budget);
    collect(m, GT_SEC_ANSWER, &cut->zone, GT_TYPE_DNSKEY, &set);
    if (set.n == 0) {
        say(cut->reason, sizeof(cut->reason), "no DNSKEY set");
        ds_list(ds, b, sizeof(b));
        gt_result_add_finding(w->r, GT_F_DNSSEC_DNSKEY_MISSING, &cut->zone, q->id, NULL,
                              "%s is signed at its parent (DS %s) but this server returns no "
                              "DNSKEY set for it",
                              nm(&cut->zone, z1, sizeof(z1)), b);
        return false;
    }
    if (first->n == 0) {
        *first = set;
    } else if (!same_set(first, &set)) {
        key_list(&set, k1, sizeof(k1));
        key_list(first, k2, sizeof(k2));
        gt_result_add_finding(w->r, GT_F_DNSSEC_DNSKEY_MISMATCH, &cut->zone, q->id, NULL,
                              "this server's DNSKEY set of %s (%zu keys: %s) differs from the "
                              "one other servers of the zone serve (%zu keys: %s)",
                              nm(&cut->zone, z1, sizeof(z1)), set.n, k1, first->n, k2);
    }
    ksk.n = 0;
    for (size_t i = 0; i < set.n; i++) {
        for (size_t j = 0; j < ds->n; j++) {
            if (designates(&ds->rr[j], &set.rr[i])) {
                add(&ksk, &set.rr[i]);
            }
        }
    }
    if (ksk.n == 0) {
        char *fix = NULL;
        ds_list(ds, b, sizeof(b));
        key_list(&set, k1, sizeof(k1));
        say(cut->reason, sizeof(cut->reason), "no DNSKEY matches the DS %s", b);
        if (cut->zone.len == 1) {
            gt_result_add_finding(w->r, GT_F_DNSSEC_DS_NO_KEY, &cut->zone, q->id, NULL,
                                  "the trust anchor (DS %s) designates none of the root's keys "
                                  "(%s): update the trust anchor",
                                  b, k1);
        } else if (ds_to_publish(&cut->zone, &set, &fix) == GT_OK) {
            gt_result_add_finding(
                w->r, GT_F_DNSSEC_DS_NO_KEY, &cut->zone, q->id, NULL,
                "%s publishes DS %s for %s; no DNSKEY of %s has that key tag (its keys: %s): "
                "validating resolvers will SERVFAIL; publish at the registrar %s, or re-add "
                "the key",
                nm(&w->upzone, z2, sizeof(z2)), b, nm(&cut->zone, z1, sizeof(z1)), z1, k1, fix);
        }
        free(fix);
        return false;
    }
    gt_dsec_result res;
    bool nosig;
    if (verify_set(w, m, GT_SEC_ANSWER, &set, &ksk, &cut->zone, &nosig, &res) != GT_DSEC_OK) {
        if (res.code == GT_DSEC_LIMIT) {
            w->limited = limit_state(&res);
            say(cut->reason, sizeof(cut->reason), "DNSKEY set not validated: %s", res.detail);
            limit_finding(w, &cut->zone, q->id, "the DNSKEY set", &res);
            return false;
        }
        why(nosig, &res, b, sizeof(b));
        say(cut->reason, sizeof(cut->reason), "DNSKEY set: %s", b);
        gt_result_add_finding(w->r, nosig ? GT_F_DNSSEC_DNSKEY_MISSING : sig_code(res.code),
                              &cut->zone, q->id, NULL,
                              "the DNSKEY set of %s does not validate with the key its DS "
                              "designates: %s",
                              nm(&cut->zone, z1, sizeof(z1)), b);
        return false;
    }
    for (size_t i = 0; i < ksk.n && cut->nksk < GT_DNSSEC_MAX_KEYS; i++) {
        gt_dnskey k;
        if (gt_dnskey_parse(ksk.rr[i].rdata, ksk.rr[i].rdlen, &k) != GT_DSEC_OK) {
            continue;
        }
        bool have = false;
        for (size_t j = 0; j < cut->nksk; j++) {
            have |= cut->ksk_tags[j] == k.tag && cut->ksk_algs[j] == k.alg;
        }
        if (!have) {
            cut->ksk_tags[cut->nksk] = k.tag;
            cut->ksk_algs[cut->nksk++] = k.alg;
        }
    }
    for (size_t i = 0; i < set.n; i++) {
        add(keys, &set.rr[i]);
    }
    return true;
}

/*
 * Is the reply of @p q one to judge? Authoritative NOERROR / NXDOMAIN, not truncated (its TCP
 * retry is judged instead). A timeout, a refusal or a lame reply is another finding's
 * business: it proves nothing about DNSSEC.
 */
static bool judged(const gt_query *q)
{
    const gt_msg *m = q->reply;
    return m != NULL && m->aa && !m->tc &&
           (m->rcode == GT_RCODE_NOERROR || m->rcode == GT_RCODE_NXDOMAIN);
}

/* Judge cut @p cut given its designating DS set (or anchors) @p ds. */
static void cut_keys(walk *w, gt_dnssec_cut *cut, const rrset *ds, rrset *keys)
{
    gt_result *r = w->r;
    rrset first;
    char last_reason[GT_DNSSEC_REASON_MAX] = "";
    gt_dnssec_state fail = GT_DNSSEC_BOGUS;
    first.n = 0;
    keys->n = 0;
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_CHECK || tr->qtype != GT_TYPE_DNSKEY ||
            !gt_name_eq(&tr->zone, &cut->zone)) {
            continue;
        }
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace != t || !judged(q)) {
                continue; /* no usable reply: the server is judged by other findings */
            }
            cut->nservers++;
            cut->reason[0] = '\0';
            if (server_dnskey(w, cut, q, ds, keys, &first)) {
                cut->nsecure++;
            } else if (cut->reason[0] != '\0') {
                say(last_reason, sizeof(last_reason), "%s", cut->reason);
            }
            if (w->limited == GT_DNSSEC_INDETERMINATE) {
                fail = GT_DNSSEC_INDETERMINATE; /* a server not judged: no verdict from it */
            }
        }
    }
    if (cut->nservers == 0) {
        cut->state = GT_DNSSEC_INDETERMINATE;
        say(cut->reason, sizeof(cut->reason), "no server returned a DNSKEY reply");
    } else if (cut->nsecure == 0) {
        cut->state = fail;
        say(cut->reason, sizeof(cut->reason), "%s", last_reason);
    } else {
        cut->state = GT_DNSSEC_SECURE;
        say(cut->reason, sizeof(cut->reason), "%s", last_reason);
    }
}

/* The index of @p zone in r->dnssec, or GT_DNSSEC_NO_UP. */
static size_t cut_index(const gt_result *r, const gt_name *zone)
{
    for (size_t j = 0; j < r->ndnssec; j++) {
        if (gt_name_eq(&r->dnssec[j].zone, zone)) {
            return j;
        }
    }
    return GT_DNSSEC_NO_UP;
}

/*
 * The zones the followed traces went through: the main trace's first (in the order of their
 * first query), then each other trace's new ones. The zone above a cut is the zone of the
 * query whose referral led there, always listed before it (a referral precedes the queries it
 * leads to).
 */
static gt_status trace_zones(gt_result *r)
{
    size_t cap = 0;
    for (gt_trace_id t = 0; t < r->ntraces; t++) {
        if (!followed(r, t)) {
            continue;
        }
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace != t || q->rd || cut_index(r, &q->zone) != GT_DNSSEC_NO_UP) {
                continue;
            }
            if (!gt_array_reserve((void **)&r->dnssec, &cap, r->ndnssec + 1, sizeof(*r->dnssec))) {
                return GT_ENOMEM;
            }
            gt_dnssec_cut *cut = &r->dnssec[r->ndnssec];
            memset(cut, 0, sizeof(*cut));
            cut->zone = q->zone;
            cut->trace = t;
            cut->up = GT_DNSSEC_NO_UP;
            if (q->parent >= 1 && q->parent <= r->nqueries) {
                cut->up = cut_index(r, &r->queries[q->parent - 1]->zone);
            }
            r->ndnssec++;
        }
    }
    return GT_OK;
}

static int rank(gt_dnssec_state s)
{
    switch (s) {
    case GT_DNSSEC_SECURE:
        return 4;
    case GT_DNSSEC_INSECURE:
        return 3;
    case GT_DNSSEC_BOGUS:
        return 2;
    default:
        return 1;
    }
}

/* The denial records of @p q were not validated for a limit: DNSSEC_WORK_LIMIT, its status. */
static gt_dnssec_state denial_limit(walk *w, const gt_query *q, const gt_dnssec_cut *cut,
                                    const gt_dsec_result *res, char *reason, size_t size)
{
    char what[64];
    say(reason, size, "denial not validated: %s", res->detail);
    say(what, sizeof(what), "the %s proof", gt_outcome_str(q->outcome));
    limit_finding(w, &cut->zone, q->id, what, res);
    return limit_state(res);
}

/*
 * The RRset (@p owner, @p type) of the answer verified with an RRSIG whose labels show a
 * wildcard expansion: the denial records of AUTHORITY must prove that no closer name exists
 * (RFC 4035 5.3.4, RFC 5155 8.8). Secure, insecure (NSEC3 iterations) or bogus (the reason in
 * @p reason, a DNSSEC_NO_DENIAL finding).
 */
static gt_dnssec_state wildcard_answer(walk *w, const gt_query *q, const gt_dnssec_cut *cut,
                                       const rrset *keys, const gt_name *owner, uint16_t type,
                                       char *reason, size_t size)
{
    char z1[GT_NAME_STRLEN], ty[16];
    const gt_msg *m = q->reply;
    unsigned labels = gt_name_labels(owner);
    gt_dsec_result res;
    for (size_t i = m->count[GT_SEC_ANSWER]; i < m->count[GT_SEC_ANSWER] + m->nsig[GT_SEC_ANSWER];
         i++) {
        const gt_rr *sig = &m->rrs[GT_SEC_ANSWER][i];
        gt_rrsig rs;
        if (sig->type == GT_TYPE_RRSIG && gt_name_eq(&sig->owner, owner) &&
            gt_rrsig_parse(sig->rdata, sig->rdlen, &rs) == GT_DSEC_OK && rs.type_covered == type &&
            rs.labels < labels) {
            labels = rs.labels;
        }
    }
    gt_dsec_code c = verify_denial_sigs(w, m, keys, &cut->zone, &res);
    if (c == GT_DSEC_LIMIT) {
        return denial_limit(w, q, cut, &res, reason, size);
    }
    if (c == GT_DSEC_OK) {
        rrset nsec, nsec3;
        collect(m, GT_SEC_AUTHORITY, NULL, GT_TYPE_NSEC, &nsec);
        collect(m, GT_SEC_AUTHORITY, NULL, GT_TYPE_NSEC3, &nsec3);
        if (nsec3.n > 0) {
            c = gt_nsec3_prove_wildcard(nsec3.rr, nsec3.n, &cut->zone, owner, labels, &res);
        } else if (nsec.n > 0) {
            c = gt_nsec_prove_wildcard(nsec.rr, nsec.n, &cut->zone, owner, labels, &res);
        } else {
            c = GT_DSEC_NO_PROOF;
            say(res.detail, sizeof(res.detail), "no NSEC or NSEC3 record in the reply");
        }
    }
    if (c == GT_DSEC_OK) {
        return GT_DNSSEC_SECURE;
    }
    if (c == GT_DSEC_ITERATIONS) {
        note_iterations(w, m, &cut->zone, q->id);
        say(reason, size, "NSEC3 iterations above limit");
        return GT_DNSSEC_INSECURE;
    }
    say(reason, size, "%s %s: wildcard answer without proof that no closer name exists (%s%s%s)",
        nm(owner, z1, sizeof(z1)), gt_type_to_str(type, ty, sizeof(ty)), gt_dsec_code_str(c),
        res.detail[0] ? ": " : "", res.detail);
    gt_result_add_finding(w->r, GT_F_DNSSEC_NO_DENIAL, &cut->zone, q->id, NULL, "%s", reason);
    return GT_DNSSEC_BOGUS;
}

/* One final reply @p q of a zone judged @p cut, validated with @p keys. */
static gt_dnssec_state answer_one(walk *w, const gt_query *q, const gt_dnssec_cut *cut,
                                  const rrset *keys, char *reason, size_t size)
{
    char b[GT_DNSSEC_REASON_MAX], z1[GT_NAME_STRLEN], ty[16];
    const gt_msg *m = q->reply;
    gt_dsec_result res;
    bool nosig = false;
    if (cut->state != GT_DNSSEC_SECURE) {
        say(reason, size, "%s", cut->reason);
        return cut->state;
    }
    gt_dnssec_budget_reply(w->budget);
    if (q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_CNAME) {
        for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            rrset set;
            if (rr->type == GT_TYPE_RRSIG || !gt_name_is_under(&rr->owner, &cut->zone)) {
                continue;
            }
            collect(m, GT_SEC_ANSWER, &rr->owner, rr->type, &set);
            if (verify_set(w, m, GT_SEC_ANSWER, &set, keys, &cut->zone, &nosig, &res) !=
                GT_DSEC_OK) {
                if (res.code == GT_DSEC_LIMIT) {
                    say(reason, size, "not validated: %s", res.detail);
                    limit_finding(w, &cut->zone, q->id, "the answer", &res);
                    return limit_state(&res);
                }
                why(nosig, &res, b, sizeof(b));
                say(reason, size, "%s %s: %s", nm(&rr->owner, z1, sizeof(z1)),
                    gt_type_to_str(rr->type, ty, sizeof(ty)), b);
                gt_result_add_finding(w->r, sig_code(nosig ? GT_DSEC_BAD_SIGNATURE : res.code),
                                      &cut->zone, q->id, NULL, "the answer %s does not validate",
                                      reason);
                return GT_DNSSEC_BOGUS;
            }
            if (res.wildcard) {
                gt_dnssec_state ws =
                    wildcard_answer(w, q, cut, keys, &rr->owner, rr->type, reason, size);
                if (ws != GT_DNSSEC_SECURE) {
                    return ws;
                }
            }
        }
        return GT_DNSSEC_SECURE;
    }
    gt_dsec_code c = verify_denial_sigs(w, m, keys, &cut->zone, &res);
    if (c == GT_DSEC_LIMIT) {
        return denial_limit(w, q, cut, &res, reason, size);
    }
    if (c == GT_DSEC_OK) {
        c = prove(m, &cut->zone, &q->qname, q->qtype,
                  q->outcome == GT_OUT_NXDOMAIN ? GT_DENY_NXDOMAIN : GT_DENY_NODATA, &res);
    }
    if (c == GT_DSEC_OK && q->outcome == GT_OUT_NXDOMAIN &&
        nxdomain_optout(m, &cut->zone, &q->qname)) {
        c = GT_DSEC_INSECURE;
    }
    if (c == GT_DSEC_OK) {
        return GT_DNSSEC_SECURE;
    }
    if (c == GT_DSEC_INSECURE || c == GT_DSEC_ITERATIONS) {
        if (c == GT_DSEC_ITERATIONS) {
            note_iterations(w, m, &cut->zone, q->id);
        }
        say(reason, size, "%s",
            c == GT_DSEC_ITERATIONS ? "NSEC3 iterations above limit" : "opt-out span");
        return GT_DNSSEC_INSECURE;
    }
    say(reason, size, "%s denial not proven (%s%s%s)", gt_outcome_str(q->outcome),
        gt_dsec_code_str(c), res.detail[0] ? ": " : "", res.detail);
    gt_result_add_finding(w->r, GT_F_DNSSEC_NO_DENIAL, &cut->zone, q->id, NULL, "%s", reason);
    return GT_DNSSEC_BOGUS;
}

/*
 * What cut @p i inherits before its own DS is judged: the anchor for the root, or the status
 * of the cut above when that is not secure. Fills @p ds with the root's anchor DS set.
 */
static void cut_from_above(walk *w, size_t i, rrset *ds)
{
    const gt_config *cfg = w->cfg;
    gt_dnssec_cut *cut = &w->r->dnssec[i];
    char z1[GT_NAME_STRLEN];

    ds->n = 0;
    /* A trust anchor applies to its own owner name (RFC 4035 4.3): the zone it names is a
     * starting point of the chain, whatever the zones above it are. */
    for (size_t a = 0; a < cfg->nanchors; a++) {
        if (gt_name_eq(&cfg->anchors[a].owner, &cut->zone)) {
            add(ds, &cfg->anchors[a]);
        }
    }
    if (ds->n > 0) {
        cut->nds = ds->n;
    } else if (cut->up == GT_DNSSEC_NO_UP) {
        cut->state = GT_DNSSEC_INDETERMINATE;
        say(cut->reason, sizeof(cut->reason), "%s",
            cut->zone.len != 1 ? "the trace does not start at the root"
                               : "no trust anchor for the root (the anchors given are for other "
                                 "names)");
    } else if (w->up == GT_DNSSEC_INSECURE) {
        cut->state = GT_DNSSEC_INSECURE;
        say(cut->reason, sizeof(cut->reason), "below the insecure %s",
            nm(&w->upzone, z1, sizeof(z1)));
    } else if (w->up != GT_DNSSEC_SECURE) {
        cut->state = w->up;
        say(cut->reason, sizeof(cut->reason), "%s above is %s", nm(&w->upzone, z1, sizeof(z1)),
            gt_dnssec_state_str(w->up));
    } else if (cut_ds(w, cut, ds)) {
        (void)ds_algorithms(w, cut, ds);
    }
}

/* Judge every zone cut from the anchor down (each after the zone above it); cut i's keys go
 * to @p zkeys[i]. */
static gt_status walk_cuts(walk *w, rrset *ds, rrset *keys, rrset **zkeys)
{
    gt_result *r = w->r;
    for (size_t i = 0; i < r->ndnssec; i++) {
        gt_dnssec_cut *cut = &r->dnssec[i];
        if (w->cfg->nanchors == 0) {
            cut->state = GT_DNSSEC_INDETERMINATE;
            say(cut->reason, sizeof(cut->reason), "no trust anchor");
            continue;
        }
        w->keys.n = 0;
        if (cut->up != GT_DNSSEC_NO_UP) {
            const gt_dnssec_cut *above = &r->dnssec[cut->up];
            w->up = above->state;
            w->upzone = above->zone;
            if (zkeys[cut->up] != NULL) {
                w->keys = *zkeys[cut->up];
            }
        }
        cut_from_above(w, i, ds);
        if (cut->state == GT_DNSSEC_OFF) {
            cut_keys(w, cut, ds, keys);
            if (cut->state == GT_DNSSEC_SECURE) {
                key_algorithms(w, cut);
                weak_digest_only(w, cut, ds, keys);
            }
            zkeys[i] = malloc(sizeof(rrset));
            if (zkeys[i] == NULL) {
                return GT_ENOMEM;
            }
            *zkeys[i] = *keys;
        }
    }
    return GT_OK;
}

/* How bad a status is for a chain of links: bogus, then indeterminate, insecure, secure. */
static int badness(gt_dnssec_state s)
{
    switch (s) {
    case GT_DNSSEC_BOGUS:
        return 4;
    case GT_DNSSEC_INDETERMINATE:
        return 3;
    case GT_DNSSEC_INSECURE:
        return 2;
    case GT_DNSSEC_SECURE:
        return 1;
    default:
        return 0; /* not judged: says nothing about the chain */
    }
}

/* Where the judging of a trace stands (judge_trace()). */
enum { TRACE_TODO = 0, TRACE_BUSY, TRACE_DONE };

/*
 * Trace @p t: every final reply of its own, the best status wins (validators retry other
 * servers; failures are findings naming the server), then the weakest link with its CNAME
 * target's trace (judged first; @p busy says which traces are judged or being judged, so a
 * cycle is not followed and the recursion is as deep as the engine's CNAME chain at most). The
 * sub-traces that found its servers' addresses do not weigh on it: a validator does not validate
 * the addresses of the servers it asks (the data is signed, not the path: a forged address can only
 * lead to data that fails validation), so a bogus sub-trace is that sub-trace's status and its
 * zone's findings, not the answer's.
 */
static void judge_trace(walk *w, gt_trace_id t, rrset *const *zkeys, uint8_t *busy)
{
    gt_result *r = w->r;
    static const rrset none;
    gt_tracerec *tr = r->traces[t];
    if (busy[t] != TRACE_TODO || !followed(r, t)) {
        return;
    }
    busy[t] = TRACE_BUSY;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        char reason[GT_DNSSEC_REASON_MAX] = "";
        if (q->trace != t || !judged(q) || q->cached_from != 0 ||
            (q->outcome != GT_OUT_ANSWER && q->outcome != GT_OUT_CNAME &&
             q->outcome != GT_OUT_NXDOMAIN && q->outcome != GT_OUT_NODATA)) {
            continue;
        }
        size_t c = cut_index(r, &q->zone);
        if (c == GT_DNSSEC_NO_UP) {
            continue;
        }
        gt_dnssec_state s =
            answer_one(w, q, &r->dnssec[c], zkeys[c] ? zkeys[c] : &none, reason, sizeof(reason));
        if (r->dnssec[c].state != GT_DNSSEC_SECURE) {
            /* The zone's own status decided: say which zone (a CNAME target's may differ). */
            char z[GT_NAME_STRLEN], b[GT_DNSSEC_REASON_MAX];
            say(b, sizeof(b), "%s", reason);
            say(reason, sizeof(reason), "%s %s%s%s", nm(&q->zone, z, sizeof(z)),
                gt_dnssec_state_str(s), b[0] ? ": " : "", b);
        }
        if (tr->dnssec == GT_DNSSEC_OFF || rank(s) > rank(tr->dnssec)) {
            tr->dnssec = s;
            say(tr->dnssec_reason, sizeof(tr->dnssec_reason), "%s",
                s == GT_DNSSEC_SECURE ? "" : reason);
        }
    }
    gt_trace_id child = tr->cname_child;
    if (child != 0 && child < r->ntraces) {
        judge_trace(w, child, zkeys, busy);
        const gt_tracerec *ct = r->traces[child];
        if (badness(ct->dnssec) > badness(tr->dnssec)) {
            char n[GT_NAME_STRLEN];
            tr->dnssec = ct->dnssec;
            say(tr->dnssec_reason, sizeof(tr->dnssec_reason), "CNAME target %s: %s",
                nm(&ct->name, n, sizeof(n)),
                ct->dnssec_reason[0] ? ct->dnssec_reason : gt_dnssec_state_str(ct->dnssec));
        }
    }
    busy[t] = TRACE_DONE;
}

/* Every followed trace; the answer is the main trace's (its CNAME chain included). */
static gt_status judge_traces(walk *w, rrset *const *zkeys)
{
    gt_result *r = w->r;
    uint8_t *busy = calloc(r->ntraces + 1, sizeof(*busy));
    if (busy == NULL) {
        return GT_ENOMEM;
    }
    for (gt_trace_id t = 0; t < r->ntraces; t++) {
        judge_trace(w, t, zkeys, busy);
    }
    free(busy);
    if (r->ntraces > 0) {
        r->answer_dnssec = r->traces[0]->dnssec;
        say(r->answer_dnssec_reason, sizeof(r->answer_dnssec_reason), "%s",
            r->traces[0]->dnssec_reason);
    }
    return GT_OK;
}

/* After the walk: the expiring signatures it noted, and a trace judged without an anchor. */
static void report(walk *w)
{
    char z1[GT_NAME_STRLEN], ty[16], d[40];
    gt_result *r = w->r;
    for (size_t i = 0; i < w->notes->nexp; i++) {
        const expiring *e = &w->notes->exp[i];
        utc(e->expiration, d, sizeof(d));
        gt_result_add_finding(r, GT_F_DNSSEC_SIG_EXPIRING, &e->zone, 0, NULL,
                              "RRSIG by key %u of %s over %s expires on %s, in %.1f days: "
                              "validators will fail the zone unless it is re-signed by then",
                              e->tag, nm(&e->zone, z1, sizeof(z1)),
                              gt_type_to_str(e->type, ty, sizeof(ty)), d, e->left / 86400.0);
    }
    if (w->notes->exp_dropped > 0) {
        gt_result_add_finding(r, GT_F_LIMIT_REACHED, NULL, 0, NULL,
                              "%zu more keys with expiring signatures not listed (limit %d)",
                              w->notes->exp_dropped, GT_DNSSEC_MAX_EXPIRING);
    }
    for (size_t a = 0; a < w->cfg->nanchors && r->ndnssec > 0; a++) {
        const gt_name *owner = &w->cfg->anchors[a].owner;
        bool seen = cut_index(r, owner) != GT_DNSSEC_NO_UP, said = false;
        for (size_t b = 0; b < a && !said; b++) {
            said = gt_name_eq(&w->cfg->anchors[b].owner, owner);
        }
        if (!seen && !said) {
            gt_result_add_finding(r, GT_F_DNSSEC_NO_ANCHOR, owner, 0, NULL,
                                  "the trust anchor given for %s is not used: this trace does "
                                  "not go through %s (an anchor applies to its own name only)",
                                  nm(owner, z1, sizeof(z1)), z1);
        }
    }
    if (w->cfg->nanchors == 0 && r->ndnssec > 0) {
        gt_result_add_finding(r, GT_F_DNSSEC_NO_ANCHOR, &r->dnssec[0].zone, 0, NULL,
                              "DNSSEC not validated: no trust anchor applies to this trace (the "
                              "built-in root anchors go only with the built-in hints), so every "
                              "zone cut is indeterminate");
    }
}

gt_status gt_dnssec_chain(gt_result *r, const gt_config *cfg)
{
    if (cfg == NULL || !cfg->dnssec || !cfg->edns) {
        return GT_OK;
    }
    gt_status st = trace_zones(r);
    if (st != GT_OK) {
        return st;
    }
    gt_dnssec_budget budget;
    walk *w = calloc(1, sizeof(*w));
    rrset *ds = calloc(1, sizeof(*ds));
    rrset *keys = calloc(1, sizeof(*keys));
    rrset **zkeys = calloc(r->ndnssec + 1, sizeof(*zkeys));
    notes *nt = calloc(1, sizeof(*nt));
    if (w == NULL || ds == NULL || keys == NULL || zkeys == NULL || nt == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    w->r = r;
    w->cfg = cfg;
    w->now = (uint64_t)time(NULL);
    w->notes = nt;
    gt_dnssec_budget_init(&budget, r->dnssec_ctx, r->dnssec_checks);
    w->budget = &budget;
    st = walk_cuts(w, ds, keys, zkeys);
    if (st == GT_OK) {
        st = judge_traces(w, zkeys);
    }
    if (st == GT_OK) {
        report(w);
    }
done:
    if (zkeys != NULL) {
        for (size_t i = 0; i < r->ndnssec; i++) {
            free(zkeys[i]);
        }
    }
    free(zkeys);
    free(nt);
    free(keys);
    free(ds);
    free(w);
    return st;
}
