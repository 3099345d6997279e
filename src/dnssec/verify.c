/*
 * DNSKEY and RRSIG RDATA, key tags, validity windows and signature verification with
 * OpenSSL 3's libcrypto (RFC 4034, RFC 4035 5.3, RFC 5702, RFC 6605, RFC 8080, RFC 3110).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "internal.h"

gt_dsec_code gt_dnskey_parse(const uint8_t *rdata, size_t len, gt_dnskey *out)
{
    memset(out, 0, sizeof(*out));
    if (rdata == NULL || len < 5) {
        return GT_DSEC_MALFORMED;
    }
    out->flags = dsec_u16(rdata);
    out->protocol = rdata[2];
    out->alg = rdata[3];
    out->key = rdata + 4;
    out->keylen = len - 4;
    out->tag = gt_dnssec_key_tag(rdata, len);
    return GT_DSEC_OK;
}

uint16_t gt_dnssec_key_tag(const uint8_t *rdata, size_t len)
{
    uint32_t ac = 0;

    for (size_t i = 0; i < len; i++) {
        ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
    }
    ac += (ac >> 16) & 0xFFFF;
    return (uint16_t)(ac & 0xFFFF);
}

gt_dsec_code gt_rrsig_parse(const uint8_t *rdata, size_t len, gt_rrsig *out)
{
    memset(out, 0, sizeof(*out));
    if (rdata == NULL || len < 18) {
        return GT_DSEC_MALFORMED;
    }
    out->type_covered = dsec_u16(rdata);
    out->alg = rdata[2];
    out->labels = rdata[3];
    out->orig_ttl = dsec_u32(rdata + 4);
    out->expiration = dsec_u32(rdata + 8);
    out->inception = dsec_u32(rdata + 12);
    out->key_tag = dsec_u16(rdata + 16);
    size_t end = dsec_read_name(rdata, len, 18, &out->signer);
    if (end == 0 || end >= len) {
        return GT_DSEC_MALFORMED;
    }
    out->sig_offset = end;
    out->sig = rdata + end;
    out->siglen = len - end;
    return GT_DSEC_OK;
}

bool gt_serial_lt(uint32_t a, uint32_t b)
{
    /* RFC 1982 3.2 with SERIAL_BITS 32; a distance of exactly 2^31 is undefined: false. */
    uint32_t d = b - a;
    return d != 0 && d < 0x80000000u;
}

gt_dsec_code gt_rrsig_check_window(const gt_rrsig *sig, uint64_t now)
{
    uint32_t t = (uint32_t)now;

    if (gt_serial_lt(sig->expiration, t)) {
        return GT_DSEC_EXPIRED;
    }
    if (gt_serial_lt(t, sig->inception)) {
        return GT_DSEC_NOT_YET_VALID;
    }
    /* Neither before nor after but not equal: 2^31 apart, no defined order (RFC 1982). */
    if (t != sig->expiration && !gt_serial_lt(t, sig->expiration)) {
        return GT_DSEC_EXPIRED;
    }
    return GT_DSEC_OK;
}

bool gt_dnssec_alg_supported(uint8_t alg)
{
    switch (alg) {
    case GT_ALG_RSASHA1:
    case GT_ALG_RSASHA1_NSEC3:
    case GT_ALG_RSASHA256:
    case GT_ALG_RSASHA512:
    case GT_ALG_ECDSAP256:
    case GT_ALG_ECDSAP384:
    case GT_ALG_ED25519:
    case GT_ALG_ED448:
        return true;
    default:
        return false;
    }
}

bool gt_dnssec_alg_deprecated(uint8_t alg)
{
    return alg == GT_ALG_RSASHA1 || alg == GT_ALG_RSASHA1_NSEC3;
}

const char *gt_dnssec_alg_str(uint8_t alg)
{
    switch (alg) {
    case 1:
        return "RSAMD5";
    case 3:
        return "DSA";
    case GT_ALG_RSASHA1:
        return "RSASHA1";
    case 6:
        return "DSA-NSEC3-SHA1";
    case GT_ALG_RSASHA1_NSEC3:
        return "RSASHA1-NSEC3-SHA1";
    case GT_ALG_RSASHA256:
        return "RSASHA256";
    case GT_ALG_RSASHA512:
        return "RSASHA512";
    case 12:
        return "ECC-GOST";
    case GT_ALG_ECDSAP256:
        return "ECDSAP256SHA256";
    case GT_ALG_ECDSAP384:
        return "ECDSAP384SHA384";
    case GT_ALG_ED25519:
        return "ED25519";
    case GT_ALG_ED448:
        return "ED448";
    default:
        return "unknown";
    }
}

