/*
 * RDATA as presentation text: zone-file forms out (with the RFC 3597 fallback) and in.
 * Reads RDATA with the cursor and takes layouts from the record-type table.
 */
#include "gluetrace/wire/rdata.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/base/parse.h"

/** Largest character-string payload (RFC 1035 3.3). */
#define GT_CHARSTR_MAX 255
/** Longest presentation token we accept (a character-string with every byte as \DDD). */
#define GT_RDATA_TOKEN_MAX (GT_CHARSTR_MAX * 4 + 8)

/* ------------------------------------------------------------------------------------------ */
/* Presentation output                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Marks the text as unusable: the RDATA does not match its type. */
static void out_bad(gt_buf *t)
{
    if (t->err == GT_OK) {
        t->err = GT_EMALFORMED;
    }
}

static void out_u32(gt_buf *t, uint32_t v)
{
    gt_buf_printf(t, "%lu", (unsigned long)v);
}

/** A text writer for one RDATA: the buffer and the presentation style. */
typedef struct rtext {
    gt_buf b;             /**< where the text goes */
    gt_rdata_style style; /**< how blobs are broken into words */
    size_t run;           /**< characters of the current blob written so far */
} rtext;

/*
 * One character of a long blob (hex digest, base64 key or signature). dig (BIND's default
 * style) breaks such blobs into words of GT_RDATA_DIG_WORD characters with one space between
 * them; zone files and everything else here keep them whole.
 */
static void blob_putc(rtext *t, char ch)
{
    if (t->style == GT_RDATA_DIG && t->run > 0 && t->run % GT_RDATA_DIG_WORD == 0) {
        gt_buf_putc(&t->b, ' ');
    }
    gt_buf_putc(&t->b, ch);
    t->run++;
}

static void out_hex(rtext *t, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";

    t->run = 0;
    for (size_t i = 0; i < n; i++) {
        blob_putc(t, digits[p[i] >> 4]);
        blob_putc(t, digits[p[i] & 0x0F]);
    }
}

static void out_base64(rtext *t, const uint8_t *p, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    t->run = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        size_t rest = n - i;

        if (rest > 1) {
            v |= (uint32_t)p[i + 1] << 8;
        }
        if (rest > 2) {
            v |= p[i + 2];
        }
        blob_putc(t, b64[(v >> 18) & 0x3F]);
        blob_putc(t, b64[(v >> 12) & 0x3F]);
        blob_putc(t, rest > 1 ? b64[(v >> 6) & 0x3F] : '=');
        blob_putc(t, rest > 2 ? b64[v & 0x3F] : '=');
    }
}

/** Base32hex without padding, upper case (RFC 4648 7; NSEC3 next hashed owner, RFC 5155 3.3). */
static void out_base32hex(gt_buf *t, const uint8_t *p, size_t n)
{
    static const char b32[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    uint32_t acc = 0;
    unsigned bits = 0;

    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            gt_buf_putc(t, b32[(acc >> bits) & 0x1F]);
        }
    }
    if (bits > 0) {
        gt_buf_putc(t, b32[(acc << (5 - bits)) & 0x1F]);
    }
}

/** A character-string in double quotes; '"' and '\\' as \X, other non-printables as \DDD. */
static void out_quoted(gt_buf *t, const uint8_t *p, size_t n)
{
    gt_buf_putc(t, '"');
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];

        if (b < 0x20 || b > 0x7e) {
            gt_buf_printf(t, "\\%03u", (unsigned)b);
            continue;
        }
        if (b == '"' || b == '\\') {
            gt_buf_putc(t, '\\');
        }
        gt_buf_putc(t, (char)b);
    }
    gt_buf_putc(t, '"');
}

static void out_name(gt_buf *t, gt_cursor *c)
{
    gt_name n;

    gt_cursor_name(c, &n);
    if (c->err != GT_OK) {
        out_bad(t);
        return;
    }
    gt_name_print(t, &n);
}

/** Read one character-string at the cursor and print it quoted. */
static void out_charstr(gt_buf *t, gt_cursor *c)
{
    uint8_t slen = gt_cursor_u8(c);

    if (c->err != GT_OK || slen > gt_cursor_left(c)) {
        out_bad(t);
        return;
    }
    out_quoted(t, c->data + c->pos, slen);
    gt_cursor_skip(c, slen);
}

