/* The readable tree. Every name goes through gt_name_to_str(), which escapes non-printable
 * bytes, so a hostile server cannot write terminal control sequences. */
#include "gluetrace/render.h"
#include "gluetrace/vsdig.h"

#include <stdlib.h>
#include <string.h>

size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size)
{
    char owner[GT_NAME_STRLEN], type[16], data[8192];
    gt_name_to_str(&rr->owner, owner, sizeof(owner));
    gt_type_to_str(rr->type, type, sizeof(type));
    if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0 &&
        gt_rdata_to_generic_str(rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
        data[0] = '\0';
    }
    int n = snprintf(buf, size, "%s %u %s %s %s", owner, (unsigned)rr->ttl,
                     rr->cls == GT_CLASS_IN ? "IN" : "CLASS?", type, data);
    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    const gt_config *cfg;
    bool *printed_trace; /* each sub-trace printed once, where first needed */
} ctx;

static void indent(ctx *c, unsigned depth)
{
    for (unsigned i = 0; i < depth; i++) {
        fputs("  ", c->out);
    }
}

static const char *nm(const gt_name *n, char *buf, size_t size)
{
    if (n->len == 0) {
        snprintf(buf, size, "(unnamed)");
        return buf;
    }
    gt_name_to_str(n, buf, size);
    return buf;
}

static void provenance(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN];
    switch (q->source) {
    case GT_SRC_HINTS:
        fputs("hints", c->out);
        break;
    case GT_SRC_USER:
        fputs("user (-s)", c->out);
        break;
    case GT_SRC_SUBTRACE:
        fprintf(c->out, "sub-trace #%zu", q->subtrace);
        break;
    case GT_SRC_GLUE: {
        const gt_query *g = c->r->queries[q->glue_from - 1];
        char a[GT_ADDR_STRLEN];
        fprintf(c->out, "glue from %s %s, %s", nm(&g->server_name, b, sizeof(b)),
                gt_addr_to_str(&g->addr, a, sizeof(a)), gt_glue_kind_str(q->glue_kind));
        break;
    }
    }
}

