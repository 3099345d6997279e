/*
 * Driver of the DNSSEC oracle test (oracle.sh): checks zones and DS records that ldns made
 * against our validator. Subcommands:
 *   verify ZONEFILE ZONE    every RRSIG verifies; tampering and windows fail as they should
 *   expired ZONEFILE ZONE   every RRSIG is "expired" now, and verifies inside its window
 *   nsec ZONEFILE ZONE      NSEC proofs for names of tests/dnssec/example.test.zone
 *   nsec3 ZONEFILE ZONE plain|optout|iterations   the same with NSEC3
 *   ds KEYFILE DSFILE       our DS digest of the key equals the DS line ldns-key2ds wrote
 *   hash NAME SALT ITER HASH  our NSEC3 hash equals HASH (ldns-nsec3-hash output); SALT hex
 *   anchor DSFILE KEYFILE   both read as trust anchor files (root.ds / root.key layout; the
 *                           DNS lab writes them): one DS and one DNSKEY, and the DS is the key's
 * Prints "N passed, N failed"; exit status 0 only when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gluetrace/base/file.h"
#include "gluetrace/dnssec/anchor.h"
#include "gluetrace/dnssec/denial.h"
#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/dnssec/rrtext.h"
#include "tap.h"

/** Largest zone or key file read (the test zones are a few KiB). */
#define ORACLE_FILE_MAX (4u * 1024 * 1024)

static bool load(const char *path, gt_rrlist *list)
{
    char err[200];
    char *text = NULL;
    size_t len;
    gt_status st = gt_file_read(path, ORACLE_FILE_MAX, &text, &len, err, sizeof(err), NULL);

    if (st == GT_OK) {
        st = gt_rrlist_from_text(list, text, err, sizeof(err));
    }
    free(text);
    if (st != GT_OK) {
        fprintf(stderr, "oracle: %s: %s\n", path, err);
    }
    return st == GT_OK;
}

static gt_name name_of(const char *s)
{
    gt_name n;

    if (gt_name_from_str(&n, s) != GT_OK) {
        gt_name_root(&n);
    }
    return n;
}

/** Copy of the RRset @p owner/@p type of @p zone into @p out (RDATA copied). */
static void rrset_of(const gt_rrlist *zone, const gt_name *owner, uint16_t type, gt_rrlist *out)
{
    for (size_t i = 0; i < zone->count; i++) {
        if (zone->rrs[i].type == type && gt_name_eq(&zone->rrs[i].owner, owner)) {
            GT_CHECK(gt_rrlist_add(out, &zone->rrs[i]) == GT_OK);
        }
    }
}

/** The DNSKEY of @p zone with the RRSIG's tag and algorithm, NULL when none. */
static const gt_rr *key_for(const gt_rrlist *zone, const gt_rrsig *sig)
{
    for (size_t i = 0; i < zone->count; i++) {
        gt_dnskey k;
        const gt_rr *rr = &zone->rrs[i];
        if (rr->type == GT_TYPE_DNSKEY && gt_name_eq(&rr->owner, &sig->signer) &&
            gt_dnskey_parse(rr->rdata, rr->rdlen, &k) == GT_DSEC_OK && k.tag == sig->key_tag &&
            k.alg == sig->alg) {
            return rr;
        }
    }
    return NULL;
}

/** Flip the low bit of byte @p at of a record's (list-owned, so writable) RDATA. */
static void flip(gt_rr *rr, size_t at)
{
    uint8_t *p = (uint8_t *)(uintptr_t)rr->rdata;
    p[at] ^= 1;
}

/** Types whose last RDATA byte is not part of a name (flipping it keeps the RDATA valid). */
static bool flippable(uint16_t type)
{
    return type == GT_TYPE_A || type == GT_TYPE_AAAA || type == GT_TYPE_TXT ||
           type == GT_TYPE_SOA || type == GT_TYPE_DNSKEY || type == GT_TYPE_DS ||
           type == GT_TYPE_NSEC || type == GT_TYPE_NSEC3 || type == GT_TYPE_NSEC3PARAM;
}

/** The test's DNSSEC context (remembered checks, counters); made in main. */
static gt_dnssec_ctx *octx;

static gt_dsec_code verify_now(gt_rrlist *set, gt_rr *sig, gt_rr *key, const gt_name *zone,
                               uint64_t now, gt_dsec_result *res)
{
    gt_dnssec_budget b; /* a fresh allowance per check: the limits are tested elsewhere */
    gt_dnssec_budget_init(&b, octx, 0);
    return gt_rrsig_verify(&b, set->rrs, set->count, sig, key, zone, now, res);
}

