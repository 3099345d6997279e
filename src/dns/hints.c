/*
 * Root hints: the built-in IANA list and a parser for the named.root zone-file layout.
 */
#include "gluetrace/dns/hints.h"

#include "gluetrace/base/array.h"
#include "gluetrace/base/file.h"
#include "gluetrace/base/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/** Longest line accepted in a hints file (named.root lines are under 80 characters). */
#define GT_HINTS_LINE_MAX 1024
/** Most whitespace-separated fields on one line: owner, TTL, class, type, RDATA. */
#define GT_HINTS_MAX_FIELDS 5
/** Largest hints file gt_hints_load() reads. */
#define GT_HINTS_FILE_MAX (1024 * 1024)
/** Longest piece of user text quoted back in an error message. */
#define GT_HINTS_SHOW_MAX 48

/** One root server of the built-in hints. */
typedef struct builtin_root {
    const char *name; /**< server name */
    const char *v4;   /**< its IPv4 address */
    const char *v6;   /**< its IPv6 address */
} builtin_root;

/* The IANA root hints (named.root), including b.root's 2023 renumbering. */
static const builtin_root builtin_roots[] = {
    {"A.ROOT-SERVERS.NET.", "198.41.0.4", "2001:503:ba3e::2:30"},
    {"B.ROOT-SERVERS.NET.", "170.247.170.2", "2801:1b8:10::b"},
    {"C.ROOT-SERVERS.NET.", "192.33.4.12", "2001:500:2::c"},
    {"D.ROOT-SERVERS.NET.", "199.7.91.13", "2001:500:2d::d"},
    {"E.ROOT-SERVERS.NET.", "192.203.230.10", "2001:500:a8::e"},
    {"F.ROOT-SERVERS.NET.", "192.5.5.241", "2001:500:2f::f"},
    {"G.ROOT-SERVERS.NET.", "192.112.36.4", "2001:500:12::d0d"},
    {"H.ROOT-SERVERS.NET.", "198.97.190.53", "2001:500:1::53"},
    {"I.ROOT-SERVERS.NET.", "192.36.148.17", "2001:7fe::53"},
    {"J.ROOT-SERVERS.NET.", "192.58.128.30", "2001:503:c27::2:30"},
    {"K.ROOT-SERVERS.NET.", "193.0.14.129", "2001:7fd::1"},
    {"L.ROOT-SERVERS.NET.", "199.7.83.42", "2001:500:9f::42"},
    {"M.ROOT-SERVERS.NET.", "202.12.27.33", "2001:dc3::35"},
};

void gt_hints_builtin(gt_hints *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < sizeof(builtin_roots) / sizeof(builtin_roots[0]); i++) {
        gt_hint_server *s = &out->servers[out->nservers];

        /* The table is constant and valid; a failure here would be a typo caught by tests. */
        if (gt_name_from_str(&s->name, builtin_roots[i].name) != GT_OK) {
            continue;
        }
        if (gt_addr_parse(builtin_roots[i].v4, &s->addrs[s->naddrs]) == GT_OK) {
            s->naddrs++;
        }
        if (gt_addr_parse(builtin_roots[i].v6, &s->addrs[s->naddrs]) == GT_OK) {
            s->naddrs++;
        }
        out->nservers++;
    }
}

static void set_err(char *err, size_t errlen, size_t line, const char *fmt, ...) GT_PRINTF(4, 5);
static void set_err(char *err, size_t errlen, size_t line, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err == NULL || errlen == 0) {
        return;
    }
    n = snprintf(err, errlen, "line %zu: ", line);
    if (n < 0 || (size_t)n >= errlen) {
        return;
    }
    va_start(ap, fmt);
    if (vsnprintf(err + n, errlen - (size_t)n, fmt, ap) < 0) {
        err[n] = '\0';
    }
    va_end(ap);
}

/** Copy user text for an error message: non-printable bytes as '?', long text shortened. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t n = 0;

    while (*s != '\0' && n + 4 < size) {
        unsigned char c = (unsigned char)*s++;

        buf[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (*s != '\0') {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = (*a >= 'a' && *a <= 'z') ? (char)(*a - 'a' + 'A') : *a;
        char y = (*b >= 'a' && *b <= 'z') ? (char)(*b - 'a' + 'A') : *b;

        if (x != y) {
            return false;
        }
    }
    return *a == *b;
}

static bool all_digits(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

/** A TTL field: decimal seconds that fit in 32 bits. */
static bool valid_ttl(const char *s)
{
    unsigned long long v;

    return gt_parse_uint(s, UINT32_MAX, &v) == GT_OK;
}

