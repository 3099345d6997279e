/*
 * DNS wire format: the bounds-checked read cursor, domain names in wire and presentation form,
 * the message parser, the write buffer and the query builder.
 */
#include "gluetrace/wire/wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Size of the fixed DNS header (RFC 1035 4.1.1). */
#define GT_HEADER_LEN 12
/** Smallest possible question: root name (1) + QTYPE + QCLASS. */
#define GT_MIN_QUESTION_LEN 5
/** Smallest possible RR: root owner (1) + TYPE + CLASS + TTL + RDLENGTH. */
#define GT_MIN_RR_LEN 11
/** Size of one EDNS option header (OPTION-CODE + OPTION-LENGTH), RFC 6891 6.1.2. */
#define GT_OPT_OPTION_HDR 4

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

void gt_name_root(gt_name *out)
{
    out->len = 1;
    out->data[0] = 0;
}

/** @return the ASCII lower-case form of @p c; other bytes unchanged (DNS is ASCII-only). */
static uint8_t ascii_lower(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') {
        return (uint8_t)(c + ('a' - 'A'));
    }
    return c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

gt_status gt_name_from_str(gt_name *out, const char *s)
{
    gt_status st = GT_EINVAL;
    gt_name tmp;
    size_t o = 0;
    const char *p = s;

    gt_name_root(out);
    if (s == NULL || *s == '\0') {
        goto done;
    }
    if (strcmp(s, ".") == 0) {
        st = GT_OK;
        goto done;
    }
    while (*p != '\0') {
        size_t lenpos = o;
        size_t llen = 0;

        if (o >= GT_NAME_MAX - 1) {
            goto done;
        }
        o++; /* room for the label length byte */
        while (*p != '\0' && *p != '.') {
            uint8_t ch;

            if (*p == '\\') {
                p++;
                if (is_digit(p[0])) {
                    unsigned v;

                    if (!is_digit(p[1]) || !is_digit(p[2])) {
                        goto done;
                    }
                    v = (unsigned)(p[0] - '0') * 100u + (unsigned)(p[1] - '0') * 10u +
                        (unsigned)(p[2] - '0');
                    if (v > 255u) {
                        goto done;
                    }
                    ch = (uint8_t)v;
                    p += 3;
                } else if (*p == '\0') {
                    goto done; /* dangling backslash */
                } else {
                    ch = (uint8_t)*p++;
                }
            } else {
                ch = (uint8_t)*p++;
            }
            /* Keep one byte free for the root label that ends every name. */
            if (llen >= GT_LABEL_MAX || o >= GT_NAME_MAX - 1) {
                goto done;
            }
            tmp.data[o++] = ch;
            llen++;
        }
        if (llen == 0) {
            goto done; /* empty label: leading dot or ".." */
        }
        tmp.data[lenpos] = (uint8_t)llen;
        if (*p == '.') {
            p++;
        }
    }
    tmp.data[o++] = 0;
    tmp.len = (uint8_t)o;
    memcpy(out->data, tmp.data, o);
    out->len = tmp.len;
    st = GT_OK;
done:
    return st;
}

/** Output cursor for presentation text: always leaves room for the NUL. */
typedef struct text_out {
    char *buf;   /**< destination */
    size_t size; /**< its size including the NUL */
    size_t len;  /**< characters written so far */
    bool ok;     /**< false once something did not fit */
} text_out;

static void text_putc(text_out *t, char c)
{
    if (!t->ok || t->len + 1 >= t->size) {
        t->ok = false;
        return;
    }
    t->buf[t->len++] = c;
}

/** Write one label byte of a name, escaped as gt_name_to_str() documents. */
static void text_put_name_byte(text_out *t, uint8_t b)
{
    if (b < 0x21 || b > 0x7e) {
        text_putc(t, '\\');
        text_putc(t, (char)('0' + b / 100));
        text_putc(t, (char)('0' + (b / 10) % 10));
        text_putc(t, (char)('0' + b % 10));
        return;
    }
    switch (b) {
    case '.':
    case '\\':
    case '"':
    case '(':
    case ')':
    case ';':
    case '@':
    case '$':
        text_putc(t, '\\');
        break;
    default:
        break;
    }
    text_putc(t, (char)b);
}