/** Canonical form: case, order, duplicates and TTLs do not change what is signed. */
static void check_canonical(gt_rrlist *set, gt_rr *sig, gt_rr *key, const gt_name *zone,
                            uint64_t now)
{
    gt_rrlist alt = {0};
    gt_dsec_result res;

    for (size_t i = set->count; i-- > 0;) {
        GT_CHECK(gt_rrlist_add(&alt, &set->rrs[i]) == GT_OK); /* reversed order */
    }
    GT_CHECK(gt_rrlist_add(&alt, &set->rrs[0]) == GT_OK); /* a duplicate */
    for (size_t i = 0; i < alt.count; i++) {
        alt.rrs[i].ttl = 7;
        for (size_t j = 0; j < alt.rrs[i].owner.len; j++) {
            uint8_t *c = &alt.rrs[i].owner.data[j];
            *c = (uint8_t)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        }
    }
    gt_rr upsig = *sig;
    upsig.owner = alt.rrs[0].owner;
    gt_rr upkey = *key;
    GT_CHECK_INT(verify_now(&alt, &upsig, &upkey, zone, now, &res), GT_DSEC_OK);
    gt_rrlist_free(&alt);
}

/** Signature checks libcrypto did so far (gt_dnssec_counts()). */
static size_t crypto_count(void)
{
    size_t crypto, remembered;
    gt_dnssec_counts(octx, &crypto, &remembered);
    return crypto;
}

/**
 * A good signature checked again is answered from memory (no libcrypto work, still OK); the
 * checks of tampered data, signature and key below each go to libcrypto and fail, so a
 * remembered "OK" never stands in for a different check.
 */
static void check_remembered(gt_rrlist *set, gt_rr *sig, gt_rr *key, const gt_name *zone,
                             uint64_t now)
{
    gt_dsec_result res;
    size_t crypto, remembered, crypto2, remembered2;
    gt_dnssec_counts(octx, &crypto, &remembered);
    GT_CHECK_INT(verify_now(set, sig, key, zone, now, &res), GT_DSEC_OK);
    gt_dnssec_counts(octx, &crypto2, &remembered2);
    GT_CHECK(crypto2 == crypto && remembered2 == remembered + 1);
}

/** Tampered RDATA, signature and key, and times outside the window. */
static void check_tamper(gt_rrlist *set, gt_rr *sig, const gt_rrsig *s, gt_rr *key,
                         const gt_name *zone, uint64_t now)
{
    gt_dsec_result res;
    gt_rrlist keys = {0};
    size_t before;

    GT_CHECK_INT(verify_now(set, sig, key, zone, (uint64_t)s->expiration + 1, &res),
                 GT_DSEC_EXPIRED);
    GT_CHECK_STR(gt_dsec_code_str(res.code), "expired");
    GT_CHECK_INT(verify_now(set, sig, key, zone, (uint64_t)s->inception - 1, &res),
                 GT_DSEC_NOT_YET_VALID);
    gt_name other = name_of("test.");
    GT_CHECK_INT(verify_now(set, sig, key, &other, now, &res), GT_DSEC_SIGNER_MISMATCH);
    if (flippable(set->rrs[0].type)) {
        flip(&set->rrs[0], set->rrs[0].rdlen - 1u);
        before = crypto_count();
        GT_CHECK_INT(verify_now(set, sig, key, zone, now, &res), GT_DSEC_BAD_SIGNATURE);
        GT_CHECK(crypto_count() == before + 1); /* new data: a new check */
        flip(&set->rrs[0], set->rrs[0].rdlen - 1u);
    }
    flip(sig, sig->rdlen - 1u);
    before = crypto_count();
    GT_CHECK_INT(verify_now(set, sig, key, zone, now, &res), GT_DSEC_BAD_SIGNATURE);
    GT_CHECK(crypto_count() == before + 1); /* new signature: a new check */
    GT_CHECK_STR(gt_dsec_code_str(res.code), "bad-signature");
    flip(sig, sig->rdlen - 1u);
    GT_CHECK(gt_rrlist_add(&keys, key) == GT_OK);
    gt_rr *k = &keys.rrs[0];
    flip(k, k->rdlen - 1u); /* the key tag changes: not the key the RRSIG names */
    GT_CHECK_INT(verify_now(set, sig, k, zone, now, &res), GT_DSEC_KEY_MISMATCH);
    flip(k, k->rdlen - 1u);
    /* +1 and -1 two bytes apart keep the key tag: the cryptography itself must refuse. */
    uint8_t *p = (uint8_t *)(uintptr_t)k->rdata;
    size_t at = k->rdlen - 3u;
    if (p[at] < 255 && p[at + 2] > 0) {
        p[at]++;
        p[at + 2]--;
        before = crypto_count();
        gt_dsec_code c = verify_now(set, sig, k, zone, now, &res);
        GT_CHECK(c == GT_DSEC_BAD_SIGNATURE || c == GT_DSEC_BAD_KEY);
        /* another key: a new check, unless libcrypto cannot even load it (nothing charged) */
        GT_CHECK(crypto_count() == before + (c == GT_DSEC_BAD_SIGNATURE ? 1u : 0u));
    }
    gt_rrlist_free(&keys);
    GT_CHECK_INT(verify_now(set, sig, key, zone, now, &res), GT_DSEC_OK);
}

