/* gluetrace: parse, run, render, clean up. */
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gluetrace/cli/bulkin.h"
#include "gluetrace/cli/cli.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/base/clock.h"
#include "gluetrace/base/file.h"
#include "gluetrace/base/log.h"
#include "gluetrace/output/explain.h"
#include "gluetrace/output/render.h"
#include "gluetrace/cli/resolvconf.h"
#include "gluetrace/output/watch.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/transport/pace.h"
#include "gluetrace/transport/transport.h"
#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/diagnose/replies.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/dnssec/anchor.h"
#include "gluetrace/dnssec/dnssec.h"

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

/* Diagnose a finished (or interrupted) single trace with what the transport saw and, with
 * --vs-dig, the saved dig outputs: one call, every pass. @return 0 or an exit code. */
static int diagnose(gt_result *res, const gt_config *cfg, const gt_transport *tp, gt_vsdig **vs)
{
    gt_diagnose_input in = {0};
    char *texts[GT_CFG_MAX_VS_DIG] = {NULL};
    size_t lens[GT_CFG_MAX_VS_DIG] = {0};
    char err[512] = "";
    int code = 0;
    if (stop_exit_code() >= 0) {
        res->interrupted = true;
        gt_note("interrupted: printing what the trace learnt so far");
    }
    gt_transport_wire(tp, &in.wire, &in.nwire);
    for (size_t i = 0; i < cfg->nvs_digs && code == 0; i++) {
        if (read_all(cfg->vs_digs[i], &texts[i], &lens[i]) != GT_OK) {
            gt_err("--vs-dig: cannot read %s", cfg->vs_digs[i]);
            code = EXIT_USAGE;
        }
    }
    if (code == 0) {
        in.digs = (const char *const *)texts;
        in.diglens = lens;
        in.ndigs = cfg->nvs_digs;
        gt_status st = gt_diagnose(res, cfg, &in, vs, err, sizeof(err));
        if (st == GT_EINVAL && cfg->nvs_digs > 0) {
            gt_err("--vs-dig %s: %s", cfg->nvs_digs == 1 ? cfg->vs_dig : "(several files)", err);
            code = EXIT_USAGE;
        } else if (st != GT_OK) {
            gt_err("trace failed: %s", gt_status_str(st));
            code = EXIT_INTERNAL;
        }
    }
    for (size_t i = 0; i < cfg->nvs_digs; i++) {
        free(texts[i]);
    }
    return code;
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
    if (r != NULL && st == GT_OK && gt_diagnose(r, bo->cfg, NULL, NULL, NULL, 0) != GT_OK) {
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

/* The closing lines of a bulk run on stderr: names, time, queries, rate limiting met. */
static void bulk_summary(const gt_config *cfg, const gt_bulk_reader *rd, const gt_pace *pace,
                         const gt_session *session, const bulk_out *bo, const struct timespec *t0,
                         const struct timespec *t1)
{
    gt_bulk_counts c;
    gt_pace_stats ps;
    gt_bulk_reader_counts(rd, &c);
    gt_pace_get_stats(pace, &ps);
    double ms =
        (double)(t1->tv_sec - t0->tv_sec) * 1000.0 + (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
    if (cfg->shard_count != 0 || cfg->resume != NULL) {
        /* only what happened: the shard part with --shard, the resume part with --resume */
        char shard[96] = "", resumed[512] = "";
        if (cfg->shard_count != 0) {
            snprintf(shard, sizeof(shard), ", %zu in other shards (this is share %u/%u)", c.other,
                     cfg->shard_index, cfg->shard_count);
        }
        if (cfg->resume != NULL) {
            snprintf(resumed, sizeof(resumed), ", %zu already done in %s", c.done, cfg->resume);
            if (c.cut > 0) {
                size_t n = strlen(resumed);
                snprintf(resumed + n, sizeof(resumed) - n,
                         " (%zu cut-off lines there, traced again)", c.cut);
            }
        }
        gt_note("%zu of %zu names traced%s%s", c.given, c.names, shard, resumed);
    }
    gt_note("%zu names in %.0f ms (%.0f names/s), %zu queries sent, %zu shared cache entries",
            bo->done, ms, ms > 0 ? (double)bo->done * 1000.0 / ms : 0.0, bo->queries,
            gt_session_size(session));
    if (ps.reasked + ps.given_up > 0) {
        gt_note("rate limiting met: %llu slips and %llu drops, %llu queries asked again, %llu "
                "delivered as they were",
                (unsigned long long)ps.slips, (unsigned long long)ps.drops,
                (unsigned long long)ps.reasked, (unsigned long long)ps.given_up);
    }
}

/* -f: every name of the file (this shard's, not done yet) through one transport, one pacer
 * and one shared session. */
static int run_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                    gt_dnssec_ctx *dctx)
{
    char err[512];
    gt_bulk_reader *rd = NULL;
    gt_session *session = NULL;
    gt_pace *pace = NULL;
    int code = EXIT_INTERNAL;
    bulk_out bo = {.cfg = cfg, .worst = 0};
    gt_pace_opts po = {.rate = cfg->rate,
                       .total_rate = cfg->total_rate,
                       .max_reasks = GT_PACE_MAX_REASKS,
                       .backoff_ms = GT_PACE_BACKOFF_MS,
                       .stop = &g_stop};
    gt_status st = gt_bulk_reader_open(cfg, &rd, err, sizeof(err));
    if (st != GT_OK) {
        gt_err("%s", err);
        return st == GT_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    if (gt_session_create(&session) != GT_OK || gt_pace_create(tp, &po, &pace) != GT_OK ||
        (cfg->format == GT_FMT_TEXT && !cfg->verbose &&
         (bo.report = gt_bulk_report_create(cfg->dnssec && cfg->nanchors > 0)) == NULL)) {
        gt_err("out of memory");
        goto done;
    }
    gt_session_set_pace(session, pace);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* The engine stops sending once g_stop is up; the transport and the pacer, watching it
     * too, return from a wait within 100 ms. */
    gt_trace_hooks hooks = {.on_query = NULL, .arg = NULL, .cancel = &g_stop, .dnssec = dctx};
    bo.progress = gt_progress_start(stderr, &hooks); /* NULL unless stderr is a tty */
    st = gt_trace_bulk_stream(cfg, hints, gt_pace_transport(pace), session, gt_bulk_reader_next, rd,
                              cfg->concurrency, &hooks, bulk_emit, &bo);
    gt_progress_end(bo.progress);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    bulk_summary(cfg, rd, pace, session, &bo, &t0, &t1);
    bulk_wire_report(tp);
    if (bo.report != NULL) {
        /* the summary of what was printed, also after an interruption */
        bo.write_error |= gt_bulk_report_summary(bo.report, stdout) != GT_OK;
    }
    if (bo.write_error || fflush(stdout) != 0 || ferror(stdout)) {
        gt_err("cannot write output");
    } else if (stop_exit_code() >= 0) {
        gt_note("interrupted: %zu names finished and printed", bo.done);
        code = stop_exit_code();
    } else if (st == GT_EINVAL || st == GT_EIO) {
        gt_err("%s", gt_bulk_reader_error(rd));
        code = EXIT_USAGE;
    } else if (st != GT_OK) {
        gt_err("bulk run stopped: %s", gt_status_str(st));
    } else {
        code = bo.worst;
    }
done:
    gt_bulk_report_free(bo.report);
    gt_session_destroy(session);
    if (pace != NULL) {
        gt_transport_destroy(gt_pace_transport(pace));
    }
    gt_bulk_reader_close(rd);
    return code;
}

/* flush stdout; @return 0, or EXIT_INTERNAL when the output could not be written. */
static int flushed(void)
{
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_INTERNAL;
}

/* --help, --explain CODE and --version: print and exit. */
static int info_action(gt_cli_action action, const gt_config *cfg)
{
    if (action == GT_CLI_HELP) {
        gt_cli_help(stdout);
        return flushed();
    }
    if (action == GT_CLI_EXPLAIN || action == GT_CLI_EXPLAIN_LIST) {
        size_t width = gt_text_width(stdout, false);
        bool color = gt_color_wanted(cfg->color, stdout);
        if (action == GT_CLI_EXPLAIN_LIST) {
            gt_explain_list(stdout, width, color);
        } else if (gt_explain_print(stdout, cfg->explain, width, color) != GT_OK) {
            gt_err("no documentation for %s", gt_code_name(cfg->explain));
            return EXIT_INTERNAL;
        }
        return flushed();
    }
    printf("gluetrace %s\n", GT_VERSION);
    return flushed();
}

/*
 * What the trace starts from: the hints (file or built-in), the trust anchors, and whether
 * -4/-6 leaves a root to ask. @return 0, or the exit code of the error it reported.
 */
static int load_start(gt_config *cfg, gt_hints *hints, gt_rrlist *anchors)
{
    char err[512];
    if (cfg->hints_file != NULL) {
        if (gt_hints_load(cfg->hints_file, hints, err, sizeof(err)) != GT_OK) {
            gt_err("hints file %s: %s", cfg->hints_file, err);
            return EXIT_USAGE;
        }
    } else {
        gt_hints_builtin(hints);
    }
    if (load_anchors(cfg, anchors, err, sizeof(err)) != GT_OK) {
        gt_err("--trust-anchor %s: %s", cfg->trust_anchor ? cfg->trust_anchor : "(built-in)", err);
        return EXIT_USAGE;
    }
    if (!cfg->have_server && cfg->family != AF_UNSPEC && !hints_have_family(hints, cfg->family)) {
        gt_err("%s leaves no server to ask: the %s root hints have no %s address",
               cfg->family == AF_INET ? "-4" : "-6", cfg->hints_file ? "file's" : "built-in",
               cfg->family == AF_INET ? "IPv4" : "IPv6");
        return EXIT_USAGE;
    }
    return 0;
}

/* --compare-resolver: the resolvers (resolv.conf read only for `system`), said once on
 * stderr. @return 0, or EXIT_USAGE. */
static int resolver_setup(gt_config *cfg)
{
    char err[512], a[GT_ADDR_STRLEN], list[1024];
    if (!cfg->compare_resolver) {
        return 0;
    }
    if (gt_resolver_list_wants_system(cfg->resolvers, cfg->nresolvers)) {
        /* The one place the system resolver configuration is read: asked for. */
        gt_addr sys[GT_RESOLV_CONF_MAX_NS];
        size_t nsys = 0;
        if (gt_resolvconf_load(GT_RESOLV_CONF, sys, GT_RESOLV_CONF_MAX_NS, &nsys, err,
                               sizeof(err)) != GT_OK) {
            gt_err("--compare-resolver: %s in %s; name the resolvers with "
                   "--compare-resolver=ADDR,...",
                   err, GT_RESOLV_CONF);
            return EXIT_USAGE;
        }
        if (gt_resolver_list_system(cfg->resolvers, &cfg->nresolvers, sys, nsys, err,
                                    sizeof(err)) != GT_OK) {
            gt_err("%s", err);
            return EXIT_USAGE;
        }
    }
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < cfg->nresolvers && len < sizeof(list); i++) {
        const gt_resolver_spec *r = &cfg->resolvers[i];
        int w = snprintf(list + len, sizeof(list) - len, "%s%s%s%s%s", i ? ", " : "",
                         gt_addr_to_str(&r->addr, a, sizeof(a)), r->set[0] ? " (" : "", r->set,
                         r->set[0] ? ")" : "");
        len += w > 0 ? (size_t)w : 0;
    }
    gt_note("resolver census of %zu resolver%s: %s (asked with RD=1 after the trace, %u time%s "
            "each; the trace itself never uses them)",
            cfg->nresolvers, cfg->nresolvers == 1 ? "" : "s", list, cfg->samples,
            cfg->samples == 1 ? "" : "s");
    return 0;
}

/** Where a single run's time went, for GLUETRACE_DEBUG=1 (docs/performance.md). */
typedef struct run_times {
    double start;         /**< main() entered */
    double trace;         /**< gt_trace_run() called */
    double traced;        /**< it returned */
    double diagnosed;     /**< the diagnosis done */
    size_t crypto[2];     /**< signature checks by libcrypto before / after diagnose */
    size_t remembered[2]; /**< ... answered from memory */
} run_times;

static void debug_times(const run_times *t, const gt_result *res)
{
    const char *dbg = getenv("GLUETRACE_DEBUG");
    if (dbg == NULL || strcmp(dbg, "1") != 0) {
        return;
    }
    double end = gt_clock_ms();
    gt_note("debug: time: start-up %.2f ms, trace %.2f ms (last reply at %.2f ms), diagnosis "
            "%.2f ms, output %.2f ms",
            t->trace - t->start, t->traced - t->trace, res->elapsed_ms, t->diagnosed - t->traced,
            end - t->diagnosed);
    gt_note("debug: signature checks: by libcrypto %zu during the trace and %zu in the "
            "diagnosis; from memory %zu during the trace and %zu in the diagnosis",
            t->crypto[0], t->crypto[1] - t->crypto[0], t->remembered[0],
            t->remembered[1] - t->remembered[0]);
}

/* One name: trace, diagnose, compare with dig when asked, render. @return the exit code. */
static int run_single(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                      gt_dnssec_ctx *dctx, run_times *times)
{
    int code = EXIT_INTERNAL;
    gt_result *res = NULL;
    gt_vsdig *vs = NULL;
    gt_trace_hooks hooks;
    memset(&hooks, 0, sizeof(hooks));
    gt_render_hooks(cfg, &hooks);
    hooks.cancel = &g_stop;
    hooks.dnssec = dctx;
    gt_progress *prog = gt_progress_start(stderr, &hooks); /* NULL unless stderr is a tty */
    times->trace = gt_clock_ms();
    gt_status st = gt_trace_run(cfg, hints, tp, &hooks, &res);
    times->traced = gt_clock_ms();
    gt_dnssec_counts(dctx, &times->crypto[0], &times->remembered[0]);
    gt_progress_end(prog);
    if (res == NULL) {
        gt_err("trace failed: %s", gt_status_str(st));
        goto done;
    }
    if (st != GT_OK) {
        gt_err("trace stopped early: %s", gt_status_str(st));
    } else if ((code = diagnose(res, cfg, tp, &vs)) != 0) {
        goto done;
    }
    code = EXIT_INTERNAL;
    times->diagnosed = gt_clock_ms();
    gt_dnssec_counts(dctx, &times->crypto[1], &times->remembered[1]);
    st = gt_render(cfg->format, stdout, res, cfg);
    if (st != GT_OK) {
        gt_err("cannot write output: %s", gt_status_str(st));
        goto done;
    }
    if (flushed() != 0) {
        gt_err("cannot write output");
        goto done;
    }
    code = stop_exit_code() >= 0 ? stop_exit_code() : gt_result_exit_code(res, cfg->strict);
    debug_times(times, res);
done:
    gt_result_free(res);
    gt_vsdig_free(vs);
    return code;
}

/* Sleep @p seconds, or less when a signal asks to stop. */
static void watch_sleep(unsigned seconds)
{
    for (unsigned i = 0; i < seconds * 10 && g_stop == 0; i++) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000000L};
        nanosleep(&ts, NULL);
    }
}

