/*
 * --vs-dig: read saved `dig +trace` output (plain text or +yaml) and compare it, step by step,
 * with a glue-faithful trace. dig +trace resolves every NS name through the local resolver, so
 * the question asked of each step is: is the address dig used among the glue (or sub-trace, or
 * hints) addresses gluetrace found for that NS name? See docs/dig-comparison.md.
 *
 * The input is untrusted text: every line and every count is bounded, names are parsed with
 * gt_name_from_str() and printed escaped, and anything not understood is counted, not trusted.
 */
#include "gluetrace/diagnose/vsdig.h"

#include "gluetrace/base/array.h"
#include "gluetrace/base/parse.h"
#include "gluetrace/wire/rdata.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/** Longest input line looked at; longer lines are counted as not understood. */
#define GT_DIG_MAX_LINE 8192
/** Most blocks (dig steps) read; dig +trace rarely exceeds ten. */
#define GT_DIG_MAX_STEPS 128
/** Most records kept per block. */
#define GT_DIG_MAX_RRS 512
/** Most error/notice lines kept per block. */
#define GT_DIG_MAX_NOTES 8
/** Most addresses gluetrace knows for one NS name that are reported. */
#define GT_DIG_MAX_KNOWN 32
/** Longest RDATA text kept per record. */
#define GT_DIG_MAX_RDATA 2048

/** A record as dig printed it. */
typedef struct vd_rr {
    gt_name owner;
    uint32_t ttl;
    uint16_t type;
    char *data; /**< RDATA text, whitespace collapsed; owned */
} vd_rr;

/** What a block of dig output was. */
typedef enum {
    VD_ROOT,     /**< dig's first query: the root NS set from its resolver */
    VD_REFERRAL, /**< a referral to a zone below the one asked */
    VD_ANSWER,   /**< the final reply (answer, CNAME, or negative with SOA) */
    VD_STOPPED,  /**< records (or none) without a reply line: dig gave up */
    VD_OTHER,    /**< a reply that is neither a referral nor an answer for the name */
} vd_kind;

/** Result of checking the address dig used. */
typedef enum {
    VD_NA,      /**< nothing to check (resolver step, no reply) */
    VD_MATCH,   /**< among gluetrace's addresses for that NS name */
    VD_MISLED,  /**< not among them: the resolver's address */
    VD_UNKNOWN, /**< gluetrace has no address for that name at that zone */
} vd_check;

/** An address gluetrace knows for an NS name, and where it came from. */
typedef struct vd_known {
    gt_addr addr;
    const char *source; /**< "glue", "subtrace", "hints" or "user" */
    char from[GT_NAME_STRLEN + GT_ADDR_STRLEN + 32];
} vd_known;

/** One block of dig output and what the comparison made of it. */
typedef struct vd_step {
    size_t line; /**< line of the block's last line (1-based) */
    vd_rr *rrs;
    size_t nrrs;
    size_t caprrs; /**< capacity of rrs */
    bool received; /**< a ";; Received" line (or yaml message) closed the block */
    gt_addr addr;
    bool have_addr;
    char server_text[GT_NAME_STRLEN]; /**< the name in "(NAME)" as printed, escaped */
    gt_name server;                   /**< that name, when it is a name */
    bool have_server;
    bool server_inferred; /**< the name was not printed (yaml): matched from gluetrace's data */
    unsigned long bytes;
    unsigned long ms;
    char *notes[GT_DIG_MAX_NOTES]; /**< error lines dig printed for this step; owned */
    size_t nnotes;
    char noaddr[GT_NAME_STRLEN]; /**< "couldn't get address for" this name ("" for none) */

    vd_kind kind;
    gt_name zone;     /**< zone the server was asked as a server of */
    gt_name referral; /**< VD_REFERRAL: the zone referred to */
    vd_check check;
    vd_known known[GT_DIG_MAX_KNOWN]; /**< gluetrace's addresses for the server's name */
    size_t nknown;
    size_t match; /**< VD_MATCH: index in known */
} vd_step;

/** Verdicts. */
typedef enum { VD_AGREES, VD_PARTIAL, VD_STOPPED_V, VD_DIFFERS, VD_MISLED_V } vd_verdict;

struct gt_vsdig {
    bool yaml;
    char version[64]; /**< dig version from the header line, "" when absent */
    vd_step *steps;
    size_t nsteps;
    size_t capsteps;      /**< capacity of steps */
    size_t unparsed;      /**< lines not understood */
    size_t unparsed_line; /**< the first of them */
    bool truncated;       /**< a limit cut the input short */
    bool have_answer;     /**< dig reached a final reply */
    size_t answer_step;
    bool answer_same;     /**< that reply's data is among gluetrace's answers */
    char dig_answer[512]; /**< short text of dig's final data */
    char gt_answer[512];  /**< short text of gluetrace's answers */
    vd_verdict verdict;
    char *message; /**< the verdict sentence; owned */
};