static void print_layout(gt_buf *t, gt_cursor *c, const char *fields)
{
    for (const char *f = fields; *f != '\0' && t->err == GT_OK; f++) {
        if (f != fields) {
            gt_buf_putc(t, ' ');
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

/**
 * DS (RFC 4034 5.3: key tag, algorithm, digest type, digest in hex) and DNSKEY (RFC 4034 2.2:
 * flags, protocol, algorithm, public key in base64), and CDS/CDNSKEY (RFC 7344) like them:
 * one 16-bit and two 8-bit numbers, then the rest of the RDATA.
 */
static void print_ds_dnskey(rtext *t, gt_cursor *c, bool base64)
{
    if (gt_cursor_left(c) < 5) {
        out_bad(&t->b);
        return;
    }
    out_u32(&t->b, gt_cursor_u16(c));
    gt_buf_putc(&t->b, ' ');
    out_u32(&t->b, gt_cursor_u8(c));
    gt_buf_putc(&t->b, ' ');
    out_u32(&t->b, gt_cursor_u8(c));
    gt_buf_putc(&t->b, ' ');
    if (base64) {
        out_base64(t, c->data + c->pos, gt_cursor_left(c));
    } else {
        out_hex(t, c->data + c->pos, gt_cursor_left(c));
    }
    gt_cursor_skip(c, gt_cursor_left(c));
}

/** An RRSIG time (RFC 4034 3.2): YYYYMMDDHHmmSS in UTC, the value read as unsigned seconds. */
static void out_time(gt_buf *t, uint32_t secs)
{
    /* civil date from days since 1970-01-01 (proleptic Gregorian, H. Hinnant's method) */
    int64_t days = (int64_t)(secs / 86400U);
    uint32_t rest = secs % 86400U;
    int64_t z = days + 719468;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);

    gt_buf_printf(t, "%04lld%02lld%02lld%02u%02u%02u", (long long)y, (long long)m, (long long)d,
                  (unsigned)(rest / 3600), (unsigned)(rest / 60 % 60), (unsigned)(rest % 60));
}

/** The type mnemonic of @p type ("A", "TYPE65534"). */
static void out_type(gt_buf *t, uint16_t type)
{
    char name[16];

    gt_buf_puts(t, gt_type_to_str(type, name, sizeof(name)));
}

/**
 * An NSEC/NSEC3 type bitmap (RFC 4034 4.1.2): windows in increasing order, each 1..32 bytes,
 * the types listed by mnemonic, each preceded by one space. Reads to the end of the RDATA.
 */
static void out_bitmap(gt_buf *t, gt_cursor *c)
{
    int last = -1;

    while (gt_cursor_left(c) > 0 && t->err == GT_OK) {
        uint8_t window = gt_cursor_u8(c);
        uint8_t len = gt_cursor_u8(c);

        if (c->err != GT_OK || (int)window <= last || len == 0 || len > 32 ||
            len > gt_cursor_left(c)) {
            out_bad(t);
            return;
        }
        last = window;
        for (unsigned i = 0; i < len; i++) {
            uint8_t byte = c->data[c->pos + i];

            for (unsigned bit = 0; bit < 8; bit++) {
                if (byte & (0x80U >> bit)) {
                    gt_buf_putc(t, ' ');
                    out_type(t, (uint16_t)(window * 256U + i * 8U + bit));
                }
            }
        }
        gt_cursor_skip(c, len);
    }
}

/**
 * RRSIG (RFC 4034 3.2): type covered, algorithm, labels, original TTL, expiration and
 * inception as YYYYMMDDHHmmSS, key tag, signer's name, signature in base64.
 */
static void print_rrsig(rtext *t, gt_cursor *c)
{
    uint16_t covered = gt_cursor_u16(c);
    uint8_t alg = gt_cursor_u8(c);
    uint8_t labels = gt_cursor_u8(c);
    uint32_t ttl = gt_cursor_u32(c);
    uint32_t expire = gt_cursor_u32(c);
    uint32_t incept = gt_cursor_u32(c);
    uint16_t tag = gt_cursor_u16(c);

    if (c->err != GT_OK) {
        out_bad(&t->b);
        return;
    }
    out_type(&t->b, covered);
    gt_buf_printf(&t->b, " %u %u %lu ", (unsigned)alg, (unsigned)labels, (unsigned long)ttl);
    out_time(&t->b, expire);
    gt_buf_putc(&t->b, ' ');
    out_time(&t->b, incept);
    gt_buf_printf(&t->b, " %u ", (unsigned)tag);
    out_name(&t->b, c);
    if (c->err != GT_OK || gt_cursor_left(c) == 0) {
        out_bad(&t->b);
        return;
    }
    gt_buf_putc(&t->b, ' ');
    out_base64(t, c->data + c->pos, gt_cursor_left(c));
    gt_cursor_skip(c, gt_cursor_left(c));
}

/** NSEC3 and NSEC3PARAM (RFC 5155 3.3, 4.3): hash algorithm, flags, iterations, salt ("-"). */
static void print_nsec3_head(gt_buf *t, gt_cursor *c)
{
    uint8_t alg = gt_cursor_u8(c);
    uint8_t flags = gt_cursor_u8(c);
    uint16_t iter = gt_cursor_u16(c);
    uint8_t slen = gt_cursor_u8(c);

    if (c->err != GT_OK || slen > gt_cursor_left(c)) {
        out_bad(t);
        return;
    }
    gt_buf_printf(t, "%u %u %u ", (unsigned)alg, (unsigned)flags, (unsigned)iter);
    if (slen == 0) {
        gt_buf_putc(t, '-');
    }
    for (size_t i = 0; i < slen; i++) {
        gt_buf_printf(t, "%02X", (unsigned)c->data[c->pos + i]);
    }
    gt_cursor_skip(c, slen);
}

/** NSEC3 (RFC 5155 3.3): the head, the next hashed owner in base32hex, the type bitmap. */
static void print_nsec3(gt_buf *t, gt_cursor *c)
{
    print_nsec3_head(t, c);
    uint8_t hlen = gt_cursor_u8(c);

    if (t->err != GT_OK || c->err != GT_OK || hlen == 0 || hlen > gt_cursor_left(c)) {
        out_bad(t);
        return;
    }
    gt_buf_putc(t, ' ');
    out_base32hex(t, c->data + c->pos, hlen);
    gt_cursor_skip(c, hlen);
    out_bitmap(t, c);
}

/** CAA (RFC 8659 4.1): flags, tag (1..255 letters/digits), value. */
static void print_caa(gt_buf *t, gt_cursor *c)
{
    uint8_t flags = gt_cursor_u8(c);
    uint8_t taglen = gt_cursor_u8(c);

    if (c->err != GT_OK || taglen == 0 || taglen > gt_cursor_left(c)) {
        out_bad(t);
        return;
    }
    out_u32(t, flags);
    gt_buf_putc(t, ' ');
    for (size_t i = 0; i < taglen; i++) {
        uint8_t b = c->data[c->pos + i];
        bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');

        if (!alnum) {
            out_bad(t);
            return;
        }
        gt_buf_putc(t, (char)b);
    }
    gt_cursor_skip(c, taglen);
    gt_buf_putc(t, ' ');
    out_quoted(t, c->data + c->pos, gt_cursor_left(c));
    gt_cursor_skip(c, gt_cursor_left(c));
}

size_t gt_rdata_to_generic_str(const uint8_t *rdata, size_t rdlen, char *buf, size_t size)
{
    rtext t = {.style = GT_RDATA_ZONE};

    if (buf == NULL || size == 0) {
        return 0;
    }
    gt_buf_init_fixed(&t.b, buf, size);
    gt_buf_puts(&t.b, "\\# ");
    out_u32(&t.b, (uint32_t)(rdlen > UINT32_MAX ? UINT32_MAX : rdlen));
    if (rdlen > 0) {
        gt_buf_putc(&t.b, ' ');
        out_hex(&t, rdata, rdlen);
    }
    return gt_buf_finish(&t.b);
}

size_t gt_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t rdlen, gt_rdata_style style,
                        char *buf, size_t size)
{
    const char *fields = gt_type_layout(type);
    gt_cursor c;
    rtext rt = {.style = style};
    gt_buf *t = &rt.b;

    if (buf == NULL || size == 0) {
        return 0;
    }
    gt_buf_init_fixed(t, buf, size);
    if (rdata == NULL && rdlen > 0) {
        return 0;
    }
    gt_cursor_init(&c, rdata, rdlen);
    if (type == GT_TYPE_A) {
        if (rdlen != 4) {
            return 0;
        }
        gt_buf_printf(t, "%u.%u.%u.%u", rdata[0], rdata[1], rdata[2], rdata[3]);
        gt_cursor_skip(&c, 4);
    } else if (type == GT_TYPE_AAAA) {
        char s[INET6_ADDRSTRLEN];

        if (rdlen != 16 || inet_ntop(AF_INET6, rdata, s, sizeof(s)) == NULL) {
            return 0;
        }
        gt_buf_puts(t, s);
        gt_cursor_skip(&c, 16);
    } else if (fields != NULL) {
        print_layout(t, &c, fields);
    } else if (type == GT_TYPE_TXT || type == GT_TYPE_SPF) {
        if (rdlen == 0) {
            return 0; /* at least one character-string (RFC 1035 3.3.14) */
        }
        while (gt_cursor_left(&c) > 0 && t->err == GT_OK) {
            if (c.pos > 0) {
                gt_buf_putc(t, ' ');
            }
            out_charstr(t, &c);
        }
    } else if (type == GT_TYPE_DS || type == GT_TYPE_CDS) {
        print_ds_dnskey(&rt, &c, false);
    } else if (type == GT_TYPE_DNSKEY || type == GT_TYPE_CDNSKEY) {
        print_ds_dnskey(&rt, &c, true);
    } else if (type == GT_TYPE_RRSIG) {
        print_rrsig(&rt, &c);
    } else if (type == GT_TYPE_NSEC) {
        out_name(t, &c);
        out_bitmap(t, &c);
    } else if (type == GT_TYPE_NSEC3) {
        print_nsec3(t, &c);
    } else if (type == GT_TYPE_NSEC3PARAM) {
        print_nsec3_head(t, &c);
    } else if (type == GT_TYPE_CAA) {
        print_caa(t, &c);
    } else {
        return gt_rdata_to_generic_str(rdata, rdlen, buf, size);
    }
    /* The type's layout must account for every RDATA byte. */
    if (c.err != GT_OK || gt_cursor_left(&c) != 0) {
        out_bad(t);
    }
    return gt_buf_finish(t);
}

size_t gt_rrsig_time_str(uint32_t t, char *buf, size_t size)
{
    gt_buf b;

    if (buf == NULL || size == 0) {
        return 0;
    }
    gt_buf_init_fixed(&b, buf, size);
    out_time(&b, t);
    return gt_buf_finish(&b);
}

size_t gt_rdata_to_str(uint16_t type, const uint8_t *rdata, size_t rdlen, char *buf, size_t size)
{
    return gt_rdata_to_text(type, rdata, rdlen, GT_RDATA_ZONE, buf, size);
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

        if (!gt_text_unescape(&s, &ch)) {
            return GT_EINVAL;
        }
        if (n >= GT_CHARSTR_MAX) {
            return GT_EINVAL;
        }
        out[n++] = ch;
    }
    *len = n;
    return GT_OK;
}