/* --watch: the census of one name again and again (a fresh trace each time), one line per
 * change, until every resolver is current (exit 0) or --watch-max passes (the last run's
 * exit status). */
static int run_watch(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                     gt_dnssec_ctx *dctx)
{
    int code = EXIT_INTERNAL;
    gt_watch *w = gt_watch_new();
    double start = gt_clock_ms();
    if (w == NULL) {
        gt_err("out of memory");
        return code;
    }
    for (;;) {
        gt_result *res = NULL;
        gt_vsdig *vs = NULL;
        gt_trace_hooks hooks = {.cancel = &g_stop, .dnssec = dctx};
        gt_status st = gt_trace_run(cfg, hints, tp, &hooks, &res);
        int dcode = res != NULL && st == GT_OK ? diagnose(res, cfg, tp, &vs) : 0;
        gt_vsdig_free(vs);
        if (res == NULL || st != GT_OK || dcode != 0 || res->census == NULL) {
            gt_err("trace failed: %s", gt_status_str(st));
            gt_result_free(res);
            code = dcode != 0 ? dcode : code;
            break;
        }
        code = gt_result_exit_code(res, cfg->strict);
        bool done = gt_watch_step(w, stdout, res->census);
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        unsigned next = gt_watch_interval(res->census, cfg->watch_s, (double)wall.tv_sec);
        gt_result_free(res);
        if (flushed() != 0) {
            gt_err("cannot write output");
            code = EXIT_INTERNAL;
            break;
        }
        if (done) {
            code = 0;
            break;
        }
        if ((gt_clock_ms() - start) / 1000.0 + next > cfg->watch_max_s) {
            gt_note("--watch-max %u s reached: not every resolver is current", cfg->watch_max_s);
            break;
        }
        watch_sleep(next);
        if (stop_exit_code() >= 0) {
            code = stop_exit_code();
            break;
        }
    }
    gt_watch_free(w);
    return code;
}