static char *dup_str(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Copy at most size-1 bytes of untrusted text, replacing control and non-ASCII bytes by '?'
 * so nothing from the input can drive the terminal. */
static void safe_copy(char *dst, size_t size, const char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (size > 0) {
        dst[j] = '\0';
    }
}

static bool starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

static void step_free(vd_step *st)
{
    for (size_t i = 0; i < st->nrrs; i++) {
        free(st->rrs[i].data);
    }
    free(st->rrs);
    for (size_t i = 0; i < st->nnotes; i++) {
        free(st->notes[i]);
    }
}

void gt_vsdig_free(gt_vsdig *v)
{
    if (v == NULL) {
        return;
    }
    for (size_t i = 0; i < v->nsteps; i++) {
        step_free(&v->steps[i]);
    }
    free(v->steps);
    free(v->message);
    free(v);
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct parser {
    gt_vsdig *v;
    vd_step cur; /**< the block being read */
    bool cur_used;
    size_t lineno;
    size_t records; /**< record lines understood, over all blocks */
} parser;

static void unparsed(parser *p)
{
    if (p->v->unparsed++ == 0) {
        p->v->unparsed_line = p->lineno;
    }
}

/* Close the current block into the step list. */
static gt_status push_step(parser *p)
{
    gt_vsdig *v = p->v;
    if (!p->cur_used) {
        return GT_OK;
    }
    if (v->nsteps >= GT_DIG_MAX_STEPS) {
        v->truncated = true;
        step_free(&p->cur);
    } else {
        if (!gt_array_reserve((void **)&v->steps, &v->capsteps, v->nsteps, sizeof(*v->steps))) {
            return GT_ENOMEM;
        }
        v->steps[v->nsteps++] = p->cur;
    }
    memset(&p->cur, 0, sizeof(p->cur));
    p->cur_used = false;
    return GT_OK;
}

static gt_status add_note(parser *p, const char *s, size_t n)
{
    p->cur_used = true;
    p->cur.line = p->lineno;
    if (p->cur.nnotes >= GT_DIG_MAX_NOTES) {
        return GT_OK;
    }
    char *t = malloc(n > 200 ? 201 : n + 1);
    if (t == NULL) {
        return GT_ENOMEM;
    }
    safe_copy(t, n > 200 ? 201 : n + 1, s, n);
    p->cur.notes[p->cur.nnotes++] = t;
    return GT_OK;
}

/* Split off the next whitespace-separated token of s[*pos..n). */
static bool token(const char *s, size_t n, size_t *pos, const char **tok, size_t *tlen)
{
    size_t i = *pos;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i == n) {
        return false;
    }
    size_t b = i;
    while (i < n && s[i] != ' ' && s[i] != '\t') {
        i++;
    }
    *tok = s + b;
    *tlen = i - b;
    *pos = i;
    return true;
}

static bool parse_ulong(const char *s, size_t n, unsigned long max, unsigned long *out)
{
    unsigned long long x;
    if (gt_parse_uint_n(s, n, max, &x) != GT_OK) {
        return false;
    }
    *out = (unsigned long)x;
    return true;
}

static bool parse_name(const char *s, size_t n, gt_name *out)
{
    char buf[GT_NAME_STRLEN];
    if (n == 0 || n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return gt_name_from_str(out, buf) == GT_OK;
}

/* "owner TTL CLASS TYPE RDATA..." -> a record of the current block. */
static gt_status parse_record(parser *p, const char *s, size_t n, bool *ok)
{
    const char *t;
    size_t tl, pos = 0;
    vd_rr rr;
    unsigned long ttl;
    char tb[24];
    *ok = false;
    memset(&rr, 0, sizeof(rr));
    if (!token(s, n, &pos, &t, &tl) || !parse_name(t, tl, &rr.owner)) {
        return GT_OK;
    }
    if (!token(s, n, &pos, &t, &tl) || !parse_ulong(t, tl, 0xffffffffUL, &ttl)) {
        return GT_OK;
    }
    rr.ttl = (uint32_t)ttl;
    if (!token(s, n, &pos, &t, &tl) ||
        !(tl == 2 && (t[0] == 'I' || t[0] == 'i') && (t[1] == 'N' || t[1] == 'n'))) {
        return GT_OK;
    }
    if (!token(s, n, &pos, &t, &tl) || tl >= sizeof(tb)) {
        return GT_OK;
    }
    memcpy(tb, t, tl);
    tb[tl] = '\0';
    if (gt_type_from_str(tb, &rr.type) != GT_OK) {
        return GT_OK;
    }
    /* RDATA: the rest, runs of blanks collapsed to one space. */
    char data[GT_DIG_MAX_RDATA];
    size_t dl = 0;
    while (token(s, n, &pos, &t, &tl)) {
        if (dl + tl + 2 > sizeof(data)) {
            return GT_OK;
        }
        if (dl > 0) {
            data[dl++] = ' ';
        }
        memcpy(data + dl, t, tl);
        dl += tl;
    }
    *ok = true;
    p->cur_used = true;
    p->cur.line = p->lineno;
    if (p->cur.nrrs >= GT_DIG_MAX_RRS) {
        p->v->truncated = true;
        return GT_OK;
    }
    rr.data = malloc(dl + 1);
    if (rr.data == NULL) {
        return GT_ENOMEM;
    }
    safe_copy(rr.data, dl + 1, data, dl);
    if (!gt_array_reserve((void **)&p->cur.rrs, &p->cur.caprrs, p->cur.nrrs, sizeof(*p->cur.rrs))) {
        free(rr.data);
        return GT_ENOMEM;
    }
    p->cur.rrs[p->cur.nrrs++] = rr;
    p->records++;
    return GT_OK;
}

/* ";; Received N bytes from ADDR#PORT(NAME) in T ms" */
static bool parse_received(parser *p, const char *s, size_t n)
{
    const char *t;
    size_t tl, pos = strlen(";; Received");
    unsigned long bytes, ms;
    if (!token(s, n, &pos, &t, &tl) || !parse_ulong(t, tl, 0xffffffUL, &bytes)) {
        return false;
    }
    if (!token(s, n, &pos, &t, &tl) || tl != 5 || memcmp(t, "bytes", 5) != 0) {
        return false;
    }
    if (!token(s, n, &pos, &t, &tl) || tl != 4 || memcmp(t, "from", 4) != 0) {
        return false;
    }
    if (!token(s, n, &pos, &t, &tl)) {
        return false;
    }
    /* ADDR#PORT(NAME): the '#' before '(' ends the address. */
    const char *open = memchr(t, '(', tl);
    if (open == NULL || t[tl - 1] != ')') {
        return false;
    }
    const char *hash = NULL;
    for (const char *q = t; q < open; q++) {
        if (*q == '#') {
            hash = q;
        }
    }
    if (hash == NULL || (size_t)(hash - t) >= GT_ADDR_STRLEN) {
        return false;
    }
    char ab[GT_ADDR_STRLEN];
    memcpy(ab, t, (size_t)(hash - t));
    ab[hash - t] = '\0';
    gt_addr addr;
    unsigned long port;
    if (gt_addr_parse(ab, &addr) != GT_OK ||
        !parse_ulong(hash + 1, (size_t)(open - hash - 1), 65535, &port)) {
        return false;
    }
    addr.port = (uint16_t)port;
    const char *nm = open + 1;
    size_t nl = (size_t)(t + tl - 1 - nm);
    const char *in;
    if (!token(s, n, &pos, &in, &tl) || tl != 2 || memcmp(in, "in", 2) != 0) {
        return false;
    }
    if (!token(s, n, &pos, &t, &tl) || !parse_ulong(t, tl, 0xffffffUL, &ms)) {
        return false;
    }
    p->cur.addr = addr;
    p->cur.have_addr = true;
    p->cur.bytes = bytes;
    p->cur.ms = ms;
    safe_copy(p->cur.server_text, sizeof(p->cur.server_text), nm, nl);
    gt_addr tmp;
    if (nl > 0 && gt_addr_parse(p->cur.server_text, &tmp) != GT_OK &&
        parse_name(nm, nl, &p->cur.server)) {
        p->cur.have_server = true;
    }
    p->cur.received = true;
    p->cur.line = p->lineno;
    p->cur_used = true;
    return true;
}

/* "couldn't get address for 'NAME': REASON" */
static gt_status parse_noaddr(parser *p, const char *s, size_t n)
{
    const char *b = s + strlen("couldn't get address for '");
    const char *e = memchr(b, '\'', n - (size_t)(b - s));
    if (e == NULL) {
        unparsed(p);
        return GT_OK;
    }
    if (p->cur.noaddr[0] == '\0') {
        safe_copy(p->cur.noaddr, sizeof(p->cur.noaddr), b, (size_t)(e - b));
    }
    return add_note(p, s, n);
}

static gt_status text_line(parser *p, const char *s, size_t n)
{
    bool ok;
    gt_status st;
    if (starts(s, n, "; <<>> DiG ")) {
        size_t pos = strlen("; <<>> DiG "), tl;
        const char *t;
        if (token(s, n, &pos, &t, &tl)) {
            safe_copy(p->v->version, sizeof(p->v->version), t, tl);
        }
        return GT_OK;
    }
    if (starts(s, n, ";; Received ")) {
        if (!parse_received(p, s, n)) {
            unparsed(p);
            return GT_OK;
        }
        return push_step(p);
    }
    if (starts(s, n, ";; communications error") || starts(s, n, ";; UDP setup with") ||
        starts(s, n, ";; TCP setup with") || starts(s, n, ";; connection timed out") ||
        starts(s, n, ";; no servers could be reached") || starts(s, n, ";; Truncated") ||
        starts(s, n, ";; BADCOOKIE") || starts(s, n, ";; Warning") || starts(s, n, ";; WARNING") ||
        starts(s, n, "dig: ")) {
        return add_note(p, n > 3 && s[0] == ';' ? s + 3 : s, n > 3 && s[0] == ';' ? n - 3 : n);
    }
    if (starts(s, n, "couldn't get address for '")) {
        return parse_noaddr(p, s, n);
    }
    if (s[0] == ';') {
        return GT_OK; /* other comments: ";; global options", section headers */
    }
    st = parse_record(p, s, n, &ok);
    if (st == GT_OK && !ok) {
        unparsed(p);
    }
    return st;
}

/* dig +yaml: "- type: MESSAGE" items with response_address, message_size and
 * *_SECTION lists of quoted records. */
static gt_status yaml_line(parser *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') {
        i++;
    }
    const char *t = s + i;
    size_t tl = n - i;
    if (starts(t, tl, "- type: MESSAGE")) {
        if (p->cur.have_addr) {
            p->cur.received = true;
        }
        return push_step(p);
    }
    if (starts(t, tl, "couldn't get address for '")) {
        return parse_noaddr(p, t, tl);
    }
    if (starts(t, tl, ";;") || starts(t, tl, "dig: ")) {
        return text_line(p, t, tl);
    }
    if (starts(t, tl, "- '") || starts(t, tl, "- \"")) {
        /* a record; '' is an escaped quote inside single quotes */
        char rec[GT_DIG_MAX_LINE];
        size_t rl = 0;
        char q = t[2];
        for (size_t k = 3; k < tl && rl + 1 < sizeof(rec); k++) {
            if (t[k] == q) {
                if (q == '\'' && k + 1 < tl && t[k + 1] == '\'') {
                    rec[rl++] = '\'';
                    k++;
                    continue;
                }
                break;
            }
            rec[rl++] = t[k];
        }
        bool ok;
        gt_status st = parse_record(p, rec, rl, &ok);
        if (st == GT_OK && !ok) {
            unparsed(p);
        }
        return st;
    }
    const char *colon = memchr(t, ':', tl);
    if (colon == NULL) {
        unparsed(p);
        return GT_OK;
    }
    size_t kl = (size_t)(colon - t);
    const char *val = colon + 1;
    size_t vl = tl - kl - 1;
    while (vl > 0 && *val == ' ') {
        val++;
        vl--;
    }
    if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
        val++;
        vl -= 2;
    }
    if (kl == strlen("response_address") && memcmp(t, "response_address", kl) == 0) {
        char ab[GT_ADDR_STRLEN];
        if (vl >= sizeof(ab)) {
            unparsed(p);
            return GT_OK;
        }
        memcpy(ab, val, vl);
        ab[vl] = '\0';
        if (gt_addr_parse(ab, &p->cur.addr) == GT_OK) {
            p->cur.have_addr = true;
            p->cur_used = true;
            p->cur.line = p->lineno;
            safe_copy(p->cur.server_text, sizeof(p->cur.server_text), val, vl);
        } else {
            unparsed(p);
        }
    } else if (kl == strlen("response_port") && memcmp(t, "response_port", kl) == 0) {
        unsigned long port;
        if (parse_ulong(val, vl, 65535, &port)) {
            p->cur.addr.port = (uint16_t)port;
        }
    } else if (kl == strlen("message_size") && memcmp(t, "message_size", kl) == 0) {
        unsigned long b;
        if (vl > 1 && val[vl - 1] == 'b' && parse_ulong(val, vl - 1, 0xffffffUL, &b)) {
            p->cur.bytes = b;
        }
    }
    return GT_OK; /* other keys carry nothing we compare */
}