/** One record line of a hints file, as understood. */
typedef struct hint_record {
    gt_name owner;  /**< owner name */
    uint16_t type;  /**< GT_TYPE_NS, GT_TYPE_A or GT_TYPE_AAAA */
    gt_name target; /**< NS: the server name */
    gt_addr addr;   /**< A/AAAA: the address */
} hint_record;

/** State shared by the lines of one parse run. */
typedef struct hint_parser {
    gt_hints *out;                       /**< result being built */
    size_t ns_line[GT_MAX_HINT_SERVERS]; /**< line of each server's first NS record */
    gt_name prev_owner;                  /**< owner of the previous record (for blank owners) */
    bool have_prev;                      /**< prev_owner is set */
    char *err;                           /**< error message destination */
    size_t errlen;                       /**< its size */
} hint_parser;

/**
 * Parse one line (comment already removed) into @p rec.
 * @return GT_OK with @p *is_record telling whether the line held a record, or GT_EINVAL
 */
/* Cut @p line into blank-separated fields. @return GT_OK, or GT_EINVAL for too many. */
static gt_status split_fields(hint_parser *hp, size_t lineno, char *line, char **fields, size_t *nf)
{
    char show[GT_HINTS_SHOW_MAX];
    char *p = line;

    *nf = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            return GT_OK;
        }
        if (*nf == GT_HINTS_MAX_FIELDS) {
            set_err(hp->err, hp->errlen, lineno, "too many fields at '%s'",
                    shown(p, show, sizeof(show)));
            return GT_EINVAL;
        }
        fields[(*nf)++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r') {
            p++;
        }
    }
}

/*
 * The owner name: RFC 1035 5.1, a line starting with blank space reuses the previous owner.
 * @p i is set to the first field after the owner.
 */
static gt_status read_owner(hint_parser *hp, size_t lineno, bool owner_blank, char **fields,
                            hint_record *rec, size_t *i)
{
    char show[GT_HINTS_SHOW_MAX];

    *i = 0;
    if (owner_blank) {
        if (!hp->have_prev) {
            set_err(hp->err, hp->errlen, lineno, "record without an owner name");
            return GT_EINVAL;
        }
        rec->owner = hp->prev_owner;
        return GT_OK;
    }
    if (strcmp(fields[0], "@") == 0) {
        gt_name_root(&rec->owner);
    } else if (gt_name_from_str(&rec->owner, fields[0]) != GT_OK) {
        set_err(hp->err, hp->errlen, lineno, "bad owner name '%s'",
                shown(fields[0], show, sizeof(show)));
        return GT_EINVAL;
    }
    *i = 1;
    return GT_OK;
}

/* TTL and class are optional and may come in either order; @p i moves past them. */
static gt_status skip_ttl_class(hint_parser *hp, size_t lineno, char **fields, size_t nf, size_t *i)
{
    char show[GT_HINTS_SHOW_MAX];
    bool have_ttl = false, have_class = false;

    for (; *i < nf; (*i)++) {
        const char *f = fields[*i];
        if (!have_ttl && all_digits(f)) {
            if (!valid_ttl(f)) {
                set_err(hp->err, hp->errlen, lineno, "bad TTL '%s'", shown(f, show, sizeof(show)));
                return GT_EINVAL;
            }
            have_ttl = true;
        } else if (!have_class && eq_nocase(f, "IN")) {
            have_class = true;
        } else if (!have_class &&
                   (eq_nocase(f, "CH") || eq_nocase(f, "HS") || eq_nocase(f, "CS"))) {
            set_err(hp->err, hp->errlen, lineno, "unsupported class '%s' (only IN)",
                    shown(f, show, sizeof(show)));
            return GT_EINVAL;
        } else {
            return GT_OK;
        }
    }
    return GT_OK;
}

/* The record type (NS, A or AAAA only) at fields[i] and exactly one RDATA field after it. */
static gt_status read_type(hint_parser *hp, size_t lineno, char **fields, size_t nf, size_t i,
                           hint_record *rec)
{
    char show[GT_HINTS_SHOW_MAX];

    if (i >= nf) {
        set_err(hp->err, hp->errlen, lineno, "missing record type");
        return GT_EINVAL;
    }
    if (gt_type_from_str(fields[i], &rec->type) != GT_OK) {
        set_err(hp->err, hp->errlen, lineno, "unknown record type '%s'",
                shown(fields[i], show, sizeof(show)));
        return GT_EINVAL;
    }
    if (rec->type != GT_TYPE_NS && rec->type != GT_TYPE_A && rec->type != GT_TYPE_AAAA) {
        set_err(hp->err, hp->errlen, lineno, "unsupported record type '%s' (only NS, A, AAAA)",
                shown(fields[i], show, sizeof(show)));
        return GT_EINVAL;
    }
    if (i + 1 >= nf) {
        set_err(hp->err, hp->errlen, lineno, "missing RDATA after '%s'",
                shown(fields[i], show, sizeof(show)));
        return GT_EINVAL;
    }
    if (i + 2 < nf) {
        set_err(hp->err, hp->errlen, lineno, "unexpected '%s' after RDATA",
                shown(fields[i + 2], show, sizeof(show)));
        return GT_EINVAL;
    }
    return GT_OK;
}

