/*
 * RDATA: per-type layouts, decompression out of a message, presentation output and input.
 */
#include "gluetrace/wire/wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gluetrace/base/addr.h"

/*
 * Layout letters: N domain name (may be compressed on the wire), S 16-bit number,
 * L 32-bit number, C character-string (length byte + up to 255 bytes).
 */

/** RDATA layout of a type that embeds domain names. */
typedef struct rdata_layout {
    uint16_t type;      /**< record type */
    const char *fields; /**< field letters, in wire order */
} rdata_layout;

/* RFC 1035 3.3 types, RFC 3597 4 (RP, AFSDB, RT, PX, SRV, NAPTR), KX (RFC 2230), DNAME. */
static const rdata_layout layouts[] = {
    {GT_TYPE_NS, "N"},          {3, "N"} /* MD */,      {4, "N"} /* MF */,    {GT_TYPE_CNAME, "N"},
    {GT_TYPE_SOA, "NNLLLLL"},   {7, "N"} /* MB */,      {8, "N"} /* MG */,    {9, "N"} /* MR */,
    {GT_TYPE_PTR, "N"},         {14, "NN"} /* MINFO */, {GT_TYPE_MX, "SN"},   {17, "NN"} /* RP */,
    {18, "SN"} /* AFSDB */,     {21, "SN"} /* RT */,    {26, "SNN"} /* PX */, {GT_TYPE_SRV, "SSSN"},
    {35, "SSCCCN"} /* NAPTR */, {36, "SN"} /* KX */,    {GT_TYPE_DNAME, "N"},
};

/** Largest uncompressed RDATA any layout above can produce (NAPTR: 2+2+3*256+255). */
#define GT_RDATA_LAYOUT_MAX 1100
/** Largest character-string payload (RFC 1035 3.3). */
#define GT_CHARSTR_MAX 255
/** Longest presentation token we accept (a character-string with every byte as \DDD). */
#define GT_RDATA_TOKEN_MAX (GT_CHARSTR_MAX * 4 + 8)
/** TYPE value of SPF (RFC 7208), printed like TXT. */
#define GT_TYPE_SPF 99
/** TYPE values of CDS and CDNSKEY (RFC 7344), printed like DS and DNSKEY. */
#define GT_TYPE_CDS 59
#define GT_TYPE_CDNSKEY 60

static const char *find_layout(uint16_t type)
{
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        if (layouts[i].type == type) {
            return layouts[i].fields;
        }
    }
    return NULL;
}

