/*
 * Renderers over the scripted world of tests/output/worlds.h: golden text files (rtt and
 * elapsed time normalised; GT_UPDATE_GOLDEN=1 rewrites them), escaping of a hostile name in
 * text, JSON and DOT, colour decisions and the progress display.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/worlds.h"
#include "gluetrace/output/render.h"
#include "gluetrace/engine/trace.h"
#include "miniauth.h"
#include "tap.h"

typedef mini_run run;

static void cfg_for(gt_config *cfg, const char *name, uint16_t type)
{
    gt_config_defaults(cfg);
    GT_CHECK_INT(gt_name_from_str(&cfg->qname, name), GT_OK);
    cfg->qtype = type;
    cfg->color = GT_COLOR_NEVER;
}

static run go(const gt_config *cfg, gt_trace_hooks *hooks)
{
    run x;
    mini_trace(gt_world_lines, gt_world_hints, cfg, hooks, &x);
    for (size_t i = 0; i < x.r->nqueries; i++) {
        x.r->queries[i]->rtt_ms = x.r->queries[i]->cached_from ? 0.0 : 1.0;
    }
    x.r->elapsed_ms = 0;
    return x;
}

static void done(run *x)
{
    mini_run_free(x);
}

typedef gt_status (*renderer)(FILE *, const gt_result *, const gt_config *);

/* Render into a malloc'd string (caller frees). */
static char *render(renderer fn, const gt_result *r, const gt_config *cfg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        exit(1);
    }
    GT_CHECK_INT(fn(f, r, cfg), GT_OK);
    fclose(f);
    return buf;
}

static bool has_control_bytes(const char *s, bool allow_esc)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\n' && !(allow_esc && c == 0x1b)) || c == 0x7f) {
            return true;
        }
    }
    return false;
}

/* tests/golden/text/NAME.txt, found from this file's path. */
static void golden(const char *name, const char *got)
{
    char path[4096];
    const char *here = __FILE__;
    const char *cut = strstr(here, "unit/test_render.c");
    if (cut == NULL) {
        fprintf(stderr, "cannot find the golden directory from %s\n", here);
        GT_CHECK(false);
        return;
    }
    snprintf(path, sizeof(path), "%.*sgolden/text/%s.txt", (int)(cut - here), here, name);
    if (getenv("GT_UPDATE_GOLDEN") != NULL) {
        FILE *f = fopen(path, "w");
        GT_CHECK(f != NULL);
        if (f != NULL) {
            fputs(got, f);
            fclose(f);
        }
        return;
    }
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "missing golden file %s (GT_UPDATE_GOLDEN=1 writes it)\n", path);
        GT_CHECK(false);
        return;
    }
    static char want[1 << 20];
    size_t n = fread(want, 1, sizeof(want) - 1, f);
    want[n] = '\0';
    fclose(f);
    if (strcmp(want, got) != 0) {
        fprintf(stderr, "%s differs from the output:\n%s\n", path, got);
    }
    GT_CHECK(strcmp(want, got) == 0);
}

