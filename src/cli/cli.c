#include "gluetrace/cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gluetrace/base/log.h"
#include "gluetrace/base/parse.h"
#include "gluetrace/cli/bulkin.h"
#include "gluetrace/cli/resolvconf.h"

void gt_config_defaults(gt_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    gt_name_root(&cfg->qname);
    cfg->qtype = GT_TYPE_A;
    cfg->family = AF_UNSPEC;
    cfg->edns = true;
    cfg->bufsize = GT_DEFAULT_BUFSIZE;
    cfg->timeout_ms = GT_DEFAULT_TIMEOUT_MS;
    cfg->retries = GT_DEFAULT_RETRIES;
    cfg->max_queries = GT_DEFAULT_MAX_QUERIES;
    cfg->format = GT_FMT_TEXT;
    cfg->concurrency = GT_DEFAULT_CONCURRENCY;
    cfg->dnssec = true;
    cfg->rate = GT_DEFAULT_RATE;
    cfg->total_rate = GT_DEFAULT_TOTAL_RATE;
    cfg->samples = 1;
    cfg->watch_max_s = 3600;
}

/* Long-only options get values above the ASCII range. */
enum {
    OPT_HINTS = 256,
    OPT_ONE,
    OPT_TCP,
    OPT_BUFSIZE,
    OPT_NO_EDNS,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_MAX_QUERIES,
    OPT_NO_CACHE,
    OPT_NO_CHECKS,
    OPT_QUIET,
    OPT_COLOR,
    OPT_STRICT,
    OPT_COMPARE,
    OPT_VS_DIG,
    OPT_CONCURRENCY,
    OPT_SHORT,
    OPT_EXPLAIN,
    OPT_DOT_CHECKS,
    OPT_NO_DNSSEC,
    OPT_TRUST_ANCHOR,
    OPT_SHARD,
    OPT_SHARD_BY,
    OPT_RESUME,
    OPT_RATE,
    OPT_TOTAL_RATE,
    OPT_SAMPLES,
    OPT_WATCH,
    OPT_WATCH_MAX,
};

/** What the option handlers share while one command line is parsed. */
typedef struct cli_state {
    gt_config *cfg;         /**< being filled */
    gt_cli_action *action;  /**< set by --help and --version */
    char *err;              /**< the one error message */
    size_t errlen;          /**< its buffer's size */
    bool type_given;        /**< -t given: a TYPE operand must agree with it */
    const char *server_arg; /**< text of the last -s or @ADDR (an @ADDR must agree), or NULL */
    bool done;              /**< --help or --version: nothing more to parse */
    bool reverse;           /**< -x ADDR gave the name: no NAME operand */
    int argc;               /**< the command line, for an option whose value is optional */
    char **argv;            /**< (--compare-resolver LIST NAME) */
} cli_state;

struct cli_opt;

/** Handles one occurrence of an option; @p arg is its value, NULL for options without one. */
typedef gt_status (*cli_fn)(cli_state *s, const struct cli_opt *o, const char *arg);

/** The range of a numeric option, and what its number is (for the error message). */
typedef struct cli_range {
    unsigned long min; /**< smallest value */
    unsigned long max; /**< largest value */
    const char *unit;  /**< "a number", "milliseconds" */
} cli_range;

/** One option of the table. */
typedef struct cli_opt {
    struct option lo;       /**< getopt_long entry: long name (NULL: short only), argument, and
                                 val, the short letter or an OPT_* value */
    cli_fn fn;              /**< its handler */
    size_t off;             /**< generic handlers: offsetof() the gt_config field they set */
    const cli_range *range; /**< set_uint: the values allowed */
} cli_opt;

static gt_status fail(cli_state *s, const char *fmt, ...) GT_PRINTF(2, 3);

static gt_status fail(cli_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, s->errlen, fmt, ap);
    va_end(ap);
    return GT_EINVAL;
}

/* A decimal number in [min, max]; nothing else (no sign, no suffix, no empty string). */
static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    unsigned long long v;
    if (gt_parse_uint(s, max, &v) != GT_OK || v < min) {
        return false;
    }
    *out = (unsigned long)v;
    return true;
}

/* ---- generic handlers: one gt_config field each, named by cli_opt.off ---- */

static void *field(cli_state *s, const cli_opt *o)
{
    return (char *)s->cfg + o->off;
}

static gt_status set_true(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)arg;
    *(bool *)field(s, o) = true;
    return GT_OK;
}

static gt_status set_false(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)arg;
    *(bool *)field(s, o) = false;
    return GT_OK;
}

static gt_status set_str(cli_state *s, const cli_opt *o, const char *arg)
{
    *(const char **)field(s, o) = arg;
    return GT_OK;
}