gt_status gt_rdata_decompress(uint16_t type, const uint8_t *msg, size_t msglen, size_t rdstart,
                              size_t rdlen, uint8_t *out, size_t cap, size_t *outlen)
{
    gt_status st = GT_EMALFORMED;
    uint8_t scratch[GT_RDATA_LAYOUT_MAX];
    const char *fields;
    gt_cursor c;
    gt_wbuf w;

    *outlen = 0;
    if (msg == NULL || rdstart > msglen || rdlen > msglen - rdstart) {
        goto done;
    }
    if ((type == GT_TYPE_A && rdlen != 4) || (type == GT_TYPE_AAAA && rdlen != 16)) {
        goto done;
    }
    fields = find_layout(type);
    if (fields == NULL) {
        if (out != NULL) {
            if (rdlen > cap) {
                st = GT_ESPACE;
                goto done;
            }
            if (rdlen > 0) {
                memcpy(out, msg + rdstart, rdlen);
            }
        }
        *outlen = rdlen;
        st = GT_OK;
        goto done;
    }
    if (out != NULL) {
        gt_wbuf_init(&w, out, cap);
    } else {
        gt_wbuf_init(&w, scratch, sizeof(scratch));
    }
    /* Names may point anywhere earlier in the message, but nothing is read past the RDATA. */
    gt_cursor_init(&c, msg, rdstart + rdlen);
    c.pos = rdstart;
    for (const char *f = fields; *f != '\0' && c.err == GT_OK; f++) {
        gt_name n;
        uint8_t slen;

        switch (*f) {
        case 'N':
            gt_cursor_name(&c, &n);
            gt_wbuf_name(&w, &n);
            break;
        case 'S':
            gt_wbuf_u16(&w, gt_cursor_u16(&c));
            break;
        case 'L':
            gt_wbuf_u32(&w, gt_cursor_u32(&c));
            break;
        default: /* 'C' */
            slen = gt_cursor_u8(&c);
            if (c.err == GT_OK && slen > gt_cursor_left(&c)) {
                c.err = GT_EMALFORMED;
                break;
            }
            gt_wbuf_u8(&w, slen);
            if (c.err == GT_OK) {
                gt_wbuf_bytes(&w, c.data + c.pos, slen);
            }
            gt_cursor_skip(&c, slen);
            break;
        }
    }
    /* The layout must use exactly RDLENGTH bytes. */
    if (c.err != GT_OK || c.pos != rdstart + rdlen) {
        goto done;
    }
    if (w.err != GT_OK) {
        st = out != NULL ? GT_ESPACE : GT_EMALFORMED;
        goto done;
    }
    *outlen = w.len;
    st = GT_OK;
done:
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Presentation output                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Output cursor for presentation text: always leaves room for the NUL. */
typedef struct text_out {
    char *buf;   /**< destination */
    size_t size; /**< its size including the NUL */
    size_t len;  /**< characters written so far */
    bool ok;     /**< false once something did not fit or the RDATA was inconsistent */
} text_out;

static void out_putc(text_out *t, char c)
{
    if (!t->ok || t->len + 1 >= t->size) {
        t->ok = false;
        return;
    }
    t->buf[t->len++] = c;
}

static void out_puts(text_out *t, const char *s)
{
    while (*s != '\0') {
        out_putc(t, *s++);
    }
}

static void out_u32(text_out *t, uint32_t v)
{
    char num[16];
    int n = snprintf(num, sizeof(num), "%lu", (unsigned long)v);

    if (n < 0 || (size_t)n >= sizeof(num)) {
        t->ok = false;
        return;
    }
    out_puts(t, num);
}

static void out_hex(text_out *t, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        out_putc(t, digits[p[i] >> 4]);
        out_putc(t, digits[p[i] & 0x0F]);
    }
}

static void out_base64(text_out *t, const uint8_t *p, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        size_t rest = n - i;

        if (rest > 1) {
            v |= (uint32_t)p[i + 1] << 8;
        }
        if (rest > 2) {
            v |= p[i + 2];
        }
        out_putc(t, b64[(v >> 18) & 0x3F]);
        out_putc(t, b64[(v >> 12) & 0x3F]);
        out_putc(t, rest > 1 ? b64[(v >> 6) & 0x3F] : '=');
        out_putc(t, rest > 2 ? b64[v & 0x3F] : '=');
    }
}

/** A character-string in double quotes; '"' and '\\' as \X, other non-printables as \DDD. */
static void out_quoted(text_out *t, const uint8_t *p, size_t n)
{
    out_putc(t, '"');
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];

        if (b < 0x20 || b > 0x7e) {
            out_putc(t, '\\');
            out_putc(t, (char)('0' + b / 100));
            out_putc(t, (char)('0' + (b / 10) % 10));
            out_putc(t, (char)('0' + b % 10));
            continue;
        }
        if (b == '"' || b == '\\') {
            out_putc(t, '\\');
        }
        out_putc(t, (char)b);
    }
    out_putc(t, '"');
}

static void out_name(text_out *t, gt_cursor *c)
{
    gt_name n;
    char s[GT_NAME_STRLEN];

    gt_cursor_name(c, &n);
    if (c->err != GT_OK || gt_name_to_str(&n, s, sizeof(s)) == 0) {
        t->ok = false;
        return;
    }
    out_puts(t, s);
}

