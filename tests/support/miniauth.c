#include "miniauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINI_MAX_ZONES 64
#define MINI_MAX_RRS 64
#define MINI_MAX_FLAGS 32

typedef struct mrr {
    gt_name owner;
    char owner_text[GT_NAME_STRLEN];
    uint16_t type;
    char type_text[16];
    char rdata[1024]; /* an RSA RRSIG in presentation form is ~400 characters */
} mrr;

typedef struct mzone {
    gt_addr server;
    gt_name apex;
    mrr rrs[MINI_MAX_RRS];
    size_t nrrs;
} mzone;

typedef struct mflag {
    gt_addr server;
    char flag[16];
} mflag;

struct mini {
    mzone zones[MINI_MAX_ZONES];
    size_t nzones;
    mflag flags[MINI_MAX_FLAGS];
    size_t nflags;
};

static void bad(const char *line)
{
    fprintf(stderr, "miniauth: bad line: %s\n", line);
    abort();
}

mini *mini_create(const char *const *lines)
{
    mini *w = calloc(1, sizeof(*w));
    if (w == NULL) {
        abort();
    }
    mzone *cur = NULL;
    for (size_t i = 0; lines[i] != NULL; i++) {
        char a[64], b[GT_NAME_STRLEN], c[16];
        const char *l = lines[i];
        if (l[0] == '@' || l[0] == '!') {
            const char *sp = strchr(l + 1, ' ');
            if (sp == NULL || (size_t)(sp - l - 1) >= sizeof(a)) {
                bad(l);
            }
            memcpy(a, l + 1, (size_t)(sp - l - 1));
            a[sp - l - 1] = '\0';
            snprintf(b, sizeof(b), "%s", sp + 1);
            gt_addr addr;
            if (gt_addr_parse(a, &addr) != GT_OK) {
                bad(l);
            }
            if (l[0] == '@') {
                if (w->nzones >= MINI_MAX_ZONES) {
                    bad(l);
                }
                cur = &w->zones[w->nzones++];
                cur->server = addr;
                if (gt_name_from_str(&cur->apex, b) != GT_OK) {
                    bad(l);
                }
            } else {
                if (w->nflags >= MINI_MAX_FLAGS) {
                    bad(l);
                }
                w->flags[w->nflags].server = addr;
                if (strlen(b) >= sizeof(w->flags[0].flag)) {
                    bad(l);
                }
                memcpy(w->flags[w->nflags].flag, b, strlen(b) + 1);
                w->nflags++;
            }
            continue;
        }
        if (cur == NULL || cur->nrrs >= MINI_MAX_RRS) {
            bad(l);
        }
        mrr *r = &cur->rrs[cur->nrrs];
        const char *s1 = strchr(l, ' ');
        const char *s2 = s1 ? strchr(s1 + 1, ' ') : NULL;
        if (s1 == NULL || s2 == NULL || (size_t)(s1 - l) >= sizeof(r->owner_text) ||
            (size_t)(s2 - s1 - 1) >= sizeof(c)) {
            bad(l);
        }
        memcpy(r->owner_text, l, (size_t)(s1 - l));
        r->owner_text[s1 - l] = '\0';
        memcpy(c, s1 + 1, (size_t)(s2 - s1 - 1));
        c[s2 - s1 - 1] = '\0';
        snprintf(r->type_text, sizeof(r->type_text), "%s", c);
        snprintf(r->rdata, sizeof(r->rdata), "%s", s2 + 1);
        if (gt_name_from_str(&r->owner, r->owner_text) != GT_OK ||
            gt_type_from_str(c, &r->type) != GT_OK) {
            bad(l);
        }
        cur->nrrs++;
    }
    return w;
}

void mini_destroy(mini *w)
{
    free(w);
}

static bool has_flag(const mini *w, const gt_addr *a, const char *flag)
{
    for (size_t i = 0; i < w->nflags; i++) {
        if (gt_addr_eq(&w->flags[i].server, a) && strcmp(w->flags[i].flag, flag) == 0) {
            return true;
        }
    }
    return false;
}