static gt_status set_uint(cli_state *s, const cli_opt *o, const char *arg)
{
    unsigned long v = 0;
    const cli_range *r = o->range;
    if (!parse_uint(arg, r->min, r->max, &v)) {
        return fail(s, "--%s must be %s from %lu to %lu", o->lo.name, r->unit, r->min, r->max);
    }
    *(unsigned *)field(s, o) = (unsigned)v;
    return GT_OK;
}

/* ---- handlers of their own ---- */

static gt_status opt_type(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    if (gt_type_from_str(arg, &s->cfg->qtype) != GT_OK) {
        return fail(s, "unknown query type '%s'", arg);
    }
    s->type_given = true;
    return GT_OK;
}

/* -s ADDR and dig's @ADDR; "." is the root hints (the default), like dnstracer's -s . */
static gt_status set_server(cli_state *s, const char *how, const char *arg)
{
    if (strcmp(arg, ".") == 0) {
        s->cfg->have_server = false;
    } else if (gt_addr_parse(arg, &s->cfg->server) == GT_OK) {
        s->cfg->have_server = true;
    } else {
        return fail(s,
                    "%s needs an IPv4 or IPv6 address, or '.' for the root, not '%s' (a name "
                    "would need a resolver)",
                    how, arg);
    }
    s->server_arg = arg;
    return GT_OK;
}

/* --vs-dig FILE, repeatable: every file is compared (each may hold several dig runs). */
static gt_status opt_vs_dig(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    gt_config *cfg = s->cfg;
    if (cfg->nvs_digs >= GT_CFG_MAX_VS_DIG) {
        return fail(s, "--vs-dig may be given at most %d times", GT_CFG_MAX_VS_DIG);
    }
    cfg->vs_digs[cfg->nvs_digs++] = arg;
    cfg->vs_dig = cfg->vs_digs[0];
    return GT_OK;
}

static gt_status opt_server(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    return set_server(s, "-s", arg);
}

/* -S ADDR: at most one address per family; the other family keeps the kernel's choice. */
static gt_status opt_source(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    gt_addr a;
    if (gt_addr_parse(arg, &a) != GT_OK) {
        return fail(s, "-S needs an IPv4 or IPv6 address of this host, not '%s'", arg);
    }
    a.port = 0;
    gt_addr *slot = a.family == AF_INET ? &s->cfg->source4 : &s->cfg->source6;
    if (slot->family != 0 && !gt_addr_eq(slot, &a)) {
        return fail(s, "-S given twice for IPv%c (one source address per family)",
                    a.family == AF_INET ? '4' : '6');
    }
    *slot = a;
    return GT_OK;
}

static gt_status opt_family(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)arg;
    if (s->cfg->family != AF_UNSPEC) {
        return fail(s, "-4 and -6 cannot be combined");
    }
    s->cfg->family = o->lo.val == '4' ? AF_INET : AF_INET6;
    return GT_OK;
}

static gt_status opt_bufsize(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    unsigned long v = 0;
    if (!parse_uint(arg, 512, GT_MAX_BUFSIZE, &v)) {
        return fail(s, "--bufsize must be a number from 512 to %d", GT_MAX_BUFSIZE);
    }
    s->cfg->bufsize = (uint16_t)v;
    return GT_OK;
}

static gt_status opt_color(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    static const struct {
        const char *name;
        gt_color when;
    } whens[] = {{"auto", GT_COLOR_AUTO}, {"always", GT_COLOR_ALWAYS}, {"never", GT_COLOR_NEVER}};
    for (size_t i = 0; i < sizeof(whens) / sizeof(whens[0]); i++) {
        if (strcmp(arg, whens[i].name) == 0) {
            s->cfg->color = whens[i].when;
            return GT_OK;
        }
    }
    return fail(s, "--color must be auto, always or never");
}

/*
 * --compare-resolver[=LIST], repeatable: LIST is a comma list of addresses, `system` and the
 * named sets. Without '=', the next argument is taken as LIST when it is one and another
 * argument (the NAME) follows it, or when it is only addresses (never a NAME to trace: that
 * would be -x); else `system` (every nameserver of resolv.conf).
 */
static gt_status opt_compare(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    s->cfg->compare_resolver = true;
    if (arg == NULL && s->argv != NULL && optind < s->argc && s->argv[optind][0] != '-' &&
        gt_resolver_list_valid(s->argv[optind]) &&
        (optind + 1 < s->argc || gt_resolver_list_addresses(s->argv[optind]))) {
        arg = s->argv[optind++];
    }
    return gt_resolver_list_add(s->cfg->resolvers, &s->cfg->nresolvers,
                                arg != NULL ? arg : "system", s->err, s->errlen);
}

/* --watch[=SECONDS]: repeat the census (every SECONDS, or as the TTLs run out). */
static gt_status opt_watch(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    unsigned long v = 0;
    if (arg != NULL && !parse_uint(arg, 1, 86400, &v)) {
        return fail(s, "--watch=SECONDS must be a number of seconds from 1 to 86400");
    }
    s->cfg->watch = true;
    s->cfg->watch_s = (unsigned)v;
    return GT_OK;
}

