/*
 * The finding-code registry (model/codes.h) and docs/findings.md must say the same thing:
 * every code of the table has exactly one section "### `CODE` (severity)" in findings.md with
 * the table's severity and a non-empty "**Fix:**", every code findings.md documents is in the
 * table, and every row of the table has a non-empty one-line fix. CMake passes the path of
 * findings.md as GT_FINDINGS_MD.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/model/codes.h"
#include "tap.h"

#ifndef GT_FINDINGS_MD
#error "GT_FINDINGS_MD (the path of docs/findings.md) must be defined by the build"
#endif

/** Most code sections findings.md may hold (far above the registry's size). */
#define MAX_SECTIONS 128

/** One "### `CODE` (severity)" section of findings.md. */
typedef struct section {
    char name[64];     /**< the code between the backticks */
    char severity[16]; /**< the word between the parentheses */
    size_t line;       /**< line of the heading (1-based) */
    bool has_fix;      /**< a "**Fix:**" followed by text before the next heading */
} section;

typedef struct doc {
    section s[MAX_SECTIONS];
    size_t n;
    size_t bad;      /**< headings that look like code sections but do not parse */
    size_t bad_line; /**< the first of them */
} doc;

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Copy the run of characters of p accepted by @p ok into out; return the end of the run. */
static const char *take(const char *p, int (*ok)(int), char *out, size_t size)
{
    size_t n = 0;
    while (*p != '\0' && ok((unsigned char)*p)) {
        if (n + 1 < size) {
            out[n++] = *p;
        }
        p++;
    }
    out[n] = '\0';
    return p;
}

static int is_code_char(int c)
{
    return isupper(c) || isdigit(c) || c == '_';
}

static int is_word_char(int c)
{
    return isalpha(c);
}

/*
 * Parse a level-3 heading "### `CODE` (severity)" (blanks around the parts tolerated).
 * @return false when the heading starts like a code section but does not follow the form
 */
static bool parse_heading(const char *h, section *out)
{
    const char *p = skip_blanks(h);
    p = take(p + 1, is_code_char, out->name, sizeof(out->name));
    if (out->name[0] == '\0' || *p != '`') {
        return false;
    }
    p = skip_blanks(p + 1);
    if (*p != '(') {
        return false;
    }
    p = take(skip_blanks(p + 1), is_word_char, out->severity, sizeof(out->severity));
    p = skip_blanks(p);
    if (out->severity[0] == '\0' || *p != ')') {
        return false;
    }
    p = skip_blanks(p + 1);
    return *p == '\0' || *p == '\r';
}

/* "**Fix:**" followed by some text before the section ends (end = next heading). */
static bool fix_in(const char *start, const char *end)
{
    static const char tag[] = "**Fix:**";
    for (const char *p = start; p != NULL && p < end;) {
        p = strstr(p, tag);
        if (p == NULL || p >= end) {
            return false;
        }
        p += strlen(tag);
        while (p < end && isspace((unsigned char)*p)) {
            p++;
        }
        if (p < end) {
            return true;
        }
    }
    return false;
}

/* Every "### `...`" section of the text, with the start of the next heading as its end. */
static void parse_doc(const char *text, doc *d)
{
    const char *sec_start = NULL;
    size_t lineno = 0;
    memset(d, 0, sizeof(*d));
    for (const char *p = text; *p != '\0';) {
        const char *eol = strchr(p, '\n');
        const char *next = eol ? eol + 1 : p + strlen(p);
        lineno++;
        if (p[0] == '#') { /* any heading ends the section before it */
            if (sec_start != NULL) {
                d->s[d->n - 1].has_fix = fix_in(sec_start, p);
                sec_start = NULL;
            }
            if (strncmp(p, "### ", 4) == 0 && *skip_blanks(p + 4) == '`') {
                char line[256];
                size_t len = (size_t)(next - p);
                len = len < sizeof(line) ? len : sizeof(line) - 1;
                memcpy(line, p + 4, len - 4);
                line[len - 4] = '\0';
                line[strcspn(line, "\n")] = '\0';
                section s;
                memset(&s, 0, sizeof(s));
                s.line = lineno;
                if (!parse_heading(line, &s)) {
                    d->bad_line = d->bad++ ? d->bad_line : lineno;
                } else if (d->n < MAX_SECTIONS) {
                    d->s[d->n++] = s;
                    sec_start = next;
                }
            }
        }
        p = next;
    }
    if (sec_start != NULL) {
        d->s[d->n - 1].has_fix = fix_in(sec_start, sec_start + strlen(sec_start));
    }
}

