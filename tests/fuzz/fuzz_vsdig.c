/*
 * Fuzz target (d): the dig +trace output reader and comparison (--vs-dig). The input is the
 * "dig output"; it is compared with one fixed trace of www.normal.test A run once over the
 * scripted transport (a small world with the lab's addresses). The findings the comparison
 * adds are removed again after each input so every input sees the same trace.
 * Invariants: a failure fills @p err with one NUL-terminated line; success returns a
 * comparison that prints and converts to JSON.
 */
#include <string.h>

#include "fuzz.h"
#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/diagnose/vsdig.h"
#include "miniauth.h"

/** dig outputs of real traces are a few KiB; beyond 64 KiB nothing new is reached. */
#define FUZZ_VSDIG_MAX 65536

static const char *const world[] = {
    "@127.53.0.1 .",
    ". NS a.root-servers.test.",
    "test. NS ns1.nic.test.",
    "ns1.nic.test. A 127.53.1.1",
    "@127.53.1.1 test.",
    "test. NS ns1.nic.test.",
    "ns1.nic.test. A 127.53.1.1",
    /* a DS and its RRSIG in the referral (the trace asks with DO=1): the seeds with DS and
     * RRSIG lines reach the DS and RRSIG comparison (vsdig_dnssec.c) */
    "normal.test. DS 33917 13 2 57F63107CFA8AB67742F67F70AD4C4B396E66C635BDBF892BD9837BFF6B7D63E",
    "normal.test. RRSIG DS 13 2 86400 20261227125235 20261127125235 12926 test. AQIDBAUGBwgJCgsM",
    "normal.test. NS ns1.normal.test.",
    "normal.test. NS ns2.normal.test.",
    "ns1.normal.test. A 127.53.101.1",
    "ns2.normal.test. A 127.53.101.2",
    "@127.53.101.1 normal.test.",
    "normal.test. NS ns1.normal.test.",
    "normal.test. NS ns2.normal.test.",
    "ns1.normal.test. A 127.53.101.1",
    "ns2.normal.test. A 127.53.101.2",
    "www.normal.test. A 192.0.2.1",
    "@127.53.101.2 normal.test.",
    "normal.test. NS ns1.normal.test.",
    "normal.test. NS ns2.normal.test.",
    "ns1.normal.test. A 127.53.101.1",
    "ns2.normal.test. A 127.53.101.2",
    "www.normal.test. A 192.0.2.1",
    "www.normal.test. RRSIG A 13 3 86400 20261227125235 20261127125235 4242 normal.test. Uu59+YGp",
    NULL,
};

static gt_result *trace;
static FILE *sink;

static void setup(void)
{
    gt_hints hints;
    gt_config cfg;
    char err[256];
    gt_config_defaults(&cfg);
    if (gt_name_from_str(&cfg.qname, "www.normal.test.") != GT_OK ||
        gt_hints_parse(". NS a.root-servers.test.\na.root-servers.test. A 127.53.0.1\n", &hints,
                       err, sizeof(err)) != GT_OK) {
        fuzz_fail("setup");
    }
    cfg.qtype = GT_TYPE_A;
    mini *w = mini_create(world);
    scripted *s = scr_create(mini_respond, w);
    if (gt_trace_run(&cfg, &hints, scr_transport(s), NULL, &trace) != GT_OK || trace == NULL ||
        gt_diagnose(trace, &cfg, NULL, NULL, NULL, 0) != GT_OK) {
        fuzz_fail("the fixed trace did not run");
    }
    scr_destroy(s);
    mini_destroy(w);
    sink = fopen("/dev/null", "w");
    if (sink == NULL) {
        fuzz_fail("/dev/null");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (trace == NULL) {
        setup();
    }
    if (size > FUZZ_VSDIG_MAX) {
        return 0;
    }
    /* Not NUL-terminated on purpose: the reader gets a length. */
    char *text = malloc(size ? size : 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    size_t nfindings = trace->nfindings;
    gt_vsdig *v = NULL;
    char err[256];
    memset(err, 'x', sizeof(err));
    gt_status st = gt_vsdig_compare(trace, text, size, &v, err, sizeof(err));
    if (st == GT_OK) {
        fuzz_assert(v != NULL);
        gt_vsdig_print(sink, v, 80);
        json_t *j = gt_vsdig_json(v);
        fuzz_assert(j != NULL);
        char *dump = json_dumps(j, 0);
        fuzz_assert(dump != NULL);
        free(dump);
        json_decref(j);
    } else {
        fuzz_assert(st == GT_EINVAL || st == GT_ENOMEM);
        fuzz_assert(memchr(err, '\0', sizeof(err)) != NULL);
        fuzz_assert(strchr(err, '\n') == NULL);
    }
    gt_vsdig_free(v);
    /* Drop what the comparison added so the next input sees the same trace. */
    fuzz_assert(trace->nfindings >= nfindings);
    for (size_t i = nfindings; i < trace->nfindings; i++) {
        free(trace->findings[i].message);
    }
    trace->nfindings = nfindings;
    free(text);
    return 0;
}
