/*
 * Findings derived from a finished trace. Everything here reads gt_result only; the codes,
 * severities and remedies are documented in docs/findings.md.
 */
#include "gluetrace/diagnose/findings.h"
#include "findings_priv.h"
#include "gluetrace/diagnose/network.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* TRUNCATED_REFERRAL for the truncated UDP query r->queries[i]: what its TCP retry brought.
 * A truncated answer (the TCP retry answered, no referral) is a large reply done right over
 * TCP: no finding. */
static gt_status truncated(gt_result *r, size_t i)
{
    char b1[GT_NAME_STRLEN];
    const gt_query *q = r->queries[i];
    const gt_query *tcp = NULL;
    for (size_t j = i + 1; j < r->nqueries && tcp == NULL; j++) {
        if (r->queries[j]->retry_of == q->id) {
            tcp = r->queries[j];
        }
    }
    if (tcp != NULL && !tcp->has_referral && tcp->reply != NULL) {
        return GT_OK;
    }
    size_t udp_glue = 0;
    for (size_t j = 0; q->reply != NULL && j < q->reply->count[GT_SEC_ADDITIONAL]; j++) {
        udp_glue += fd_is_addr_type(q->reply->rrs[GT_SEC_ADDITIONAL][j].type);
    }
    if (tcp != NULL && tcp->has_referral) {
        ADD(r, GT_F_TRUNCATED_REFERRAL, &q->zone, q->id, NULL,
            "truncated (TC=1) over UDP with %zu address records; over TCP the referral "
            "to %s carried %zu glue records%s",
            udp_glue, fd_nm(&tcp->referral.zone, b1, sizeof(b1)), tcp->referral.nglue,
            tcp->referral.nglue > udp_glue ? " (UDP lost glue)" : "");
    } else {
        ADD(r, GT_F_TRUNCATED_REFERRAL, &q->zone, q->id, NULL,
            "truncated (TC=1) over UDP; retried over TCP%s",
            tcp == NULL ? " was not possible" : "");
    }
    return GT_OK;
}

/* LAME_SERVER, UPWARD_REFERRAL, MALFORMED_RESPONSE, TRUNCATED_REFERRAL per query. */
static gt_status per_query(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], rc[24];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = fd_kind_of(r, q);
        if (k == GT_TRACE_RESOLVER || q->cached_from) {
            continue;
        }
        switch (q->outcome) {
        case GT_OUT_LAME:
            if (q->cls.lame == GT_LAME_DS_REFERRAL) {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame for DS: asked for the DS of %s, it refers to that child zone; DS lives "
                    "at the parent (RFC 4035 section 3.1.4.1), so the servers of %s must answer "
                    "it (the child is not asked)",
                    fd_nm(&q->qname, b1, sizeof(b1)), fd_nm(&q->zone, b2, sizeof(b2)));
            } else if (q->cls.lame == GT_LAME_RCODE && q->reply != NULL) {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame: answers %s instead of serving zone %s",
                    gt_rcode_to_str(q->reply->rcode, rc, sizeof(rc)),
                    fd_nm(&q->zone, b2, sizeof(b2)));
            } else {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame: not authoritative for zone %s (answers without AA and without a "
                    "referral)",
                    fd_nm(&q->zone, b2, sizeof(b2)));
            }
            break;
        case GT_OUT_UPWARD:
            ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                "lame: asked as a server of %s, it refers to %s (the same or an upper zone)",
                fd_nm(&q->zone, b2, sizeof(b2)), fd_nm(&q->cls.zone, b1, sizeof(b1)));
            ADD(r, GT_F_UPWARD_REFERRAL, &q->zone, q->id, NULL,
                "upward referral to %s: no progress is possible through this server",
                fd_nm(&q->cls.zone, b1, sizeof(b1)));
            break;
        case GT_OUT_SIDEWAYS:
            ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                "lame: asked as a server of %s, it refers sideways to %s",
                fd_nm(&q->zone, b2, sizeof(b2)), fd_nm(&q->cls.zone, b1, sizeof(b1)));
            break;
        case GT_OUT_MALFORMED:
            ADD(r, GT_F_MALFORMED_RESPONSE, &q->zone, q->id, NULL,
                "reply for %s could not be used: %s", fd_nm(&q->qname, b1, sizeof(b1)),
                q->net_status == GT_ESHORTREAD
                    ? "the TCP stream ended inside the message (a length prefix promised more "
                      "bytes than came before the server closed)"
                : q->reply == NULL ? "not a valid DNS message (truncated or corrupt)"
                : q->tcp && q->reply->tc && gt_reply_matches(q->reply, &q->qname, q->qtype)
                    ? "TC=1 over TCP, where a reply is never truncated (RFC 7766); its data "
                      "was not used"
                    : "it does not answer the question that was asked");
            break;
        case GT_OUT_TRUNCATED:
            if (truncated(r, i) != GT_OK) {
                return GT_ENOMEM;
            }
            break;
        default:
            break;
        }
    }
    return GT_OK;
}