static gt_status parse(gt_vsdig *v, const char *text, size_t len)
{
    parser p;
    gt_status st = GT_OK;
    size_t pos = 0;
    memset(&p, 0, sizeof(p));
    p.v = v;
    /* yaml when the first non-blank line starts a yaml list item */
    while (pos < len && (text[pos] == '\n' || text[pos] == '\r' || text[pos] == ' ')) {
        pos++;
    }
    v->yaml = starts(text + pos, len - pos, "- type:") || starts(text + pos, len - pos, "---");
    pos = 0;
    while (pos < len && st == GT_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + pos;
        size_t n = end - pos;
        pos = nl ? end + 1 : len;
        p.lineno++;
        while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
            n--;
        }
        if (n == 0 || (v->yaml && starts(s, n, "---"))) {
            continue;
        }
        if (n > GT_DIG_MAX_LINE) {
            unparsed(&p);
            continue;
        }
        st = v->yaml ? yaml_line(&p, s, n) : text_line(&p, s, n);
    }
    if (st == GT_OK && v->yaml && p.cur.have_addr) {
        p.cur.received = true;
    }
    if (st == GT_OK) {
        st = push_step(&p);
    }
    step_free(&p.cur);
    return st;
}

/* ---- comparison ------------------------------------------------------------------------- */