size_t gt_name_to_str(const gt_name *n, char *buf, size_t size)
{
    text_out t = {buf, size, 0, true};
    size_t i = 0;

    if (buf == NULL || size == 0) {
        return 0;
    }
    buf[0] = '\0';
    if (n == NULL || n->len == 0) {
        return 0;
    }
    if (n->data[0] == 0) {
        text_putc(&t, '.');
    }
    while (i < n->len && t.ok) {
        uint8_t l = n->data[i++];

        if (l == 0) {
            break;
        }
        if (l > GT_LABEL_MAX || (size_t)l > (size_t)n->len - i) {
            t.ok = false; /* not a well-formed name */
            break;
        }
        for (size_t k = 0; k < l; k++) {
            text_put_name_byte(&t, n->data[i + k]);
        }
        text_putc(&t, '.');
        i += l;
    }
    if (!t.ok) {
        buf[0] = '\0';
        return 0;
    }
    buf[t.len] = '\0';
    return t.len;
}

bool gt_name_eq(const gt_name *a, const gt_name *b)
{
    if (a->len != b->len) {
        return false;
    }
    /* Label length bytes are <= 63 and so never change under ASCII case folding. */
    for (size_t i = 0; i < a->len; i++) {
        if (ascii_lower(a->data[i]) != ascii_lower(b->data[i])) {
            return false;
        }
    }
    return true;
}

unsigned gt_name_labels(const gt_name *n)
{
    unsigned count = 0;
    size_t i = 0;

    while (i < n->len && n->data[i] != 0) {
        i += (size_t)n->data[i] + 1;
        count++;
    }
    return count;
}

void gt_name_suffix(const gt_name *n, unsigned drop, gt_name *out)
{
    size_t i = 0;

    while (drop > 0 && i < n->len && n->data[i] != 0) {
        i += (size_t)n->data[i] + 1;
        drop--;
    }
    if (i >= n->len || n->data[i] == 0) {
        gt_name_root(out);
        return;
    }
    /* out may alias n, hence memmove. */
    memmove(out->data, n->data + i, n->len - i);
    out->len = (uint8_t)(n->len - i);
}

bool gt_name_is_under(const gt_name *name, const gt_name *zone)
{
    unsigned nl = gt_name_labels(name);
    unsigned zl = gt_name_labels(zone);
    gt_name tail;

    if (nl < zl) {
        return false;
    }
    /* Comparing whole labels from the right keeps "notexample.com" out of "example.com". */
    gt_name_suffix(name, nl - zl, &tail);
    return gt_name_eq(&tail, zone);
}

/* ------------------------------------------------------------------------------------------ */
/* Read cursor                                                                                 */
/* ------------------------------------------------------------------------------------------ */

void gt_cursor_init(gt_cursor *c, const uint8_t *data, size_t len)
{
    c->data = data;
    c->len = data != NULL ? len : 0;
    c->pos = 0;
    c->err = GT_OK;
}

/** @return true when @p n more bytes can be read; sets the sticky error otherwise. */
static bool cursor_need(gt_cursor *c, size_t n)
{
    if (c->err != GT_OK) {
        return false;
    }
    if (c->pos > c->len || n > c->len - c->pos) {
        c->err = GT_EMALFORMED;
        return false;
    }
    return true;
}

uint8_t gt_cursor_u8(gt_cursor *c)
{
    if (!cursor_need(c, 1)) {
        return 0;
    }
    return c->data[c->pos++];
}

uint16_t gt_cursor_u16(gt_cursor *c)
{
    uint16_t v;

    if (!cursor_need(c, 2)) {
        return 0;
    }
    v = (uint16_t)((unsigned)c->data[c->pos] << 8 | c->data[c->pos + 1]);
    c->pos += 2;
    return v;
}

