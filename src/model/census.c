#include "gluetrace/model/census.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const char *gt_census_verdict_str(gt_census_verdict v)
{
    switch (v) {
    case GT_CV_CURRENT:
        return "current";
    case GT_CV_FOLLOWS_PARENT:
        return "follows-parent";
    case GT_CV_FOLLOWS_CHILD:
        return "follows-child";
    case GT_CV_FAILED:
        return "failed";
    case GT_CV_STALE:
        return "stale";
    case GT_CV_GHOST:
        return "ghost";
    }
    return "?";
}

const char *gt_datum_kind_str(gt_datum_kind k)
{
    switch (k) {
    case GT_DATUM_ANSWER:
        return "answer";
    case GT_DATUM_NS:
        return "ns";
    case GT_DATUM_ADDR:
        return "address";
    }
    return "?";
}

void gt_census_free(gt_census *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < c->nresolvers; i++) {
        free(c->resolvers[i].data);
    }
    free(c->resolvers);
    free(c);
}

const char *gt_census_utc(double t, double ref, char *buf, size_t size)
{
    time_t s = (time_t)(t + 0.5), r = (time_t)(ref + 0.5);
    struct tm tm, tr;
    if (gmtime_r(&s, &tm) == NULL || gmtime_r(&r, &tr) == NULL) {
        snprintf(buf, size, "?");
        return buf;
    }
    bool same_day = tm.tm_year == tr.tm_year && tm.tm_yday == tr.tm_yday;
    if (strftime(buf, size, same_day ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm) == 0) {
        snprintf(buf, size, "?");
    }
    return buf;
}