/* MISSING_GLUE and IGNORED_GLUE per referral. */
static gt_status per_referral(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->cached_from || q->outcome != GT_OUT_REFERRAL ||
            !fd_follows(fd_kind_of(r, q))) {
            continue;
        }
        const gt_referral *ref = &q->referral;
        for (size_t n = 0; n < ref->nns; n++) {
            if (!gt_name_is_under(&ref->ns[n], &ref->zone)) {
                continue;
            }
            bool glued = false;
            for (size_t g = 0; g < ref->nglue && !glued; g++) {
                glued = gt_name_eq(&ref->glue[g].name, &ref->ns[n]);
            }
            if (!glued) {
                ADD(r, GT_F_MISSING_GLUE, &ref->zone, q->id, NULL,
                    "referral to %s lists in-domain NS %s without glue (RFC 9471 requires "
                    "it): resolvers must find its address some other way",
                    fd_nm(&ref->zone, b1, sizeof(b1)), fd_nm(&ref->ns[n], b2, sizeof(b2)));
            }
        }
        if (ref->ns_dropped > 0 || ref->glue_dropped > 0) {
            ADD(r, GT_F_LIMIT_REACHED, &ref->zone, q->id, NULL,
                "referral to %s is larger than followed: %zu NS names beyond the first %d and "
                "%zu glue records beyond %d were not used",
                fd_nm(&ref->zone, b1, sizeof(b1)), ref->ns_dropped, GT_MAX_NS_PER_REFERRAL,
                ref->glue_dropped, GT_MAX_GLUE_PER_REFERRAL);
        }
        if (ref->ignored_dropped > 0) {
            ADD(r, GT_F_LIMIT_REACHED, &ref->zone, q->id, NULL,
                "referral to %s: %zu more ignored additional records not listed (limit %d)",
                fd_nm(&ref->zone, b1, sizeof(b1)), ref->ignored_dropped,
                GT_MAX_IGNORED_PER_REFERRAL);
        }
        for (size_t g = 0; g < ref->nignored; g++) {
            const gt_ignored *ig = &ref->ignored[g];
            if (!fd_is_addr_type(ig->type)) {
                continue;
            }
            ADD(r, GT_F_IGNORED_GLUE, &ref->zone, q->id, NULL,
                "ignored %s %s in the referral to %s: %s (never used)",
                fd_nm(&ig->name, b1, sizeof(b1)), gt_addr_to_str(&ig->addr, a, sizeof(a)),
                fd_nm(&ref->zone, b2, sizeof(b2)), ig->reason);
        }
    }
    return GT_OK;
}

/* The first query of trace @p t to @p a (as a server of @p zone when non-NULL), or NULL. */
static const gt_query *asked_in_trace(const gt_result *r, gt_trace_id t, const gt_addr *a,
                                      const gt_name *zone)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && gt_addr_eq(&q->addr, a) &&
            (zone == NULL || gt_name_eq(&q->zone, zone))) {
            return q;
        }
    }
    return NULL;
}

/* ALREADY_ASKED: a glued server of a followed referral that its trace never asked as such. */
static gt_status skipped_servers(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->outcome != GT_OUT_REFERRAL || q->cached_from ||
            !fd_follows(fd_kind_of(r, q))) {
            continue;
        }
        const gt_referral *ref = &q->referral;
        for (size_t g = 0; g < ref->nglue; g++) {
            const gt_glue *gl = &ref->glue[g];
            if (asked_in_trace(r, q->trace, &gl->addr, &ref->zone) != NULL) {
                continue;
            }
            const gt_query *before = asked_in_trace(r, q->trace, &gl->addr, NULL);
            if (before == NULL || gt_name_eq(&before->zone, &ref->zone)) {
                continue; /* not asked for another reason (family, budget, ...) */
            }
            ADD(r, GT_F_ALREADY_ASKED, &ref->zone, q->id, NULL,
                "%s %s, listed for %s, was not asked as its server: this trace already asked "
                "that address as a server of %s (query #%zu)",
                fd_nm(&gl->name, b1, sizeof(b1)), gt_addr_to_str(&gl->addr, a, sizeof(a)),
                fd_nm(&ref->zone, b2, sizeof(b2)), fd_nm(&before->zone, b3, sizeof(b3)),
                before->id);
        }
    }
    return GT_OK;
}

