/* gluetrace: parse, run, render, clean up. */
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gluetrace/cli/cli.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/base/array.h"
#include "gluetrace/base/file.h"
#include "gluetrace/base/log.h"
#include "gluetrace/output/render.h"
#include "gluetrace/cli/resolvconf.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/transport/transport.h"
#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/diagnose/replies.h"
#include "gluetrace/dnssec/anchor.h"

/* Exit codes (README, --help, man page); a run stopped by a signal exits 128 + its number. */
enum { EXIT_USAGE = 2, EXIT_INTERNAL = 4, EXIT_SIGNAL_BASE = 128 };

/**
 * Set by SIGINT/SIGTERM (to the signal number) or by a bulk run whose output failed (-1).
 * The transport watches it: nothing new is sent, outstanding queries end, run() returns, and
 * what is known is printed.
 */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
}

/* SIGINT/SIGTERM stop the run; SIGPIPE is ignored (a closed stdout or TCP connection is an
 * error return, EPIPE, never a silent death). */
static void signals_setup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Exit code of a run the stop flag ended, or -1 when it was not stopped. */
static int stop_exit_code(void)
{
    if (g_stop > 0) {
        return EXIT_SIGNAL_BASE + (int)g_stop;
    }
    return g_stop < 0 ? EXIT_INTERNAL : -1;
}

/* Was any trace of @p r still open when the run was cancelled? */
static bool result_cut(const gt_result *r)
{
    for (size_t i = 0; i < r->ntraces; i++) {
        if (r->traces[i]->status == GT_TS_INTERRUPTED) {
            return true;
        }
    }
    return false;
}

/** Largest saved dig output --vs-dig reads. */
#define GT_MAX_DIG_INPUT (16u * 1024u * 1024u)

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer. */
static gt_status read_all(const char *path, char **out, size_t *len)
{
    if (strcmp(path, "-") == 0) {
        return gt_file_read_stream(stdin, GT_MAX_DIG_INPUT, out, len, NULL, 0, path);
    }
    return gt_file_read(path, GT_MAX_DIG_INPUT, out, len, NULL, 0, NULL);
}

/* Findings of a finished (or interrupted) single trace, with what the transport saw. */
static gt_status diagnose(gt_result *res, const gt_config *cfg, const gt_transport *tp)
{
    const gt_wire_count *wire = NULL;
    size_t nwire = 0;
    if (stop_exit_code() >= 0) {
        res->interrupted = true;
        gt_note("interrupted: printing what the trace learnt so far");
    }
    gt_status st = gt_diagnose(res, cfg);
    if (st == GT_OK) {
        gt_transport_wire(tp, &wire, &nwire);
        st = gt_wire_findings(res, wire, nwire);
    }
    return st;
}

/** Largest trust anchor file --trust-anchor reads. */
#define GT_MAX_ANCHOR_FILE (1024u * 1024u)

/*
 * The trust anchors of the run: --trust-anchor FILE, else the built-in IANA root anchors when
 * the trace starts from the built-in hints (a private root needs its own anchor). Nothing with
 * --no-dnssec.
 */
static gt_status load_anchors(gt_config *cfg, gt_rrlist *list, char *err, size_t errlen)
{
    if (!cfg->dnssec) {
        return GT_OK;
    }
    gt_status st = GT_OK;
    if (cfg->trust_anchor != NULL) {
        char *text = NULL;
        size_t len = 0;
        char ferr[256] = "";
        st = gt_file_read(cfg->trust_anchor, GT_MAX_ANCHOR_FILE, &text, &len, ferr, sizeof(ferr),
                          NULL);
        if (st != GT_OK) {
            snprintf(err, errlen, "%s", ferr[0] != '\0' ? ferr : gt_status_str(st));
            return st;
        }
        st = gt_anchor_parse(list, text, err, errlen);
        free(text);
    } else if (cfg->hints_file == NULL && !cfg->have_server) {
        st = gt_anchor_builtin(list);
    }
    if (st == GT_OK) {
        cfg->anchors = list->rrs;
        cfg->nanchors = list->count;
    }
    return st;
}

/* Does any root server of @p h have an address of @p family? */
static bool hints_have_family(const gt_hints *h, int family)
{
    for (size_t i = 0; i < h->nservers; i++) {
        for (size_t k = 0; k < h->servers[i].naddrs; k++) {
            if (h->servers[i].addrs[k].family == family) {
                return true;
            }
        }
    }
    return false;
}

/** Most names -f reads. */
#define GT_MAX_BULK_NAMES 100000

/* Exit codes by how bad they are, for the worst of a bulk run. */
static int exit_rank(int code)
{
    switch (code) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 3:
        return 2;
    case EXIT_USAGE:
        return 3;
    default:
        return 4;
    }
}

