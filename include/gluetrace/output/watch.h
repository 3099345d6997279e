/**
 * @file watch.h
 * @brief --watch: the census repeated, one line per resolver whose verdict changed.
 */
#ifndef GLUETRACE_OUTPUT_WATCH_H
#define GLUETRACE_OUTPUT_WATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "gluetrace/model/census.h"

/** Shortest automatic --watch interval (seconds). */
#define GT_WATCH_MIN_INTERVAL 10
/** Default --watch-max (seconds). */
#define GT_WATCH_DEFAULT_MAX 3600

/** What the last census said of each resolver. Create with gt_watch_new(). */
typedef struct gt_watch gt_watch;

/** @return a new watch (caller frees with gt_watch_free()), or NULL when out of memory */
gt_watch *gt_watch_new(void);
/** Free; NULL accepted. */
void gt_watch_free(gt_watch *w);

/**
 * Take one census: the first is printed whole (gt_census_print()); later ones print one line
 * per resolver whose verdict or held data changed, stamped with the census time.
 * @return true when every resolver asked is current (or follows one side of a parent/child
 *         difference): the watch is over
 */
bool gt_watch_step(gt_watch *w, FILE *out, const gt_census *c);

/**
 * Seconds until the next census: @p given when not 0, else until the earliest expiry of data
 * that is not current (plus 1 s), at least GT_WATCH_MIN_INTERVAL.
 */
unsigned gt_watch_interval(const gt_census *c, unsigned given, double now);

#endif
