/*
 * The words of --vs-dig: the verdict and its sentence, the step table printed under the text
 * output, and the JSON object (docs/dig-comparison.md, docs/json.md).
 */
#include "vsdig_priv.h"

#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool gt_vd_usable_query(const gt_result *r, const gt_query *q)
{
    if (q->trace >= r->ntraces) {
        return false;
    }
    gt_trace_kind k = r->traces[q->trace]->kind;
    if (k != GT_TRACE_MAIN && k != GT_TRACE_SUBTRACE && k != GT_TRACE_CNAME) {
        return false;
    }
    return q->source == GT_SRC_HINTS || q->source == GT_SRC_GLUE || q->source == GT_SRC_SUBTRACE ||
           q->source == GT_SRC_USER || q->source == GT_SRC_CHILD;
}

const char *gt_vd_name(const gt_name *n, char *buf, size_t size)
{
    gt_name_to_str(n, buf, size);
    return buf;
}

void gt_vd_append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - used) {
        /* cut: mark it so a reader knows */
        if (size > 4) {
            memcpy(buf + size - 4, "...", 4);
        }
    }
}

void gt_vd_known_list(const vd_step *st, char *buf, size_t size)
{
    char a[GT_ADDR_STRLEN];
    buf[0] = '\0';
    for (size_t i = 0; i < st->nknown; i++) {
        gt_vd_append(buf, size, "%s%s", i ? ", " : "",
                     gt_addr_to_str(&st->known[i].addr, a, sizeof(a)));
    }
}

/* "the parent's glue says" / "gluetrace's sub-trace found" / "the root hints say" */
const char *gt_vd_known_says(const vd_step *st)
{
    if (st->nknown == 0) {
        return "gluetrace found";
    }
    if (strcmp(st->known[0].source, "glue") == 0) {
        return "the parent's glue says";
    }
    if (strcmp(st->known[0].source, "subtrace") == 0) {
        return "gluetrace's sub-trace from the root found";
    }
    if (strcmp(st->known[0].source, "hints") == 0) {
        return "the root hints say";
    }
    return "gluetrace used";
}

/* The first step whose address was not gluetrace's, or NULL. */
static const vd_step *first_misled(const vd_run *v)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        if (v->steps[i].check == VD_MISLED) {
            return &v->steps[i];
        }
    }
    return NULL;
}

/* "dig +trace was misled by its resolver: ..." and what its answer became. */
static void misled_sentence(const vd_run *v, const vd_step *s, char *msg, size_t size)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], list[1024];
    gt_vd_known_list(s, list, sizeof(list));
    gt_vd_append(msg, size, "dig +trace was misled by its resolver: it asked %s for %s, but %s %s",
                 gt_addr_to_str(&s->addr, a, sizeof(a)),
                 s->have_server ? gt_vd_name(&s->server, b, sizeof(b)) : "a server",
                 gt_vd_known_says(s), list);
    if (v->have_answer && !v->answer_same) {
        gt_vd_append(msg, size, "; its final answer (%s) differs from the authoritative (%s)",
                     v->dig_answer, v->gt_answer);
    } else if (v->have_answer) {
        gt_vd_append(msg, size, "; its final answer happens to be the same");
    }
}