static const char *nstr(const gt_name *n, char *buf, size_t size)
{
    gt_name_to_str(n, buf, size);
    return buf;
}

/* Queries of the traces that decide where the trace goes (not checks or resolver traces). */
static bool usable_query(const gt_result *r, const gt_query *q)
{
    if (q->trace >= r->ntraces) {
        return false;
    }
    gt_trace_kind k = r->traces[q->trace]->kind;
    if (k != GT_TRACE_MAIN && k != GT_TRACE_SUBTRACE && k != GT_TRACE_CNAME) {
        return false;
    }
    return q->source == GT_SRC_HINTS || q->source == GT_SRC_GLUE || q->source == GT_SRC_SUBTRACE ||
           q->source == GT_SRC_USER;
}

static void add_known(vd_step *st, const gt_addr *a, const char *source, const char *from)
{
    for (size_t i = 0; i < st->nknown; i++) {
        if (gt_addr_eq(&st->known[i].addr, a)) {
            return;
        }
    }
    if (st->nknown < GT_DIG_MAX_KNOWN) {
        vd_known *k = &st->known[st->nknown++];
        k->addr = *a;
        k->source = source;
        snprintf(k->from, sizeof(k->from), "%s", from);
    }
}

/* Every address gluetrace has for NS name @p ns as a server of @p zone. */
static void gather_known(const gt_result *r, const gt_name *zone, const gt_name *ns, vd_step *st)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], from[GT_NAME_STRLEN + GT_ADDR_STRLEN + 32];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!usable_query(r, q) || !q->has_referral || !gt_name_eq(&q->referral.zone, zone)) {
            continue;
        }
        for (size_t g = 0; g < q->referral.nglue; g++) {
            if (gt_name_eq(&q->referral.glue[g].name, ns)) {
                snprintf(from, sizeof(from), "glue from %s (%s)",
                         q->server_name.len ? nstr(&q->server_name, b, sizeof(b)) : "?",
                         gt_addr_to_str(&q->addr, a, sizeof(a)));
                add_known(st, &q->referral.glue[g].addr, "glue", from);
            }
        }
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!usable_query(r, q) || !gt_name_eq(&q->zone, zone) ||
            !gt_name_eq(&q->server_name, ns)) {
            continue;
        }
        if (q->source == GT_SRC_HINTS) {
            add_known(st, &q->addr, "hints", "root hints");
        } else if (q->source == GT_SRC_USER) {
            add_known(st, &q->addr, "user", "given with -s");
        } else if (q->source == GT_SRC_SUBTRACE) {
            snprintf(from, sizeof(from), "sub-trace #%zu", q->subtrace);
            add_known(st, &q->addr, "subtrace", from);
        }
    }
    for (size_t t = 1; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_SUBTRACE || !gt_name_eq(&tr->name, ns)) {
            continue;
        }
        snprintf(from, sizeof(from), "sub-trace #%zu", tr->id);
        for (size_t k = 0; k < tr->naddrs; k++) {
            add_known(st, &tr->addrs[k], "subtrace", from);
        }
    }
}

static bool addr_in_known(const vd_step *st, const gt_addr *a, size_t *idx)
{
    for (size_t i = 0; i < st->nknown; i++) {
        /* dig prints the port it used; gluetrace's addresses are port 53 unless told */
        gt_addr x = st->known[i].addr;
        x.port = a->port;
        if (gt_addr_eq(&x, a)) {
            *idx = i;
            return true;
        }
    }
    return false;
}

/* The NS names of @p zone listed in step @p s (the referral or root set dig followed). */
static size_t ns_names(const vd_step *s, const gt_name *zone, gt_name *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nrrs && n < cap; i++) {
        const vd_rr *rr = &s->rrs[i];
        gt_name tgt;
        if (rr->type == GT_TYPE_NS && gt_name_eq(&rr->owner, zone) &&
            parse_name(rr->data, strlen(rr->data), &tgt)) {
            out[n++] = tgt;
        }
    }
    return n;
}