static void test_goldens(void)
{
    static const struct {
        const char *golden, *name;
        uint16_t type;
        bool quiet, verbose;
    } cases[] = {
        {"example", "www.example.test", GT_TYPE_A, false, false},
        {"glueless", "www.glueless.test", GT_TYPE_A, false, false},
        {"hostile", GT_WORLD_HOSTILE_NAME, GT_TYPE_TXT, false, false},
        {"hostile-quiet", GT_WORLD_HOSTILE_NAME, GT_TYPE_TXT, true, false},
        {"nxdomain", "nope.example.test", GT_TYPE_A, false, false},
        {"example-verbose", "www.example.test", GT_TYPE_A, false, true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gt_config cfg;
        cfg_for(&cfg, cases[i].name, cases[i].type);
        cfg.quiet = cases[i].quiet;
        cfg.verbose = cases[i].verbose;
        run x = go(&cfg, NULL);
        char *text = render(gt_render_text, x.r, &cfg);
        golden(cases[i].golden, text);
        GT_CHECK(!has_control_bytes(text, false));
        GT_CHECK(strstr(text, "\033") == NULL);
        free(text);
        done(&x);
    }
}

static void test_text_shape(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    /* A clean run says so in the verdict, one line (DNSSEC off: with it on, this world's trace
     * has no trust anchor, an info problem of its own, checked below). */
    cfg.dnssec = false;
    run x = go(&cfg, NULL);
    char *text = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(text, "\nVerdict: www.example.test. A -> A 192.0.2.1, A 192.0.2.11 from 2 of "
                          "2 addresses; no problems found\n\n") != NULL);
    free(text);
    done(&x);
    cfg.dnssec = true;
    x = go(&cfg, NULL);
    text = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(text, "\nVerdict: www.example.test. A -> A 192.0.2.1, A 192.0.2.11 from 2 of "
                          "2 addresses; no problems found;\n    1 note\n  note    DNSSEC_NO_ANCHOR "
                          "in .\n") != NULL);
    /* The two root servers gave the same referral: one short line says so, the other is
     * folded; -v lists them. */
    GT_CHECK(strstr(text, "(same referral from 1 more address; 4 delegation checks in 8 "
                          "queries; -v)") != NULL);
    GT_CHECK(strstr(text, "`-- #2 ") == NULL && strstr(text, "|-- #2 ") == NULL);
    /* The referral shows its NS set (names in full, as dig prints them) with TTL and glue. */
    GT_CHECK(strstr(text, "referral to example.test.: NS ns1.example.test.") != NULL);
    GT_CHECK(strstr(text, "ns2.example.test. TTL 3600; glue 1 A, 1 AAAA\n") != NULL);
    /* The two servers' identical answers: one line that says so. */
    GT_CHECK(strstr(text, "ANSWER A 192.0.2.1, A 192.0.2.11 (same from") != NULL);
    cfg.verbose = true;
    char *verbose = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(verbose, "(same referral from 2 servers: a.root.test. 198.51.100.1 (#1, 1.0 "
                             "ms), b.root.test.") != NULL);
    free(verbose);
    cfg.verbose = false;
    /* Not a terminal: wrapped to COLUMNS, and to no more than 100 columns. */
    static const char *const widths[] = {"60", "100", "300"};
    for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
        setenv("COLUMNS", widths[w], 1);
        char *wrapped = render(gt_render_text, x.r, &cfg);
        size_t max = strcmp(widths[w], "60") == 0 ? 60 : 100, widest = 0, cur = 0;
        char *answers = strstr(wrapped, "\nAnswers:"); /* that section is not wrapped */
        GT_CHECK(answers != NULL);
        if (answers != NULL) {
            *answers = '\0';
        }
        for (const char *p = wrapped; *p; p++) {
            cur = *p == '\n' ? 0 : cur + 1;
            widest = cur > widest ? cur : widest;
        }
        GT_CHECK(widest <= max);
        GT_CHECK(widest > max - 20); /* it does use the room */
        free(wrapped);
    }
    setenv("COLUMNS", "100", 1);
    GT_CHECK(strstr(text, "Answers:\n  ANSWER from 2 servers of example.test.\n") != NULL);
    GT_CHECK(strstr(text, "    <- ns2.example.test. 2001:db8::30 (#") != NULL);
    /* Colour: the same text plus SGR sequences only. */
    cfg.color = GT_COLOR_ALWAYS;
    char *col = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(col, "\033[") != NULL);
    size_t k = 0;
    for (const char *p = col; *p; p++) {
        if (*p == '\033') {
            p++;
            while (*p && *p != 'm') {
                p++;
            }
            continue;
        }
        col[k++] = *p;
    }
    col[k] = '\0';
    GT_CHECK_STR(col, text);
    free(col);
    free(text);
    done(&x);
}

/* The verdict of a broken run: the problem once, with its addresses and its fix; the tree marks
 * the reply with the code only; the raw findings are listed only with -v. */