/** Read one character-string at the cursor and print it quoted. */
static void out_charstr(text_out *t, gt_cursor *c)
{
    uint8_t slen = gt_cursor_u8(c);

    if (c->err != GT_OK || slen > gt_cursor_left(c)) {
        t->ok = false;
        return;
    }
    out_quoted(t, c->data + c->pos, slen);
    gt_cursor_skip(c, slen);
}

static void print_layout(text_out *t, gt_cursor *c, const char *fields)
{
    for (const char *f = fields; *f != '\0' && t->ok; f++) {
        if (f != fields) {
            out_putc(t, ' ');
        }
        switch (*f) {
        case 'N':
            out_name(t, c);
            break;
        case 'S':
            out_u32(t, gt_cursor_u16(c));
            break;
        case 'L':
            out_u32(t, gt_cursor_u32(c));
            break;
        default: /* 'C' */
            out_charstr(t, c);
            break;
        }
    }
}

/** CAA (RFC 8659 4.1): flags, tag (1..255 letters/digits), value. */
static void print_caa(text_out *t, gt_cursor *c)
{
    uint8_t flags = gt_cursor_u8(c);
    uint8_t taglen = gt_cursor_u8(c);

    if (c->err != GT_OK || taglen == 0 || taglen > gt_cursor_left(c)) {
        t->ok = false;
        return;
    }
    out_u32(t, flags);
    out_putc(t, ' ');
    for (size_t i = 0; i < taglen; i++) {
        uint8_t b = c->data[c->pos + i];
        bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');

        if (!alnum) {
            t->ok = false;
            return;
        }
        out_putc(t, (char)b);
    }
    gt_cursor_skip(c, taglen);
    out_putc(t, ' ');
    out_quoted(t, c->data + c->pos, gt_cursor_left(c));
    gt_cursor_skip(c, gt_cursor_left(c));
}

size_t gt_rdata_to_generic_str(const uint8_t *rdata, size_t rdlen, char *buf, size_t size)
{
    text_out t = {buf, size, 0, true};

    if (buf == NULL || size == 0) {
        return 0;
    }
    out_puts(&t, "\\# ");
    out_u32(&t, (uint32_t)(rdlen > UINT32_MAX ? UINT32_MAX : rdlen));
    if (rdlen > 0) {
        out_putc(&t, ' ');
        out_hex(&t, rdata, rdlen);
    }
    if (!t.ok) {
        buf[0] = '\0';
        return 0;
    }
    buf[t.len] = '\0';
    return t.len;
}

