/*
 * The reader of --vs-dig: saved `dig +trace` output, plain text or +yaml, turned into steps
 * (one per block of dig output: the records, the ";; Received" line or yaml message that
 * closed it, and dig's error lines). It only reads; vsdig.c compares.
 *
 * The input is untrusted text: every line and every count is bounded, names are parsed with
 * gt_name_from_str() and printed escaped, and anything not understood is counted, not trusted.
 */
#include "vsdig_priv.h"

#include "gluetrace/base/array.h"
#include "gluetrace/base/parse.h"

#include <stdlib.h>
#include <string.h>

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

void gt_vd_step_free(vd_step *st)
{
    for (size_t i = 0; i < st->nrrs; i++) {
        free(st->rrs[i].data);
    }
    free(st->rrs);
    for (size_t i = 0; i < st->nnotes; i++) {
        free(st->notes[i]);
    }
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct parser {
    vd_run *v;
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
    vd_run *v = p->v;
    if (!p->cur_used) {
        return GT_OK;
    }
    if (v->nsteps >= GT_DIG_MAX_STEPS) {
        v->truncated = true;
        gt_vd_step_free(&p->cur);
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

bool gt_vd_parse_name(const char *s, size_t n, gt_name *out)
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
    if (!token(s, n, &pos, &t, &tl) || !gt_vd_parse_name(t, tl, &rr.owner)) {
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
        gt_vd_parse_name(nm, nl, &p->cur.server)) {
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

/* A record line: understood, or counted as not understood. */
static gt_status record_line(parser *p, const char *s, size_t n)
{
    bool ok;
    gt_status st = parse_record(p, s, n, &ok);
    if (st == GT_OK && !ok) {
        unparsed(p);
    }
    return st;
}

static gt_status text_line(parser *p, const char *s, size_t n)
{
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
        starts(s, n, ";; BADCOOKIE") || starts(s, n, ";; BAD REFERRAL") ||
        starts(s, n, ";; BAD (HORIZONTAL) REFERRAL") || starts(s, n, ";; Warning") ||
        starts(s, n, ";; WARNING") || starts(s, n, "dig: ")) {
        return add_note(p, n > 3 && s[0] == ';' ? s + 3 : s, n > 3 && s[0] == ';' ? n - 3 : n);
    }
    if (starts(s, n, "couldn't get address for '")) {
        return parse_noaddr(p, s, n);
    }
    if (s[0] == ';') {
        return GT_OK; /* other comments: ";; global options", section headers */
    }
    return record_line(p, s, n);
}

/* A yaml record item "- 'RECORD'" or "- \"RECORD\""; '' is an escaped quote inside single
 * quotes. */
static gt_status yaml_record(parser *p, const char *t, size_t tl)
{
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
    return record_line(p, rec, rl);
}

static bool is_key(const char *t, size_t kl, const char *key)
{
    return kl == strlen(key) && memcmp(t, key, kl) == 0;
}

/* "key: value" of a yaml message: the keys the comparison uses, the rest ignored. */
static void yaml_key(parser *p, const char *t, size_t tl)
{
    const char *colon = memchr(t, ':', tl);
    if (colon == NULL) {
        unparsed(p);
        return;
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
    if (is_key(t, kl, "response_address")) {
        char ab[GT_ADDR_STRLEN];
        if (vl >= sizeof(ab)) {
            unparsed(p);
            return;
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
    } else if (is_key(t, kl, "response_port")) {
        unsigned long port;
        if (parse_ulong(val, vl, 65535, &port)) {
            p->cur.addr.port = (uint16_t)port;
        }
    } else if (is_key(t, kl, "message_size")) {
        unsigned long b;
        if (vl > 1 && val[vl - 1] == 'b' && parse_ulong(val, vl - 1, 0xffffffUL, &b)) {
            p->cur.bytes = b;
        }
    }
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
        return yaml_record(p, t, tl);
    }
    yaml_key(p, t, tl);
    return GT_OK;
}

gt_status gt_vd_read(vd_run *v, const char *text, size_t len, size_t first_line)
{
    parser p;
    gt_status st = GT_OK;
    size_t pos = 0;
    memset(&p, 0, sizeof(p));
    p.v = v;
    p.lineno = first_line > 0 ? first_line - 1 : 0;
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
    gt_vd_step_free(&p.cur);
    return st;
}
