/*
 * --vs-dig and -o dig: real `dig +trace` outputs captured in the lab (tests/golden/dig/)
 * compared with traces of a scripted world that mirrors the lab's addresses, plus malformed
 * and hostile inputs.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gluetrace/output/render.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/diagnose/vsdig.h"
#include "miniauth.h"
#include "tap.h"

/* The lab's roots and test. servers, each serving its zone on IPv4 and IPv6. */
#define ROOT_ZONE                                                                                  \
    ". SOA a.root-servers.test. h.root-servers.test. 1 1800 900 604800 86400",                     \
        ". NS a.root-servers.test.", ". NS b.root-servers.test.", "test. NS ns1.nic.test.",        \
        "test. NS ns2.nic.test.", "example. NS ns1.nic.example.", "ns1.nic.test. A 127.53.1.1",    \
        "ns1.nic.test. AAAA 2001:db8:53:1::1", "ns2.nic.test. A 127.53.1.2",                       \
        "ns2.nic.test. AAAA 2001:db8:53:1::2", "ns1.nic.example. A 127.53.2.1"
#define ROOTS                                                                                      \
    "@127.53.0.1 .", ROOT_ZONE, "@2001:db8:53::1 .", ROOT_ZONE, "@127.53.0.2 .", ROOT_ZONE,        \
        "@2001:db8:53::2 .", ROOT_ZONE
#define TEST_ZONE                                                                                  \
    "test. SOA ns1.nic.test. h.nic.test. 1 1800 900 604800 86400", "test. NS ns1.nic.test.",       \
        "test. NS ns2.nic.test.", "ns1.nic.test. A 127.53.1.1",                                    \
        "ns1.nic.test. AAAA 2001:db8:53:1::1", "ns2.nic.test. A 127.53.1.2",                       \
        "ns2.nic.test. AAAA 2001:db8:53:1::2", "normal.test. NS ns1.normal.test.",                 \
        "normal.test. NS ns2.normal.test.", "ns1.normal.test. A 127.53.101.1",                     \
        "ns1.normal.test. AAAA 2001:db8:53:101::1", "ns2.normal.test. A 127.53.101.2",             \
        "ns2.normal.test. AAAA 2001:db8:53:101::2", "stale.test. NS ns1.stale.test.",              \
        "ns1.stale.test. A 127.53.104.1", "ns1.stale.test. AAAA 2001:db8:53:104::1",               \
        "unreach.test. NS ns1.unreach.test.", "unreach.test. NS ns2.unreach.test.",                \
        "ns1.unreach.test. A 127.53.107.1", "ns1.unreach.test. AAAA 2001:db8:53:107::1",           \
        "ns2.unreach.test. A 127.53.107.2", "ns2.unreach.test. AAAA 2001:db8:53:107::2",           \
        "cycle.test. NS ns.cycle.example."
#define TLDS                                                                                       \
    "@127.53.1.1 test.", TEST_ZONE, "@2001:db8:53:1::1 test.", TEST_ZONE, "@127.53.1.2 test.",     \
        TEST_ZONE, "@2001:db8:53:1::2 test.", TEST_ZONE, "@127.53.2.1 example.",                   \
        "example. SOA ns1.nic.example. h.nic.example. 1 1800 900 604800 86400",                    \
        "example. NS ns1.nic.example.", "ns1.nic.example. A 127.53.2.1",                           \
        "cycle.example. NS ns.cycle.test."
#define NORMAL_ZONE                                                                                \
    "normal.test. SOA ns1.normal.test. h.normal.test. 1 1800 900 604800 86400",                    \
        "normal.test. NS ns1.normal.test.", "normal.test. NS ns2.normal.test.",                    \
        "ns1.normal.test. A 127.53.101.1", "ns1.normal.test. AAAA 2001:db8:53:101::1",             \
        "ns2.normal.test. A 127.53.101.2", "ns2.normal.test. AAAA 2001:db8:53:101::2",             \
        "www.normal.test. A 192.0.2.1"
#define STALE_ZONE                                                                                 \
    "stale.test. SOA ns1.stale.test. h.stale.test. 2 1800 900 604800 86400",                       \
        "stale.test. NS ns1.stale.test.", "ns1.stale.test. A 127.53.104.1",                        \
        "ns1.stale.test. AAAA 2001:db8:53:104::1", "www.stale.test. A 192.0.2.4"
