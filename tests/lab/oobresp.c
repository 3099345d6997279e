/*
 * oobresp: the lab's one scripted DNS server, for scenario 11 (out-of-bailiwick glue).
 *
 * It serves oob.test. like an ordinary authoritative server, but its referral for
 * sub.oob.test. carries, in ADDITIONAL, address records for the NS name
 * ns1.dns-host.example. -- a name oob.test.'s server has no authority over -- with
 * wrong addresses. NSD 4.6.1 and BIND 9.18 serving a rogue copy of dns-host.example.
 * beside oob.test. were both checked and neither puts that copy's records into an
 * oob.test. referral, and Knot adds only in-zone data, so this shape needs a script.
 *
 * usage: oobresp ADDR...   (UDP and TCP port 53 on each address; foreground)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_SOCKS 16
#define T_A 1
#define T_NS 2
#define T_SOA 6
#define T_AAAA 28
#define TTL 86400u

/** A response under construction. */
struct msg {
    uint8_t b[1024];
    size_t len;
    int err; /**< sticky overflow flag */
};

static void put8(struct msg *m, unsigned v)
{
    if (m->len >= sizeof m->b) {
        m->err = 1;
        return;
    }
    m->b[m->len++] = (uint8_t)v;
}

static void put16(struct msg *m, unsigned v)
{
    put8(m, (v >> 8) & 0xff);
    put8(m, v & 0xff);
}

static void put32(struct msg *m, uint32_t v)
{
    put16(m, (v >> 16) & 0xffff);
    put16(m, v & 0xffff);
}

/* A presentation name with trailing dot, uncompressed. */
static void putname(struct msg *m, const char *name)
{
    const char *p = name;

    while (*p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        put8(m, (unsigned)n);
        for (size_t i = 0; i < n; i++)
            put8(m, (unsigned char)p[i]);
        p += n + (dot ? 1 : 0);
    }
    put8(m, 0);
}

/* One RR; rdata given as text: an address, a name, or "SOA". */
static void putrr(struct msg *m, const char *owner, unsigned type, const char *rdata)
{
    size_t lenpos;

    putname(m, owner);
    put16(m, type);
    put16(m, 1);
    put32(m, TTL);
    lenpos = m->len;
    put16(m, 0);
    if (type == T_A || type == T_AAAA) {
        uint8_t a[16];
        size_t n = type == T_A ? 4 : 16;
        if (inet_pton(type == T_A ? AF_INET : AF_INET6, rdata, a) != 1)
            m->err = 1;
        for (size_t i = 0; i < n; i++)
            put8(m, a[i]);
    } else if (type == T_NS) {
        putname(m, rdata);
    } else { /* SOA */
        putname(m, "ns1.oob.test.");
        putname(m, "hostmaster.oob.test.");
        put32(m, 1);
        put32(m, 1800);
        put32(m, 900);
        put32(m, 604800);
        put32(m, 86400);
    }
    if (!m->err) {
        size_t rdlen = m->len - lenpos - 2;
        m->b[lenpos] = (uint8_t)(rdlen >> 8);
        m->b[lenpos + 1] = (uint8_t)(rdlen & 0xff);
    }
}

/* Is `name` equal to or below `zone` (both presentation, lower case, trailing dot)? */
static int under(const char *name, const char *zone)
{
    size_t n = strlen(name), z = strlen(zone);

    if (n < z || strcasecmp(name + n - z, zone) != 0)
        return 0;
    return n == z || name[n - z - 1] == '.';
}

