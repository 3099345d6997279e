/**
 * @file config.h
 * @brief Typed run configuration, filled from the command line by cli.c.
 */
#ifndef GLUETRACE_CONFIG_H
#define GLUETRACE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/model/codes.h"
#include "gluetrace/wire/wire.h"

/** Default per-try timeout in milliseconds. */
#define GT_DEFAULT_TIMEOUT_MS 2000
/** Default number of retries after the first try. */
#define GT_DEFAULT_RETRIES 1
/** Largest --timeout (ms): a wait for one try; a query ends after timeout x (retries + 1). */
#define GT_MAX_TIMEOUT_MS 30000
/** Largest --retries: with GT_MAX_TIMEOUT_MS, 3 minutes for one silent address at most. */
#define GT_MAX_RETRIES 5
/** Default query budget for a whole run. */
#define GT_DEFAULT_MAX_QUERIES 1000
/** Default number of names traced at once with -f. */
#define GT_DEFAULT_CONCURRENCY 32
/** Default --rate: bulk queries per second per server network (docs/bulk.md says why). */
#define GT_DEFAULT_RATE 180
/** Default --total-rate: bulk queries per second in total. */
#define GT_DEFAULT_TOTAL_RATE 2000
/** Default EDNS UDP payload size (the DNS flag day 2020 value). */
#define GT_DEFAULT_BUFSIZE 1232
/** Largest EDNS UDP payload size we advertise: c-ares 1.18 reads UDP replies into 4096 bytes. */
#define GT_MAX_BUFSIZE 4096

/** Most --vs-dig files one run compares (each may hold several dig +trace runs). */
#define GT_CFG_MAX_VS_DIG 64
/** Most resolvers one run compares (--compare-resolver, after the named sets are expanded). */
#define GT_MAX_RESOLVERS 32
/** Largest --samples: each resolver is asked each census question at most this often. */
#define GT_MAX_SAMPLES 10

/** One resolver to compare (--compare-resolver). */
typedef struct gt_resolver_spec {
    gt_addr addr; /**< its address (port 53); family 0 for a "system" entry not read yet */
    char set[16]; /**< the name it was given by: "system", "google", "cloudflare", "quad9",
                       "opendns", or "" for an address given as such */
} gt_resolver_spec;

/** Output formats. */
typedef enum {
    GT_FMT_TEXT,  /**< readable tree (default) */
    GT_FMT_JSON,  /**< one JSON object (docs/json.md) */
    GT_FMT_JSONL, /**< one JSON object per query as it completes, then a summary object */
    GT_FMT_DOT,   /**< Graphviz digraph */
    GT_FMT_DIG,   /**< laid out like dig +trace, with provenance comments */
    GT_FMT_SHORT, /**< --short: the final answer's RDATA, one line per record (dig +short) */
} gt_format;

/** When to colour text output. */
typedef enum { GT_COLOR_AUTO, GT_COLOR_ALWAYS, GT_COLOR_NEVER } gt_color;

/** Everything a run needs to know. Plain value; strings are borrowed from argv. */
typedef struct gt_config {
    gt_name qname;          /**< the name to trace */
    uint16_t qtype;         /**< its type */
    const char *hints_file; /**< root hints file, NULL for the built-in hints */
    bool have_server;       /**< -s given */
    gt_addr server;         /**< -s address (source "user") */
    int family;             /**< AF_UNSPEC, or AF_INET / AF_INET6 for -4 / -6 */
    gt_addr source4;        /**< -S: IPv4 queries leave from this address (family 0: not given,
                                 the kernel chooses) */
    gt_addr source6;        /**< -S: IPv6 queries leave from this address (family 0: not given) */
    bool one_path;          /**< --one: one server per zone cut */
    bool tcp;               /**< --tcp: every query over TCP */
    bool edns;              /**< false with --no-edns */
    uint16_t bufsize;       /**< EDNS UDP payload size */
    unsigned timeout_ms;    /**< per-try timeout */
    unsigned retries;       /**< extra tries */
    unsigned max_queries;   /**< network query budget for the run */
    bool no_cache;          /**< --no-cache: never reuse a referral from the same server */
    bool no_checks;         /**< --no-checks: skip the delegation checks (child NS/glue) */
    gt_format format;       /**< output format */
    bool verbose;           /**< also print every response's records */
    bool quiet;             /**< text: only answers and findings */
    gt_color color;         /**< --color */
    bool strict;            /**< --strict: warnings count as errors for the exit code */
    bool compare_resolver;  /**< --compare-resolver: also ask resolvers (RD=1), the census */
    gt_resolver_spec resolvers[GT_MAX_RESOLVERS]; /**< the resolvers to ask, in the order given */
    size_t nresolvers;        /**< entries in @ref resolvers (0 with compare_resolver: every
                                   nameserver of resolv.conf, read by main) */
    unsigned samples;         /**< --samples: times each resolver is asked each question (1) */
    bool watch;               /**< --watch: repeat the census until every resolver is current */
    unsigned watch_s;         /**< --watch=SECONDS between censuses; 0: from the TTLs */
    unsigned watch_max_s;     /**< --watch-max: give up after this many seconds */
    const char *vs_dig;       /**< --vs-dig FILE ("-" for stdin), NULL when not given; the first
                                   of @ref vs_digs */
    const char *names_file;   /**< -f FILE: trace every name in it (bulk), NULL when not given */
    unsigned concurrency;     /**< --concurrency: names traced at once in bulk mode */
    gt_code explain;          /**< --explain CODE: the code to document (GT_CLI_EXPLAIN) */
    bool dot_checks;          /**< --dot-checks: -o dot also draws the delegation checks */
    bool dnssec;              /**< DNSSEC on (default): DO=1, DNSKEY queries, validation; false
                                   with --no-dnssec (--no-edns implies no DO bit) */
    const char *trust_anchor; /**< --trust-anchor FILE, NULL when not given */
    const gt_rr *anchors;     /**< the trust anchors the run validates against (DS or DNSKEY
                                   records of the root): from --trust-anchor, else the built-in
                                   IANA anchors when the trace starts from the built-in hints;
                                   borrowed (main owns them); NULL when none applies */
    size_t nanchors;          /**< entries in @ref anchors (0: every cut is indeterminate) */
    unsigned shard_index;     /**< --shard I/N: I, from 0 to N - 1 */
    unsigned shard_count;     /**< --shard I/N: N; 0 when not given (every name) */
    unsigned shard_labels;    /**< --shard-by: 0 by the whole name, K by its last K labels */
    const char *resume;       /**< --resume FILE: skip names with a finished line in FILE */
    unsigned rate;            /**< --rate: bulk queries/s per server network; 0: no cap */
    unsigned total_rate;      /**< --total-rate: bulk queries/s in total; 0: no cap */

    const char *vs_digs[GT_CFG_MAX_VS_DIG]; /**< every --vs-dig FILE, in order */
    size_t nvs_digs;                        /**< entries in @ref vs_digs */
} gt_config;

/** Set every field to its documented default (qname root, type A). */
void gt_config_defaults(gt_config *cfg);

#endif