#define UNREACH_ZONE                                                                               \
    "unreach.test. SOA ns1.unreach.test. h.unreach.test. 1 1800 900 604800 86400",                 \
        "unreach.test. NS ns1.unreach.test.", "unreach.test. NS ns2.unreach.test.",                \
        "ns1.unreach.test. A 127.53.107.1", "ns1.unreach.test. AAAA 2001:db8:53:107::1",           \
        "ns2.unreach.test. A 127.53.107.2", "ns2.unreach.test. AAAA 2001:db8:53:107::2",           \
        "www.unreach.test. A 192.0.2.7"

/* The lab, as far as these tests need it. The parking server 127.53.104.99 is not in it:
 * only a resolver would send anyone there. */
static const char *const lab_world[] = {
    ROOTS,
    TLDS,
    "@127.53.101.1 normal.test.",
    NORMAL_ZONE,
    "@2001:db8:53:101::1 normal.test.",
    NORMAL_ZONE,
    "@127.53.101.2 normal.test.",
    NORMAL_ZONE,
    "@2001:db8:53:101::2 normal.test.",
    NORMAL_ZONE,
    "@127.53.104.1 stale.test.",
    STALE_ZONE,
    "@2001:db8:53:104::1 stale.test.",
    STALE_ZONE,
    "@127.53.107.1 unreach.test.",
    UNREACH_ZONE,
    "@2001:db8:53:107::1 unreach.test.",
    UNREACH_ZONE,
    "!127.53.107.2 unreachable",
    "!2001:db8:53:107::2 unreachable",
    NULL,
};

static const char hints_text[] = ". 3600000 NS a.root-servers.test.\n"
                                 ". 3600000 NS b.root-servers.test.\n"
                                 "a.root-servers.test. 3600000 A 127.53.0.1\n"
                                 "a.root-servers.test. 3600000 AAAA 2001:db8:53::1\n"
                                 "b.root-servers.test. 3600000 A 127.53.0.2\n"
                                 "b.root-servers.test. 3600000 AAAA 2001:db8:53::2\n";

/* The signed part of the lab as dig saw it in tests/golden/dig/secure-dnssec.txt (dig +trace
 * +dnssec www.secure.example, DiG 9.18 in the lab): the DS records and RRSIGs below are copied
 * from that output, so a trace of this world gets what dig got. SEC_DS is secure.example.'s
 * DS at example.; SEC_A_SIG the RRSIG over www.secure.example. A. */
#define SEC_ROOT_ZONE                                                                              \
    ". SOA a.root-servers.test. h.root-servers.test. 1 1800 900 604800 86400",                     \
        ". NS a.root-servers.test.", ". NS b.root-servers.test.", "example. NS ns1.nic.example.",  \
        "example. NS ns2.nic.example.", "ns1.nic.example. A 127.53.2.1",                           \
        "ns1.nic.example. AAAA 2001:db8:53:2::1", "ns2.nic.example. A 127.53.2.2",                 \
        "ns2.nic.example. AAAA 2001:db8:53:2::2",                                                  \
        "example. DS 33578 13 2 009E4130335A23A08421DE264AD2F92C1179EA827DD8D7FCC51EB2CB "         \
        "5879F40B",                                                                                \
        "example. RRSIG DS 8 1 86400 20261227125228 20261127125228 12399 . "                       \
        "TfeJu//U6R4YiJTEwSm0+DOchbcX8Xcsoo/ZhG4A3QypCb2e81br3ZNd "                                \
        "vV0aFAnh2glwF1zupnXjibIl6AakCJc4Uv25azWIrPhnWqTMh7MU5ahm "                                \
        "qvLi2YtK9HPzVoaShgy0Lx6Je+/ezv1KbtfK8+VJg1Z22IHBvae4qTSO "                                \
        "Xk1G7aNtSGcwGqPFUWL2EIpFnAEmPCxNnJKaWneU3cj7R17LDiMr1hyU "                                \
        "0ecgg3dobaOyYIPbwAZc5yO53B3YGgNEM8hxG6aDV7cRzsjGHfQYMeVJ "                                \
        "QdeAfxe/Zw/mCj+Xf25NiVeXuN1DrJXDXDTF59Lz6/zFoqKRRxlffjs9 sgeB1Q=="
