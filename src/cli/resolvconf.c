#include "gluetrace/cli/resolvconf.h"

#include "gluetrace/base/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/** Largest resolv.conf read. */
#define GT_RESOLV_CONF_MAX 65536

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

gt_status gt_resolvconf_parse(const char *text, gt_addr *out, size_t cap, size_t *n, char *err,
                              size_t errlen)
{
    const char *p = text;
    *n = 0;
    while (*p != '\0' && *n < cap) {
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
        size_t k = 0;
        while (s < end && !is_space(*s) && *s != '%' && *s != '#' && *s != ';' &&
               k + 1 < sizeof(addr)) {
            addr[k++] = *s++;
        }
        addr[k] = '\0';
        gt_addr a;
        if (gt_addr_parse(addr, &a) != GT_OK) {
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < *n && !dup; i++) {
            dup = gt_addr_eq(&out[i], &a);
        }
        if (!dup) {
            out[(*n)++] = a;
        }
    }
    if (*n > 0) {
        return GT_OK;
    }
    snprintf(err, errlen, "no usable 'nameserver' line");
    return GT_EINVAL;
}

gt_status gt_resolvconf_load(const char *path, gt_addr *out, size_t cap, size_t *n, char *err,
                             size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    *n = 0;
    if (gt_file_read(path, GT_RESOLV_CONF_MAX, &text, &len, NULL, 0, NULL) != GT_OK) {
        snprintf(err, errlen, "cannot read %s", path);
        return GT_EIO;
    }
    gt_status st = gt_resolvconf_parse(text, out, cap, n, err, errlen);
    free(text);
    return st;
}

/*
 * The public resolvers' published anycast service addresses (their own documentation pages:
 * Google Public DNS, Cloudflare 1.1.1.1, Quad9, OpenDNS). Each address is its own cache, so
 * each is its own row of the census.
 */
static const char *const set_google[] = {"8.8.8.8", "8.8.4.4", "2001:4860:4860::8888",
                                         "2001:4860:4860::8844"};
static const char *const set_cloudflare[] = {"1.1.1.1", "1.0.0.1", "2606:4700:4700::1111",
                                             "2606:4700:4700::1001"};
static const char *const set_quad9[] = {"9.9.9.9", "149.112.112.112", "2620:fe::fe", "2620:fe::9"};
static const char *const set_opendns[] = {"208.67.222.222", "208.67.220.220", "2620:119:35::35",
                                          "2620:119:53::53"};

static const struct {
    const char *name;
    const char *const *addrs;
    size_t n;
} sets[] = {
    {"google", set_google, sizeof(set_google) / sizeof(set_google[0])},
    {"cloudflare", set_cloudflare, sizeof(set_cloudflare) / sizeof(set_cloudflare[0])},
    {"quad9", set_quad9, sizeof(set_quad9) / sizeof(set_quad9[0])},
    {"opendns", set_opendns, sizeof(set_opendns) / sizeof(set_opendns[0])},
};

bool gt_resolver_set(const char *name, const char *const **addrs, size_t *n)
{
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        if (strcmp(name, sets[i].name) == 0) {
            *addrs = sets[i].addrs;
            *n = sets[i].n;
            return true;
        }
    }
    return false;
}

/* The next comma-separated item of @p *p into @p item; false at the end or when too long. */
static bool next_item(const char **p, char *item, size_t cap, bool *too_long)
{
    const char *s = *p;
    if (s == NULL) {
        return false;
    }
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    *p = comma ? comma + 1 : NULL;
    *too_long = len >= cap;
    if (*too_long) {
        len = cap - 1;
    }
    memcpy(item, s, len);
    item[len] = '\0';
    return true;
}

static bool item_valid(const char *item)
{
    gt_addr a;
    const char *const *addrs;
    size_t n;
    return strcmp(item, "system") == 0 || gt_resolver_set(item, &addrs, &n) ||
           gt_addr_parse(item, &a) == GT_OK;
}

bool gt_resolver_list_valid(const char *arg)
{
    char item[64];
    bool too_long = false;
    const char *p = arg;
    size_t items = 0;
    while (next_item(&p, item, sizeof(item), &too_long)) {
        if (too_long || !item_valid(item)) {
            return false;
        }
        items++;
    }
    return items > 0;
}

