/* gluetrace: parse, run, render, clean up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/cli.h"
#include "gluetrace/hints.h"
#include "gluetrace/log.h"
#include "gluetrace/render.h"
#include "gluetrace/resolvconf.h"
#include "gluetrace/trace.h"
#include "gluetrace/transport.h"
#include "gluetrace/vsdig.h"

/* Exit codes (README, --help, man page). */
enum { EXIT_USAGE = 2, EXIT_INTERNAL = 4 };

/** Largest saved dig output --vs-dig reads. */
#define GT_MAX_DIG_INPUT (16u * 1024u * 1024u)

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer. */
static gt_status read_all(const char *path, char **out, size_t *len)
{
    gt_status st = GT_EIO;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 65536, n = 0;
    char *buf = NULL;
    *out = NULL;
    if (f == NULL) {
        return GT_EIO;
    }
    buf = malloc(cap + 1);
    if (buf == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
        if (n == cap) {
            if (cap >= GT_MAX_DIG_INPUT) {
                goto done;
            }
            char *nb = realloc(buf, cap * 2 + 1);
            if (nb == NULL) {
                st = GT_ENOMEM;
                goto done;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    st = GT_OK;
done:
    free(buf);
    if (f != stdin) {
        fclose(f);
    }
    return st;
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

    if (gt_cli_parse(argc, argv, &cfg, &action, err, sizeof(err)) != GT_OK) {
        gt_err("%s", err);
        return EXIT_USAGE;
    }
    if (action == GT_CLI_HELP) {
        gt_cli_help(stdout);
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

    gt_ares_opts topts = {.timeout_ms = cfg.timeout_ms, .retries = cfg.retries, .edns = cfg.edns};
    gt_status st = gt_ares_transport_create(&topts, &tp);
    if (st != GT_OK) {
        gt_err("cannot set up the DNS transport: %s", gt_status_str(st));
        goto done;
    }
    gt_trace_hooks hooks = {.on_query = NULL, .arg = NULL};
    if (cfg.format == GT_FMT_JSONL) {
        hooks.on_query = gt_render_jsonl_query;
        hooks.arg = &cfg;
    }
    gt_progress *prog = gt_progress_start(stderr, &hooks); /* NULL unless stderr is a tty */
    st = gt_trace_run(&cfg, hints, tp, &hooks, &res);
    gt_progress_end(prog);
    if (res == NULL) {
        gt_err("trace failed: %s", gt_status_str(st));
        goto done;
    }
    if (st != GT_OK) {
        gt_err("trace stopped early: %s", gt_status_str(st));
    }
    if (cfg.vs_dig != NULL) {
        char *text = NULL;
        size_t len = 0;
        if (read_all(cfg.vs_dig, &text, &len) != GT_OK) {
            gt_err("--vs-dig: cannot read %s", cfg.vs_dig);
            code = EXIT_USAGE;
            goto done;
        }
        st = gt_vsdig_compare(res, text, len, &res->vsdig, err, sizeof(err));
        free(text);
        if (st != GT_OK) {
            gt_err("--vs-dig %s: %s", cfg.vs_dig, err);
            code = st == GT_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
            goto done;
        }
    }
    switch (cfg.format) {
    case GT_FMT_JSON:
        st = gt_render_json(stdout, res, &cfg);
        break;
    case GT_FMT_JSONL:
        st = gt_render_jsonl_end(stdout, res, &cfg);
        break;
    case GT_FMT_DOT:
        st = gt_render_dot(stdout, res, &cfg);
        break;
    case GT_FMT_DIG:
        st = gt_render_dig(stdout, res, &cfg);
        break;
    case GT_FMT_TEXT:
    default:
        st = gt_render_text(stdout, res, &cfg);
        break;
    }
    if (st != GT_OK) {
        gt_err("cannot write output: %s", gt_status_str(st));
        goto done;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        gt_err("cannot write output");
        goto done;
    }
    code = gt_result_exit_code(res, cfg.strict);

done:
    gt_result_free(res);
    gt_transport_destroy(tp);
    free(hints);
    return code;
}