/** One layout field from one token into @p w. */
static gt_status field_from_token(char field, const char *tok, bool quoted, gt_wbuf *w)
{
    gt_status st = GT_EINVAL;
    unsigned long long v;
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
        st = gt_parse_uint(tok, UINT16_MAX, &v) == GT_OK ? GT_OK : GT_EINVAL;
        if (st == GT_OK) {
            gt_wbuf_u16(w, (uint16_t)v);
        }
        break;
    default: /* 'L' */
        st = gt_parse_uint(tok, UINT32_MAX, &v) == GT_OK ? GT_OK : GT_EINVAL;
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
    unsigned long long want;
    size_t start = w->len;
    int r;

    if (next_token(pp, tok, sizeof(tok), &quoted) != 1 || quoted ||
        gt_parse_uint(tok, UINT16_MAX, &want) != GT_OK) {
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

/*
 * RFC 3597 generic text ("\# len hex") after the "\#" token; for a type whose layout we know
 * it must still be valid RDATA of that type.
 */
static gt_status generic_checked(uint16_t type, const char *fields, const char **p, gt_wbuf *w,
                                 const uint8_t *out)
{
    size_t dlen;
    gt_status st = generic_from_str(p, w);

    if (st != GT_OK) {
        return st;
    }
    if (type == GT_TYPE_A || type == GT_TYPE_AAAA || fields != NULL) {
        if (gt_rdata_decompress(type, out, w->len, 0, w->len, NULL, 0, &dlen) != GT_OK ||
            dlen != w->len) {
            return GT_EINVAL;
        }
    }
    return GT_OK;
}

gt_status gt_rdata_from_str(uint16_t type, const char *text, uint8_t *out, size_t cap,
                            size_t *outlen)
{
    gt_status st = GT_EINVAL;
    char tok[GT_RDATA_TOKEN_MAX];
    const char *p = text;
    const char *fields = gt_type_layout(type);
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
        if ((st = generic_checked(type, fields, &p, &w, out)) != GT_OK) {
            goto done;
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
    return gt_rr_data_text(rr, GT_RDATA_ZONE, buf, size);
}

size_t gt_rr_data_text(const gt_rr *rr, gt_rdata_style style, char *buf, size_t size)
{
    size_t n = gt_rdata_to_text(rr->type, rr->rdata, rr->rdlen, style, buf, size);
    if (n == 0) {
        n = gt_rdata_to_generic_str(rr->rdata, rr->rdlen, buf, size);
    }
    if (n == 0 && size > 0) {
        buf[0] = '\0';
    }
    return n;
}