/* "dig +trace asked ns2.lame.test. (127.53.106.2) at step 3 (REFUSED: lame), so ..." */
static void broken_sentence(const gt_result *r, const vd_run *v, char *msg, size_t size)
{
    char b[GT_NAME_STRLEN], srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
    const vd_step *s = &v->steps[v->cause_step];
    gt_vd_step_server(s, srv, sizeof(srv));
    if (s->judge == VD_J_OLD_SERIAL) {
        gt_vd_append(msg, size,
                     "dig +trace got the copy with serial %u from %s, which is behind %s "
                     "(serial %u): its answer (%s) is the old copy's; gluetrace's answers: %s",
                     (unsigned)s->serial, srv, s->newest_by, (unsigned)s->newest_serial,
                     v->dig_answer, v->gt_answer);
        return;
    }
    gt_vd_append(msg, size, "dig +trace asked %s at step %zu (%s), so ", srv, v->cause_step,
                 s->judge_text);
    if (v->have_answer && v->answer_same) {
        gt_vd_append(msg, size, "its answer came from a broken server although it is the same");
    } else {
        gt_vd_append(msg, size, "it has no answer");
    }
    size_t total = 0, good = gt_vd_servers_answering(r, &s->zone, &total);
    if (total > 0) {
        gt_vd_append(msg, size, "; %zu of %zu servers of %s answer%s", good, total,
                     gt_vd_name(&s->zone, b, sizeof(b)), good == 1 ? "s" : "");
    }
}

/* "...; but its output cannot show ..." for a run whose answer is the same. */
static void unseen_sentence(const gt_result *r, const vd_run *v, char *msg, size_t size)
{
    char b[GT_NAME_STRLEN];
    const char *sep = "";
    gt_vd_append(msg, size, "dig +trace got the same %s, but",
                 v->extra_links ? "first reply" : "answer from the same servers");
    if (v->extra_links > 0) {
        gt_vd_append(msg, size,
                     " it does not follow CNAME targets: it stopped at %s, where gluetrace "
                     "followed %zu more link%s (%s)",
                     v->dig_answer, v->extra_links, v->extra_links == 1 ? "" : "s", v->gt_answer);
        sep = ";";
    }
    if (v->dnssec_unseen) {
        gt_vd_append(msg, size,
                     "%s it prints the signatures without validating them: gluetrace finds the "
                     "answer bogus (%s)",
                     sep, r->answer_dnssec_reason);
        sep = ";";
    }
    size_t shown = 0;
    for (size_t i = 0; i < v->nunseen; i++) {
        shown += !(v->dnssec_unseen && strncmp(gt_code_name(v->unseen[i].code), "DNSSEC_", 7) == 0);
    }
    if (shown == 0) {
        return;
    }
    gt_vd_append(msg, size, "%s its output cannot show %zu of the trace's problems:", sep, shown);
    /* grouped by the reason dig could not see them */
    bool done[GT_DIG_MAX_UNSEEN] = {false};
    const char *gsep = "";
    for (size_t i = 0; i < v->nunseen; i++) {
        if (done[i] ||
            (v->dnssec_unseen && strncmp(gt_code_name(v->unseen[i].code), "DNSSEC_", 7) == 0)) {
            continue;
        }
        gt_vd_append(msg, size, "%s", gsep);
        const char *isep = " ";
        size_t group = 0;
        for (size_t k = i; k < v->nunseen; k++) {
            const vd_unseen *u = &v->unseen[k];
            if (done[k] || u->why != v->unseen[i].why) {
                continue;
            }
            done[k] = true;
            group++;
            gt_vd_append(msg, size, "%s%s %s %s", isep, gt_code_name(u->code),
                         u->server[0] ? "at" : "in",
                         u->server[0] ? u->server : gt_vd_name(&u->zone, b, sizeof(b)));
            isep = ", ";
        }
        /* "... did not ask it" of one server, "them" of several */
        const char *why = v->unseen[i].why;
        size_t wl = strlen(why);
        if (group > 1 && wl > 3 && strcmp(why + wl - 3, " it") == 0) {
            gt_vd_append(msg, size, " (%.*s them)", (int)(wl - 3), why);
        } else {
            gt_vd_append(msg, size, " (%s)", why);
        }
        gsep = ";";
    }
}