/* Check the address dig used in step @p i against gluetrace's addresses. */
static void check_step(const gt_result *r, gt_vsdig *v, size_t i)
{
    vd_step *st = &v->steps[i];
    st->check = VD_NA;
    if (!st->received || !st->have_addr) {
        return;
    }
    if (st->have_server) {
        gather_known(r, &st->zone, &st->server, st);
        if (st->nknown == 0) {
            st->check = VD_UNKNOWN;
        } else {
            st->check = addr_in_known(st, &st->addr, &st->match) ? VD_MATCH : VD_MISLED;
        }
        return;
    }
    /* No name printed (yaml): find the NS name of the previous step whose addresses hold it. */
    gt_name names[64];
    size_t nn = i > 0 ? ns_names(&v->steps[i - 1], &st->zone, names, 64) : 0;
    vd_step probe;
    for (size_t k = 0; k < nn; k++) {
        probe.nknown = 0;
        gather_known(r, &st->zone, &names[k], &probe);
        size_t idx;
        if (addr_in_known(&probe, &st->addr, &idx)) {
            st->server = names[k];
            st->have_server = true;
            st->server_inferred = true;
            memcpy(st->known, probe.known, probe.nknown * sizeof(probe.known[0]));
            st->nknown = probe.nknown;
            st->match = idx;
            st->check = VD_MATCH;
            return;
        }
    }
    for (size_t k = 0; k < nn; k++) {
        gather_known(r, &st->zone, &names[k], st);
    }
    if (nn == 1) {
        /* one NS name: dig can only have asked that one */
        st->server = names[0];
        st->have_server = true;
        st->server_inferred = true;
    }
    st->check = st->nknown == 0 ? VD_UNKNOWN : VD_MISLED;
}

static bool rdata_eq(uint16_t type, const char *dig, const char *gt)
{
    if (type == GT_TYPE_A || type == GT_TYPE_AAAA) {
        gt_addr x, y;
        return gt_addr_parse(dig, &x) == GT_OK && gt_addr_parse(gt, &y) == GT_OK &&
               gt_addr_eq(&x, &y);
    }
    /* collapse blanks in gluetrace's text the way the parser did dig's */
    size_t i = 0, j = 0;
    for (;;) {
        while (gt[j] == ' ' && (j == 0 || gt[j - 1] == ' ')) {
            j++;
        }
        char a = (char)tolower((unsigned char)dig[i]), b = (char)tolower((unsigned char)gt[j]);
        if (a == '\0' || b == '\0') {
            while (gt[j] == ' ') {
                j++;
            }
            return a == '\0' && gt[j] == '\0';
        }
        if (a != b) {
            return false;
        }
        i++;
        j++;
    }
}

/* Is dig record @p d in the ANSWER section of @p m (ignoring TTL)? */
static bool rr_in_msg(const vd_rr *d, const gt_msg *m)
{
    char data[8192];
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type != d->type || !gt_name_eq(&rr->owner, &d->owner)) {
            continue;
        }
        if (gt_rr_data_str(rr, data, sizeof(data)) == 0) {
            continue;
        }
        if (rdata_eq(rr->type, d->data, data)) {
            return true;
        }
    }
    return false;
}

/* dig's final data: records of qtype or CNAME on the chain from qname. */
static bool is_answer_rr(const gt_result *r, const vd_step *s, const vd_rr *rr)
{
    if (rr->type != r->qtype && rr->type != GT_TYPE_CNAME) {
        return false;
    }
    gt_name cur = r->qname;
    for (unsigned hop = 0; hop <= GT_MAX_CNAME_IN_REPLY; hop++) {
        if (gt_name_eq(&rr->owner, &cur)) {
            return true;
        }
        bool moved = false;
        for (size_t i = 0; i < s->nrrs && !moved; i++) {
            gt_name tgt;
            if (s->rrs[i].type == GT_TYPE_CNAME && gt_name_eq(&s->rrs[i].owner, &cur) &&
                parse_name(s->rrs[i].data, strlen(s->rrs[i].data), &tgt)) {
                cur = tgt;
                moved = true;
            }
        }
        if (!moved) {
            return false;
        }
    }
    return false;
}

static bool has_soa(const vd_step *s)
{
    for (size_t i = 0; i < s->nrrs; i++) {
        if (s->rrs[i].type == GT_TYPE_SOA) {
            return true;
        }
    }
    return false;
}

static void append(char *buf, size_t size, const char *fmt, ...) GT_PRINTF(3, 4);
static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - used) {
        /* cut: mark it so a reader knows */
        if (size > 4) {
            memcpy(buf + size - 4, "...", 4);
        }
    }
}

static void compare_answer(gt_result *r, gt_vsdig *v)
{
    const vd_step *s = &v->steps[v->answer_step];
    char type[16];
    size_t ndig = 0;
    v->dig_answer[0] = v->gt_answer[0] = '\0';
    for (size_t i = 0; i < s->nrrs; i++) {
        if (is_answer_rr(r, s, &s->rrs[i])) {
            append(v->dig_answer, sizeof(v->dig_answer), "%s%s %s", ndig ? ", " : "",
                   gt_type_to_str(s->rrs[i].type, type, sizeof(type)), s->rrs[i].data);
            ndig++;
        }
    }
    bool negative = ndig == 0;
    if (negative) {
        snprintf(v->dig_answer, sizeof(v->dig_answer), "%s",
                 has_soa(s) ? "no data (negative reply with SOA)" : "no records");
    }
    v->answer_same = false;
    for (size_t a = 0; a < r->nanswers; a++) {
        const gt_answer *ans = &r->answers[a];
        const gt_query *q = ans->first_query >= 1 && ans->first_query <= r->nqueries
                                ? r->queries[ans->first_query - 1]
                                : NULL;
        const gt_msg *m = q ? q->reply : NULL;
        size_t ngt = 0;
        bool same = true;
        if (a > 0) {
            append(v->gt_answer, sizeof(v->gt_answer), "; ");
        }
        if (ans->outcome == GT_OUT_NXDOMAIN || ans->outcome == GT_OUT_NODATA) {
            append(v->gt_answer, sizeof(v->gt_answer), "%s",
                   ans->outcome == GT_OUT_NXDOMAIN ? "NXDOMAIN" : "NODATA");
            if (negative) {
                v->answer_same = true;
            }
            continue;
        }
        for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            char data[512];
            if (rr->type != r->qtype && rr->type != GT_TYPE_CNAME) {
                continue;
            }
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            append(v->gt_answer, sizeof(v->gt_answer), "%s%s %s", ngt ? ", " : "",
                   gt_type_to_str(rr->type, type, sizeof(type)), data);
            ngt++;
        }
        if (negative || ngt != ndig) {
            same = false;
        }
        for (size_t i = 0; same && i < s->nrrs; i++) {
            if (is_answer_rr(r, s, &s->rrs[i]) && !rr_in_msg(&s->rrs[i], m)) {
                same = false;
            }
        }
        if (same) {
            v->answer_same = true;
        }
    }
    if (r->nanswers == 0) {
        snprintf(v->gt_answer, sizeof(v->gt_answer), "none (main trace: %s)",
                 r->ntraces ? gt_trace_status_str(r->traces[0]->status) : "none");
    }
}

