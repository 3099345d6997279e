/*
 * Fuzz target (a): the DNS message parser and everything that turns parsed data into text.
 * Invariants checked beyond memory safety:
 *  - every name and RDATA rendering is NUL-terminated and as long as reported;
 *  - a name's presentation form parses back to exactly the same wire bytes (so escaping is
 *    lossless and a hostile name cannot hide bytes from the user);
 *  - the rendered text holds only printable ASCII (no terminal control bytes).
 */
#include <string.h>

#include "fuzz.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"

/** Large enough for any RDATA of a 64 KiB message in generic form ("\# 65535 " + 2 per byte). */
#define FUZZ_RDATA_TEXT (GT_MSG_MAX * 2 + 32)

static char rdtext[FUZZ_RDATA_TEXT];

static void check_printable(const char *s, size_t n)
{
    fuzz_assert(strlen(s) == n);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        fuzz_assert(ch >= 0x20 && ch < 0x7f);
    }
}

static void check_name(const gt_name *n)
{
    char text[GT_NAME_STRLEN];
    gt_name back;
    fuzz_assert(n->len >= 1 && n->len <= GT_NAME_MAX);
    size_t w = gt_name_to_str(n, text, sizeof(text));
    fuzz_assert(w > 0);
    check_printable(text, w);
    fuzz_assert(gt_name_from_str(&back, text) == GT_OK);
    fuzz_assert(back.len == n->len && memcmp(back.data, n->data, n->len) == 0);
    fuzz_assert(gt_name_eq(&back, n));
    fuzz_assert(gt_name_is_under(n, n));
    gt_name parent;
    gt_name_suffix(n, 1, &parent);
    fuzz_assert(gt_name_is_under(n, &parent));
    fuzz_assert(gt_name_labels(n) <= 127);
}

static void check_rr(const gt_rr *rr)
{
    check_name(&rr->owner);
    size_t w = gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, rdtext, sizeof(rdtext));
    if (w > 0) {
        check_printable(rdtext, w);
    }
    w = gt_rdata_to_generic_str(rr->rdata, rr->rdlen, rdtext, sizeof(rdtext));
    fuzz_assert(w > 0);
    check_printable(rdtext, w);
    /* A short buffer must fail cleanly, never overflow. */
    char small[8];
    w = gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, small, sizeof(small));
    fuzz_assert(w < sizeof(small));
    gt_name target;
    if (gt_rdata_name(rr->type, rr->rdata, rr->rdlen, &target) == GT_OK) {
        check_name(&target);
    }
    char tbuf[16];
    fuzz_assert(gt_type_to_str(rr->type, tbuf, sizeof(tbuf)) == tbuf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gt_msg *m = NULL;
    gt_status st = gt_msg_parse(data, size, &m);
    if (st != GT_OK) {
        fuzz_assert(m == NULL);
        fuzz_assert(st == GT_EMALFORMED || st == GT_ENOMEM);
        return 0;
    }
    fuzz_assert(m != NULL && m->wire_len == size);
    if (m->has_question) {
        check_name(&m->qname);
    }
    char rbuf[16];
    gt_rcode_to_str(m->rcode, rbuf, sizeof(rbuf));
    for (int sec = 0; sec < 3; sec++) {
        /* every record, RRSIGs included, in received order (as -o dig and -v print them) */
        gt_rr_walk walk = {0, 0};
        size_t n = 0;
        for (const gt_rr *rr; (rr = gt_msg_next_rr(m, (gt_section)sec, &walk)) != NULL; n++) {
            fuzz_assert(rr->pos == n);
            check_rr(rr);
            size_t w = gt_rr_data_text(rr, GT_RDATA_DIG, rdtext, sizeof(rdtext));
            fuzz_assert(w > 0);
            check_printable(rdtext, w);
        }
        fuzz_assert(n == m->count[sec] + m->nsig[sec]);
    }
    gt_msg_free(m);
    return 0;
}