/* Records of @p z with this owner and type (0 = any). */
static void add_rrset(tb_msg *m, gt_section sec, const mzone *z, const gt_name *owner,
                      uint16_t type)
{
    for (size_t i = 0; i < z->nrrs; i++) {
        const mrr *r = &z->rrs[i];
        if ((type == 0 || r->type == type) && gt_name_eq(&r->owner, owner)) {
            tb_rr(m, sec, r->owner_text, r->type_text, 3600, r->rdata);
        }
    }
}

/* An RRset and, for a DO=1 query, the RRSIG records of the zone that cover it (record lines
 * "OWNER RRSIG TYPE ..."), after it as servers send them. */
static void add_signed(tb_msg *m, gt_section sec, const mzone *z, const gt_name *owner,
                       uint16_t type, bool do_bit)
{
    char tname[16];
    add_rrset(m, sec, z, owner, type);
    if (!do_bit) {
        return;
    }
    gt_type_to_str(type, tname, sizeof(tname));
    size_t tl = strlen(tname);
    for (size_t i = 0; i < z->nrrs; i++) {
        const mrr *r = &z->rrs[i];
        if (r->type == GT_TYPE_RRSIG && gt_name_eq(&r->owner, owner) &&
            strncmp(r->rdata, tname, tl) == 0 && r->rdata[tl] == ' ') {
            tb_rr(m, sec, r->owner_text, r->type_text, 3600, r->rdata);
        }
    }
}

static bool exists(const mzone *z, const gt_name *owner, uint16_t type)
{
    for (size_t i = 0; i < z->nrrs; i++) {
        if ((type == 0 || z->rrs[i].type == type) && gt_name_eq(&z->rrs[i].owner, owner)) {
            return true;
        }
    }
    return false;
}

/* Address records for @p ns from every zone this server has (like NSD/BIND additional data). */
static void add_glue(const mini *w, const gt_addr *server, tb_msg *m, const gt_name *ns)
{
    for (size_t zi = 0; zi < w->nzones; zi++) {
        const mzone *z = &w->zones[zi];
        if (!gt_addr_eq(&z->server, server)) {
            continue;
        }
        add_rrset(m, GT_SEC_ADDITIONAL, z, ns, GT_TYPE_A);
        add_rrset(m, GT_SEC_ADDITIONAL, z, ns, GT_TYPE_AAAA);
    }
}