/** Largest RSA modulus we load (RFC 3110 allows up to 4096 bits); the exponent is bounded by
 * GT_DNSSEC_RSA_MAX_EXP_BITS (BIND's limit): verification time grows with its length. */
#define DSEC_RSA_MAX_BYTES 512

/** RSA public key from RFC 3110 2 wire form: exponent length (1 or 3 bytes), e, n. */
static EVP_PKEY *load_rsa(const uint8_t *key, size_t len)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    BIGNUM *n = NULL, *e = NULL;
    size_t elen, off = 1;

    if (len < 1) {
        return NULL;
    }
    elen = key[0];
    if (elen == 0) {
        if (len < 3) {
            return NULL;
        }
        elen = dsec_u16(key + 1);
        off = 3;
    }
    if (elen == 0 || elen > len - off || len - off - elen == 0 ||
        len - off - elen > DSEC_RSA_MAX_BYTES) {
        return NULL;
    }
    e = BN_bin2bn(key + off, (int)elen, NULL);
    n = BN_bin2bn(key + off + elen, (int)(len - off - elen), NULL);
    bld = OSSL_PARAM_BLD_new();
    if (e == NULL || n == NULL || bld == NULL || BN_num_bits(e) > GT_DNSSEC_RSA_MAX_EXP_BITS ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
        (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

/** ECDSA public key from RFC 6605 4 form: X | Y, each @p half bytes. */
static EVP_PKEY *load_ec(const uint8_t *key, size_t len, size_t half, const char *group)
{
    uint8_t point[1 + 2 * 48];
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM params[3];
    char gname[16]; /* OSSL_PARAM wants a writable string */

    if (key == NULL || len != 2 * half || snprintf(gname, sizeof(gname), "%s", group) <= 0) {
        return NULL;
    }
    point[0] = 0x04; /* uncompressed point (SEC 1 2.3.3) */
    memcpy(point + 1, key, len);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, gname, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, len + 1);
    params[2] = OSSL_PARAM_construct_end();
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/** ECDSA signature r | s (RFC 6605 4) to the DER form libcrypto verifies. */
static unsigned char *ecdsa_der(const uint8_t *sig, size_t len, size_t half, int *derlen)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = NULL, *s = NULL;
    unsigned char *der = NULL;

    *derlen = 0;
    if (es == NULL || len != 2 * half) {
        goto done;
    }
    r = BN_bin2bn(sig, (int)half, NULL);
    s = BN_bin2bn(sig + half, (int)half, NULL);
    if (r == NULL || s == NULL || !ECDSA_SIG_set0(es, r, s)) {
        BN_free(r);
        BN_free(s);
        goto done;
    }
    *derlen = i2d_ECDSA_SIG(es, &der);
    if (*derlen <= 0) {
        der = NULL;
        *derlen = 0;
    }
done:
    ECDSA_SIG_free(es);
    return der;
}

/** How one algorithm is verified. */
typedef struct alg_info {
    const char *md;    /**< digest name for EVP_DigestVerifyInit_ex, NULL for EdDSA (pure) */
    const char *group; /**< ECDSA curve name, NULL otherwise */
    size_t ec_half;    /**< ECDSA coordinate size, 0 otherwise */
    size_t raw_keylen; /**< EdDSA public key length, 0 otherwise */
    int raw_type;      /**< EVP_PKEY_ED25519 / ED448 for raw keys, 0 otherwise */
    uint8_t alg;       /**< DNSSEC algorithm number */
} alg_info;

static const alg_info alg_table[] = {
    {"SHA1", NULL, 0, 0, 0, GT_ALG_RSASHA1},
    {"SHA1", NULL, 0, 0, 0, GT_ALG_RSASHA1_NSEC3},
    {"SHA256", NULL, 0, 0, 0, GT_ALG_RSASHA256},
    {"SHA512", NULL, 0, 0, 0, GT_ALG_RSASHA512},
    {"SHA256", "prime256v1", 32, 0, 0, GT_ALG_ECDSAP256},
    {"SHA384", "secp384r1", 48, 0, 0, GT_ALG_ECDSAP384},
    {NULL, NULL, 0, 32, EVP_PKEY_ED25519, GT_ALG_ED25519},
    {NULL, NULL, 0, 57, EVP_PKEY_ED448, GT_ALG_ED448},
};

static const alg_info *find_alg(uint8_t alg)
{
    for (size_t i = 0; i < sizeof(alg_table) / sizeof(alg_table[0]); i++) {
        if (alg_table[i].alg == alg) {
            return &alg_table[i];
        }
    }
    return NULL;
}

static EVP_PKEY *load_key(const alg_info *ai, const uint8_t *key, size_t len)
{
    if (ai->raw_type != 0) {
        return len == ai->raw_keylen ? EVP_PKEY_new_raw_public_key(ai->raw_type, NULL, key, len)
                                     : NULL;
    }
    if (ai->ec_half != 0) {
        return load_ec(key, len, ai->ec_half, ai->group);
    }
    return load_rsa(key, len);
}

/**
 * Signature checks remembered: the outcome of libcrypto's verification is a pure function of
 * (algorithm, public key, signed data, signature), so the same check is done once per context.
 * Entries are named by a SHA-256 of the inputs, in an open-addressing table; when it is three
 * quarters full it starts again empty (a bulk run's context lives for the whole run).
 */
#define DSEC_MEMO_SIZE 16384

typedef struct memo_entry {
    uint8_t id[32];    /**< SHA-256 of the inputs (memo_id) */
    gt_dsec_code code; /**< GT_DSEC_OK, GT_DSEC_BAD_KEY or GT_DSEC_BAD_SIGNATURE */
    bool used;         /**< the entry holds a result */
} memo_entry;

struct gt_dnssec_ctx {
    memo_entry *memo;                  /**< DSEC_MEMO_SIZE entries; owned */
    size_t used;                       /**< entries holding a result */
    size_t crypto;                     /**< checks libcrypto did */
    size_t remembered;                 /**< checks answered from the memo */
    const volatile sig_atomic_t *stop; /**< the run's stop flag, or NULL; borrowed */
};

gt_status gt_dnssec_ctx_create(const volatile sig_atomic_t *stop, gt_dnssec_ctx **out)
{
    gt_dnssec_ctx *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (c == NULL || (c->memo = calloc(DSEC_MEMO_SIZE, sizeof(*c->memo))) == NULL) {
        free(c);
        return GT_ENOMEM;
    }
    c->stop = stop;
    *out = c;
    return GT_OK;
}

void gt_dnssec_ctx_free(gt_dnssec_ctx *c)
{
    if (c != NULL) {
        free(c->memo);
        free(c);
    }
}

void gt_dnssec_counts(const gt_dnssec_ctx *c, size_t *crypto, size_t *remembered)
{
    *crypto = c != NULL ? c->crypto : 0;
    *remembered = c != NULL ? c->remembered : 0;
}

void gt_dnssec_budget_init(gt_dnssec_budget *b, gt_dnssec_ctx *ctx, size_t done)
{
    memset(b, 0, sizeof(*b));
    b->ctx = ctx;
    b->done = done;
    b->name_left = done < GT_DNSSEC_MAX_CHECKS_PER_NAME ? GT_DNSSEC_MAX_CHECKS_PER_NAME - done : 0;
    b->reply_left = GT_DNSSEC_MAX_CHECKS_PER_REPLY;
}

const char *gt_dnssec_cap_str(unsigned cap)
{
    if (cap & GT_DSEC_CAP_STOP) {
        return "the run is stopping: no more signature checks";
    }
    if (cap & GT_DSEC_CAP_NAME) {
        return "the allowance of " GT_STR(GT_DNSSEC_MAX_CHECKS_PER_NAME) " signature checks for "
                                                                         "one name is spent";
    }
    if (cap & GT_DSEC_CAP_REPLY) {
        return "the allowance of " GT_STR(GT_DNSSEC_MAX_CHECKS_PER_REPLY) " signature checks for "
                                                                          "one reply is spent";
    }
    if (cap & GT_DSEC_CAP_SLICE) {
        return "deferred to the diagnosis (time slice over)";
    }
    if (cap & GT_DSEC_CAP_SIGS) {
        return "more RRSIGs than the " GT_STR(GT_DNSSEC_MAX_SIGS_PER_RRSET) " tried per RRset";
    }
    if (cap & GT_DSEC_CAP_KEYS) {
        return "more keys share a key tag than the " GT_STR(GT_DNSSEC_MAX_KEYS_PER_TAG) " tried";
    }
    return "no limit";
}

void gt_dnssec_budget_reply(gt_dnssec_budget *b)
{
    b->reply_left = GT_DNSSEC_MAX_CHECKS_PER_REPLY;
}

double gt_dnssec_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The allowance of @p b that refuses one more check now: a GT_DSEC_CAP_* bit, 0 for none. */
static unsigned refused(const gt_dnssec_budget *b)
{
    if (b == NULL) {
        return 0;
    }
    if (b->ctx != NULL && b->ctx->stop != NULL && *b->ctx->stop != 0) {
        return GT_DSEC_CAP_STOP;
    }
    if (b->name_left == 0) {
        return GT_DSEC_CAP_NAME;
    }
    if (b->reply_left == 0) {
        return GT_DSEC_CAP_REPLY;
    }
    if (b->slice_end_ms > 0 && gt_dnssec_clock_ms() >= b->slice_end_ms) {
        return GT_DSEC_CAP_SLICE;
    }
    return 0;
}

static void charge(gt_dnssec_budget *b)
{
    if (b != NULL) {
        b->done++;
        b->name_left -= b->name_left > 0;
        b->reply_left -= b->reply_left > 0;
        if (b->ctx != NULL) {
            b->ctx->crypto++;
        }
    }
}

static void put_len(EVP_MD_CTX *ctx, size_t len)
{
    uint8_t b[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    (void)EVP_DigestUpdate(ctx, b, sizeof(b));
}

/* The name of one check: SHA-256 of algorithm, key, signature and data, each with its length. */
static bool memo_id(uint8_t alg, const uint8_t *key, size_t keylen, const uint8_t *data,
                    size_t datalen, const uint8_t *sig, size_t siglen, uint8_t id[32])
{
    const EVP_MD *md = dsec_md(DSEC_SHA256);
    EVP_MD_CTX *ctx = md != NULL ? EVP_MD_CTX_new() : NULL;
    unsigned int got = 0;
    bool ok = ctx != NULL && EVP_DigestInit_ex2(ctx, md, NULL) == 1;
    if (ok) {
        (void)EVP_DigestUpdate(ctx, &alg, 1);
        put_len(ctx, keylen);
        (void)EVP_DigestUpdate(ctx, key, keylen);
        put_len(ctx, siglen);
        (void)EVP_DigestUpdate(ctx, sig, siglen);
        put_len(ctx, datalen);
        ok = EVP_DigestUpdate(ctx, data, datalen) == 1 && EVP_DigestFinal_ex(ctx, id, &got) == 1 &&
             got == 32;
    }
    EVP_MD_CTX_free(ctx);
    return ok;
}

/* The slot of @p id in @p c's table: the entry holding it, or the empty one where it goes. */
static memo_entry *memo_slot(gt_dnssec_ctx *c, const uint8_t id[32])
{
    size_t h = ((size_t)id[0] << 8 | id[1]) * 256u + id[2];
    for (size_t k = 0; k < DSEC_MEMO_SIZE; k++) {
        memo_entry *m = &c->memo[(h + k) % DSEC_MEMO_SIZE];
        if (!m->used || memcmp(m->id, id, 32) == 0) {
            return m;
        }
    }
    return NULL; /* not reached: the table is never more than 3/4 full */
}

static void memo_put(gt_dnssec_ctx *c, const uint8_t id[32], gt_dsec_code code)
{
    if (c->used >= DSEC_MEMO_SIZE / 4 * 3) {
        memset(c->memo, 0, DSEC_MEMO_SIZE * sizeof(*c->memo));
        c->used = 0;
    }
    memo_entry *m = memo_slot(c, id);
    if (m != NULL && !m->used) {
        memcpy(m->id, id, 32);
        m->code = code;
        m->used = true;
        c->used++;
    }
}

/*
 * Verify @p sig over @p data with the DNSKEY public key @p key of algorithm @p ai, charged to
 * @p b once the key is loaded (GT_DSEC_LIMIT with the refusing allowance in @p cap when @p b
 * refuses it).
 */
static gt_dsec_code crypto_verify(gt_dnssec_budget *b, const alg_info *ai, const uint8_t *key,
                                  size_t keylen, const uint8_t *data, size_t datalen,
                                  const uint8_t *sig, size_t siglen, unsigned *cap)
{
    gt_dsec_code code = GT_DSEC_BAD_KEY;
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *mctx = NULL;
    unsigned char *der = NULL;
    int derlen = 0;

    gt_dnssec_warm_up();
    *cap = 0;
    pkey = load_key(ai, key, keylen);
    if (pkey == NULL) {
        goto done;
    }
    if ((*cap = refused(b)) != 0) {
        code = GT_DSEC_LIMIT;
        goto done;
    }
    charge(b); /* the key is loaded: from here on it is a check */
    code = GT_DSEC_NOMEM;
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        goto done;
    }
    if (ai->ec_half != 0) {
        der = ecdsa_der(sig, siglen, ai->ec_half, &derlen);
        if (der == NULL) {
            code = GT_DSEC_BAD_SIGNATURE;
            goto done;
        }
        sig = der;
        siglen = (size_t)derlen;
    }
    code = GT_DSEC_BAD_SIGNATURE;
    if (EVP_DigestVerifyInit_ex(mctx, NULL, ai->md, NULL, NULL, pkey, NULL) == 1 &&
        EVP_DigestVerify(mctx, sig, siglen, data, datalen) == 1) {
        code = GT_DSEC_OK;
    }
done:
    OPENSSL_free(der);
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_free(pkey);
    return code;
}

/** RFC 4035 5.3.1 checks on the RRset against the RRSIG (before any cryptography). */
static gt_dsec_code check_rrset(const gt_rr *rrset, size_t n, const gt_rr *rrsig,
                                const gt_rrsig *sig, const gt_name *zone, gt_dsec_result *res)
{
    if (n == 0) {
        return dsec_set(res, GT_DSEC_RRSET_MISMATCH, "empty RRset");
    }
    for (size_t i = 0; i < n; i++) {
        if (!gt_name_eq(&rrset[i].owner, &rrsig->owner) || rrset[i].type != sig->type_covered ||
            rrset[i].cls != rrsig->cls) {
            return dsec_set(res, GT_DSEC_RRSET_MISMATCH,
                            "record %zu is not the owner/type/class the RRSIG covers", i);
        }
    }
    if (zone != NULL && !gt_name_eq(&sig->signer, zone)) {
        return dsec_set(res, GT_DSEC_SIGNER_MISMATCH, "signer name is not the zone apex");
    }
    if (!gt_name_is_under(&rrsig->owner, &sig->signer)) {
        return dsec_set(res, GT_DSEC_SIGNER_MISMATCH, "owner is not under the signer name");
    }
    unsigned have = gt_name_labels(&rrsig->owner);
    if (dsec_is_wildcard(&rrsig->owner)) {
        have--;
    }
    if (sig->labels > have) {
        return dsec_set(res, GT_DSEC_LABELS_MISMATCH, "RRSIG labels %u > owner labels %u",
                        sig->labels, have);
    }
    if (res != NULL) {
        res->wildcard = sig->labels < have;
    }
    return GT_DSEC_OK;
}

/** RFC 4035 5.3.1: the DNSKEY fits the RRSIG. */
static gt_dsec_code check_key(const gt_rr *dnskey, const gt_rrsig *sig, gt_dnskey *key,
                              gt_dsec_result *res)
{
    if (dnskey->type != GT_TYPE_DNSKEY ||
        gt_dnskey_parse(dnskey->rdata, dnskey->rdlen, key) != GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_MALFORMED, "DNSKEY RDATA malformed");
    }
    if (!gt_name_eq(&dnskey->owner, &sig->signer)) {
        return dsec_set(res, GT_DSEC_KEY_MISMATCH, "DNSKEY owner is not the signer name");
    }
    if (key->protocol != 3 || (key->flags & GT_DNSKEY_FLAG_ZONE) == 0) {
        return dsec_set(res, GT_DSEC_KEY_MISMATCH, "DNSKEY is not a zone key of protocol 3");
    }
    if (key->alg != sig->alg || key->tag != sig->key_tag) {
        return dsec_set(res, GT_DSEC_KEY_MISMATCH,
                        "DNSKEY tag %u alg %u does not match RRSIG tag %u alg %u", key->tag,
                        key->alg, sig->key_tag, sig->alg);
    }
    return GT_DSEC_OK;
}

