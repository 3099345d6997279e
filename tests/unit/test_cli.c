/*
 * Command line to gt_config (cli.c): the dig and dnstracer spellings (-s ., @ADDR before and
 * after the name, -S, --short) and the option table's handlers and error messages.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "gluetrace/cli/cli.h"
#include "gluetrace/cli/resolvconf.h"
#include "tap.h"

/** Most words of one test command line. */
#define MAX_ARGS 40

static gt_config cfg;
static gt_cli_action action;
static char err[512];

/* Parse the words given (NULL-terminated; "gluetrace" is put first). */
static gt_status parse(const char *first, ...)
{
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)(uintptr_t) "gluetrace";
    va_start(ap, first);
    const char *w = first;
    for (; w != NULL && argc <= MAX_ARGS; w = va_arg(ap, const char *)) {
        argv[argc++] = (char *)(uintptr_t)w; /* getopt_long may permute, never writes */
    }
    va_end(ap);
    GT_CHECK(w == NULL); /* all words fit */
    argv[argc] = NULL;
    return gt_cli_parse(argc, argv, &cfg, &action, err, sizeof(err));
}

static bool has(const char *text)
{
    bool ok = strstr(err, text) != NULL;
    if (!ok) {
        fprintf(stderr, "  error was: %s (expected to contain: %s)\n", err, text);
    }
    return ok;
}

static bool is_addr(const gt_addr *a, const char *text)
{
    gt_addr want;
    return gt_addr_parse(text, &want) == GT_OK && a->family == want.family &&
           memcmp(a->bytes, want.bytes, want.family == AF_INET ? 4 : 16) == 0;
}

static bool same_addr(const gt_addr *a, const gt_addr *b)
{
    return a->family == b->family && (a->family == 0 || gt_addr_eq(a, b));
}

/* Every field of two configurations (not memcmp: padding is not part of the value). */
static bool same_config(const gt_config *a, const gt_config *b)
{
    return gt_name_eq(&a->qname, &b->qname) && a->qtype == b->qtype &&
           a->hints_file == b->hints_file && a->have_server == b->have_server &&
           (!a->have_server || gt_addr_eq(&a->server, &b->server)) && a->family == b->family &&
           same_addr(&a->source4, &b->source4) && same_addr(&a->source6, &b->source6) &&
           a->one_path == b->one_path && a->tcp == b->tcp && a->edns == b->edns &&
           a->bufsize == b->bufsize && a->timeout_ms == b->timeout_ms && a->retries == b->retries &&
           a->max_queries == b->max_queries && a->no_cache == b->no_cache &&
           a->no_checks == b->no_checks && a->format == b->format && a->verbose == b->verbose &&
           a->quiet == b->quiet && a->color == b->color && a->strict == b->strict &&
           a->compare_resolver == b->compare_resolver && a->nresolvers == b->nresolvers &&
           a->samples == b->samples && a->vs_dig == b->vs_dig && a->names_file == b->names_file &&
           a->concurrency == b->concurrency;
}