#define SEC_ROOTS                                                                                  \
    "@127.53.0.1 .", SEC_ROOT_ZONE, "@2001:db8:53::1 .", SEC_ROOT_ZONE, "@127.53.0.2 .",           \
        SEC_ROOT_ZONE, "@2001:db8:53::2 .", SEC_ROOT_ZONE
#define SEC_EXAMPLE_ZONE(SEC_DS)                                                                   \
    "example. SOA ns1.nic.example. h.nic.example. 1 1800 900 604800 86400",                        \
        "example. NS ns1.nic.example.", "example. NS ns2.nic.example.",                            \
        "ns1.nic.example. A 127.53.2.1", "ns1.nic.example. AAAA 2001:db8:53:2::1",                 \
        "ns2.nic.example. A 127.53.2.2", "ns2.nic.example. AAAA 2001:db8:53:2::2",                 \
        "secure.example. NS ns1.secure.example.", "ns1.secure.example. A 127.53.140.1",            \
        "ns1.secure.example. AAAA 2001:db8:53:140::1", SEC_DS,                                     \
        "secure.example. RRSIG DS 13 2 86400 20261227125227 20261127125227 37166 example. "        \
        "8gDL8ZXBGg5i/0Q7KPwO64SeLwNIbuzrG0qLwpWeNhNvbejm7HEB3XPL "                                \
        "xbhZPyYYhZNZWZCoCuGxFzHg072GEA=="
#define SEC_EXAMPLES(SEC_DS)                                                                       \
    "@127.53.2.1 example.", SEC_EXAMPLE_ZONE(SEC_DS), "@2001:db8:53:2::1 example.",                \
        SEC_EXAMPLE_ZONE(SEC_DS), "@127.53.2.2 example.", SEC_EXAMPLE_ZONE(SEC_DS),                \
        "@2001:db8:53:2::2 example.", SEC_EXAMPLE_ZONE(SEC_DS)
#define SEC_SECURE_ZONE(SEC_A_SIG)                                                                 \
    "secure.example. SOA ns1.secure.example. h.secure.example. 1 1800 900 604800 86400",           \
        "secure.example. NS ns1.secure.example.", "ns1.secure.example. A 127.53.140.1",            \
        "ns1.secure.example. AAAA 2001:db8:53:140::1", "www.secure.example. A 192.0.2.140",        \
        SEC_A_SIG,                                                                                 \
        "secure.example. RRSIG NS 15 2 3600 20261227125227 20261127125227 39820 secure.example. "  \
        "13dsbWJbq3emsQYGOI50hsweEPFD4rJuS+yolKAD/kGHvZlbUMCu2Yvt "                                \
        "MxsoFS2YgeDvIJqP55e4nUUPfXs8BA=="
#define SEC_WORLD(SEC_DS, SEC_A_SIG)                                                               \
    SEC_ROOTS, SEC_EXAMPLES(SEC_DS), "@127.53.140.1 secure.example.", SEC_SECURE_ZONE(SEC_A_SIG),  \
        "@2001:db8:53:140::1 secure.example.", SEC_SECURE_ZONE(SEC_A_SIG), NULL
#define SEC_DS_AS_DIG                                                                              \
    "secure.example. DS 20132 15 2 E86986FFCF4AB29919E8551C9714B0F4EA36E9B171B4E998D3298B25 "      \
    "4B1515B1"
#define SEC_A_SIG_AS_DIG                                                                           \
    "www.secure.example. RRSIG A 15 3 3600 20261227125227 20261127125227 39820 secure.example. "   \
    "dTWx+WtLCggwajoJO/+VYkWCORJlzoQjZBS/le0xnejskGl7MfI1MoD5 BB6uy2joR0+lCbb0hIZfw/bKKuKqAA=="

/* As dig saw it. */
static const char *const sec_world[] = {SEC_WORLD(SEC_DS_AS_DIG, SEC_A_SIG_AS_DIG)};
/* The parent has published another DS since (a new key tag), and the zone was re-signed (a
 * later expiration of the RRSIG over the answer). */