int main(int argc, char **argv)
{
    int code = EXIT_INTERNAL;
    gt_config cfg;
    gt_cli_action action;
    char err[512];
    gt_hints *hints = NULL;
    gt_transport *tp = NULL;
    gt_rrlist anchors = {0};
    gt_dnssec_ctx *dctx = NULL;
    run_times times = {.start = gt_clock_ms()};

    if (gt_cli_parse(argc, argv, &cfg, &action, err, sizeof(err)) != GT_OK) {
        gt_err("%s", err);
        return EXIT_USAGE;
    }
    if (action != GT_CLI_RUN) {
        return info_action(action, &cfg);
    }
    hints = calloc(1, sizeof(*hints));
    if (hints == NULL) {
        gt_err("out of memory");
        goto done;
    }
    if ((code = load_start(&cfg, hints, &anchors)) != 0 || (code = resolver_setup(&cfg)) != 0) {
        goto done;
    }
    code = EXIT_INTERNAL;
    signals_setup();
    const char *debug = getenv("GLUETRACE_DEBUG");
    gt_ares_opts topts = {.timeout_ms = cfg.timeout_ms,
                          .retries = cfg.retries,
                          .edns = cfg.edns,
                          .source4 = cfg.source4,
                          .source6 = cfg.source6,
                          .debug_wire = debug != NULL && strcmp(debug, "1") == 0,
                          .stop = &g_stop};
    gt_status st = gt_ares_transport_create(&topts, &tp);
    if (st != GT_OK) {
        gt_err("cannot set up the DNS transport: %s", gt_status_str(st));
        goto done;
    }
    /* The DNSSEC context: signature checks remembered across the run, its stop flag. */
    if (gt_dnssec_ctx_create(&g_stop, &dctx) != GT_OK) {
        gt_err("out of memory");
        goto done;
    }
    code = cfg.names_file != NULL ? run_bulk(&cfg, hints, tp, dctx)
           : cfg.watch            ? run_watch(&cfg, hints, tp, dctx)
                                  : run_single(&cfg, hints, tp, dctx, &times);
done:
    gt_dnssec_ctx_free(dctx);
    gt_rrlist_free(&anchors);
    gt_transport_destroy(tp);
    free(hints);
    return code;
}
