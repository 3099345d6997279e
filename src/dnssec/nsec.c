/*
 * NSEC: type bitmaps and denial proofs (RFC 4035 5.4, RFC 6840 4.1 and 4.4, RFC 7129 5).
 */
#include <string.h>

#include "gluetrace/dnssec/denial.h"
#include "internal.h"

bool gt_nsec_bitmap_valid(const uint8_t *bitmap, size_t len)
{
    size_t off = 0;
    int last = -1;

    while (off < len) {
        if (len - off < 2) {
            return false;
        }
        uint8_t win = bitmap[off], blen = bitmap[off + 1];
        if ((int)win <= last || blen < 1 || blen > 32 || len - off - 2 < blen) {
            return false;
        }
        last = win;
        off += 2u + blen;
    }
    return true;
}

bool gt_nsec_bitmap_has(const uint8_t *bitmap, size_t len, uint16_t type)
{
    size_t off = 0;

    if (!gt_nsec_bitmap_valid(bitmap, len)) {
        return false;
    }
    while (off < len) {
        uint8_t win = bitmap[off], blen = bitmap[off + 1];
        if (win == type >> 8) {
            unsigned bit = type & 0xFF;
            return bit / 8 < blen && (bitmap[off + 2 + bit / 8] & (0x80 >> (bit % 8))) != 0;
        }
        off += 2u + blen;
    }
    return false;
}

gt_dsec_code gt_nsec_parse(const uint8_t *rdata, size_t len, gt_nsec *out)
{
    memset(out, 0, sizeof(*out));
    size_t end = rdata != NULL ? dsec_read_name(rdata, len, 0, &out->next) : 0;
    if (end == 0 || !gt_nsec_bitmap_valid(rdata + end, len - end)) {
        return GT_DSEC_MALFORMED;
    }
    out->bitmap = rdata + end;
    out->bitmaplen = len - end;
    return GT_DSEC_OK;
}

bool gt_nsec_covers(const gt_rr *nsec, const gt_name *name)
{
    gt_nsec ns;

    if (gt_nsec_parse(nsec->rdata, nsec->rdlen, &ns) != GT_DSEC_OK) {
        return false;
    }
    int after_owner = gt_dnssec_name_cmp(&nsec->owner, name) < 0;
    int before_next = gt_dnssec_name_cmp(name, &ns.next) < 0;
    if (gt_dnssec_name_cmp(&nsec->owner, &ns.next) < 0) {
        return after_owner && before_next;
    }
    return after_owner || before_next; /* the last NSEC: next wraps to the apex */
}

/** One usable NSEC: the record and its parsed RDATA. */
typedef struct nsec_view {
    const gt_rr *rr; /**< the record (borrowed) */
    gt_nsec d;       /**< its RDATA */
} nsec_view;

/** Find the NSEC owned by @p name (case-insensitive) in @p zone. */
static bool find_match(const gt_rr *nsecs, size_t n, const gt_name *zone, const gt_name *name,
                       nsec_view *out)
{
    for (size_t i = 0; i < n; i++) {
        if (nsecs[i].type == GT_TYPE_NSEC && gt_name_eq(&nsecs[i].owner, name) &&
            gt_name_is_under(&nsecs[i].owner, zone) &&
            gt_nsec_parse(nsecs[i].rdata, nsecs[i].rdlen, &out->d) == GT_DSEC_OK) {
            out->rr = &nsecs[i];
            return true;
        }
    }
    return false;
}

/**
 * An NSEC at an ancestor of @p name that is a delegation (NS without SOA) or a DNAME says
 * nothing about names below it (RFC 6840 4.1).
 */
static bool blocks_below(const nsec_view *v, const gt_name *name)
{
    if (gt_name_eq(&v->rr->owner, name) || !gt_name_is_under(name, &v->rr->owner)) {
        return false;
    }
    const uint8_t *b = v->d.bitmap;
    size_t l = v->d.bitmaplen;
    return gt_nsec_bitmap_has(b, l, GT_TYPE_DNAME) ||
           (gt_nsec_bitmap_has(b, l, GT_TYPE_NS) && !gt_nsec_bitmap_has(b, l, GT_TYPE_SOA));
}

