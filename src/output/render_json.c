/* JSON output (docs/json.md). Jansson does the string escaping; names arrive already in
 * presentation format with every non-printable byte as \DDD. */
#include "gluetrace/output/render.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/output/census.h"
#include "gluetrace/wire/rdata.h"

#include <jansson.h>
#include <string.h>
#include <sys/socket.h>

static json_t *jname(const gt_name *n)
{
    char buf[GT_NAME_STRLEN];
    gt_name_to_str(n, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *jaddr(const gt_addr *a)
{
    char buf[GT_ADDR_STRLEN];
    return json_string(gt_addr_to_str(a, buf, sizeof(buf)));
}

static json_t *jtype(uint16_t t)
{
    char buf[16];
    return json_string(gt_type_to_str(t, buf, sizeof(buf)));
}

static json_t *jid(size_t id)
{
    return id ? json_integer((json_int_t)id) : json_null();
}

/* A number rounded to a tenth (RTTs) or, with @p whole, to an integer (elapsed time): the
 * digits that mean something, not the 17 a double prints (dump() prints reals with at most
 * 10 significant digits, so a tenth stays 0.9, not 0.90000000000000002). */
static json_t *jround(double v, bool whole)
{
    double scale = whole ? 1.0 : 10.0;
    double x = v * scale;
    x = (double)(long long)(x + (x < 0 ? -0.5 : 0.5));
    return whole ? json_integer((json_int_t)x) : json_real(x / scale);
}

static json_t *jrr(const gt_rr *rr)
{
    char data[8192];
    gt_rr_data_str(rr, data, sizeof(data));
    return json_pack("{s:o, s:o, s:I, s:s}", "name", jname(&rr->owner), "type", jtype(rr->type),
                     "ttl", (json_int_t)rr->ttl, "data", data);
}

static json_t *jsection(const gt_msg *m, gt_section s)
{
    json_t *arr = json_array();
    for (size_t i = 0; m != NULL && i < m->count[s]; i++) {
        json_array_append_new(arr, jrr(&m->rrs[s][i]));
    }
    return arr;
}

static json_t *jreferral(const gt_referral *ref)
{
    json_t *ns = json_array(), *glue = json_array(), *ign = json_array();
    for (size_t i = 0; i < ref->nns; i++) {
        json_array_append_new(ns, jname(&ref->ns[i]));
    }
    for (size_t i = 0; i < ref->nglue; i++) {
        json_array_append_new(glue, json_pack("{s:o, s:o, s:s}", "name", jname(&ref->glue[i].name),
                                              "address", jaddr(&ref->glue[i].addr), "kind",
                                              gt_glue_kind_str(ref->glue[i].kind)));
    }
    for (size_t i = 0; i < ref->nignored; i++) {
        const gt_ignored *g = &ref->ignored[i];
        json_t *o = json_pack("{s:o, s:o, s:s}", "name", jname(&g->name), "type", jtype(g->type),
                              "reason", g->reason);
        if (g->type == GT_TYPE_A || g->type == GT_TYPE_AAAA) {
            json_object_set_new(o, "address", jaddr(&g->addr));
        }
        json_array_append_new(ign, o);
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "zone", jname(&ref->zone), "ns", ns, "glue", glue,
                     "ignored_glue", ign);
}

static json_t *jserver(const gt_result *r, const gt_query *q)
{
    json_t *s = json_object();
    json_object_set_new(s, "name", q->server_name.len ? jname(&q->server_name) : json_null());
    json_object_set_new(s, "address", jaddr(&q->addr));
    json_object_set_new(s, "source", json_string(gt_source_str(q->source)));
    if ((q->source == GT_SRC_GLUE || q->source == GT_SRC_CHILD) && q->glue_from != 0) {
        const gt_query *g = r->queries[q->glue_from - 1];
        json_object_set_new(s, "glue_from",
                            json_pack("{s:o, s:o, s:I}", "name",
                                      g->server_name.len ? jname(&g->server_name) : json_null(),
                                      "address", jaddr(&g->addr), "query",
                                      (json_int_t)q->glue_from));
        json_object_set_new(s, "glue_kind",
                            q->source == GT_SRC_GLUE ? json_string(gt_glue_kind_str(q->glue_kind))
                                                     : json_null());
    } else {
        json_object_set_new(s, "glue_from", json_null());
        json_object_set_new(s, "glue_kind", json_null());
    }
    json_object_set_new(s, "subtrace",
                        q->source == GT_SRC_SUBTRACE ? json_integer((json_int_t)q->subtrace)
                                                     : json_null());
    return s;
}

static json_t *jquery(const gt_result *r, const gt_query *q, const gt_config *cfg)
{
    const gt_tracerec *t = r->traces[q->trace];
    char rc[24];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)q->id));
    json_object_set_new(o, "parent", jid(q->parent));
    json_object_set_new(o, "trace",
                        t->kind == GT_TRACE_MAIN ? json_string("main") : jname(&t->name));
    json_object_set_new(o, "trace_id", json_integer((json_int_t)q->trace));
    json_object_set_new(o, "zone", jname(&q->zone));
    json_object_set_new(o, "server", jserver(r, q));
    json_object_set_new(o, "qname", jname(&q->qname));
    json_object_set_new(o, "qtype", jtype(q->qtype));
    json_object_set_new(o, "transport", json_string(q->tcp ? "tcp" : "udp"));
    json_object_set_new(o, "rtt_ms",
                        q->cached_from || q->from_session ? json_null() : jround(q->rtt_ms, false));
    json_object_set_new(o, "rcode",
                        q->reply ? json_string(gt_rcode_to_str(q->reply->rcode, rc, sizeof(rc)))
                                 : json_null());
    json_object_set_new(o, "aa", q->reply ? json_boolean(q->reply->aa) : json_null());
    json_object_set_new(o, "ra", q->reply ? json_boolean(q->reply->ra) : json_null());
    json_object_set_new(o, "tc", q->reply ? json_boolean(q->reply->tc) : json_null());
    json_object_set_new(o, "size",
                        q->reply_len ? json_integer((json_int_t)q->reply_len) : json_null());
    json_object_set_new(o, "outcome", json_string(gt_outcome_str(q->outcome)));
    json_object_set_new(o, "cached_from", jid(q->cached_from));
    json_object_set_new(o, "retry_of", jid(q->retry_of));
    json_object_set_new(o, "same_as", jid(q->same_as));
    json_object_set_new(o, "session_cache", json_boolean(q->from_session));
    if (q->sample > 0) {
        /* the resolver census: which sample, and CD=1 for the re-ask after a SERVFAIL */
        json_object_set_new(o, "sample", json_integer(q->sample));
        json_object_set_new(o, "cd", json_boolean(q->cd));
    }
    if (q->has_referral) {
        json_object_set_new(o, "referral", jreferral(&q->referral));
    }
    if (q->reply != NULL && q->reply->count[GT_SEC_ANSWER] > 0) {
        json_object_set_new(o, "answer", jsection(q->reply, GT_SEC_ANSWER));
    }
    if (cfg->verbose && q->reply != NULL) {
        json_object_set_new(o, "authority", jsection(q->reply, GT_SEC_AUTHORITY));
        json_object_set_new(o, "additional", jsection(q->reply, GT_SEC_ADDITIONAL));
    }
    return o;
}

