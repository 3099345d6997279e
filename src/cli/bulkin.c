/*
 * The input side of -f: the names file as a stream, --shard and --resume.
 */
#define _POSIX_C_SOURCE 200809L
#include "gluetrace/cli/bulkin.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 64-bit FNV-1a (offset basis and prime from the FNV specification). */
#define FNV64_BASIS 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

uint64_t gt_shard_hash(const gt_name *name, unsigned labels)
{
    size_t start = 0;
    unsigned total = gt_name_labels(name);
    if (labels != 0 && labels < total) {
        /* skip the first total - labels labels of the wire form */
        for (unsigned skip = total - labels; skip > 0 && start < name->len; skip--) {
            start += (size_t)name->data[start] + 1;
        }
    }
    uint64_t h = FNV64_BASIS;
    for (size_t i = start; i < name->len; i++) {
        h ^= gt_ascii_lower(name->data[i]);
        h *= FNV64_PRIME;
    }
    return h;
}

bool gt_bulk_in_shard(const gt_config *cfg, const gt_name *name)
{
    return cfg->shard_count == 0 ||
           gt_shard_hash(name, cfg->shard_labels) % cfg->shard_count == cfg->shard_index;
}

/* ---- the set of names done (--resume) ---- */

/** A name and type as 128 bits: FNV-1a and a multiply-rotate hash of the lower-cased wire
 * form and the type (a false match needs both to collide: about 2^-128 per pair). */
typedef struct done_key {
    uint64_t a; /**< FNV-1a 64 (never 0 in the table: 0 marks an empty slot) */
    uint64_t b; /**< the second hash */
} done_key;

static done_key key_of(const gt_name *name, uint16_t qtype)
{
    done_key k = {gt_shard_hash(name, 0), 0x9e3779b97f4a7c15ULL};
    for (size_t i = 0; i < name->len; i++) {
        k.b = (k.b ^ gt_ascii_lower(name->data[i])) * 0xff51afd7ed558ccdULL;
        k.b = (k.b << 29) | (k.b >> 35);
    }
    k.a ^= (uint64_t)qtype * FNV64_PRIME;
    k.b ^= (uint64_t)qtype * 0xc4ceb9fe1a85ec53ULL;
    k.a = k.a == 0 ? 1 : k.a;
    return k;
}

/** Open addressing over done_key (a == 0: empty). */
typedef struct done_set {
    done_key *slot; /**< slots */
    size_t cap;     /**< a power of two, or 0 */
    size_t used;    /**< keys */
} done_set;

static bool set_has(const done_set *s, done_key k)
{
    for (size_t i = s->cap ? (size_t)k.a & (s->cap - 1) : 0; s->cap && s->slot[i].a != 0;
         i = (i + 1) & (s->cap - 1)) {
        if (s->slot[i].a == k.a && s->slot[i].b == k.b) {
            return true;
        }
    }
    return false;
}

static void set_put_slot(done_set *s, done_key k)
{
    size_t i = (size_t)k.a & (s->cap - 1);
    while (s->slot[i].a != 0) {
        if (s->slot[i].a == k.a && s->slot[i].b == k.b) {
            return;
        }
        i = (i + 1) & (s->cap - 1);
    }
    s->slot[i] = k;
    s->used++;
}

static bool set_add(done_set *s, done_key k)
{
    if (2 * (s->used + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        done_set n = {calloc(cap, sizeof(done_key)), cap, 0};
        if (n.slot == NULL) {
            return false;
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slot[i].a != 0) {
                set_put_slot(&n, s->slot[i]);
            }
        }
        free(s->slot);
        *s = n;
    }
    set_put_slot(s, k);
    return true;
}

/* ---- the reader ---- */