static const char *const sec_world_changed[] = {SEC_WORLD(
    "secure.example. DS 20133 15 2 "
    "E86986FFCF4AB29919E8551C9714B0F4EA36E9B171B4E998D3298B254B1515B1",
    "www.secure.example. RRSIG A 15 3 3600 20270101000000 20261127125227 39820 secure.example. "
    "dTWx+WtLCggwajoJO/+VYkWCORJlzoQjZBS/le0xnejskGl7MfI1MoD5 BB6uy2joR0+lCbb0hIZfw/bKKuKqAA==")};

typedef struct run {
    mini_run m;
    gt_result *r; /* m.r */
    gt_config cfg;
} run;

static run trace_in(const char *const *world, const char *name)
{
    run x;
    gt_config_defaults(&x.cfg);
    gt_name_from_str(&x.cfg.qname, name);
    x.cfg.qtype = GT_TYPE_A;
    mini_trace(world, hints_text, &x.cfg, NULL, &x.m);
    x.r = x.m.r;
    return x;
}

static run trace(const char *name)
{
    return trace_in(lab_world, name);
}

static void done(run *x)
{
    x->m.r = x->r; /* a test may have taken the result (x->r = NULL) */
    if (x->r != NULL) {
        gt_vsdig_free(x->r->vsdig); /* borrowed by the result: its owner frees it, as main does */
    }
    mini_run_free(&x->m);
}

/* tests/golden/dig/NAME, found from this file's path (or GT_GOLDEN_DIR). */
static char *golden(const char *name, size_t *len)
{
    char path[4096];
    const char *dir = getenv("GT_GOLDEN_DIR");
    if (dir != NULL) {
        snprintf(path, sizeof(path), "%s/%s", dir, name);
    } else {
        const char *me = __FILE__, *cut = strstr(me, "unit/test_vsdig.c");
        int n = cut ? (int)(cut - me) : 0;
        snprintf(path, sizeof(path), "%.*sgolden/dig/%s", n, me, name);
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static size_t count_findings(const gt_result *r, gt_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        n += r->findings[i].code == code;
    }
    return n;
}

static size_t dig_errors(const gt_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        gt_code c = r->findings[i].code;
        n += strncmp(gt_code_name(c), "DIG_", 4) == 0 && gt_code_severity(c) == GT_SEV_ERROR;
    }
    return n;
}

/* Text of gt_vsdig_print(). Caller frees. */
static char *printed(const gt_vsdig *v)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    gt_vsdig_print(f, v);
    fclose(f);
    return buf;
}

static const char *jverdict(const gt_vsdig *v, json_t **keep)
{
    *keep = gt_vsdig_json(v);
    return json_string_value(json_object_get(*keep, "verdict"));
}

/* Compare golden file @p file with a trace of @p name; returns the comparison (or NULL). */
static gt_status compare(run *x, const char *file, gt_vsdig **v)
{
    char err[512];
    size_t len;
    char *text = golden(file, &len);
    gt_status st = gt_vsdig_compare(x->r, text, len, v, err, sizeof(err));
    if (st != GT_OK) {
        fprintf(stderr, "%s: %s\n", file, err);
    }
    free(text);
    return st;
}