static const char *trace_kind_str(gt_trace_kind k)
{
    return gt_trace_kind_str(k);
}

static const char *anchor_word(const gt_config *cfg);

static json_t *joptions(const gt_config *cfg)
{
    json_t *opts = json_object();
    json_object_set_new(opts, "paths", json_string(cfg->one_path ? "one" : "all"));
    json_object_set_new(opts, "start", json_string(cfg->have_server ? "server" : "hints"));
    json_object_set_new(opts, "hints", json_string(cfg->hints_file ? "file" : "builtin"));
    json_object_set_new(opts, "family",
                        json_string(cfg->family == AF_UNSPEC ? "any"
                                    : cfg->family == AF_INET ? "ipv4"
                                                             : "ipv6"));
    json_object_set_new(opts, "transport", json_string(cfg->tcp ? "tcp" : "udp"));
    json_object_set_new(opts, "edns", json_boolean(cfg->edns));
    json_object_set_new(opts, "bufsize", json_integer(cfg->bufsize));
    json_object_set_new(opts, "max_queries", json_integer(cfg->max_queries));
    json_object_set_new(opts, "dnssec", json_boolean(cfg->dnssec));
    json_object_set_new(opts, "trust_anchor", json_string(anchor_word(cfg)));
    return opts;
}

static json_t *jtraces(const gt_result *r)
{
    json_t *traces = json_array();
    for (size_t i = 0; i < r->ntraces; i++) {
        const gt_tracerec *t = r->traces[i];
        json_t *addrs = json_array();
        for (size_t j = 0; j < t->naddrs; j++) {
            json_array_append_new(addrs, jaddr(&t->addrs[j]));
        }
        json_array_append_new(
            traces,
            json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:s, s:o, s:o, s:b}", "id",
                      (json_int_t)t->id, "kind", trace_kind_str(t->kind), "name", jname(&t->name),
                      "type", jtype(t->qtype), "parent_trace",
                      i ? json_integer((json_int_t)t->parent_trace) : json_null(), "requested_by",
                      jid(t->requested_by), "depth", (json_int_t)t->depth, "status",
                      gt_trace_status_str(t->status), "addresses", addrs, "cname_trace",
                      jid(t->cname_child), "session_cache", t->from_session));
    }
    return traces;
}

