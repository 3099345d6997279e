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
static const vd_step *first_misled(const gt_vsdig *v)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        if (v->steps[i].check == VD_MISLED) {
            return &v->steps[i];
        }
    }
    return NULL;
}

/* "dig +trace was misled by its resolver: ..." and what its answer became. */
static void misled_sentence(const gt_vsdig *v, const vd_step *s, char *msg, size_t size)
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

gt_status gt_vd_verdict(const gt_result *r, gt_vsdig *v)
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
    } else {
        v->verdict = VD_AGREES;
        gt_vd_append(msg, sizeof(msg),
                     "dig +trace followed the same servers and got the same answer.");
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
    [VD_AGREES] = "agrees",     [VD_DS_DIFFERS_V] = "ds_differs", [VD_PARTIAL] = "partial",
    [VD_STOPPED_V] = "stopped", [VD_DIFFERS] = "differs",         [VD_MISLED_V] = "misled",
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

void gt_vsdig_print(FILE *out, const gt_vsdig *v)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 8];
    char list[1024];
    if (v == NULL) {
        return;
    }
    fprintf(out, "Compared with dig +trace (%s%s%s, %zu steps):\n", v->yaml ? "+yaml, " : "",
            v->version[0] ? "DiG " : "", v->version[0] ? v->version : "version unknown", v->nsteps);
    fprintf(out, "  %-4s %-22s %-44s %s\n", "step", "zone", "server dig asked (address)",
            "address check");
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        if (s->have_addr) {
            snprintf(srv, sizeof(srv), "%s%s (%s)",
                     s->have_server ? gt_vd_name(&s->server, b, sizeof(b))
                                    : (s->kind == VD_ROOT ? "its resolver" : "?"),
                     s->server_inferred ? "*" : "", gt_addr_to_str(&s->addr, a, sizeof(a)));
        } else {
            snprintf(srv, sizeof(srv), "-");
        }
        fprintf(out, "  %-4zu %-22s %-44s ", i,
                s->kind == VD_ROOT ? "(root NS set)" : gt_vd_name(&s->zone, b, sizeof(b)), srv);
        switch (s->check) {
        case VD_MATCH:
            fprintf(out, "ok: %s", s->known[s->match].from);
            break;
        case VD_MISLED:
            gt_vd_known_list(s, list, sizeof(list));
            fprintf(out, "NOT GLUE: resolver address; %s %s", gt_vd_known_says(s), list);
            break;
        case VD_UNKNOWN:
            fputs("not checked: gluetrace has no address for this server here", out);
            break;
        case VD_NA:
        default:
            if (s->kind == VD_ROOT) {
                fputs("dig's resolver (gluetrace starts from the root hints)", out);
            } else if (s->noaddr[0]) {
                fprintf(out, "couldn't get address for '%s'", s->noaddr);
            } else {
                fputs("no reply", out);
            }
            break;
        }
        if (s->kind == VD_REFERRAL) {
            fprintf(out, " -> %s", gt_vd_name(&s->referral, b, sizeof(b)));
        } else if (s->kind == VD_ANSWER) {
            fputs(" -> final reply", out);
        }
        fputc('\n', out);
        for (size_t k = 0; k < s->nnotes; k++) {
            fprintf(out, "       dig: %s\n", s->notes[k]);
        }
        if (s->ds_check == VD_DS_DIFFERS) {
            fprintf(out, "       DS DIFFERS: dig saw %s; the parent's servers gave gluetrace %s",
                    s->ds_dig, s->ds_gt);
        } else if (s->ds_check == VD_DS_SAME) {
            fprintf(out, "       DS: %s, as dig saw it", s->ds_dig);
        } else if (s->ds_check == VD_DS_NO_DATA) {
            fprintf(out, "       DS: dig saw %s; gluetrace asked without DNSSEC", s->ds_dig);
        }
        if (s->ds_check != VD_DS_NA && s->zone_dnssec != GT_DNSSEC_OFF) {
            /* dig prints the DS without judging it; gluetrace's validation says */
            fprintf(out, "; %s is %s%s%s%s", gt_vd_name(&s->referral, b, sizeof(b)),
                    gt_dnssec_state_str(s->zone_dnssec), s->zone_reason[0] ? " (" : "",
                    s->zone_reason, s->zone_reason[0] ? ")" : "");
        }
        if (s->ds_check != VD_DS_NA) {
            fputc('\n', out);
        }
        for (size_t k = 0; k < s->nsigs; k++) {
            char sig[GT_NAME_STRLEN * 2 + 96];
            sig_text(&s->sigs[k], sig, sizeof(sig));
            fprintf(out, "       %s (dig) not among gluetrace's: %s\n", sig, s->sigs[k].gluetrace);
        }
    }
    if (v->have_answer) {
        fprintf(out, "  dig's answer: %s -- %s\n", v->dig_answer,
                v->answer_same ? "among gluetrace's answers" : "NOT among gluetrace's answers");
        fprintf(out, "  gluetrace's answers: %s\n", v->gt_answer);
    }
    if (v->dnssec && v->ds_compared == 0 && v->sigs_compared == 0) {
        fputs("  DNSSEC: dig printed DNSSEC records; gluetrace's replies carry none to compare "
              "them with (--no-dnssec)\n",
              out);
    } else if (v->dnssec) {
        fprintf(out,
                "  DNSSEC: %zu of %zu DS sets differ; %zu of %zu RRSIGs dig printed are not "
                "among gluetrace's\n",
                v->ds_differ, v->ds_compared, v->sigs_differ, v->sigs_compared);
    }
    if (v->unparsed > 0) {
        fprintf(out, "  %zu line(s) of the dig output not understood (first: line %zu)\n",
                v->unparsed, v->unparsed_line);
    }
    fprintf(out, "Verdict: %s\n", v->message ? v->message : "");
}

json_t *gt_vsdig_json(const gt_vsdig *v)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    if (v == NULL) {
        return json_null();
    }
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
    return root ? root : json_object();
}