static void test_stale(const char *file)
{
    run x = trace("www.stale.test");
    gt_vsdig *v = NULL;
    json_t *j;
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK_INT(compare(&x, file, &v), GT_OK);
    GT_CHECK(v != NULL);
    if (v == NULL) {
        done(&x);
        return;
    }
    GT_CHECK_INT(count_findings(x.r, GT_F_DIG_MISLED_BY_RESOLVER), 1);
    GT_CHECK_INT(count_findings(x.r, GT_F_DIG_ANSWER_DIFFERS), 1);
    GT_CHECK_INT(count_findings(x.r, GT_F_DIG_OUTPUT_UNPARSED), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 1);
    GT_CHECK_STR(jverdict(v, &j), "misled");
    json_t *steps = json_object_get(j, "steps");
    GT_CHECK_INT(json_array_size(steps), 4);
    json_t *last = json_array_get(steps, 3);
    GT_CHECK_STR(json_string_value(json_object_get(last, "zone")), "stale.test.");
    GT_CHECK_STR(json_string_value(json_object_get(last, "address")), "2001:db8:53:104::99");
    GT_CHECK_STR(json_string_value(json_object_get(last, "server_name")), "ns1.stale.test.");
    GT_CHECK_STR(json_string_value(json_object_get(last, "address_check")), "not_glue");
    GT_CHECK_INT(json_array_size(json_object_get(last, "gluetrace_addresses")), 2);
    GT_CHECK_STR(json_string_value(json_object_get(json_array_get(steps, 2), "address_check")),
                 "match");
    GT_CHECK_STR(json_string_value(json_object_get(json_array_get(steps, 0), "kind")), "root");
    GT_CHECK(json_object_get(json_object_get(j, "answer"), "same") == json_false());
    char *t = printed(v);
    GT_CHECK(strstr(t, "Verdict: dig +trace was misled by its resolver: it asked "
                       "2001:db8:53:104::99 for ns1.stale.test., but the parent's glue says "
                       "127.53.104.1, 2001:db8:53:104::1") != NULL);
    GT_CHECK(strstr(t, "192.0.2.99") != NULL);
    free(t);
    for (size_t i = 0; i < x.r->nfindings; i++) {
        const gt_finding *f = &x.r->findings[i];
        if (f->code == GT_F_DIG_MISLED_BY_RESOLVER) {
            GT_CHECK(strstr(f->message, "2001:db8:53:104::99") != NULL);
            GT_CHECK(strstr(f->message, "127.53.104.1") != NULL);
            GT_CHECK(gt_code_severity(f->code) == GT_SEV_ERROR);
        }
    }
    json_decref(j);
    x.r->vsdig = v; /* freed by done(), as main does after rendering */
    done(&x);
}

static void test_agrees(const char *file)
{
    run x = trace("www.normal.test");
    gt_vsdig *v = NULL;
    json_t *j;
    GT_CHECK_INT(compare(&x, file, &v), GT_OK);
    if (v == NULL) {
        done(&x);
        return;
    }
    GT_CHECK_STR(jverdict(v, &j), "agrees");
    GT_CHECK_INT(dig_errors(x.r), 0);
    GT_CHECK_INT(count_findings(x.r, GT_F_DIG_OUTPUT_UNPARSED), 0);
    GT_CHECK_INT(json_array_size(json_object_get(j, "steps")), 4);
    GT_CHECK(json_object_get(json_object_get(j, "answer"), "same") == json_true());
    char *t = printed(v);
    GT_CHECK(strstr(t, "Verdict: dig +trace followed the same servers and got the same answer.") !=
             NULL);
    free(t);
    json_decref(j);
    gt_vsdig_free(v);
    done(&x);
}

/* dig tried an address with nothing listening first: the note is kept, the verdict agrees. */
static void test_unreach(void)
{
    run x = trace("www.unreach.test");
    gt_vsdig *v = NULL;
    json_t *j;
    GT_CHECK_INT(compare(&x, "unreach-error.txt", &v), GT_OK);
    if (v == NULL) {
        done(&x);
        return;
    }
    GT_CHECK_STR(jverdict(v, &j), "agrees");
    json_t *notes = json_object_get(json_array_get(json_object_get(j, "steps"), 3), "notes");
    GT_CHECK_INT(json_array_size(notes), 1);
    GT_CHECK(strstr(json_string_value(json_array_get(notes, 0)), "connection refused") != NULL);
    json_decref(j);
    gt_vsdig_free(v);
    done(&x);
}

/* "couldn't get address for 'ns.cycle.example'": dig stopped; not a resolver trap. */
static void test_stopped(void)
{
    run x = trace("www.cycle.test");
    gt_vsdig *v = NULL;
    json_t *j;
    GT_CHECK_INT(compare(&x, "cycle-no-address.txt", &v), GT_OK);
    if (v == NULL) {
        done(&x);
        return;
    }
    GT_CHECK_STR(jverdict(v, &j), "stopped");
    GT_CHECK_INT(count_findings(x.r, GT_F_DIG_STOPPED), 1);
    GT_CHECK_INT(dig_errors(x.r), 0);
    json_t *last = json_array_get(json_object_get(j, "steps"), 2);
    /* the referral was printed, then dig failed to resolve its NS name */
    GT_CHECK_STR(json_string_value(json_object_get(last, "kind")), "referral");
    GT_CHECK(json_object_get(last, "address") == json_null());
    GT_CHECK_STR(json_string_value(json_object_get(last, "no_address_for")), "ns.cycle.example");
    json_decref(j);
    gt_vsdig_free(v);
    done(&x);
}