/* UNREACHABLE_SERVER: an address none of whose queries got a reply. */
static gt_status unreachable(gt_result *r)
{
    char a[GT_ADDR_STRLEN], b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if ((q->outcome != GT_OUT_TIMEOUT && q->outcome != GT_OUT_UNREACHABLE) ||
            q->net_status == GT_ENETUNREACH || fd_kind_of(r, q) == GT_TRACE_RESOLVER) {
            /* a silent resolver is the census's RESOLVER_FAILED, not a server of the path */
            continue;
        }
        bool replied = false, first = true;
        for (size_t j = 0; j < r->nqueries && !replied; j++) {
            const gt_query *o = r->queries[j];
            if (o->cached_from || !gt_addr_eq(&o->addr, &q->addr)) {
                continue;
            }
            replied = o->reply != NULL || o->reply_len > 0;
            if (j < i && (o->outcome == GT_OUT_TIMEOUT || o->outcome == GT_OUT_UNREACHABLE)) {
                first = false; /* reported with the earlier query */
            }
        }
        if (replied || !first) {
            continue;
        }
        ADD(r, GT_F_UNREACHABLE_SERVER, &q->zone, q->id, NULL,
            "%s (%s) for zone %s: %s on every try", gt_addr_to_str(&q->addr, a, sizeof(a)),
            q->server_name.len ? fd_nm(&q->server_name, b1, sizeof(b1)) : "no name",
            fd_nm(&q->zone, b2, sizeof(b2)),
            q->outcome == GT_OUT_TIMEOUT ? "no reply" : "port unreachable / refused");
    }
    return GT_OK;
}

/* INCONSISTENT_REFERRALS and INCONSISTENT_ANSWERS among servers of one zone in one trace. */
static gt_status inconsistencies(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], x1[1024], x2[1024];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->cached_from || !fd_follows(fd_kind_of(r, q))) {
            continue;
        }
        bool ref = q->outcome == GT_OUT_REFERRAL && q->has_referral;
        bool ans = fd_is_final(q->outcome);
        if (!ref && !ans) {
            continue;
        }
        /* Compare with the first earlier query of the same trace and zone of the same kind. */
        for (size_t j = 0; j < i; j++) {
            const gt_query *o = r->queries[j];
            if (o->cached_from || o->trace != q->trace || !gt_name_eq(&o->zone, &q->zone)) {
                continue;
            }
            if (ref && o->outcome == GT_OUT_REFERRAL && o->has_referral &&
                gt_name_eq(&o->referral.zone, &q->referral.zone)) {
                if (!gt_referral_same(&o->referral, &q->referral)) {
                    ADD(r, GT_F_INCONSISTENT_REFERRALS, &q->zone, q->id, NULL,
                        "servers of %s refer to %s differently: query #%zu got %zu NS and %zu "
                        "glue, query #%zu got %zu NS and %zu glue",
                        fd_nm(&q->zone, b1, sizeof(b1)), fd_nm(&q->referral.zone, b2, sizeof(b2)),
                        o->id, o->referral.nns, o->referral.nglue, q->id, q->referral.nns,
                        q->referral.nglue);
                }
                break;
            }
            if (ans && fd_is_final(o->outcome)) {
                if (!fd_answers_eq(o, q)) {
                    ADD(r, GT_F_INCONSISTENT_ANSWERS, &q->zone, q->id, NULL,
                        "authoritative servers of %s disagree on %s: query #%zu got %s, query "
                        "#%zu got %s",
                        fd_nm(&q->zone, b1, sizeof(b1)), fd_nm(&q->qname, b2, sizeof(b2)), o->id,
                        fd_answer_str(o, x1, sizeof(x1)), q->id, fd_answer_str(q, x2, sizeof(x2)));
                }
                break;
            }
        }
    }
    return GT_OK;
}

/* The first followed referral whose NS set names @p ns, or NULL. */
static const gt_query *referral_naming(const gt_result *r, const gt_name *ns)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->outcome != GT_OUT_REFERRAL || !fd_follows(fd_kind_of(r, q))) {
            continue;
        }
        for (size_t n = 0; n < q->referral.nns; n++) {
            if (gt_name_eq(&q->referral.ns[n], ns)) {
                return q;
            }
        }
    }
    return NULL;
}

