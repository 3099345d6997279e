/* --explain CODE and --explain list: the finding-code documentation (the Markdown section of
 * docs/findings.md embedded in the binary) written as plain, wrapped text for a terminal. */
#include "gluetrace/output/explain.h"

#include "gluetrace/base/buf.h"

#include <string.h>

/* SGR parameters (as the text output's). */
#define SGR_BOLD "1"
#define SGR_RED "1;31"
#define SGR_YELLOW "33"
#define SGR_CYAN "36"

/** Columns a paragraph is indented by under its label. */
#define EXPLAIN_INDENT 2
/** Narrowest text column worth wrapping to; a narrower width prints unwrapped. */
#define EXPLAIN_MIN_TEXT 20
/** Longest summary kept for --explain list. */
#define EXPLAIN_SUMMARY_MAX 512

static void sgr_on(FILE *out, bool color, const char *sgr)
{
    if (color) {
        fprintf(out, "\033[%sm", sgr);
    }
}

static void sgr_off(FILE *out, bool color)
{
    if (color) {
        fputs("\033[0m", out);
    }
}

static const char *severity_sgr(gt_severity s)
{
    return s == GT_SEV_ERROR ? SGR_RED : s == GT_SEV_WARNING ? SGR_YELLOW : SGR_CYAN;
}

/* Append @p n bytes of Markdown text without its marks (backquotes, "**"), a line break as a
 * space, runs of spaces as one. */
static void append_plain(gt_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '`') {
            continue;
        }
        if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            i++;
            continue;
        }
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
        if (c == ' ' && (b->len == 0 || b->data[b->len - 1] == ' ')) {
            continue;
        }
        gt_buf_putc(b, c);
    }
}

/* Write @p text word by word, each line indented by @p indent, wrapped to @p width. */
static void print_wrapped(FILE *out, const char *text, size_t indent, size_t width)
{
    bool wrap = width >= indent + EXPLAIN_MIN_TEXT;
    size_t col = 0;
    const char *p = text;
    while (*p != '\0') {
        while (*p == ' ') {
            p++;
        }
        size_t w = strcspn(p, " ");
        if (w == 0) {
            break;
        }
        if (col == 0) {
            fprintf(out, "%*s", (int)indent, "");
            col = indent;
        } else if (wrap && col + 1 + w > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += w;
        p += w;
    }
    if (col > 0) {
        fputc('\n', out);
    }
}

/* Print the paragraph gathered so far (label and text) and empty it. */
static void flush_para(FILE *out, gt_buf *label, gt_buf *text, size_t width, bool color)
{
    while (text->len > 0 && text->data[text->len - 1] == ' ') {
        text->data[--text->len] = '\0';
    }
    if (text->len == 0 && label->len == 0) {
        return;
    }
    if (label->len > 0) {
        sgr_on(out, color, SGR_BOLD);
        fputs(gt_buf_str(label), out);
        sgr_off(out, color);
        fputc('\n', out);
    }
    print_wrapped(out, gt_buf_str(text), label->len > 0 ? EXPLAIN_INDENT : 0, width);
    gt_buf_free(label);
    gt_buf_free(text);
}

/* The heading "### `CODE` (severity)": the code bold, the severity in its colour. */
static void print_heading(FILE *out, const char *line, size_t n, bool color)
{
    gt_buf h;
    gt_buf_init_grow(&h);
    while (n > 0 && (*line == '#' || *line == ' ')) {
        line++;
        n--;
    }
    append_plain(&h, line, n);
    const char *s = gt_buf_str(&h);
    const char *paren = strchr(s, '(');
    size_t name_len = paren ? (size_t)(paren - s) : strlen(s);
    while (name_len > 0 && s[name_len - 1] == ' ') {
        name_len--;
    }
    sgr_on(out, color, SGR_BOLD);
    fwrite(s, 1, name_len, out);
    sgr_off(out, color);
    if (paren != NULL) {
        const char *sev = paren + 1;
        size_t sev_len = strcspn(sev, ")");
        gt_severity sv = strncmp(sev, "error", sev_len) == 0     ? GT_SEV_ERROR
                         : strncmp(sev, "warning", sev_len) == 0 ? GT_SEV_WARNING
                                                                 : GT_SEV_INFO;
        fputs(" (", out);
        sgr_on(out, color, severity_sgr(sv));
        fwrite(sev, 1, sev_len, out);
        sgr_off(out, color);
        fputc(')', out);
    }
    fputs("\n\n", out);
    gt_buf_free(&h);
}

/** The paragraph labels of findings.md; some sections write them inside a paragraph. */
static const char *const labels[] = {"What:", "Why it matters:", "Why:", "Fix:"};

/* The length of the label at @p p ("Fix: " or "**Fix:** "), 0 when there is none. */
static size_t label_at(const char *p, const char *end, const char **word, size_t *word_len)
{
    size_t stars = (size_t)(end - p) >= 2 && p[0] == '*' && p[1] == '*' ? 2 : 0;
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        size_t n = strlen(labels[i]);
        if ((size_t)(end - p) < stars * 2 + n + 1 || memcmp(p + stars, labels[i], n) != 0) {
            continue;
        }
        if (stars > 0 && memcmp(p + stars + n, "**", 2) != 0) {
            continue;
        }
        if (p[stars * 2 + n] != ' ') {
            continue;
        }
        *word = labels[i];
        *word_len = n - 1;
        return stars * 2 + n + 1;
    }
    return 0;
}