uint32_t gt_cursor_u32(gt_cursor *c)
{
    uint32_t v;

    if (!cursor_need(c, 4)) {
        return 0;
    }
    v = (uint32_t)c->data[c->pos] << 24 | (uint32_t)c->data[c->pos + 1] << 16 |
        (uint32_t)c->data[c->pos + 2] << 8 | (uint32_t)c->data[c->pos + 3];
    c->pos += 4;
    return v;
}

void gt_cursor_bytes(gt_cursor *c, uint8_t *out, size_t n)
{
    if (!cursor_need(c, n)) {
        if (out != NULL && n > 0) {
            memset(out, 0, n);
        }
        return;
    }
    if (n > 0) {
        memcpy(out, c->data + c->pos, n);
    }
    c->pos += n;
}

void gt_cursor_skip(gt_cursor *c, size_t n)
{
    if (cursor_need(c, n)) {
        c->pos += n;
    }
}

size_t gt_cursor_left(const gt_cursor *c)
{
    if (c->err != GT_OK || c->pos > c->len) {
        return 0;
    }
    return c->len - c->pos;
}

void gt_cursor_name(gt_cursor *c, gt_name *out)
{
    size_t pos = c->pos;
    size_t resume = 0; /* where the cursor continues: after the first pointer or the root */
    bool jumped = false;
    unsigned jumps = 0;
    size_t o = 0;

    gt_name_root(out);
    if (c->err != GT_OK) {
        return;
    }
    for (;;) {
        uint8_t b;

        if (pos >= c->len) {
            goto fail;
        }
        b = c->data[pos];
        if ((b & 0xC0) == 0xC0) {
            size_t target;

            /* RFC 1035 4.1.4 compression pointer: 14-bit offset from the message start. */
            if (c->len - pos < 2) {
                goto fail;
            }
            target = (size_t)(b & 0x3F) << 8 | c->data[pos + 1];
            /* Strictly backwards: rules out self pointers, forward pointers and loops. */
            if (target >= pos) {
                goto fail;
            }
            if (++jumps > GT_MAX_COMPRESSION_JUMPS) {
                goto fail;
            }
            if (!jumped) {
                resume = pos + 2;
                jumped = true;
            }
            pos = target;
            continue;
        }
        if ((b & 0xC0) != 0) {
            goto fail; /* 01 (extended, RFC 6891 obsoleted) and 10 label types are reserved */
        }
        if (b == 0) {
            out->data[o++] = 0;
            out->len = (uint8_t)o;
            if (!jumped) {
                resume = pos + 1;
            }
            break;
        }
        /* The label and, after it, at least the root label must fit into 255 bytes. */
        if ((size_t)b > c->len - pos - 1 || o + 1 + b + 1 > GT_NAME_MAX) {
            goto fail;
        }
        out->data[o] = b;
        memcpy(out->data + o + 1, c->data + pos + 1, b);
        o += 1 + (size_t)b;
        pos += 1 + (size_t)b;
    }
    c->pos = resume;
    return;
fail:
    gt_name_root(out);
    c->err = GT_EMALFORMED;
}

/* ------------------------------------------------------------------------------------------ */
/* Message parser                                                                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * Where the parser puts what it finds. The parser runs twice over the same bytes: first with
 * rr_store == NULL to validate and size everything, then into one allocation sized by the
 * first run (gt_msg + all gt_rr + one RDATA blob).
 */
typedef struct parse_sink {
    gt_rr *rr_store; /**< room for nrr records, or NULL in the sizing run */
    uint8_t *blob;   /**< room for blob_len bytes of RDATA, or NULL in the sizing run */
    size_t blob_cap; /**< size of blob */
    size_t nrr;      /**< records stored (or counted) so far */
    size_t blob_len; /**< RDATA bytes stored (or counted) so far */
} parse_sink;

