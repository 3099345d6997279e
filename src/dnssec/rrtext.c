/*
 * Records in presentation format, one per line: the reader behind trust anchors and the
 * DNSSEC tests (signed zones written by ldns-signzone, DS lines by ldns-key2ds).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/base/parse.h"
#include "gluetrace/dnssec/denial.h"
#include "gluetrace/dnssec/rrtext.h"
#include "gluetrace/wire/rdata.h"
#include "internal.h"

/** Longest single token (a base64 key or signature fits easily; RDATA is <= 65535 bytes). */
#define RRTEXT_TOKEN_MAX 1024
/** Largest RDATA. */
#define RRTEXT_RDATA_MAX 65535

/** Set @p err (when not NULL) to a formatted message. */
static void GT_PRINTF(3, 4) set_err(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || size == 0) {
        return;
    }
    va_start(ap, fmt);
    if (vsnprintf(err, size, fmt, ap) < 0) {
        err[0] = '\0';
    }
    va_end(ap);
}

/** Next whitespace-separated token of @p *p into @p tok; @return its length, 0 at the end. */
static size_t next_tok(const char **p, char *tok, size_t cap)
{
    const char *s = *p;
    size_t n = 0;

    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        s++;
    }
    while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
        if (n + 1 >= cap) {
            return 0; /* too long: treated as a missing token, callers fail */
        }
        tok[n++] = *s++;
    }
    tok[n] = '\0';
    *p = s;
    return n;
}

/** Decimal number <= @p max (the project's one number parser). */
static bool parse_num(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long long v;

    if (gt_parse_uint(s, max, &v) != GT_OK) {
        return false;
    }
    *out = (unsigned long)v;
    return true;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : (c == '/' ? 63 : -1);
}