static void known_list(const vd_step *st, char *buf, size_t size)
{
    char a[GT_ADDR_STRLEN];
    buf[0] = '\0';
    for (size_t i = 0; i < st->nknown; i++) {
        append(buf, size, "%s%s", i ? ", " : "", gt_addr_to_str(&st->known[i].addr, a, sizeof(a)));
    }
}

/* "the parent's glue says" / "gluetrace's sub-trace found" / "the root hints say" */
static const char *known_says(const vd_step *st)
{
    if (st->nknown == 0) {
        return "gluetrace found";
    }
    if (strcmp(st->known[0].source, "glue") == 0) {
        return "the parent's glue says";
    }
    if (strcmp(st->known[0].source, "subtrace") == 0) {
        return "gluetrace's sub-trace from the root found";
    }
    if (strcmp(st->known[0].source, "hints") == 0) {
        return "the root hints say";
    }
    return "gluetrace used";
}

static gt_status analyse(gt_result *r, gt_vsdig *v, char *err, size_t errlen)
{
    char b[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], list[1024];
    gt_name zone;
    gt_name_root(&zone);
    bool have_zone = false;
    for (size_t i = 0; i < v->nsteps; i++) {
        vd_step *st = &v->steps[i];
        st->zone = zone;
        st->kind = VD_OTHER;
        if (!have_zone) {
            /* dig's first block: the root NS set, from its resolver */
            gt_name root;
            gt_name_root(&root);
            for (size_t k = 0; k < st->nrrs; k++) {
                if (st->rrs[k].type == GT_TYPE_NS && gt_name_eq(&st->rrs[k].owner, &root)) {
                    st->kind = VD_ROOT;
                }
            }
            if (st->kind == VD_ROOT || st->received) {
                have_zone = true;
                if (st->kind == VD_ROOT) {
                    continue;
                }
            }
        }
        /* the deepest NS owner strictly below the zone asked */
        bool ref = false, other_ns = false;
        gt_name refz, otherz;
        for (size_t k = 0; k < st->nrrs; k++) {
            const vd_rr *rr = &st->rrs[k];
            if (rr->type != GT_TYPE_NS || !gt_name_is_under(&rr->owner, &zone) ||
                gt_name_eq(&rr->owner, &zone)) {
                continue;
            }
            if (gt_name_is_under(&r->qname, &rr->owner)) {
                if (!ref || gt_name_labels(&rr->owner) > gt_name_labels(&refz)) {
                    refz = rr->owner;
                }
                ref = true;
            } else {
                other_ns = true;
                otherz = rr->owner;
            }
        }
        bool answer = false;
        for (size_t k = 0; k < st->nrrs && !answer; k++) {
            answer = st->rrs[k].type != GT_TYPE_NS && is_answer_rr(r, st, &st->rrs[k]);
        }
        if (ref && !answer) {
            st->kind = VD_REFERRAL;
            st->referral = refz;
            zone = refz;
        } else if (answer || (st->received && has_soa(st))) {
            st->kind = VD_ANSWER;
        } else if (other_ns && !ref) {
            snprintf(err, errlen,
                     "the dig output traces another name: line %zu refers to %s, which does "
                     "not cover %s",
                     st->line, nstr(&otherz, b, sizeof(b)), nstr(&r->qname, b2, sizeof(b2)));
            return GT_EINVAL;
        } else if (!st->received) {
            st->kind = VD_STOPPED;
        } else if (st->nrrs == 0 && i + 1 == v->nsteps) {
            st->kind = VD_ANSWER; /* an empty final reply */
        }
        check_step(r, v, i);
    }

    gt_status st = GT_OK;
    bool misled = false;
    size_t first_misled = 0;
    for (size_t i = 0; i < v->nsteps && st == GT_OK; i++) {
        vd_step *s = &v->steps[i];
        if (s->check != VD_MISLED) {
            continue;
        }
        if (!misled) {
            first_misled = i;
        }
        misled = true;
        char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
        snprintf(srv, sizeof(srv), "%s (%s)", s->have_server ? nstr(&s->server, b, sizeof(b)) : "?",
                 gt_addr_to_str(&s->addr, a, sizeof(a)));
        known_list(s, list, sizeof(list));
        st = gt_result_add_finding(
            r, GT_F_DIG_MISLED_BY_RESOLVER, &s->zone, 0, srv,
            "dig +trace asked %s for %s (as a server of %s), an address from its resolver; "
            "%s %s (%s)",
            a, s->have_server ? b : "an NS name", nstr(&s->zone, b2, sizeof(b2)), known_says(s),
            list, s->nknown ? s->known[0].from : "");
    }
    if (st != GT_OK) {
        return st;
    }

    v->have_answer = false;
    for (size_t i = v->nsteps; i-- > 0;) {
        if (v->steps[i].kind == VD_ANSWER && v->steps[i].received) {
            v->have_answer = true;
            v->answer_step = i;
            break;
        }
    }
    if (v->have_answer) {
        compare_answer(r, v);
        if (!v->answer_same) {
            const vd_step *s = &v->steps[v->answer_step];
            char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
            snprintf(srv, sizeof(srv), "%s (%s)",
                     s->have_server ? nstr(&s->server, b, sizeof(b)) : "?",
                     gt_addr_to_str(&s->addr, a, sizeof(a)));
            st = gt_result_add_finding(r, GT_F_DIG_ANSWER_DIFFERS, &s->zone, 0, srv,
                                       "dig +trace's final answer (%s, from %s) is not among the "
                                       "authoritative answers gluetrace saw (%s)",
                                       v->dig_answer, srv, v->gt_answer);
        }
    }
    if (st == GT_OK && v->unparsed > 0) {
        st = gt_result_add_finding(r, GT_F_DIG_OUTPUT_UNPARSED, NULL, 0, NULL,
                                   "%zu line%s of the dig output %s not understood (first: line "
                                   "%zu)",
                                   v->unparsed, v->unparsed == 1 ? "" : "s",
                                   v->unparsed == 1 ? "was" : "were", v->unparsed_line);
    }
    if (st == GT_OK && v->truncated) {
        st = gt_result_add_finding(r, GT_F_DIG_OUTPUT_UNPARSED, NULL, 0, NULL,
                                   "the dig output exceeds the comparison's limits (%d steps, %d "
                                   "records per step); the rest was not compared",
                                   GT_DIG_MAX_STEPS, GT_DIG_MAX_RRS);
    }
    const vd_step *stop = NULL;
    if (!v->have_answer && v->nsteps > 0) {
        stop = &v->steps[v->nsteps - 1];
        char why[GT_NAME_STRLEN + 64];
        if (stop->noaddr[0]) {
            snprintf(why, sizeof(why), "couldn't get address for '%s'", stop->noaddr);
        } else {
            snprintf(why, sizeof(why), "%s", stop->nnotes ? stop->notes[0] : "no final reply");
        }
        if (st == GT_OK) {
            st = gt_result_add_finding(r, GT_F_DIG_STOPPED, &stop->zone, 0, NULL,
                                       "dig +trace stopped before an answer: %s", why);
        }
    }
    if (st != GT_OK) {
        return st;
    }

    /* The verdict sentence. */
    char msg[2048];
    msg[0] = '\0';
    size_t unknown = 0;
    for (size_t i = 0; i < v->nsteps; i++) {
        unknown += v->steps[i].check == VD_UNKNOWN;
    }
    if (misled) {
        const vd_step *s = &v->steps[first_misled];
        known_list(s, list, sizeof(list));
        v->verdict = VD_MISLED_V;
        append(msg, sizeof(msg),
               "dig +trace was misled by its resolver: it asked %s for %s, but %s %s",
               gt_addr_to_str(&s->addr, a, sizeof(a)),
               s->have_server ? nstr(&s->server, b, sizeof(b)) : "a server", known_says(s), list);
        if (v->have_answer && !v->answer_same) {
            append(msg, sizeof(msg), "; its final answer (%s) differs from the authoritative (%s)",
                   v->dig_answer, v->gt_answer);
        } else if (v->have_answer) {
            append(msg, sizeof(msg), "; its final answer happens to be the same");
        }
    } else if (v->have_answer && !v->answer_same) {
        v->verdict = VD_DIFFERS;
        append(msg, sizeof(msg),
               "dig +trace's final answer (%s) differs from the glue-faithful answer (%s)%s",
               v->dig_answer, v->gt_answer,
               unknown ? "" : ", although it asked the same server addresses");
    } else if (!v->have_answer) {
        v->verdict = VD_STOPPED_V;
        append(msg, sizeof(msg), "dig +trace stopped before an answer (%s); gluetrace: %s",
               stop && stop->noaddr[0] ? "couldn't get an address from its resolver"
                                       : "no final reply",
               r->ntraces ? gt_trace_status_str(r->traces[0]->status) : "no trace");
    } else if (unknown > 0) {
        v->verdict = VD_PARTIAL;
        append(msg, sizeof(msg),
               "dig +trace got the same answer, but %zu of its steps could not be checked "
               "(gluetrace has no address for those servers)",
               unknown);
    } else {
        v->verdict = VD_AGREES;
        append(msg, sizeof(msg), "dig +trace followed the same servers and got the same answer.");
    }
    v->message = dup_str(msg, strlen(msg));
    return v->message ? GT_OK : GT_ENOMEM;
}

