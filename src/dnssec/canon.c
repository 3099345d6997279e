/*
 * Canonical form of names, RDATA and RRsets (RFC 4034 section 6), the data an RRSIG signs,
 * and the result words shared by the whole DNSSEC layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *gt_dsec_code_str(gt_dsec_code code)
{
    switch (code) {
    case GT_DSEC_OK:
        return "ok";
    case GT_DSEC_MALFORMED:
        return "malformed";
    case GT_DSEC_NOMEM:
        return "out-of-memory";
    case GT_DSEC_UNSUPPORTED_ALG:
        return "unsupported-algorithm";
    case GT_DSEC_UNSUPPORTED_DIGEST:
        return "unsupported-digest";
    case GT_DSEC_BAD_KEY:
        return "bad-key";
    case GT_DSEC_BAD_SIGNATURE:
        return "bad-signature";
    case GT_DSEC_EXPIRED:
        return "expired";
    case GT_DSEC_NOT_YET_VALID:
        return "not-yet-valid";
    case GT_DSEC_KEY_MISMATCH:
        return "key-mismatch";
    case GT_DSEC_SIGNER_MISMATCH:
        return "signer-mismatch";
    case GT_DSEC_LABELS_MISMATCH:
        return "labels-mismatch";
    case GT_DSEC_RRSET_MISMATCH:
        return "rrset-mismatch";
    case GT_DSEC_DIGEST_MISMATCH:
        return "digest-mismatch";
    case GT_DSEC_NO_PROOF:
        return "no-proof";
    case GT_DSEC_NAME_EXISTS:
        return "name-exists";
    case GT_DSEC_TYPE_EXISTS:
        return "type-exists";
    case GT_DSEC_WILDCARD_EXISTS:
        return "wildcard-exists";
    case GT_DSEC_INSECURE:
        return "insecure";
    case GT_DSEC_ITERATIONS:
        return "nsec3-iterations";
    case GT_DSEC_LIMIT:
        return "limit";
    }
    return "unknown";
}

gt_dsec_code dsec_set(gt_dsec_result *res, gt_dsec_code code, const char *fmt, ...)
{
    if (res != NULL) {
        va_list ap;

        res->code = code;
        va_start(ap, fmt);
        if (vsnprintf(res->detail, sizeof(res->detail), fmt, ap) < 0) {
            res->detail[0] = '\0';
        }
        va_end(ap);
    }
    return code;
}

uint16_t dsec_u16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

uint32_t dsec_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void dsec_lower_bytes(uint8_t *p, size_t n)
{
    /* Label length bytes are <= 63, below 'A', so the whole wire name can be walked. */
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 'A' && p[i] <= 'Z') {
            p[i] = (uint8_t)(p[i] + ('a' - 'A'));
        }
    }
}

size_t dsec_read_name(const uint8_t *buf, size_t len, size_t off, gt_name *out)
{
    size_t start = off;

    for (;;) {
        if (off >= len) {
            return 0;
        }
        uint8_t l = buf[off];
        if (l > GT_LABEL_MAX) {
            return 0; /* compression pointer or reserved label type */
        }
        if (off - start + 1u + l > GT_NAME_MAX || off + 1u + l > len) {
            return 0;
        }
        off += 1u + l;
        if (l == 0) {
            break;
        }
    }
    if (out != NULL) {
        out->len = (uint8_t)(off - start);
        memcpy(out->data, buf + start, off - start);
    }
    return off;
}

void gt_dnssec_name_lower(gt_name *n)
{
    dsec_lower_bytes(n->data, n->len);
}

/** Offsets of the labels of @p n (excluding the root label); returns their count. */
static unsigned label_offsets(const gt_name *n, uint8_t offs[128])
{
    unsigned count = 0;
    size_t i = 0;

    while (i < n->len && n->data[i] != 0 && count < 128) {
        offs[count++] = (uint8_t)i;
        i += (size_t)n->data[i] + 1;
    }
    return count;
}

