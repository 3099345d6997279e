/*
 * -o dig: the main trace laid out like `dig +trace`, so the two can be put side by side with
 * diff. Step 0 is the root NS set (from the hints, where dig asks its resolver); then, for each
 * zone cut on the main trace's path, one representative reply (the first server of that zone
 * level that answered), with its ANSWER and AUTHORITY sections as dig prints them (ADDITIONAL
 * too with -v, like dig +additional; DS, RRSIG, NSEC and NSEC3 records in place and blobs in
 * dig's words, like dig +dnssec), the ";; Received" line, and one ";; gluetrace:" comment
 * saying where the server's address came from. See docs/dig-comparison.md.
 */
#include "gluetrace/output/render.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/wire/rdata.h"

#include <string.h>

/** Most zone levels printed (a longer path means a loop we do not follow). */
#define GT_DIG_MAX_LEVELS 64

/* dig's columns: owner, then TTL at 24, class at 32, type at 40, RDATA at 48, reached with
 * tabs (stops every 8); a field that already passed its column is followed by one blank,
 * written as a tab when the next column is a tab stop (as BIND's indent() does). */
enum { COL_TTL = 24, COL_CLASS = 32, COL_TYPE = 40, COL_RDATA = 48 };

static size_t pad(FILE *out, size_t col, size_t target)
{
    if (col >= target) {
        fputc((col + 1) % 8 == 0 ? '\t' : ' ', out);
        return col + 1;
    }
    while (col < target) {
        fputc('\t', out);
        col = (col / 8 + 1) * 8;
    }
    return col;
}

static void put_rr(FILE *out, const gt_rr *rr)
{
    char owner[GT_NAME_STRLEN], type[16], cls[16], ttl[16], data[8192];
    gt_name_to_str(&rr->owner, owner, sizeof(owner));
    gt_type_to_str(rr->type, type, sizeof(type));
    if (rr->cls == GT_CLASS_IN) {
        snprintf(cls, sizeof(cls), "IN");
    } else {
        snprintf(cls, sizeof(cls), "CLASS%u", (unsigned)rr->cls);
    }
    snprintf(ttl, sizeof(ttl), "%u", (unsigned)rr->ttl);
    gt_rr_data_text(rr, GT_RDATA_DIG, data, sizeof(data));
    size_t col = strlen(owner);
    fputs(owner, out);
    col = pad(out, col, COL_TTL);
    fputs(ttl, out);
    col = pad(out, col + strlen(ttl), COL_CLASS);
    fputs(cls, out);
    col = pad(out, col + strlen(cls), COL_TYPE);
    fputs(type, out);
    pad(out, col + strlen(type), COL_RDATA);
    fprintf(out, "%s\n", data);
}

/* A server name as dig prints it in "(NAME)": no trailing dot. */
static const char *dig_name(const gt_name *n, char *buf, size_t size)
{
    size_t len = gt_name_to_str(n, buf, size);
    if (len > 1 && buf[len - 1] == '.') {
        buf[len - 1] = '\0';
    }
    return buf;
}

static bool replied(const gt_query *q)
{
    if (q->reply == NULL || q->cached_from != 0) {
        return false;
    }
    return q->outcome == GT_OUT_REFERRAL || q->outcome == GT_OUT_ANSWER ||
           q->outcome == GT_OUT_CNAME || q->outcome == GT_OUT_NXDOMAIN ||
           q->outcome == GT_OUT_NODATA;
}

/* The provenance comment of one step. */
static void provenance(FILE *out, const gt_result *r, const gt_query *q, size_t others,
                       const gt_name *zone)
{
    char a[GT_ADDR_STRLEN], b[GT_NAME_STRLEN], c[GT_NAME_STRLEN], ga[GT_ADDR_STRLEN];
    gt_addr_to_str(&q->addr, a, sizeof(a));
    fputs(";; gluetrace: ", out);
    if (q->source == GT_SRC_HINTS) {
        fprintf(out, "%s is from the root hints for %s", a,
                gt_name_str(&q->server_name, b, sizeof(b)));
    } else if (q->source == GT_SRC_GLUE && q->glue_from >= 1 && q->glue_from <= r->nqueries) {
        const gt_query *g = r->queries[q->glue_from - 1];
        fprintf(out, "%s is glue for %s from %s (%s), %s", a,
                gt_name_str(&q->server_name, b, sizeof(b)),
                gt_name_str(&g->server_name, c, sizeof(c)),
                gt_addr_to_str(&g->addr, ga, sizeof(ga)), gt_glue_kind_str(q->glue_kind));
    } else if (q->source == GT_SRC_SUBTRACE) {
        fprintf(out, "%s for %s was found by sub-trace #%zu from the root", a,
                gt_name_str(&q->server_name, b, sizeof(b)), q->subtrace);
    } else if (q->source == GT_SRC_USER) {
        fprintf(out, "%s was given with -s", a);
    } else {
        fprintf(out, "%s is from %s", a, gt_source_str(q->source));
    }
    if (others > 0) {
        fprintf(out, "; %zu more address%s of %s asked", others, others == 1 ? "" : "es",
                gt_name_str(zone, c, sizeof(c)));
    }
    fputc('\n', out);
}