gt_status gt_vd_verdict(const gt_result *r, vd_run *v)
{
    char msg[2048];
    msg[0] = '\0';
    size_t unknown = 0;
    for (size_t i = 0; i < v->nsteps; i++) {
        unknown += v->steps[i].check == VD_UNKNOWN;
    }
    const vd_step *misled = first_misled(v);
    if (misled != NULL) {
        v->verdict = VD_MISLED_V;
        misled_sentence(v, misled, msg, sizeof(msg));
    } else if (v->have_cause && v->steps[v->cause_step].judge == VD_J_DIFFERENT) {
        char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
        v->verdict = VD_DIFFERS;
        gt_vd_append(msg, sizeof(msg),
                     "dig +trace's final answer (%s) from %s is not what that server gave "
                     "gluetrace (%s): the data changed since dig ran",
                     v->dig_answer, gt_vd_step_server(&v->steps[v->cause_step], srv, sizeof(srv)),
                     v->gt_answer);
    } else if (v->have_cause) {
        v->verdict = VD_BROKEN_V;
        broken_sentence(r, v, msg, sizeof(msg));
    } else if (v->have_answer && !v->answer_same) {
        v->verdict = VD_DIFFERS;
        gt_vd_append(msg, sizeof(msg),
                     "dig +trace's final answer (%s) differs from the glue-faithful answer (%s)%s",
                     v->dig_answer, v->gt_answer,
                     unknown ? "" : ", although it asked the same server addresses");
    } else if (!v->have_answer) {
        const vd_step *stop = v->nsteps > 0 ? &v->steps[v->nsteps - 1] : NULL;
        v->verdict = VD_STOPPED_V;
        gt_vd_append(msg, sizeof(msg), "dig +trace stopped before an answer (%s); gluetrace: %s",
                     stop && stop->noaddr[0] ? "couldn't get an address from its resolver"
                                             : "no final reply",
                     r->ntraces ? gt_trace_status_str(r->traces[0]->status) : "no trace");
    } else if (unknown > 0) {
        v->verdict = VD_PARTIAL;
        gt_vd_append(msg, sizeof(msg),
                     "dig +trace got the same answer, but %zu of its steps could not be checked "
                     "(gluetrace has no address for those servers)",
                     unknown);
    } else if (v->ds_differ > 0) {
        v->verdict = VD_DS_DIFFERS_V;
        for (size_t i = 0; i < v->nsteps; i++) {
            const vd_step *s = &v->steps[i];
            if (s->ds_check == VD_DS_DIFFERS) {
                char b[GT_NAME_STRLEN];
                gt_vd_append(msg, sizeof(msg),
                             "dig +trace followed the same servers and got the same answer, but "
                             "saw another DS set for %s (%s; the parent's servers now give %s)",
                             gt_vd_name(&s->referral, b, sizeof(b)), s->ds_dig, s->ds_gt);
                break;
            }
        }
    } else if (v->nunseen > 0 || v->extra_links > 0 || v->dnssec_unseen) {
        v->verdict = VD_UNSEEN_V;
        unseen_sentence(r, v, msg, sizeof(msg));
    } else {
        v->verdict = VD_AGREES;
        gt_vd_append(msg, sizeof(msg),
                     "dig +trace followed the same servers and got the same answer.");
        if (v->shown > 0) {
            msg[strlen(msg) - 1] = '\0';
            gt_vd_append(msg, sizeof(msg),
                         "; its own error lines show the trace's %zu problem%s (the servers "
                         "it could not reach first).",
                         v->shown, v->shown == 1 ? "" : "s");
        }
    }
    if (v->sigs_differ > 0) {
        size_t n = strlen(msg);
        if (n > 0 && msg[n - 1] == '.') {
            msg[n - 1] = '\0';
        }
        gt_vd_append(msg, sizeof(msg),
                     "; %zu of the %zu RRSIGs dig printed are not among those gluetrace got "
                     "(re-signed since dig ran?).",
                     v->sigs_differ, v->sigs_compared);
    }
    v->message = strdup(msg);
    return v->message ? GT_OK : GT_ENOMEM;
}