static gt_status try_text(const char *name, const char *text, size_t len, char *err, size_t errlen,
                          gt_result **keep)
{
    run x = trace(name);
    gt_vsdig *v = NULL;
    gt_status st = gt_vsdig_compare(x.r, text, len, &v, err, errlen);
    if (st == GT_OK) {
        char *t = printed(v);
        json_t *j = gt_vsdig_json(v);
        GT_CHECK(t != NULL && strstr(t, "Verdict: ") != NULL);
        GT_CHECK(j != NULL);
        free(t);
        json_decref(j);
        x.r->vsdig = v;
    } else {
        GT_CHECK(v == NULL);
        GT_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
    }
    if (keep != NULL) {
        *keep = x.r;
        x.r = NULL;
    }
    done(&x);
    return st;
}

static void test_malformed(void)
{
    char err[512];
    size_t len;
    GT_CHECK_INT(try_text("www.stale.test", "", 0, err, sizeof(err), NULL), GT_EINVAL);
    GT_CHECK(strstr(err, "empty") != NULL);
    static const char junk[] = "\x7f"
                               "ELF\x02\x01\x01\x00\x00\x00\xff\xfe";
    GT_CHECK_INT(try_text("www.stale.test", junk, sizeof(junk) - 1, err, sizeof(err), NULL),
                 GT_EINVAL);
    const char *prose = "Hello, this is not dig output.\nwww.stale.test. is a name\n";
    GT_CHECK_INT(try_text("www.stale.test", prose, strlen(prose), err, sizeof(err), NULL),
                 GT_EINVAL);
    GT_CHECK(strstr(err, "not dig +trace output") != NULL);

    /* dig output for another name */
    char *other = golden("unreach-error.txt", &len);
    GT_CHECK_INT(try_text("www.stale.test", other, len, err, sizeof(err), NULL), GT_EINVAL);
    GT_CHECK(strstr(err, "another name") != NULL);
    free(other);

    /* truncated at every byte: never crashes, always a clear status */
    char *stale = golden("stale.txt", &len);
    run x = trace("www.stale.test");
    size_t ok = 0, inval = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        gt_vsdig *v = NULL;
        gt_status st = gt_vsdig_compare(x.r, stale, cut, &v, err, sizeof(err));
        ok += st == GT_OK;
        inval += st == GT_EINVAL;
        gt_vsdig_free(v);
    }
    GT_CHECK_INT(ok + inval, len + 1);
    GT_CHECK(ok > 0 && inval > 0);
    done(&x);

    /* a huge line and control characters in the middle of real output */
    size_t huge = 200000;
    char *big = malloc(len + huge + 64);
    memset(big, 'a', huge);
    big[huge] = '\n';
    memcpy(big + huge + 1, "\x1b[31mred;; Received junk\n", 25);
    memcpy(big + huge + 26, stale, len);
    gt_result *r = NULL;
    GT_CHECK_INT(try_text("www.stale.test", big, huge + 26 + len, err, sizeof(err), &r), GT_OK);
    if (r != NULL) {
        GT_CHECK_INT(count_findings(r, GT_F_DIG_OUTPUT_UNPARSED), 1);
        GT_CHECK_INT(count_findings(r, GT_F_DIG_MISLED_BY_RESOLVER), 1);
        gt_vsdig_free(r->vsdig);
        gt_result_free(r);
    }
    free(big);

    /* many blocks: bounded */
    size_t blk = strlen(";; Received 1 bytes from 127.53.0.1#53(a.root-servers.test) in 0 ms\n");
    char *many = malloc(blk * 1000 + 1);
    for (size_t i = 0; i < 1000; i++) {
        memcpy(many + i * blk,
               ";; Received 1 bytes from 127.53.0.1#53(a.root-servers.test) in 0 ms\n", blk);
    }
    r = NULL;
    GT_CHECK_INT(try_text("www.stale.test", many, blk * 1000, err, sizeof(err), &r), GT_OK);
    if (r != NULL) {
        GT_CHECK(count_findings(r, GT_F_DIG_OUTPUT_UNPARSED) >= 1);
        gt_vsdig_free(r->vsdig);
        gt_result_free(r);
    }
    free(many);

    /* random byte flips of real output: no crash */
    srand(7);
    x = trace("www.stale.test");
    size_t fine = 0;
    for (int round = 0; round < 3000; round++) {
        char *m = malloc(len + 1);
        memcpy(m, stale, len);
        for (int k = 0; k < 1 + round % 8; k++) {
            size_t at = (size_t)rand() % len;
            m[at] = (char)(1 + rand() % 255);
        }
        gt_vsdig *v = NULL;
        gt_status st = gt_vsdig_compare(x.r, m, len, &v, err, sizeof(err));
        if (st == GT_OK) {
            char *t = printed(v);
            json_t *j = gt_vsdig_json(v);
            free(t);
            json_decref(j);
        }
        fine += st == GT_OK || st == GT_EINVAL;
        gt_vsdig_free(v);
        free(m);
    }
    GT_CHECK_INT(fine, 3000);
    done(&x);
    free(stale);
}

