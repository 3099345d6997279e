/*
 * The one file of the transport that knows which c-ares it is built against (ARES_VERSION).
 * gluetrace supports Debian 12's c-ares 1.18.1 and the 1.34 series of Debian 13 and current
 * distributions; CMake refuses the versions in between (see README). Every call below is the
 * current, non-deprecated form of its library; no warning is silenced.
 *
 * What each version would do on its own, and what is done about it:
 *
 * | c-ares | would | here |
 * |---|---|---|
 * | 1.18 | send the caller's bytes as they are, ID included | ares_send() |
 * | 1.34 | parse the caller's bytes, write them again with a new query ID (ares_send() is
 * deprecated) | ares_dns_parse() + ares_send_dnsrec(); socket.c reads the ID and bytes back |
 * | 1.34 | answer a repeated question from its query cache (on by default, up to 3600 s, key
 * without the server) | ARES_OPT_QUERY_CACHE with qcache_max_ttl 0: no cache | | 1.34 | time out
 * after 5 x the average reply time (at least 250 ms, at most 5 s) once 3 replies are in |
 * ARES_OPT_MAXTIMEOUTMS = the timeout; c-ares learns no latency (socket.c) so the configured
 * timeout stays | | 1.34 | put a client cookie into every UDP query with EDNS | cookie.c does the
 * same on 1.18 | | both | retry without EDNS after a FORMERR (1.18: without the last 11
 * bytes; 1.34.3: without the OPT RR) | c-ares never sees the real reply (socket.c) | | 1.34 | use
 * the socket functions of ares_set_socket_functions_ex() | asendto/arecvfrom there,
 * asendv/arecvfrom on 1.18 | | both | tell which sockets to watch through ares_getsock()
 * (deprecated in 1.34) | ARES_OPT_SOCK_STATE_CB on both | | 1.34 | refuse to write some names it
 * parses (a label with a zero byte, for one: ARES_EBADNAME) | it is given the name with every label
 * byte as 'x' (same length); socket.c writes the real one |
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "internal.h"

/* 1.34.0 brought ares_set_socket_functions_ex() and deprecated ares_send(). */
#define GT_CARES_1_34 0x012200

#if ARES_VERSION >= GT_CARES_1_34
#include <ares_dns_record.h>
#endif

const char *gt_cares_built(void)
{
    return ARES_VERSION_STR;
}

bool gt_cares_owns_cookie(void)
{
#if ARES_VERSION >= GT_CARES_1_34
    return true;
#else
    return false;
#endif
}

size_t gt_cares_qname(uint8_t *msg, size_t len, bool x)
{
    size_t p = 12;
    while (p < len && msg[p] != 0) {
        size_t l = msg[p];
        if (l > 63 || p + 1 + l >= len) {
            return 0; /* a pointer, another label type or a cut name */
        }
        if (x) {
            memset(msg + p + 1, 'x', l);
        }
        p += 1 + l;
    }
    return p < len ? p + 1 - 12 : 0;
}

void gt_cares_options(struct ares_options *o, int *optmask, unsigned timeout_ms)
{
    int ms = timeout_ms > (unsigned)INT32_MAX ? INT32_MAX : (int)timeout_ms;
    o->timeout = ms;
    o->sock_state_cb = gt_sock_state; /* its data is set by the caller */
    *optmask |= ARES_OPT_TIMEOUTMS | ARES_OPT_SOCK_STATE_CB;
#ifdef ARES_OPT_QUERY_CACHE
    o->qcache_max_ttl = 0;
    *optmask |= ARES_OPT_QUERY_CACHE;
#endif
#ifdef ARES_OPT_MAXTIMEOUTMS
    o->maxtimeout = ms;
    *optmask |= ARES_OPT_MAXTIMEOUTMS;
#endif
}

#if ARES_VERSION >= GT_CARES_1_34

gt_status gt_cares_set_server(ares_channel ch, const gt_addr *a)
{
    char host[INET6_ADDRSTRLEN];
    char csv[INET6_ADDRSTRLEN + 16];
    if (inet_ntop(a->family, a->bytes, host, sizeof(host)) == NULL) {
        return GT_EINVAL;
    }
    int n = a->family == AF_INET6 ? snprintf(csv, sizeof(csv), "[%s]:%u", host, a->port)
                                  : snprintf(csv, sizeof(csv), "%s:%u", host, a->port);
    if (n < 0 || (size_t)n >= sizeof(csv)) {
        return GT_EINVAL;
    }
    int rc = ares_set_servers_ports_csv(ch, csv);
    return rc == ARES_SUCCESS ? GT_OK : rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
}

static int sock_setopt(ares_socket_t fd, ares_socket_opt_t opt, const void *val, ares_socklen_t len,
                       void *user_data)
{
    (void)fd;
    (void)opt;
    (void)val;
    (void)len;
    (void)user_data;
    errno = ENOSYS; /* buffer sizes and devices are left to the kernel, TCP Fast Open unused */
    return -1;
}