/* Names of the kinds, checks and verdicts in the JSON output, indexed by their enums. */
static const char *const kind_names[] = {
    [VD_ROOT] = "root",       [VD_REFERRAL] = "referral", [VD_ANSWER] = "answer",
    [VD_STOPPED] = "stopped", [VD_OTHER] = "other",
};
static const char *const check_names[] = {
    [VD_NA] = "none",
    [VD_MATCH] = "match",
    [VD_MISLED] = "not_glue",
    [VD_UNKNOWN] = "unknown",
};
static const char *const verdict_names[] = {
    [VD_AGREES] = "agrees",          [VD_DS_DIFFERS_V] = "ds_differs",
    [VD_PARTIAL] = "partial",        [VD_STOPPED_V] = "stopped",
    [VD_DIFFERS] = "differs",        [VD_MISLED_V] = "misled",
    [VD_BROKEN_V] = "broken_server", [VD_UNSEEN_V] = "same_answer_unseen_problems",
};
static const char *const ds_names[] = {
    [VD_DS_NA] = "none",
    [VD_DS_SAME] = "same",
    [VD_DS_DIFFERS] = "differs",
    [VD_DS_NO_DATA] = "no_data",
};

/* An RRSIG time as YYYYMMDDHHmmSS, like dig prints it. */
static const char *sig_time(uint32_t t, char *buf, size_t size)
{
    if (gt_rrsig_time_str(t, buf, size) == 0 && size > 0) {
        buf[0] = '\0';
    }
    return buf;
}

/* "RRSIG DS of example. by example. key 12345 alg 13 until 20261227125227" */
static void sig_text(const vd_sig *x, char *buf, size_t size)
{
    char o[GT_NAME_STRLEN], sg[GT_NAME_STRLEN], type[16], t[20];
    snprintf(buf, size, "RRSIG %s of %s by %s key %u alg %u until %s",
             gt_type_to_str(x->covered, type, sizeof(type)), gt_vd_name(&x->owner, o, sizeof(o)),
             gt_vd_name(&x->signer, sg, sizeof(sg)), (unsigned)x->tag, (unsigned)x->alg,
             sig_time(x->expiration, t, sizeof(t)));
}

/* Where text wraps: the output and its width (0: no limit). */
typedef struct wout {
    FILE *f;
    size_t width;
} wout;

/*
 * Print one logical line (printf-style), wrapped at spaces to the width; continuation rows are
 * indented by @p cont columns. A word longer than a row is left whole.
 */
static void emit(const wout *w, size_t cont, const char *fmt, ...) GT_PRINTF(3, 4);
static void emit(const wout *w, size_t cont, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    size_t len = strlen(line), pos = 0, indent = 0;
    while (len - pos > 0) {
        size_t room = w->width > indent ? w->width - indent : 0;
        if (w->width == 0 || len - pos <= room || room < 20) {
            fprintf(w->f, "%*s%s\n", (int)indent, "", line + pos);
            return;
        }
        size_t cut = pos + room; /* the character that does not fit */
        while (cut > pos && line[cut] != ' ') {
            cut--;
        }
        size_t lead = pos;
        while (lead < len && line[lead] == ' ') {
            lead++; /* a row's own indentation is not a place to break */
        }
        if (cut <= lead) {
            cut = pos + room;
            while (cut < len && line[cut] != ' ') {
                cut++;
            }
            if (cut == len) {
                fprintf(w->f, "%*s%s\n", (int)indent, "", line + pos);
                return;
            }
        }
        fprintf(w->f, "%*s%.*s\n", (int)indent, "", (int)(cut - pos), line + pos);
        pos = cut;
        while (pos < len && line[pos] == ' ') {
            pos++;
        }
        indent = cont;
    }
}