size_t gt_rdata_to_str(uint16_t type, const uint8_t *rdata, size_t rdlen, char *buf, size_t size)
{
    text_out t = {buf, size, 0, true};
    const char *fields = find_layout(type);
    gt_cursor c;

    if (buf == NULL || size == 0) {
        return 0;
    }
    buf[0] = '\0';
    if (rdata == NULL && rdlen > 0) {
        return 0;
    }
    gt_cursor_init(&c, rdata, rdlen);
    if (type == GT_TYPE_A) {
        if (rdlen != 4) {
            return 0;
        }
        for (size_t i = 0; i < 4; i++) {
            if (i > 0) {
                out_putc(&t, '.');
            }
            out_u32(&t, rdata[i]);
        }
        gt_cursor_skip(&c, 4);
    } else if (type == GT_TYPE_AAAA) {
        char s[INET6_ADDRSTRLEN];

        if (rdlen != 16 || inet_ntop(AF_INET6, rdata, s, sizeof(s)) == NULL) {
            return 0;
        }
        out_puts(&t, s);
        gt_cursor_skip(&c, 16);
    } else if (fields != NULL) {
        print_layout(&t, &c, fields);
    } else if (type == GT_TYPE_TXT || type == GT_TYPE_SPF) {
        if (rdlen == 0) {
            return 0; /* at least one character-string (RFC 1035 3.3.14) */
        }
        while (gt_cursor_left(&c) > 0 && t.ok) {
            if (c.pos > 0) {
                out_putc(&t, ' ');
            }
            out_charstr(&t, &c);
        }
    } else if (type == GT_TYPE_DS || type == GT_TYPE_CDS) {
        /* RFC 4034 5.3: key tag, algorithm, digest type, digest in hex. */
        if (rdlen < 5) {
            return 0;
        }
        out_u32(&t, gt_cursor_u16(&c));
        out_putc(&t, ' ');
        out_u32(&t, gt_cursor_u8(&c));
        out_putc(&t, ' ');
        out_u32(&t, gt_cursor_u8(&c));
        out_putc(&t, ' ');
        out_hex(&t, rdata + c.pos, gt_cursor_left(&c));
        gt_cursor_skip(&c, gt_cursor_left(&c));
    } else if (type == GT_TYPE_DNSKEY || type == GT_TYPE_CDNSKEY) {
        /* RFC 4034 2.2: flags, protocol, algorithm, public key in base64. */
        if (rdlen < 5) {
            return 0;
        }
        out_u32(&t, gt_cursor_u16(&c));
        out_putc(&t, ' ');
        out_u32(&t, gt_cursor_u8(&c));
        out_putc(&t, ' ');
        out_u32(&t, gt_cursor_u8(&c));
        out_putc(&t, ' ');
        out_base64(&t, rdata + c.pos, gt_cursor_left(&c));
        gt_cursor_skip(&c, gt_cursor_left(&c));
    } else if (type == GT_TYPE_CAA) {
        print_caa(&t, &c);
    } else {
        return gt_rdata_to_generic_str(rdata, rdlen, buf, size);
    }
    /* The type's layout must account for every RDATA byte. */
    if (!t.ok || c.err != GT_OK || gt_cursor_left(&c) != 0) {
        buf[0] = '\0';
        return 0;
    }
    buf[t.len] = '\0';
    return t.len;
}

gt_status gt_rdata_name(uint16_t type, const uint8_t *rdata, size_t rdlen, gt_name *out)
{
    gt_cursor c;
    gt_name rest;

    gt_name_root(out);
    switch (type) {
    case GT_TYPE_NS:
    case GT_TYPE_CNAME:
    case GT_TYPE_PTR:
    case GT_TYPE_DNAME:
    case GT_TYPE_MX:
    case GT_TYPE_SRV:
    case GT_TYPE_SOA:
        break;
    default:
        return GT_EINVAL;
    }
    if (rdata == NULL && rdlen > 0) {
        return GT_EMALFORMED;
    }
    gt_cursor_init(&c, rdata, rdlen);
    if (type == GT_TYPE_MX) {
        gt_cursor_skip(&c, 2);
    } else if (type == GT_TYPE_SRV) {
        gt_cursor_skip(&c, 6);
    }
    gt_cursor_name(&c, out);
    if (type == GT_TYPE_SOA) {
        gt_cursor_name(&c, &rest); /* rname */
        gt_cursor_skip(&c, 20);    /* serial refresh retry expire minimum */
    }
    if (c.err != GT_OK || gt_cursor_left(&c) != 0) {
        gt_name_root(out);
        return GT_EMALFORMED;
    }
    return GT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Presentation input                                                                          */
/* ------------------------------------------------------------------------------------------ */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/**
 * Take the next token of @p *pp into @p tok: whitespace separates tokens, double quotes
 * group (they are removed, @p quoted set), backslash escapes are kept as written.
 * @return 1 for a token, 0 at the end of the text, -1 for bad syntax or a token too long
 */
static int next_token(const char **pp, char *tok, size_t cap, bool *quoted)
{
    const char *p = *pp;
    size_t n = 0;

    *quoted = false;
    tok[0] = '\0';
    while (is_space(*p)) {
        p++;
    }
    if (*p == '\0') {
        *pp = p;
        return 0;
    }
    if (*p == '"') {
        *quoted = true;
        p++;
    }
    for (;;) {
        char ch = *p;

        if (ch == '\0') {
            if (*quoted) {
                return -1; /* unterminated quote */
            }
            break;
        }
        if (*quoted ? ch == '"' : is_space(ch)) {
            if (*quoted) {
                p++;
                /* A closing quote must end the token. */
                if (*p != '\0' && !is_space(*p)) {
                    return -1;
                }
            }
            break;
        }
        if (ch == '"' && !*quoted) {
            return -1; /* quote inside a bare token */
        }
        if (n + 2 >= cap) {
            return -1;
        }
        tok[n++] = ch;
        p++;
        if (ch == '\\') {
            if (*p == '\0') {
                return -1;
            }
            tok[n++] = *p++;
        }
    }
    tok[n] = '\0';
    *pp = p;
    return 1;
}

/** Decode escapes of a character-string token into at most 255 bytes. */
static gt_status decode_charstr(const char *s, uint8_t *out, size_t *len)
{
    size_t n = 0;

    *len = 0;
    while (*s != '\0') {
        uint8_t ch;

        if (*s == '\\') {
            s++;
            if (s[0] >= '0' && s[0] <= '9') {
                unsigned v;

                if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9') {
                    return GT_EINVAL;
                }
                v = (unsigned)(s[0] - '0') * 100u + (unsigned)(s[1] - '0') * 10u +
                    (unsigned)(s[2] - '0');
                if (v > 255u) {
                    return GT_EINVAL;
                }
                ch = (uint8_t)v;
                s += 3;
            } else if (*s == '\0') {
                return GT_EINVAL;
            } else {
                ch = (uint8_t)*s++;
            }
        } else {
            ch = (uint8_t)*s++;
        }
        if (n >= GT_CHARSTR_MAX) {
            return GT_EINVAL;
        }
        out[n++] = ch;
    }
    *len = n;
    return GT_OK;
}