struct gt_bulk_reader {
    const gt_config *cfg; /**< names file, default type, shard (borrowed) */
    FILE *f;              /**< the names file (stdin for "-") */
    bool own;             /**< f was opened here (close it) */
    char *line;           /**< getline() buffer */
    size_t cap;           /**< its size */
    size_t lineno;        /**< lines read in this pass */
    done_set done;        /**< names already done (--resume) */
    gt_bulk_counts n;     /**< counts */
    char err[512];        /**< last error of gt_bulk_reader_next() */
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split one line into at most 3 blank-separated tokens, NUL-terminating them in place;
 * a '#' or ';' starts a comment. */
static size_t tokens(char *p, char **tok)
{
    size_t ntok = 0;
    for (char *s = p; *s != '\0' && ntok < 3;) {
        while (*s != '\0' && is_blank(*s)) {
            s++;
        }
        if (*s == '\0' || *s == '#' || *s == ';') {
            break;
        }
        tok[ntok++] = s;
        while (*s != '\0' && !is_blank(*s)) {
            s++;
        }
        if (*s != '\0') {
            *s++ = '\0';
        }
    }
    return ntok;
}

/* The next name line of the file. @return GT_OK with *end at the end; GT_EINVAL with the
 * message in r->err; GT_EIO. */
static gt_status read_name(gt_bulk_reader *r, gt_bulk_name *out, bool *end)
{
    const char *file = r->cfg->names_file;
    *end = false;
    for (;;) {
        errno = 0;
        ssize_t got = getline(&r->line, &r->cap, r->f);
        if (got < 0) {
            if (ferror(r->f)) {
                snprintf(r->err, sizeof(r->err), "cannot read %s: %s", file, strerror(errno));
                return GT_EIO;
            }
            *end = true;
            return GT_OK;
        }
        r->lineno++;
        if ((size_t)got > GT_MAX_NAMES_LINE) {
            snprintf(r->err, sizeof(r->err), "%s line %zu: longer than %d bytes", file, r->lineno,
                     GT_MAX_NAMES_LINE);
            return GT_EINVAL;
        }
        /* A names file is text: a NUL or another control byte (tab and CR aside) is an
         * input error naming the file and line, not a silent end of the line. */
        for (ssize_t i = 0; i < got; i++) {
            unsigned char ch = (unsigned char)r->line[i];
            if (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') {
                snprintf(r->err, sizeof(r->err),
                         "%s line %zu: binary byte 0x%02x (a names file is text)", file, r->lineno,
                         (unsigned)ch);
                return GT_EINVAL;
            }
        }
        char *tok[3] = {NULL, NULL, NULL};
        size_t ntok = tokens(r->line, tok);
        if (ntok == 0) {
            continue;
        }
        if (ntok > 2) {
            snprintf(r->err, sizeof(r->err), "%s line %zu: expected NAME [TYPE]", file, r->lineno);
            return GT_EINVAL;
        }
        out->qtype = r->cfg->qtype;
        if (gt_name_from_str(&out->name, tok[0]) != GT_OK ||
            (ntok == 2 && gt_type_from_str(tok[1], &out->qtype) != GT_OK)) {
            snprintf(r->err, sizeof(r->err), "%s line %zu: invalid %s", file, r->lineno,
                     ntok == 2 ? "name or type" : "name");
            return GT_EINVAL;
        }
        return GT_OK;
    }
}

/* One line of an earlier bulk output: its (name, type) and whether it is finished.
 * @return 1 for a bulk JSON Lines summary line, 0 for a line that is not JSON at all (cut
 *         off), -1 for JSON that is not such a line */
static int parse_line(const char *line, size_t len, gt_bulk_name *key, bool *finished)
{
    json_t *o = json_loadb(line, len, 0, NULL);
    if (o == NULL) {
        return 0;
    }
    int ok = -1;
    const char *type = json_string_value(json_object_get(o, "type"));
    json_t *q = json_object_get(o, "query");
    const char *name = json_string_value(json_object_get(q, "name"));
    const char *qtype = json_string_value(json_object_get(q, "type"));
    if (type != NULL && strcmp(type, "summary") == 0 && name != NULL && qtype != NULL &&
        gt_name_from_str(&key->name, name) == GT_OK &&
        gt_type_from_str(qtype, &key->qtype) == GT_OK) {
        json_t *main = json_array_get(json_object_get(o, "traces"), 0);
        const char *status = json_string_value(json_object_get(main, "status"));
        *finished = status == NULL || strcmp(status, "interrupted") != 0;
        ok = 1;
    }
    json_decref(o);
    return ok;
}

/* Read the --resume file into r->done. */
static gt_status load_done(gt_bulk_reader *r, const char *path, char *err, size_t errlen)
{
    gt_status st = GT_OK;
    char *line = NULL;
    size_t cap = 0, lineno = 0, whole = 0, cut = 0;
    bool cut_json = false; /* the cut lines begin as a JSON object would */
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "--resume: cannot open %s: %s", path, strerror(errno));
        return GT_EIO;
    }
    for (ssize_t got; (got = getline(&line, &cap, f)) > 0;) {
        size_t len = (size_t)got;
        gt_bulk_name key;
        bool finished = false;
        lineno++;
        if (line[len - 1] == '\n') { /* the last line may lack its newline */
            len--;
        }
        if (len == 0) {
            continue;
        }
        int kind = parse_line(line, len, &key, &finished);
        if (kind == 0) {
            r->n.cut++; /* cut off (a killed run; perhaps appended to since): traced again */
            cut_json = cut++ == 0 && line[0] == '{';
            continue;
        }
        whole++;
        if (kind < 0) {
            snprintf(err, errlen, "--resume: %s line %zu is not a line of gluetrace -f -o jsonl",
                     path, lineno);
            st = GT_EINVAL;
            break;
        }
        if (finished) {
            if (!set_add(&r->done, key_of(&key.name, key.qtype))) {
                snprintf(err, errlen, "out of memory");
                st = GT_ENOMEM;
                break;
            }
            r->n.resumed++;
        }
    }
    if (st == GT_OK && ferror(f)) {
        snprintf(err, errlen, "--resume: cannot read %s", path);
        st = GT_EIO;
    }
    /* A killed run leaves at most one cut line after its whole ones: a file with no whole
     * line and more than that (a names file, random bytes) is not an earlier output. */
    if (st == GT_OK && whole == 0 && (cut > 1 || (cut == 1 && !cut_json))) {
        snprintf(err, errlen,
                 "--resume: %s holds no line of gluetrace -f -o jsonl (%zu lines, none a "
                 "JSON summary line)",
                 path, cut);
        st = GT_EINVAL;
    }
    free(line);
    fclose(f);
    return st;
}

