/*
 * --watch: the census again and again; one line per change (Today people run
 * `watch dig @8.8.8.8 ...`).
 */
#include "gluetrace/output/watch.h"

#include <stdlib.h>
#include <string.h>

#include "gluetrace/output/census.h"
#include "gluetrace/wire/rrtype.h"

/** Most resolvers remembered (GT_MAX_RESOLVERS of the config). */
#define WATCH_MAX 64

struct gt_watch {
    bool first;                                      /* nothing taken yet */
    gt_addr addr[WATCH_MAX];                         /* each resolver */
    gt_census_verdict verdict[WATCH_MAX];            /* its last verdict */
    char holds[WATCH_MAX][2 * GT_NAME_STRLEN + 160]; /* what its worst datum held */
    size_t n;
};

gt_watch *gt_watch_new(void)
{
    gt_watch *w = calloc(1, sizeof(*w));
    if (w != NULL) {
        w->first = true;
    }
    return w;
}

void gt_watch_free(gt_watch *w)
{
    free(w);
}

static bool settled(gt_census_verdict v)
{
    return v == GT_CV_CURRENT || v == GT_CV_FOLLOWS_CHILD || v == GT_CV_FOLLOWS_PARENT;
}

bool gt_watch_step(gt_watch *w, FILE *out, const gt_census *c)
{
    char at[32], a[GT_ADDR_STRLEN], n[GT_NAME_STRLEN], t[16];
    bool all = true;
    gt_census_utc(c->asked_at, c->asked_at, at, sizeof(at));
    if (w->first) {
        gt_census_print(out, c, false);
    }
    for (size_t i = 0; i < c->nresolvers; i++) {
        const gt_census_resolver *row = &c->resolvers[i];
        const gt_census_datum *d = row->worst != SIZE_MAX ? &row->data[row->worst] : NULL;
        char holds[2 * GT_NAME_STRLEN + 160];
        if (d != NULL) {
            gt_name_to_str(&d->name, n, sizeof(n));
            gt_type_to_str(d->qtype, t, sizeof(t));
            snprintf(holds, sizeof(holds), "%s %s %.100s", n, t,
                     d->verdict == GT_CV_FAILED ? d->reason : d->holds);
        } else {
            snprintf(holds, sizeof(holds), "-");
        }
        all &= !row->asked || settled(row->verdict);
        size_t k = 0;
        while (k < w->n && !gt_addr_eq(&w->addr[k], &row->addr)) {
            k++;
        }
        if (k == w->n) {
            if (w->n >= WATCH_MAX) {
                continue;
            }
            w->addr[w->n++] = row->addr;
            w->verdict[k] = row->verdict;
            snprintf(w->holds[k], sizeof(w->holds[k]), "%s", holds);
            continue;
        }
        if (w->verdict[k] != row->verdict || strcmp(w->holds[k], holds) != 0) {
            fprintf(out, "%s UTC  %-22s %s -> %s  %s\n", at,
                    gt_addr_to_str(&row->addr, a, sizeof(a)), gt_census_verdict_str(w->verdict[k]),
                    gt_census_verdict_str(row->verdict), d != NULL ? holds : "");
            w->verdict[k] = row->verdict;
            snprintf(w->holds[k], sizeof(w->holds[k]), "%s", holds);
        }
    }
    w->first = false;
    if (all) {
        fprintf(out, "%s UTC  every resolver is current\n", at);
    }
    return all;
}

unsigned gt_watch_interval(const gt_census *c, unsigned given, double now)
{
    if (given != 0) {
        return given;
    }
    double next = 0;
    for (size_t i = 0; i < c->nresolvers; i++) {
        const gt_census_resolver *row = &c->resolvers[i];
        for (size_t j = 0; j < row->ndata; j++) {
            const gt_census_datum *d = &row->data[j];
            if (d->has_ttl && !settled(d->verdict) && d->verdict != GT_CV_FAILED &&
                (next == 0 || d->expires_min < next)) {
                next = d->expires_min;
            }
        }
    }
    double wait = next > 0 ? next - now + 1 : 0;
    return wait < GT_WATCH_MIN_INTERVAL ? GT_WATCH_MIN_INTERVAL : (unsigned)(wait + 0.5);
}