/** Check the OPT RDATA: a sequence of {code, length, data} options filling RDLENGTH exactly. */
static gt_status check_opt_rdata(const uint8_t *buf, size_t rdstart, size_t rdlen)
{
    gt_cursor oc;

    gt_cursor_init(&oc, buf, rdstart + rdlen);
    oc.pos = rdstart;
    while (gt_cursor_left(&oc) > 0) {
        uint16_t optlen;

        if (gt_cursor_left(&oc) < GT_OPT_OPTION_HDR) {
            return GT_EMALFORMED;
        }
        (void)gt_cursor_u16(&oc);
        optlen = gt_cursor_u16(&oc);
        gt_cursor_skip(&oc, optlen);
    }
    return oc.err;
}

static gt_status parse_records(gt_cursor *c, gt_msg *m, const uint16_t counts[3], parse_sink *sk)
{
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL; s++) {
        size_t base = sk->nrr;

        for (uint16_t i = 0; i < counts[s]; i++) {
            gt_name owner;
            uint16_t type, cls, rdlen;
            uint32_t ttl;
            size_t rdstart, dlen = 0;
            gt_status st;

            gt_cursor_name(c, &owner);
            type = gt_cursor_u16(c);
            cls = gt_cursor_u16(c);
            ttl = gt_cursor_u32(c);
            rdlen = gt_cursor_u16(c);
            if (c->err != GT_OK || rdlen > gt_cursor_left(c)) {
                return GT_EMALFORMED;
            }
            rdstart = c->pos;
            if (type == GT_TYPE_OPT) {
                /* RFC 6891 6.1.1: at most one OPT, and only in ADDITIONAL. */
                if (s != GT_SEC_ADDITIONAL || m->has_opt) {
                    return GT_EMALFORMED;
                }
                if (check_opt_rdata(c->data, rdstart, rdlen) != GT_OK) {
                    return GT_EMALFORMED;
                }
                m->has_opt = true;
                m->udp_size = cls;
                m->rcode = (uint16_t)(m->rcode | ((ttl >> 24) & 0xFFu) << 4);
                m->edns_version = (uint8_t)((ttl >> 16) & 0xFFu);
                m->do_bit = (ttl & 0x8000u) != 0;
                gt_cursor_skip(c, rdlen);
                continue;
            }
            if (sk->rr_store == NULL) {
                st = gt_rdata_decompress(type, c->data, c->len, rdstart, rdlen, NULL, 0, &dlen);
            } else {
                if (sk->blob_len > sk->blob_cap) {
                    return GT_EMALFORMED;
                }
                st = gt_rdata_decompress(type, c->data, c->len, rdstart, rdlen,
                                         sk->blob + sk->blob_len, sk->blob_cap - sk->blob_len,
                                         &dlen);
            }
            if (st != GT_OK || dlen > UINT16_MAX) {
                return GT_EMALFORMED;
            }
            if (sk->rr_store != NULL) {
                gt_rr *rr = &sk->rr_store[sk->nrr];

                rr->owner = owner;
                rr->type = type;
                rr->cls = cls;
                rr->ttl = ttl;
                rr->rdlen = (uint16_t)dlen;
                rr->rdata = sk->blob + sk->blob_len;
            }
            sk->blob_len += dlen;
            sk->nrr++;
            gt_cursor_skip(c, rdlen);
        }
        m->count[s] = sk->nrr - base;
        m->rrs[s] = (sk->rr_store != NULL && m->count[s] > 0) ? sk->rr_store + base : NULL;
    }
    return c->err;
}