/* A regular file is checked whole before the run: a bad line is an error before any query.
 * Ends rewound. */
static gt_status check_file(gt_bulk_reader *r, char *err, size_t errlen)
{
    gt_bulk_name b;
    bool end = false;
    size_t names = 0;
    gt_status st = GT_OK;
    while (st == GT_OK && !end) {
        st = read_name(r, &b, &end);
        names += st == GT_OK && !end;
    }
    if (st != GT_OK) {
        snprintf(err, errlen, "%s", r->err);
        return st;
    }
    if (names == 0) {
        snprintf(err, errlen, "%s: no names", r->cfg->names_file);
        return GT_EINVAL;
    }
    rewind(r->f);
    r->lineno = 0;
    return GT_OK;
}

gt_status gt_bulk_reader_open(const gt_config *cfg, gt_bulk_reader **out, char *err, size_t errlen)
{
    gt_status st = GT_OK;
    struct stat sb;
    *out = NULL;
    gt_bulk_reader *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        snprintf(err, errlen, "out of memory");
        return GT_ENOMEM;
    }
    r->cfg = cfg;
    if (strcmp(cfg->names_file, "-") == 0) {
        r->f = stdin;
    } else if ((r->f = fopen(cfg->names_file, "r")) == NULL) {
        snprintf(err, errlen, "cannot read %s: %s", cfg->names_file, strerror(errno));
        st = GT_EIO;
        goto done;
    } else {
        r->own = true;
    }
    if (fstat(fileno(r->f), &sb) == 0 && S_ISREG(sb.st_mode)) {
        st = check_file(r, err, errlen);
    }
    if (st == GT_OK && cfg->resume != NULL) {
        st = load_done(r, cfg->resume, err, errlen);
    }
done:
    if (st != GT_OK) {
        gt_bulk_reader_close(r);
        return st;
    }
    *out = r;
    return GT_OK;
}

gt_status gt_bulk_reader_next(void *arg, gt_bulk_name *out, bool *end)
{
    gt_bulk_reader *r = arg;
    for (;;) {
        gt_status st = read_name(r, out, end);
        if (st != GT_OK) {
            return st;
        }
        if (*end) {
            if (r->n.names == 0) {
                snprintf(r->err, sizeof(r->err), "%s: no names", r->cfg->names_file);
                return GT_EINVAL;
            }
            return GT_OK;
        }
        r->n.names++;
        if (!gt_bulk_in_shard(r->cfg, &out->name)) {
            r->n.other++;
            continue;
        }
        if (r->done.used > 0 && set_has(&r->done, key_of(&out->name, out->qtype))) {
            r->n.done++;
            continue;
        }
        r->n.given++;
        return GT_OK;
    }
}

const char *gt_bulk_reader_error(const gt_bulk_reader *r)
{
    return r->err;
}

void gt_bulk_reader_counts(const gt_bulk_reader *r, gt_bulk_counts *out)
{
    *out = r->n;
}

void gt_bulk_reader_close(gt_bulk_reader *r)
{
    if (r == NULL) {
        return;
    }
    if (r->own && r->f != NULL) {
        fclose(r->f);
    }
    free(r->line);
    free(r->done.slot);
    free(r);
}
