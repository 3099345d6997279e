/**
 * @file hints.h
 * @brief Root hints: the built-in IANA list and a parser for named.root-style files.
 */
#ifndef GLUETRACE_HINTS_H
#define GLUETRACE_HINTS_H

#include <stddef.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"
#include "gluetrace/wire/wire.h"

/** Upper bound on root server names accepted from a hints file. */
#define GT_MAX_HINT_SERVERS 64
/** Upper bound on addresses per hinted server. */
#define GT_MAX_HINT_ADDRS 8

/** One root server from the hints: its name and its addresses. */
typedef struct gt_hint_server {
    gt_name name;
    gt_addr addrs[GT_MAX_HINT_ADDRS];
    size_t naddrs;
} gt_hint_server;

/** A root hints set. Plain value type, no allocation. */
typedef struct gt_hints {
    gt_hint_server servers[GT_MAX_HINT_SERVERS];
    size_t nservers;
} gt_hints;

/** Fill @p out with the built-in current IANA root hints (13 servers, A and AAAA). */
void gt_hints_builtin(gt_hints *out);

/**
 * Parse hints in zone-file layout (named.root): lines "OWNER [TTL] [IN] TYPE RDATA" with
 * TYPE NS (owner must be "."), A or AAAA; ';' starts a comment; blank lines ignored;
 * $TTL lines accepted and ignored. Every NS name must have at least one address, addresses
 * for names that are not NS targets are an error.
 * @param text NUL-terminated file contents
 * @param err on failure a one-line message ("line 7: bad IPv4 address '1.2.3'")
 * @return GT_OK, GT_EINVAL (with @p err filled) or GT_ELIMIT (too many servers/addresses)
 */
gt_status gt_hints_parse(const char *text, gt_hints *out, char *err, size_t errlen);

/**
 * Read and parse a hints file (at most 1 MiB).
 * @return GT_OK, GT_EIO (cannot read; err filled) or as gt_hints_parse()
 */
gt_status gt_hints_load(const char *path, gt_hints *out, char *err, size_t errlen);

#endif