/*
 * NS_IS_CNAME: an NS name whose address lookup (sub-trace or check) met a CNAME. Reported
 * once per alias, on the delegation whose NS record names it (parent and delegated zone),
 * however many servers and lookups saw the alias.
 */
static gt_status ns_cname(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN], b4[GT_NAME_STRLEN];
    nsset done;
    done.len = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = fd_kind_of(r, q);
        if ((k != GT_TRACE_SUBTRACE && k != GT_TRACE_CHECK) || !fd_is_addr_type(q->qtype) ||
            q->reply == NULL || !q->reply->aa) {
            continue;
        }
        bool alias = q->outcome == GT_OUT_CNAME ||
                     ((q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_NXDOMAIN ||
                       q->outcome == GT_OUT_NODATA) &&
                      q->cls.cname_links > 0);
        if (!alias || fd_find_item(done.n, done.len, sizeof(done.n[0]), &q->qname,
                                   fd_name_item_eq) < done.len) {
            continue;
        }
        fd_ns_add(&done, &q->qname);
        const gt_query *ref = referral_naming(r, &q->qname);
        if (ref == NULL) {
            ADD(r, GT_F_NS_IS_CNAME, &q->zone, q->id, NULL,
                "NS name %s is an alias (CNAME to %s); RFC 2181 section 10.3 forbids NS "
                "records that point at a CNAME, and many resolvers reject the delegation",
                fd_nm(&q->qname, b1, sizeof(b1)), fd_nm(&q->cls.final_name, b2, sizeof(b2)));
            continue;
        }
        ADD(r, GT_F_NS_IS_CNAME, &ref->referral.zone, ref->id, NULL,
            "the delegation of %s from %s names NS %s, an alias (CNAME to %s); RFC 2181 "
            "section 10.3 forbids NS records that point at a CNAME, and many resolvers reject "
            "the delegation",
            fd_nm(&ref->referral.zone, b3, sizeof(b3)), fd_nm(&ref->zone, b4, sizeof(b4)),
            fd_nm(&q->qname, b1, sizeof(b1)), fd_nm(&q->cls.final_name, b2, sizeof(b2)));
    }
    return GT_OK;
}

/* IGNORED_ANSWER_RECORDS: answer-section records of a final reply that do not answer. */
static gt_status ignored_answers(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], type[16], list[1024], one[600];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        bool nonauth = q->outcome == GT_OUT_LAME && q->cls.lame == GT_LAME_NOT_AUTH;
        if (q->cached_from || q->reply == NULL || !fd_follows(fd_kind_of(r, q)) ||
            (!fd_is_final(q->outcome) && !nonauth) || q->reply->count[GT_SEC_ANSWER] == 0) {
            continue;
        }
        const gt_msg *m = q->reply;
        size_t n = m->count[GT_SEC_ANSWER];
        bool *in = calloc(n, sizeof(bool));
        if (in == NULL) {
            return GT_ENOMEM;
        }
        size_t kept = gt_answer_chain(m, &q->qname, q->qtype, &q->zone, in);
        size_t len = 0;
        list[0] = '\0';
        for (size_t k = 0, shown = 0; k < n; k++) {
            if (!in[k]) {
                const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
                fd_cat(list, sizeof(list), &len, "%s%s %s", shown++ ? ", " : "",
                       fd_nm(&rr->owner, b1, sizeof(b1)), fd_rr_brief(rr, one, sizeof(one)));
            }
        }
        free(in);
        if (kept == n) {
            continue;
        }
        ADD(r, GT_F_IGNORED_ANSWER_RECORDS, &q->zone, q->id, NULL,
            "%zu of %zu answer records for %s %s are not part of the answer (outside the "
            "alias chain or outside zone %s) and were not used: %s",
            n - kept, n, fd_nm(&q->qname, b1, sizeof(b1)),
            gt_type_to_str(q->qtype, type, sizeof(type)), fd_nm(&q->zone, b2, sizeof(b2)), list);
    }
    return GT_OK;
}

/* The trace of the main path that ended without data: the main trace, or its alias target. */
static gt_trace_id failed_link(const gt_result *r)
{
    gt_trace_id t = 0;
    for (size_t guard = 0; guard <= GT_MAX_CNAME_CHAIN; guard++) {
        gt_trace_id c = r->traces[t]->cname_child;
        if (c == 0 || c >= r->ntraces || c == t) {
            break;
        }
        t = c;
    }
    return t;
}