/** One parser run over the message; fills @p m and what @p sk points to. */
static gt_status parse_message(const uint8_t *buf, size_t len, gt_msg *m, parse_sink *sk)
{
    gt_cursor c;
    uint16_t qdcount, counts[3];
    uint8_t f1, f2;
    size_t need;

    memset(m, 0, sizeof(*m));
    gt_name_root(&m->qname);
    m->wire_len = len;
    gt_cursor_init(&c, buf, len);
    m->id = gt_cursor_u16(&c);
    f1 = gt_cursor_u8(&c);
    f2 = gt_cursor_u8(&c);
    qdcount = gt_cursor_u16(&c);
    counts[GT_SEC_ANSWER] = gt_cursor_u16(&c);
    counts[GT_SEC_AUTHORITY] = gt_cursor_u16(&c);
    counts[GT_SEC_ADDITIONAL] = gt_cursor_u16(&c);
    if (c.err != GT_OK) {
        return GT_EMALFORMED;
    }
    m->qr = (f1 & 0x80) != 0;
    m->opcode = (uint8_t)((f1 >> 3) & 0x0F);
    m->aa = (f1 & 0x04) != 0;
    m->tc = (f1 & 0x02) != 0;
    m->rd = (f1 & 0x01) != 0;
    m->ra = (f2 & 0x80) != 0;
    m->ad = (f2 & 0x20) != 0;
    m->cd = (f2 & 0x10) != 0;
    m->rcode = (uint16_t)(f2 & 0x0F);
    m->qdcount = qdcount;

    /* Refuse counts the message cannot possibly hold before doing any work for them. */
    need = GT_HEADER_LEN + (size_t)qdcount * GT_MIN_QUESTION_LEN +
           ((size_t)counts[0] + counts[1] + counts[2]) * GT_MIN_RR_LEN;
    if (need > len) {
        return GT_EMALFORMED;
    }

    for (uint16_t i = 0; i < qdcount; i++) {
        gt_name qn;
        uint16_t qt, qc;

        gt_cursor_name(&c, &qn);
        qt = gt_cursor_u16(&c);
        qc = gt_cursor_u16(&c);
        if (c.err != GT_OK) {
            return GT_EMALFORMED;
        }
        if (i == 0) {
            m->has_question = true;
            m->qname = qn;
            m->qtype = qt;
            m->qclass = qc;
        }
    }
    if (parse_records(&c, m, counts, sk) != GT_OK) {
        return GT_EMALFORMED;
    }
    return GT_OK;
}