/* The RDATA: an NS name (owner must be the root) or an address of the record's family. */
static gt_status read_rdata(hint_parser *hp, size_t lineno, const char *field, hint_record *rec)
{
    char show[GT_HINTS_SHOW_MAX];

    if (rec->type == GT_TYPE_NS) {
        gt_name root;
        char owner[GT_NAME_STRLEN];

        gt_name_root(&root);
        if (!gt_name_eq(&rec->owner, &root)) {
            gt_name_to_str(&rec->owner, owner, sizeof(owner));
            set_err(hp->err, hp->errlen, lineno, "NS owner must be '.', not '%s'",
                    shown(owner, show, sizeof(show)));
            return GT_EINVAL;
        }
        if (gt_name_from_str(&rec->target, field) != GT_OK) {
            set_err(hp->err, hp->errlen, lineno, "bad NS name '%s'",
                    shown(field, show, sizeof(show)));
            return GT_EINVAL;
        }
        return GT_OK;
    }
    int family = rec->type == GT_TYPE_A ? AF_INET : AF_INET6;
    if (gt_addr_parse(field, &rec->addr) != GT_OK || rec->addr.family != family) {
        set_err(hp->err, hp->errlen, lineno, "bad %s address '%s'",
                family == AF_INET ? "IPv4" : "IPv6", shown(field, show, sizeof(show)));
        return GT_EINVAL;
    }
    return GT_OK;
}

static gt_status parse_line(hint_parser *hp, size_t lineno, char *line, hint_record *rec,
                            bool *is_record)
{
    char *fields[GT_HINTS_MAX_FIELDS];
    size_t nf = 0, i = 0;
    bool owner_blank = line[0] == ' ' || line[0] == '\t';
    char show[GT_HINTS_SHOW_MAX];
    gt_status st;

    *is_record = false;
    memset(rec, 0, sizeof(*rec)); /* names are copied whole: no stale bytes past their length */
    if ((st = split_fields(hp, lineno, line, fields, &nf)) != GT_OK || nf == 0) {
        return st;
    }
    if (!owner_blank && fields[0][0] == '$') {
        if (eq_nocase(fields[0], "$TTL") && nf == 2 && valid_ttl(fields[1])) {
            return GT_OK; /* the TTL of hints does not matter to a trace */
        }
        set_err(hp->err, hp->errlen, lineno, "unsupported or malformed directive '%s'",
                shown(fields[0], show, sizeof(show)));
        return GT_EINVAL;
    }
    if ((st = read_owner(hp, lineno, owner_blank, fields, rec, &i)) != GT_OK ||
        (st = skip_ttl_class(hp, lineno, fields, nf, &i)) != GT_OK ||
        (st = read_type(hp, lineno, fields, nf, i, rec)) != GT_OK ||
        (st = read_rdata(hp, lineno, fields[i + 1], rec)) != GT_OK) {
        return st;
    }
    hp->prev_owner = rec->owner;
    hp->have_prev = true;
    *is_record = true;
    return GT_OK;
}

/** @return the index of the server called @p name, or -1. */
static long find_server(const gt_hints *h, const gt_name *name)
{
    for (size_t i = 0; i < h->nservers; i++) {
        if (gt_name_eq(&h->servers[i].name, name)) {
            return (long)i;
        }
    }
    return -1;
}

