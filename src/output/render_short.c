/*
 * --short (-o short): the final answer the way `dig +short` prints it, for scripts and for
 * hands used to dig: the RDATA of each record of the answer, one per line (a CNAME's target
 * as a name with its trailing dot, then the records of the name it leads to). A CNAME chain
 * that gluetrace followed across zones prints as the one answer dig would have shown.
 * When something is wrong (an error or warning finding, or no answer: NXDOMAIN, NODATA, no
 * authoritative server reached) one verdict line goes to the error stream, so stdout stays
 * the bare data and the exit status stays the one of every other format.
 */
#include "gluetrace/output/render.h"
#include "gluetrace/model/codes.h"
#include "gluetrace/wire/name.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/rrtype.h"
#include "gluetrace/wire/wire.h"

#include <string.h>

/** Distinct finding codes named in the verdict line; more are counted, not named. */
#define GT_SHORT_MAX_CODES 16

static bool same_rr(const gt_rr *a, const gt_rr *b)
{
    return a->type == b->type && a->cls == b->cls && gt_name_eq(&a->owner, &b->owner) &&
           gt_rr_same_rdata(a, b);
}

/* The reply whose records stand for answer @p i (NULL when there is none). */
static const gt_msg *answer_msg(const gt_result *r, size_t i)
{
    size_t q = r->answers[i].first_query;
    if (q == 0 || q > r->nqueries) {
        return NULL;
    }
    return gt_query_reply(r, r->queries[q - 1]);
}

/* Whether @p rr was already printed for an earlier answer or earlier in its own. Servers
 * that include a CNAME's target records in the same reply would otherwise print them twice
 * (once with the CNAME, once from the trace that followed it). */
static bool printed_before(const gt_result *r, size_t ans, size_t k, const gt_rr *rr)
{
    for (size_t i = 0; i <= ans; i++) {
        const gt_msg *m = answer_msg(r, i);
        const gt_answer *an = &r->answers[i];
        if (m == NULL) {
            continue;
        }
        size_t n = i == ans ? k : an->nrrs;
        for (size_t j = 0; j < n; j++) {
            if (an->rrs[j] < m->count[GT_SEC_ANSWER] &&
                same_rr(&m->rrs[GT_SEC_ANSWER][an->rrs[j]], rr)) {
                return true;
            }
        }
    }
    return false;
}

static const char *status_words(gt_trace_status s)
{
    switch (s) {
    case GT_TS_ANSWER:
        return "answer";
    case GT_TS_NXDOMAIN:
        return "NXDOMAIN (the name does not exist)";
    case GT_TS_NODATA:
        return "NODATA (the name exists, no records of this type)";
    case GT_TS_CYCLE:
        return "no answer (glueless delegation cycle)";
    case GT_TS_LIMIT:
        return "no answer (a limit stopped the trace)";
    case GT_TS_FAILED:
    case GT_TS_RUNNING:
    default:
        return "no answer (no authoritative data reached)";
    }
}

/* "; N errors: CODE xK, CODE" for the problems of severity @p sev (the same count as the text
 * verdict's), nothing when none. */
static void problems_part(FILE *err, const gt_result *r, gt_severity sev)
{
    gt_code codes[GT_SHORT_MAX_CODES];
    size_t counts[GT_SHORT_MAX_CODES];
    size_t ncodes = 0, total = 0, unnamed = 0;
    for (size_t i = 0; i < r->nproblems; i++) {
        const gt_problem *f = &r->problems[i];
        if (f->severity != sev) {
            continue;
        }
        total++;
        size_t c = 0;
        while (c < ncodes && codes[c] != f->code) {
            c++;
        }
        if (c < ncodes) {
            counts[c]++;
        } else if (ncodes < GT_SHORT_MAX_CODES) {
            codes[ncodes] = f->code;
            counts[ncodes++] = 1;
        } else {
            unnamed++;
        }
    }
    if (total == 0) {
        return;
    }
    fprintf(err, "; %zu %s%s:", total, gt_severity_str(sev), total == 1 ? "" : "s");
    for (size_t c = 0; c < ncodes; c++) {
        fprintf(err, "%s %s", c == 0 ? "" : ",", gt_code_name(codes[c]));
        if (counts[c] > 1) {
            fprintf(err, " x%zu", counts[c]);
        }
    }
    if (unnamed > 0) {
        fprintf(err, ", %zu more", unnamed);
    }
}

/* The verdict line, or nothing when the answer came back clean. With a trust anchor it says
 * the answer's DNSSEC status. */
static void verdict(FILE *err, const gt_result *r, const gt_config *cfg)
{
    gt_trace_status s = r->ntraces > 0 ? r->traces[0]->status : GT_TS_FAILED;
    if (s == GT_TS_ANSWER && r->nproblems == 0) {
        return;
    }
    char name[GT_NAME_STRLEN], type[16];
    gt_name_to_str(&r->qname, name, sizeof(name));
    gt_type_to_str(r->qtype, type, sizeof(type));
    fprintf(err, "gluetrace: %s %s: %s", name, type, status_words(s));
    if (r->nanswers > 1 && s == GT_TS_ANSWER) {
        /* Links of an alias chain are one answer: only alternatives at one link disagree. */
        size_t most = 0;
        for (size_t i = 0; i < r->nanswers; i++) {
            most = r->answers[i].nalternatives > most ? r->answers[i].nalternatives : most;
        }
        if (most > 1) {
            fprintf(err, " (%zu different answers)", most);
        }
    }
    if (cfg != NULL && cfg->dnssec && cfg->nanchors > 0 && r->answer_dnssec != GT_DNSSEC_OFF) {
        fprintf(err, "; DNSSEC %s", gt_dnssec_state_str(r->answer_dnssec));
    }
    problems_part(err, r, GT_SEV_ERROR);
    problems_part(err, r, GT_SEV_WARNING);
    fputs("; run without --short for the trace\n", err);
}

gt_status gt_render_short_to(FILE *out, FILE *err, const gt_result *r, const gt_config *cfg)
{
    char data[8192];
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_msg *m = answer_msg(r, i);
        const gt_answer *an = &r->answers[i];
        /* Only the records that answer (gt_answer.rrs), in the chain's order. */
        for (size_t k = 0; m != NULL && k < an->nrrs; k++) {
            if (an->rrs[k] >= m->count[GT_SEC_ANSWER]) {
                continue;
            }
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][an->rrs[k]];
            if (printed_before(r, i, k, rr)) {
                continue;
            }
            gt_rr_data_str(rr, data, sizeof(data));
            fprintf(out, "%s\n", data);
        }
    }
    /* The data first, then the verdict, also when both go to one terminal. */
    if (fflush(out) != 0 || ferror(out)) {
        return GT_EIO;
    }
    verdict(err, r, cfg);
    return GT_OK;
}

gt_status gt_render_short(FILE *out, const gt_result *r, const gt_config *cfg)
{
    return gt_render_short_to(out, stderr, r, cfg);
}