gt_status gt_msg_parse(const uint8_t *buf, size_t len, gt_msg **out)
{
    gt_status st = GT_EMALFORMED;
    gt_msg probe;
    parse_sink sizing = {NULL, NULL, 0, 0, 0};
    parse_sink fill;
    size_t rr_off, blob_off, total;
    uint8_t *block = NULL;
    gt_msg *m;

    if (out == NULL) {
        return GT_EINVAL;
    }
    *out = NULL;
    if (buf == NULL || len > GT_MSG_MAX) {
        goto done;
    }
    st = parse_message(buf, len, &probe, &sizing);
    if (st != GT_OK) {
        goto done;
    }
    /* One block: gt_msg, then the gt_rr array (aligned), then the RDATA blob. */
    rr_off = (sizeof(gt_msg) + _Alignof(gt_rr) - 1) / _Alignof(gt_rr) * _Alignof(gt_rr);
    if (sizing.nrr > (SIZE_MAX - rr_off) / sizeof(gt_rr)) {
        st = GT_ENOMEM;
        goto done;
    }
    blob_off = rr_off + sizing.nrr * sizeof(gt_rr);
    if (sizing.blob_len > SIZE_MAX - blob_off) {
        st = GT_ENOMEM;
        goto done;
    }
    total = blob_off + sizing.blob_len;
    block = malloc(total);
    if (block == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    m = (gt_msg *)(void *)block;
    /* rr_store may point just past the block when there are no records; it is never used then. */
    fill.rr_store = (gt_rr *)(void *)(block + rr_off);
    fill.blob = block + blob_off;
    fill.blob_cap = sizing.blob_len;
    fill.nrr = 0;
    fill.blob_len = 0;
    st = parse_message(buf, len, m, &fill);
    if (st != GT_OK || fill.nrr != sizing.nrr || fill.blob_len != sizing.blob_len) {
        st = GT_EMALFORMED; /* cannot happen: both runs see the same bytes */
        goto done;
    }
    *out = m;
    block = NULL;
done:
    free(block);
    return st;
}

void gt_msg_free(gt_msg *m)
{
    /* The records and their RDATA live in the same allocation as the message. */
    free(m);
}

/* ------------------------------------------------------------------------------------------ */
/* Mnemonics                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** A record type and its mnemonic. */
typedef struct type_name {
    uint16_t type;    /**< the TYPE value */
    const char *name; /**< its mnemonic as in the IANA registry */
} type_name;

static const type_name type_names[] = {
    {1, "A"},           {2, "NS"},          {3, "MD"},      {4, "MF"},      {5, "CNAME"},
    {6, "SOA"},         {7, "MB"},          {8, "MG"},      {9, "MR"},      {10, "NULL"},
    {11, "WKS"},        {12, "PTR"},        {13, "HINFO"},  {14, "MINFO"},  {15, "MX"},
    {16, "TXT"},        {17, "RP"},         {18, "AFSDB"},  {21, "RT"},     {24, "SIG"},
    {25, "KEY"},        {26, "PX"},         {28, "AAAA"},   {29, "LOC"},    {30, "NXT"},
    {33, "SRV"},        {35, "NAPTR"},      {36, "KX"},     {37, "CERT"},   {39, "DNAME"},
    {41, "OPT"},        {42, "APL"},        {43, "DS"},     {44, "SSHFP"},  {45, "IPSECKEY"},
    {46, "RRSIG"},      {47, "NSEC"},       {48, "DNSKEY"}, {49, "DHCID"},  {50, "NSEC3"},
    {51, "NSEC3PARAM"}, {52, "TLSA"},       {53, "SMIMEA"}, {55, "HIP"},    {59, "CDS"},
    {60, "CDNSKEY"},    {61, "OPENPGPKEY"}, {62, "CSYNC"},  {63, "ZONEMD"}, {64, "SVCB"},
    {65, "HTTPS"},      {99, "SPF"},        {249, "TKEY"},  {250, "TSIG"},  {251, "IXFR"},
    {252, "AXFR"},      {255, "ANY"},       {256, "URI"},   {257, "CAA"},
};

static const char *const rcode_names[] = {
    "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI",
};

/** Copy @p s into @p buf (truncating) and return buf; buf must have size > 0. */
static const char *copy_str(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);

    if (n >= size) {
        n = size - 1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

const char *gt_type_to_str(uint16_t type, char *buf, size_t size)
{
    if (buf == NULL || size == 0) {
        return buf;
    }
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        if (type_names[i].type == type) {
            return copy_str(buf, size, type_names[i].name);
        }
    }
    if (snprintf(buf, size, "TYPE%u", (unsigned)type) < 0) {
        buf[0] = '\0';
    }
    return buf;
}

/** ASCII case-insensitive string equality. */
static bool str_eq_nocase(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (ascii_lower((uint8_t)*a) != ascii_lower((uint8_t)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return *a == *b;
}

gt_status gt_type_from_str(const char *s, uint16_t *type)
{
    *type = 0;
    if (s == NULL || *s == '\0') {
        return GT_EINVAL;
    }
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
        if (str_eq_nocase(s, type_names[i].name)) {
            *type = type_names[i].type;
            return GT_OK;
        }
    }
    /* RFC 3597 5: TYPEnnn for any type. */
    if (strlen(s) > 4 && ascii_lower((uint8_t)s[0]) == 't' && ascii_lower((uint8_t)s[1]) == 'y' &&
        ascii_lower((uint8_t)s[2]) == 'p' && ascii_lower((uint8_t)s[3]) == 'e' && is_digit(s[4])) {
        char *end = NULL;
        unsigned long v;

        errno = 0;
        v = strtoul(s + 4, &end, 10);
        if (errno == 0 && end != NULL && *end == '\0' && v <= UINT16_MAX) {
            *type = (uint16_t)v;
            return GT_OK;
        }
    }
    return GT_EINVAL;
}

const char *gt_rcode_to_str(uint16_t rcode, char *buf, size_t size)
{
    if (buf == NULL || size == 0) {
        return buf;
    }
    if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0])) {
        return copy_str(buf, size, rcode_names[rcode]);
    }
    if (rcode == GT_RCODE_BADVERS) {
        return copy_str(buf, size, "BADVERS");
    }
    if (rcode == 23) {
        return copy_str(buf, size, "BADCOOKIE"); /* RFC 7873 */
    }
    if (snprintf(buf, size, "RCODE%u", (unsigned)rcode) < 0) {
        buf[0] = '\0';
    }
    return buf;
}

