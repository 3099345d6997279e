/* The text buffer: bounded over caller memory or growable, with a sticky error. */
#include "gluetrace/base/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gt_buf_init_fixed(gt_buf *b, char *mem, size_t size)
{
    b->data = mem;
    b->len = 0;
    b->cap = mem != NULL ? size : 0;
    b->growable = false;
    b->err = GT_OK;
    if (b->cap > 0) {
        b->data[0] = '\0';
    }
}

void gt_buf_init_grow(gt_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->growable = true;
    b->err = GT_OK;
}

/** @return true when @p n more characters and the NUL fit, growing if allowed. */
static bool buf_room(gt_buf *b, size_t n)
{
    if (b->err != GT_OK) {
        return false;
    }
    if (n > SIZE_MAX - b->len - 1) {
        b->err = b->growable ? GT_ENOMEM : GT_ESPACE;
        return false;
    }
    if (b->len + n < b->cap) {
        return true;
    }
    if (!b->growable) {
        b->err = GT_ESPACE;
        return false;
    }
    void *p = b->data;
    if (!gt_array_reserve(&p, &b->cap, b->len + n, 1)) {
        b->err = GT_ENOMEM;
        return false;
    }
    b->data = p;
    return true;
}

void gt_buf_append(gt_buf *b, const void *p, size_t n)
{
    if (!buf_room(b, n) || b->data == NULL) { /* room means data != NULL; said for the analyzer */
        return;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
}

void gt_buf_putc(gt_buf *b, char c)
{
    gt_buf_append(b, &c, 1);
}

void gt_buf_puts(gt_buf *b, const char *s)
{
    gt_buf_append(b, s, strlen(s));
}

void gt_buf_printf(gt_buf *b, const char *fmt, ...)
{
    va_list ap;
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n;

    if (b->err != GT_OK) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = GT_EINVAL;
        goto undo;
    }
    if ((size_t)n < room) {
        b->len += (size_t)n;
        return;
    }
    if (!buf_room(b, (size_t)n)) {
        goto undo;
    }
    /* Format again now that there is room (a va_list cannot be reused). */
    va_start(ap, fmt);
    (void)vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return;
undo:
    if (b->cap > b->len) {
        b->data[b->len] = '\0'; /* drop what a format that did not fit left behind */
    }
}

const char *gt_buf_str(const gt_buf *b)
{
    return b->data != NULL && b->cap > 0 ? b->data : "";
}

size_t gt_buf_finish(gt_buf *b)
{
    if (b->err != GT_OK) {
        if (b->cap > 0) {
            b->data[0] = '\0';
        }
        return 0;
    }
    return b->len;
}

char *gt_buf_take(gt_buf *b, size_t *len)
{
    char *text = NULL;

    if (len != NULL) {
        *len = 0;
    }
    if (b->growable && b->err == GT_OK) {
        if (b->data == NULL) {
            gt_buf_append(b, "", 0); /* an empty text is still a string */
        }
        if (b->err == GT_OK) {
            text = b->data;
            if (len != NULL) {
                *len = b->len;
            }
            b->data = NULL;
        }
    }
    gt_buf_free(b);
    return text;
}

void gt_buf_free(gt_buf *b)
{
    if (b->growable) {
        free(b->data);
        b->data = NULL;
        b->cap = 0;
    } else if (b->cap > 0 && b->data != NULL) {
        b->data[0] = '\0';
    }
    b->len = 0;
    b->err = GT_OK;
}