/** Output format names of -o, in the order --help lists them. */
static const struct {
    const char *name;
    gt_format fmt;
} formats[] = {
    {"text", GT_FMT_TEXT}, {"json", GT_FMT_JSON}, {"jsonl", GT_FMT_JSONL},
    {"dot", GT_FMT_DOT},   {"dig", GT_FMT_DIG},   {"short", GT_FMT_SHORT},
};

static gt_status opt_format(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcmp(arg, formats[i].name) == 0) {
            s->cfg->format = formats[i].fmt;
            return GT_OK;
        }
    }
    return fail(s, "unknown format '%s' (text, json, jsonl, dot, dig or short)", arg);
}

static gt_status opt_short(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    (void)arg;
    s->cfg->format = GT_FMT_SHORT;
    return GT_OK;
}

/*
 * --shard I/N: share I (0 to N - 1) of N, 0-based as a Kubernetes Indexed Job's completion
 * index; --shard l/K/N: share K (1 to N) of N, 1-based, spelled as GNU split's "-n l/K/N".
 * The prefix keeps the two apart: "2/2" is never read as the second of two.
 */
static gt_status opt_shard(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    bool one_based = strncmp(arg, "l/", 2) == 0;
    const char *spec = one_based ? arg + 2 : arg;
    const char *slash = strchr(spec, '/');
    char first[16];
    unsigned long i = 0, n = 0;
    size_t len = slash != NULL ? (size_t)(slash - spec) : 0;
    if (slash == NULL || len == 0 || len >= sizeof(first)) {
        return fail(s,
                    "--shard wants I/N (0-based: I from 0 to N-1) or l/K/N (1-based, as GNU "
                    "split: K from 1 to N), not '%s'",
                    arg);
    }
    memcpy(first, spec, len);
    first[len] = '\0';
    if (!parse_uint(slash + 1, 1, GT_MAX_SHARDS, &n)) {
        return fail(s, "--shard %s: N must be from 1 to %d", arg, GT_MAX_SHARDS);
    }
    if (one_based) {
        if (!parse_uint(first, 1, n, &i)) {
            return fail(s, "--shard %s: with l/K/N (1-based, as GNU split) K runs from 1 to %lu",
                        arg, n);
        }
        i--;
    } else if (!parse_uint(first, 0, n - 1, &i)) {
        return fail(s,
                    "--shard %s: I runs from 0 to %lu (0-based, as a Kubernetes completion "
                    "index); for 1-based numbering as GNU split write --shard l/%s/%lu",
                    arg, n - 1, first, n);
    }
    s->cfg->shard_index = (unsigned)i;
    s->cfg->shard_count = (unsigned)n;
    return GT_OK;
}

/* --shard-by name | zone | zone:K (the name's last K labels; zone = zone:2). */
static gt_status opt_shard_by(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    unsigned long k = 0;
    if (strcmp(arg, "name") == 0) {
        s->cfg->shard_labels = 0;
    } else if (strcmp(arg, "zone") == 0) {
        s->cfg->shard_labels = GT_SHARD_ZONE_LABELS;
    } else if (strncmp(arg, "zone:", 5) == 0 && parse_uint(arg + 5, 1, 127, &k)) {
        s->cfg->shard_labels = (unsigned)k;
    } else {
        return fail(s, "--shard-by wants name, zone or zone:K (K from 1 to 127), not '%s'", arg);
    }
    return GT_OK;
}

static gt_status opt_action(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)arg;
    *s->action = o->lo.val == 'h' ? GT_CLI_HELP : GT_CLI_VERSION;
    s->done = true;
    return GT_OK;
}

static gt_status opt_explain(cli_state *s, const cli_opt *o, const char *arg)
{
    (void)o;
    if (strcmp(arg, "list") == 0) {
        *s->action = GT_CLI_EXPLAIN_LIST;
        s->done = true;
        return GT_OK;
    }
    if (gt_code_from_name(arg, &s->cfg->explain) != GT_OK) {
        return fail(s, "unknown finding code '%s' (gluetrace --explain list prints them all)", arg);
    }
    *s->action = GT_CLI_EXPLAIN;
    s->done = true;
    return GT_OK;
}

/* -x ADDR: the PTR name of the address, as dig -x. */
static gt_status opt_reverse(cli_state *s, const cli_opt *o, const char *arg)
{
    gt_addr a;
    (void)o;
    if (gt_addr_parse(arg, &a) != GT_OK || gt_name_reverse(&a, &s->cfg->qname) != GT_OK) {
        return fail(s, "-x needs an IPv4 or IPv6 address, not '%s'", arg);
    }
    s->reverse = true;
    return GT_OK;
}

