/* Unit tests of the root hints: built-in list, named.root parser, file loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gluetrace/dns/hints.h"
#include "tap.h"

/* The layout of IANA's named.root, shortened to three servers. */
static const char real_layout[] =
    ";       This file holds the information on root name servers needed to\n"
    ";       initialize cache of Internet domain name servers\n"
    ";       (e.g. reference this file in the \"cache  .  <file>\"\n"
    ";       configuration file of BIND domain name servers).\n"
    ";\n"
    ";       last update:     November 18, 2024\n"
    ";       related version of root zone:     2024111801\n"
    ";\n"
    "; FORMERLY NS.INTERNIC.NET\n"
    ";\n"
    ".                        3600000      NS    A.ROOT-SERVERS.NET.\n"
    "A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4\n"
    "A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30\n"
    "; \n"
    "; FORMERLY NS1.ISI.EDU\n"
    ";\n"
    ".                        3600000      NS    B.ROOT-SERVERS.NET.\n"
    "B.ROOT-SERVERS.NET.      3600000      A     170.247.170.2\n"
    "B.ROOT-SERVERS.NET.      3600000      AAAA  2801:1b8:10::b\n"
    ";\n"
    "; OPERATED BY WIDE\n"
    ";\n"
    ".                        3600000      NS    M.ROOT-SERVERS.NET.\n"
    "M.ROOT-SERVERS.NET.      3600000      A     202.12.27.33\n"
    "M.ROOT-SERVERS.NET.      3600000      AAAA  2001:dc3::35\n"
    "; END OF FILE\n";

static bool has_addr(const gt_hint_server *s, const char *text)
{
    gt_addr a;

    if (gt_addr_parse(text, &a) != GT_OK) {
        return false;
    }
    for (size_t i = 0; i < s->naddrs; i++) {
        if (gt_addr_eq(&s->addrs[i], &a)) {
            return true;
        }
    }
    return false;
}

static bool name_is(const gt_name *n, const char *text)
{
    gt_name want;

    return gt_name_from_str(&want, text) == GT_OK && gt_name_eq(n, &want);
}

static void test_builtin(void)
{
    static gt_hints h;
    char buf[GT_ADDR_STRLEN];

    gt_hints_builtin(&h);
    GT_CHECK_INT(h.nservers, 13);
    for (size_t i = 0; i < h.nservers; i++) {
        char want[32];

        snprintf(want, sizeof(want), "%c.root-servers.net.", (int)('a' + i));
        GT_CHECK(name_is(&h.servers[i].name, want));
        GT_CHECK_INT(h.servers[i].naddrs, 2);
        GT_CHECK_INT(h.servers[i].addrs[0].family, AF_INET);
        GT_CHECK_INT(h.servers[i].addrs[1].family, AF_INET6);
        GT_CHECK_INT(h.servers[i].addrs[0].port, 53);
    }
    GT_CHECK(name_is(&h.servers[1].name, "B.ROOT-SERVERS.NET"));
    GT_CHECK_STR(gt_addr_to_str(&h.servers[1].addrs[0], buf, sizeof(buf)), "170.247.170.2");
    GT_CHECK_STR(gt_addr_to_str(&h.servers[1].addrs[1], buf, sizeof(buf)), "2801:1b8:10::b");
    GT_CHECK(has_addr(&h.servers[0], "198.41.0.4"));
    GT_CHECK(has_addr(&h.servers[0], "2001:503:ba3e::2:30"));
    GT_CHECK(has_addr(&h.servers[6], "2001:500:12::d0d"));
    GT_CHECK(has_addr(&h.servers[12], "202.12.27.33"));
    GT_CHECK(has_addr(&h.servers[12], "2001:dc3::35"));
}

static void test_parse_real_layout(void)
{
    static gt_hints h;
    char err[256] = "untouched";

    GT_CHECK_INT(gt_hints_parse(real_layout, &h, err, sizeof(err)), GT_OK);
    GT_CHECK_STR(err, "");
    GT_CHECK_INT(h.nservers, 3);
    if (h.nservers == 3) {
        GT_CHECK(name_is(&h.servers[0].name, "a.root-servers.net"));
        GT_CHECK(name_is(&h.servers[1].name, "b.root-servers.net"));
        GT_CHECK(name_is(&h.servers[2].name, "m.root-servers.net"));
        GT_CHECK_INT(h.servers[1].naddrs, 2);
        GT_CHECK(has_addr(&h.servers[1], "170.247.170.2"));
        GT_CHECK(has_addr(&h.servers[1], "2801:1b8:10::b"));
        GT_CHECK(has_addr(&h.servers[2], "2001:dc3::35"));
    }
}