/*
 * Rewrite @p md so that every label begins a line as "**Label:** ": the sections that write
 * "... loop. Fix: as for ..." inside a paragraph get the same paragraphs as the others, and
 * an unlabelled first paragraph is the "What".
 */
static void normalise(gt_buf *b, const char *md, size_t len)
{
    const char *end = md + len;
    bool first = false; /* at the first line after the heading */
    for (const char *p = md; p < end; p++) {
        bool line_start = p == md || p[-1] == '\n';
        bool at_start = line_start || (p - md >= 2 && p[-1] == ' ' && p[-2] == '.');
        const char *word = NULL;
        size_t word_len = 0, n = at_start ? label_at(p, end, &word, &word_len) : 0;
        if (line_start && first && *p != '\n') {
            first = false;
            if (n == 0) {
                gt_buf_puts(b, "**What:** ");
            }
        }
        if (line_start && *p == '#') {
            first = true;
        }
        if (n == 0) {
            gt_buf_putc(b, *p);
            continue;
        }
        if (p > md && p[-1] == ' ') {
            b->len--; /* the space after the sentence before the label */
            gt_buf_putc(b, '\n');
        }
        gt_buf_printf(b, "**%.*s:** ", (int)word_len, word);
        p += n - 1;
    }
}

void gt_explain_render(FILE *out, const char *raw, size_t raw_len, size_t width, bool color)
{
    gt_buf label, text, norm;
    gt_buf_init_grow(&label);
    gt_buf_init_grow(&text);
    gt_buf_init_grow(&norm);
    normalise(&norm, raw, raw_len);
    const char *md = gt_buf_str(&norm);
    size_t len = norm.err == GT_OK ? norm.len : 0;
    const char *p = md, *end = md + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 0 && p[0] == '#') {
            flush_para(out, &label, &text, width, color);
            print_heading(out, p, n, color);
        } else if (n == 0) {
            flush_para(out, &label, &text, width, color);
        } else {
            const char *close = NULL;
            if (n > 4 && p[0] == '*' && p[1] == '*') {
                const char *c = strstr(p + 2, ":**");
                close = c != NULL && c < p + n ? c : NULL;
            }
            if (close != NULL) { /* "**Label:** text": a new labelled paragraph */
                flush_para(out, &label, &text, width, color);
                append_plain(&label, p + 2, (size_t)(close - (p + 2)));
                append_plain(&text, close + 3, n - (size_t)(close + 3 - p));
            } else {
                append_plain(&text, p, n);
            }
            gt_buf_putc(&text, ' ');
        }
        p += n + (nl ? 1 : 0);
    }
    flush_para(out, &label, &text, width, color);
    gt_buf_free(&norm);
}

