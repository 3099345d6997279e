/*
 * Test helper: build DNS responses from text, e.g.
 *   tb_begin(&m, query, qlen, true, GT_RCODE_NOERROR);
 *   tb_rr(&m, GT_SEC_AUTHORITY, "example.test.", "NS", 3600, "ns1.example.test.");
 *   len = tb_end(&m);
 * Records must be added section by section in order. Failures abort the test program.
 */
#ifndef GLUETRACE_TEST_MSGBUILD_H
#define GLUETRACE_TEST_MSGBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/wire/wire.h"

typedef struct tb_msg {
    uint8_t buf[8192];
    gt_wbuf w;
    uint16_t counts[3];
    int section; /* highest section written so far */
} tb_msg;

/** Start a reply to @p query (its ID and question are copied), QR=1, with AA and RCODE. */
void tb_begin(tb_msg *m, const uint8_t *query, size_t qlen, bool aa, uint16_t rcode);
/** Set TC=1 on the reply being built. */
void tb_set_tc(tb_msg *m);
/** Add a record given in presentation format. */
void tb_rr(tb_msg *m, gt_section sec, const char *owner, const char *type, uint32_t ttl,
           const char *rdata);
/** Finish: patch the counts, return the length. */
size_t tb_end(tb_msg *m);

#endif