static const cli_range r_timeout = {1, GT_MAX_TIMEOUT_MS, "milliseconds"};
static const cli_range r_retries = {0, GT_MAX_RETRIES, "a number"};
static const cli_range r_queries = {1, 1000000, "a number"};
static const cli_range r_bulk = {1, 1024, "a number"};
static const cli_range r_rate = {0, 1000000, "queries per second"};
static const cli_range r_samples = {1, GT_MAX_SAMPLES, "a number"};
static const cli_range r_watch_max = {1, 604800, "seconds"};

#define CFG(f) offsetof(gt_config, f)
#define OPT(name, arg, val)                                                                        \
    {                                                                                              \
        (name), (arg), NULL, (val)                                                                 \
    }
#define ARG required_argument
#define NOARG no_argument
#define OPTARG optional_argument

/* The one option table: getopt_long's arguments are built from it, its handlers fill the
 * config, and --help (below) is written to match it. */
/* clang-format off */
static const cli_opt opts[] = {
    /*   long name           argument val              handler      gt_config field   range */
    {OPT("type",             ARG,    't'),             opt_type,    0,                NULL},
    {OPT("hints",            ARG,    OPT_HINTS),       set_str,     CFG(hints_file),  NULL},
    {OPT("server",           ARG,    's'),             opt_server,  0,                NULL},
    {OPT("source",           ARG,    'S'),             opt_source,  0,                NULL},
    {OPT(NULL,               NOARG,  '4'),             opt_family,  0,                NULL},
    {OPT(NULL,               NOARG,  '6'),             opt_family,  0,                NULL},
    {OPT("one",              NOARG,  OPT_ONE),         set_true,    CFG(one_path),    NULL},
    {OPT("tcp",              NOARG,  OPT_TCP),         set_true,    CFG(tcp),         NULL},
    {OPT("bufsize",          ARG,    OPT_BUFSIZE),     opt_bufsize, 0,                NULL},
    {OPT("no-edns",          NOARG,  OPT_NO_EDNS),     set_false,   CFG(edns),        NULL},
    {OPT("timeout",          ARG,    OPT_TIMEOUT),     set_uint,    CFG(timeout_ms),  &r_timeout},
    {OPT("retries",          ARG,    OPT_RETRIES),     set_uint,    CFG(retries),     &r_retries},
    {OPT("max-queries",      ARG,    OPT_MAX_QUERIES), set_uint,    CFG(max_queries), &r_queries},
    {OPT("no-cache",         NOARG,  OPT_NO_CACHE),    set_true,    CFG(no_cache),    NULL},
    {OPT("no-checks",        NOARG,  OPT_NO_CHECKS),   set_true,    CFG(no_checks),   NULL},
    {OPT("no-dnssec",        NOARG,  OPT_NO_DNSSEC),   set_false,   CFG(dnssec),      NULL},
    {OPT("trust-anchor",     ARG,    OPT_TRUST_ANCHOR), set_str,    CFG(trust_anchor), NULL},
    {OPT("quiet",            NOARG,  OPT_QUIET),       set_true,    CFG(quiet),       NULL},
    {OPT("color",            ARG,    OPT_COLOR),       opt_color,   0,                NULL},
    {OPT("colour",           ARG,    OPT_COLOR),       opt_color,   0,                NULL},
    {OPT("strict",           NOARG,  OPT_STRICT),      set_true,    CFG(strict),      NULL},
    {OPT("compare-resolver", OPTARG, OPT_COMPARE),     opt_compare, 0,                NULL},
    {OPT("samples",          ARG,    OPT_SAMPLES),     set_uint,    CFG(samples),     &r_samples},
    {OPT("watch",            OPTARG, OPT_WATCH),       opt_watch,   0,                NULL},
    {OPT("watch-max",        ARG,    OPT_WATCH_MAX),   set_uint,    CFG(watch_max_s), &r_watch_max},
    {OPT("vs-dig",           ARG,    OPT_VS_DIG),      opt_vs_dig,  0,                NULL},
    {OPT("file",             ARG,    'f'),             set_str,     CFG(names_file),  NULL},
    {OPT("concurrency",      ARG,    OPT_CONCURRENCY), set_uint,    CFG(concurrency), &r_bulk},
    {OPT("shard",            ARG,    OPT_SHARD),       opt_shard,   0,                NULL},
    {OPT("shard-by",         ARG,    OPT_SHARD_BY),    opt_shard_by, 0,               NULL},
    {OPT("resume",           ARG,    OPT_RESUME),      set_str,     CFG(resume),      NULL},
    {OPT("rate",             ARG,    OPT_RATE),        set_uint,    CFG(rate),        &r_rate},
    {OPT("total-rate",       ARG,    OPT_TOTAL_RATE),  set_uint,    CFG(total_rate),  &r_rate},
    {OPT("format",           ARG,    'o'),             opt_format,  0,                NULL},
    {OPT("short",            NOARG,  OPT_SHORT),       opt_short,   0,                NULL},
    {OPT("verbose",          NOARG,  'v'),             set_true,    CFG(verbose),     NULL},
    {OPT("reverse",          ARG,    'x'),             opt_reverse, 0,                NULL},
    {OPT("dot-checks",       NOARG,  OPT_DOT_CHECKS),  set_true,    CFG(dot_checks),  NULL},
    {OPT("explain",          ARG,    OPT_EXPLAIN),     opt_explain, 0,                NULL},
    {OPT("help",             NOARG,  'h'),             opt_action,  0,                NULL},
    {OPT("version",          NOARG,  'V'),             opt_action,  0,                NULL},
};
/* clang-format on */

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* One text block, long on purpose: it reads as the user sees it (tests/output/manpage.sh
 * compares it with the man page). */
