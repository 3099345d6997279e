/*
 * Domain names in wire and presentation form.
 */
#include "gluetrace/wire/name.h"

#include <string.h>
#include <sys/socket.h>

void gt_name_root(gt_name *out)
{
    out->len = 1;
    out->data[0] = 0;
}

uint8_t gt_ascii_lower(uint8_t c)
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

bool gt_text_unescape(const char **pp, uint8_t *ch)
{
    const char *p = *pp;

    if (*p != '\\') {
        *ch = (uint8_t)*p;
        *pp = p + 1;
        return true;
    }
    p++;
    if (is_digit(p[0])) {
        unsigned v;

        if (!is_digit(p[1]) || !is_digit(p[2])) {
            return false;
        }
        v = (unsigned)(p[0] - '0') * 100u + (unsigned)(p[1] - '0') * 10u + (unsigned)(p[2] - '0');
        if (v > 255u) {
            return false;
        }
        *ch = (uint8_t)v;
        *pp = p + 3;
        return true;
    }
    if (*p == '\0') {
        return false; /* dangling backslash */
    }
    *ch = (uint8_t)*p;
    *pp = p + 1;
    return true;
}

gt_status gt_name_reverse(const gt_addr *a, gt_name *out)
{
    static const char hex[] = "0123456789abcdef";
    char text[80]; /* 32 nibbles and dots plus "ip6.arpa." */
    gt_buf b;
    gt_buf_init_fixed(&b, text, sizeof(text));
    if (a->family == AF_INET) {
        for (int i = 3; i >= 0; i--) {
            gt_buf_printf(&b, "%u.", (unsigned)a->bytes[i]);
        }
        gt_buf_puts(&b, "in-addr.arpa.");
    } else if (a->family == AF_INET6) {
        for (int i = 15; i >= 0; i--) {
            gt_buf_putc(&b, hex[a->bytes[i] & 0x0f]);
            gt_buf_putc(&b, '.');
            gt_buf_putc(&b, hex[a->bytes[i] >> 4]);
            gt_buf_putc(&b, '.');
        }
        gt_buf_puts(&b, "ip6.arpa.");
    } else {
        return GT_EINVAL;
    }
    if (b.err != GT_OK) {
        return GT_EINVAL;
    }
    return gt_name_from_str(out, gt_buf_str(&b));
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

            if (!gt_text_unescape(&p, &ch)) {
                goto done;
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

/** Write one label byte of a name, escaped as gt_name_to_str() documents. */
static void put_name_byte(gt_buf *b, uint8_t c)
{
    if (c < 0x21 || c > 0x7e) {
        gt_buf_printf(b, "\\%03u", (unsigned)c);
        return;
    }
    switch (c) {
    case '.':
    case '\\':
    case '"':
    case '(':
    case ')':
    case ';':
    case '@':
    case '$':
        gt_buf_putc(b, '\\');
        break;
    default:
        break;
    }
    gt_buf_putc(b, (char)c);
}

void gt_name_print(gt_buf *b, const gt_name *n)
{
    size_t i = 0;

    if (n == NULL || n->len == 0) {
        return;
    }
    if (n->data[0] == 0) {
        gt_buf_putc(b, '.');
    }
    while (i < n->len && b->err == GT_OK) {
        uint8_t l = n->data[i++];

        if (l == 0) {
            break;
        }
        if (l > GT_LABEL_MAX || (size_t)l > (size_t)n->len - i) {
            b->err = GT_EMALFORMED; /* not a well-formed name */
            break;
        }
        for (size_t k = 0; k < l; k++) {
            put_name_byte(b, n->data[i + k]);
        }
        gt_buf_putc(b, '.');
        i += l;
    }
}

size_t gt_name_to_str(const gt_name *n, char *buf, size_t size)
{
    gt_buf b;

    if (buf == NULL || size == 0) {
        return 0;
    }
    gt_buf_init_fixed(&b, buf, size);
    gt_name_print(&b, n);
    return gt_buf_finish(&b);
}

const char *gt_name_str(const gt_name *n, char *buf, size_t size)
{
    if (buf == NULL || size == 0) {
        return "";
    }
    if (n == NULL || n->len == 0) {
        gt_buf b;

        gt_buf_init_fixed(&b, buf, size);
        gt_buf_puts(&b, "(unnamed)");
        gt_buf_finish(&b);
        return buf;
    }
    gt_name_to_str(n, buf, size);
    return buf;
}

bool gt_name_eq(const gt_name *a, const gt_name *b)
{
    if (a->len != b->len) {
        return false;
    }
    /* Label length bytes are <= 63 and so never change under ASCII case folding. */
    for (size_t i = 0; i < a->len; i++) {
        if (gt_ascii_lower(a->data[i]) != gt_ascii_lower(b->data[i])) {
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