/* The registry on its own: names unique and found again by name, a fix per code. */
static void test_table(void)
{
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        const char *name = gt_code_name((gt_code)c);
        const char *fix = gt_code_fix((gt_code)c);
        gt_code back = GT_F_COUNT;
        GT_CHECK(gt_code_from_name(name, &back) == GT_OK);
        GT_CHECK_INT(back, c);
        GT_CHECK(strcmp(name, "UNKNOWN") != 0);
        if (fix[0] == '\0' || strchr(fix, '\n') != NULL) {
            fprintf(stderr, "%s: the fix must be one non-empty line\n", name);
            GT_CHECK(false);
        }
        gt_severity s = gt_code_severity((gt_code)c);
        GT_CHECK(s == GT_SEV_INFO || s == GT_SEV_WARNING || s == GT_SEV_ERROR);
    }
    gt_code c = GT_F_COUNT;
    GT_CHECK(gt_code_from_name("lame_server", &c) == GT_OK);
    GT_CHECK_INT(c, GT_F_LAME_SERVER);
    c = GT_F_COUNT;
    GT_CHECK(gt_code_from_name("LAME", &c) == GT_EINVAL);
    GT_CHECK(gt_code_from_name("", &c) == GT_EINVAL);
    GT_CHECK(gt_code_from_name(NULL, &c) == GT_EINVAL);
    GT_CHECK_INT(c, GT_F_COUNT); /* untouched when not found */
    GT_CHECK_STR(gt_code_name(GT_F_COUNT), "UNKNOWN");
    GT_CHECK_STR(gt_code_fix(GT_F_COUNT), "");
    GT_CHECK_STR(gt_code_name(GT_F_LIMIT_REACHED), "LIMIT_REACHED");
    GT_CHECK_INT(gt_code_severity(GT_F_LIMIT_REACHED), GT_SEV_WARNING);
    GT_CHECK_STR(gt_severity_str(GT_SEV_INFO), "info");
    GT_CHECK_STR(gt_severity_str(GT_SEV_WARNING), "warning");
    GT_CHECK_STR(gt_severity_str(GT_SEV_ERROR), "error");
}

/* The subject table of findings.md ("| `CODE` | subject |") lists every code once, with the
 * registry's subject. */
static void test_subjects(const char *text)
{
    size_t rows = 0;
    for (const char *p = strstr(text, "\n| `"); p != NULL; p = strstr(p + 1, "\n| `")) {
        char name[64] = "", subj[16] = "";
        const char *q = p + 4, *e = strchr(q, '`');
        if (e == NULL || (size_t)(e - q) >= sizeof(name)) {
            continue;
        }
        memcpy(name, q, (size_t)(e - q));
        q = e + 1;
        while (*q == ' ' || *q == '|') {
            q++;
        }
        size_t n = 0;
        while (q[n] >= 'a' && q[n] <= 'z' && n + 1 < sizeof(subj)) {
            n++;
        }
        memcpy(subj, q, n);
        gt_code c = GT_F_COUNT;
        if (gt_code_from_name(name, &c) != GT_OK || n == 0) {
            continue; /* another table's row */
        }
        rows++;
        if (strcmp(subj, gt_subject_str(gt_code_subject(c))) != 0) {
            fprintf(stderr, "findings.md: %s is about '%s', the registry says '%s'\n", name, subj,
                    gt_subject_str(gt_code_subject(c)));
            GT_CHECK(false);
        }
    }
    GT_CHECK_INT(rows, GT_F_COUNT);
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        GT_CHECK(gt_code_subject((gt_code)c) != GT_SUBJ_NONE);
    }
    GT_CHECK_STR(gt_subject_str(gt_code_subject(GT_F_NS_IS_CNAME)), "zone");
    GT_CHECK_STR(gt_subject_str(gt_code_subject(GT_F_LAME_SERVER)), "server");
    GT_CHECK_INT(gt_code_subject(GT_F_COUNT), GT_SUBJ_NONE);
}

