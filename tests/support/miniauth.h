/*
 * Test helper: a tiny authoritative DNS "world" for engine scenarios over the scripted
 * transport. Described by lines:
 *   "@ADDR ZONE"            ADDR serves ZONE; following record lines belong to that zone
 *   "OWNER TYPE RDATA"      a record (TTL 3600)
 *   "!ADDR FLAG"            server behaviour: drop (never answers), refuse (REFUSED),
 *                           servfail, noaa (answers without AA), tc (TC=1 over UDP, empty),
 *                           unreachable (port unreachable)
 * DS, DNSKEY, RRSIG, NSEC and NSEC3 records are read by the dnssec layer's presentation
 * reader (RRSIG lines start with the type covered: "OWNER RRSIG A 13 ..."); to a DO=1 query a
 * referral carries the DS set and an answer its records, each followed by the RRSIGs of the
 * zone that cover it (nothing is signed here: the RRSIGs are whatever the world says).
 * Answers like a real authoritative server: the deepest zone it serves that covers the name;
 * a referral (NS in AUTHORITY, address records of the NS names from any zone it serves in
 * ADDITIONAL) at a cut below its apex; otherwise answer / CNAME / NODATA / NXDOMAIN with AA.
 * An address that serves nothing answers REFUSED.
 */
#ifndef GLUETRACE_TEST_MINIAUTH_H
#define GLUETRACE_TEST_MINIAUTH_H

#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/engine/trace.h"
#include "scripted.h"

typedef struct mini mini;

/** Build a world from NULL-terminated lines; aborts on a bad line. */
mini *mini_create(const char *const *lines);
/** scr_responder for scr_create(mini_respond, world). */
gt_status mini_respond(void *user, const scr_query *q, tb_msg *m);
void mini_destroy(mini *w);

/** A trace run against a world, with what it needs freed together. */
typedef struct mini_run {
    gt_result *r;
    scripted *s;
    mini *w;
} mini_run;

/**
 * Trace @p cfg in a fresh world built from @p world, starting from @p hints_text (a hints
 * file's text); @p hooks may be NULL. Aborts the test program on bad hints or when the engine
 * returned no result at all. The result is diagnosed (gt_diagnose()) as the CLI does.
 * @return gt_trace_run()'s status, or gt_diagnose()'s when the run was GT_OK
 */
gt_status mini_trace(const char *const *world, const char *hints_text, const gt_config *cfg,
                     const gt_trace_hooks *hooks, mini_run *out);

/** Free a mini_trace() run. */
void mini_run_free(mini_run *x);

#endif