static void root_step(FILE *out, const gt_result *r, const gt_config *cfg)
{
    gt_name seen[GT_MAX_HINT_SERVERS];
    size_t nseen = 0;
    for (size_t i = 0; i < r->nqueries && nseen < GT_MAX_HINT_SERVERS; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace != 0 || q->source != GT_SRC_HINTS || q->server_name.len == 0) {
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++) {
            dup = gt_name_eq(&seen[k], &q->server_name);
        }
        if (dup) {
            continue;
        }
        seen[nseen++] = q->server_name;
        /* the hints' NS set; TTL as in a named.root file */
        gt_rr rr;
        uint8_t rdata[GT_NAME_MAX];
        memset(&rr, 0, sizeof(rr));
        gt_name_root(&rr.owner);
        rr.type = GT_TYPE_NS;
        rr.cls = GT_CLASS_IN;
        rr.ttl = 3600000;
        memcpy(rdata, q->server_name.data, q->server_name.len);
        rr.rdata = rdata;
        rr.rdlen = q->server_name.len;
        put_rr(out, &rr);
    }
    if (nseen > 0) {
        fprintf(out, ";; gluetrace: root NS set from %s, not from a resolver (no query sent)\n\n",
                cfg->hints_file ? "the hints file" : "the built-in root hints");
    }
}

gt_status gt_render_dig(FILE *out, const gt_result *r, const gt_config *cfg)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], type[16];
    gt_name zone;

    fprintf(out, "\n; <<>> gluetrace %s <<>> %s %s\n", GT_VERSION,
            gt_name_str(&r->qname, b, sizeof(b)), gt_type_to_str(r->qtype, type, sizeof(type)));
    fputs(";; gluetrace: every address below comes from root hints, referral glue or a "
          "sub-trace from the root, never from a resolver\n",
          out);
    root_step(out, r, cfg);

    gt_name_root(&zone);
    if (r->nqueries > 0 && r->queries[0]->source == GT_SRC_USER) {
        zone = r->queries[0]->zone;
    }
    for (unsigned level = 0; level < GT_DIG_MAX_LEVELS; level++) {
        const gt_query *rep = NULL;
        size_t asked = 0;
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace != 0 || !gt_name_eq(&q->zone, &zone) || q->cached_from != 0 ||
                q->retry_of != 0 || !gt_name_eq(&q->qname, &r->qname)) {
                continue;
            }
            asked++;
            if (rep == NULL && replied(q)) {
                rep = q;
            }
        }
        if (rep == NULL) {
            fprintf(out, ";; gluetrace: no server of %s gave a usable reply (%zu asked)\n\n",
                    gt_name_str(&zone, b, sizeof(b)), asked);
            break;
        }
        const gt_msg *m = rep->reply;
        for (size_t s = GT_SEC_ANSWER; s <= (cfg->verbose ? GT_SEC_ADDITIONAL : GT_SEC_AUTHORITY);
             s++) {
            gt_rr_walk w = {0, 0};
            for (const gt_rr *rr; (rr = gt_msg_next_rr(m, (gt_section)s, &w)) != NULL;) {
                put_rr(out, rr); /* RRSIGs too, where the server put them, like dig +dnssec */
            }
        }
        fprintf(out, ";; Received %zu bytes from %s#%u(%s) in %.0f ms\n", rep->reply_len,
                gt_addr_to_str(&rep->addr, a, sizeof(a)), (unsigned)rep->addr.port,
                rep->server_name.len ? dig_name(&rep->server_name, b, sizeof(b)) : a, rep->rtt_ms);
        provenance(out, r, rep, asked > 0 ? asked - 1 : 0, &zone);
        fputc('\n', out);
        if (rep->outcome != GT_OUT_REFERRAL || !rep->has_referral) {
            if (rep->outcome == GT_OUT_CNAME && r->traces[0]->cname_child != 0) {
                fprintf(out,
                        ";; gluetrace: the CNAME target is traced from the root in trace "
                        "#%zu (dig +trace stops here)\n\n",
                        r->traces[0]->cname_child);
            }
            break;
        }
        zone = rep->referral.zone;
    }

    if (r->nfindings > 0) {
        for (size_t i = 0; i < r->nfindings; i++) {
            const gt_finding *f = &r->findings[i];
            fprintf(out, ";; gluetrace %s %s", gt_severity_str(gt_code_severity(f->code)),
                    gt_code_name(f->code));
            if (f->zone.len) {
                fprintf(out, " [%s]", gt_name_str(&f->zone, b, sizeof(b)));
            }
            if (f->server[0]) {
                fprintf(out, " %s", f->server);
            }
            fprintf(out, ": %s\n", f->message);
        }
        fputc('\n', out);
    }
    if (r->vsdig != NULL) {
        gt_vsdig_print(out, r->vsdig, 0);
    }
    return ferror(out) ? GT_EIO : GT_OK;
}