/* One answer entry: {zone, outcome, rrs (only the records that answer), servers, queries}. */
static json_t *janswer(const gt_result *r, const gt_answer *a)
{
    const gt_query *fq = r->queries[a->first_query - 1];
    json_t *servers = json_array(), *qids = json_array(), *rrs = json_array();
    for (size_t j = 0; j < a->nqueries; j++) {
        const gt_query *q = r->queries[a->queries[j] - 1];
        json_array_append_new(qids, json_integer((json_int_t)q->id));
        bool dup = false;
        for (size_t k = 0; k < j && !dup; k++) {
            dup = gt_addr_eq(&r->queries[a->queries[k] - 1]->addr, &q->addr);
        }
        if (!dup) {
            json_array_append_new(servers, jaddr(&q->addr));
        }
    }
    for (size_t k = 0; fq->reply != NULL && k < a->nrrs; k++) {
        if (a->rrs[k] < fq->reply->count[GT_SEC_ANSWER]) {
            json_array_append_new(rrs, jrr(&fq->reply->rrs[GT_SEC_ANSWER][a->rrs[k]]));
        }
    }
    return json_pack("{s:o, s:s, s:o, s:o, s:o}", "zone", jname(&a->zone), "outcome",
                     gt_outcome_str(a->outcome), "rrs", rrs, "servers", servers, "queries", qids);
}

/* The link object for link @p link, created on first use in @p links (index = link). */
static json_t *jlink(json_t *links, const gt_answer *a, uint16_t qtype)
{
    while (json_array_size(links) <= a->link) {
        json_array_append_new(links, json_null());
    }
    json_t *l = json_array_get(links, a->link);
    if (json_is_null(l)) {
        l = json_pack("{s:I, s:o, s:o, s:[], s:[]}", "link", (json_int_t)a->link, "name",
                      jname(&a->name), "type", jtype(qtype), "alternatives", "non_authoritative");
        json_array_set_new(links, a->link, l);
    }
    return l;
}

/*
 * The answer chain: one object per link (the question's name, then each alias target traced
 * from the root), with the distinct authoritative replies at that link ("alternatives": more
 * than one means the servers disagree) and what servers without AA said.
 */
static json_t *janswers(const gt_result *r)
{
    json_t *links = json_array();
    for (size_t i = 0; i < r->nanswers; i++) {
        json_t *l = jlink(links, &r->answers[i], r->qtype);
        json_array_append_new(json_object_get(l, "alternatives"), janswer(r, &r->answers[i]));
    }
    for (size_t i = 0; i < r->nnonauth; i++) {
        json_t *l = jlink(links, &r->nonauth[i], r->qtype);
        json_array_append_new(json_object_get(l, "non_authoritative"), janswer(r, &r->nonauth[i]));
    }
    /* Links are consecutive from 0 in practice; drop any hole rather than print a null. */
    for (size_t i = json_array_size(links); i-- > 0;) {
        if (json_is_null(json_array_get(links, i))) {
            json_array_remove(links, i);
        }
    }
    return links;
}

static json_t *jfindings(const gt_result *r)
{
    json_t *findings = json_array();
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        json_array_append_new(
            findings,
            json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}", "code",
                      gt_code_name(f->code), "severity", gt_severity_str(gt_code_severity(f->code)),
                      "subject", gt_subject_str(gt_code_subject(f->code)), "zone",
                      f->zone.len ? jname(&f->zone) : json_null(), "server",
                      f->server[0] ? json_string(f->server) : json_null(), "server_name",
                      f->server_name.len ? jname(&f->server_name) : json_null(), "server_address",
                      f->has_server_addr ? jaddr(&f->server_addr) : json_null(), "message",
                      f->message, "query", jid(f->query)));
    }
    return findings;
}

