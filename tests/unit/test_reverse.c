/*
 * -x ADDR: the reverse-mapping names of IPv4 and IPv6 addresses (as dig -x makes them), type
 * PTR unless -t says otherwise, and the usage errors around it.
 */
#include <string.h>

#include "gluetrace/cli/cli.h"
#include "gluetrace/wire/rrtype.h"
#include "tap.h"

static gt_status parse(gt_config *cfg, char *err, size_t errlen, int argc, char **argv)
{
    gt_cli_action action;
    return gt_cli_parse(argc, argv, cfg, &action, err, errlen);
}

static void check_x(const char *addr, const char *want)
{
    char a0[] = "gluetrace", a1[] = "-x", a2[64];
    snprintf(a2, sizeof(a2), "%s", addr);
    char *argv[] = {a0, a1, a2, NULL};
    gt_config cfg;
    char err[256], got[GT_NAME_STRLEN];
    GT_CHECK_INT(parse(&cfg, err, sizeof(err), 3, argv), GT_OK);
    GT_CHECK_STR(gt_name_str(&cfg.qname, got, sizeof(got)), want);
    GT_CHECK_INT(cfg.qtype, GT_TYPE_PTR);
}

int main(void)
{
    check_x("192.0.2.1", "1.2.0.192.in-addr.arpa.");
    check_x("10.0.0.255", "255.0.0.10.in-addr.arpa.");
    check_x("2001:db8::567:89ab", "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
                                  "ip6.arpa.");
    check_x("::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.");

    gt_config cfg;
    char err[256];
    { /* -t wins over PTR */
        char a0[] = "gluetrace", a1[] = "-x", a2[] = "192.0.2.1", a3[] = "-t", a4[] = "TXT";
        char *argv[] = {a0, a1, a2, a3, a4, NULL};
        GT_CHECK_INT(parse(&cfg, err, sizeof(err), 5, argv), GT_OK);
        GT_CHECK_INT(cfg.qtype, GT_TYPE_TXT);
    }
    { /* not an address */
        char a0[] = "gluetrace", a1[] = "-x", a2[] = "www.example.com";
        char *argv[] = {a0, a1, a2, NULL};
        GT_CHECK_INT(parse(&cfg, err, sizeof(err), 3, argv), GT_EINVAL);
        GT_CHECK(strstr(err, "-x needs an IPv4 or IPv6 address") != NULL);
    }
    { /* a NAME beside -x */
        char a0[] = "gluetrace", a1[] = "-x", a2[] = "192.0.2.1", a3[] = "www.example.com";
        char *argv[] = {a0, a1, a2, a3, NULL};
        GT_CHECK_INT(parse(&cfg, err, sizeof(err), 4, argv), GT_EINVAL);
        GT_CHECK(strstr(err, "with -x, give no NAME") != NULL);
    }
    return gt_test_done();
}
