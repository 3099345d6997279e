/**
 * @file explain.h
 * @brief `--explain CODE` and `--explain list`: the finding-code documentation (the section
 *        of docs/findings.md embedded in the binary) written for a terminal reader.
 */
#ifndef GLUETRACE_EXPLAIN_H
#define GLUETRACE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/codes.h"

/**
 * Write one code's documentation section (Markdown as in docs/findings.md) as plain text:
 * the heading as "CODE (severity)", then each labelled paragraph (What, Why it matters, Fix)
 * as its label on a line and the text indented by two columns, wrapped to @p width. Markdown
 * marks (`**`, backquotes) are removed. With @p color the heading is bold and the severity
 * coloured (red error, yellow warning, cyan info) and the labels bold.
 * @param md the section's text (not NUL-terminated), from gt_code_doc()
 * @param width columns to wrap to; 0 does not wrap
 */
void gt_explain_render(FILE *out, const char *md, size_t len, size_t width, bool color);

/**
 * --explain CODE: gt_explain_render() of the code's section.
 * @return GT_OK, or GT_EINVAL when the code has no documentation section
 */
gt_status gt_explain_print(FILE *out, gt_code code, size_t width, bool color);

/**
 * The first clause of a code's "What" paragraph (up to the first ':', ';' or '.' that ends a
 * clause), without Markdown marks, into @p buf.
 * @return the length written, 0 when the code has no documentation
 */
size_t gt_explain_summary(gt_code code, char *buf, size_t size);

/**
 * --explain list: one line per code, "CODE  severity  summary", in registry order; the
 * summary is cut at a word with "..." to fit @p width (0: never cut).
 */
void gt_explain_list(FILE *out, size_t width, bool color);

#endif
