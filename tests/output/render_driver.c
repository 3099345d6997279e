/*
 * Output test driver: gluetrace's command line and renderers over the scripted world of
 * worlds.h instead of the network, so the output tests (dot, JSON Schema, colour, progress)
 * need no lab. Usage: render_driver [--normalise] [--progress-now] GLUETRACE-ARGS...
 *   --normalise     every rtt 1.0 ms and elapsed 0 ms (stable output for comparisons)
 *   --progress-now  draw the progress line from the first query when stderr is a terminal
 *                   (gluetrace waits 300 ms, longer than any scripted trace takes)
 * Exit status as gluetrace's for the result; 2 for usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gluetrace/cli/cli.h"
#include "gluetrace/output/render.h"
#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/engine/trace.h"
#include "miniauth.h"
#include "worlds.h"

int main(int argc, char **argv)
{
    bool normalise = false, progress_now = false;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--normalise") == 0) {
            normalise = true;
        } else if (strcmp(argv[i], "--progress-now") == 0) {
            progress_now = true;
        } else {
            break;
        }
    }
    /* gt_cli_parse() wants argv[0] first. */
    argv[i - 1] = argv[0];
    gt_config cfg;
    gt_cli_action action;
    char err[512];
    if (gt_cli_parse(argc - i + 1, argv + i - 1, &cfg, &action, err, sizeof(err)) != GT_OK ||
        action != GT_CLI_RUN) {
        fprintf(stderr, "render_driver: %s\n", err);
        return 2;
    }
    gt_hints hints;
    if (gt_hints_parse(gt_world_hints, &hints, err, sizeof(err)) != GT_OK) {
        fprintf(stderr, "render_driver: hints: %s\n", err);
        return 4;
    }
    mini *w = mini_create(gt_world_lines);
    scripted *s = scr_create(mini_respond, w);
    gt_trace_hooks hooks;
    gt_render_hooks(&cfg, &hooks);
    gt_progress *prog = NULL;
    if (progress_now && isatty(fileno(stderr))) {
        prog = gt_progress_start_on(stderr, 0, &hooks);
    } else {
        prog = gt_progress_start(stderr, &hooks);
    }
    gt_result *r = NULL;
    gt_status st = gt_trace_run(&cfg, &hints, scr_transport(s), &hooks, &r);
    gt_progress_end(prog);
    int code = 4;
    if (r == NULL || (st == GT_OK && gt_diagnose(r, &cfg, NULL, NULL, NULL, 0) != GT_OK)) {
        fprintf(stderr, "render_driver: trace failed: %s\n", gt_status_str(st));
        goto done;
    }
    if (normalise) {
        for (size_t q = 0; q < r->nqueries; q++) {
            r->queries[q]->rtt_ms = r->queries[q]->cached_from ? 0.0 : 1.0;
        }
        r->elapsed_ms = 0;
    }
    st = gt_render(cfg.format, stdout, r, &cfg);
    if (st != GT_OK || fflush(stdout) != 0) {
        fprintf(stderr, "render_driver: cannot write output\n");
        goto done;
    }
    code = gt_result_exit_code(r, cfg.strict);
done:
    gt_result_free(r);
    scr_destroy(s);
    mini_destroy(w);
    return code;
}