void gt_cli_help(FILE *out)
{
    fprintf(out,
            "Usage: gluetrace [OPTIONS] [@ADDR] NAME [TYPE]\n"
            "Trace NAME from the root servers down, taking every next-hop address from the\n"
            "referral's glue (or a fresh sub-trace from the root), never from a resolver.\n"
            "\n"
            "  -t, --type TYPE       query type (A, AAAA, NS, MX, TXT, SOA, CNAME, DS, DNSKEY,\n"
            "                        PTR, SRV, CAA, ANY or TYPEnnn); default A. TYPE may also\n"
            "                        be given as the second argument\n"
            "      --hints FILE      root hints in zone-file format (named.root layout);\n"
            "                        default: built-in current IANA root hints\n"
            "  -s, --server ADDR     start at this server (IP address) instead of the root;\n"
            "                        '-s .' starts at the root hints (the default); dig's\n"
            "                        @ADDR before or after NAME is the same as -s ADDR\n"
            "  -S, --source ADDR     send every query from this address of this host; give\n"
            "                        it twice for an IPv4 and an IPv6 address (a family\n"
            "                        without one leaves from the address the kernel picks)\n"
            "  -4 / -6               only IPv4 / only IPv6 server addresses\n"
            "      --one             follow one server per zone cut (dig-like path)\n"
            "                        instead of every server and address\n"
            "      --tcp             TCP only\n"
            "      --bufsize N       EDNS UDP payload size (512-4096, default %d)\n"
            "      --no-edns         send queries without EDNS\n"
            "      --timeout MS      wait for each try in milliseconds, 1 to 30000 (default %d)\n"
            "      --retries N       retries after the first try, 0 to 5 (default %d); a\n"
            "                        silent address costs timeout x (retries + 1)\n"
            "      --max-queries N   hard budget of queries for the run (default %d)\n"
            "      --no-cache        never reuse a referral a server already gave this run\n"
            "      --no-checks       skip the delegation checks (asking each child zone's\n"
            "                        servers for its NS set and its NS names' addresses)\n"
            "      --no-dnssec       no DNSSEC: queries without the DO bit, no DNSKEY queries,\n"
            "                        no validation (DNSSEC is on by default)\n"
            "      --trust-anchor FILE\n"
            "                        validate against the DS or DNSKEY records of FILE\n"
            "                        (root.ds / root.key layout); default: the built-in IANA\n"
            "                        root anchors, only when the trace starts from the\n"
            "                        built-in hints\n"
            "  -o, --format FMT      text (default), json, jsonl, dot, dig or short\n"
            "      --short           -o short: only the final answer's data, one record per\n"
            "                        line like dig +short; one verdict line on stderr when\n"
            "                        there is no answer or a warning or error finding\n"
            "  -v, --verbose         also show every response's records\n"
            "      --quiet           text: print only the answers and findings\n"
            "      --color WHEN      auto (default: when stdout is a terminal and NO_COLOR\n"
            "                        is unset or empty), always or never\n"
            "      --compare-resolver[=LIST]\n"
            "                        resolver census: ask resolvers what they hold for NAME,\n"
            "                        each zone's NS set and each NS name's addresses, with\n"
            "                        the remaining TTL; LIST is a comma list of addresses,\n"
            "                        'system' (every nameserver of resolv.conf, the default)\n"
            "                        and google, cloudflare, quad9, opendns (each of their\n"
            "                        addresses); repeatable; without this option no\n"
            "                        resolver is ever asked\n"
            "      --samples K       ask each resolver each question K times (1-%d,\n"
            "                        default 1) and report the remaining TTL's min-max\n"
            "      --watch[=SECONDS] repeat the census (every SECONDS, default: when the\n"
            "                        first remaining TTL runs out, at least 10 s), one line\n"
            "                        per change, until every resolver is current (exit 0)\n"
            "      --watch-max SECONDS\n"
            "                        give up watching after SECONDS (default 3600)\n"
            "      --vs-dig FILE     compare with saved 'dig +trace' output (- for stdin; repeat\n"
            "                        it, or concatenate runs, to count dig's random paths)\n"
            "      --strict          warnings count as errors for the exit status\n"
            "  -f, --file FILE       trace every name in FILE (NAME [TYPE] per line, # comments)\n"
            "                        sharing referrals and sub-traces across names; -o jsonl\n"
            "                        gives one summary line per name\n"
            "      --concurrency N   names traced at once with -f (1-1024, default %d)\n"
            "  -x, --reverse ADDR    trace the PTR name of an IPv4 or IPv6 address (as dig -x;\n"
            "                        type PTR unless -t is given); no NAME then\n"
            "      --dot-checks      -o dot: also draw the delegation checks\n"
            "      --explain CODE    print the documentation of a finding code (as in the\n"
            "                        FINDINGS section of the man page) and exit; --explain\n"
            "                        list prints every code, its severity and one line\n"
            "      --shard I/N       with -f, trace only share I (0 to N-1) of N of the names,\n"
            "                        chosen by a hash of each name: N runs with I = 0..N-1\n"
            "                        together trace every name once; l/K/N counts from 1\n"
            "                        (K = 1..N, as GNU split's l/K/N)\n"
            "      --shard-by KEY    what the hash is of: name (default), zone (the name's\n"
            "                        last two labels, so names of one zone stay together) or\n"
            "                        zone:K (its last K labels)\n"
            "      --resume FILE     with -f -o jsonl, skip the names that already have a\n"
            "                        line in FILE (an earlier, possibly interrupted, run's\n"
            "                        output); write the new lines to another file\n"
            "      --rate N          with -f, at most N queries a second to one server\n"
            "                        network (IPv4 /24, IPv6 /64; default %d, 0 = no cap);\n"
            "                        queries met by rate limiting are asked again later\n"
            "      --total-rate N    with -f, at most N queries a second in all (default\n"
            "                        %d, 0 = no cap)\n"
            "  -h, --help            this help;   -V, --version  version\n"
            "\n"
            "dig's +short, +trace, +dnssec, +nodnssec, +tcp, +notcp, +norec, +edns and +noedns\n"
            "are taken among NAME and TYPE; another +word is an error that says so.\n"
            "\n"
            "Exit status: 0 authoritative data reached (answer, NXDOMAIN or NODATA) and no\n"
            "error finding; 1 error findings (with --strict: or warnings); 3 no\n"
            "authoritative response reached; 2 usage or input error; 4 internal error or\n"
            "output that could not be written (e.g. a closed stdout);\n"
            "130/143 interrupted by SIGINT/SIGTERM (what was known is printed).\n",
            GT_DEFAULT_BUFSIZE, GT_DEFAULT_TIMEOUT_MS, GT_DEFAULT_RETRIES, GT_DEFAULT_MAX_QUERIES,
            GT_MAX_SAMPLES, GT_DEFAULT_CONCURRENCY, GT_DEFAULT_RATE, GT_DEFAULT_TOTAL_RATE);
}