static void test_verdict(void)
{
    gt_config cfg;
    cfg_for(&cfg, GT_WORLD_HOSTILE_NAME, GT_TYPE_TXT);
    run x = go(&cfg, NULL);
    char *text = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(text, " problem (1 error); 1 note\n  error   LAME_SERVER in hostile.test.: "
                          "ns.lame.test. at 198.51.100.71\n") != NULL);
    GT_CHECK(strstr(text, "          fix: remove the server from the parent's NS set") != NULL);
    GT_CHECK(strstr(text, "LAME [REFUSED, AA=0, RA=0] !") != NULL);
    GT_CHECK(strstr(text, "LAME_SERVER\n\nAnswers:") != NULL);
    GT_CHECK(strstr(text, "Findings:") == NULL);
    const char *first = strstr(text, "answers REFUSED instead of serving");
    GT_CHECK(first != NULL && strstr(first + 1, "answers REFUSED instead of serving") == NULL);
    cfg.verbose = true;
    char *verbose = render(gt_render_text, x.r, &cfg);
    GT_CHECK(strstr(verbose, "\nFindings:\n  error   LAME_SERVER [hostile.test.] ns.lame.test. "
                             "(198.51.100.71) (#") != NULL);
    free(verbose);
    free(text);
    done(&x);
}

static void test_hostile_json_dot(void)
{
    gt_config cfg;
    cfg_for(&cfg, GT_WORLD_HOSTILE_NAME, GT_TYPE_TXT);
    run x = go(&cfg, NULL);
    char *js = render(gt_render_json, x.r, &cfg);
    GT_CHECK(!has_control_bytes(js, false));
    json_error_t jerr;
    json_t *root = json_loads(js, 0, &jerr);
    GT_CHECK(root != NULL);
    const char *qn = NULL, *an = NULL, *data = NULL;
    json_unpack(root, "{s:{s:s}, s:[{s:[{s:[{s:s, s:s}]}]}]}", "query", "name", &qn, "answers",
                "alternatives", "rrs", "name", &an, "data", &data);
    GT_CHECK_STR(qn, GT_WORLD_HOSTILE_NAME);
    GT_CHECK_STR(an, GT_WORLD_HOSTILE_NAME);
    GT_CHECK_STR(data, "\"quote\\\"d\\\\ \\007bell\"");
    json_decref(root);
    free(js);

    char *dot = render(gt_render_dot, x.r, &cfg);
    GT_CHECK(!has_control_bytes(dot, false));
    GT_CHECK(strstr(dot, "x\\\\\\\"y\\\\\\\\z\\\\007\\\\027[31m.hostile.test.") != NULL);
    GT_CHECK(strstr(dot, "ns\\\\027[2J.hostile.test.") != NULL);
    GT_CHECK(strstr(dot, "color=red") != NULL); /* the refusing server */
    GT_CHECK(strncmp(dot, "digraph gluetrace {", 19) == 0);
    free(dot);
    done(&x);
}

/* DOT: each zone box carries its DNSSEC status (frame and label line) and the answer leaf its
 * own, with a legend; nothing of it without a trust anchor. The statuses are set by hand on a
 * scripted (unsigned) trace: the renderer only draws what diagnosis decided. */