/* -o dig: the layout of real dig +trace (columns, blocks, Received lines) plus comments. */
static void test_render_dig(void)
{
    run x = trace("www.stale.test");
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    GT_CHECK_INT(gt_render_dig(f, x.r, &x.cfg), GT_OK);
    fclose(f);
    size_t received = 0;
    for (const char *p = buf; (p = strstr(p, ";; Received ")) != NULL; p++) {
        received++;
    }
    GT_CHECK_INT(received, 3);
    GT_CHECK(strstr(buf, ".\t\t\t3600000\tIN\tNS\ta.root-servers.test.\n") != NULL);
    GT_CHECK(strstr(buf, "stale.test.\t\t3600\tIN\tNS\tns1.stale.test.\n") != NULL);
    GT_CHECK(strstr(buf, "www.stale.test.\t\t3600\tIN\tA\t192.0.2.4\n") != NULL);
    GT_CHECK(strstr(buf, "#53(ns1.stale.test) in ") != NULL);
    GT_CHECK(strstr(buf, ";; gluetrace: 127.53.104.1 is glue for ns1.stale.test. from ") != NULL ||
             strstr(buf, ";; gluetrace: 2001:db8:53:104::1 is glue for ns1.stale.test. from ") !=
                 NULL);
    GT_CHECK(strstr(buf, "is from the root hints for") != NULL);
    GT_CHECK(strstr(buf, "192.0.2.99") == NULL);
    free(buf);
    done(&x);
}

/* dig +trace +dnssec output (real, from the lab) against a world serving what dig saw: the DS
 * set of each referral and every RRSIG dig printed match, nothing is raised. The same output
 * against a world whose parent now publishes another DS and whose answer was re-signed:
 * DIG_DS_DIFFERS (warning) with both sets, the RRSIG difference noted but not a finding. */