/**
 * Verify every RRSIG of the zone at @p now; @p expect_now is the code expected then.
 * With @p deep, run the canonical-form and tampering checks too.
 */
static int cmd_verify(const char *path, const char *zonestr, bool expired)
{
    gt_rrlist zone = {0};
    gt_name apex = name_of(zonestr);
    uint64_t now = (uint64_t)time(NULL);
    size_t sigs = 0;

    if (!load(path, &zone)) {
        return 1;
    }
    for (size_t i = 0; i < zone.count; i++) {
        gt_rrlist set = {0};
        gt_rrsig s;
        gt_dsec_result res;
        gt_rr *sig = &zone.rrs[i];

        if (sig->type != GT_TYPE_RRSIG) {
            continue;
        }
        GT_CHECK_INT(gt_rrsig_parse(sig->rdata, sig->rdlen, &s), GT_DSEC_OK);
        const gt_rr *kc = key_for(&zone, &s);
        GT_CHECK(kc != NULL);
        rrset_of(&zone, &sig->owner, s.type_covered, &set);
        if (kc == NULL || set.count == 0) {
            gt_rrlist_free(&set);
            continue;
        }
        gt_rr *key = &zone.rrs[kc - zone.rrs];
        sigs++;
        gt_dsec_code c = verify_now(&set, sig, key, &apex, now, &res);
        if (expired) {
            GT_CHECK_INT(c, GT_DSEC_EXPIRED);
            c = verify_now(&set, sig, key, &apex, s.inception, &res);
        }
        GT_CHECK_INT(c, GT_DSEC_OK);
        if (c != GT_DSEC_OK) {
            fprintf(stderr, "oracle: RRSIG %zu: %s\n", i, res.detail);
        }
        GT_CHECK(res.deprecated == gt_dnssec_alg_deprecated(s.alg));
        if (!expired) {
            check_remembered(&set, sig, key, &apex, now);
            check_canonical(&set, sig, key, &apex, now);
            check_tamper(&set, sig, &s, key, &apex, now);
        }
        gt_rrlist_free(&set);
    }
    GT_CHECK(sigs >= 10); /* the zone has at least ten signed RRsets */
    gt_rrlist_free(&zone);
    return gt_test_done();
}

/** A wildcard expansion: the *.wild TXT RRset answered as foo.bar.wild verifies. */
static void check_wildcard(const gt_rrlist *zone, const gt_name *apex)
{
    gt_name star = name_of("*.wild.example.test."), foo = name_of("foo.bar.wild.example.test.");
    gt_rrlist set = {0};
    gt_dsec_result res;

    rrset_of(zone, &star, GT_TYPE_TXT, &set);
    for (size_t i = 0; i < zone->count; i++) {
        const gt_rr *sig = &zone->rrs[i];
        gt_rrsig s;
        if (sig->type != GT_TYPE_RRSIG || !gt_name_eq(&sig->owner, &star) ||
            gt_rrsig_parse(sig->rdata, sig->rdlen, &s) != GT_DSEC_OK ||
            s.type_covered != GT_TYPE_TXT || set.count != 1) {
            continue;
        }
        gt_rr expanded = *sig;
        expanded.owner = foo;
        set.rrs[0].owner = foo;
        const gt_rr *key = key_for(zone, &s);
        GT_CHECK(key != NULL);
        GT_CHECK_INT(s.labels, 3);
        GT_CHECK_INT(
            gt_rrsig_verify(NULL, set.rrs, 1, &expanded, key, apex, (uint64_t)time(NULL), &res),
            GT_DSEC_OK);
        GT_CHECK(res.wildcard);
    }
    GT_CHECK_INT(set.count, 1);
    gt_rrlist_free(&set);
}

