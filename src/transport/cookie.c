/*
 * DNS cookies (RFC 7873, RFC 9018) of the c-ares transport: the same rules on every c-ares.
 *
 * gluetrace's rule, on every c-ares: every UDP query with EDNS carries a COOKIE option with a
 * fresh 8-byte client cookie and no server cookie; TCP queries carry none. That is what dig
 * sends, and what c-ares 1.34 sends behind our socket functions:
 * - c-ares 1.34 puts a COOKIE option into every UDP query that has an OPT RR (there is no
 *   switch) and removes it from TCP queries. It draws a new client cookie and forgets the
 *   server cookie whenever the local address of the connection differs from the one the
 *   cookie was made for; our socket functions give it no getsockname(), so it knows no local
 *   address and draws a new client cookie for every query. socket.c gives it a server cookie
 *   in every stand-in reply, so it never decides that the server does not support cookies
 *   (which would make it leave the option out for two minutes). test_transport pins this.
 * - c-ares 1.18 knows nothing of cookies: transport.c puts one in with gt_cookie_put().
 * The cookie value is the library's on 1.34; socket.c reads it back from what was written. A
 * reply whose cookie does not start with the client cookie of its query is no reply to it:
 * socket.c drops and counts it on both versions, as c-ares 1.34 would drop it. A server
 * cookie in a reply stays in the reply, for the reader.
 */
#include <stdlib.h>
#include <string.h>

#include "gluetrace/wire/cursor.h"
#include "gluetrace/wire/name.h"
#include "gluetrace/wire/wire.h"
#include "internal.h"

/** EDNS option code of COOKIE (RFC 7873 section 4). */
#define GT_OPT_COOKIE 10
/** RR type of OPT. */
#define GT_RR_OPT 41

/** Skip one RR; @return its type (0 after an error), *rdata_off / *rdlen set. */
static uint16_t skip_rr(gt_cursor *c, size_t *rdata_off, size_t *rdlen)
{
    gt_name n;
    gt_cursor_name(c, &n);
    uint16_t type = gt_cursor_u16(c);
    gt_cursor_skip(c, 6); /* class, TTL */
    uint16_t len = gt_cursor_u16(c);
    *rdata_off = c->pos;
    *rdlen = len;
    gt_cursor_skip(c, len);
    return c->err == GT_OK ? type : 0;
}

/* The OPT RR of @p msg: offsets of its RDLENGTH field and RDATA. */
static bool find_opt(const uint8_t *msg, size_t mlen, size_t *rdlen_at, size_t *rdata,
                     size_t *rdlen)
{
    gt_cursor c;
    gt_name n;
    gt_cursor_init(&c, msg, mlen);
    gt_cursor_skip(&c, 4);
    uint16_t qd = gt_cursor_u16(&c);
    uint16_t an = gt_cursor_u16(&c);
    uint16_t ns = gt_cursor_u16(&c);
    uint16_t ar = gt_cursor_u16(&c);
    for (uint16_t i = 0; i < qd && c.err == GT_OK; i++) {
        gt_cursor_name(&c, &n);
        gt_cursor_skip(&c, 4);
    }
    size_t total = (size_t)an + ns + ar;
    for (size_t i = 0; i < total && c.err == GT_OK; i++) {
        size_t off = 0, len = 0;
        uint16_t type = skip_rr(&c, &off, &len);
        if (type == GT_RR_OPT && i >= (size_t)an + ns) {
            *rdlen_at = off - 2;
            *rdata = off;
            *rdlen = len;
            return true;
        }
    }
    return false;
}

bool gt_cookie_find(const uint8_t *msg, size_t mlen, size_t *off, size_t *len)
{
    size_t at = 0, rd = 0, rdlen = 0;
    *off = 0;
    *len = 0;
    if (!find_opt(msg, mlen, &at, &rd, &rdlen)) {
        return false;
    }
    size_t p = rd;
    while (p + 4 <= rd + rdlen) {
        uint16_t code = (uint16_t)(msg[p] << 8 | msg[p + 1]);
        uint16_t olen = (uint16_t)(msg[p + 2] << 8 | msg[p + 3]);
        if (p + 4 + olen > rd + rdlen) {
            break;
        }
        if (code == GT_OPT_COOKIE) {
            *off = p + 4;
            *len = olen;
            break;
        }
        p += 4 + (size_t)olen;
    }
    return true;
}

gt_status gt_cookie_put(uint8_t **msg, size_t *mlen, const uint8_t *ck, size_t cklen)
{
    size_t at = 0, rd = 0, rdlen = 0, off = 0, olen = 0;
    uint8_t *m = *msg;
    if (!find_opt(m, *mlen, &at, &rd, &rdlen)) {
        return GT_OK;
    }
    (void)gt_cookie_find(m, *mlen, &off, &olen);
    /* the option's bytes now (cut) and after (put): same place, or appended to the OPT RR */
    size_t cut_at = off ? off - 4 : rd + rdlen;
    size_t cut = off ? olen + 4 : 0;
    size_t put = cklen ? cklen + 4 : 0;
    size_t nlen = *mlen - cut + put;
    size_t nrdlen = rdlen - cut + put;
    if (nlen > GT_MSG_MAX || nrdlen > 0xffff) {
        return GT_ELIMIT;
    }
    uint8_t *n = malloc(nlen > 0 ? nlen : 1);
    if (n == NULL) {
        return GT_ENOMEM;
    }
    memcpy(n, m, cut_at);
    if (put) {
        n[cut_at] = 0;
        n[cut_at + 1] = GT_OPT_COOKIE;
        n[cut_at + 2] = (uint8_t)(cklen >> 8);
        n[cut_at + 3] = (uint8_t)(cklen & 0xff);
        memcpy(n + cut_at + 4, ck, cklen);
    }
    memcpy(n + cut_at + put, m + cut_at + cut, *mlen - cut_at - cut);
    n[at] = (uint8_t)(nrdlen >> 8);
    n[at + 1] = (uint8_t)(nrdlen & 0xff);
    free(m);
    *msg = n;
    *mlen = nlen;
    return GT_OK;
}

gt_status gt_cookie_next(gt_ares_transport *t, uint8_t out[GT_COOKIE_CLIENT])
{
    return gt_random(t, out, GT_COOKIE_CLIENT);
}
