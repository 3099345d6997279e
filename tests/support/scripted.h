/*
 * Test helper: a transport with no network. Every query goes to a responder function the
 * test supplies, which builds the reply (or returns a failure status to simulate a timeout
 * or an unreachable server). Queries are answered in submission order from run(), so engine
 * scenarios are deterministic. Every query is logged for assertions.
 */
#ifndef GLUETRACE_TEST_SCRIPTED_H
#define GLUETRACE_TEST_SCRIPTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/transport/transport.h"
#include "gluetrace/wire/wire.h"
#include "msgbuild.h"

/** What the responder sees. */
typedef struct scr_query {
    gt_addr server;
    bool tcp;
    gt_name qname;
    uint16_t qtype;
    bool rd;
    bool edns;
    bool do_bit; /**< EDNS DO bit (DNSSEC OK) */
    const uint8_t *wire;
    size_t len;
} scr_query;

/**
 * Build a reply into @p m (with tb_begin(&m, q->wire, q->len, ...)) and return GT_OK, or
 * return GT_ETIMEOUT / GT_ECONNREFUSED / GT_ENETUNREACH to simulate a failure.
 */
typedef gt_status (*scr_responder)(void *user, const scr_query *q, tb_msg *m);

/**
 * A responder that writes the reply's bytes itself, for shapes tb_msg cannot build (hostile
 * messages, replies larger than tb_msg's buffer): write at most @p cap (GT_MSG_MAX) bytes to
 * @p buf, set @p *len and return GT_OK, or return a failure status as for scr_responder.
 */
typedef gt_status (*scr_raw_responder)(void *user, const scr_query *q, uint8_t *buf, size_t cap,
                                       size_t *len);

/** One logged query. */
typedef struct scr_log {
    gt_addr server;
    bool tcp;
    gt_name qname;
    uint16_t qtype;
    bool rd;
    bool do_bit; /**< EDNS DO bit of the query */
} scr_log;

typedef struct scripted scripted;

scripted *scr_create(scr_responder fn, void *user);
/** Like scr_create() with a responder that writes raw reply bytes. */
scripted *scr_create_raw(scr_raw_responder fn, void *user);
gt_transport *scr_transport(scripted *s);
size_t scr_count(const scripted *s);
/** Runs that returned early because a callback called gt_transport_yield(). */
size_t scr_yields(const scripted *s);
const scr_log *scr_get(const scripted *s, size_t i);
/** Number of logged queries to @p addr (text) for @p qname (text, or NULL for any). */
size_t scr_count_to(const scripted *s, const char *addr, const char *qname);
/** Largest number of times any (server, qname, qtype, transport) was asked. */
size_t scr_max_dup(const scripted *s);
void scr_destroy(scripted *s);

/** @return true when @p q is for server @p addr (text). */
bool scr_is(const scr_query *q, const char *addr);
/** @return true when @p q asks for @p name (text). */
bool scr_name_is(const scr_query *q, const char *name);

#endif