/* getopt_long's long option array (entries with a long name, then the zero entry) and its
 * short option string (":" first: a missing value is reported as ':'). */
static void getopt_tables(struct option *longs, char *shorts)
{
    size_t nl = 0, ns = 0;
    shorts[ns++] = ':';
    for (size_t i = 0; i < NOPTS; i++) {
        const struct option *lo = &opts[i].lo;
        if (lo->name != NULL) {
            longs[nl++] = *lo;
        }
        if (lo->val < 128 && memchr(shorts, lo->val, ns) == NULL) {
            shorts[ns++] = (char)lo->val;
            if (lo->has_arg == required_argument) {
                shorts[ns++] = ':';
            }
        }
    }
    memset(&longs[nl], 0, sizeof(longs[nl]));
    shorts[ns] = '\0';
}

/* One getopt_long result: the option's handler, or the error for a bad option. */
static gt_status one_option(cli_state *s, int c, char **argv)
{
    for (size_t i = 0; i < NOPTS; i++) {
        if (opts[i].lo.val == c) {
            return opts[i].fn(s, &opts[i], optarg);
        }
    }
    if (c == ':') {
        return fail(s, "option '%s' needs a value", argv[optind - 1]);
    }
    if (optopt != 0) {
        return fail(s, "unknown option '-%c' (see --help)", optopt);
    }
    return fail(s, "unknown option '%s' (see --help)", argv[optind - 1]);
}

/* With -f the names come from the file (NAME [TYPE] per line): at most a TYPE operand. */
static gt_status bulk_operands(cli_state *s, char **rest, size_t nrest)
{
    gt_config *cfg = s->cfg;
    if (nrest > 1) {
        return fail(s, "with -f, give at most a TYPE argument, not names");
    }
    if (nrest == 1 && gt_type_from_str(rest[0], &cfg->qtype) != GT_OK) {
        return fail(s, "unknown query type '%s'", rest[0]);
    }
    if (cfg->format == GT_FMT_JSON || cfg->format == GT_FMT_DOT || cfg->format == GT_FMT_DIG ||
        cfg->format == GT_FMT_SHORT || cfg->vs_dig != NULL) {
        return fail(s, "with -f, use -o jsonl (one line per name) or -o text");
    }
    if (cfg->resume != NULL && cfg->format != GT_FMT_JSONL) {
        return fail(s, "--resume reads and continues -o jsonl output: add -o jsonl");
    }
    return GT_OK;
}

