/* The live progress line on a terminal: queries done and in flight, what they wait on ("13
 * IPv6 root addresses"), elapsed time. A timer thread redraws it several times a second, so a
 * slow server shows as a clock that keeps running, not as a frozen line; it is erased when the
 * trace ends (or while other output is written), so it never reaches a file or a pipe and
 * never stays on the screen. The trace's callbacks only update counts under the lock. */
#include "gluetrace/output/render.h"

#include "gluetrace/base/array.h"
#include "gluetrace/base/clock.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/** A trace shorter than this shows no progress line at all (no flicker on fast traces). */
#define GT_PROGRESS_DELAY_MS 300
/** Least time between two redraws made by the trace's own callbacks. */
#define GT_PROGRESS_INTERVAL_MS 100
/** The timer's period: at least 4 redraws a second while the trace waits. */
#define GT_PROGRESS_TICK_MS 200

/** What one running trace (one name in bulk mode) waits on, as of its last event. */
typedef struct waiting {
    const gt_result *r; /**< the trace's result (identifies it; never read outside a callback) */
    size_t pending;     /**< its queries in flight */
    char what[160];     /**< "13 IPv6 root addresses", "2 addresses of lame.test." */
} waiting;

struct gt_progress {
    FILE *out;             /**< the terminal (borrowed) */
    gt_trace_hooks next;   /**< the observer we wrap */
    gt_trace_hooks *hooks; /**< the caller's hooks, restored by gt_progress_end() */
    double t0;             /**< start, ms on the monotonic clock */
    double last;           /**< last redraw, ms */
    unsigned delay_ms;     /**< show only after this long */
    size_t done;           /**< queries that got an outcome */
    waiting *w;            /**< per running trace */
    size_t nw, capw;       /**< used, allocated */
    bool shown;            /**< a line is on the screen */
    bool suspended;        /**< gt_progress_suspend(): draw nothing */
    bool stop;             /**< the timer thread should end */
    bool thread;           /**< the timer thread runs */
    pthread_t th;          /**< the timer thread */
    pthread_mutex_t mu;    /**< guards everything above once the thread runs */
    pthread_cond_t cv;     /**< wakes the timer thread to stop */
};

static void erase(gt_progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
        p->shown = false;
    }
}

/* Recount what trace @p r waits on: its queries in flight, and the zone most of them are to. */
static void update(gt_progress *p, const gt_result *r)
{
    waiting *w = NULL;
    for (size_t i = 0; i < p->nw && w == NULL; i++) {
        w = p->w[i].r == r ? &p->w[i] : NULL;
    }
    if (w == NULL) {
        if (!gt_array_reserve((void **)&p->w, &p->capw, p->nw, sizeof(*p->w))) {
            return; /* the line just says less */
        }
        w = &p->w[p->nw++];
        w->r = r;
    }
    w->pending = 0;
    w->what[0] = '\0';
    const gt_query *top = NULL;
    size_t top_n = 0, v4 = 0, v6 = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->outcome != GT_OUT_PENDING || q->cached_from != 0 || q->from_session) {
            continue;
        }
        w->pending++;
        if (top != NULL && gt_name_eq(&top->zone, &q->zone)) {
            top_n++;
            v4 += q->addr.family == AF_INET;
            v6 += q->addr.family != AF_INET;
        } else if (top == NULL || top_n <= 1) {
            top = q;
            top_n = 1;
            v4 = q->addr.family == AF_INET;
            v6 = q->addr.family != AF_INET;
        }
    }
    if (top == NULL) {
        return;
    }
    char z[GT_NAME_STRLEN];
    const char *fam = v4 == 0 ? "IPv6 " : v6 == 0 ? "IPv4 " : "";
    if (top->zone.len == 1) {
        snprintf(w->what, sizeof(w->what), "%zu %sroot %s", top_n, fam,
                 top_n == 1 ? "address" : "addresses");
    } else {
        snprintf(w->what, sizeof(w->what), "%zu %s%s of %s", top_n, fam,
                 top_n == 1 ? "address" : "addresses", gt_name_str(&top->zone, z, sizeof(z)));
    }
    if (w->pending > top_n) {
        size_t len = strlen(w->what);
        snprintf(w->what + len, sizeof(w->what) - len, " and %zu more", w->pending - top_n);
    }
}