static void test_parse_variants(void)
{
    static gt_hints h;
    char err[256];
    /* $TTL, explicit class (before or after the TTL), no TTL, CRLF, addresses before the NS,
     * a blank owner continuing the previous one, lower case, a repeated NS and address. */
    const char *text = "$TTL 518400\n"
                       "ns1.example.   IN 3600 A 192.0.2.1\r\n"
                       "               AAAA 2001:db8::1 ; same owner\n"
                       ".  3600000 IN NS ns1.example.\n"
                       ".  NS ns2.example\n"
                       ". IN NS NS1.EXAMPLE.\n"
                       "ns2.example. 60 IN A 192.0.2.2\n"
                       "ns2.example. A 192.0.2.2\n"
                       "\n"
                       "\t\n";

    GT_CHECK_INT(gt_hints_parse(text, &h, err, sizeof(err)), GT_OK);
    GT_CHECK_INT(h.nservers, 2);
    if (h.nservers == 2) {
        GT_CHECK(name_is(&h.servers[0].name, "ns1.example"));
        GT_CHECK_INT(h.servers[0].naddrs, 2);
        GT_CHECK(has_addr(&h.servers[0], "2001:db8::1"));
        GT_CHECK_INT(h.servers[1].naddrs, 1);
    }

    /* The whole built-in set written as named.root parses back to the same servers. */
    {
        static gt_hints b, p;
        static char file[8192];
        size_t off = 0;

        gt_hints_builtin(&b);
        for (size_t i = 0; i < b.nservers; i++) {
            char name[GT_NAME_STRLEN], a4[GT_ADDR_STRLEN], a6[GT_ADDR_STRLEN];
            int n;

            gt_name_to_str(&b.servers[i].name, name, sizeof(name));
            gt_addr_to_str(&b.servers[i].addrs[0], a4, sizeof(a4));
            gt_addr_to_str(&b.servers[i].addrs[1], a6, sizeof(a6));
            n = snprintf(file + off, sizeof(file) - off,
                         ".  3600000  NS  %s\n%s  3600000  A  %s\n%s  3600000  AAAA  %s\n", name,
                         name, a4, name, a6);
            if (n > 0 && (size_t)n < sizeof(file) - off) {
                off += (size_t)n;
            }
        }
        GT_CHECK_INT(gt_hints_parse(file, &p, err, sizeof(err)), GT_OK);
        GT_CHECK_INT(p.nservers, 13);
        GT_CHECK(memcmp(&p, &b, sizeof(p)) == 0);
    }
}

/** Parse @p text, expect @p want_st and an error naming @p line and containing @p what. */
static void expect_error(const char *text, gt_status want_st, unsigned line, const char *what)
{
    static gt_hints h;
    char err[256] = "";
    char prefix[32];
    gt_status st;

    snprintf(prefix, sizeof(prefix), "line %u: ", line);
    h.nservers = 99;
    st = gt_hints_parse(text, &h, err, sizeof(err));
    GT_CHECK_INT(st, want_st);
    GT_CHECK_INT(h.nservers, 0);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, what) == NULL ||
        strchr(err, '\n') != NULL) {
        gt_test_failed++;
        fprintf(stderr, "error message \"%s\", want \"%s...%s\"\n", err, prefix, what);
    } else {
        gt_test_passed++;
    }
}

