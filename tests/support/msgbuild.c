#include "msgbuild.h"

#include "gluetrace/dnssec/rrtext.h"
#include "gluetrace/wire/rdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "msgbuild: %s: %s\n", what, detail);
    abort();
}

void tb_begin(tb_msg *m, const uint8_t *query, size_t qlen, bool aa, uint16_t rcode)
{
    memset(m, 0, sizeof(*m));
    gt_wbuf_init(&m->w, m->buf, sizeof(m->buf));
    gt_cursor c;
    gt_cursor_init(&c, query, qlen);
    uint16_t id = gt_cursor_u16(&c);
    (void)gt_cursor_u16(&c);
    gt_cursor_skip(&c, 8);
    gt_name qname;
    gt_cursor_name(&c, &qname);
    uint16_t qtype = gt_cursor_u16(&c);
    uint16_t qclass = gt_cursor_u16(&c);
    if (c.err != GT_OK) {
        die("query", "unparsable");
    }
    uint16_t flags = (uint16_t)(0x8000 | (aa ? 0x0400 : 0) | (rcode & 0xf));
    gt_wbuf_u16(&m->w, id);
    gt_wbuf_u16(&m->w, flags);
    gt_wbuf_u16(&m->w, 1);
    gt_wbuf_u16(&m->w, 0);
    gt_wbuf_u16(&m->w, 0);
    gt_wbuf_u16(&m->w, 0);
    gt_wbuf_name(&m->w, &qname);
    gt_wbuf_u16(&m->w, qtype);
    gt_wbuf_u16(&m->w, qclass);
}

void tb_set_tc(tb_msg *m)
{
    m->buf[2] |= 0x02;
}

void tb_rr(tb_msg *m, gt_section sec, const char *owner, const char *type, uint32_t ttl,
           const char *rdata)
{
    gt_name n;
    uint16_t t;
    uint8_t rd[1024];
    size_t rdlen = 0;
    if ((int)sec < m->section) {
        die("section order", owner);
    }
    m->section = (int)sec;
    if (gt_name_from_str(&n, owner) != GT_OK) {
        die("owner", owner);
    }
    if (gt_type_from_str(type, &t) != GT_OK) {
        die("type", type);
    }
    if (gt_rdata_from_str(t, rdata, rd, sizeof(rd), &rdlen) != GT_OK) {
        /* DS, DNSKEY, RRSIG, NSEC, NSEC3: the presentation reader of the dnssec layer */
        char line[2048], err[128];
        gt_rr rr;
        snprintf(line, sizeof(line), "%s %u IN %s %s", owner, (unsigned)ttl, type, rdata);
        if (gt_rr_from_text(line, &rr, err, sizeof(err)) != GT_OK || rr.rdlen > sizeof(rd)) {
            die("rdata", rdata);
        }
        memcpy(rd, rr.rdata, rr.rdlen);
        rdlen = rr.rdlen;
        gt_rr_free_rdata(&rr);
    }
    gt_wbuf_name(&m->w, &n);
    gt_wbuf_u16(&m->w, t);
    gt_wbuf_u16(&m->w, GT_CLASS_IN);
    gt_wbuf_u32(&m->w, ttl);
    gt_wbuf_u16(&m->w, (uint16_t)rdlen);
    gt_wbuf_bytes(&m->w, rd, rdlen);
    m->counts[sec]++;
}

size_t tb_end(tb_msg *m)
{
    gt_wbuf_put_u16_at(&m->w, 6, m->counts[0]);
    gt_wbuf_put_u16_at(&m->w, 8, m->counts[1]);
    gt_wbuf_put_u16_at(&m->w, 10, m->counts[2]);
    if (m->w.err != GT_OK) {
        die("message", "too large");
    }
    return m->w.len;
}