gt_dsec_code gt_rrsig_verify(gt_dnssec_budget *b, const gt_rr *rrset, size_t n, const gt_rr *rrsig,
                             const gt_rr *dnskey, const gt_name *zone, uint64_t now,
                             gt_dsec_result *res)
{
    gt_rrsig sig;
    gt_dnskey key;
    gt_dsec_code code;
    uint8_t *data = NULL;
    size_t datalen = 0;

    memset(&key, 0, sizeof(key));
    if (res != NULL) {
        memset(res, 0, sizeof(*res));
    }
    if (rrsig->type != GT_TYPE_RRSIG ||
        gt_rrsig_parse(rrsig->rdata, rrsig->rdlen, &sig) != GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_MALFORMED, "RRSIG RDATA malformed");
    }
    code = check_rrset(rrset, n, rrsig, &sig, zone, res);
    if (code == GT_DSEC_OK && (code = gt_rrsig_check_window(&sig, now)) != GT_DSEC_OK) {
        dsec_set(res, code, "now %lu is outside the window %lu..%lu", (unsigned long)now,
                 (unsigned long)sig.inception, (unsigned long)sig.expiration);
    }
    if (code == GT_DSEC_OK) {
        code = check_key(dnskey, &sig, &key, res);
    }
    if (code != GT_DSEC_OK) {
        return code;
    }
    const alg_info *ai = find_alg(sig.alg);
    if (ai == NULL) {
        return dsec_set(res, GT_DSEC_UNSUPPORTED_ALG, "algorithm %u (%s) is not supported", sig.alg,
                        gt_dnssec_alg_str(sig.alg));
    }
    gt_status st = gt_dnssec_signed_data(rrset, n, rrsig->rdata, rrsig->rdlen, &data, &datalen);
    if (st != GT_OK) {
        return dsec_set(res, st == GT_ENOMEM ? GT_DSEC_NOMEM : GT_DSEC_MALFORMED,
                        "cannot build the signed data: %s", gt_status_str(st));
    }
    uint8_t id[32];
    gt_dnssec_ctx *ctx = b != NULL ? b->ctx : NULL;
    bool named = ctx != NULL &&
                 memo_id(sig.alg, key.key, key.keylen, data, datalen, sig.sig, sig.siglen, id);
    const memo_entry *seen = named ? memo_slot(ctx, id) : NULL;
    unsigned cap = 0;
    if (seen != NULL && seen->used) {
        code = seen->code;
        ctx->remembered++;
    } else {
        code = crypto_verify(b, ai, key.key, key.keylen, data, datalen, sig.sig, sig.siglen, &cap);
        if (named && code != GT_DSEC_NOMEM && code != GT_DSEC_LIMIT) {
            memo_put(ctx, id, code);
        }
    }
    free(data);
    if (code == GT_DSEC_LIMIT) {
        if (b != NULL) {
            b->spent |= cap;
        }
        if (res != NULL) {
            res->caps = cap;
        }
        return dsec_set(res, code, "%s", gt_dnssec_cap_str(cap));
    }
    if (code != GT_DSEC_OK) {
        return dsec_set(res, code, "%s with key %u (%s)",
                        code == GT_DSEC_BAD_KEY ? "public key cannot be loaded"
                                                : "signature does not verify",
                        key.tag, gt_dnssec_alg_str(sig.alg));
    }
    if (res != NULL) {
        res->deprecated = gt_dnssec_alg_deprecated(sig.alg);
    }
    return dsec_set(res, GT_DSEC_OK, "verified with key %u (%s)%s", key.tag,
                    gt_dnssec_alg_str(sig.alg),
                    gt_dnssec_alg_deprecated(sig.alg) ? ", a deprecated algorithm (RFC 8624)" : "");
}
