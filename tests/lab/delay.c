/*
 * delay: hold every packet of an NFQUEUE queue for a fixed time, then accept it.
 *
 * The gluetrace lab uses it instead of the netem qdisc (absent on some kernels):
 *   iptables -A OUTPUT -j NFQUEUE --queue-num Q ; delay -q Q -d MS
 * Every packet is delayed by the same MS, so release times are in arrival order
 * and a FIFO is the whole timer queue: the loop sleeps (poll) until the earliest
 * deadline or the next packet, whichever comes first. No packet blocks another.
 *
 * usage: delay [-q QUEUE] -d MS     (runs in the foreground; SIGTERM/SIGINT stop it
 * and accept whatever is still held)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

/** Packets held at once; beyond this a packet is accepted at once (never dropped). */
#define DELAY_MAX_HELD 65536u
/** Kernel-side queue length, so bursts are not dropped before we see them. */
#define DELAY_KERNEL_QUEUE_LEN 65536u

/** One held packet. */
struct held {
    uint32_t id;    /**< netfilter packet id, for the verdict */
    int64_t due_ns; /**< CLOCK_MONOTONIC time at which to accept it */
};

/** The FIFO timer queue (a ring) and the settings. */
struct delay_state {
    struct held *ring;       /**< DELAY_MAX_HELD slots */
    uint32_t head;           /**< index of the oldest held packet */
    uint32_t count;          /**< packets held */
    int64_t delay_ns;        /**< hold time */
    struct nfq_q_handle *qh; /**< the queue, for verdicts */
    unsigned long passed;    /**< packets accepted so far */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void accept_packet(struct delay_state *st, uint32_t id)
{
    if (nfq_set_verdict(st->qh, id, NF_ACCEPT, 0, NULL) < 0)
        fprintf(stderr, "delay: verdict for packet %u failed: %s\n", id, strerror(errno));
    st->passed++;
}

/* Called by nfq_handle_packet for each queued packet: remember it, decide later. */
static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
                     void *data)
{
    struct delay_state *st = data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    uint32_t id;

    (void)qh;
    (void)msg;
    if (ph == NULL)
        return 0;
    id = ntohl(ph->packet_id);
    if (st->count == DELAY_MAX_HELD) {
        accept_packet(st, id);
        return 0;
    }
    st->ring[(st->head + st->count) % DELAY_MAX_HELD] = (struct held){id, now_ns() + st->delay_ns};
    st->count++;
    return 0;
}

/* Accept every held packet whose time has come (or all of them when `all`). */
static void release_due(struct delay_state *st, int all)
{
    int64_t t = now_ns();

    while (st->count > 0 && (all || st->ring[st->head].due_ns <= t)) {
        accept_packet(st, st->ring[st->head].id);
        st->head = (st->head + 1) % DELAY_MAX_HELD;
        st->count--;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: delay [-q QUEUE] -d MS\n");
}

int main(int argc, char **argv)
{
    struct delay_state st = {0};
    struct nfq_handle *h = NULL;
    unsigned long qnum = 0, ms = 0;
    int have_ms = 0, opt, fd, rc = 1;
    char *end;
    static char buf[65536 + 4096];
    struct sigaction sa;

    while ((opt = getopt(argc, argv, "q:d:h")) != -1) {
        switch (opt) {
        case 'q':
            errno = 0;
            qnum = strtoul(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || qnum > 65535) {
                usage();
                return 2;
            }
            break;
        case 'd':
            errno = 0;
            ms = strtoul(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || ms > 60000) {
                usage();
                return 2;
            }
            have_ms = 1;
            break;
        default:
            usage();
            return 2;
        }
    }
    if (!have_ms || optind != argc) {
        usage();
        return 2;
    }
    st.delay_ns = (int64_t)ms * 1000000;
    st.ring = calloc(DELAY_MAX_HELD, sizeof *st.ring);
    if (st.ring == NULL) {
        fprintf(stderr, "delay: out of memory\n");
        return 1;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    h = nfq_open();
    if (h == NULL) {
        fprintf(stderr, "delay: nfq_open: %s\n", strerror(errno));
        goto done;
    }
    st.qh = nfq_create_queue(h, (uint16_t)qnum, on_packet, &st);
    if (st.qh == NULL) {
        fprintf(stderr, "delay: cannot bind queue %lu: %s\n", qnum, strerror(errno));
        goto done;
    }
    /* Only the metadata: the verdict needs the id, not the payload. */
    if (nfq_set_mode(st.qh, NFQNL_COPY_META, 0) < 0) {
        fprintf(stderr, "delay: nfq_set_mode: %s\n", strerror(errno));
        goto done;
    }
    if (nfq_set_queue_maxlen(st.qh, DELAY_KERNEL_QUEUE_LEN) < 0)
        fprintf(stderr, "delay: warning: cannot set the queue length\n");
    fd = nfq_fd(h);
    printf("delay: holding packets of queue %lu for %lu ms\n", qnum, ms);
    fflush(stdout);

    while (!stop_requested) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int timeout_ms = -1;
        ssize_t n;
        int pr;

        if (st.count > 0) {
            int64_t wait = st.ring[st.head].due_ns - now_ns();
            if (wait < 0)
                wait = 0;
            /* round up: waking early would only spin */
            timeout_ms = (int)((wait + 999999) / 1000000);
        }
        pr = poll(&pfd, 1, timeout_ms);
        if (pr < 0 && errno != EINTR) {
            fprintf(stderr, "delay: poll: %s\n", strerror(errno));
            goto done;
        }
        if (pr > 0 && (pfd.revents & POLLIN)) {
            /* Drain what is there without blocking. */
            while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
                nfq_handle_packet(h, buf, (int)n);
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                if (errno == ENOBUFS)
                    fprintf(stderr, "delay: warning: kernel dropped queue messages (ENOBUFS)\n");
                else {
                    fprintf(stderr, "delay: recv: %s\n", strerror(errno));
                    goto done;
                }
            }
        }
        release_due(&st, 0);
    }
    rc = 0;

done:
    if (st.qh != NULL) {
        release_due(&st, 1);
        nfq_destroy_queue(st.qh);
    }
    if (h != NULL)
        nfq_close(h);
    fprintf(stderr, "delay: %lu packets passed\n", st.passed);
    free(st.ring);
    return rc;
}