gt_status gt_explain_print(FILE *out, gt_code code, size_t width, bool color)
{
    size_t len = 0;
    const char *doc = gt_code_doc(code, &len);
    if (doc == NULL || len == 0) {
        return GT_EINVAL;
    }
    gt_explain_render(out, doc, len, width, color);
    return GT_OK;
}

size_t gt_explain_summary(gt_code code, char *buf, size_t size)
{
    size_t raw_len = 0;
    const char *raw = gt_code_doc(code, &raw_len);
    if (size == 0 || raw == NULL) {
        return 0;
    }
    buf[0] = '\0';
    gt_buf norm;
    gt_buf_init_grow(&norm);
    normalise(&norm, raw, raw_len);
    const char *doc = gt_buf_str(&norm);
    size_t len = norm.err == GT_OK ? norm.len : 0;
    const char *what = NULL;
    for (const char *p = doc; p != NULL && p + 9 <= doc + len; p++) {
        if (memcmp(p, "**What:**", 9) == 0) {
            what = p + 9;
            break;
        }
    }
    if (what == NULL) {
        gt_buf_free(&norm);
        return 0;
    }
    const char *stop = memchr(what, '\n', (size_t)(doc + len - what));
    /* the paragraph runs to the next "**Label:**" line or blank line */
    while (stop != NULL && stop + 1 < doc + len && stop[1] != '\n' && stop[1] != '*') {
        stop = memchr(stop + 1, '\n', (size_t)(doc + len - stop - 1));
    }
    gt_buf plain;
    gt_buf_init_grow(&plain);
    append_plain(&plain, what, (size_t)((stop ? stop : doc + len) - what));
    const char *s = gt_buf_str(&plain);
    while (*s == ' ') {
        s++;
    }
    /* the first clause: up to ':' or ';' before a space, or '.' before a space and a capital */
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n], next = s[n + 1];
        if ((c == ':' || c == ';') && next == ' ') {
            break;
        }
        if (c == '.' && (next == '\0' || (next == ' ' && s[n + 2] >= 'A' && s[n + 2] <= 'Z'))) {
            break;
        }
    }
    while (n > 0 && s[n - 1] == ' ') {
        n--;
    }
    if (n >= size) {
        n = size - 1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    gt_buf_free(&plain);
    gt_buf_free(&norm);
    return n;
}

void gt_explain_list(FILE *out, size_t width, bool color)
{
    size_t name_w = 0;
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        size_t n = strlen(gt_code_name((gt_code)c));
        name_w = n > name_w ? n : name_w;
    }
    const size_t sev_w = strlen("warning");
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        gt_code code = (gt_code)c;
        gt_severity sev = gt_code_severity(code);
        const char *name = gt_code_name(code);
        char summary[EXPLAIN_SUMMARY_MAX];
        size_t n = gt_explain_summary(code, summary, sizeof(summary));
        size_t room = width > name_w + sev_w + 4 ? width - (name_w + sev_w + 4) : 0;
        if (width > 0 && room >= EXPLAIN_MIN_TEXT && n > room) {
            n = room - 3;
            while (n > 0 && summary[n] != ' ') {
                n--;
            }
            if (n == 0) {
                n = room - 3;
            }
            memcpy(summary + n, "...", 4);
        }
        sgr_on(out, color, SGR_BOLD);
        fputs(name, out);
        sgr_off(out, color);
        fprintf(out, "%*s  ", (int)(name_w - strlen(name)), "");
        sgr_on(out, color, severity_sgr(sev));
        fputs(gt_severity_str(sev), out);
        sgr_off(out, color);
        fprintf(out, "%*s  %s\n", (int)(sev_w - strlen(gt_severity_str(sev))), "", summary);
    }
}