static int lower_byte(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int gt_dnssec_name_cmp(const gt_name *a, const gt_name *b)
{
    uint8_t oa[128], ob[128];
    unsigned na = label_offsets(a, oa);
    unsigned nb = label_offsets(b, ob);

    /* RFC 4034 6.1: from the rightmost label leftwards; absent labels sort first. */
    while (na > 0 && nb > 0) {
        const uint8_t *la = a->data + oa[--na];
        const uint8_t *lb = b->data + ob[--nb];
        unsigned len = la[0] < lb[0] ? la[0] : lb[0];

        for (unsigned i = 1; i <= len; i++) {
            int d = lower_byte(la[i]) - lower_byte(lb[i]);
            if (d != 0) {
                return d;
            }
        }
        if (la[0] != lb[0]) {
            return la[0] < lb[0] ? -1 : 1;
        }
    }
    return na == nb ? 0 : (na < nb ? -1 : 1);
}

/*
 * Where the names sit in RDATA of the types RFC 4034 6.2 item 3 lists (minus NSEC, RFC 6840
 * 5.1). Letters: N name (lowercased), 1/2/4 fixed bytes, C character-string; the rest of the
 * RDATA after the last letter is copied as it is.
 */
typedef struct canon_layout {
    uint16_t type;      /**< record type */
    const char *fields; /**< field letters in wire order */
} canon_layout;

static const canon_layout canon_layouts[] = {
    {GT_TYPE_NS, "N"},           {3, "N"} /* MD */,     {4, "N"} /* MF */,
    {GT_TYPE_CNAME, "N"},        {GT_TYPE_SOA, "NN"},   {7, "N"} /* MB */,
    {8, "N"} /* MG */,           {9, "N"} /* MR */,     {GT_TYPE_PTR, "N"},
    {14, "NN"} /* MINFO */,      {GT_TYPE_MX, "2N"},    {17, "NN"} /* RP */,
    {18, "2N"} /* AFSDB */,      {21, "2N"} /* RT */,   {24, "2114442N"} /* SIG */,
    {26, "2NN"} /* PX */,        {30, "N"} /* NXT */,   {35, "22CCCN"} /* NAPTR */,
    {36, "2N"} /* KX */,         {GT_TYPE_SRV, "222N"}, {GT_TYPE_DNAME, "N"},
    {GT_TYPE_RRSIG, "2114442N"},
};

/** A6 (RFC 2874): prefix length, address suffix, then a prefix name when the length > 0. */
static gt_status canon_a6(uint8_t *out, size_t len)
{
    if (len < 1 || out[0] > 128) {
        return GT_EMALFORMED;
    }
    size_t suffix = (size_t)(128 - out[0] + 7) / 8;
    size_t off = 1 + suffix;
    if (off > len) {
        return GT_EMALFORMED;
    }
    if (out[0] > 0) {
        size_t end = dsec_read_name(out, len, off, NULL);
        if (end != len) {
            return GT_EMALFORMED;
        }
        dsec_lower_bytes(out + off, end - off);
    } else if (off != len) {
        return GT_EMALFORMED;
    }
    return GT_OK;
}

gt_status gt_dnssec_canon_rdata(uint16_t type, const uint8_t *rdata, size_t len, uint8_t *out)
{
    const char *fields = NULL;
    size_t off = 0;

    if (len > 0) {
        memcpy(out, rdata, len);
    }
    if (type == 38) {
        return canon_a6(out, len);
    }
    for (size_t i = 0; i < sizeof(canon_layouts) / sizeof(canon_layouts[0]); i++) {
        if (canon_layouts[i].type == type) {
            fields = canon_layouts[i].fields;
        }
    }
    for (; fields != NULL && *fields != '\0'; fields++) {
        size_t end;

        switch (*fields) {
        case 'N':
            end = dsec_read_name(out, len, off, NULL);
            if (end == 0) {
                return GT_EMALFORMED;
            }
            dsec_lower_bytes(out + off, end - off);
            break;
        case 'C':
            end = off < len ? off + 1u + out[off] : len + 1;
            break;
        default:
            end = off + (size_t)(*fields - '0');
            break;
        }
        if (end > len) {
            return GT_EMALFORMED;
        }
        off = end;
    }
    return GT_OK;
}

/** One RR's canonical RDATA during signed-data construction. */
typedef struct canon_rd {
    const uint8_t *data; /**< canonical RDATA (inside the scratch buffer) */
    size_t len;          /**< its length */
} canon_rd;

static int canon_rd_cmp(const void *pa, const void *pb)
{
    const canon_rd *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int d = n > 0 ? memcmp(a->data, b->data, n) : 0;

    if (d != 0) {
        return d;
    }
    return a->len == b->len ? 0 : (a->len < b->len ? -1 : 1);
}

bool dsec_wildcard_of(const gt_name *ce, gt_name *out)
{
    if (ce->len + 2 > GT_NAME_MAX) {
        return false;
    }
    out->data[0] = 1;
    out->data[1] = '*';
    memcpy(out->data + 2, ce->data, ce->len);
    out->len = (uint8_t)(ce->len + 2);
    return true;
}

bool dsec_is_wildcard(const gt_name *n)
{
    return n->len > 2 && n->data[0] == 1 && n->data[1] == '*';
}

/**
 * The owner as signed: lowercased, and "*.<rightmost labels>" when the RRSIG's labels field
 * is smaller than the owner's count (RFC 4035 5.3.2).
 */
static gt_status signed_owner(const gt_name *owner, uint8_t labels, gt_name *out)
{
    unsigned have = gt_name_labels(owner);

    *out = *owner;
    if (dsec_is_wildcard(owner)) {
        have--; /* a wildcard owner's '*' is not counted (RFC 4034 3.1.3) */
    }
    if (labels > have) {
        return GT_EMALFORMED;
    }
    if (labels < have) {
        gt_name suffix;

        gt_name_suffix(owner, gt_name_labels(owner) - labels, &suffix);
        if (!dsec_wildcard_of(&suffix, out)) {
            return GT_EMALFORMED; /* cannot happen: the suffix is shorter than the owner */
        }
    }
    gt_dnssec_name_lower(out);
    return GT_OK;
}

/** Copy the RRset's canonical RDATA into @p scratch, sorted, duplicates removed. */
static gt_status sorted_rdata(const gt_rr *rrset, size_t n, uint8_t *scratch, canon_rd *rds,
                              size_t *count)
{
    size_t at = 0;

    for (size_t i = 0; i < n; i++) {
        if (rrset[i].rdlen > 0 && gt_dnssec_canon_rdata(rrset[i].type, rrset[i].rdata,
                                                        rrset[i].rdlen, scratch + at) != GT_OK) {
            return GT_EMALFORMED;
        }
        rds[i].data = scratch + at;
        rds[i].len = rrset[i].rdlen;
        at += rrset[i].rdlen;
    }
    qsort(rds, n, sizeof(rds[0]), canon_rd_cmp);
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        if (*count == 0 || canon_rd_cmp(&rds[*count - 1], &rds[i]) != 0) {
            rds[(*count)++] = rds[i];
        }
    }
    return GT_OK;
}