/* One step: what dig asked and got, the address check, and gluetrace's reply from there. */
static void print_step(const wout *w, const vd_run *v, size_t i)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 8];
    char list[1024], to[GT_NAME_STRLEN + 8];
    const vd_step *s = &v->steps[i];
    if (s->have_addr) {
        snprintf(srv, sizeof(srv), "%s%s (%s)",
                 s->have_server ? gt_vd_name(&s->server, b, sizeof(b))
                                : (s->kind == VD_ROOT ? "its resolver" : "?"),
                 s->server_inferred ? "*" : "", gt_addr_to_str(&s->addr, a, sizeof(a)));
    } else {
        snprintf(srv, sizeof(srv), "-");
    }
    to[0] = '\0';
    if (s->kind == VD_REFERRAL) {
        snprintf(to, sizeof(to), " -> %s", gt_vd_name(&s->referral, b, sizeof(b)));
    } else if (s->kind == VD_ANSWER) {
        snprintf(to, sizeof(to), " -> final reply");
    } else if (s->received && s->kind != VD_ROOT) {
        snprintf(to, sizeof(to), " -> no referral, no answer");
    }
    emit(w, 7, "  %-4zu %s at %s%s", i,
         s->kind == VD_ROOT ? "(root NS set)" : gt_vd_name(&s->zone, b, sizeof(b)), srv, to);
    switch (s->check) {
    case VD_MATCH:
        emit(w, 9, "       address ok: %s", s->known[s->match].from);
        break;
    case VD_MISLED:
        gt_vd_known_list(s, list, sizeof(list));
        emit(w, 9, "       address NOT GLUE: resolver address; %s %s", gt_vd_known_says(s), list);
        break;
    case VD_UNKNOWN:
        emit(w, 9, "       address not checked: gluetrace has no address for this server here");
        break;
    case VD_NA:
    default:
        if (s->kind == VD_ROOT) {
            emit(w, 9, "       dig's resolver (gluetrace starts from the root hints)");
        } else if (s->noaddr[0]) {
            emit(w, 9, "       couldn't get address for '%s'", s->noaddr);
        } else {
            emit(w, 9, "       no reply");
        }
        break;
    }
    if (s->judge != VD_J_NONE) {
        bool bad = v->have_cause && v->cause_step == i;
        emit(w, 9, "       gluetrace got from that address: %s%s%s%s%s", s->judge_text,
             s->judge_code < GT_F_COUNT ? " (" : "",
             s->judge_code < GT_F_COUNT ? gt_code_name(s->judge_code) : "",
             s->judge_code < GT_F_COUNT ? ")" : "", bad ? " <- dig's path went wrong here" : "");
    }
    for (size_t k = 0; k < s->nnotes; k++) {
        emit(w, 9, "       dig: %s", s->notes[k]);
    }
    char ds[1600];
    ds[0] = '\0';
    if (s->ds_check == VD_DS_DIFFERS) {
        gt_vd_append(ds, sizeof(ds),
                     "DS DIFFERS: dig saw %s; the parent's servers gave gluetrace %s", s->ds_dig,
                     s->ds_gt);
    } else if (s->ds_check == VD_DS_SAME) {
        gt_vd_append(ds, sizeof(ds), "DS: %s, as dig saw it", s->ds_dig);
    } else if (s->ds_check == VD_DS_NO_DATA) {
        gt_vd_append(ds, sizeof(ds), "DS: dig saw %s; gluetrace asked without DNSSEC", s->ds_dig);
    }
    if (s->ds_check != VD_DS_NA && s->zone_dnssec != GT_DNSSEC_OFF) {
        /* dig prints the DS without judging it; gluetrace's validation says */
        gt_vd_append(ds, sizeof(ds), "; %s is %s%s%s%s", gt_vd_name(&s->referral, b, sizeof(b)),
                     gt_dnssec_state_str(s->zone_dnssec), s->zone_reason[0] ? " (" : "",
                     s->zone_reason, s->zone_reason[0] ? ")" : "");
    }
    if (ds[0]) {
        emit(w, 9, "       %s", ds);
    }
    for (size_t k = 0; k < s->nsigs; k++) {
        char sig[GT_NAME_STRLEN * 2 + 96];
        sig_text(&s->sigs[k], sig, sizeof(sig));
        emit(w, 9, "       %s (dig) not among gluetrace's: %s", sig, s->sigs[k].gluetrace);
    }
}