typedef struct bulk_out {
    const gt_config *cfg;
    int worst;
    size_t queries;
    size_t done;
    bool write_error;
    gt_bulk_report *report; /* text without -v: one line per name and a summary */
    gt_progress *progress;  /* the live line on a terminal, or NULL */
} bulk_out;

static void bulk_emit(void *arg, size_t index, gt_result *r, gt_status st)
{
    bulk_out *bo = arg;
    int code = EXIT_INTERNAL;
    if (g_stop != 0 && (r == NULL || result_cut(r))) {
        return; /* stopped: only names whose trace finished are printed, each whole */
    }
    bo->done++;
    if (r != NULL && st == GT_OK && gt_diagnose(r, bo->cfg) != GT_OK) {
        r = NULL;
        st = GT_ENOMEM;
    }
    if (r != NULL) {
        code = gt_result_exit_code(r, bo->cfg->strict);
        bo->queries += r->sent;
        /* -f allows text and JSON Lines only (cli.c). */
        gt_status ws;
        gt_progress_suspend(bo->progress);
        if (bo->report != NULL) {
            ws = gt_bulk_report_add(bo->report, stdout, r);
        } else {
            ws = gt_render(bo->cfg->format, stdout, r, bo->cfg);
            if (bo->cfg->format != GT_FMT_JSONL) {
                fputc('\n', stdout);
            }
        }
        bo->write_error |= ws != GT_OK;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            bo->write_error = true; /* e.g. EPIPE: the reader is gone, stop promptly */
        }
        gt_progress_resume(bo->progress);
        if (bo->write_error && g_stop == 0) {
            g_stop = -1;
        }
    } else {
        gt_err("trace %zu failed: %s", index + 1, gt_status_str(st));
        if (bo->report != NULL) {
            gt_bulk_report_failed(bo->report);
        }
    }
    if (exit_rank(code) > exit_rank(bo->worst)) {
        bo->worst = code;
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A names file is text: a NUL or another control byte (tab and CR aside) is an input error
 * naming the file and line, not a silent end of the input. */
static bool is_text(const char *text, size_t len, const char *file, char *err, size_t errlen)
{
    size_t line = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            line++;
        } else if (ch < 0x20 && ch != '\t' && ch != '\r') {
            snprintf(err, errlen, "%s line %zu: binary byte 0x%02x (a names file is text)", file,
                     line, (unsigned)ch);
            return false;
        }
    }
    return true;
}

/* Read -f's names: "NAME [TYPE]" per line, '#' or ';' comments, blank lines skipped. */
static gt_status read_names(const gt_config *cfg, gt_bulk_name **out, size_t *n, char *err,
                            size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    *n = 0;
    if (read_all(cfg->names_file, &text, &len) != GT_OK) {
        snprintf(err, errlen, "cannot read %s", cfg->names_file);
        return GT_EIO;
    }
    gt_status st = GT_OK;
    size_t cap = 0, line = 0;
    gt_bulk_name *names = NULL;
    if (!is_text(text, len, cfg->names_file, err, errlen)) {
        free(text);
        return GT_EINVAL;
    }
    for (char *p = text; *p != '\0' && st == GT_OK;) {
        char *eol = strchr(p, '\n');
        char *end = eol ? eol : p + strlen(p);
        char *next = eol ? eol + 1 : end;
        line++;
        char *tok[3] = {NULL, NULL, NULL};
        size_t ntok = 0;
        for (char *s = p; s < end && ntok < 3;) {
            while (s < end && is_blank(*s)) {
                s++;
            }
            if (s >= end || *s == '#' || *s == ';') {
                break;
            }
            tok[ntok++] = s;
            while (s < end && !is_blank(*s)) {
                s++;
            }
            *s = '\0'; /* a blank or the newline: both ours to overwrite */
            s++;
        }
        p = next;
        if (ntok == 0) {
            continue;
        }
        if (ntok > 2) {
            snprintf(err, errlen, "%s line %zu: expected NAME [TYPE]", cfg->names_file, line);
            st = GT_EINVAL;
            break;
        }
        if (*n >= GT_MAX_BULK_NAMES) {
            snprintf(err, errlen, "%s: more than %d names", cfg->names_file, GT_MAX_BULK_NAMES);
            st = GT_ELIMIT;
            break;
        }
        if (!gt_array_reserve((void **)&names, &cap, *n, sizeof(*names))) {
            st = GT_ENOMEM;
            break;
        }
        gt_bulk_name *b = &names[*n];
        b->qtype = cfg->qtype;
        if (gt_name_from_str(&b->name, tok[0]) != GT_OK ||
            (ntok == 2 && gt_type_from_str(tok[1], &b->qtype) != GT_OK)) {
            snprintf(err, errlen, "%s line %zu: invalid %s", cfg->names_file, line,
                     ntok == 2 ? "name or type" : "name");
            st = GT_EINVAL;
            break;
        }
        (*n)++;
    }
    free(text);
    if (st == GT_OK && *n == 0) {
        snprintf(err, errlen, "%s: no names", cfg->names_file);
        st = GT_EINVAL;
    }
    if (st != GT_OK) {
        free(names);
        *n = 0;
        return st;
    }
    *out = names;
    return GT_OK;
}