static void outcome(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], rc[24];
    const gt_msg *m = q->reply;
    switch (q->outcome) {
    case GT_OUT_REFERRAL:
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        if (q->outcome == GT_OUT_REFERRAL) {
            fprintf(c->out, "referral to %s", nm(&q->referral.zone, b, sizeof(b)));
        } else {
            fprintf(c->out, "LAME: %s referral to %s",
                    q->outcome == GT_OUT_UPWARD ? "upward" : "sideways",
                    nm(&q->cls.zone, b, sizeof(b)));
        }
        if (q->has_referral) {
            fprintf(c->out, " (%zu NS, %zu glue", q->referral.nns, q->referral.nglue);
            if (q->referral.nignored > 0) {
                fprintf(c->out, ", %zu ignored", q->referral.nignored);
            }
            fputc(')', c->out);
        }
        if (q->same_as) {
            fprintf(c->out, ", same as #%zu", q->same_as);
        }
        break;
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME: {
        fputs(q->outcome == GT_OUT_ANSWER ? "ANSWER" : "CNAME", c->out);
        size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
        for (size_t i = 0; i < n && i < 3; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            char type[16], data[512];
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            fprintf(c->out, "%s %s %s", i ? "," : "", gt_type_to_str(rr->type, type, sizeof(type)),
                    data);
        }
        if (n > 3) {
            fprintf(c->out, ", ... (%zu records)", n);
        }
        break;
    }
    case GT_OUT_NXDOMAIN:
        fputs("NXDOMAIN", c->out);
        break;
    case GT_OUT_NODATA:
        fputs("NODATA", c->out);
        break;
    case GT_OUT_LAME:
        if (q->cls.lame == GT_LAME_RCODE && m != NULL) {
            fprintf(c->out, "LAME: %s", gt_rcode_to_str(m->rcode, rc, sizeof(rc)));
        } else {
            fputs("LAME: not authoritative", c->out);
        }
        break;
    case GT_OUT_TRUNCATED:
        fputs("truncated (TC=1), retried over TCP", c->out);
        break;
    case GT_OUT_TIMEOUT:
        fputs("TIMEOUT", c->out);
        break;
    case GT_OUT_UNREACHABLE:
        fprintf(c->out, "UNREACHABLE (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_MALFORMED:
        fputs("MALFORMED reply", c->out);
        break;
    case GT_OUT_ERROR:
        fprintf(c->out, "ERROR (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_PENDING:
        fputs("no reply", c->out);
        break;
    }
}

static void print_records(ctx *c, const gt_msg *m, unsigned depth)
{
    static const char *names[3] = {"answer", "authority", "additional"};
    for (int s = 0; s < 3 && m != NULL; s++) {
        for (size_t i = 0; i < m->count[s]; i++) {
            char line[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(&m->rrs[s][i], line, sizeof(line));
            indent(c, depth);
            fprintf(c->out, "  ; %s: %s\n", names[s], line);
        }
    }
}

static void print_query(ctx *c, size_t id, unsigned depth);

static void print_trace(ctx *c, size_t t, unsigned depth)
{
    const gt_tracerec *tr = c->r->traces[t];
    char b[GT_NAME_STRLEN], type[16];
    c->printed_trace[t] = true;
    indent(c, depth);
    fprintf(c->out, "%s #%zu: %s %s from the root",
            tr->kind == GT_TRACE_CNAME ? "cname-trace" : "sub-trace", t,
            nm(&tr->name, b, sizeof(b)), gt_type_to_str(tr->qtype, type, sizeof(type)));
    fprintf(c->out, " -> %s", gt_trace_status_str(tr->status));
    for (size_t i = 0; i < tr->naddrs; i++) {
        char a[GT_ADDR_STRLEN];
        fprintf(c->out, "%s%s", i ? ", " : " ", gt_addr_to_str(&tr->addrs[i], a, sizeof(a)));
    }
    fputc('\n', c->out);
    for (size_t i = 0; i < c->r->nqueries; i++) {
        const gt_query *q = c->r->queries[i];
        if (q->trace == t && q->parent == 0) {
            print_query(c, q->id, depth + 1);
        }
    }
}

static void print_query(ctx *c, size_t id, unsigned depth)
{
    const gt_result *r = c->r;
    const gt_query *q = r->queries[id - 1];
    char b[GT_NAME_STRLEN], z[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    indent(c, depth);
    fprintf(c->out, "#%zu %s %s %s [", q->id, nm(&q->zone, z, sizeof(z)),
            q->server_name.len ? nm(&q->server_name, b, sizeof(b)) : "-",
            gt_addr_to_str(&q->addr, a, sizeof(a)));
    provenance(c, q);
    fputs("] ", c->out);
    if (q->cached_from) {
        fprintf(c->out, "cached from #%zu: ", q->cached_from);
    } else {
        fprintf(c->out, "%s%s %.1f ms: ", q->tcp ? "tcp" : "udp", q->retry_of ? " retry" : "",
                q->rtt_ms);
    }
    outcome(c, q);
    fputc('\n', c->out);
    if (c->cfg->verbose) {
        print_records(c, q->reply, depth);
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].query == id) {
            indent(c, depth);
            fprintf(c->out, "  ! %s %s: %s\n", gt_severity_str(r->findings[i].severity),
                    r->findings[i].code, r->findings[i].message);
        }
    }
    /* Sub-traces and CNAME traces this reply started, then the servers it led to. */
    for (size_t t = 1; t < r->ntraces; t++) {
        if (r->traces[t]->requested_by == id && !c->printed_trace[t]) {
            print_trace(c, t, depth + 1);
        }
    }
    for (size_t i = id; i < r->nqueries; i++) {
        if (r->queries[i]->parent == id) {
            print_query(c, r->queries[i]->id, depth + 1);
        }
    }
}

gt_status gt_render_text(FILE *out, const gt_result *r, const gt_config *cfg)
{
    ctx c = {.out = out, .r = r, .cfg = cfg, .printed_trace = calloc(r->ntraces + 1, sizeof(bool))};
    if (c.printed_trace == NULL) {
        return GT_ENOMEM;
    }
    char b[GT_NAME_STRLEN], type[16];
    fprintf(out, "gluetrace %s: %s %s, %s, from %s\n", GT_VERSION, nm(&r->qname, b, sizeof(b)),
            gt_type_to_str(r->qtype, type, sizeof(type)), cfg->one_path ? "one path" : "all paths",
            cfg->have_server  ? "the given server"
            : cfg->hints_file ? "the hints file"
                              : "built-in root hints");
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == 0 && q->parent == 0) {
            print_query(&c, q->id, 1);
        }
    }
    for (size_t t = 1; t < r->ntraces; t++) {
        if (!c.printed_trace[t]) {
            print_trace(&c, t, 1);
        }
    }

    fputs("\nAnswers:\n", out);
    if (r->nanswers == 0) {
        fputs("  none: no authoritative answer was reached\n", out);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        const gt_query *fq = r->queries[an->first_query - 1];
        fprintf(out, "  %s",
                an->outcome == GT_OUT_NXDOMAIN ? "NXDOMAIN"
                : an->outcome == GT_OUT_NODATA ? "NODATA"
                : an->outcome == GT_OUT_CNAME  ? "CNAME"
                                               : "ANSWER");
        fprintf(out, " from %zu %s:", an->nqueries, an->nqueries == 1 ? "server" : "servers");
        for (size_t j = 0; j < an->nqueries; j++) {
            char a[GT_ADDR_STRLEN];
            fprintf(out, " %s",
                    gt_addr_to_str(&r->queries[an->queries[j] - 1]->addr, a, sizeof(a)));
        }
        fputc('\n', out);
        const gt_msg *m = fq->reply;
        for (size_t k = 0; m != NULL && k < m->count[GT_SEC_ANSWER]; k++) {
            char line[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(&m->rrs[GT_SEC_ANSWER][k], line, sizeof(line));
            fprintf(out, "    %s\n", line);
        }
    }
    if (r->nfindings > 0) {
        fputs("\nFindings:\n", out);
        for (size_t i = 0; i < r->nfindings; i++) {
            const gt_finding *f = &r->findings[i];
            fprintf(out, "  %-7s %s", gt_severity_str(f->severity), f->code);
            if (f->zone.len) {
                fprintf(out, " [%s]", nm(&f->zone, b, sizeof(b)));
            }
            if (f->server[0]) {
                fprintf(out, " %s", f->server);
            }
            fprintf(out, ": %s\n", f->message);
        }
    }
    if (r->vsdig != NULL) {
        fputc('\n', out);
        gt_vsdig_print(out, r->vsdig);
    }
    size_t cached = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        cached += r->queries[i]->cached_from != 0;
    }
    fprintf(out,
            "\n;; %zu queries sent, %zu answered from this run's referral cache, %zu timeouts, "
            "%zu traces, %.0f ms\n",
            r->sent, cached, r->timeouts, r->ntraces, r->elapsed_ms);
    free(c.printed_trace);
    return GT_OK;
}
