/*
 * DS records: parsing, digest of a DNSKEY (RFC 4034 5.1.4, RFC 4509, RFC 6605) and matching.
 */
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

/** The digest and its length for DS digest type @p type; false when the type is unknown. */
static bool digest_of(uint8_t type, dsec_md_id *id, size_t *len)
{
    switch (type) {
    case GT_DIGEST_SHA1:
        *id = DSEC_SHA1;
        *len = 20;
        return true;
    case GT_DIGEST_SHA256:
        *id = DSEC_SHA256;
        *len = 32;
        return true;
    case GT_DIGEST_SHA384:
        *id = DSEC_SHA384;
        *len = 48;
        return true;
    default:
        *id = DSEC_MD_COUNT;
        *len = 0;
        return false;
    }
}

gt_dsec_code gt_ds_parse(const uint8_t *rdata, size_t len, gt_ds *out)
{
    size_t want;
    dsec_md_id id;

    memset(out, 0, sizeof(*out));
    if (rdata == NULL || len < 5) {
        return GT_DSEC_MALFORMED;
    }
    out->key_tag = dsec_u16(rdata);
    out->alg = rdata[2];
    out->digest_type = rdata[3];
    out->digest = rdata + 4;
    out->digestlen = len - 4;
    if (digest_of(out->digest_type, &id, &want) && want != out->digestlen) {
        return GT_DSEC_MALFORMED;
    }
    return GT_DSEC_OK;
}

gt_dsec_code gt_ds_digest(const gt_name *owner, const uint8_t *dnskey_rdata, size_t len,
                          uint8_t digest_type, uint8_t *out, size_t *outlen)
{
    size_t want;
    dsec_md_id id;
    gt_dsec_code code = GT_DSEC_NOMEM;
    EVP_MD_CTX *ctx = NULL;
    const EVP_MD *md = NULL;
    unsigned int got = 0;
    gt_name lower = *owner;

    *outlen = 0;
    if (!digest_of(digest_type, &id, &want)) {
        return GT_DSEC_UNSUPPORTED_DIGEST;
    }
    gt_dnssec_name_lower(&lower);
    ctx = EVP_MD_CTX_new();
    md = dsec_md(id);
    if (ctx != NULL && md != NULL && EVP_DigestInit_ex2(ctx, md, NULL) == 1 &&
        EVP_DigestUpdate(ctx, lower.data, lower.len) == 1 &&
        EVP_DigestUpdate(ctx, dnskey_rdata, len) == 1 && EVP_DigestFinal_ex(ctx, out, &got) == 1 &&
        got == want) {
        *outlen = got;
        code = GT_DSEC_OK;
    }
    EVP_MD_CTX_free(ctx);
    return code;
}

gt_dsec_code gt_ds_match(const gt_rr *ds, const gt_rr *dnskey, gt_dsec_result *res)
{
    gt_ds d;
    gt_dnskey k;
    uint8_t digest[GT_DIGEST_MAX];
    size_t dlen;

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
    }
    if (ds->type != GT_TYPE_DS || gt_ds_parse(ds->rdata, ds->rdlen, &d) != GT_DSEC_OK ||
        dnskey->type != GT_TYPE_DNSKEY ||
        gt_dnskey_parse(dnskey->rdata, dnskey->rdlen, &k) != GT_DSEC_OK) {
        return dsec_set(res, GT_DSEC_MALFORMED, "DS or DNSKEY RDATA malformed");
    }
    if (!gt_name_eq(&ds->owner, &dnskey->owner) || d.key_tag != k.tag || d.alg != k.alg) {
        return dsec_set(res, GT_DSEC_KEY_MISMATCH,
                        "DS names key %u alg %u, the DNSKEY is key %u alg %u", d.key_tag, d.alg,
                        k.tag, k.alg);
    }
    gt_dsec_code code =
        gt_ds_digest(&dnskey->owner, dnskey->rdata, dnskey->rdlen, d.digest_type, digest, &dlen);
    if (code != GT_DSEC_OK) {
        return dsec_set(res, code, "DS digest type %u: %s", d.digest_type, gt_dsec_code_str(code));
    }
    if (dlen != d.digestlen || memcmp(digest, d.digest, dlen) != 0) {
        return dsec_set(res, GT_DSEC_DIGEST_MISMATCH, "DS digest (type %u) differs for key %u",
                        d.digest_type, k.tag);
    }
    return dsec_set(res, GT_DSEC_OK, "DS matches key %u (digest type %u)", k.tag, d.digest_type);
}