/* The zone deepest in the DNS tree that trace @p t asked servers of; false when none. */
static bool deepest_zone(const gt_result *r, gt_trace_id t, gt_name *out)
{
    bool found = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && (!found || gt_name_labels(&q->zone) >= gt_name_labels(out))) {
            *out = q->zone;
            found = true;
        }
    }
    return found;
}

/* NO_AUTHORITATIVE_DATA: why a run that exits 3 reached no authoritative data. */
static gt_status dead_end(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], type[16], did[1024];
    if (r->ntraces == 0 || gt_result_exit_code(r, false) != 3) {
        return GT_OK;
    }
    gt_trace_id t = failed_link(r);
    const gt_tracerec *tr = r->traces[t];
    fd_nm(&tr->name, b1, sizeof(b1));
    gt_type_to_str(tr->qtype, type, sizeof(type));
    const char *alias = t == 0 ? "" : " (the alias target of the question)";
    gt_name z;
    if (tr->status == GT_TS_CYCLE) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: a glueless cycle leaves no server address to "
            "ask (see GLUELESS_CYCLE)",
            b1, type, alias);
    } else if (tr->status == GT_TS_LIMIT) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: a limit stopped the trace (see LIMIT_REACHED)", b1,
            type, alias);
    } else if (tr->status == GT_TS_INTERRUPTED || r->interrupted) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: the run was interrupted before it got any", b1,
            type, alias);
    } else if (!deepest_zone(r, t, &z)) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: no server could be asked at all", b1, type, alias);
    } else {
        const gt_query *ref = NULL;
        for (size_t i = 0; i < r->nqueries && ref == NULL; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace == t && gt_name_eq(&q->zone, &z) && q->outcome == GT_OUT_REFERRAL &&
                q->has_referral) {
                ref = q;
            }
        }
        if (ref != NULL) {
            char b3[GT_NAME_STRLEN], names[1024];
            size_t len = 0;
            names[0] = '\0';
            for (size_t k = 0; k < ref->referral.nns; k++) {
                fd_cat(names, sizeof(names), &len, "%s%s", k ? ", " : "",
                       fd_nm(&ref->referral.ns[k], b3, sizeof(b3)));
            }
            const char *see = "NO_ADDRESS";
            for (size_t f = 0; f < r->nfindings; f++) {
                gt_code fc = r->findings[f].code;
                if (fc == GT_F_GLUELESS_CYCLE || fc == GT_F_SPECIAL_PURPOSE_ADDRESS ||
                    (fc == GT_F_ALREADY_ASKED &&
                     gt_name_eq(&r->findings[f].zone, &ref->referral.zone))) {
                    see = gt_code_name(fc);
                }
            }
            ADD(r, GT_F_NO_AUTHORITATIVE_DATA, &ref->referral.zone, ref->id, NULL,
                "no authoritative data for %s %s%s: %s delegates %s to %s, and no address of "
                "%s could be asked (see %s)",
                b1, type, alias, fd_nm(&z, b2, sizeof(b2)),
                fd_nm(&ref->referral.zone, b3, sizeof(b3)), names,
                ref->referral.nns == 1 ? "it" : "any of them", see);
        } else {
            size_t n = fd_what_servers_did(r, t, &z, did, sizeof(did));
            ADD(r, GT_F_NO_AUTHORITATIVE_DATA, &z, 0, NULL,
                "no authoritative data for %s %s%s: all %zu %s to the servers of %s failed: %s", b1,
                type, alias, n, n == 1 ? "query" : "queries", fd_nm(&z, b2, sizeof(b2)), did);
        }
    }
    return GT_OK;
}

/*
 * The checks, in the order their findings are listed. gt_network_findings may replace
 * per-server findings added before it; dead_end comes last: it explains an exit 3 with
 * everything else known.
 */
static gt_status (*const checks[])(gt_result *r) = {
    per_query,         per_referral,    skipped_servers, unreachable,
    inconsistencies,   ignored_answers, ns_cname,        fd_delegation_checks,
    fd_glue_elsewhere, fd_no_address,   fd_resolver,     gt_network_findings,
    dead_end,
};

gt_status gt_findings_analyse(gt_result *r, const gt_config *cfg)
{
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        gt_status st = checks[i](r);
        if (st != GT_OK) {
            return st;
        }
    }
    return fd_census(r, cfg);
}