/** The records of one type from the zone. */
static void of_type(const gt_rrlist *zone, uint16_t type, gt_rrlist *out)
{
    for (size_t i = 0; i < zone->count; i++) {
        if (zone->rrs[i].type == type) {
            GT_CHECK(gt_rrlist_add(out, &zone->rrs[i]) == GT_OK);
        }
    }
}

typedef gt_dsec_code (*prove_fn)(const gt_rr *, size_t, const gt_name *, const gt_name *, uint16_t,
                                 gt_deny_kind, gt_dsec_result *);

/** One denial claim and the code expected. */
static void claim(prove_fn fn, const gt_rrlist *d, const gt_name *apex, const char *qname,
                  uint16_t qtype, gt_deny_kind kind, gt_dsec_code want)
{
    gt_name q = name_of(qname);
    gt_dsec_result res;
    gt_dsec_code got = fn(d->rrs, d->count, apex, &q, qtype, kind, &res);

    GT_CHECK_INT(got, want);
    if (got != want) {
        fprintf(stderr, "oracle:   %s type %u kind %d: %s (%s)\n", qname, qtype, (int)kind,
                gt_dsec_code_str(got), res.detail);
    }
}

/** The claims that hold for both NSEC and NSEC3 over example.test.zone. */
static void common_claims(prove_fn fn, const gt_rrlist *d, const gt_name *apex)
{
    claim(fn, d, apex, "nope.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN, GT_DSEC_OK);
    claim(fn, d, apex, "a.b.nope.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN, GT_DSEC_OK);
    claim(fn, d, apex, "zzzz.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN, GT_DSEC_OK);
    claim(fn, d, apex, "www.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN, GT_DSEC_NAME_EXISTS);
    claim(fn, d, apex, "x.wild.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN,
          GT_DSEC_WILDCARD_EXISTS);
    claim(fn, d, apex, "www.example.test.", GT_TYPE_MX, GT_DENY_NODATA, GT_DSEC_OK);
    claim(fn, d, apex, "WWW.Example.Test.", GT_TYPE_MX, GT_DENY_NODATA, GT_DSEC_OK);
    claim(fn, d, apex, "www.example.test.", GT_TYPE_A, GT_DENY_NODATA, GT_DSEC_TYPE_EXISTS);
    claim(fn, d, apex, "www.example.test.", GT_TYPE_TXT, GT_DENY_NODATA, GT_DSEC_TYPE_EXISTS);
    claim(fn, d, apex, "alias.example.test.", GT_TYPE_A, GT_DENY_NODATA, GT_DSEC_TYPE_EXISTS);
    claim(fn, d, apex, "example.test.", GT_TYPE_MX, GT_DENY_NODATA, GT_DSEC_OK);
    claim(fn, d, apex, "foo.wild.example.test.", GT_TYPE_MX, GT_DENY_NODATA, GT_DSEC_OK);
    claim(fn, d, apex, "foo.wild.example.test.", GT_TYPE_TXT, GT_DENY_NODATA, GT_DSEC_TYPE_EXISTS);
    claim(fn, d, apex, "insec.example.test.", GT_TYPE_DS, GT_DENY_NO_DS, GT_DSEC_INSECURE);
    claim(fn, d, apex, "sec.example.test.", GT_TYPE_DS, GT_DENY_NO_DS, GT_DSEC_TYPE_EXISTS);
    claim(fn, d, apex, "insec.example.test.", GT_TYPE_A, GT_DENY_NODATA, GT_DSEC_NO_PROOF);
    claim(fn, d, apex, "nope.other.", GT_TYPE_A, GT_DENY_NXDOMAIN, GT_DSEC_NO_PROOF);
}

static int cmd_nsec(const char *path, const char *zonestr)
{
    gt_rrlist zone = {0}, d = {0};
    gt_name apex = name_of(zonestr);

    if (!load(path, &zone)) {
        return 1;
    }
    of_type(&zone, GT_TYPE_NSEC, &d);
    GT_CHECK(d.count >= 9); /* apex alias deep.ent insec ns1 ns2 sec *.wild www */
    common_claims(gt_nsec_prove, &d, &apex);
    claim(gt_nsec_prove, &d, &apex, "ent.example.test.", GT_TYPE_A, GT_DENY_NODATA, GT_DSEC_OK);
    claim(gt_nsec_prove, &d, &apex, "ent.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN,
          GT_DSEC_NAME_EXISTS);
    /* Below a delegation the parent's NSEC proves nothing (RFC 6840 4.1). */
    claim(gt_nsec_prove, &d, &apex, "x.insec.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN,
          GT_DSEC_NO_PROOF);
    /* Without the wildcard's NSEC, NXDOMAIN is not proven. */
    gt_rrlist partial = {0};
    for (size_t i = 0; i < d.count; i++) {
        gt_name z = name_of("zzzz.example.test.");
        if (!gt_nsec_covers(&d.rrs[i], &z)) {
            GT_CHECK(gt_rrlist_add(&partial, &d.rrs[i]) == GT_OK);
        }
    }
    claim(gt_nsec_prove, &partial, &apex, "zzzz.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN,
          GT_DSEC_NO_PROOF);
    check_wildcard(&zone, &apex);
    gt_rrlist_free(&partial);
    gt_rrlist_free(&d);
    gt_rrlist_free(&zone);
    return gt_test_done();
}

static int cmd_nsec3(const char *path, const char *zonestr, const char *variant)
{
    gt_rrlist zone = {0}, d = {0}, param = {0};
    gt_name apex = name_of(zonestr);

    if (!load(path, &zone)) {
        return 1;
    }
    of_type(&zone, GT_TYPE_NSEC3, &d);
    of_type(&zone, GT_TYPE_NSEC3PARAM, &param);
    GT_CHECK(d.count >= 8);
    GT_CHECK_INT(param.count, 1);
    if (strcmp(variant, "iterations") == 0) {
        gt_nsec3 n3;
        GT_CHECK_INT(gt_nsec3_parse(d.rrs[0].rdata, d.rrs[0].rdlen, &n3), GT_DSEC_OK);
        GT_CHECK_INT(n3.iterations, 200);
        claim(gt_nsec3_prove, &d, &apex, "nope.example.test.", GT_TYPE_A, GT_DENY_NXDOMAIN,
              GT_DSEC_ITERATIONS);
        claim(gt_nsec3_prove, &d, &apex, "www.example.test.", GT_TYPE_MX, GT_DENY_NODATA,
              GT_DSEC_ITERATIONS);
    } else {
        bool optout = strcmp(variant, "optout") == 0;
        common_claims(gt_nsec3_prove, &d, &apex);
        /* A name with no NSEC3: insecure only when an opt-out span covers it (RFC 5155 8.9). */
        claim(gt_nsec3_prove, &d, &apex, "other.example.test.", GT_TYPE_DS, GT_DENY_NO_DS,
              optout ? GT_DSEC_INSECURE : GT_DSEC_NO_PROOF);
        claim(gt_nsec3_prove, &d, &apex, "other.example.test.", GT_TYPE_DS, GT_DENY_NODATA,
              optout ? GT_DSEC_INSECURE : GT_DSEC_NO_PROOF);
    }
    gt_rrlist_free(&param);
    gt_rrlist_free(&d);
    gt_rrlist_free(&zone);
    return gt_test_done();
}

static int cmd_ds(const char *keypath, const char *dspath)
{
    gt_rrlist key = {0}, ds = {0};
    gt_dsec_result res;

    if (!load(keypath, &key) || !load(dspath, &ds)) {
        return 1;
    }
    GT_CHECK_INT(key.count, 1);
    GT_CHECK_INT(ds.count, 1);
    if (key.count == 1 && ds.count == 1) {
        gt_ds d;
        uint8_t digest[GT_DIGEST_MAX];
        size_t dlen;
        GT_CHECK_INT(gt_ds_parse(ds.rrs[0].rdata, ds.rrs[0].rdlen, &d), GT_DSEC_OK);
        GT_CHECK_INT(gt_ds_digest(&key.rrs[0].owner, key.rrs[0].rdata, key.rrs[0].rdlen,
                                  d.digest_type, digest, &dlen),
                     GT_DSEC_OK);
        GT_CHECK(dlen == d.digestlen && memcmp(digest, d.digest, dlen) == 0);
        GT_CHECK_INT(gt_dnssec_key_tag(key.rrs[0].rdata, key.rrs[0].rdlen), d.key_tag);
        GT_CHECK_INT(gt_ds_match(&ds.rrs[0], &key.rrs[0], &res), GT_DSEC_OK);
        flip(&ds.rrs[0], ds.rrs[0].rdlen - 1u);
        GT_CHECK_INT(gt_ds_match(&ds.rrs[0], &key.rrs[0], &res), GT_DSEC_DIGEST_MISMATCH);
    }
    gt_rrlist_free(&key);
    gt_rrlist_free(&ds);
    return gt_test_done();
}

/* Read a trust anchor file with gt_anchor_parse(), the reader --trust-anchor will use. */
static bool load_anchor(const char *path, gt_rrlist *list)
{
    char err[200];
    char *text = NULL;
    size_t len;
    gt_status st = gt_file_read(path, ORACLE_FILE_MAX, &text, &len, err, sizeof(err), NULL);

    if (st == GT_OK) {
        st = gt_anchor_parse(list, text, err, sizeof(err));
    }
    free(text);
    if (st != GT_OK) {
        fprintf(stderr, "oracle: %s: %s\n", path, err);
    }
    return st == GT_OK;
}

static int cmd_anchor(const char *dspath, const char *keypath)
{
    gt_rrlist ds = {0}, key = {0};
    gt_dsec_result res;

    GT_CHECK(load_anchor(dspath, &ds));
    GT_CHECK(load_anchor(keypath, &key));
    GT_CHECK_INT(ds.count, 1);
    GT_CHECK_INT(key.count, 1);
    if (ds.count == 1 && key.count == 1) {
        GT_CHECK_INT(ds.rrs[0].type, GT_TYPE_DS);
        GT_CHECK_INT(key.rrs[0].type, GT_TYPE_DNSKEY);
        GT_CHECK_INT(gt_ds_match(&ds.rrs[0], &key.rrs[0], &res), GT_DSEC_OK);
    }
    gt_rrlist_free(&ds);
    gt_rrlist_free(&key);
    return gt_test_done();
}

static int cmd_hash(const char *name, const char *salthex, const char *iter, const char *want)
{
    gt_name n;
    uint8_t salt[255], got[GT_NSEC3_HASH_LEN], exp[64];
    size_t saltlen = strlen(salthex) / 2, explen = 0;
    char *end;
    unsigned long it = strtoul(iter, &end, 10);

    GT_CHECK(*end == '\0' && it <= 65535 && saltlen <= sizeof(salt));
    GT_CHECK_INT(gt_name_from_str(&n, name), GT_OK);
    for (size_t i = 0; i < saltlen && i < sizeof(salt); i++) {
        char byte[3] = {salthex[2 * i], salthex[2 * i + 1], '\0'};
        salt[i] = (uint8_t)strtoul(byte, NULL, 16);
    }
    size_t wlen = strcspn(want, ".");
    GT_CHECK_INT(gt_base32hex_decode(want, wlen, exp, sizeof(exp), &explen), GT_OK);
    GT_CHECK_INT(gt_nsec3_hash(&n, 1, salt, saltlen, (uint16_t)it, got), GT_DSEC_OK);
    GT_CHECK(explen == sizeof(got) && memcmp(got, exp, sizeof(got)) == 0);
    return gt_test_done();
}

int main(int argc, char **argv)
{
    if (gt_dnssec_ctx_create(NULL, &octx) != GT_OK) {
        fprintf(stderr, "dnssec_oracle: out of memory\n");
        return 2;
    }
    if (argc == 6 && strcmp(argv[1], "hash") == 0) {
        return cmd_hash(argv[2], argv[3], argv[4], argv[5]);
    }
    if (argc == 4 && strcmp(argv[1], "verify") == 0) {
        return cmd_verify(argv[2], argv[3], false);
    }
    if (argc == 4 && strcmp(argv[1], "expired") == 0) {
        return cmd_verify(argv[2], argv[3], true);
    }
    if (argc == 4 && strcmp(argv[1], "nsec") == 0) {
        return cmd_nsec(argv[2], argv[3]);
    }
    if (argc == 5 && strcmp(argv[1], "nsec3") == 0) {
        return cmd_nsec3(argv[2], argv[3], argv[4]);
    }
    if (argc == 4 && strcmp(argv[1], "ds") == 0) {
        return cmd_ds(argv[2], argv[3]);
    }
    if (argc == 4 && strcmp(argv[1], "anchor") == 0) {
        return cmd_anchor(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: dnssec_oracle verify|expired|nsec|nsec3|ds|hash|anchor ...\n");
    return 2;
}