/** Pass 1 collects NS records (and checks all syntax); pass 2 attaches the addresses. */
static gt_status apply_record(hint_parser *hp, int pass, size_t lineno, const hint_record *rec)
{
    gt_hints *h = hp->out;
    char name[GT_NAME_STRLEN];
    char show[GT_HINTS_SHOW_MAX];
    long idx;
    gt_hint_server *s;

    if (pass == 1) {
        if (rec->type != GT_TYPE_NS || find_server(h, &rec->target) >= 0) {
            return GT_OK;
        }
        if (h->nservers == GT_MAX_HINT_SERVERS) {
            set_err(hp->err, hp->errlen, lineno, "more than %d root server names",
                    GT_MAX_HINT_SERVERS);
            return GT_ELIMIT;
        }
        hp->ns_line[h->nservers] = lineno;
        h->servers[h->nservers].name = rec->target;
        h->servers[h->nservers].naddrs = 0;
        h->nservers++;
        return GT_OK;
    }
    if (rec->type == GT_TYPE_NS) {
        return GT_OK;
    }
    idx = find_server(h, &rec->owner);
    if (idx < 0) {
        gt_name_to_str(&rec->owner, name, sizeof(name));
        set_err(hp->err, hp->errlen, lineno, "address for '%s', which is not a root NS name",
                shown(name, show, sizeof(show)));
        return GT_EINVAL;
    }
    s = &h->servers[idx];
    for (size_t k = 0; k < s->naddrs; k++) {
        if (gt_addr_eq(&s->addrs[k], &rec->addr)) {
            return GT_OK; /* repeated address */
        }
    }
    if (s->naddrs == GT_MAX_HINT_ADDRS) {
        gt_name_to_str(&rec->owner, name, sizeof(name));
        set_err(hp->err, hp->errlen, lineno, "more than %d addresses for '%s'", GT_MAX_HINT_ADDRS,
                shown(name, show, sizeof(show)));
        return GT_ELIMIT;
    }
    s->addrs[s->naddrs++] = rec->addr;
    return GT_OK;
}

/** Run one pass over all lines. @p nlines is set to the number of lines seen. */
static gt_status parse_pass(hint_parser *hp, int pass, const char *text, size_t *nlines)
{
    char line[GT_HINTS_LINE_MAX];
    const char *p = text;
    size_t lineno = 0;
    gt_status st = GT_OK;

    hp->have_prev = false;
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        char *semi;
        hint_record rec;
        bool is_record;

        lineno++;
        if (n >= sizeof(line)) {
            set_err(hp->err, hp->errlen, lineno, "line longer than %d characters",
                    GT_HINTS_LINE_MAX - 1);
            return GT_EINVAL;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        p = eol != NULL ? eol + 1 : p + n;
        semi = strchr(line, ';');
        if (semi != NULL) {
            *semi = '\0';
        }
        st = parse_line(hp, lineno, line, &rec, &is_record);
        if (st == GT_OK && is_record) {
            st = apply_record(hp, pass, lineno, &rec);
        }
        if (st != GT_OK) {
            return st;
        }
    }
    *nlines = lineno;
    return GT_OK;
}

gt_status gt_hints_parse(const char *text, gt_hints *out, char *err, size_t errlen)
{
    gt_status st = GT_EINVAL;
    hint_parser hp;
    size_t nlines = 0;

    memset(out, 0, sizeof(*out));
    memset(&hp, 0, sizeof(hp));
    hp.out = out;
    hp.err = err;
    hp.errlen = errlen;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (text == NULL) {
        set_err(err, errlen, 0, "no hints text");
        goto done;
    }
    st = parse_pass(&hp, 1, text, &nlines);
    if (st != GT_OK) {
        goto done;
    }
    if (out->nservers == 0) {
        set_err(err, errlen, nlines > 0 ? nlines : 1, "end of input without any root NS record");
        st = GT_EINVAL;
        goto done;
    }
    st = parse_pass(&hp, 2, text, &nlines);
    if (st != GT_OK) {
        goto done;
    }
    for (size_t i = 0; i < out->nservers; i++) {
        if (out->servers[i].naddrs == 0) {
            char name[GT_NAME_STRLEN];
            char show[GT_HINTS_SHOW_MAX];

            gt_name_to_str(&out->servers[i].name, name, sizeof(name));
            set_err(err, errlen, hp.ns_line[i], "NS '%s' has no A or AAAA record",
                    shown(name, show, sizeof(show)));
            st = GT_EINVAL;
            goto done;
        }
    }
    st = GT_OK;
done:
    if (st != GT_OK) {
        memset(out, 0, sizeof(*out));
    }
    return st;
}

gt_status gt_hints_load(const char *path, gt_hints *out, char *err, size_t errlen)
{
    gt_status st;
    char *buf = NULL;
    size_t n = 0;
    char show[GT_HINTS_SHOW_MAX];

    memset(out, 0, sizeof(*out));
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (path == NULL) {
        return GT_EINVAL;
    }
    st = gt_file_read(path, GT_HINTS_FILE_MAX, &buf, &n, err, errlen,
                      shown(path, show, sizeof(show)));
    if (st != GT_OK) {
        goto done;
    }
    if (memchr(buf, '\0', n) != NULL) {
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "'%s' contains a NUL byte", shown(path, show, sizeof(show)));
        }
        st = GT_EINVAL;
        goto done;
    }
    st = gt_hints_parse(buf, out, err, errlen);
done:
    free(buf);
    return st;
}