/** Find an NSEC in @p zone that covers @p name and may speak for it. */
static bool find_cover(const gt_rr *nsecs, size_t n, const gt_name *zone, const gt_name *name,
                       nsec_view *out)
{
    for (size_t i = 0; i < n; i++) {
        if (nsecs[i].type == GT_TYPE_NSEC && gt_name_is_under(&nsecs[i].owner, zone) &&
            gt_name_is_under(name, zone) && gt_nsec_covers(&nsecs[i], name) &&
            gt_nsec_parse(nsecs[i].rdata, nsecs[i].rdlen, &out->d) == GT_DSEC_OK) {
            out->rr = &nsecs[i];
            if (!blocks_below(out, name)) {
                return true;
            }
        }
    }
    return false;
}

/** The longest common ancestor of @p a and @p b (label-aligned, case-insensitive). */
static void common_ancestor(const gt_name *a, const gt_name *b, gt_name *out)
{
    unsigned la = gt_name_labels(a), lb = gt_name_labels(b);
    unsigned k = la < lb ? la : lb;

    for (; k > 0; k--) {
        gt_name sa, sb;
        gt_name_suffix(a, la - k, &sa);
        gt_name_suffix(b, lb - k, &sb);
        if (gt_name_eq(&sa, &sb)) {
            *out = sa;
            return;
        }
    }
    gt_name_root(out);
}

/** Closest encloser from a covering NSEC (RFC 7129 5.5): the longer common ancestor. */
static void closest_encloser(const nsec_view *cover, const gt_name *qname, gt_name *ce)
{
    gt_name c1, c2;

    common_ancestor(qname, &cover->rr->owner, &c1);
    common_ancestor(qname, &cover->d.next, &c2);
    *ce = gt_name_labels(&c1) >= gt_name_labels(&c2) ? c1 : c2;
}

/** NODATA at a name whose NSEC we hold (RFC 4035 5.4 second bullet; RFC 6840 4.4). */
static gt_dsec_code nodata_at(const nsec_view *m, uint16_t qtype, gt_dsec_result *res)
{
    const uint8_t *b = m->d.bitmap;
    size_t l = m->d.bitmaplen;

    if (gt_nsec_bitmap_has(b, l, qtype) || gt_nsec_bitmap_has(b, l, GT_TYPE_CNAME)) {
        return dsec_set(res, GT_DSEC_TYPE_EXISTS, "the NSEC bitmap lists type %u or CNAME", qtype);
    }
    /* At a delegation only the DS can be denied: the parent is not authoritative for more. */
    if (qtype != GT_TYPE_DS && gt_nsec_bitmap_has(b, l, GT_TYPE_NS) &&
        !gt_nsec_bitmap_has(b, l, GT_TYPE_SOA)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the NSEC is a delegation's (NS without SOA)");
    }
    return dsec_set(res, GT_DSEC_OK, "NODATA: the NSEC bitmap lacks type %u", qtype);
}

static gt_dsec_code prove_nxdomain(const gt_rr *nsecs, size_t n, const gt_name *zone,
                                   const gt_name *qname, gt_dsec_result *res)
{
    nsec_view m, cover, wc;
    gt_name ce, star;

    if (find_match(nsecs, n, zone, qname, &m)) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "an NSEC is owned by the name");
    }
    if (!find_cover(nsecs, n, zone, qname, &cover)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC covers the name");
    }
    if (gt_name_is_under(&cover.d.next, qname)) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "the name is an empty non-terminal");
    }
    closest_encloser(&cover, qname, &ce);
    if (!dsec_wildcard_of(&ce, &star)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no room for a wildcard name");
    }
    if (find_match(nsecs, n, zone, &star, &wc)) {
        return dsec_set(res, GT_DSEC_WILDCARD_EXISTS,
                        "the wildcard at the closest encloser "
                        "exists");
    }
    if (!find_cover(nsecs, n, zone, &star, &wc)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC covers the wildcard");
    }
    return dsec_set(res, GT_DSEC_OK, "NXDOMAIN: name and wildcard covered");
}

