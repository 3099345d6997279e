#include "gluetrace/cli/resolvconf.h"

#include "gluetrace/base/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Largest resolv.conf read. */
#define GT_RESOLV_CONF_MAX 65536

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

gt_status gt_resolvconf_parse(const char *text, gt_addr *out, char *err, size_t errlen)
{
    const char *p = text;
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *s = p, *end = p + len;
        p = eol ? eol + 1 : p + len;
        while (s < end && is_space(*s)) {
            s++;
        }
        static const char kw[] = "nameserver";
        if ((size_t)(end - s) <= sizeof(kw) - 1 || memcmp(s, kw, sizeof(kw) - 1) != 0 ||
            !is_space(s[sizeof(kw) - 1])) {
            continue;
        }
        s += sizeof(kw) - 1;
        while (s < end && is_space(*s)) {
            s++;
        }
        char addr[64];
        size_t n = 0;
        while (s < end && !is_space(*s) && *s != '%' && *s != '#' && *s != ';' &&
               n + 1 < sizeof(addr)) {
            addr[n++] = *s++;
        }
        addr[n] = '\0';
        if (gt_addr_parse(addr, out) == GT_OK) {
            return GT_OK;
        }
    }
    snprintf(err, errlen, "no usable 'nameserver' line");
    return GT_EINVAL;
}

gt_status gt_resolvconf_load(const char *path, gt_addr *out, char *err, size_t errlen)
{
    char *text = NULL;
    size_t n = 0;
    if (gt_file_read(path, GT_RESOLV_CONF_MAX, &text, &n, NULL, 0, NULL) != GT_OK) {
        snprintf(err, errlen, "cannot read %s", path);
        return GT_EIO;
    }
    gt_status st = gt_resolvconf_parse(text, out, err, errlen);
    free(text);
    return st;
}