/* A run's step table and its notes (without the verdict). */
static void print_run(const wout *w, const vd_run *v)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        print_step(w, v, i);
    }
    if (v->have_answer) {
        emit(w, 4, "  dig's answer: %s -- %s", v->dig_answer,
             v->answer_same ? "among gluetrace's answers" : "NOT among gluetrace's answers");
        emit(w, 4, "  gluetrace's answers: %s", v->gt_answer);
    }
    if (v->dnssec && v->ds_compared == 0 && v->sigs_compared == 0) {
        emit(w, 4,
             "  DNSSEC: dig printed DNSSEC records; gluetrace's replies carry none to "
             "compare them with (--no-dnssec)");
    } else if (v->dnssec) {
        emit(w, 4,
             "  DNSSEC: %zu of %zu DS sets differ; %zu of %zu RRSIGs dig printed are not "
             "among gluetrace's",
             v->ds_differ, v->ds_compared, v->sigs_differ, v->sigs_compared);
    }
    if (v->unparsed > 0) {
        emit(w, 4, "  %zu line(s) of the dig output not understood (first: line %zu)", v->unparsed,
             v->unparsed_line);
    }
}

void gt_vsdig_print(FILE *out, const gt_vsdig *vs, size_t width)
{
    wout w = {out, width};
    if (vs == NULL || vs->nruns == 0) {
        return;
    }
    const vd_run *v = &vs->runs[0];
    if (vs->nruns == 1) {
        emit(&w, 4, "Compared with dig +trace (%s%s%s, %zu steps):", v->yaml ? "+yaml, " : "",
             v->version[0] ? "DiG " : "", v->version[0] ? v->version : "version unknown",
             v->nsteps);
        print_run(&w, v);
        emit(&w, 4, "Verdict: %s", vs->message ? vs->message : "");
        return;
    }
    emit(&w, 4, "Compared with %zu dig +trace runs of the same name (%s%s):", vs->nruns,
         v->version[0] ? "DiG " : "", v->version[0] ? v->version : "version unknown");
    for (size_t i = 0; i < vs->nruns; i++) {
        const vd_run *x = &vs->runs[i];
        emit(&w, 6, "  run %zu (input %zu, line %zu): %s", i + 1, x->input + 1, x->first_line,
             x->message ? x->message : "");
    }
    emit(&w, 4, "  Where the runs ended:");
    for (size_t i = 0; i < vs->nends; i++) {
        const vd_end *e = &vs->ends[i];
        emit(&w, 6, "    %zu of %zu at %s%s%s%s: %s%s%s%s", e->runs, vs->nruns, e->server,
             e->addrs[0] ? " (" : "", e->addrs, e->addrs[0] ? ")" : "", e->what,
             e->code < GT_F_COUNT ? " (" : "", e->code < GT_F_COUNT ? gt_code_name(e->code) : "",
             e->code < GT_F_COUNT ? ")" : "");
    }
    emit(&w, 4, "Verdict: %s", vs->message ? vs->message : "");
}

/* A step's judgement: what gluetrace got from the address dig asked. */
static json_t *judge_json(const vd_run *v, size_t i)
{
    const vd_step *s = &v->steps[i];
    return json_pack(
        "{s:s, s:s, s:o, s:o, s:b}", "verdict", gt_vd_judge_name(s->judge), "text", s->judge_text,
        "finding",
        s->judge_code < GT_F_COUNT ? json_string(gt_code_name(s->judge_code)) : json_null(),
        "query", s->judge_query ? json_integer((json_int_t)s->judge_query) : json_null(),
        "wrong_turn", v->have_cause && v->cause_step == i);
}

