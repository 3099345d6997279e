/* The live progress line on a terminal: "queries done / in flight / elapsed", redrawn in
 * place as queries complete and erased when the trace ends, so it never reaches a file or a
 * pipe and never stays on the screen. */
#include "gluetrace/output/render.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/** A trace shorter than this shows no progress line at all (no flicker on fast traces). */
#define GT_PROGRESS_DELAY_MS 300
/** Least time between two redraws. */
#define GT_PROGRESS_INTERVAL_MS 100

struct gt_progress {
    FILE *out;             /**< the terminal (borrowed) */
    gt_trace_hooks next;   /**< the observer we wrap */
    gt_trace_hooks *hooks; /**< the caller's hooks, restored by gt_progress_end() */
    double t0;             /**< start, ms on the monotonic clock */
    double last;           /**< last redraw, ms */
    unsigned delay_ms;     /**< show only after this long */
    size_t done;           /**< queries that got an outcome */
    bool shown;            /**< a line is on the screen */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void erase(gt_progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
        p->shown = false;
    }
}

static void draw(gt_progress *p, const gt_result *r, double t)
{
    size_t inflight = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        inflight += r->queries[i]->outcome == GT_OUT_PENDING;
    }
    fprintf(p->out, "\r\033[Kgluetrace: %zu queries done, %zu in flight, %zu traces, %.1f s",
            p->done, inflight, r->ntraces, (t - p->t0) / 1000.0);
    fflush(p->out);
    p->shown = true;
    p->last = t;
}

static void on_query(void *arg, const gt_result *r, const gt_query *q)
{
    gt_progress *p = arg;
    p->done++;
    if (p->next.on_query != NULL) {
        /* The wrapped observer may write to the same terminal: keep its lines clean. */
        bool was = p->shown;
        erase(p);
        p->next.on_query(p->next.arg, r, q);
        fflush(stdout);
        if (was) {
            p->last = 0;
        }
    }
    double t = now_ms();
    if (t - p->t0 >= (double)p->delay_ms && t - p->last >= GT_PROGRESS_INTERVAL_MS) {
        draw(p, r, t);
    }
}

gt_progress *gt_progress_start_on(FILE *out, unsigned delay_ms, gt_trace_hooks *hooks)
{
    gt_progress *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        return NULL;
    }
    p->out = out;
    p->next = *hooks;
    p->hooks = hooks;
    p->t0 = now_ms();
    p->last = -1e9;
    p->delay_ms = delay_ms;
    hooks->on_query = on_query;
    hooks->arg = p;
    return p;
}

gt_progress *gt_progress_start(FILE *tty, gt_trace_hooks *hooks)
{
    if (isatty(fileno(tty)) != 1) {
        return NULL;
    }
    return gt_progress_start_on(tty, GT_PROGRESS_DELAY_MS, hooks);
}

void gt_progress_end(gt_progress *p)
{
    if (p == NULL) {
        return;
    }
    erase(p);
    *p->hooks = p->next;
    free(p);
}
