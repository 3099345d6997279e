/* The sections of the text output after the verdict line: each problem with its fix, the
 * answers (the alias chain link by link, with what servers without AA said) and, with -v,
 * every finding. */
#include "text_priv.h"

#include "gluetrace/diagnose/problems.h"

#include <string.h>

/** Distinct messages shown per problem in the verdict; -v lists every finding. */
#define VERDICT_MAX_MESSAGES 2

/* "192.0.2.1 (#12, 3.4 ms)": one address of a server and its query. */
static void address_brief(tline *l, const gt_query *q)
{
    char a[GT_ADDR_STRLEN];
    gt_buf_printf(&l->b, "%s (#%zu, ", gt_addr_to_str(&q->addr, a, sizeof(a)), q->id);
    if (q->cached_from) {
        gt_buf_puts(&l->b, "cached)");
    } else {
        gt_buf_printf(&l->b, "%.1f ms)", q->rtt_ms);
    }
}

static void server_brief(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    fprintf(c->out, "%s %s (#%zu, ",
            q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
            gt_addr_to_str(&q->addr, a, sizeof(a)), q->id);
    if (q->cached_from) {
        fprintf(c->out, "cached)");
    } else {
        fprintf(c->out, "%.1f ms)", q->rtt_ms);
    }
}

/* "error   LAME_SERVER + UPWARD_REFERRAL in lame.test." */
static void print_problem_head(tline *l, const gt_problem *p)
{
    char b[GT_NAME_STRLEN];
    gt_severity sev = p->severity;
    txt_l_on(l, txt_sev_color(sev));
    gt_buf_printf(&l->b, "%-7s %s", sev == GT_SEV_INFO ? "note" : gt_severity_str(sev),
                  gt_code_name(p->code));
    for (size_t i = 0; i < p->nalso; i++) {
        gt_buf_printf(&l->b, " + %s", gt_code_name(p->also[i]));
    }
    txt_l_off(l);
    if (p->zone.len > 0) {
        gt_buf_printf(&l->b, " in %s", gt_name_str(&p->zone, b, sizeof(b)));
    }
}

static bool code_in(const gt_code *list, size_t n, gt_code c)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == c) {
            return true;
        }
    }
    return false;
}

/* One problem (or note): its code, zone, server and addresses; its messages, then those of
 * the problems it causes; its fix. */
void txt_print_problem(ctx *c, const gt_problem *p)
{
    const gt_result *r = c->r;
    char a[GT_ADDR_STRLEN];
    tline l;
    txt_l_init(&l);
    print_problem_head(&l, p);
    if (p->server[0] != '\0') {
        gt_buf_printf(&l.b, ": %s", p->server);
        bool named = true;
        if (p->naddrs == 1) {
            named = strcmp(p->server, gt_addr_to_str(&p->addrs[0], a, sizeof(a))) != 0;
        }
        if (p->naddrs > 1) {
            gt_buf_printf(&l.b, " at %zu addresses", p->naddrs);
        }
        for (size_t i = 0; i < p->naddrs && named; i++) {
            gt_buf_printf(&l.b, "%s%s", i ? ", " : " ", gt_addr_to_str(&p->addrs[i], a, sizeof(a)));
        }
        if (p->naddrs == 1 && named) {
            /* " ADDR" reads better as " at ADDR" */
            gt_buf_free(&l.b);
            txt_l_init(&l);
            print_problem_head(&l, p);
            gt_buf_printf(&l.b, ": %s at %s", p->server, a);
        }
    }
    txt_emit(c, &l, "  ", "          ");
    /* Its own messages, then those of each problem it causes ("so CODE: ..."), each capped. */
    for (size_t g = 0; g <= p->nthen; g++) {
        size_t shown = 0, more = 0;
        for (size_t i = 0; i < p->nmessages; i++) {
            const gt_finding *f = &r->findings[p->messages[i]];
            bool then = code_in(p->then, p->nthen, f->code);
            if (g == 0 ? then : f->code != p->then[g - 1]) {
                continue;
            }
            if (shown == VERDICT_MAX_MESSAGES) {
                more++;
                continue;
            }
            shown++;
            txt_l_init(&l);
            if (g > 0) {
                gt_buf_printf(&l.b, "so %s: ", gt_code_name(f->code));
            }
            gt_buf_puts(&l.b, f->message);
            txt_emit(c, &l, "          ", "            ");
        }
        if (more > 0) {
            txt_l_init(&l);
            txt_l_on(&l, C_DIM);
            gt_buf_printf(&l.b, "(%zu more like this; -v lists every finding)", more);
            txt_emit(c, &l, "          ", "            ");
        }
    }
    txt_l_init(&l);
    txt_l_on(&l, C_BOLD);
    gt_buf_puts(&l.b, "fix:");
    txt_l_off(&l);
    gt_buf_printf(&l.b, " %s", gt_code_fix(p->code));
    txt_emit(c, &l, "          ", "               ");
}