gt_status gt_dnssec_signed_data(const gt_rr *rrset, size_t n, const uint8_t *rrsig_rdata,
                                size_t rrsig_len, uint8_t **out, size_t *outlen)
{
    gt_status st = GT_ENOMEM;
    uint8_t *scratch = NULL, *buf = NULL;
    canon_rd *rds = NULL;
    size_t total = 0, count = 0, rdsum = 0;
    gt_name owner;
    gt_rrsig sig;

    *out = NULL;
    *outlen = 0;
    if (n == 0 || gt_rrsig_parse(rrsig_rdata, rrsig_len, &sig) != GT_DSEC_OK ||
        signed_owner(&rrset[0].owner, sig.labels, &owner) != GT_OK) {
        return GT_EMALFORMED;
    }
    for (size_t i = 0; i < n; i++) {
        rdsum += rrset[i].rdlen; /* n RRs of <= 65535 bytes: no overflow for sane n */
    }
    if (n > SIZE_MAX / (sizeof(canon_rd) + GT_NAME_MAX + 10 + 65535)) {
        return GT_ENOMEM;
    }
    total = sig.sig_offset + n * ((size_t)owner.len + 10) + rdsum;
    scratch = malloc(rdsum + 1);
    rds = malloc(n * sizeof(*rds));
    buf = malloc(total);
    if (scratch == NULL || rds == NULL || buf == NULL) {
        goto done;
    }
    st = sorted_rdata(rrset, n, scratch, rds, &count);
    if (st != GT_OK) {
        goto done;
    }
    gt_wbuf w;
    gt_wbuf_init(&w, buf, total);
    gt_wbuf_bytes(&w, rrsig_rdata, sig.sig_offset);
    /* The signer sits at offset 18 and is lowercased in the signed data (RFC 6840 5.1). */
    dsec_lower_bytes(buf + 18, sig.signer.len);
    for (size_t i = 0; i < count; i++) {
        gt_wbuf_name(&w, &owner);
        gt_wbuf_u16(&w, rrset[0].type);
        gt_wbuf_u16(&w, rrset[0].cls);
        gt_wbuf_u32(&w, sig.orig_ttl);
        gt_wbuf_u16(&w, (uint16_t)rds[i].len);
        gt_wbuf_bytes(&w, rds[i].data, rds[i].len);
    }
    st = w.err;
    if (st == GT_OK) {
        *out = buf;
        *outlen = w.len;
        buf = NULL;
    }
done:
    free(scratch);
    free(rds);
    free(buf);
    return st;
}