static gt_dsec_code prove_nodata(const gt_rr *nsecs, size_t n, const gt_name *zone,
                                 const gt_name *qname, uint16_t qtype, gt_dsec_result *res)
{
    nsec_view m, cover, wc;
    gt_name ce, star;

    if (find_match(nsecs, n, zone, qname, &m)) {
        return nodata_at(&m, qtype, res);
    }
    if (!find_cover(nsecs, n, zone, qname, &cover)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC matches or covers the name");
    }
    if (gt_name_is_under(&cover.d.next, qname)) {
        return dsec_set(res, GT_DSEC_OK, "NODATA: the name is an empty non-terminal");
    }
    /* Wildcard NODATA (RFC 4035 3.1.3.4): the name is covered, the wildcard lacks the type. */
    closest_encloser(&cover, qname, &ce);
    if (!dsec_wildcard_of(&ce, &star) || !find_match(nsecs, n, zone, &star, &wc)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "name covered but no wildcard NSEC");
    }
    gt_dsec_code code = nodata_at(&wc, qtype, res);
    if (code == GT_DSEC_OK) {
        dsec_set(res, code, "wildcard NODATA: the wildcard's bitmap lacks type %u", qtype);
    }
    return code;
}

gt_dsec_code gt_nsec_prove(const gt_rr *nsecs, size_t n, const gt_name *zone, const gt_name *qname,
                           uint16_t qtype, gt_deny_kind kind, gt_dsec_result *res)
{
    nsec_view m;

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
    }
    if (!gt_name_is_under(qname, zone)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the name is not in the zone");
    }
    if (kind == GT_DENY_NXDOMAIN) {
        return prove_nxdomain(nsecs, n, zone, qname, res);
    }
    if (kind == GT_DENY_NODATA) {
        return prove_nodata(nsecs, n, zone, qname, qtype, res);
    }
    /* Insecure delegation (RFC 4035 5.2): the NSEC at the cut has NS, no DS, no SOA. */
    if (!find_match(nsecs, n, zone, qname, &m)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC is owned by the delegation");
    }
    const uint8_t *b = m.d.bitmap;
    size_t l = m.d.bitmaplen;
    if (gt_nsec_bitmap_has(b, l, GT_TYPE_DS)) {
        return dsec_set(res, GT_DSEC_TYPE_EXISTS, "the NSEC bitmap lists DS");
    }
    if (!gt_nsec_bitmap_has(b, l, GT_TYPE_NS) || gt_nsec_bitmap_has(b, l, GT_TYPE_SOA)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the NSEC is not a delegation's (NS, no SOA)");
    }
    return dsec_set(res, GT_DSEC_INSECURE, "insecure delegation: NS without DS");
}

gt_dsec_code dsec_next_closer(const gt_name *zone, const gt_name *qname, unsigned labels,
                              gt_name *nc, gt_dsec_result *res)
{
    unsigned ql = gt_name_labels(qname);

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
    }
    if (!gt_name_is_under(qname, zone) || labels >= ql || labels < gt_name_labels(zone)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "the wildcard is not in the zone");
    }
    gt_name_suffix(qname, ql - labels - 1, nc);
    return GT_DSEC_OK;
}

gt_dsec_code gt_nsec_prove_wildcard(const gt_rr *nsecs, size_t n, const gt_name *zone,
                                    const gt_name *qname, unsigned labels, gt_dsec_result *res)
{
    nsec_view m, cover;
    gt_name nc;
    gt_dsec_code rc = dsec_next_closer(zone, qname, labels, &nc, res);

    if (rc != GT_DSEC_OK) {
        return rc;
    }
    if (find_match(nsecs, n, zone, &nc, &m)) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "an NSEC is owned by the next closer name");
    }
    if (!find_cover(nsecs, n, zone, &nc, &cover)) {
        return dsec_set(res, GT_DSEC_NO_PROOF, "no NSEC covers the next closer name");
    }
    if (gt_name_is_under(&cover.d.next, &nc)) {
        return dsec_set(res, GT_DSEC_NAME_EXISTS, "the next closer name is an empty non-terminal");
    }
    return dsec_set(res, GT_DSEC_OK, "wildcard answer: the next closer name is covered");
}