static void test_dnssec(void)
{
    json_t *j;
    gt_vsdig *v = NULL;
    run x = trace_in(sec_world, "www.secure.example");
    GT_CHECK_INT(compare(&x, "secure-dnssec.txt", &v), GT_OK);
    if (v != NULL) {
        GT_CHECK_STR(jverdict(v, &j), "agrees");
        GT_CHECK_INT(count_findings(x.r, GT_F_DIG_DS_DIFFERS), 0);
        json_t *d = json_object_get(j, "dnssec");
        GT_CHECK(json_object_get(d, "dig_printed_dnssec") == json_true());
        GT_CHECK_INT(json_integer_value(json_object_get(d, "ds_compared")), 2);
        GT_CHECK_INT(json_integer_value(json_object_get(d, "ds_differ")), 0);
        /* DS at the two referrals and A at the answer; not the root step (the resolver's), nor
         * the NS set dig got in the answer's AUTHORITY (this world's servers leave it out) */
        GT_CHECK_INT(json_integer_value(json_object_get(d, "rrsigs_compared")), 3);
        GT_CHECK_INT(json_integer_value(json_object_get(d, "rrsigs_differ")), 0);
        json_t *st = json_array_get(json_object_get(j, "steps"), 2);
        GT_CHECK_STR(json_string_value(json_object_get(json_object_get(st, "ds"), "check")),
                     "same");
        GT_CHECK_STR(json_string_value(json_object_get(json_object_get(st, "ds"), "dig")),
                     "20132 15 2 E86986FF...");
        json_decref(j);
        gt_vsdig_free(v);
    }
    done(&x);

    v = NULL;
    x = trace_in(sec_world_changed, "www.secure.example");
    GT_CHECK_INT(compare(&x, "secure-dnssec.txt", &v), GT_OK);
    if (v != NULL) {
        GT_CHECK_STR(jverdict(v, &j), "ds_differs");
        GT_CHECK_INT(count_findings(x.r, GT_F_DIG_DS_DIFFERS), 1);
        GT_CHECK_INT(dig_errors(x.r), 0);
        GT_CHECK_INT(gt_result_exit_code(x.r, false), 0); /* a warning */
        GT_CHECK_INT(gt_result_exit_code(x.r, true), 1);
        for (size_t i = 0; i < x.r->nfindings; i++) {
            if (x.r->findings[i].code == GT_F_DIG_DS_DIFFERS) {
                GT_CHECK_STR(x.r->findings[i].message,
                             "dig +trace saw 20132 15 2 E86986FF... for secure.example. (from "
                             "ns1.nic.example. (127.53.2.1)); the servers of example. gave "
                             "gluetrace 20133 15 2 E86986FF...");
            }
        }
        json_t *d = json_object_get(j, "dnssec");
        GT_CHECK_INT(json_integer_value(json_object_get(d, "ds_differ")), 1);
        GT_CHECK_INT(json_integer_value(json_object_get(d, "rrsigs_differ")), 1);
        json_t *diff = json_array_get(
            json_object_get(json_array_get(json_object_get(j, "steps"), 3), "rrsig_differences"),
            0);
        GT_CHECK_STR(json_string_value(json_object_get(diff, "type_covered")), "A");
        GT_CHECK_STR(json_string_value(json_object_get(diff, "signer")), "secure.example.");
        GT_CHECK_INT(json_integer_value(json_object_get(diff, "key_tag")), 39820);
        GT_CHECK_STR(json_string_value(json_object_get(diff, "expiration")), "20261227125227");
        GT_CHECK_STR(json_string_value(json_object_get(diff, "gluetrace")),
                     "key 39820 alg 15 until 20270101000000");
        char *t = printed(v);
        GT_CHECK(strstr(t, "       DS DIFFERS: dig saw 20132 15 2 E86986FF...; the parent's "
                           "servers gave gluetrace 20133 15 2 E86986FF...; secure.example. is "
                           "indeterminate (no trust anchor)\n") != NULL);
        GT_CHECK(strstr(t, "       DS: 33578 13 2 009E4130..., as dig saw it; example. is "
                           "indeterminate (no trust anchor)\n") != NULL);
        GT_CHECK(strstr(t, "       RRSIG A of www.secure.example. by secure.example. key 39820 "
                           "alg 15 until 20261227125227 (dig) not among gluetrace's: key 39820 "
                           "alg 15 until 20270101000000\n") != NULL);
        free(t);
        json_decref(j);
        gt_vsdig_free(v);
    }
    done(&x);

    /* the same world, asked with --no-dnssec: nothing to compare with, nothing raised */
    v = NULL;
    gt_config_defaults(&x.cfg);
    x.cfg.dnssec = false;
    gt_name_from_str(&x.cfg.qname, "www.secure.example");
    x.cfg.qtype = GT_TYPE_A;
    mini_trace(sec_world_changed, hints_text, &x.cfg, NULL, &x.m);
    x.r = x.m.r;
    GT_CHECK_INT(compare(&x, "secure-dnssec.txt", &v), GT_OK);
    if (v != NULL) {
        GT_CHECK_STR(jverdict(v, &j), "agrees");
        GT_CHECK_INT(count_findings(x.r, GT_F_DIG_DS_DIFFERS), 0);
        json_t *st = json_array_get(json_object_get(j, "steps"), 2);
        GT_CHECK_STR(json_string_value(json_object_get(json_object_get(st, "ds"), "check")),
                     "no_data");
        json_decref(j);
        gt_vsdig_free(v);
    }
    done(&x);
}

int main(void)
{
    test_stale("stale.txt");
    test_stale("stale.yaml");
    test_agrees("normal.txt");
    test_agrees("normal-additional.txt");
    test_unreach();
    test_stopped();
    test_malformed();
    test_render_dig();
    test_dnssec();
    return gt_test_done();
}