/* The run's cause, what dig could not see, and where the run ended. */
static void run_extra_json(const vd_run *v, json_t *o)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    json_t *cause = json_null();
    if (v->have_cause) {
        const vd_step *s = &v->steps[v->cause_step];
        cause = json_pack(
            "{s:I, s:o, s:o, s:s, s:s, s:o}", "step", (json_int_t)v->cause_step, "server_name",
            s->have_server ? json_string(gt_vd_name(&s->server, b, sizeof(b))) : json_null(),
            "address",
            s->have_addr ? json_string(gt_addr_to_str(&s->addr, a, sizeof(a))) : json_null(),
            "judgement", gt_vd_judge_name(s->judge), "text", s->judge_text, "finding",
            s->judge_code < GT_F_COUNT ? json_string(gt_code_name(s->judge_code)) : json_null());
    }
    json_object_set_new(o, "cause", cause ? cause : json_null());
    json_t *unseen = json_array();
    for (size_t i = 0; i < v->nunseen; i++) {
        const vd_unseen *u = &v->unseen[i];
        json_array_append_new(
            unseen, json_pack("{s:s, s:s, s:o, s:s}", "code", gt_code_name(u->code), "zone",
                              gt_vd_name(&u->zone, b, sizeof(b)), "server",
                              u->server[0] ? json_string(u->server) : json_null(), "why", u->why));
    }
    json_object_set_new(o, "unseen_problems", unseen);
    json_object_set_new(o, "cname_links_not_followed", json_integer((json_int_t)v->extra_links));
    json_object_set_new(o, "bogus_not_validated", json_boolean(v->dnssec_unseen));
}