/* @p n grouped findings from @p list: the problems, or the notes. */
static json_t *jproblems(const gt_result *r, const gt_problem *list, size_t n)
{
    json_t *problems = json_array();
    for (size_t i = 0; i < n; i++) {
        const gt_problem *p = &list[i];
        json_t *addrs = json_array(), *idx = json_array(), *msgs = json_array(),
               *also = json_array(), *then = json_array();
        for (size_t j = 0; j < p->naddrs; j++) {
            json_array_append_new(addrs, jaddr(&p->addrs[j]));
        }
        for (size_t j = 0; j < p->nfindings; j++) {
            json_array_append_new(idx, json_integer((json_int_t)p->findings[j]));
        }
        for (size_t j = 0; j < p->nmessages; j++) {
            json_array_append_new(msgs, json_string(r->findings[p->messages[j]].message));
        }
        for (size_t j = 0; j < p->nalso; j++) {
            json_array_append_new(also, json_string(gt_code_name(p->also[j])));
        }
        for (size_t j = 0; j < p->nthen; j++) {
            json_array_append_new(then, json_string(gt_code_name(p->then[j])));
        }
        json_array_append_new(
            problems, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "code",
                                gt_code_name(p->code), "severity", gt_severity_str(p->severity),
                                "subject", gt_subject_str(gt_code_subject(p->code)), "zone",
                                p->zone.len ? jname(&p->zone) : json_null(), "server",
                                p->server[0] ? json_string(p->server) : json_null(), "addresses",
                                addrs, "also", also, "then", then, "messages", msgs, "findings",
                                idx, "fix", gt_code_fix(p->code)));
    }
    return problems;
}

static json_t *jstats(const gt_result *r)
{
    size_t cached = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        cached += r->queries[i]->cached_from != 0 || r->queries[i]->from_session;
    }
    return json_pack("{s:I, s:I, s:I, s:I, s:o}", "queries", (json_int_t)r->sent, "cached",
                     (json_int_t)cached, "timeouts", (json_int_t)r->timeouts, "traces",
                     (json_int_t)r->ntraces, "elapsed_ms", jround(r->elapsed_ms, true));
}

static const char *anchor_word(const gt_config *cfg)
{
    if (cfg->nanchors == 0) {
        return "none";
    }
    return cfg->trust_anchor != NULL ? "file" : "builtin";
}

/* Each server's DNSSEC status for cut @p cut: what its DNSKEY reply gave. */
static json_t *jdnssec_servers(const gt_result *r, size_t cut)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->ndnssec_servers; i++) {
        const gt_dnssec_server *s = &r->dnssec_servers[i];
        if (s->cut != cut || s->query == 0 || s->query > r->nqueries) {
            continue;
        }
        const gt_query *q = r->queries[s->query - 1];
        const gt_finding *f = s->finding < r->nfindings ? &r->findings[s->finding] : NULL;
        json_t *warn = json_array(); /* e.g. DNSSEC_DNSKEY_MISMATCH on a set that validated */
        for (size_t k = 0; k < r->nfindings; k++) {
            const gt_finding *w = &r->findings[k];
            if (w->query == s->query && k != s->finding &&
                strncmp(gt_code_name(w->code), "DNSSEC_", 7) == 0) {
                json_array_append_new(warn, json_string(gt_code_name(w->code)));
            }
        }
        json_array_append_new(
            arr, json_pack("{s:o, s:o, s:I, s:s, s:o, s:s, s:o}", "name",
                           q->server_name.len ? jname(&q->server_name) : json_null(), "address",
                           jaddr(&q->addr), "query", (json_int_t)s->query, "status",
                           s->state == GT_DNSSEC_OFF ? "no_reply" : gt_dnssec_state_str(s->state),
                           "code", f ? json_string(gt_code_name(f->code)) : json_null(), "reason",
                           f ? f->message : "", "other_findings", warn));
    }
    return arr;
}

/* DNSSEC: the answer's status, one object per zone cut of the followed traces, and each
 * followed trace's own status. */
