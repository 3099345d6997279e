#include "scripted.h"

#include <stdlib.h>
#include <string.h>

typedef struct pending {
    gt_addr server;
    bool tcp;
    uint8_t *wire;
    size_t len;
    gt_reply_fn fn;
    void *arg;
} pending;

struct scripted {
    gt_transport base; /* first member: a scripted * is a gt_transport * */
    scr_responder fn;
    scr_raw_responder raw_fn; /* used instead of fn when set */
    void *user;
    pending *q;
    size_t nq, capq, head;
    scr_log *log;
    size_t nlog, caplog;
    bool stopped;  /* gt_transport_stop() called during run() */
    bool in_run;   /* inside run() */
    bool yielded;  /* gt_transport_yield() called during run(): return, keep the rest */
    size_t yields; /* runs that returned early that way */
};

static gt_status s_send(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                        size_t len, gt_reply_fn fn, void *arg)
{
    scripted *s = (scripted *)t;
    if (s->nq == s->capq) {
        size_t ncap = s->capq ? s->capq * 2 : 64;
        pending *np = realloc(s->q, ncap * sizeof(*np));
        if (np == NULL) {
            return GT_ENOMEM;
        }
        s->q = np;
        s->capq = ncap;
    }
    pending *p = &s->q[s->nq];
    p->wire = malloc(len);
    if (p->wire == NULL) {
        return GT_ENOMEM;
    }
    memcpy(p->wire, query, len);
    p->len = len;
    p->server = *server;
    p->tcp = tcp;
    p->fn = fn;
    p->arg = arg;
    s->nq++;
    return GT_OK;
}

static gt_status s_run(gt_transport *t)
{
    scripted *s = (scripted *)t;
    s->in_run = true;
    while (s->head < s->nq) {
        if (s->yielded && !s->stopped) {
            s->yields++;
            break;
        }
        if (s->stopped) { /* dropped: their callbacks never run */
            free(s->q[s->head++].wire);
            continue;
        }
        pending p = s->q[s->head++];
        scr_query sq;
        memset(&sq, 0, sizeof(sq));
        sq.server = p.server;
        sq.tcp = p.tcp;
        sq.wire = p.wire;
        sq.len = p.len;
        gt_msg *m = NULL;
        if (gt_msg_parse(p.wire, p.len, &m) == GT_OK) {
            sq.qname = m->qname;
            sq.qtype = m->qtype;
            sq.rd = m->rd;
            sq.edns = m->has_opt;
            sq.do_bit = m->do_bit;
            gt_msg_free(m);
        }
        if (s->nlog == s->caplog) {
            size_t ncap = s->caplog ? s->caplog * 2 : 64;
            scr_log *nl = realloc(s->log, ncap * sizeof(*nl));
            if (nl == NULL) {
                free(p.wire);
                s->in_run = false;
                return GT_ENOMEM;
            }
            s->log = nl;
            s->caplog = ncap;
        }
        scr_log *l = &s->log[s->nlog++];
        l->server = p.server;
        l->tcp = p.tcp;
        l->qname = sq.qname;
        l->qtype = sq.qtype;
        l->rd = sq.rd;
        l->do_bit = sq.do_bit;

        static tb_msg reply;
        static uint8_t raw[GT_MSG_MAX];
        gt_reply r = {.rtt_ms = 1.0};
        if (s->raw_fn != NULL) {
            size_t rlen = 0;
            r.status = s->raw_fn(s->user, &sq, raw, sizeof(raw), &rlen);
            r.data = raw;
            r.len = rlen <= sizeof(raw) ? rlen : sizeof(raw);
        } else {
            memset(&reply, 0, sizeof(reply));
            r.status = s->fn(s->user, &sq, &reply);
            if (r.status == GT_OK) {
                r.data = reply.buf;
                r.len = tb_end(&reply);
            }
        }
        if (r.status != GT_OK) {
            r.data = NULL;
            r.len = 0;
        }
        free(p.wire);
        p.fn(p.arg, &r);
    }
    s->stopped = false;
    s->yielded = false;
    s->in_run = false;
    return GT_OK;
}

static void s_stop(gt_transport *t)
{
    ((scripted *)t)->stopped = true;
}

static void s_yield(gt_transport *t)
{
    scripted *s = (scripted *)t;
    if (s->in_run) {
        s->yielded = true;
    }
}

static void s_destroy(gt_transport *t)
{
    scr_destroy((scripted *)t);
}

static const gt_transport_ops scripted_ops = {s_send, s_run,   s_destroy, s_stop,
                                              NULL,   s_yield, NULL};

scripted *scr_create(scr_responder fn, void *user)
{
    scripted *s = calloc(1, sizeof(*s));
    if (s != NULL) {
        s->base.ops = &scripted_ops;
        s->fn = fn;
        s->user = user;
    }
    return s;
}

scripted *scr_create_raw(scr_raw_responder fn, void *user)
{
    scripted *s = scr_create(NULL, user);
    if (s != NULL) {
        s->raw_fn = fn;
    }
    return s;
}

size_t scr_yields(const scripted *s)
{
    return s->yields;
}

gt_transport *scr_transport(scripted *s)
{
    return &s->base;
}

size_t scr_count(const scripted *s)
{
    return s->nlog;
}

const scr_log *scr_get(const scripted *s, size_t i)
{
    return &s->log[i];
}

size_t scr_count_to(const scripted *s, const char *addr, const char *qname)
{
    gt_addr a;
    gt_name n;
    size_t count = 0;
    if (gt_addr_parse(addr, &a) != GT_OK || (qname && gt_name_from_str(&n, qname) != GT_OK)) {
        return 0;
    }
    for (size_t i = 0; i < s->nlog; i++) {
        if (gt_addr_eq(&s->log[i].server, &a) && (!qname || gt_name_eq(&s->log[i].qname, &n))) {
            count++;
        }
    }
    return count;
}

size_t scr_max_dup(const scripted *s)
{
    size_t max = 0;
    for (size_t i = 0; i < s->nlog; i++) {
        size_t n = 0;
        for (size_t j = 0; j < s->nlog; j++) {
            const scr_log *a = &s->log[i], *b = &s->log[j];
            n += gt_addr_eq(&a->server, &b->server) && a->tcp == b->tcp && a->qtype == b->qtype &&
                 gt_name_eq(&a->qname, &b->qname);
        }
        if (n > max) {
            max = n;
        }
    }
    return max;
}

void scr_destroy(scripted *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = s->head; i < s->nq; i++) {
        free(s->q[i].wire);
    }
    free(s->q);
    free(s->log);
    free(s);
}

bool scr_is(const scr_query *q, const char *addr)
{
    gt_addr a;
    return gt_addr_parse(addr, &a) == GT_OK && gt_addr_eq(&a, &q->server);
}

bool scr_name_is(const scr_query *q, const char *name)
{
    gt_name n;
    return gt_name_from_str(&n, name) == GT_OK && gt_name_eq(&n, &q->qname);
}