/* NAME [TYPE]. */
static gt_status name_operands(cli_state *s, char **rest, size_t nrest)
{
    gt_config *cfg = s->cfg;
    if (cfg->shard_count != 0 || cfg->shard_labels != 0 || cfg->resume != NULL) {
        return fail(s, "--shard, --shard-by and --resume apply to -f FILE only");
    }
    if (s->reverse) {
        if (nrest > 0) {
            return fail(s, "with -x, give no NAME or TYPE ('%s'); use -t for a type", rest[0]);
        }
        if (!s->type_given) {
            cfg->qtype = GT_TYPE_PTR;
        }
        return GT_OK;
    }
    if (nrest < 1) {
        return fail(s, "no name to trace (usage: gluetrace [OPTIONS] NAME [TYPE])");
    }
    if (nrest > 2) {
        return fail(s, "too many arguments: '%s' (usage: gluetrace [OPTIONS] NAME [TYPE])",
                    rest[2]);
    }
    if (gt_name_from_str(&cfg->qname, rest[0]) != GT_OK) {
        return fail(s, "invalid domain name '%s'", rest[0]);
    }
    if (nrest == 2) {
        uint16_t t = 0;
        if (gt_type_from_str(rest[1], &t) != GT_OK) {
            return fail(s, "unknown query type '%s'", rest[1]);
        }
        if (s->type_given && t != cfg->qtype) {
            return fail(s, "query type given twice ('-t' and '%s')", rest[1]);
        }
        cfg->qtype = t;
    }
    if (cfg->qtype == GT_TYPE_OPT) {
        return fail(s, "OPT is not a query type");
    }
    return GT_OK;
}

/* dig's +words that have a meaning here (dig(1)); +word=value forms are not taken. */
typedef enum {
    DW_OK,
    DW_SHORT,
    DW_DNSSEC,
    DW_NODNSSEC,
    DW_TCP,
    DW_NOTCP,
    DW_EDNS,
    DW_NOEDNS
} dw_act;
static const struct {
    const char *word;
    dw_act act;
} dig_words[] = {
    {"short", DW_SHORT},  {"trace", DW_OK}, {"dnssec", DW_DNSSEC}, {"nodnssec", DW_NODNSSEC},
    {"tcp", DW_TCP},      {"vc", DW_TCP},   {"notcp", DW_NOTCP},   {"novc", DW_NOTCP},
    {"norecurse", DW_OK}, {"norec", DW_OK}, {"edns", DW_EDNS},     {"noedns", DW_NOEDNS},
};

/* One of dig's +words among the operands: taken when it means something here, answered with
 * gluetrace's own spelling when it cannot. */
static gt_status dig_word(cli_state *s, const char *arg)
{
    const char *w = arg + 1;
    for (size_t i = 0; i < sizeof(dig_words) / sizeof(dig_words[0]); i++) {
        if (strcasecmp(w, dig_words[i].word) != 0) {
            continue;
        }
        gt_config *cfg = s->cfg;
        switch (dig_words[i].act) {
        case DW_SHORT:
            cfg->format = GT_FMT_SHORT;
            break;
        case DW_DNSSEC:
            cfg->dnssec = true;
            break;
        case DW_NODNSSEC:
            cfg->dnssec = false;
            break;
        case DW_TCP:
            cfg->tcp = true;
            break;
        case DW_NOTCP:
            cfg->tcp = false;
            break;
        case DW_EDNS:
            cfg->edns = true;
            break;
        case DW_NOEDNS:
            cfg->edns = false;
            break;
        case DW_OK:
            break; /* +trace, +norec: what gluetrace always does */
        }
        return GT_OK;
    }
    if (strcasecmp(w, "notrace") == 0) {
        return fail(s,
                    "'%s': gluetrace always traces from the root; to ask one server only, "
                    "use @ADDR (or -s ADDR)",
                    arg);
    }
    if (strcasecmp(w, "recurse") == 0 || strcasecmp(w, "rec") == 0) {
        return fail(s,
                    "'%s': gluetrace asks every server with RD=0; to compare with a "
                    "resolver use --compare-resolver=ADDR",
                    arg);
    }
    if (strcasecmp(w, "json") == 0 || strcasecmp(w, "yaml") == 0) {
        return fail(s, "'%s': use -o json (or -o jsonl, -o dig)", arg);
    }
    return fail(s,
                "unknown dig option '%s': gluetrace takes +short, +trace, +dnssec, "
                "+nodnssec, +tcp, +notcp, +norec, +edns and +noedns (other options: "
                "gluetrace --help)",
                arg);
}