static void test_server(void)
{
    /* -s . is the root hints: the same config as no -s at all. */
    GT_CHECK_INT(parse("example.com", NULL), GT_OK);
    gt_config plain = cfg;
    GT_CHECK_INT(parse("-s", ".", "example.com", NULL), GT_OK);
    GT_CHECK(!cfg.have_server);
    GT_CHECK(same_config(&plain, &cfg));
    GT_CHECK_INT(parse("--server", "192.0.2.1", "-s", ".", "example.com", NULL), GT_OK);
    GT_CHECK(!cfg.have_server);

    GT_CHECK_INT(parse("-s", "192.0.2.1", "example.com", NULL), GT_OK);
    GT_CHECK(cfg.have_server && is_addr(&cfg.server, "192.0.2.1"));
    gt_config with_s = cfg;
    /* dig's @ADDR, before or after the name (and after the type): the same as -s ADDR. */
    GT_CHECK_INT(parse("@192.0.2.1", "example.com", NULL), GT_OK);
    GT_CHECK(same_config(&with_s, &cfg));
    GT_CHECK_INT(parse("example.com", "@192.0.2.1", NULL), GT_OK);
    GT_CHECK(same_config(&with_s, &cfg));
    GT_CHECK_INT(parse("example.com", "MX", "@2001:db8::53", NULL), GT_OK);
    GT_CHECK(cfg.have_server && is_addr(&cfg.server, "2001:db8::53"));
    GT_CHECK_INT(cfg.qtype, GT_TYPE_MX);
    GT_CHECK_INT(parse("@.", "example.com", NULL), GT_OK);
    GT_CHECK(!cfg.have_server);
    /* The same server twice is fine; two different ones are not. */
    GT_CHECK_INT(parse("-s", "192.0.2.1", "@192.0.2.1", "example.com", NULL), GT_OK);
    GT_CHECK_INT(parse("-s", "192.0.2.1", "example.com", "@192.0.2.2", NULL), GT_EINVAL);
    GT_CHECK(has("two start servers"));
    GT_CHECK_INT(parse("@192.0.2.1", "@192.0.2.2", "example.com", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("@ns.example", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("@ADDR needs an IPv4 or IPv6 address"));
    GT_CHECK_INT(parse("-s", "ns.example", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-s needs an IPv4 or IPv6 address, or '.'"));
    /* @ADDR is not a name: with it, NAME is still required and counted as before. */
    GT_CHECK_INT(parse("@192.0.2.1", NULL), GT_EINVAL);
    GT_CHECK(has("no name to trace"));
    GT_CHECK_INT(parse("@192.0.2.1", "a.example", "A", "b.example", NULL), GT_EINVAL);
    GT_CHECK(has("too many arguments: 'b.example'"));
    GT_CHECK_INT(parse("-f", "names.txt", "@192.0.2.1", "AAAA", NULL), GT_OK);
    GT_CHECK(cfg.have_server && cfg.qtype == GT_TYPE_AAAA);
}

static void test_source(void)
{
    GT_CHECK_INT(parse("example.com", NULL), GT_OK);
    GT_CHECK(cfg.source4.family == 0 && cfg.source6.family == 0);
    /* 127.0.0.1 is an address of every host with a loopback. */
    GT_CHECK_INT(parse("-S", "127.0.0.1", "example.com", NULL), GT_OK);
    GT_CHECK(cfg.source4.family == AF_INET && is_addr(&cfg.source4, "127.0.0.1"));
    GT_CHECK(cfg.source6.family == 0);
    GT_CHECK_INT(parse("--source", "127.0.0.1", "-S", "127.0.0.1", "example.com", NULL), GT_OK);
    GT_CHECK_INT(parse("-S", "127.0.0.1", "-4", "example.com", NULL), GT_OK);
    /* Not an address of this host (TEST-NET-1 and the documentation prefix): exit 2. */
    GT_CHECK_INT(parse("-S", "192.0.2.99", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-S 192.0.2.99: not an address of this host"));
    GT_CHECK_INT(parse("-S", "2001:db8:ffff::99", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-S 2001:db8:ffff::99: "));
    /* One address per family; none of a family that -4 / -6 excludes; no names. */
    GT_CHECK_INT(parse("-S", "127.0.0.1", "-S", "127.0.0.2", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-S given twice for IPv4"));
    GT_CHECK_INT(parse("-S", "127.0.0.1", "-6", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("IPv4 address and -6"));
    GT_CHECK_INT(parse("-S", "::1", "-4", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("IPv6 address and -4"));
    GT_CHECK_INT(parse("-S", "localhost", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-S needs an IPv4 or IPv6 address"));
}

static void test_short(void)
{
    GT_CHECK_INT(parse("--short", "example.com", NULL), GT_OK);
    GT_CHECK_INT(cfg.format, GT_FMT_SHORT);
    GT_CHECK_INT(parse("-o", "short", "example.com", NULL), GT_OK);
    GT_CHECK_INT(cfg.format, GT_FMT_SHORT);
    GT_CHECK_INT(parse("--short", "-o", "json", "example.com", NULL), GT_OK);
    GT_CHECK_INT(cfg.format, GT_FMT_JSON); /* the last one wins, as with -o twice */
    GT_CHECK_INT(parse("-f", "names.txt", "--short", NULL), GT_EINVAL);
    GT_CHECK(has("with -f, use -o jsonl"));
}

/* --vs-dig repeats: every file in order, the first also as vs_dig; a bound on how many. */
static void test_vs_dig(void)
{
    GT_CHECK_INT(
        parse("--vs-dig", "a.txt", "--vs-dig", "-", "--vs-dig", "c.txt", "example.com", NULL),
        GT_OK);
    GT_CHECK(cfg.nvs_digs == 3 && strcmp(cfg.vs_dig, "a.txt") == 0 &&
             strcmp(cfg.vs_digs[1], "-") == 0 && strcmp(cfg.vs_digs[2], "c.txt") == 0);
    char *argv[2 * (GT_CFG_MAX_VS_DIG + 1) + 3]; /* name, 65 pairs, operand, NULL */
    int n = 0;
    argv[n++] = (char *)(uintptr_t) "gluetrace";
    for (size_t i = 0; i <= GT_CFG_MAX_VS_DIG; i++) {
        argv[n++] = (char *)(uintptr_t) "--vs-dig";
        argv[n++] = (char *)(uintptr_t) "x.txt";
    }
    argv[n++] = (char *)(uintptr_t) "example.com";
    argv[n] = NULL;
    GT_CHECK_INT(gt_cli_parse(n, argv, &cfg, &action, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(has("--vs-dig may be given at most 64 times"));
}

/* dig's +words: taken where they mean something, answered with gluetrace's spelling if not. */
static void test_dig_words(void)
{
    GT_CHECK_INT(parse("+short", "www.example.com", NULL), GT_OK);
    GT_CHECK_INT(cfg.format, GT_FMT_SHORT);
    GT_CHECK(cfg.qname.len > 0);
    GT_CHECK_INT(parse("www.example.com", "+trace", "+nodnssec", "+tcp", "+norec", "MX", NULL),
                 GT_OK);
    GT_CHECK(!cfg.dnssec && cfg.tcp && cfg.format == GT_FMT_TEXT && cfg.qtype == 15);
    GT_CHECK_INT(parse("--no-dnssec", "+dnssec", "+noedns", "example.com", NULL), GT_OK);
    GT_CHECK(cfg.dnssec && !cfg.edns);
    GT_CHECK_INT(parse("@127.0.0.1", "+SHORT", "example.com", NULL), GT_OK);
    GT_CHECK(cfg.have_server && cfg.format == GT_FMT_SHORT);
    GT_CHECK_INT(parse("+noall", "+answer", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("unknown dig option '+noall'"));
    GT_CHECK_INT(parse("+recurse", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("--compare-resolver"));
    GT_CHECK_INT(parse("+notrace", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("@ADDR"));
    GT_CHECK_INT(parse("+yaml", "example.com", NULL), GT_EINVAL);
    GT_CHECK(has("-o json"));
    GT_CHECK_INT(parse("+", "example.com", NULL), GT_EINVAL); /* '+' is not a word: a name */
}

/* --explain CODE (any case) and --explain list. */
static void test_explain(void)
{
    GT_CHECK_INT(parse("--explain", "ns_is_cname", NULL), GT_OK);
    GT_CHECK(action == GT_CLI_EXPLAIN && cfg.explain == GT_F_NS_IS_CNAME);
    GT_CHECK_INT(parse("--explain", "list", NULL), GT_OK);
    GT_CHECK_INT(action, GT_CLI_EXPLAIN_LIST);
    GT_CHECK_INT(parse("--explain", "NO_SUCH_CODE", NULL), GT_EINVAL);
    GT_CHECK(has("--explain list"));
}

/* The rest of the table: every handler kind, and the messages that stayed as they were. */
static void test_table(void)
{
    GT_CHECK_INT(parse("-t", "AAAA", "--hints", "h.txt", "-6", "--one", "--tcp", "--bufsize",
                       "4096", "--no-edns", "--timeout", "30000", "--retries", "5", "--max-queries",
                       "1", "--no-cache", "--no-checks", "--quiet", "--colour", "never", "--strict",
                       "--compare-resolver=192.0.2.53", "--vs-dig", "-", "-v", "example.com", NULL),
                 GT_OK);
    GT_CHECK(cfg.qtype == GT_TYPE_AAAA && cfg.family == AF_INET6 && cfg.one_path && cfg.tcp);
    GT_CHECK(strcmp(cfg.hints_file, "h.txt") == 0 && strcmp(cfg.vs_dig, "-") == 0);
    GT_CHECK(cfg.bufsize == 4096 && !cfg.edns && cfg.timeout_ms == 30000 && cfg.retries == 5);
    GT_CHECK(cfg.max_queries == 1 && cfg.no_cache && cfg.no_checks && cfg.quiet);
    GT_CHECK(cfg.color == GT_COLOR_NEVER && cfg.strict && cfg.verbose);
    GT_CHECK(cfg.compare_resolver && cfg.nresolvers == 1 &&
             is_addr(&cfg.resolvers[0].addr, "192.0.2.53"));
    GT_CHECK_INT(parse("-f", "n.txt", "--concurrency", "1024", "-o", "jsonl", NULL), GT_OK);
    GT_CHECK(cfg.concurrency == 1024 && strcmp(cfg.names_file, "n.txt") == 0);

    GT_CHECK_INT(parse("--timeout", "0", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--timeout must be milliseconds from 1 to 30000");
    GT_CHECK_INT(parse("--timeout", "30001", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--timeout must be milliseconds from 1 to 30000");
    GT_CHECK_INT(parse("--retries", "6", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--retries must be a number from 0 to 5");
    GT_CHECK_INT(parse("-6", "-s", "192.0.2.1", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "-6 leaves no server to ask: -s 192.0.2.1 is an IPv4 address");
    GT_CHECK_INT(parse("--max-queries", "-1", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--max-queries must be a number from 1 to 1000000");
    GT_CHECK_INT(parse("--concurrency", "1025", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--concurrency must be a number from 1 to 1024");
    GT_CHECK_INT(parse("--bufsize", "511", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--bufsize must be a number from 512 to 4096");
    GT_CHECK_INT(parse("--color", "sometimes", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--color must be auto, always or never");
    GT_CHECK_INT(parse("-o", "xml", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "unknown format 'xml' (text, json, jsonl, dot, dig or short)");
    GT_CHECK_INT(parse("-4", "-6", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "-4 and -6 cannot be combined");
    GT_CHECK_INT(parse("-t", "BOGUS", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "unknown query type 'BOGUS'");
    GT_CHECK_INT(parse("-t", "MX", "x", "A", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "query type given twice ('-t' and 'A')");
    GT_CHECK_INT(parse("x", "OPT", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "OPT is not a query type");
    GT_CHECK_INT(parse("--timeout", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "option '--timeout' needs a value");
    GT_CHECK_INT(parse("-Z", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "unknown option '-Z' (see --help)");
    GT_CHECK_INT(parse("--frobnicate", "x", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "unknown option '--frobnicate' (see --help)");
    GT_CHECK_INT(parse("--compare-resolver=resolver", "x", NULL), GT_EINVAL);
    GT_CHECK(has("'resolver' is not an address, 'system' or a named set"));
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "2/3", "--shard-by", "zone", "--resume", "o.jsonl",
                       "-o", "jsonl", NULL),
                 GT_OK);
    GT_CHECK(cfg.shard_index == 2 && cfg.shard_count == 3 && cfg.shard_labels == 2);
    GT_CHECK(strcmp(cfg.resume, "o.jsonl") == 0);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "0/1", "--shard-by", "zone:3", NULL), GT_OK);
    GT_CHECK(cfg.shard_index == 0 && cfg.shard_count == 1 && cfg.shard_labels == 3);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard-by", "zone", "--shard-by", "name", NULL), GT_OK);
    GT_CHECK(cfg.shard_labels == 0 && cfg.shard_count == 0 && cfg.resume == NULL);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "3/3", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--shard 3/3: I runs from 0 to 2 (0-based, as a Kubernetes completion "
                      "index); for 1-based numbering as GNU split write --shard l/3/3");
    /* GNU split's 1-based l/K/N */
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "l/3/3", NULL), GT_OK);
    GT_CHECK(cfg.shard_index == 2 && cfg.shard_count == 3);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "l/1/1", NULL), GT_OK);
    GT_CHECK(cfg.shard_index == 0 && cfg.shard_count == 1);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "l/0/3", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--shard l/0/3: with l/K/N (1-based, as GNU split) K runs from 1 to 3");
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "l/4/3", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "2/70000", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--shard 2/70000: N must be from 1 to 65536");
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "1", NULL), GT_EINVAL);
    GT_CHECK(has("--shard wants I/N"));
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "/2", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "0/0", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard", "-1/2", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("-f", "n.txt", "--shard-by", "zone:0", NULL), GT_EINVAL);
    GT_CHECK(has("--shard-by wants name, zone or zone:K"));
    GT_CHECK_INT(parse("-f", "n.txt", "--resume", "o.jsonl", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--resume reads and continues -o jsonl output: add -o jsonl");
    GT_CHECK_INT(parse("--shard", "0/2", "a.example", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "--shard, --shard-by and --resume apply to -f FILE only");
    GT_CHECK_INT(parse("-f", "n.txt", "a.example", "A", NULL), GT_EINVAL);
    GT_CHECK_STR(err, "with -f, give at most a TYPE argument, not names");

    GT_CHECK_INT(parse("--help", "--bogus", NULL), GT_OK);
    GT_CHECK_INT(action, GT_CLI_HELP);
    GT_CHECK_INT(parse("-V", NULL), GT_OK);
    GT_CHECK_INT(action, GT_CLI_VERSION);
    GT_CHECK_INT(parse("x", NULL), GT_OK);
    GT_CHECK_INT(action, GT_CLI_RUN);
}

/* --help lists every long option of the table (the man page test checks the rest). */
static void test_help(void)
{
    char buf[16384];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    GT_CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    gt_cli_help(f);
    fclose(f);
    buf[sizeof(buf) - 1] = '\0';
    GT_CHECK(strstr(buf, "-S, --source ADDR") != NULL);
    GT_CHECK(strstr(buf, "--short") != NULL);
    GT_CHECK(strstr(buf, "'-s .'") != NULL);
    GT_CHECK(strstr(buf, "@ADDR") != NULL);
    GT_CHECK(strstr(buf, "--shard I/N") != NULL && strstr(buf, "--resume FILE") != NULL);
}

/* --compare-resolver: repeatable, comma lists, `system`, the named sets (never queried). */
static void test_resolvers(void)
{
    GT_CHECK_INT(parse("--compare-resolver=192.0.2.53", "--compare-resolver=192.0.2.54", "x", NULL),
                 GT_OK);
    GT_CHECK(cfg.nresolvers == 2 && is_addr(&cfg.resolvers[0].addr, "192.0.2.53") &&
             is_addr(&cfg.resolvers[1].addr, "192.0.2.54"));
    GT_CHECK_INT(parse("--compare-resolver=192.0.2.53,2001:db8::53,192.0.2.53", "x", NULL), GT_OK);
    GT_CHECK(cfg.nresolvers == 2 && is_addr(&cfg.resolvers[1].addr, "2001:db8::53"));
    /* the space form takes the list when a NAME follows it, else it is the NAME */
    GT_CHECK_INT(parse("--compare-resolver", "192.0.2.53", "www.example", NULL), GT_OK);
    GT_CHECK(cfg.nresolvers == 1 && is_addr(&cfg.resolvers[0].addr, "192.0.2.53"));
    char want[GT_NAME_STRLEN];
    GT_CHECK_STR(gt_name_to_str(&cfg.qname, want, sizeof(want)) ? want : "", "www.example.");
    GT_CHECK_INT(parse("www.example", "--compare-resolver", "192.0.2.53,2001:db8::1", NULL), GT_OK);
    GT_CHECK(cfg.nresolvers == 2 && is_addr(&cfg.resolvers[1].addr, "2001:db8::1"));
    GT_CHECK_STR(gt_name_to_str(&cfg.qname, want, sizeof(want)) ? want : "", "www.example.");
    GT_CHECK_INT(parse("--compare-resolver", "google", NULL), GT_OK); /* the TLD google. */
    GT_CHECK(cfg.nresolvers == 1 && strcmp(cfg.resolvers[0].set, "system") == 0);
    GT_CHECK_STR(gt_name_to_str(&cfg.qname, want, sizeof(want)) ? want : "", "google.");
    GT_CHECK_INT(parse("--compare-resolver", "www.example", NULL), GT_OK);
    GT_CHECK(cfg.nresolvers == 1 && cfg.resolvers[0].addr.family == 0 &&
             strcmp(cfg.resolvers[0].set, "system") == 0);
    GT_CHECK_STR(gt_name_to_str(&cfg.qname, want, sizeof(want)) ? want : "", "www.example.");
    GT_CHECK_INT(parse("--compare-resolver=google,cloudflare", "--compare-resolver=quad9,opendns",
                       "x", NULL),
                 GT_OK);
    GT_CHECK_INT((int)cfg.nresolvers, 16);
    GT_CHECK(is_addr(&cfg.resolvers[0].addr, "8.8.8.8") &&
             is_addr(&cfg.resolvers[3].addr, "2001:4860:4860::8844") &&
             is_addr(&cfg.resolvers[4].addr, "1.1.1.1") &&
             is_addr(&cfg.resolvers[7].addr, "2606:4700:4700::1001") &&
             is_addr(&cfg.resolvers[8].addr, "9.9.9.9") &&
             is_addr(&cfg.resolvers[11].addr, "2620:fe::9") &&
             is_addr(&cfg.resolvers[12].addr, "208.67.222.222") &&
             is_addr(&cfg.resolvers[15].addr, "2620:119:53::53"));
    GT_CHECK(strcmp(cfg.resolvers[0].set, "google") == 0 &&
             strcmp(cfg.resolvers[15].set, "opendns") == 0);
    GT_CHECK_INT(parse("--compare-resolver=192.0.2.1,bogus", "x", NULL), GT_EINVAL);
    GT_CHECK(has("'bogus' is not an address, 'system' or a named set"));
    GT_CHECK_INT(parse("--compare-resolver=192.0.2.1,", "x", NULL), GT_EINVAL);
    GT_CHECK_INT(parse("--samples", "3", "--compare-resolver=system", "x", NULL), GT_OK);
    GT_CHECK(cfg.samples == 3 && gt_resolver_list_wants_system(cfg.resolvers, cfg.nresolvers));
    GT_CHECK_INT(parse("--samples", "11", "x", NULL), GT_EINVAL);

    /* `system` is replaced in place by every nameserver of resolv.conf */
    gt_addr sys[GT_RESOLV_CONF_MAX_NS];
    size_t nsys = 0;
    GT_CHECK_INT(gt_resolvconf_parse("# c\nnameserver 192.0.2.7\nsearch x\n nameserver "
                                     "fe80::1%eth0\nnameserver 192.0.2.7\nnameserver bad\n",
                                     sys, GT_RESOLV_CONF_MAX_NS, &nsys, err, sizeof(err)),
                 GT_OK);
    GT_CHECK(nsys == 2 && is_addr(&sys[0], "192.0.2.7") && is_addr(&sys[1], "fe80::1"));
    GT_CHECK_INT(
        gt_resolvconf_parse("search x\n", sys, GT_RESOLV_CONF_MAX_NS, &nsys, err, sizeof(err)),
        GT_EINVAL);
    GT_CHECK_INT(parse("--compare-resolver=192.0.2.1,system,192.0.2.7,192.0.2.9", "x", NULL),
                 GT_OK);
    gt_addr two[2];
    gt_addr_parse("192.0.2.7", &two[0]);
    gt_addr_parse("192.0.2.8", &two[1]);
    GT_CHECK_INT(gt_resolver_list_system(cfg.resolvers, &cfg.nresolvers, two, 2, err, sizeof(err)),
                 GT_OK);
    GT_CHECK_INT((int)cfg.nresolvers, 4);
    GT_CHECK(is_addr(&cfg.resolvers[0].addr, "192.0.2.1") &&
             is_addr(&cfg.resolvers[1].addr, "192.0.2.7") &&
             is_addr(&cfg.resolvers[2].addr, "192.0.2.8") &&
             is_addr(&cfg.resolvers[3].addr, "192.0.2.9"));
    GT_CHECK(strcmp(cfg.resolvers[1].set, "system") == 0 && cfg.resolvers[3].set[0] == '\0');
    GT_CHECK(!gt_resolver_list_wants_system(cfg.resolvers, cfg.nresolvers));
}

int main(void)
{
    test_resolvers();
    test_server();
    test_source();
    test_short();
    test_dig_words();
    test_explain();
    test_table();
    test_vs_dig();
    test_help();
    return gt_test_done();
}
