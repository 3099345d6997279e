/*
 * The bounds-checked read cursor and write buffer of DNS wire data.
 */
#include "gluetrace/wire/cursor.h"

#include <string.h>

void gt_cursor_init(gt_cursor *c, const uint8_t *data, size_t len)
{
    c->data = data;
    c->len = data != NULL ? len : 0;
    c->pos = 0;
    c->err = GT_OK;
}

/**
 * Whether @p n more bytes fit after @p used of @p limit; otherwise (or when @p *err is already
 * set) sets @p *err to @p fail. Shared by the read cursor and the write buffer.
 */
static bool span_ok(gt_status *err, size_t used, size_t limit, size_t n, gt_status fail)
{
    if (*err == GT_OK && (used > limit || n > limit - used)) {
        *err = fail;
    }
    return *err == GT_OK;
}

/** @return true when @p n more bytes can be read; sets the sticky error otherwise. */
static bool cursor_need(gt_cursor *c, size_t n)
{
    return span_ok(&c->err, c->pos, c->len, n, GT_EMALFORMED);
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
    return span_ok(&w->err, w->len, w->cap, n, GT_ESPACE);
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