/* The operands after the options: dig's @ADDR anywhere among them (same as -s ADDR) and its
 * +words, the rest NAME [TYPE], or a TYPE with -f. */
static gt_status operands(cli_state *s, char **args, size_t n)
{
    char *rest[3] = {NULL, NULL, NULL};
    size_t nrest = 0;
    for (size_t i = 0; i < n; i++) {
        if (args[i][0] == '+' && args[i][1] != '\0') {
            gt_status st = dig_word(s, args[i]);
            if (st != GT_OK) {
                return st;
            }
            continue;
        }
        if (args[i][0] != '@') {
            if (nrest < 3) {
                rest[nrest] = args[i];
            }
            nrest++;
            continue;
        }
        const char *before = s->server_arg;
        gt_status st = set_server(s, "@ADDR", args[i] + 1);
        if (st != GT_OK) {
            return st;
        }
        if (before != NULL && strcmp(before, args[i] + 1) != 0) {
            return fail(s, "two start servers: '%s' and '%s'", before, args[i]);
        }
    }
    if (s->cfg->names_file != NULL) {
        return bulk_operands(s, rest, nrest);
    }
    return name_operands(s, rest, nrest < 3 ? nrest : 3);
}

/* -S ADDR must be an address this host has: bind a UDP socket to it (port 0) and see. */
static gt_status check_source(cli_state *s, const gt_addr *a)
{
    char text[GT_ADDR_STRLEN];
    union {
        struct sockaddr sa;
        struct sockaddr_in in4;
        struct sockaddr_in6 in6;
    } u;
    socklen_t len = 0;
    memset(&u, 0, sizeof(u));
    gt_addr_to_str(a, text, sizeof(text));
    if (a->family == AF_INET) {
        u.in4.sin_family = AF_INET;
        memcpy(&u.in4.sin_addr, a->bytes, 4);
        len = sizeof(u.in4);
    } else {
        u.in6.sin6_family = AF_INET6;
        memcpy(&u.in6.sin6_addr, a->bytes, 16);
        len = sizeof(u.in6);
    }
    int fd = socket(a->family, SOCK_DGRAM, 0);
    if (fd < 0) {
        return fail(s, "-S %s: cannot open a socket of its family (%s)", text, strerror(errno));
    }
    int rc = bind(fd, &u.sa, len);
    int e = errno;
    close(fd);
    if (rc == 0) {
        return GT_OK;
    }
    if (e == EADDRNOTAVAIL) {
        return fail(s, "-S %s: not an address of this host (queries cannot leave from it)", text);
    }
    return fail(s, "-S %s: cannot send from this address (%s)", text, strerror(e));
}

/* -4/-6 against -s and -S (an address of a family never used is a mistake), then -S against
 * the host. */
static gt_status check_sources(cli_state *s)
{
    const gt_config *cfg = s->cfg;
    if (cfg->have_server && cfg->family != AF_UNSPEC && cfg->server.family != cfg->family) {
        char a[GT_ADDR_STRLEN];
        return fail(s, "%s leaves no server to ask: -s %s is an %s address",
                    cfg->family == AF_INET ? "-4" : "-6",
                    gt_addr_to_str(&cfg->server, a, sizeof(a)),
                    cfg->server.family == AF_INET ? "IPv4" : "IPv6");
    }
    if (cfg->source4.family != 0 && cfg->family == AF_INET6) {
        return fail(s, "-S with an IPv4 address and -6: no query would leave from it");
    }
    if (cfg->source6.family != 0 && cfg->family == AF_INET) {
        return fail(s, "-S with an IPv6 address and -4: no query would leave from it");
    }
    gt_status st = GT_OK;
    if (cfg->source4.family != 0) {
        st = check_source(s, &cfg->source4);
    }
    if (st == GT_OK && cfg->source6.family != 0) {
        st = check_source(s, &cfg->source6);
    }
    return st;
}

gt_status gt_cli_parse(int argc, char **argv, gt_config *cfg, gt_cli_action *action, char *err,
                       size_t errlen)
{
    struct option longs[NOPTS + 1];
    char shorts[2 * NOPTS + 2];
    cli_state s = {
        .cfg = cfg, .action = action, .err = err, .errlen = errlen, .argc = argc, .argv = argv};
    gt_status st = GT_OK;
    int c;

    gt_config_defaults(cfg);
    *action = GT_CLI_RUN;
    err[0] = '\0';
    getopt_tables(longs, shorts);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        st = one_option(&s, c, argv);
        if (st != GT_OK || s.done) {
            return st;
        }
    }
    st = operands(&s, argv + optind, (size_t)(argc - optind));
    if (st == GT_OK && cfg->watch && (!cfg->compare_resolver || cfg->names_file != NULL)) {
        st = fail(&s, "--watch repeats the resolver census of one name: give --compare-resolver "
                      "(and no -f)");
    }
    if (st == GT_OK) {
        st = check_sources(&s);
    }
    return st;
}
