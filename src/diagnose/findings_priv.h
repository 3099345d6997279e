/*
 * Helpers shared by the findings checks (findings.c, findings_deleg.c, findings_resolver.c):
 * small sets of addresses and NS names, text helpers and answer summaries. Private to
 * src/diagnose; every function reads the result only.
 */
#ifndef GLUETRACE_FINDINGS_PRIV_H
#define GLUETRACE_FINDINGS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/array.h"
#include "gluetrace/dns/bailiwick.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/* Small sets without duplicates, kept in plain arrays: the same three operations serve the
 * address sets and the NS-name sets below. */
typedef bool (*item_eq)(const void *x, const void *y);

/** Most addresses compared in one address set. */
#define GT_MAX_SET 64

/** A small set of addresses (glue, sub-trace or resolver answers for one name and type). */
typedef struct addrset {
    gt_addr a[GT_MAX_SET];
    size_t n;
} addrset;

/** Most NS names compared on each side of a delegation. */
#define GT_MAX_NSSET (GT_MAX_NS_PER_REFERRAL * 2)

/** A set of NS names (one side of a delegation). */
typedef struct nsset {
    gt_name n[GT_MAX_NSSET];
    size_t len;
} nsset;

/* Add a finding to the result, or return GT_ENOMEM from the calling check. */
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (gt_result_add_finding(__VA_ARGS__) != GT_OK) {                                         \
            return GT_ENOMEM;                                                                      \
        }                                                                                          \
    } while (0)

/* Equality of two gt_addr items (for the set operations). */
bool fd_addr_item_eq(const void *x, const void *y);

/* Equality of two gt_name items, case-insensitive (for the set operations). */
bool fd_name_item_eq(const void *x, const void *y);

/* Index of @p x among the @p n items of @p size bytes at @p items; @p n when absent. */
size_t fd_find_item(const void *items, size_t n, size_t size, const void *x, item_eq eq);

/* Add @p x unless it is there already or the set holds @p cap items. */
void fd_add_item(void *items, size_t *n, size_t cap, size_t size, const void *x, item_eq eq);

/* The same members (neither set holds a duplicate). */
bool fd_same_items(const void *a, size_t na, const void *b, size_t nb, size_t size, item_eq eq);

/* Add an address to a set (no duplicates; capped at GT_MAX_SET). */
void fd_set_add(addrset *s, const gt_addr *a);

/* Two address sets with the same members. */
bool fd_set_eq(const addrset *x, const addrset *y);

/* Append printf-style at *len; a cut fills the buffer and leaves the text cut there. */
void fd_cat(char *buf, size_t size, size_t *len, const char *fmt, ...) GT_PRINTF(4, 5);

/* "a, b, c" (or "none") for an address set into @p buf; returns @p buf. */
const char *fd_set_str(const addrset *s, char *buf, size_t size);

/* A name in presentation form into @p buf; returns @p buf. */
const char *fd_nm(const gt_name *n, char *buf, size_t size);

/* Trace kinds whose referrals the engine follows (main, sub-trace, CNAME). */
bool fd_follows(gt_trace_kind k);

/* The kind of the trace query @p q belongs to. */
gt_trace_kind fd_kind_of(const gt_result *r, const gt_query *q);

/* An authoritative final reply: data, alias, or a negative answer. */
bool fd_is_final(gt_outcome o);

/* A or AAAA. */
bool fd_is_addr_type(uint16_t t);

/* Addresses of type @p type owned by @p owner in a reply's answer section. */
void fd_answer_addrs(const gt_result *r, const gt_query *q, const gt_name *owner, uint16_t type,
                     addrset *out);

/* The same answer: equal outcome and equal records that answer (TTLs and order aside). */
bool fd_answers_eq(const gt_query *x, const gt_query *y);

/* "TYPE data" of one record into @p buf. */
const char *fd_rr_brief(const gt_rr *rr, char *buf, size_t size);

/* The records that answer in @p q's reply, sorted, as one line into @p buf. */
const char *fd_answer_str(const gt_query *q, char *buf, size_t size);

/* qsort comparison of two C strings (through pointers). */
int fd_cmp_str(const void *a, const void *b);

/* The final RRset of @p q's answer (after its aliases), sorted, into @p buf. */
const char *fd_final_str(const gt_query *q, char *buf, size_t size);

/* Add an NS name to a set (no duplicates; capped at GT_MAX_NSSET). */
void fd_ns_add(nsset *s, const gt_name *x);

/* "2 timed out, 1 answered REFUSED, ..." for the queries of trace @p t to servers of @p z. */
size_t fd_what_servers_did(const gt_result *r, gt_trace_id t, const gt_name *z, char *buf,
                           size_t size);

/* The glue for @p ns of type @p type (A or AAAA) in one referral. */
void fd_glue_of(const gt_referral *ref, const gt_name *ns, uint16_t type, addrset *out);

/* The checks that live outside findings.c, in the order gt_findings_analyse runs them. */
/** GLUE_MISMATCH, NS_SET_MISMATCH, SERIAL_MISMATCH, CHECK_INCOMPLETE from the check traces. */
gt_status fd_delegation_checks(gt_result *r);
/** GLUE_MISMATCH for glue used by sub-traces and sibling glue, against the owning zone. */
gt_status fd_glue_elsewhere(gt_result *r);
/** NO_ADDRESS for NS names whose sub-trace found no address. */
gt_status fd_no_address(gt_result *r);
/** The --compare-resolver findings (STALE_RESOLVER_ADDRESS, RESOLVER_*). */
gt_status fd_resolver(gt_result *r);
/** The resolver census (census.c): r->census and its findings. */
gt_status fd_census(gt_result *r, const gt_config *cfg);

#endif