static void test_parse_errors(void)
{
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 MX 10 mx.example.\n",
                 GT_EINVAL, 2, "'MX'");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 FOO 1.2.3.4\n",
                 GT_EINVAL, 2, "unknown record type 'FOO'");
    expect_error("; comment\n"
                 ". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 1.2.3\n",
                 GT_EINVAL, 3, "bad IPv4 address '1.2.3'");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 2001:db8::1\n",
                 GT_EINVAL, 2, "bad IPv4 address");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 AAAA 2001:db8::g\n",
                 GT_EINVAL, 2, "bad IPv6 address");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "com. 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 192.0.2.1\n",
                 GT_EINVAL, 2, "NS owner must be '.'");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 192.0.2.1\n"
                 "b.root-servers.net. 3600000 A 192.0.2.2\n",
                 GT_EINVAL, 3, "not a root NS name");
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 ". 3600000 NS b.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 192.0.2.1\n",
                 GT_EINVAL, 2, "'b.root-servers.net.' has no A or AAAA");
    expect_error("", GT_EINVAL, 1, "without any root NS");
    expect_error("; only a comment\n\n", GT_EINVAL, 2, "without any root NS");
    expect_error("a.root-servers.net. 3600000 A 192.0.2.1\n", GT_EINVAL, 1, "without any root NS");
    expect_error(". 3600000 NS\n", GT_EINVAL, 1, "missing RDATA");
    expect_error(". 3600000 NS a. b.\n", GT_EINVAL, 1, "unexpected 'b.'");
    expect_error(". 3600000\n", GT_EINVAL, 1, "missing record type");
    expect_error(". 3600000 NS a..root\n", GT_EINVAL, 1, "bad NS name");
    expect_error("a..b 3600000 A 192.0.2.1\n", GT_EINVAL, 1, "bad owner name");
    expect_error(". 3600000 CH NS a.root-servers.net.\n", GT_EINVAL, 1, "unsupported class");
    expect_error("$ORIGIN example.\n", GT_EINVAL, 1, "directive");
    expect_error("$TTL\n", GT_EINVAL, 1, "directive");
    expect_error("   A 192.0.2.1\n", GT_EINVAL, 1, "without an owner");
    expect_error(". 99999999999 NS a.root-servers.net.\n", GT_EINVAL, 1, "bad TTL");
    /* Control bytes in the input are not echoed raw. */
    expect_error(". 3600000 NS a.root-servers.net.\n"
                 "a.root-servers.net. 3600000 A 1.2.3.\x1b[2J\n",
                 GT_EINVAL, 2, "'1.2.3.?[2J'");

    /* Limits. */
    {
        static char text[64 * 80 + 200];
        size_t off = 0;

        for (int i = 0; i <= GT_MAX_HINT_SERVERS; i++) {
            int n = snprintf(text + off, sizeof(text) - off, ". NS ns%d.example.\n", i);

            if (n > 0 && (size_t)n < sizeof(text) - off) {
                off += (size_t)n;
            }
        }
        expect_error(text, GT_ELIMIT, GT_MAX_HINT_SERVERS + 1, "more than 64");
        off = 0;
        off += (size_t)snprintf(text, sizeof(text), ". NS ns.example.\n");
        for (int i = 0; i <= GT_MAX_HINT_ADDRS; i++) {
            int n = snprintf(text + off, sizeof(text) - off, "ns.example. A 192.0.2.%d\n", i);

            if (n > 0 && (size_t)n < sizeof(text) - off) {
                off += (size_t)n;
            }
        }
        expect_error(text, GT_ELIMIT, GT_MAX_HINT_ADDRS + 2, "more than 8 addresses");
    }

    /* A NULL or zero-size error buffer is fine. */
    {
        static gt_hints h;

        GT_CHECK_INT(gt_hints_parse("", &h, NULL, 0), GT_EINVAL);
        GT_CHECK_INT(gt_hints_parse(real_layout, &h, NULL, 0), GT_OK);
    }
}

static void test_load(void)
{
    static gt_hints h;
    char err[256] = "";
    char path[64];
    const char *dir = getenv("TMPDIR");
    int fd;

    GT_CHECK_INT(gt_hints_load("/nonexistent-gluetrace-dir/named.root", &h, err, sizeof(err)),
                 GT_EIO);
    GT_CHECK(strstr(err, "cannot open") != NULL);

    snprintf(path, sizeof(path), "%s/gt_hints_XXXXXX",
             dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
    fd = mkstemp(path);
    GT_CHECK(fd >= 0);
    if (fd < 0) {
        return;
    }
    GT_CHECK_INT(write(fd, real_layout, sizeof(real_layout) - 1), (long)sizeof(real_layout) - 1);
    close(fd);
    GT_CHECK_INT(gt_hints_load(path, &h, err, sizeof(err)), GT_OK);
    GT_CHECK_INT(h.nservers, 3);
    unlink(path);
}

int main(void)
{
    test_builtin();
    test_parse_real_layout();
    test_parse_variants();
    test_parse_errors();
    test_load();
    return gt_test_done();
}
