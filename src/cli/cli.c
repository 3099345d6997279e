#include "gluetrace/cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gluetrace/base/log.h"
#include "gluetrace/base/parse.h"

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
};

/* The one option table: getopt_long reads it, --help is written to match it. */
static const struct option long_opts[] = {
    {"type", required_argument, NULL, 't'},
    {"hints", required_argument, NULL, OPT_HINTS},
    {"server", required_argument, NULL, 's'},
    {"one", no_argument, NULL, OPT_ONE},
    {"tcp", no_argument, NULL, OPT_TCP},
    {"bufsize", required_argument, NULL, OPT_BUFSIZE},
    {"no-edns", no_argument, NULL, OPT_NO_EDNS},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"max-queries", required_argument, NULL, OPT_MAX_QUERIES},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"no-checks", no_argument, NULL, OPT_NO_CHECKS},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"compare-resolver", optional_argument, NULL, OPT_COMPARE},
    {"vs-dig", required_argument, NULL, OPT_VS_DIG},
    {"file", required_argument, NULL, 'f'},
    {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
    {"format", required_argument, NULL, 'o'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static const char short_opts[] = ":t:s:46o:vhVf:";

void gt_cli_help(FILE *out)
{
    fprintf(out,
            "Usage: gluetrace [OPTIONS] NAME [TYPE]\n"
            "Trace NAME from the root servers down, taking every next-hop address from the\n"
            "referral's glue (or a fresh sub-trace from the root), never from a resolver.\n"
            "\n"
            "  -t, --type TYPE       query type (A, AAAA, NS, MX, TXT, SOA, CNAME, DS, DNSKEY,\n"
            "                        PTR, SRV, CAA, ANY or TYPEnnn); default A. TYPE may also\n"
            "                        be given as the second argument\n"
            "      --hints FILE      root hints in zone-file format (named.root layout);\n"
            "                        default: built-in current IANA root hints\n"
            "  -s, --server ADDR     start at this server (IP address) instead of the root\n"
            "  -4 / -6               only IPv4 / only IPv6 server addresses\n"
            "      --one             follow one server per zone cut (dig-like path)\n"
            "                        instead of every server and address\n"
            "      --tcp             TCP only\n"
            "      --bufsize N       EDNS UDP payload size (512-4096, default %d)\n"
            "      --no-edns         send queries without EDNS\n"
            "      --timeout MS      per-try timeout in milliseconds (default %d)\n"
            "      --retries N       retries after the first try (default %d)\n"
            "      --max-queries N   hard budget of queries for the run (default %d)\n"
            "      --no-cache        never reuse a referral a server already gave this run\n"
            "      --no-checks       skip the delegation checks (asking each child zone's\n"
            "                        servers for its NS set and its NS names' addresses)\n"
            "  -o, --format FMT      text (default), json, jsonl, dot or dig\n"
            "  -v, --verbose         also show every response's records\n"
            "      --quiet           text: print only the answers and findings\n"
            "      --color WHEN      auto (default: when stdout is a terminal and NO_COLOR\n"
            "                        is unset or empty), always or never\n"
            "      --compare-resolver[=ADDR]\n"
            "                        also ask the local resolver (first nameserver of\n"
            "                        resolv.conf, or ADDR) for the addresses of every NS name\n"
            "                        on the path and for NAME, and report where it differs;\n"
            "                        without this option no resolver is ever asked\n"
            "      --vs-dig FILE     compare with saved 'dig +trace' output (- for stdin)\n"
            "      --strict          warnings count as errors for the exit status\n"
            "  -f, --file FILE       trace every name in FILE (NAME [TYPE] per line, # comments)\n"
            "                        sharing referrals and sub-traces across names; -o jsonl\n"
            "                        gives one summary line per name\n"
            "      --concurrency N   names traced at once with -f (1-1024, default %d)\n"
            "  -h, --help            this help;   -V, --version  version\n"
            "\n"
            "Exit status: 0 authoritative data reached (answer, NXDOMAIN or NODATA) and no\n"
            "error finding; 1 error findings (with --strict: or warnings); 3 no\n"
            "authoritative response reached; 2 usage or input error; 4 internal error.\n",
            GT_DEFAULT_BUFSIZE, GT_DEFAULT_TIMEOUT_MS, GT_DEFAULT_RETRIES, GT_DEFAULT_MAX_QUERIES,
            GT_DEFAULT_CONCURRENCY);
}

static gt_status fail(char *err, size_t errlen, const char *fmt, ...) GT_PRINTF(3, 4);

static gt_status fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
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

gt_status gt_cli_parse(int argc, char **argv, gt_config *cfg, gt_cli_action *action, char *err,
                       size_t errlen)
{
    gt_config_defaults(cfg);
    *action = GT_CLI_RUN;
    err[0] = '\0';
    bool type_given = false;
    unsigned long v = 0;
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (gt_type_from_str(optarg, &cfg->qtype) != GT_OK) {
                return fail(err, errlen, "unknown query type '%s'", optarg);
            }
            type_given = true;
            break;
        case OPT_HINTS:
            cfg->hints_file = optarg;
            break;
        case 's':
            if (gt_addr_parse(optarg, &cfg->server) != GT_OK) {
                return fail(err, errlen,
                            "-s needs an IPv4 or IPv6 address, not '%s' (a name would need a "
                            "resolver)",
                            optarg);
            }
            cfg->have_server = true;
            break;
        case '4':
        case '6':
            if (cfg->family != AF_UNSPEC) {
                return fail(err, errlen, "-4 and -6 cannot be combined");
            }
            cfg->family = c == '4' ? AF_INET : AF_INET6;
            break;
        case OPT_ONE:
            cfg->one_path = true;
            break;
        case OPT_TCP:
            cfg->tcp = true;
            break;
        case OPT_BUFSIZE:
            if (!parse_uint(optarg, 512, GT_MAX_BUFSIZE, &v)) {
                return fail(err, errlen, "--bufsize must be a number from 512 to %d",
                            GT_MAX_BUFSIZE);
            }
            cfg->bufsize = (uint16_t)v;
            break;
        case OPT_NO_EDNS:
            cfg->edns = false;
            break;
        case OPT_TIMEOUT:
            if (!parse_uint(optarg, 1, 600000, &v)) {
                return fail(err, errlen, "--timeout must be milliseconds from 1 to 600000");
            }
            cfg->timeout_ms = (unsigned)v;
            break;
        case OPT_RETRIES:
            if (!parse_uint(optarg, 0, 10, &v)) {
                return fail(err, errlen, "--retries must be a number from 0 to 10");
            }
            cfg->retries = (unsigned)v;
            break;
        case OPT_MAX_QUERIES:
            if (!parse_uint(optarg, 1, 1000000, &v)) {
                return fail(err, errlen, "--max-queries must be a number from 1 to 1000000");
            }
            cfg->max_queries = (unsigned)v;
            break;
        case OPT_NO_CACHE:
            cfg->no_cache = true;
            break;
        case OPT_NO_CHECKS:
            cfg->no_checks = true;
            break;
        case OPT_QUIET:
            cfg->quiet = true;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0) {
                cfg->color = GT_COLOR_AUTO;
            } else if (strcmp(optarg, "always") == 0) {
                cfg->color = GT_COLOR_ALWAYS;
            } else if (strcmp(optarg, "never") == 0) {
                cfg->color = GT_COLOR_NEVER;
            } else {
                return fail(err, errlen, "--color must be auto, always or never");
            }
            break;
        case OPT_STRICT:
            cfg->strict = true;
            break;
        case OPT_COMPARE:
            cfg->compare_resolver = true;
            if (optarg != NULL) {
                if (gt_addr_parse(optarg, &cfg->resolver) != GT_OK) {
                    return fail(err, errlen,
                                "--compare-resolver=ADDR needs an IPv4 or IPv6 address, not "
                                "'%s'",
                                optarg);
                }
                cfg->have_resolver = true;
            }
            break;
        case OPT_VS_DIG:
            cfg->vs_dig = optarg;
            break;
        case 'f':
            cfg->names_file = optarg;
            break;
        case OPT_CONCURRENCY:
            if (!parse_uint(optarg, 1, 1024, &v)) {
                return fail(err, errlen, "--concurrency must be a number from 1 to 1024");
            }
            cfg->concurrency = (unsigned)v;
            break;
        case 'o':
            if (strcmp(optarg, "text") == 0) {
                cfg->format = GT_FMT_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                cfg->format = GT_FMT_JSON;
            } else if (strcmp(optarg, "jsonl") == 0) {
                cfg->format = GT_FMT_JSONL;
            } else if (strcmp(optarg, "dot") == 0) {
                cfg->format = GT_FMT_DOT;
            } else if (strcmp(optarg, "dig") == 0) {
                cfg->format = GT_FMT_DIG;
            } else {
                return fail(err, errlen, "unknown format '%s' (text, json, jsonl, dot or dig)",
                            optarg);
            }
            break;
        case 'v':
            cfg->verbose = true;
            break;
        case 'h':
            *action = GT_CLI_HELP;
            return GT_OK;
        case 'V':
            *action = GT_CLI_VERSION;
            return GT_OK;
        case ':':
            return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt != 0) {
                return fail(err, errlen, "unknown option '-%c' (see --help)", optopt);
            }
            return fail(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }

    int rest = argc - optind;
    if (cfg->names_file != NULL) {
        /* Bulk mode: the names come from the file (NAME [TYPE] per line). */
        if (rest > 1) {
            return fail(err, errlen, "with -f, give at most a TYPE argument, not names");
        }
        if (rest == 1 && gt_type_from_str(argv[optind], &cfg->qtype) != GT_OK) {
            return fail(err, errlen, "unknown query type '%s'", argv[optind]);
        }
        if (cfg->format == GT_FMT_JSON || cfg->format == GT_FMT_DOT || cfg->format == GT_FMT_DIG ||
            cfg->vs_dig != NULL) {
            return fail(err, errlen, "with -f, use -o jsonl (one line per name) or -o text");
        }
        return GT_OK;
    }
    if (rest < 1) {
        return fail(err, errlen, "no name to trace (usage: gluetrace [OPTIONS] NAME [TYPE])");
    }
    if (rest > 2) {
        return fail(err, errlen,
                    "too many arguments: '%s' (usage: gluetrace [OPTIONS] NAME "
                    "[TYPE])",
                    argv[optind + 2]);
    }
    if (gt_name_from_str(&cfg->qname, argv[optind]) != GT_OK) {
        return fail(err, errlen, "invalid domain name '%s'", argv[optind]);
    }
    if (rest == 2) {
        uint16_t t = 0;
        if (gt_type_from_str(argv[optind + 1], &t) != GT_OK) {
            return fail(err, errlen, "unknown query type '%s'", argv[optind + 1]);
        }
        if (type_given && t != cfg->qtype) {
            return fail(err, errlen, "query type given twice ('-t' and '%s')", argv[optind + 1]);
        }
        cfg->qtype = t;
    }
    if (cfg->qtype == GT_TYPE_OPT) {
        return fail(err, errlen, "OPT is not a query type");
    }
    return GT_OK;
}