static json_t *jdnssec(const gt_result *r, const gt_config *cfg)
{
    json_t *zones = json_array(), *traces = json_array();
    for (size_t i = 0; i < r->ndnssec; i++) {
        const gt_dnssec_cut *d = &r->dnssec[i];
        json_t *keys = json_array();
        for (size_t k = 0; k < d->nksk; k++) {
            json_array_append_new(keys, json_pack("{s:i, s:i}", "tag", (int)d->ksk_tags[k], "alg",
                                                  (int)d->ksk_algs[k]));
        }
        json_array_append_new(
            zones,
            json_pack("{s:o, s:I, s:s, s:s, s:I, s:o, s:I, s:I, s:o, s:o}", "zone", jname(&d->zone),
                      "trace", (json_int_t)d->trace, "status", gt_dnssec_state_str(d->state),
                      "reason", d->reason, "ds", (json_int_t)d->nds, "keys", keys, "servers",
                      (json_int_t)d->nservers, "secure_servers", (json_int_t)d->nsecure, "referral",
                      jid(d->referral), "server_status", jdnssec_servers(r, i)));
    }
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_MAIN && tr->kind != GT_TRACE_CNAME &&
            tr->kind != GT_TRACE_SUBTRACE) {
            continue;
        }
        json_array_append_new(traces, json_pack("{s:I, s:s, s:s}", "trace", (json_int_t)t, "status",
                                                gt_dnssec_state_str(tr->dnssec), "reason",
                                                tr->dnssec_reason));
    }
    return json_pack("{s:s, s:{s:s, s:s}, s:o, s:o}", "anchor", anchor_word(cfg), "answer",
                     "status", gt_dnssec_state_str(r->answer_dnssec), "reason",
                     r->answer_dnssec_reason, "zones", zones, "traces", traces);
}

/* The parts the whole-run object and the JSON Lines summary share, after @p root's head. */
static void summary_fields(json_t *root, const gt_result *r, const gt_config *cfg)
{
    json_object_set_new(root, "traces", jtraces(r));
    json_object_set_new(root, "answers", janswers(r));
    json_object_set_new(root, "findings", jfindings(r));
    json_object_set_new(root, "problems", jproblems(r, r->problems, r->nproblems));
    json_object_set_new(root, "notes", jproblems(r, r->notes, r->nnotes));
    if (r->vsdig != NULL) {
        json_object_set_new(root, "vs_dig", gt_vsdig_json(r->vsdig));
    }
    if (r->census != NULL) {
        json_object_set_new(root, "resolvers", gt_census_json(r->census));
    }
    if (r->interrupted) {
        json_object_set_new(root, "interrupted", json_true());
    }
    if (cfg->dnssec) {
        json_object_set_new(root, "dnssec", jdnssec(r, cfg));
    }
    json_object_set_new(root, "stats", jstats(r));
    json_object_set_new(root, "exit_code", json_integer(gt_result_exit_code(r, cfg->strict)));
}

static gt_status dump(json_t *root, FILE *out, size_t flags)
{
    if (root == NULL) {
        return GT_ENOMEM;
    }
    int rc = json_dumpf(root, out, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF) {
        return GT_EIO;
    }
    return GT_OK;
}

gt_status gt_render_json(FILE *out, const gt_result *r, const gt_config *cfg)
{
    json_t *root = json_object();
    if (root == NULL) {
        return GT_ENOMEM;
    }
    json_object_set_new(root, "version", json_string(GT_VERSION));
    json_object_set_new(root, "query",
                        json_pack("{s:o, s:o}", "name", jname(&r->qname), "type", jtype(r->qtype)));
    json_object_set_new(root, "options", joptions(cfg));
    json_t *queries = json_array();
    for (size_t i = 0; i < r->nqueries; i++) {
        json_array_append_new(queries, jquery(r, r->queries[i], cfg));
    }
    json_object_set_new(root, "queries", queries);
    /* Key order as documented: traces, answers, findings, problems, vs_dig, stats, exit_code. */
    summary_fields(root, r, cfg);
    return dump(root, out, JSON_INDENT(2));
}

/* JSON Lines: one compact object per line, flushed at once so a pipe sees each query as it
 * completes. Every line has "type": "query" or (last) "summary". */
void gt_render_jsonl_query(void *arg, const gt_result *r, const gt_query *q)
{
    const gt_config *cfg = arg;
    json_t *o = json_object();
    if (o == NULL) {
        return;
    }
    json_object_set_new(o, "type", json_string("query"));
    json_t *body = jquery(r, q, cfg);
    if (body != NULL) {
        json_object_update(o, body);
        json_decref(body);
    }
    if (dump(o, stdout, JSON_COMPACT) == GT_OK) {
        fflush(stdout);
    }
}

gt_status gt_render_jsonl_end(FILE *out, const gt_result *r, const gt_config *cfg)
{
    json_t *root = json_object();
    if (root == NULL) {
        return GT_ENOMEM;
    }
    json_object_set_new(root, "type", json_string("summary"));
    json_object_set_new(root, "version", json_string(GT_VERSION));
    json_object_set_new(root, "query",
                        json_pack("{s:o, s:o}", "name", jname(&r->qname), "type", jtype(r->qtype)));
    json_object_set_new(root, "options", joptions(cfg));
    summary_fields(root, r, cfg);
    return dump(root, out, JSON_COMPACT);
}
