/*
 * The resolver census in the outputs: the text table and the JSON array. Only prints what
 * diagnosis put in gt_result.census.
 */
#include "gluetrace/output/census.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gluetrace/wire/rrtype.h"

static const char *ttl_str(const gt_census_datum *d, char *buf, size_t size)
{
    if (d == NULL || !d->has_ttl) {
        snprintf(buf, size, "-");
    } else if (d->ttl_min == d->ttl_max) {
        snprintf(buf, size, "%u s", d->ttl_min);
    } else {
        snprintf(buf, size, "%u-%u s", d->ttl_min, d->ttl_max);
    }
    return buf;
}

static const char *until_str(const gt_census *c, const gt_census_datum *d, char *buf, size_t size)
{
    char a[32], b[32];
    if (d == NULL || !d->has_ttl) {
        snprintf(buf, size, "-");
    } else if ((long)(d->expires_max + 0.5) == (long)(d->expires_min + 0.5)) {
        snprintf(buf, size, "until %s UTC", gt_census_utc(d->expires_max, c->asked_at, a, 32));
    } else {
        snprintf(buf, size, "until %s-%s UTC", gt_census_utc(d->expires_min, c->asked_at, a, 32),
                 gt_census_utc(d->expires_max, c->asked_at, b, 32));
    }
    return buf;
}

/* snprintf into @p buf: a line cut at @p size is still a line (long names and data). */
GT_PRINTF(3, 4) static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* "NAME TYPE holds X, authoritative Y" (or the failure's reason) of datum @p d. */
static void what_str(const gt_census_datum *d, char *buf, size_t size)
{
    char n[GT_NAME_STRLEN], t[16];
    gt_name_to_str(&d->name, n, sizeof(n));
    gt_type_to_str(d->qtype, t, sizeof(t));
    if (d->verdict == GT_CV_FAILED) {
        say(buf, size, "%s %s: %s", n, t, d->reason);
    } else {
        say(buf, size, "%s %s %s; authoritative: %s%s%s", n, t, d->holds, d->authoritative,
            d->served_stale ? " (served stale)" : "",
            d->ttl_exceeds ? " (TTL above authoritative)" : "");
    }
}

void gt_census_print(FILE *out, const gt_census *c, bool verbose)
{
    char a[GT_ADDR_STRLEN + 24], ttl[32], until[80], what[2 * GT_CENSUS_TEXT + 600], at[32];
    fprintf(out, "Resolver census: %zu resolver%s asked at %s UTC, %zu stale or ghost\n",
            c->nresolvers, c->nresolvers == 1 ? "" : "s",
            gt_census_utc(c->asked_at, c->asked_at, at, sizeof(at)), c->stale);
    fprintf(out, "  %-34s %-14s %-10s %-28s %s\n", "resolver", "verdict", "TTL left", "until",
            "what differs");
    for (size_t i = 0; i < c->nresolvers; i++) {
        const gt_census_resolver *row = &c->resolvers[i];
        char addr[GT_ADDR_STRLEN];
        gt_addr_to_str(&row->addr, addr, sizeof(addr));
        if (row->set[0] != '\0') {
            snprintf(a, sizeof(a), "%s (%s)", addr, row->set);
        } else {
            snprintf(a, sizeof(a), "%s", addr);
        }
        const gt_census_datum *d =
            row->data != NULL && row->worst < row->ndata ? &row->data[row->worst] : NULL;
        if (!row->asked) {
            fprintf(out, "  %-34s %-14s %-10s %-28s %s\n", a, "-", "-", "-",
                    "not asked (address family skipped)");
            continue;
        }
        if (d != NULL) {
            what_str(d, what, sizeof(what));
        } else {
            snprintf(what, sizeof(what), "-");
        }
        fprintf(out, "  %-34s %-14s %-10s %-28s %s\n", a, gt_census_verdict_str(row->verdict),
                ttl_str(d, ttl, sizeof(ttl)), until_str(c, d, until, sizeof(until)), what);
        for (size_t j = 0; verbose && row->data != NULL && j < row->ndata; j++) {
            const gt_census_datum *x = &row->data[j];
            what_str(x, what, sizeof(what));
            fprintf(out, "      %-8s %-14s %-10s %-28s %s\n", gt_datum_kind_str(x->kind),
                    gt_census_verdict_str(x->verdict), ttl_str(x, ttl, sizeof(ttl)),
                    until_str(c, x, until, sizeof(until)), what);
        }
    }
}

static json_t *iso(double t)
{
    char buf[32];
    time_t s = (time_t)(t + 0.5);
    struct tm tm;
    if (gmtime_r(&s, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        return json_null();
    }
    return json_string(buf);
}

static json_t *jdatum(const gt_census_datum *d)
{
    char n[GT_NAME_STRLEN], t[16], z[GT_NAME_STRLEN];
    gt_name_to_str(&d->name, n, sizeof(n));
    gt_name_to_str(&d->zone, z, sizeof(z));
    gt_type_to_str(d->qtype, t, sizeof(t));
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:b}", "kind",
                          gt_datum_kind_str(d->kind), "name", n, "type", t, "zone", z, "verdict",
                          gt_census_verdict_str(d->verdict), "holds", d->holds, "authoritative",
                          d->authoritative, "reason", d->reason, "samples", (json_int_t)d->samples,
                          "query", (json_int_t)d->query, "served_stale", d->served_stale,
                          "ttl_above_authoritative", d->ttl_exceeds);
    if (o == NULL) {
        return NULL;
    }
    if (d->has_ttl) {
        json_object_set_new(
            o, "ttl",
            json_pack("{s:I, s:I}", "min", (json_int_t)d->ttl_min, "max", (json_int_t)d->ttl_max));
        json_object_set_new(
            o, "expires",
            json_pack("{s:o, s:o}", "min", iso(d->expires_min), "max", iso(d->expires_max)));
    } else {
        json_object_set_new(o, "ttl", json_null());
        json_object_set_new(o, "expires", json_null());
    }
    json_object_set_new(o, "authoritative_ttl",
                        d->has_auth_ttl ? json_integer(d->auth_ttl) : json_null());
    json_object_set_new(o, "ede", d->has_ede ? json_integer(d->ede) : json_null());
    return o;
}

json_t *gt_census_json(const gt_census *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < c->nresolvers; i++) {
        const gt_census_resolver *row = &c->resolvers[i];
        char addr[GT_ADDR_STRLEN];
        gt_addr_to_str(&row->addr, addr, sizeof(addr));
        json_t *data = json_array();
        for (size_t j = 0; data != NULL && j < row->ndata; j++) {
            json_array_append_new(data, jdatum(&row->data[j]));
        }
        json_t *o =
            json_pack("{s:s, s:o, s:s, s:b, s:I, s:o, s:o, s:o}", "address", addr, "set",
                      row->set[0] ? json_string(row->set) : json_null(), "verdict",
                      gt_census_verdict_str(row->verdict), "asked", row->asked, "queries",
                      (json_int_t)row->queries, "worst",
                      row->worst != SIZE_MAX ? json_integer((json_int_t)row->worst) : json_null(),
                      "asked_at", iso(c->asked_at), "data", data != NULL ? data : json_array());
        json_array_append_new(arr, o);
    }
    return arr;
}