/** Parse a decimal number 0..max with nothing else in the token. */
static gt_status parse_uint(const char *s, unsigned long max, unsigned long *v)
{
    char *end = NULL;

    *v = 0;
    if (s[0] < '0' || s[0] > '9') {
        return GT_EINVAL; /* strtoul would accept spaces and signs */
    }
    errno = 0;
    *v = strtoul(s, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0' || *v > max) {
        *v = 0;
        return GT_EINVAL;
    }
    return GT_OK;
}

/** One layout field from one token into @p w. */
static gt_status field_from_token(char field, const char *tok, bool quoted, gt_wbuf *w)
{
    gt_status st = GT_EINVAL;
    unsigned long v;
    gt_name n;
    uint8_t bytes[GT_CHARSTR_MAX];
    size_t len;

    if (field == 'C') {
        st = decode_charstr(tok, bytes, &len);
        if (st == GT_OK) {
            gt_wbuf_u8(w, (uint8_t)len);
            gt_wbuf_bytes(w, bytes, len);
        }
        return st;
    }
    if (quoted) {
        return GT_EINVAL;
    }
    switch (field) {
    case 'N':
        st = gt_name_from_str(&n, tok);
        if (st == GT_OK) {
            gt_wbuf_name(w, &n);
        }
        break;
    case 'S':
        st = parse_uint(tok, UINT16_MAX, &v);
        if (st == GT_OK) {
            gt_wbuf_u16(w, (uint16_t)v);
        }
        break;
    default: /* 'L' */
        st = parse_uint(tok, UINT32_MAX, &v);
        if (st == GT_OK) {
            gt_wbuf_u32(w, (uint32_t)v);
        }
        break;
    }
    return st;
}