gt_status dsec_decode_bits(const char *text, size_t len, unsigned width, int (*value)(char),
                           uint8_t *out, size_t cap, size_t *outlen, gt_status full)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;

    *outlen = 0;
    for (size_t i = 0; i < len; i++) {
        int v = value(text[i]);
        if (v < 0) {
            return GT_EINVAL;
        }
        acc = (acc << width) | (uint32_t)v;
        bits += width;
        if (bits >= 8) {
            if (n >= cap) {
                return full;
            }
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (bits >= width || acc != 0) {
        return GT_EINVAL; /* a dangling character or non-zero padding bits */
    }
    *outlen = n;
    return GT_OK;
}

gt_status gt_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
    size_t pad = 0;

    *outlen = 0;
    while (len > 0 && text[len - 1] == '=' && pad < 2) {
        len--;
        pad++;
    }
    if ((len + pad) % 4 != 0) {
        return GT_EINVAL;
    }
    return dsec_decode_bits(text, len, 6, b64_value, out, cap, outlen, GT_ESPACE);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/** Append the hex string @p s to @p w. */
static bool put_hex(gt_wbuf *w, const char *s)
{
    size_t len = strlen(s);

    if (len % 2 != 0) {
        return false;
    }
    for (size_t i = 0; i < len; i += 2) {
        int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        gt_wbuf_u8(w, (uint8_t)(hi << 4 | lo));
    }
    return w->err == GT_OK;
}

/** Days from 1970-01-01 to the civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned mp = m > 2 ? m - 3 : m + 9;
    unsigned doy = (153 * mp + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/** Value of @p n digits at @p s. */
static unsigned digits(const char *s, unsigned n)
{
    unsigned v = 0;

    for (unsigned i = 0; i < n; i++) {
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return v;
}

gt_status gt_dnssec_time_from_str(const char *s, uint32_t *out)
{
    size_t len = strlen(s);
    unsigned long v;

    if (len == 14 && strspn(s, "0123456789") == 14) {
        unsigned y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
        unsigned h = digits(s + 8, 2), mi = digits(s + 10, 2), sec = digits(s + 12, 2);
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
            return GT_EINVAL;
        }
        int64_t t = days_from_civil(y, mo, d) * 86400 + (int64_t)(h * 3600 + mi * 60 + sec);
        *out = (uint32_t)(uint64_t)t; /* RFC 4034 3.1.5: modulo 2^32 */
        return GT_OK;
    }
    if (len < 14 && parse_num(s, 0xFFFFFFFFul, &v)) {
        *out = (uint32_t)v;
        return GT_OK;
    }
    return GT_EINVAL;
}

/**
 * The rest of the tokens concatenated (base64 and hex fields may be split anywhere by
 * whitespace). @return a malloc'ed string the caller frees, NULL when out of memory.
 */
static char *rest_joined(const char **p)
{
    size_t len = strlen(*p), n = 0;
    char *out = calloc(len + 1, 1);

    if (out == NULL) {
        return NULL;
    }
    for (const char *s = *p; *s != '\0'; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    *p += len;
    return out;
}

/** Append the rest of the tokens, joined and base64-decoded; at least one byte. */
static bool put_b64_rest(gt_wbuf *w, const char **p)
{
    char *text = rest_joined(p);
    size_t got = 0;
    bool ok =
        text != NULL && text[0] != '\0' &&
        gt_base64_decode(text, strlen(text), w->buf + w->len, w->cap - w->len, &got) == GT_OK &&
        got > 0;

    free(text);
    w->len += got;
    return ok;
}

/** Append the rest of the tokens, joined and hex-decoded. */
static bool put_hex_rest(gt_wbuf *w, const char **p)
{
    char *text = rest_joined(p);
    bool ok = text != NULL && put_hex(w, text);

    free(text);
    return ok;
}

/** The rest of the tokens as a type list, written as an NSEC type bitmap. */
static bool put_bitmap(gt_wbuf *w, const char **p)
{
    uint8_t bits[8192];
    char tok[RRTEXT_TOKEN_MAX];
    uint16_t type;

    memset(bits, 0, sizeof(bits));
    while (next_tok(p, tok, sizeof(tok)) > 0) {
        if (gt_type_from_str(tok, &type) != GT_OK) {
            return false;
        }
        bits[type / 8] |= (uint8_t)(0x80 >> (type % 8));
    }
    for (unsigned win = 0; win < 256; win++) {
        int last = -1;
        for (int i = 31; i >= 0 && last < 0; i--) {
            last = bits[win * 32 + (unsigned)i] != 0 ? i : -1;
        }
        if (last >= 0) {
            gt_wbuf_u8(w, (uint8_t)win);
            gt_wbuf_u8(w, (uint8_t)(last + 1));
            gt_wbuf_bytes(w, bits + win * 32, (size_t)last + 1);
        }
    }
    return w->err == GT_OK;
}

/** Read @p count numbers of the given byte widths (1, 2 or 4) into @p w. */
static bool put_nums(gt_wbuf *w, const char **p, const char *widths)
{
    char tok[RRTEXT_TOKEN_MAX];
    unsigned long v;

    for (; *widths != '\0'; widths++) {
        unsigned width = (unsigned)(*widths - '0');
        unsigned long max = width == 1 ? 0xFFul : (width == 2 ? 0xFFFFul : 0xFFFFFFFFul);
        if (next_tok(p, tok, sizeof(tok)) == 0 || !parse_num(tok, max, &v)) {
            return false;
        }
        if (width == 1) {
            gt_wbuf_u8(w, (uint8_t)v);
        } else if (width == 2) {
            gt_wbuf_u16(w, (uint16_t)v);
        } else {
            gt_wbuf_u32(w, (uint32_t)v);
        }
    }
    return w->err == GT_OK;
}

/** Salt field of NSEC3 / NSEC3PARAM: "-" or hex, written with its length byte. */
static bool put_salt(gt_wbuf *w, const char **p)
{
    char tok[RRTEXT_TOKEN_MAX];

    if (next_tok(p, tok, sizeof(tok)) == 0 || strlen(tok) > 510) {
        return false;
    }
    if (strcmp(tok, "-") == 0) {
        gt_wbuf_u8(w, 0);
        return w->err == GT_OK;
    }
    gt_wbuf_u8(w, (uint8_t)(strlen(tok) / 2));
    return put_hex(w, tok);
}

static bool put_name_tok(gt_wbuf *w, const char **p)
{
    char tok[RRTEXT_TOKEN_MAX];
    gt_name n;

    if (next_tok(p, tok, sizeof(tok)) == 0 || gt_name_from_str(&n, tok) != GT_OK) {
        return false;
    }
    gt_wbuf_name(w, &n);
    return w->err == GT_OK;
}

/** RRSIG: type alg labels ttl expiration inception tag signer signature. */
static bool rrsig_from_text(gt_wbuf *w, const char **p)
{
    char tok[RRTEXT_TOKEN_MAX];
    uint16_t type;
    uint32_t t;

    if (next_tok(p, tok, sizeof(tok)) == 0 || gt_type_from_str(tok, &type) != GT_OK) {
        return false;
    }
    gt_wbuf_u16(w, type);
    if (!put_nums(w, p, "114")) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        if (next_tok(p, tok, sizeof(tok)) == 0 || gt_dnssec_time_from_str(tok, &t) != GT_OK) {
            return false;
        }
        gt_wbuf_u32(w, t);
    }
    return put_nums(w, p, "2") && put_name_tok(w, p) && put_b64_rest(w, p);
}

/** NSEC3: alg flags iterations salt next-hash types. */
static bool nsec3_from_text(gt_wbuf *w, const char **p)
{
    char tok[RRTEXT_TOKEN_MAX];
    uint8_t hash[255];
    size_t n, hlen;

    if (!put_nums(w, p, "112") || !put_salt(w, p)) {
        return false;
    }
    n = next_tok(p, tok, sizeof(tok));
    if (n == 0 || gt_base32hex_decode(tok, n, hash, sizeof(hash), &hlen) != GT_OK || hlen == 0) {
        return false;
    }
    gt_wbuf_u8(w, (uint8_t)hlen);
    gt_wbuf_bytes(w, hash, hlen);
    return put_bitmap(w, p);
}

/** RDATA of @p type from the text at @p p into @p w. */
static bool rdata_from_text(uint16_t type, const char *p, gt_wbuf *w)
{
    char tok[RRTEXT_TOKEN_MAX];
    size_t len;

    switch (type) {
    case GT_TYPE_DS:
    case GT_TYPE_CDS:
        return put_nums(w, &p, "211") && put_hex_rest(w, &p) && w->len > 4;
    case GT_TYPE_DNSKEY:
    case GT_TYPE_CDNSKEY:
        return put_nums(w, &p, "211") && put_b64_rest(w, &p);
    case GT_TYPE_RRSIG:
        return rrsig_from_text(w, &p);
    case GT_TYPE_NSEC:
        return put_name_tok(w, &p) && put_bitmap(w, &p);
    case GT_TYPE_NSEC3:
        return nsec3_from_text(w, &p);
    case GT_TYPE_NSEC3PARAM:
        return put_nums(w, &p, "112") && put_salt(w, &p) && next_tok(&p, tok, sizeof(tok)) == 0;
    default:
        if (gt_rdata_from_str(type, p, w->buf, w->cap, &len) != GT_OK) {
            return false;
        }
        w->len = len;
        return true;
    }
}

/** Copy @p line without its comment (';' outside double quotes). */
static char *strip_comment(const char *line)
{
    size_t n = 0;
    bool quoted = false;

    for (; line[n] != '\0'; n++) {
        if (line[n] == '\\' && line[n + 1] != '\0') {
            n++;
        } else if (line[n] == '"') {
            quoted = !quoted;
        } else if (line[n] == ';' && !quoted) {
            break;
        }
    }
    char *copy = malloc(n + 1);
    if (copy != NULL) {
        memcpy(copy, line, n);
        copy[n] = '\0';
    }
    return copy;
}

/** OWNER [TTL] [CLASS] TYPE: fills @p out's header fields; @p *p is left at the RDATA. */
static gt_status header_from_text(const char **p, gt_rr *out, char *err, size_t errsize)
{
    char tok[RRTEXT_TOKEN_MAX];
    unsigned long v;
    bool have_ttl = false, have_class = false;

    if (next_tok(p, tok, sizeof(tok)) == 0) {
        set_err(err, errsize, "empty");
        return GT_EINVAL;
    }
    if (gt_name_from_str(&out->owner, tok) != GT_OK) {
        set_err(err, errsize, "bad owner name '%.64s'", tok);
        return GT_EINVAL;
    }
    out->cls = GT_CLASS_IN;
    for (;;) {
        if (next_tok(p, tok, sizeof(tok)) == 0) {
            set_err(err, errsize, "missing record type");
            return GT_EINVAL;
        }
        if (!have_ttl && parse_num(tok, 0x7FFFFFFFul, &v)) {
            out->ttl = (uint32_t)v;
            have_ttl = true;
        } else if (!have_class && (strcmp(tok, "IN") == 0 || strcmp(tok, "in") == 0)) {
            have_class = true;
        } else if (gt_type_from_str(tok, &out->type) == GT_OK) {
            return GT_OK;
        } else {
            set_err(err, errsize, "unknown record type '%.32s'", tok);
            return GT_EINVAL;
        }
    }
}

gt_status gt_rr_from_text(const char *line, gt_rr *out, char *err, size_t errsize)
{
    gt_status st = GT_ENOMEM;
    char *copy = strip_comment(line);
    uint8_t *rd = malloc(RRTEXT_RDATA_MAX);
    const char *p = copy;
    gt_wbuf w;

    memset(out, 0, sizeof(*out));
    set_err(err, errsize, "out of memory");
    if (copy == NULL || rd == NULL) {
        goto done;
    }
    st = header_from_text(&p, out, err, errsize);
    if (st != GT_OK) {
        goto done;
    }
    gt_wbuf_init(&w, rd, RRTEXT_RDATA_MAX);
    if (!rdata_from_text(out->type, p, &w) || w.err != GT_OK) {
        char tname[16];
        set_err(err, errsize, "bad %s RDATA", gt_type_to_str(out->type, tname, sizeof(tname)));
        st = GT_EINVAL;
        goto done;
    }
    uint8_t *shrunk = realloc(rd, w.len > 0 ? w.len : 1);
    if (shrunk != NULL) {
        rd = shrunk;
    }
    out->rdata = rd;
    out->rdlen = (uint16_t)w.len;
    rd = NULL;
    set_err(err, errsize, "%s", "");
    st = GT_OK;
done:
    free(rd);
    free(copy);
    return st;
}

void gt_rr_free_rdata(gt_rr *rr)
{
    /* The RDATA is ours (malloc'ed by gt_rr_from_text()); gt_rr only shows it as const. */
    free((void *)(uintptr_t)rr->rdata);
    rr->rdata = NULL;
    rr->rdlen = 0;
}

gt_status gt_rrlist_add(gt_rrlist *list, const gt_rr *rr)
{
    if (list->count >= GT_RRTEXT_MAX_RECORDS) {
        return GT_ELIMIT;
    }
    if (!gt_array_reserve((void **)&list->rrs, &list->cap, list->count, sizeof(gt_rr))) {
        return GT_ENOMEM;
    }
    uint8_t *rd = malloc(rr->rdlen > 0 ? rr->rdlen : 1);
    if (rd == NULL) {
        return GT_ENOMEM;
    }
    if (rr->rdlen > 0) {
        memcpy(rd, rr->rdata, rr->rdlen);
    }
    list->rrs[list->count] = *rr;
    list->rrs[list->count].rdata = rd;
    list->count++;
    return GT_OK;
}

gt_status gt_rrlist_from_text(gt_rrlist *list, const char *text, char *err, size_t errsize)
{
    char *line = malloc(GT_RRTEXT_LINE_MAX + 1);
    gt_status st = line == NULL ? GT_ENOMEM : GT_OK;
    char msg[160];

    for (unsigned lineno = 1; st == GT_OK && *text != '\0'; lineno++) {
        size_t n = strcspn(text, "\n");
        gt_rr rr;

        if (n > GT_RRTEXT_LINE_MAX) {
            set_err(err, errsize, "line %u: longer than %d characters", lineno, GT_RRTEXT_LINE_MAX);
            st = GT_EINVAL;
            break;
        }
        memcpy(line, text, n);
        line[n] = '\0';
        text += n + (text[n] == '\n');
        st = gt_rr_from_text(line, &rr, msg, sizeof(msg));
        if (st == GT_EINVAL && strcmp(msg, "empty") == 0) {
            st = GT_OK;
            continue;
        }
        if (st == GT_OK) {
            st = gt_rrlist_add(list, &rr);
            gt_rr_free_rdata(&rr);
            snprintf(msg, sizeof(msg), "%s", gt_status_str(st));
        }
        if (st != GT_OK) {
            set_err(err, errsize, "line %u: %s", lineno, msg);
        }
    }
    free(line);
    return st;
}

void gt_rrlist_free(gt_rrlist *list)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        gt_rr_free_rdata(&list->rrs[i]);
    }
    free(list->rrs);
    list->rrs = NULL;
    list->count = 0;
    list->cap = 0;
}