gt_status mini_respond(void *user, const scr_query *q, tb_msg *m)
{
    const mini *w = user;
    if (has_flag(w, &q->server, "drop")) {
        return GT_ETIMEOUT;
    }
    if (has_flag(w, &q->server, "unreachable")) {
        return GT_ECONNREFUSED;
    }
    if (has_flag(w, &q->server, "noroute")) {
        return GT_ENETUNREACH;
    }
    if (has_flag(w, &q->server, "refuse")) {
        tb_begin(m, q->wire, q->len, false, GT_RCODE_REFUSED);
        return GT_OK;
    }
    if (has_flag(w, &q->server, "servfail")) {
        tb_begin(m, q->wire, q->len, false, GT_RCODE_SERVFAIL);
        return GT_OK;
    }
    bool aa = !has_flag(w, &q->server, "noaa");
    if (!q->tcp && has_flag(w, &q->server, "tc")) {
        tb_begin(m, q->wire, q->len, false, GT_RCODE_NOERROR);
        tb_set_tc(m);
        return GT_OK;
    }

    /* The deepest zone this server serves that covers qname. */
    const mzone *z = NULL;
    for (size_t i = 0; i < w->nzones; i++) {
        const mzone *c = &w->zones[i];
        if (gt_addr_eq(&c->server, &q->server) && gt_name_is_under(&q->qname, &c->apex) &&
            (z == NULL || gt_name_labels(&c->apex) > gt_name_labels(&z->apex))) {
            z = c;
        }
    }
    if (z == NULL) {
        tb_begin(m, q->wire, q->len, false, GT_RCODE_REFUSED);
        return GT_OK;
    }

    /* A zone cut between the apex and qname: refer (RFC 1034 4.3.2 step 3b). */
    unsigned apex_labels = gt_name_labels(&z->apex);
    unsigned qlabels = gt_name_labels(&q->qname);
    for (unsigned l = apex_labels + 1; l <= qlabels; l++) {
        gt_name cut;
        gt_name_suffix(&q->qname, qlabels - l, &cut);
        if (!exists(z, &cut, GT_TYPE_NS)) {
            continue;
        }
        if (l == qlabels && q->qtype == GT_TYPE_DS) {
            break;
        }
        tb_begin(m, q->wire, q->len, false, GT_RCODE_NOERROR);
        add_rrset(m, GT_SEC_AUTHORITY, z, &cut, GT_TYPE_NS);
        if (q->do_bit && exists(z, &cut, GT_TYPE_DS)) {
            add_signed(m, GT_SEC_AUTHORITY, z, &cut, GT_TYPE_DS, true); /* RFC 4035 3.1.4 */
        }
        for (size_t i = 0; i < z->nrrs; i++) {
            const mrr *r = &z->rrs[i];
            gt_name target;
            if (r->type == GT_TYPE_NS && gt_name_eq(&r->owner, &cut) &&
                gt_name_from_str(&target, r->rdata) == GT_OK) {
                add_glue(w, &q->server, m, &target);
            }
        }
        return GT_OK;
    }

    /* Authoritative data, following CNAMEs inside the zone. */
    tb_begin(m, q->wire, q->len, aa, GT_RCODE_NOERROR);
    gt_name cur = q->qname;
    for (int hops = 0; hops < 8; hops++) {
        if (exists(z, &cur, q->qtype)) {
            add_signed(m, GT_SEC_ANSWER, z, &cur, q->qtype, q->do_bit);
            return GT_OK;
        }
        if (!exists(z, &cur, GT_TYPE_CNAME)) {
            break;
        }
        add_rrset(m, GT_SEC_ANSWER, z, &cur, GT_TYPE_CNAME);
        const mrr *cn = NULL;
        for (size_t i = 0; i < z->nrrs; i++) {
            if (z->rrs[i].type == GT_TYPE_CNAME && gt_name_eq(&z->rrs[i].owner, &cur)) {
                cn = &z->rrs[i];
            }
        }
        if (cn == NULL || gt_name_from_str(&cur, cn->rdata) != GT_OK ||
            !gt_name_is_under(&cur, &z->apex)) {
            return GT_OK; /* the target is elsewhere: the resolver goes on from the root */
        }
    }
    bool name_exists = exists(z, &cur, 0);
    if (!name_exists) {
        /* An empty non-terminal exists too. */
        for (size_t i = 0; i < z->nrrs && !name_exists; i++) {
            name_exists = gt_name_is_under(&z->rrs[i].owner, &cur);
        }
    }
    if (!name_exists && m->counts[GT_SEC_ANSWER] == 0) {
        m->buf[3] = (uint8_t)((m->buf[3] & 0xf0) | GT_RCODE_NXDOMAIN);
    }
    add_rrset(m, GT_SEC_AUTHORITY, z, &z->apex, GT_TYPE_SOA);
    return GT_OK;
}

gt_status mini_trace(const char *const *world, const char *hints_text, const gt_config *cfg,
                     const gt_trace_hooks *hooks, mini_run *out)
{
    gt_hints hints;
    char err[256];
    if (gt_hints_parse(hints_text, &hints, err, sizeof(err)) != GT_OK) {
        fprintf(stderr, "miniauth: bad hints: %s\n", err);
        abort();
    }
    out->w = mini_create(world);
    out->s = scr_create(mini_respond, out->w);
    out->r = NULL;
    gt_status st = gt_trace_run(cfg, &hints, scr_transport(out->s), hooks, &out->r);
    if (out->r == NULL) {
        fprintf(stderr, "miniauth: the trace returned no result (%s)\n", gt_status_str(st));
        abort();
    }
    if (st == GT_OK) {
        st = gt_diagnose(out->r, cfg, NULL, NULL, NULL, 0); /* trace, then diagnose, as main does */
    }
    return st;
}

void mini_run_free(mini_run *x)
{
    gt_result_free(x->r);
    scr_destroy(x->s);
    mini_destroy(x->w);
}
