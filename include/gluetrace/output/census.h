/**
 * @file census.h
 * @brief The resolver census in the outputs: the text table (one row per resolver) and the
 *        JSON `resolvers` array (docs/json.md).
 */
#ifndef GLUETRACE_OUTPUT_CENSUS_H
#define GLUETRACE_OUTPUT_CENSUS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "gluetrace/model/census.h"

/**
 * Print the census table: a header line, one row per resolver (verdict, remaining TTL, "until
 * HH:MM:SS UTC", what it holds that differs), and with @p verbose every datum of each resolver.
 * Errors are left in @p out's error flag.
 */
void gt_census_print(FILE *out, const gt_census *c, bool verbose);

/** The JSON `resolvers` array: caller owns the reference. NULL when out of memory. */
json_t *gt_census_json(const gt_census *c);

#endif
