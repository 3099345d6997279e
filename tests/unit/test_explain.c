/*
 * --explain CODE and --explain list (output/explain.h): the Markdown of docs/findings.md turned
 * into plain text that fits the width, with every code's section and severity.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/output/explain.h"
#include "tap.h"

/* Longest line of @p s, in bytes (the texts here are ASCII). */
static size_t longest_line(const char *s)
{
    size_t best = 0;
    while (*s != '\0') {
        size_t n = strcspn(s, "\n");
        best = n > best ? n : best;
        s += n + (s[n] == '\n');
    }
    return best;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += *s == '\n';
    }
    return n;
}

static char *render(const char *md, size_t width, bool color)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gt_explain_render(f, md, strlen(md), width, color);
    fclose(f);
    return text;
}

static void test_render_markdown(void)
{
    const char *md = "### `SOME_CODE` (warning)\n"
                     "**What:** the `NS` records of a zone point\n"
                     "at a name that is **not** there.\n"
                     "**Why it matters:** resolvers fail.\n"
                     "\n"
                     "**Fix:** publish the name.\n";
    char *plain = render(md, 30, false);
    GT_CHECK(strncmp(plain, "SOME_CODE (warning)\n\n", 21) == 0);
    GT_CHECK(strstr(plain, "**") == NULL);
    GT_CHECK(strchr(plain, '`') == NULL);
    GT_CHECK(strstr(plain, "\nWhat\n  the NS records of a zone\n") != NULL);
    GT_CHECK(strstr(plain, "\nWhy it matters\n  resolvers fail.\n") != NULL);
    GT_CHECK(strstr(plain, "\nFix\n  publish the name.\n") != NULL);
    GT_CHECK(longest_line(plain) <= 30);
    free(plain);

    char *colored = render(md, 0, true);
    GT_CHECK(strstr(colored, "\033[1mSOME_CODE\033[0m (\033[33mwarning\033[0m)") != NULL);
    GT_CHECK(strstr(colored, "\033[1mFix\033[0m\n") != NULL);
    /* width 0: one line per paragraph */
    GT_CHECK(strstr(colored, "  the NS records of a zone point at a name that is not there.\n") !=
             NULL);
    free(colored);
}

/* Every code's real section renders within the width, marks removed, heading first. */
static void test_every_code(void)
{
    for (unsigned c = 0; c < GT_F_COUNT; c++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        GT_CHECK_INT(gt_explain_print(f, (gt_code)c, 72, false), GT_OK);
        fclose(f);
        char head[96];
        snprintf(head, sizeof(head), "%s (%s)\n\nWhat\n", gt_code_name((gt_code)c),
                 gt_severity_str(gt_code_severity((gt_code)c)));
        GT_CHECK(strncmp(text, head, strlen(head)) == 0);
        GT_CHECK(strstr(text, "\nFix\n  ") != NULL);
        GT_CHECK(strstr(text, "**") == NULL && strchr(text, '`') == NULL);
        if (longest_line(text) > 72) { /* only a word longer than the line may pass it */
            fprintf(stderr, "%s: a line of %zu columns\n", gt_code_name((gt_code)c),
                    longest_line(text));
            GT_CHECK(longest_line(text) <= 72);
        }
        free(text);
    }
}

static void test_list(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gt_explain_list(f, 80, false);
    fclose(f);
    GT_CHECK_INT(count_lines(text), GT_F_COUNT);
    GT_CHECK(longest_line(text) <= 80);
    /* each line: the code, its severity, a summary */
    const char *line = text;
    for (unsigned c = 0; c < GT_F_COUNT && *line != '\0'; c++) {
        const char *name = gt_code_name((gt_code)c);
        GT_CHECK(strncmp(line, name, strlen(name)) == 0);
        size_t n = strcspn(line, "\n");
        char buf[256];
        snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
        GT_CHECK(strstr(buf, gt_severity_str(gt_code_severity((gt_code)c))) != NULL);
        GT_CHECK(n > strlen(name) + 12);
        line += n + 1;
    }
    free(text);

    char s[512];
    GT_CHECK(gt_explain_summary(GT_F_LAME_SERVER, s, sizeof(s)) > 0);
    GT_CHECK_STR(s, "a server listed in the delegation of a zone does not serve it");
    GT_CHECK(gt_explain_summary(GT_F_LAME_SERVER, s, 8) == 7);
}

int main(void)
{
    test_render_markdown();
    test_every_code();
    test_list();
    return gt_test_done();
}
