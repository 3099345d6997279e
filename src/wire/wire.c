/*
 * DNS messages: the parser (with per-type RDATA validation and decompression) and the query
 * builder. Reads through the cursor; never calls the RDATA presentation code.
 */
#include "gluetrace/wire/wire.h"

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
/** Largest uncompressed RDATA any name-bearing layout can produce (NAPTR: 2+2+3*256+255). */
#define GT_RDATA_LAYOUT_MAX 1100

/* ------------------------------------------------------------------------------------------ */
/* RDATA of one record                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Copy one RDATA field of layout letter @p f from @p c to @p w, names uncompressed. */
static void copy_field(char f, gt_cursor *c, gt_wbuf *w)
{
    gt_name n;
    uint8_t slen;

    switch (f) {
    case 'N':
        gt_cursor_name(c, &n);
        gt_wbuf_name(w, &n);
        break;
    case 'S':
        gt_wbuf_u16(w, gt_cursor_u16(c));
        break;
    case 'L':
        gt_wbuf_u32(w, gt_cursor_u32(c));
        break;
    default: /* 'C' */
        slen = gt_cursor_u8(c);
        if (c->err == GT_OK && slen > gt_cursor_left(c)) {
            c->err = GT_EMALFORMED;
            break;
        }
        gt_wbuf_u8(w, slen);
        if (c->err == GT_OK) {
            gt_wbuf_bytes(w, c->data + c->pos, slen);
        }
        gt_cursor_skip(c, slen);
        break;
    }
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
    fields = gt_type_layout(type);
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
        copy_field(*f, &c, &w);
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

/** EDNS option code of an Extended DNS Error (RFC 8914 2). */
#define GT_OPT_EDE 15

/**
 * Check the OPT RDATA: a sequence of {code, length, data} options filling RDLENGTH exactly.
 * Extended DNS Errors (at least their 2-byte INFO-CODE) are kept in @p m.
 */
static gt_status check_opt_rdata(const uint8_t *buf, size_t rdstart, size_t rdlen, gt_msg *m)
{
    gt_cursor oc;

    gt_cursor_init(&oc, buf, rdstart + rdlen);
    oc.pos = rdstart;
    while (gt_cursor_left(&oc) > 0) {
        uint16_t optlen;

        if (gt_cursor_left(&oc) < GT_OPT_OPTION_HDR) {
            return GT_EMALFORMED;
        }
        uint16_t code = gt_cursor_u16(&oc);
        optlen = gt_cursor_u16(&oc);
        if (code == GT_OPT_EDE && optlen >= 2 && gt_cursor_left(&oc) >= optlen &&
            m->nede < GT_MSG_MAX_EDE) {
            m->ede[m->nede++] = (uint16_t)(buf[oc.pos] << 8 | buf[oc.pos + 1]);
        }
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
                if (check_opt_rdata(c->data, rdstart, rdlen, m) != GT_OK) {
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
                rr->pos = (uint16_t)(sk->nrr - base); /* at most counts[s] - 1 */
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

/*
 * Move each section's RRSIG records behind its other records (order kept within both), so
 * that everything that reads a reply's data sees what a DO=0 query would have got, and only
 * DNSSEC validation looks at the signatures (gt_msg.nsig).
 */
static gt_status split_sigs(gt_msg *m)
{
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL; s++) {
        size_t n = m->count[s], nsig = 0, a = 0;
        for (size_t i = 0; i < n; i++) {
            nsig += m->rrs[s][i].type == GT_TYPE_RRSIG;
        }
        if (nsig == 0) {
            continue;
        }
        gt_rr *tmp = malloc(n * sizeof(*tmp));
        if (tmp == NULL) {
            return GT_ENOMEM;
        }
        size_t b = n - nsig;
        for (size_t i = 0; i < n; i++) {
            tmp[m->rrs[s][i].type == GT_TYPE_RRSIG ? b++ : a++] = m->rrs[s][i];
        }
        memcpy(m->rrs[s], tmp, n * sizeof(*tmp));
        free(tmp);
        m->count[s] = n - nsig;
        m->nsig[s] = nsig;
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
    if ((st = split_sigs(m)) != GT_OK) {
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

bool gt_rr_same_rdata(const gt_rr *a, const gt_rr *b)
{
    return a->rdlen == b->rdlen && (a->rdlen == 0 || memcmp(a->rdata, b->rdata, a->rdlen) == 0);
}

/* Is every RDATA value of @p a (@p na records) among those of @p b (@p nb)? */
static bool rdata_subset(const gt_rr *a, size_t na, const gt_rr *b, size_t nb)
{
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t j = 0; j < nb && !found; j++) {
            found = gt_rr_same_rdata(&a[i], &b[j]);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

bool gt_rrs_same_rdata_set(const gt_rr *a, size_t na, const gt_rr *b, size_t nb)
{
    return rdata_subset(a, na, b, nb) && rdata_subset(b, nb, a, na);
}

gt_status gt_msg_copy(const gt_msg *m, gt_msg **out)
{
    /* One block (gt_msg_parse()): its size is where its last record or RDATA ends. */
    const uint8_t *base = (const uint8_t *)m;
    size_t total = sizeof(*m);
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL; s++) {
        size_t n = m->count[s] + m->nsig[s];
        if (m->rrs[s] == NULL || n == 0) {
            continue;
        }
        size_t end = (size_t)((const uint8_t *)(m->rrs[s] + n) - base);
        total = end > total ? end : total;
        for (size_t i = 0; i < n; i++) {
            const gt_rr *rr = &m->rrs[s][i];
            if (rr->rdata != NULL) {
                end = (size_t)(rr->rdata + rr->rdlen - base);
                total = end > total ? end : total;
            }
        }
    }
    uint8_t *block = malloc(total);
    *out = NULL;
    if (block == NULL) {
        return GT_ENOMEM;
    }
    memcpy(block, m, total);
    gt_msg *c = (gt_msg *)(void *)block;
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL; s++) {
        size_t n = m->count[s] + m->nsig[s];
        if (m->rrs[s] == NULL || n == 0) {
            c->rrs[s] = NULL;
            continue;
        }
        c->rrs[s] = (gt_rr *)(void *)(block + ((const uint8_t *)m->rrs[s] - base));
        for (size_t i = 0; i < n; i++) {
            const gt_rr *rr = &m->rrs[s][i];
            if (rr->rdata != NULL) {
                c->rrs[s][i].rdata = block + (rr->rdata - base);
            }
        }
    }
    *out = c;
    return GT_OK;
}

const gt_rr *gt_msg_next_rr(const gt_msg *m, gt_section s, gt_rr_walk *w)
{
    if (m == NULL || (int)s < GT_SEC_ANSWER || (int)s > GT_SEC_ADDITIONAL) {
        return NULL;
    }
    const gt_rr *rec = w->rec < m->count[s] ? &m->rrs[s][w->rec] : NULL;
    const gt_rr *sig = w->sig < m->nsig[s] ? &m->rrs[s][m->count[s] + w->sig] : NULL;
    /* both runs are in received order: take the one that came first */
    if (rec != NULL && (sig == NULL || rec->pos < sig->pos)) {
        w->rec++;
        return rec;
    }
    if (sig != NULL) {
        w->sig++;
    }
    return sig;
}

/* ------------------------------------------------------------------------------------------ */
/* Response codes                                                                              */
/* ------------------------------------------------------------------------------------------ */

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
/* Query builder                                                                               */
/* ------------------------------------------------------------------------------------------ */

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
    gt_wbuf_u8(&w, (opts != NULL && opts->cd) ? 0x10 : 0x00); /* RA=0, Z=0, AD=0, CD */
    gt_wbuf_u16(&w, 1);                                       /* QDCOUNT */
    gt_wbuf_u16(&w, 0);                                       /* ANCOUNT */
    gt_wbuf_u16(&w, 0);                                       /* NSCOUNT */
    gt_wbuf_u16(&w, edns ? 1 : 0);                            /* ARCOUNT */
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