/* Build the answer to query q (qlen bytes) in m. Returns 0 if the query is to be dropped. */
static int answer(const uint8_t *q, size_t qlen, struct msg *m)
{
    char qname[256];
    size_t pos = 12, out = 0, qend;
    unsigned qtype, rcode = 0, aa = 1, an = 0, ns = 0, ar = 0;

    if (qlen < 12 || (q[2] & 0x80) || q[4] != 0 || q[5] != 1)
        return 0;
    while (pos < qlen && q[pos] != 0) {
        unsigned l = q[pos];
        if (l > 63 || pos + 1 + l >= qlen || out + l + 2 > sizeof qname)
            return 0;
        for (unsigned i = 0; i < l; i++) {
            char c = (char)q[pos + 1 + i];
            if (c == '.' || c == '\\' || c < 0x21 || c > 0x7e)
                return 0; /* not a name this lab uses */
            qname[out++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        qname[out++] = '.';
        pos += 1 + l;
    }
    if (pos + 5 > qlen)
        return 0;
    if (out == 0)
        qname[out++] = '.';
    qname[out] = '\0';
    qtype = (unsigned)(q[pos + 1] << 8 | q[pos + 2]);
    qend = pos + 5;

    memcpy(m->b, q, 2); /* id */
    m->len = 12;
    for (size_t i = 12; i < qend; i++) /* question, as asked */
        put8(m, q[i]);

    if (!under(qname, "oob.test.")) {
        rcode = 5; /* REFUSED: not our zone */
        aa = 0;
    } else if (under(qname, "sub.oob.test.")) {
        /* The referral, with out-of-bailiwick "glue" for the NS name. */
        aa = 0;
        putrr(m, "sub.oob.test.", T_NS, "ns1.dns-host.example."), ns++;
        putrr(m, "ns1.dns-host.example.", T_A, "192.0.2.66"), ar++;
        putrr(m, "ns1.dns-host.example.", T_AAAA, "2001:db8:bad::66"), ar++;
    } else if (strcmp(qname, "oob.test.") == 0 && (qtype == T_SOA || qtype == T_NS)) {
        if (qtype == T_SOA) {
            putrr(m, "oob.test.", T_SOA, "SOA"), an++;
        } else {
            putrr(m, "oob.test.", T_NS, "ns1.oob.test."), an++;
        }
        putrr(m, "ns1.oob.test.", T_A, "127.53.111.1"), ar++;
        putrr(m, "ns1.oob.test.", T_AAAA, "2001:db8:53:111::1"), ar++;
    } else if (strcmp(qname, "ns1.oob.test.") == 0 && qtype == T_A) {
        putrr(m, "ns1.oob.test.", T_A, "127.53.111.1"), an++;
    } else if (strcmp(qname, "ns1.oob.test.") == 0 && qtype == T_AAAA) {
        putrr(m, "ns1.oob.test.", T_AAAA, "2001:db8:53:111::1"), an++;
    } else {
        if (strcmp(qname, "oob.test.") != 0 && strcmp(qname, "ns1.oob.test.") != 0)
            rcode = 3; /* NXDOMAIN */
        putrr(m, "oob.test.", T_SOA, "SOA"), ns++;
    }
    if (m->err)
        return 0;
    m->b[2] = (uint8_t)(0x80 | (q[2] & 0x79) | (aa ? 0x04 : 0)); /* QR, opcode, AA, RD */
    m->b[3] = (uint8_t)rcode;
    m->b[4] = 0;
    m->b[5] = 1;
    m->b[6] = 0;
    m->b[7] = (uint8_t)an;
    m->b[8] = 0;
    m->b[9] = (uint8_t)ns;
    m->b[10] = 0;
    m->b[11] = (uint8_t)ar;
    return 1;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int open_sock(const char *addr, int type)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1;

    memset(&ss, 0, sizeof ss);
    if (strchr(addr, ':') != NULL) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(53);
        if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
            return -1;
        sl = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(53);
        if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
            return -1;
        sl = sizeof *s4;
    }
    fd = socket(ss.ss_family, type, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || (type == SOCK_STREAM && listen(fd, 16) < 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One TCP connection: answer length-prefixed queries until EOF or a 2 s stall. */
static void serve_tcp(int lfd)
{
    struct timeval tv = {2, 0};
    uint8_t q[65535 + 2];
    int c = accept(lfd, NULL, NULL);

    if (c < 0)
        return;
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) {
        struct msg m = {.len = 0};
        size_t need = 2, have = 0, qlen;
        ssize_t n;

        while (have < need) {
            n = recv(c, q + have, need - have, 0);
            if (n <= 0)
                goto done;
            have += (size_t)n;
            if (have == 2)
                need = 2 + (size_t)(q[0] << 8 | q[1]);
        }
        qlen = need - 2;
        if (!answer(q + 2, qlen, &m))
            goto done;
        {
            uint8_t out[sizeof m.b + 2];
            out[0] = (uint8_t)(m.len >> 8);
            out[1] = (uint8_t)(m.len & 0xff);
            memcpy(out + 2, m.b, m.len);
            if (send(c, out, m.len + 2, MSG_NOSIGNAL) < 0)
                goto done;
        }
    }
done:
    close(c);
}

int main(int argc, char **argv)
{
    struct pollfd pfd[MAX_SOCKS];
    int types[MAX_SOCKS];
    int n = 0;
    struct sigaction sa;

    if (argc < 2 || (size_t)(argc - 1) * 2 > MAX_SOCKS) {
        fprintf(stderr, "usage: oobresp ADDR... (at most %d)\n", MAX_SOCKS / 2);
        return 2;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (int i = 1; i < argc; i++) {
        for (int t = 0; t < 2; t++) {
            int type = t ? SOCK_STREAM : SOCK_DGRAM;
            int fd = open_sock(argv[i], type);
            if (fd < 0) {
                fprintf(stderr, "oobresp: cannot listen on %s port 53: %s\n", argv[i],
                        strerror(errno));
                return 1;
            }
            pfd[n] = (struct pollfd){.fd = fd, .events = POLLIN};
            types[n++] = type;
        }
    }
    printf("oobresp: serving oob.test. on %d addresses\n", argc - 1);
    fflush(stdout);
    while (!stop_requested) {
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("oobresp: poll");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (!(pfd[i].revents & POLLIN))
                continue;
            if (types[i] == SOCK_STREAM) {
                serve_tcp(pfd[i].fd);
            } else {
                uint8_t q[4096];
                struct sockaddr_storage from;
                socklen_t fl = sizeof from;
                struct msg m = {.len = 0};
                ssize_t r = recvfrom(pfd[i].fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
                if (r > 0 && answer(q, (size_t)r, &m))
                    sendto(pfd[i].fd, m.b, m.len, 0, (struct sockaddr *)&from, fl);
            }
        }
    }
    return 0;
}