/* Draw the line (lock held). */
static void draw(gt_progress *p, double t)
{
    size_t pending = 0, running = 0;
    const char *what = "";
    for (size_t i = 0; i < p->nw; i++) {
        pending += p->w[i].pending;
        if (p->w[i].pending > 0) {
            running++;
            if (what[0] == '\0') {
                what = p->w[i].what;
            }
        }
    }
    char line[512];
    /* elapsed time first: a narrow terminal cuts the end of the line, never the clock */
    int n = snprintf(line, sizeof(line), "gluetrace %.1f s: ", (t - p->t0) / 1000.0);
    if (n > 0 && (size_t)n < sizeof(line) && p->nw > 1) { /* bulk: how many names wait */
        n += snprintf(line + n, sizeof(line) - (size_t)n, "%zu %s waiting, ", running,
                      running == 1 ? "name" : "names");
    }
    if (n > 0 && (size_t)n < sizeof(line)) {
        n += snprintf(line + n, sizeof(line) - (size_t)n, "%zu queries done, %zu in flight",
                      p->done, pending);
    }
    if (n > 0 && (size_t)n < sizeof(line) && what[0] != '\0') {
        snprintf(line + n, sizeof(line) - (size_t)n, " (waiting on %s%s)", what,
                 running > 1 ? ", ..." : "");
    }
    /* one row only: a wrapped line could not be erased with \r */
    size_t width = gt_text_width(p->out, false);
    if (width > 1 && strlen(line) > width - 1) {
        line[width - 1] = '\0';
    }
    fprintf(p->out, "\r\033[K%s", line);
    fflush(p->out);
    p->shown = true;
    p->last = t;
}

static void lock(gt_progress *p)
{
    if (p->thread) {
        pthread_mutex_lock(&p->mu);
    }
}

static void unlock(gt_progress *p)
{
    if (p->thread) {
        pthread_mutex_unlock(&p->mu);
    }
}

static void maybe_draw(gt_progress *p)
{
    double t = gt_clock_ms();
    if (!p->suspended && t - p->t0 >= (double)p->delay_ms &&
        t - p->last >= GT_PROGRESS_INTERVAL_MS) {
        draw(p, t);
    }
}

static void on_send(void *arg, const gt_result *r, const gt_query *q)
{
    gt_progress *p = arg;
    lock(p);
    update(p, r);
    if (p->next.on_send != NULL) {
        p->next.on_send(p->next.arg, r, q);
    }
    maybe_draw(p);
    unlock(p);
}

static void on_query(void *arg, const gt_result *r, const gt_query *q)
{
    gt_progress *p = arg;
    lock(p);
    p->done++;
    update(p, r);
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
    maybe_draw(p);
    unlock(p);
}

/* The timer: redraw every tick, so the elapsed time runs while nothing arrives. */
static void *ticker(void *arg)
{
    gt_progress *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + GT_PROGRESS_TICK_MS * 1000000L;
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        double t = gt_clock_ms();
        if (!p->stop && !p->suspended && t - p->t0 >= (double)p->delay_ms) {
            draw(p, t);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
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
    p->t0 = gt_clock_ms();
    p->last = -1e9;
    p->delay_ms = delay_ms;
    if (pthread_mutex_init(&p->mu, NULL) == 0) {
        if (pthread_cond_init(&p->cv, NULL) == 0) {
            /* signals (Ctrl-C) go to the tracing thread, whose poll they must interrupt */
            sigset_t all, old;
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &all, &old);
            p->thread = pthread_create(&p->th, NULL, ticker, p) == 0;
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            if (!p->thread) {
                pthread_cond_destroy(&p->cv);
                pthread_mutex_destroy(&p->mu);
            }
        } else {
            pthread_mutex_destroy(&p->mu);
        }
    }
    /* without the thread the line is still redrawn as queries are sent and complete */
    hooks->on_query = on_query;
    hooks->on_send = on_send;
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

void gt_progress_suspend(gt_progress *p)
{
    if (p != NULL) {
        lock(p);
        p->suspended = true;
        erase(p);
        unlock(p);
    }
}

void gt_progress_resume(gt_progress *p)
{
    if (p != NULL) {
        lock(p);
        p->suspended = false;
        p->last = 0; /* redraw at the next event or tick */
        unlock(p);
    }
}

void gt_progress_end(gt_progress *p)
{
    if (p == NULL) {
        return;
    }
    if (p->thread) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->th, NULL);
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
    }
    erase(p);
    *p->hooks = p->next;
    free(p->w);
    free(p);
}