const char *txt_answer_word(gt_outcome o, const gt_msg *m)
{
    return o == GT_OUT_NXDOMAIN ? gt_nx_word(m)
           : o == GT_OUT_NODATA ? "NODATA"
           : o == GT_OUT_CNAME  ? "CNAME"
                                : "ANSWER";
}

/* The records of one answer entry that answer the question (gt_answer.rrs). */
static void print_answer_rrs(ctx *c, const gt_answer *an, const char *indent)
{
    const gt_msg *m = NULL;
    if (an->first_query >= 1 && an->first_query <= c->r->nqueries) {
        m = Q(c, an->first_query)->reply;
    }
    for (size_t k = 0; m != NULL && k < an->nrrs; k++) {
        char line[8192 + 2 * GT_NAME_STRLEN];
        if (an->rrs[k] < m->count[GT_SEC_ANSWER]) {
            gt_rr_to_str(&m->rrs[GT_SEC_ANSWER][an->rrs[k]], line, sizeof(line));
            fprintf(c->out, "%s%s\n", indent, line);
        }
    }
}

/* One answer entry: @p label, its kind, its records, and every server that gave it. */
static void print_answer(ctx *c, const gt_answer *an, const char *label)
{
    const gt_result *r = c->r;
    FILE *out = c->out;
    fprintf(out, "  %s", label);
    txt_on(c, C_GREEN);
    const gt_msg *m = an->first_query >= 1 && an->first_query <= r->nqueries
                          ? Q(c, an->first_query)->reply
                          : NULL;
    fputs(txt_answer_word(an->outcome, m), out);
    txt_off(c);
    /* the zone once, when every server answered as a server of the same zone */
    const gt_name *zone = NULL;
    bool one_zone = true;
    for (size_t j = 0; j < an->nqueries && one_zone; j++) {
        if (an->queries[j] >= 1 && an->queries[j] <= r->nqueries) {
            const gt_name *z = &Q(c, an->queries[j])->zone;
            one_zone = zone == NULL || gt_name_eq(zone, z);
            zone = zone == NULL ? z : zone;
        }
    }
    fprintf(out, " from %zu %s", an->nqueries, an->nqueries == 1 ? "server" : "servers");
    if (one_zone && zone != NULL) {
        char z[GT_NAME_STRLEN];
        fprintf(out, " of %s", gt_name_str(zone, z, sizeof(z)));
    }
    fputc('\n', out);
    print_answer_rrs(c, an, "    ");
    /* one line per server: "<- zone name addr (#id, rtt), addr (#id, rtt)" */
    for (size_t j = 0; j < an->nqueries; j++) {
        if (an->queries[j] == 0 || an->queries[j] > r->nqueries) {
            continue;
        }
        const gt_query *q = Q(c, an->queries[j]);
        bool seen = false;
        for (size_t k = 0; k < j && !seen; k++) {
            const gt_query *p =
                an->queries[k] == 0 || an->queries[k] > r->nqueries ? NULL : Q(c, an->queries[k]);
            seen = p != NULL && gt_name_eq(&p->zone, &q->zone) &&
                   gt_name_eq(&p->server_name, &q->server_name);
        }
        if (seen) {
            continue;
        }
        char z[GT_NAME_STRLEN], b[GT_NAME_STRLEN];
        tline l;
        txt_l_init(&l);
        gt_buf_puts(&l.b, "<- ");
        if (!one_zone) {
            gt_buf_printf(&l.b, "%s ", gt_name_str(&q->zone, z, sizeof(z)));
        }
        gt_buf_puts(&l.b, q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-");
        const char *sep = " ";
        for (size_t k = j; k < an->nqueries; k++) {
            if (an->queries[k] == 0 || an->queries[k] > r->nqueries) {
                continue;
            }
            const gt_query *p = Q(c, an->queries[k]);
            if (gt_name_eq(&p->zone, &q->zone) && gt_name_eq(&p->server_name, &q->server_name)) {
                gt_buf_puts(&l.b, sep);
                address_brief(&l, p);
                sep = ", ";
            }
        }
        txt_emit(c, &l, "    ", "         ");
    }
}

/* What servers without AA said at link @p link: shown, never the answer. */
static void print_nonauth(ctx *c, size_t link)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nnonauth; i++) {
        const gt_answer *an = &r->nonauth[i];
        if (an->link != link) {
            continue;
        }
        for (size_t j = 0; j < an->nqueries; j++) {
            if (an->queries[j] == 0 || an->queries[j] > r->nqueries) {
                continue;
            }
            const gt_query *q = Q(c, an->queries[j]);
            char z[GT_NAME_STRLEN];
            txt_on(c, C_YELLOW);
            fputs("  non-authoritative answer (AA=0, not used)", c->out);
            txt_off(c);
            fprintf(c->out, " from %s ", gt_name_str(&q->zone, z, sizeof(z)));
            server_brief(c, q);
            fputc('\n', c->out);
        }
        print_answer_rrs(c, an, "    ");
    }
}