static void test_dot_dnssec(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(&cfg, NULL);
    gt_result *r = x.r;
    free(r->dnssec);
    r->dnssec = calloc(2, sizeof(*r->dnssec));
    GT_CHECK(r->dnssec != NULL && r->nqueries > 0);
    if (r->dnssec == NULL || r->nqueries == 0) {
        done(&x);
        return;
    }
    r->ndnssec = 2;
    gt_name_root(&r->dnssec[0].zone);
    r->dnssec[0].state = GT_DNSSEC_INDETERMINATE;
    snprintf(r->dnssec[0].reason, sizeof(r->dnssec[0].reason), "no server returned a DNSKEY reply");
    r->dnssec[1].zone = r->queries[r->nqueries - 1]->zone;
    r->dnssec[1].state = GT_DNSSEC_SECURE;
    r->dnssec[1].nds = 2;
    r->dnssec[1].nksk = 1;
    r->dnssec[1].ksk_tags[0] = 12345;
    r->dnssec[1].ksk_algs[0] = 13;
    r->dnssec[1].nservers = 2;
    r->dnssec[1].nsecure = 2;
    r->answer_dnssec = GT_DNSSEC_INDETERMINATE;
    snprintf(r->answer_dnssec_reason, sizeof(r->answer_dnssec_reason), "quote\"d");

    char *plain = render(gt_render_dot, r, &cfg); /* no trust anchor: nothing drawn */
    GT_CHECK(strstr(plain, "dnssec_legend") == NULL && strstr(plain, "[secure]") == NULL);
    GT_CHECK(strstr(plain, "indeterminate") == NULL && strstr(plain, "DNSSEC: ") == NULL);
    free(plain);

    cfg.nanchors = 1; /* only counted by the renderer */
    char *dot = render(gt_render_dot, r, &cfg);
    GT_CHECK(strstr(dot, "\\n[indeterminate]\\nno server returned a DNSKEY reply\";\n"
                         "    style=rounded; color=\"#e67700\"; fontcolor=\"#e67700\"; "
                         "style=\"rounded,dashed\";\n") != NULL);
    GT_CHECK(strstr(dot, "\\n[secure] DS 2 -> KSK 12345 alg 13 (2 of 2 servers)\";\n"
                         "    style=rounded; color=\"#2b8a3e\"; fontcolor=\"#2b8a3e\"; "
                         "penwidth=2;\n") != NULL);
    GT_CHECK(strstr(dot, "\\nDNSSEC: indeterminate\\nquote\\\"d\", color=\"#e67700\", "
                         "fontcolor=\"#e67700\", style=\"filled,dashed\"];") != NULL);
    GT_CHECK(strstr(dot, "  dnssec_legend [shape=plaintext") != NULL);
    GT_CHECK(strstr(dot, "// DNSSEC status of each zone cut") != NULL);
    GT_CHECK(!has_control_bytes(dot, false));
    free(dot);

    cfg.dnssec = false; /* --no-dnssec */
    char *off = render(gt_render_dot, r, &cfg);
    GT_CHECK(strstr(off, "dnssec_legend") == NULL && strstr(off, "DNSSEC: ") == NULL &&
             strstr(off, "[secure]") == NULL);
    free(off);
    cfg.nanchors = 0;
    done(&x);
}

static size_t seen;
static void count_query(void *arg, const gt_result *r, const gt_query *q)
{
    (void)arg;
    (void)r;
    (void)q;
    seen++;
}

static void test_progress(void)
{
    gt_trace_hooks hooks = {.on_query = count_query, .arg = NULL};
    FILE *notty = tmpfile();
    GT_CHECK(notty != NULL);
    GT_CHECK(gt_progress_start(notty, &hooks) == NULL);
    GT_CHECK(hooks.on_query == count_query);
    fclose(notty);
    GT_CHECK(!gt_color_wanted(GT_COLOR_AUTO, stdout) || getenv("NO_COLOR") == NULL);
    GT_CHECK(gt_color_wanted(GT_COLOR_ALWAYS, stdout));
    GT_CHECK(!gt_color_wanted(GT_COLOR_NEVER, stdout));

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gt_progress *p = gt_progress_start_on(f, 0, &hooks);
    GT_CHECK(p != NULL && hooks.on_query != count_query);
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    seen = 0;
    run x = go(&cfg, &hooks);
    gt_progress_end(p);
    GT_CHECK(hooks.on_query == count_query);
    GT_CHECK_INT(seen, x.r->nqueries);
    fclose(f);
    GT_CHECK(buf != NULL && strstr(buf, "queries done, ") != NULL);
    GT_CHECK(len >= 4 && strcmp(buf + len - 4, "\r\033[K") == 0);
    free(buf);
    done(&x);
}

int main(void)
{
    setenv("COLUMNS", "100", 1); /* the goldens are 100 columns wide, whatever the caller's */
    test_goldens();
    test_verdict();
    test_dot_dnssec();
    test_text_shape();
    test_hostile_json_dot();
    test_progress();
    return gt_test_done();
}