/* ------------------------------------------------------------------------------------------ */
/* Write buffer and query builder                                                              */
/* ------------------------------------------------------------------------------------------ */

void gt_wbuf_init(gt_wbuf *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->err = GT_OK;
}

/** @return true when @p n more bytes fit; sets the sticky error otherwise. */
static bool wbuf_need(gt_wbuf *w, size_t n)
{
    if (w->err != GT_OK) {
        return false;
    }
    if (w->len > w->cap || n > w->cap - w->len) {
        w->err = GT_ESPACE;
        return false;
    }
    return true;
}

void gt_wbuf_u8(gt_wbuf *w, uint8_t v)
{
    if (wbuf_need(w, 1)) {
        w->buf[w->len++] = v;
    }
}

void gt_wbuf_u16(gt_wbuf *w, uint16_t v)
{
    if (wbuf_need(w, 2)) {
        w->buf[w->len++] = (uint8_t)(v >> 8);
        w->buf[w->len++] = (uint8_t)v;
    }
}

void gt_wbuf_u32(gt_wbuf *w, uint32_t v)
{
    if (wbuf_need(w, 4)) {
        w->buf[w->len++] = (uint8_t)(v >> 24);
        w->buf[w->len++] = (uint8_t)(v >> 16);
        w->buf[w->len++] = (uint8_t)(v >> 8);
        w->buf[w->len++] = (uint8_t)v;
    }
}

void gt_wbuf_bytes(gt_wbuf *w, const uint8_t *p, size_t n)
{
    if (wbuf_need(w, n) && n > 0) {
        memcpy(w->buf + w->len, p, n);
        w->len += n;
    }
}

void gt_wbuf_name(gt_wbuf *w, const gt_name *n)
{
    gt_wbuf_bytes(w, n->data, n->len);
}

void gt_wbuf_put_u16_at(gt_wbuf *w, size_t at, uint16_t v)
{
    if (w->err != GT_OK) {
        return;
    }
    if (w->len < 2 || at > w->len - 2) {
        w->err = GT_ESPACE;
        return;
    }
    w->buf[at] = (uint8_t)(v >> 8);
    w->buf[at + 1] = (uint8_t)v;
}

gt_status gt_build_query(uint8_t *buf, size_t cap, size_t *outlen, const gt_name *qname,
                         uint16_t qtype, const gt_query_opts *opts)
{
    gt_wbuf w;
    bool edns = opts != NULL && opts->edns;

    *outlen = 0;
    if (qname == NULL) {
        return GT_EINVAL;
    }
    gt_wbuf_init(&w, buf, cap);
    gt_wbuf_u16(&w, opts != NULL ? opts->id : 0);
    gt_wbuf_u8(&w, (opts != NULL && opts->rd) ? 0x01 : 0x00); /* QR=0, OPCODE=QUERY */
    gt_wbuf_u8(&w, 0x00);
    gt_wbuf_u16(&w, 1);            /* QDCOUNT */
    gt_wbuf_u16(&w, 0);            /* ANCOUNT */
    gt_wbuf_u16(&w, 0);            /* NSCOUNT */
    gt_wbuf_u16(&w, edns ? 1 : 0); /* ARCOUNT */
    gt_wbuf_name(&w, qname);
    gt_wbuf_u16(&w, qtype);
    gt_wbuf_u16(&w, GT_CLASS_IN);
    if (edns) {
        /* RFC 6891 6.1.2: root owner, CLASS = payload size, TTL = ext-rcode/version/DO/Z. */
        gt_wbuf_u8(&w, 0);
        gt_wbuf_u16(&w, GT_TYPE_OPT);
        gt_wbuf_u16(&w, opts->bufsize);
        gt_wbuf_u32(&w, opts->do_bit ? 0x00008000u : 0u);
        gt_wbuf_u16(&w, 0);
    }
    if (w.err != GT_OK) {
        return w.err;
    }
    *outlen = w.len;
    return GT_OK;
}