gt_status gt_vsdig_compare(gt_result *r, const char *text, size_t len, gt_vsdig **out, char *err,
                           size_t errlen)
{
    gt_status st;
    gt_vsdig *v = NULL;
    *out = NULL;
    if (errlen > 0) {
        err[0] = '\0';
    }
    if (text == NULL || len == 0) {
        snprintf(err, errlen, "empty input, expected the output of dig +trace");
        return GT_EINVAL;
    }
    if (memchr(text, '\0', len) != NULL) {
        snprintf(err, errlen, "binary data (NUL bytes), expected the text output of dig +trace");
        return GT_EINVAL;
    }
    v = calloc(1, sizeof(*v));
    if (v == NULL) {
        return GT_ENOMEM;
    }
    st = parse(v, text, len);
    if (st != GT_OK) {
        goto done;
    }
    size_t replies = 0;
    bool noaddr = false;
    for (size_t i = 0; i < v->nsteps; i++) {
        replies += v->steps[i].received;
        noaddr = noaddr || v->steps[i].noaddr[0] != '\0';
    }
    if (replies == 0 && !noaddr) {
        snprintf(err, errlen,
                 "not dig +trace output: no ';; Received N bytes from ADDR#PORT(NAME)' line%s",
                 v->yaml ? " and no yaml message with a response_address" : "");
        st = GT_EINVAL;
        goto done;
    }
    st = analyse(r, v, err, errlen);
done:
    if (st != GT_OK) {
        if (st == GT_ENOMEM && errlen > 0) {
            snprintf(err, errlen, "out of memory");
        }
        gt_vsdig_free(v);
        return st;
    }
    *out = v;
    return GT_OK;
}

/* ---- output ----------------------------------------------------------------------------- */

static const char *kind_str(vd_kind k)
{
    switch (k) {
    case VD_ROOT:
        return "root";
    case VD_REFERRAL:
        return "referral";
    case VD_ANSWER:
        return "answer";
    case VD_STOPPED:
        return "stopped";
    case VD_OTHER:
    default:
        return "other";
    }
}