/* The table and findings.md, both ways. */
static void test_docs_agree(void)
{
    char *text = read_all(GT_FINDINGS_MD);
    if (text == NULL) {
        fprintf(stderr, "cannot read %s\n", GT_FINDINGS_MD);
        GT_CHECK(text != NULL);
        return;
    }
    doc *d = calloc(1, sizeof(*d));
    GT_CHECK(d != NULL);
    if (d == NULL) {
        free(text);
        return;
    }
    parse_doc(text, d);
    test_subjects(text);
    if (d->bad > 0) {
        fprintf(stderr, "findings.md:%zu: heading not of the form ### `CODE` (severity)\n",
                d->bad_line);
    }
    GT_CHECK_INT(d->bad, 0);
    GT_CHECK(d->n > 0);
    /* documented -> in the table, same severity, a fix in the docs, documented once */
    for (size_t i = 0; i < d->n; i++) {
        const section *s = &d->s[i];
        gt_code c;
        if (gt_code_from_name(s->name, &c) != GT_OK || strcmp(gt_code_name(c), s->name) != 0) {
            fprintf(stderr, "findings.md:%zu: %s is documented but not in the registry\n", s->line,
                    s->name);
            GT_CHECK(false);
            continue;
        }
        const char *want = gt_severity_str(gt_code_severity(c));
        if (strcmp(s->severity, want) != 0) {
            fprintf(stderr, "findings.md:%zu: %s documented as %s, the registry says %s\n", s->line,
                    s->name, s->severity, want);
            GT_CHECK(false);
        }
        if (!s->has_fix) {
            fprintf(stderr, "findings.md:%zu: %s has no **Fix:** text\n", s->line, s->name);
            GT_CHECK(false);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(d->s[j].name, s->name) == 0) {
                fprintf(stderr, "findings.md:%zu: %s documented again (first at line %zu)\n",
                        s->line, s->name, d->s[j].line);
                GT_CHECK(false);
            }
        }
    }
    /* in the table -> documented */
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        const char *name = gt_code_name((gt_code)c);
        bool found = false;
        for (size_t i = 0; i < d->n && !found; i++) {
            found = strcmp(d->s[i].name, name) == 0;
        }
        if (!found) {
            fprintf(stderr, "%s is in the registry but has no section in findings.md\n", name);
        }
        GT_CHECK(found);
    }
    free(d);
    free(text);
}

/* The parser itself, on small texts: what it must accept and what it must reject. */
static void test_parser(void)
{
    doc *d = calloc(1, sizeof(*d));
    GT_CHECK(d != NULL);
    if (d == NULL) {
        return;
    }
    parse_doc("# T\n### `A_B` (error)\n**What:** x.\n**Fix:** y.\n\n###   `C2`  ( info )  \r\n"
              "**Why:** z. **Fix:**\n\n## Next\n**Fix:** not C2's\n### Other heading\n",
              d);
    GT_CHECK_INT(d->n, 2);
    GT_CHECK_INT(d->bad, 0);
    GT_CHECK_STR(d->s[0].name, "A_B");
    GT_CHECK_STR(d->s[0].severity, "error");
    GT_CHECK(d->s[0].has_fix);
    GT_CHECK_STR(d->s[1].name, "C2");
    GT_CHECK_STR(d->s[1].severity, "info");
    GT_CHECK(!d->s[1].has_fix); /* an empty Fix; the next section's does not count */
    GT_CHECK_INT(d->s[1].line, 6);
    parse_doc("### `X` error\n### `Y (warning)\n### `Z` (warning) extra\n", d);
    GT_CHECK_INT(d->n, 0);
    GT_CHECK_INT(d->bad, 3);
    GT_CHECK_INT(d->bad_line, 1);
    free(d);
}

int main(void)
{
    test_table();
    test_parser();
    test_docs_agree();
    return gt_test_done();
}