static int sock_connect_ex(ares_socket_t fd, const struct sockaddr *addr, ares_socklen_t len,
                           unsigned int flags, void *user_data)
{
    (void)flags; /* never TCP Fast Open: sock_setopt refused it */
    return gt_sock_connect(fd, addr, len, user_data);
}

static ares_ssize_t sock_sendto(ares_socket_t fd, const void *buf, size_t len, int flags,
                                const struct sockaddr *to, ares_socklen_t tolen, void *user_data)
{
    struct iovec iov = {.iov_base = (void *)(uintptr_t)buf, .iov_len = len};
    (void)flags;
    (void)to; /* the socket is connected */
    (void)tolen;
    return gt_sock_writev(fd, &iov, 1, user_data);
}

static const struct ares_socket_functions_ex gt_sock_funcs_ex = {
    .version = 1,
    .flags = ARES_SOCKFUNC_FLAG_NONBLOCKING,
    .asocket = gt_sock_open,
    .aclose = gt_sock_close,
    .asetsockopt = sock_setopt,
    .aconnect = sock_connect_ex,
    .arecvfrom = gt_sock_recvfrom,
    .asendto = sock_sendto,
};

gt_status gt_cares_set_sockfuncs(ares_channel ch, gt_ach *ach)
{
    return ares_set_socket_functions_ex(ch, &gt_sock_funcs_ex, ach) == ARES_SUCCESS ? GT_OK
                                                                                    : GT_ETRANSPORT;
}

static void on_dnsrec(void *arg, ares_status_t status, size_t timeouts,
                      const ares_dns_record_t *rec)
{
    (void)timeouts;
    (void)rec; /* the reply itself was kept by socket.c as it came off the socket */
    gt_cares_done(arg, (int)status);
}

/* Parse @p msg into a record c-ares can write again, or fail. */
static ares_status_t writable(const uint8_t *msg, size_t len, ares_dns_record_t **rec)
{
    unsigned char *out = NULL;
    size_t outlen = 0;
    /* Flag 0: the parser keeps names and record data as they are. */
    ares_status_t rc = ares_dns_parse(msg, len, 0, rec);
    if (rc == ARES_SUCCESS) {
        rc = ares_dns_write(*rec, &out, &outlen);
        ares_free_string(out);
    }
    if (rc != ARES_SUCCESS) {
        ares_dns_record_destroy(*rec);
        *rec = NULL;
    }
    return rc;
}

gt_status gt_cares_send(gt_ach *ach, gt_txq *q)
{
    ares_dns_record_t *rec = NULL;
    unsigned short qid = 0;
    ares_status_t rc = writable(q->query, q->qlen, &rec);
    q->standin_name = false;
    if (rc != ARES_SUCCESS && rc != ARES_ENOMEM && gt_cares_qname(q->query, q->qlen, false)) {
        uint8_t *copy = malloc(q->qlen);
        if (copy == NULL) {
            return GT_ENOMEM;
        }
        memcpy(copy, q->query, q->qlen);
        (void)gt_cares_qname(copy, q->qlen, true);
        rc = writable(copy, q->qlen, &rec);
        free(copy);
        q->standin_name = rc == ARES_SUCCESS;
    }
    if (rc != ARES_SUCCESS) {
        return rc == ARES_ENOMEM ? GT_ENOMEM : GT_EINVAL;
    }
    rc = ares_send_dnsrec(ach->ares, rec, on_dnsrec, q, &qid);
    ares_dns_record_destroy(rec);
    if (rc == ARES_SUCCESS && q->wire == NULL) {
        q->id = qid; /* not written yet (a TCP connection being opened): its ID */
    }
    return GT_OK; /* a failure was reported through on_dnsrec() */
}

#else /* c-ares 1.18 */

gt_status gt_cares_set_server(ares_channel ch, const gt_addr *a)
{
    struct ares_addr_port_node server;
    memset(&server, 0, sizeof(server));
    server.family = a->family;
    if (a->family == AF_INET) {
        memcpy(&server.addr.addr4, a->bytes, 4);
    } else {
        memcpy(&server.addr.addr6, a->bytes, 16);
    }
    server.udp_port = a->port;
    server.tcp_port = a->port;
    int rc = ares_set_servers_ports(ch, &server);
    return rc == ARES_SUCCESS ? GT_OK : rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
}

static const struct ares_socket_functions gt_sock_funcs = {
    .asocket = gt_sock_open,
    .aclose = gt_sock_close,
    .aconnect = gt_sock_connect,
    .arecvfrom = gt_sock_recvfrom,
    .asendv = gt_sock_writev,
};

gt_status gt_cares_set_sockfuncs(ares_channel ch, gt_ach *ach)
{
    ares_set_socket_functions(ch, &gt_sock_funcs, ach);
    return GT_OK;
}

static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    (void)abuf; /* the reply itself was kept by socket.c as it came off the socket */
    (void)alen;
    gt_cares_done(arg, status);
}

gt_status gt_cares_send(gt_ach *ach, gt_txq *q)
{
    ares_send(ach->ares, q->query, (int)q->qlen, on_reply, q); /* copies the query */
    return GT_OK;
}

#endif