/* Bulk runs share the transport across names: unusable replies are reported once, here. */
static void bulk_wire_report(const gt_transport *tp)
{
    const gt_wire_count *w = NULL;
    size_t n = 0;
    char what[512], a[GT_ADDR_STRLEN];
    gt_transport_wire(tp, &w, &n);
    for (size_t i = 0; i < n; i++) {
        if (gt_wire_bad_str(&w[i], what, sizeof(what)) > 0) {
            gt_warn("MISMATCHED_REPLY: %s sent %s (dropped)",
                    gt_addr_to_str(&w[i].server, a, sizeof(a)), what);
        }
    }
}

/* -f: every name of the file through one transport and one shared session. */
static int run_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp)
{
    char err[512];
    gt_bulk_name *names = NULL;
    size_t n = 0;
    gt_status st = read_names(cfg, &names, &n, err, sizeof(err));
    if (st != GT_OK) {
        gt_err("%s", err);
        return st == GT_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    gt_session *session = NULL;
    if (gt_session_create(&session) != GT_OK) {
        free(names);
        gt_err("out of memory");
        return EXIT_INTERNAL;
    }
    bulk_out bo = {.cfg = cfg, .worst = 0};
    if (cfg->format == GT_FMT_TEXT && !cfg->verbose &&
        (bo.report = gt_bulk_report_create()) == NULL) {
        gt_session_destroy(session);
        free(names);
        gt_err("out of memory");
        return EXIT_INTERNAL;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* The engine stops sending once g_stop is up; the transport, watching it too, returns
     * from a wait on silent servers within 100 ms. */
    gt_trace_hooks hooks = {.on_query = NULL, .arg = NULL, .cancel = &g_stop};
    bo.progress = gt_progress_start(stderr, &hooks); /* NULL unless stderr is a tty */
    st = gt_trace_bulk(cfg, hints, tp, session, names, n, cfg->concurrency, &hooks, bulk_emit, &bo);
    gt_progress_end(bo.progress);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1000.0 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    gt_note("%zu names in %.0f ms (%.0f names/s), %zu queries sent, %zu shared cache entries",
            bo.done, ms, ms > 0 ? (double)bo.done * 1000.0 / ms : 0.0, bo.queries,
            gt_session_size(session));
    gt_session_destroy(session);
    free(names);
    bulk_wire_report(tp);
    if (bo.report != NULL) {
        /* the summary of what was printed, also after an interruption */
        bo.write_error |= gt_bulk_report_summary(bo.report, stdout) != GT_OK;
        gt_bulk_report_free(bo.report);
    }
    if (bo.write_error || fflush(stdout) != 0 || ferror(stdout)) {
        gt_err("cannot write output");
        return EXIT_INTERNAL;
    }
    if (stop_exit_code() >= 0) {
        gt_note("interrupted: %zu names finished and printed", bo.done);
        return stop_exit_code();
    }
    if (st != GT_OK) {
        gt_err("bulk run stopped: %s", gt_status_str(st));
        return EXIT_INTERNAL;
    }
    return bo.worst;
}

int main(int argc, char **argv)
{
    int code = EXIT_INTERNAL;
    gt_config cfg;
    gt_cli_action action;
    char err[512];
    gt_hints *hints = NULL;
    gt_transport *tp = NULL;
    gt_result *res = NULL;
    gt_vsdig *vs = NULL;
    gt_rrlist anchors = {0};

    if (gt_cli_parse(argc, argv, &cfg, &action, err, sizeof(err)) != GT_OK) {
        gt_err("%s", err);
        return EXIT_USAGE;
    }
    if (action == GT_CLI_HELP) {
        gt_cli_help(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_INTERNAL;
    }
    if (action == GT_CLI_EXPLAIN) {
        size_t len = 0;
        const char *doc = gt_code_doc(cfg.explain, &len);
        while (len > 0 && (doc[len - 1] == '\n' || doc[len - 1] == ' ')) {
            len--;
        }
        if (doc == NULL || len == 0) {
            gt_err("no documentation for %s", gt_code_name(cfg.explain));
            return EXIT_INTERNAL;
        }
        printf("%.*s\n", (int)len, doc);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_INTERNAL;
    }
    if (action == GT_CLI_VERSION) {
        printf("gluetrace %s\n", GT_VERSION);
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_INTERNAL;
    }

    hints = calloc(1, sizeof(*hints));
    if (hints == NULL) {
        gt_err("out of memory");
        goto done;
    }
    if (cfg.hints_file != NULL) {
        gt_status st = gt_hints_load(cfg.hints_file, hints, err, sizeof(err));
        if (st != GT_OK) {
            gt_err("hints file %s: %s", cfg.hints_file, err);
            code = EXIT_USAGE;
            goto done;
        }
    } else {
        gt_hints_builtin(hints);
    }
    if (load_anchors(&cfg, &anchors, err, sizeof(err)) != GT_OK) {
        gt_err("--trust-anchor %s: %s", cfg.trust_anchor ? cfg.trust_anchor : "(built-in)", err);
        code = EXIT_USAGE;
        goto done;
    }
    if (!cfg.have_server && cfg.family != AF_UNSPEC && !hints_have_family(hints, cfg.family)) {
        gt_err("%s leaves no server to ask: the %s root hints have no %s address",
               cfg.family == AF_INET ? "-4" : "-6", cfg.hints_file ? "file's" : "built-in",
               cfg.family == AF_INET ? "IPv4" : "IPv6");
        code = EXIT_USAGE;
        goto done;
    }

    if (cfg.compare_resolver) {
        if (!cfg.have_resolver) {
            /* The one place the system resolver configuration is read: asked for. */
            if (gt_resolvconf_load(GT_RESOLV_CONF, &cfg.resolver, err, sizeof(err)) != GT_OK) {
                gt_err("--compare-resolver: %s in %s; name the resolver with "
                       "--compare-resolver=ADDR",
                       err, GT_RESOLV_CONF);
                code = EXIT_USAGE;
                goto done;
            }
            cfg.have_resolver = true;
        }
        char a[GT_ADDR_STRLEN];
        gt_note("comparing with the local resolver %s (asked with RD=1 after the trace; the "
                "trace itself never uses it)",
                gt_addr_to_str(&cfg.resolver, a, sizeof(a)));
    }

    signals_setup();
    gt_ares_opts topts = {.timeout_ms = cfg.timeout_ms,
                          .retries = cfg.retries,
                          .edns = cfg.edns,
                          .source4 = cfg.source4,
                          .source6 = cfg.source6,
                          .stop = &g_stop};
    gt_status st = gt_ares_transport_create(&topts, &tp);
    if (st != GT_OK) {
        gt_err("cannot set up the DNS transport: %s", gt_status_str(st));
        goto done;
    }
    if (cfg.names_file != NULL) {
        code = run_bulk(&cfg, hints, tp);
        goto done;
    }
    gt_trace_hooks hooks;
    memset(&hooks, 0, sizeof(hooks));
    gt_render_hooks(&cfg, &hooks);
    hooks.cancel = &g_stop;
    gt_progress *prog = gt_progress_start(stderr, &hooks); /* NULL unless stderr is a tty */
    st = gt_trace_run(&cfg, hints, tp, &hooks, &res);
    gt_progress_end(prog);
    if (res == NULL) {
        gt_err("trace failed: %s", gt_status_str(st));
        goto done;
    }
    if (st != GT_OK) {
        gt_err("trace stopped early: %s", gt_status_str(st));
    } else if ((st = diagnose(res, &cfg, tp)) != GT_OK) {
        gt_err("trace failed: %s", gt_status_str(st));
        goto done;
    }
    if (cfg.vs_dig != NULL) {
        char *text = NULL;
        size_t len = 0;
        if (read_all(cfg.vs_dig, &text, &len) != GT_OK) {
            gt_err("--vs-dig: cannot read %s", cfg.vs_dig);
            code = EXIT_USAGE;
            goto done;
        }
        st = gt_vsdig_compare(res, text, len, &vs, err, sizeof(err));
        res->vsdig = vs;
        free(text);
        if (st != GT_OK) {
            gt_err("--vs-dig %s: %s", cfg.vs_dig, err);
            code = st == GT_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
            goto done;
        }
    }
    st = gt_render(cfg.format, stdout, res, &cfg);
    if (st != GT_OK) {
        gt_err("cannot write output: %s", gt_status_str(st));
        goto done;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        gt_err("cannot write output");
        goto done;
    }
    code = stop_exit_code() >= 0 ? stop_exit_code() : gt_result_exit_code(res, cfg.strict);

done:
    gt_rrlist_free(&anchors);
    gt_result_free(res);
    gt_vsdig_free(vs);
    gt_transport_destroy(tp);
    free(hints);
    return code;
}