static const char *check_str(vd_check c)
{
    switch (c) {
    case VD_MATCH:
        return "match";
    case VD_MISLED:
        return "not_glue";
    case VD_UNKNOWN:
        return "unknown";
    case VD_NA:
    default:
        return "none";
    }
}

static const char *verdict_str(vd_verdict v)
{
    switch (v) {
    case VD_MISLED_V:
        return "misled";
    case VD_DIFFERS:
        return "differs";
    case VD_STOPPED_V:
        return "stopped";
    case VD_PARTIAL:
        return "partial";
    case VD_AGREES:
    default:
        return "agrees";
    }
}

void gt_vsdig_print(FILE *out, const gt_vsdig *v)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 8];
    char list[1024];
    if (v == NULL) {
        return;
    }
    fprintf(out, "Compared with dig +trace (%s%s%s, %zu steps):\n", v->yaml ? "+yaml, " : "",
            v->version[0] ? "DiG " : "", v->version[0] ? v->version : "version unknown", v->nsteps);
    fprintf(out, "  %-4s %-22s %-44s %s\n", "step", "zone", "server dig asked (address)",
            "address check");
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        if (s->have_addr) {
            snprintf(srv, sizeof(srv), "%s%s (%s)",
                     s->have_server ? nstr(&s->server, b, sizeof(b))
                                    : (s->kind == VD_ROOT ? "its resolver" : "?"),
                     s->server_inferred ? "*" : "", gt_addr_to_str(&s->addr, a, sizeof(a)));
        } else {
            snprintf(srv, sizeof(srv), "-");
        }
        fprintf(out, "  %-4zu %-22s %-44s ", i,
                s->kind == VD_ROOT ? "(root NS set)" : nstr(&s->zone, b, sizeof(b)), srv);
        switch (s->check) {
        case VD_MATCH:
            fprintf(out, "ok: %s", s->known[s->match].from);
            break;
        case VD_MISLED:
            known_list(s, list, sizeof(list));
            fprintf(out, "NOT GLUE: resolver address; %s %s", known_says(s), list);
            break;
        case VD_UNKNOWN:
            fputs("not checked: gluetrace has no address for this server here", out);
            break;
        case VD_NA:
        default:
            if (s->kind == VD_ROOT) {
                fputs("dig's resolver (gluetrace starts from the root hints)", out);
            } else if (s->noaddr[0]) {
                fprintf(out, "couldn't get address for '%s'", s->noaddr);
            } else {
                fputs("no reply", out);
            }
            break;
        }
        if (s->kind == VD_REFERRAL) {
            fprintf(out, " -> %s", nstr(&s->referral, b, sizeof(b)));
        } else if (s->kind == VD_ANSWER) {
            fputs(" -> final reply", out);
        }
        fputc('\n', out);
        for (size_t k = 0; k < s->nnotes; k++) {
            fprintf(out, "       dig: %s\n", s->notes[k]);
        }
    }
    if (v->have_answer) {
        fprintf(out, "  dig's answer: %s -- %s\n", v->dig_answer,
                v->answer_same ? "among gluetrace's answers" : "NOT among gluetrace's answers");
        fprintf(out, "  gluetrace's answers: %s\n", v->gt_answer);
    }
    if (v->unparsed > 0) {
        fprintf(out, "  %zu line(s) of the dig output not understood (first: line %zu)\n",
                v->unparsed, v->unparsed_line);
    }
    fprintf(out, "Verdict: %s\n", v->message ? v->message : "");
}

json_t *gt_vsdig_json(const gt_vsdig *v)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    if (v == NULL) {
        return json_null();
    }
    json_t *steps = json_array();
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        json_t *known = json_array();
        for (size_t k = 0; k < s->nknown; k++) {
            json_array_append_new(known, json_pack("{s:s, s:s, s:s}", "address",
                                                   gt_addr_to_str(&s->known[k].addr, a, sizeof(a)),
                                                   "source", s->known[k].source, "from",
                                                   s->known[k].from));
        }
        json_t *notes = json_array();
        for (size_t k = 0; k < s->nnotes; k++) {
            json_array_append_new(notes, json_string(s->notes[k]));
        }
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:o, s:o, s:b, s:s, s:o, s:o, s:I}", "step", (json_int_t)i, "kind",
            kind_str(s->kind), "zone", nstr(&s->zone, b, sizeof(b)), "server_name",
            s->have_server ? json_string(nstr(&s->server, b, sizeof(b))) : json_null(), "address",
            s->have_addr ? json_string(gt_addr_to_str(&s->addr, a, sizeof(a))) : json_null(),
            "name_inferred", s->server_inferred, "address_check", check_str(s->check),
            "gluetrace_addresses", known, "notes", notes, "line", (json_int_t)s->line);
        if (o == NULL) {
            continue;
        }
        if (s->kind == VD_REFERRAL) {
            json_object_set_new(o, "referral_to", json_string(nstr(&s->referral, b, sizeof(b))));
        }
        if (s->have_addr && s->received) {
            json_object_set_new(o, "bytes", json_integer((json_int_t)s->bytes));
            json_object_set_new(o, "rtt_ms", json_integer((json_int_t)s->ms));
        }
        if (s->noaddr[0]) {
            json_object_set_new(o, "no_address_for", json_string(s->noaddr));
        }
        json_array_append_new(steps, o);
    }
    json_t *root =
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:I}", "verdict", verdict_str(v->verdict), "message",
                  v->message ? v->message : "", "format", v->yaml ? "yaml" : "text", "dig_version",
                  v->version[0] ? json_string(v->version) : json_null(), "steps", steps,
                  "unparsed_lines", (json_int_t)v->unparsed);
    if (root != NULL && v->have_answer) {
        json_object_set_new(root, "answer",
                            json_pack("{s:s, s:s, s:b}", "dig", v->dig_answer, "gluetrace",
                                      v->gt_answer, "same", v->answer_same));
    }
    return root ? root : json_object();
}