static json_t *run_json(const vd_run *v)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    json_t *steps = json_array();
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        json_t *known = json_array();
        for (size_t k = 0; k < s->nknown; k++) {
            json_array_append_new(known, json_pack("{s:s, s:s, s:s}", "address",
                                                   gt_addr_to_str(&s->known[k].addr, a, sizeof(a)),
                                                   "source", s->known[k].source, "from",
                                                   s->known[k].from));
        }
        json_t *notes = json_array();
        for (size_t k = 0; k < s->nnotes; k++) {
            json_array_append_new(notes, json_string(s->notes[k]));
        }
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:o, s:o, s:b, s:s, s:o, s:o, s:I}", "step", (json_int_t)i, "kind",
            kind_names[s->kind], "zone", gt_vd_name(&s->zone, b, sizeof(b)), "server_name",
            s->have_server ? json_string(gt_vd_name(&s->server, b, sizeof(b))) : json_null(),
            "address",
            s->have_addr ? json_string(gt_addr_to_str(&s->addr, a, sizeof(a))) : json_null(),
            "name_inferred", s->server_inferred, "address_check", check_names[s->check],
            "gluetrace_addresses", known, "notes", notes, "line", (json_int_t)s->line);
        if (o == NULL) {
            continue;
        }
        if (s->kind == VD_REFERRAL) {
            json_object_set_new(o, "referral_to",
                                json_string(gt_vd_name(&s->referral, b, sizeof(b))));
        }
        if (s->have_addr && s->received) {
            json_object_set_new(o, "bytes", json_integer((json_int_t)s->bytes));
            json_object_set_new(o, "rtt_ms", json_integer((json_int_t)s->ms));
        }
        if (s->noaddr[0]) {
            json_object_set_new(o, "no_address_for", json_string(s->noaddr));
        }
        json_object_set_new(o, "judgement", judge_json(v, i));
        if (s->ds_check != VD_DS_NA) {
            json_object_set_new(o, "ds",
                                json_pack("{s:s, s:s, s:s, s:o, s:s}", "check",
                                          ds_names[s->ds_check], "dig", s->ds_dig, "gluetrace",
                                          s->ds_gt, "zone_status",
                                          s->zone_dnssec == GT_DNSSEC_OFF
                                              ? json_null()
                                              : json_string(gt_dnssec_state_str(s->zone_dnssec)),
                                          "zone_reason", s->zone_reason));
        }
        if (v->dnssec && s->kind != VD_ROOT) {
            json_t *diffs = json_array();
            for (size_t k = 0; k < s->nsigs; k++) {
                const vd_sig *x = &s->sigs[k];
                char o2[GT_NAME_STRLEN], sg[GT_NAME_STRLEN], type[16], t1[20], t2[20];
                json_array_append_new(
                    diffs,
                    json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "owner",
                              gt_vd_name(&x->owner, o2, sizeof(o2)), "type_covered",
                              gt_type_to_str(x->covered, type, sizeof(type)), "signer",
                              gt_vd_name(&x->signer, sg, sizeof(sg)), "key_tag", (int)x->tag,
                              "algorithm", (int)x->alg, "expiration",
                              sig_time(x->expiration, t1, sizeof(t1)), "inception",
                              sig_time(x->inception, t2, sizeof(t2)), "gluetrace", x->gluetrace));
            }
            json_object_set_new(o, "rrsigs_compared", json_integer((json_int_t)s->sigs_compared));
            json_object_set_new(o, "rrsig_differences", diffs);
        }
        json_array_append_new(steps, o);
    }
    json_t *root =
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "verdict", verdict_names[v->verdict], "message",
                  v->message ? v->message : "", "format", v->yaml ? "yaml" : "text", "dig_version",
                  v->version[0] ? json_string(v->version) : json_null(), "steps", steps,
                  "unparsed_lines", (json_int_t)v->unparsed);
    if (root != NULL) {
        json_object_set_new(root, "dnssec",
                            json_pack("{s:b, s:I, s:I, s:I, s:I}", "dig_printed_dnssec", v->dnssec,
                                      "ds_compared", (json_int_t)v->ds_compared, "ds_differ",
                                      (json_int_t)v->ds_differ, "rrsigs_compared",
                                      (json_int_t)v->sigs_compared, "rrsigs_differ",
                                      (json_int_t)v->sigs_differ));
    }
    if (root != NULL && v->have_answer) {
        json_object_set_new(root, "answer",
                            json_pack("{s:s, s:s, s:b}", "dig", v->dig_answer, "gluetrace",
                                      v->gt_answer, "same", v->answer_same));
    }
    if (root != NULL) {
        run_extra_json(v, root);
    }
    return root ? root : json_object();
}

json_t *gt_vsdig_json(const gt_vsdig *vs)
{
    if (vs == NULL || vs->nruns == 0) {
        return json_null();
    }
    json_t *root = run_json(&vs->runs[0]);
    json_object_set_new(root, "verdict", json_string(verdict_names[vs->verdict]));
    json_object_set_new(root, "message", json_string(vs->message ? vs->message : ""));
    json_object_set_new(root, "runs_compared", json_integer((json_int_t)vs->nruns));
    json_t *ends = json_array();
    for (size_t i = 0; i < vs->nends; i++) {
        const vd_end *e = &vs->ends[i];
        json_array_append_new(
            ends, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "server", e->server, "addresses",
                            e->addrs, "verdict", verdict_names[e->verdict], "judgement",
                            gt_vd_judge_name(e->judge), "what", e->what, "finding",
                            e->code < GT_F_COUNT ? json_string(gt_code_name(e->code)) : json_null(),
                            "runs", (json_int_t)e->runs));
    }
    json_object_set_new(root, "ends", ends);
    if (vs->nruns > 1) {
        json_t *runs = json_array();
        for (size_t i = 0; i < vs->nruns; i++) {
            json_t *o = run_json(&vs->runs[i]);
            json_object_set_new(o, "input", json_integer((json_int_t)vs->runs[i].input + 1));
            json_object_set_new(o, "first_line", json_integer((json_int_t)vs->runs[i].first_line));
            json_array_append_new(runs, o);
        }
        json_object_set_new(root, "runs", runs);
    }
    return root;
}