bool gt_resolver_list_addresses(const char *arg)
{
    char item[64];
    bool too_long = false;
    const char *p = arg;
    size_t items = 0;
    gt_addr a;
    while (next_item(&p, item, sizeof(item), &too_long)) {
        if (too_long || gt_addr_parse(item, &a) != GT_OK) {
            return false;
        }
        items++;
    }
    return items > 0;
}

static bool listed(const gt_resolver_spec *list, size_t n, const gt_addr *a)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i].addr.family != 0 && gt_addr_eq(&list[i].addr, a)) {
            return true;
        }
    }
    return false;
}

static gt_status push(gt_resolver_spec *list, size_t *n, const gt_addr *a, const char *set,
                      char *err, size_t errlen)
{
    if (a != NULL && listed(list, *n, a)) {
        return GT_OK;
    }
    if (*n >= GT_MAX_RESOLVERS) {
        snprintf(err, errlen, "--compare-resolver: at most %d resolvers in one run",
                 GT_MAX_RESOLVERS);
        return GT_EINVAL;
    }
    gt_resolver_spec *r = &list[(*n)++];
    memset(r, 0, sizeof(*r));
    if (a != NULL) {
        r->addr = *a;
    }
    snprintf(r->set, sizeof(r->set), "%s", set);
    return GT_OK;
}

gt_status gt_resolver_list_add(gt_resolver_spec *list, size_t *n, const char *arg, char *err,
                               size_t errlen)
{
    char item[64];
    bool too_long = false;
    const char *p = arg;
    while (next_item(&p, item, sizeof(item), &too_long)) {
        const char *const *addrs;
        size_t na;
        gt_addr a;
        gt_status st = GT_OK;
        if (too_long || item[0] == '\0') {
            snprintf(err, errlen,
                     "--compare-resolver: '%s' is not an address, 'system' or a named set "
                     "(google, cloudflare, quad9, opendns)",
                     item);
            return GT_EINVAL;
        }
        if (strcmp(item, "system") == 0) {
            if (!gt_resolver_list_wants_system(list, *n)) {
                st = push(list, n, NULL, "system", err, errlen);
            }
        } else if (gt_resolver_set(item, &addrs, &na)) {
            for (size_t i = 0; i < na && st == GT_OK; i++) {
                if (gt_addr_parse(addrs[i], &a) != GT_OK) {
                    snprintf(err, errlen, "internal: bad address %s in set %s", addrs[i], item);
                    return GT_EINVAL;
                }
                st = push(list, n, &a, item, err, errlen);
            }
        } else if (gt_addr_parse(item, &a) == GT_OK) {
            st = push(list, n, &a, "", err, errlen);
        } else {
            snprintf(err, errlen,
                     "--compare-resolver: '%s' is not an address, 'system' or a named set "
                     "(google, cloudflare, quad9, opendns)",
                     item);
            return GT_EINVAL;
        }
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

bool gt_resolver_list_wants_system(const gt_resolver_spec *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i].addr.family == 0) {
            return true;
        }
    }
    return false;
}

gt_status gt_resolver_list_system(gt_resolver_spec *list, size_t *n, const gt_addr *sys,
                                  size_t nsys, char *err, size_t errlen)
{
    size_t at = 0;
    while (at < *n && list[at].addr.family != 0) {
        at++;
    }
    if (at == *n) {
        return GT_OK;
    }
    gt_resolver_spec tail[GT_MAX_RESOLVERS];
    size_t ntail = *n - at - 1;
    memcpy(tail, &list[at + 1], ntail * sizeof(*tail));
    *n = at;
    for (size_t i = 0; i < nsys; i++) {
        gt_status st = push(list, n, &sys[i], "system", err, errlen);
        if (st != GT_OK) {
            return st;
        }
    }
    for (size_t i = 0; i < ntail; i++) {
        if (listed(list, *n, &tail[i].addr)) {
            continue;
        }
        if (*n >= GT_MAX_RESOLVERS) {
            snprintf(err, errlen, "--compare-resolver: at most %d resolvers in one run",
                     GT_MAX_RESOLVERS);
            return GT_EINVAL;
        }
        list[(*n)++] = tail[i];
    }
    return GT_OK;
}