/* Whether the answer entries of link @p link come from more than one zone. */
static bool link_zones_differ(const gt_result *r, size_t link)
{
    const gt_answer *first = NULL;
    for (size_t i = 0; i < r->nanswers; i++) {
        if (r->answers[i].link != link) {
            continue;
        }
        if (first == NULL) {
            first = &r->answers[i];
        } else if (!gt_name_eq(&first->zone, &r->answers[i].zone)) {
            return true;
        }
    }
    return false;
}

/*
 * The overview: the answer chain, link by link (the question's name, then each alias target
 * answered by its own zone); at each link its distinct replies (more than one: the servers
 * disagree) with their records and servers, and what servers without AA said.
 */
void txt_print_answers(ctx *c)
{
    const gt_result *r = c->r;
    FILE *out = c->out;
    char b[GT_NAME_STRLEN], z[GT_NAME_STRLEN];
    txt_on(c, C_BOLD);
    fputs("Answers:", out);
    txt_off(c);
    if (r->nanswers > 0 && r->nlinks > 1) {
        fprintf(out, " one answer through a chain of %zu names, each answered by its own zone",
                r->nlinks);
    }
    fputc('\n', out);
    if (r->nanswers == 0) {
        txt_on(c, C_RED);
        fputs("  none: no authoritative answer was reached", out);
        txt_off(c);
        fputc('\n', out);
        for (size_t i = 0; i < r->nnonauth; i++) {
            if (i == 0 || r->nonauth[i].link != r->nonauth[i - 1].link) {
                print_nonauth(c, r->nonauth[i].link);
            }
        }
        return;
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        bool first_of_link = i == 0 || r->answers[i - 1].link != an->link;
        char label[32] = "";
        if (r->nlinks > 1) {
            /* the link's number; its records name it, its header line its zone */
            snprintf(label, sizeof(label), "[%zu] ", an->link + 1);
        }
        if (first_of_link && an->nalternatives > 1) {
            txt_on(c, C_YELLOW);
            if (link_zones_differ(r, an->link)) {
                fprintf(out, "  %zu different answers for %s: the servers disagree",
                        an->nalternatives, gt_name_str(&an->name, b, sizeof(b)));
            } else {
                fprintf(out, "  %zu different answers for %s: the servers of %s disagree",
                        an->nalternatives, gt_name_str(&an->name, b, sizeof(b)),
                        gt_name_str(&an->zone, z, sizeof(z)));
            }
            txt_off(c);
            fputc('\n', out);
        }
        print_answer(c, an, label);
        if (i + 1 == r->nanswers || r->answers[i + 1].link != an->link) {
            print_nonauth(c, an->link);
        }
    }
}

/* -v: every finding as raised, one per server address and reply. */
void txt_print_findings(ctx *c)
{
    const gt_result *r = c->r;
    char b[GT_NAME_STRLEN];
    if (r->nfindings == 0) {
        return;
    }
    txt_on(c, C_BOLD);
    fputs("Findings:", c->out);
    txt_off(c);
    fputc('\n', c->out);
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        gt_severity sev = gt_code_severity(f->code);
        tline l;
        txt_l_init(&l);
        txt_l_on(&l, txt_sev_color(sev));
        gt_buf_printf(&l.b, "%-7s", gt_severity_str(sev));
        txt_l_off(&l);
        gt_buf_printf(&l.b, " %s", gt_code_name(f->code));
        if (f->zone.len) {
            gt_buf_printf(&l.b, " [%s]", gt_name_str(&f->zone, b, sizeof(b)));
        }
        if (f->server[0]) {
            gt_buf_printf(&l.b, " %s", f->server);
        }
        if (f->query) {
            gt_buf_printf(&l.b, " (#%zu)", f->query);
        }
        gt_buf_printf(&l.b, ": %s", f->message);
        txt_emit(c, &l, "  ", "      ");
    }
}