/** Hex digit value, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/** RFC 3597 5 generic RDATA: "\# LEN" then hex in any number of tokens. */
static gt_status generic_from_str(const char **pp, gt_wbuf *w)
{
    char tok[GT_RDATA_TOKEN_MAX] = {0}; /* zeroed: the analyzer cannot follow strlen() bounds */
    bool quoted;
    unsigned long want;
    size_t start = w->len;
    int r;

    if (next_token(pp, tok, sizeof(tok), &quoted) != 1 || quoted ||
        parse_uint(tok, UINT16_MAX, &want) != GT_OK) {
        return GT_EINVAL;
    }
    while ((r = next_token(pp, tok, sizeof(tok), &quoted)) == 1) {
        size_t n = strlen(tok);

        if (quoted || n % 2 != 0) {
            return GT_EINVAL;
        }
        for (size_t i = 0; i < n; i += 2) {
            int hi = hex_value(tok[i]);
            int lo = hex_value(tok[i + 1]);

            if (hi < 0 || lo < 0) {
                return GT_EINVAL;
            }
            gt_wbuf_u8(w, (uint8_t)(hi << 4 | lo));
        }
    }
    if (r < 0) {
        return GT_EINVAL;
    }
    if (w->err != GT_OK) {
        return w->err;
    }
    return w->len - start == want ? GT_OK : GT_EINVAL;
}

gt_status gt_rdata_from_str(uint16_t type, const char *text, uint8_t *out, size_t cap,
                            size_t *outlen)
{
    gt_status st = GT_EINVAL;
    char tok[GT_RDATA_TOKEN_MAX];
    const char *p = text;
    const char *fields = find_layout(type);
    bool quoted;
    gt_wbuf w;
    int r;

    *outlen = 0;
    if (text == NULL) {
        goto done;
    }
    gt_wbuf_init(&w, out, cap);
    r = next_token(&p, tok, sizeof(tok), &quoted);
    if (r != 1) {
        goto done;
    }
    if (!quoted && strcmp(tok, "\\#") == 0) {
        st = generic_from_str(&p, &w);
        if (st != GT_OK) {
            goto done;
        }
        /* The generic form must still be valid RDATA for a type we know the layout of. */
        if (type == GT_TYPE_A || type == GT_TYPE_AAAA || fields != NULL) {
            size_t dlen;

            if (gt_rdata_decompress(type, out, w.len, 0, w.len, NULL, 0, &dlen) != GT_OK ||
                dlen != w.len) {
                st = GT_EINVAL;
                goto done;
            }
        }
    } else if (type == GT_TYPE_A || type == GT_TYPE_AAAA) {
        gt_addr a;

        if (quoted || gt_addr_parse(tok, &a) != GT_OK ||
            a.family != (type == GT_TYPE_A ? AF_INET : AF_INET6)) {
            goto done;
        }
        gt_wbuf_bytes(&w, a.bytes, type == GT_TYPE_A ? 4 : 16);
        st = GT_OK;
    } else if (fields != NULL) {
        for (const char *f = fields; *f != '\0'; f++) {
            if (f != fields && next_token(&p, tok, sizeof(tok), &quoted) != 1) {
                st = GT_EINVAL; /* missing field */
                goto done;
            }
            st = field_from_token(*f, tok, quoted, &w);
            if (st != GT_OK) {
                goto done;
            }
        }
    } else if (type == GT_TYPE_TXT || type == GT_TYPE_SPF) {
        do {
            st = field_from_token('C', tok, true, &w);
            if (st != GT_OK) {
                goto done;
            }
        } while ((r = next_token(&p, tok, sizeof(tok), &quoted)) == 1);
        if (r < 0) {
            st = GT_EINVAL;
            goto done;
        }
    } else {
        goto done; /* no presentation parser for this type */
    }
    /* Nothing may follow the last field. */
    if (next_token(&p, tok, sizeof(tok), &quoted) != 0) {
        st = GT_EINVAL;
        goto done;
    }
    if (w.err != GT_OK) {
        st = GT_ESPACE;
        goto done;
    }
    *outlen = w.len;
    st = GT_OK;
done:
    return st;
}

size_t gt_rr_data_str(const gt_rr *rr, char *buf, size_t size)
{
    size_t n = gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, buf, size);
    if (n == 0) {
        n = gt_rdata_to_generic_str(rr->rdata, rr->rdlen, buf, size);
    }
    if (n == 0 && size > 0) {
        buf[0] = '\0';
    }
    return n;
}
