/* The line machinery of the text output: a logical line with colour spans, wrapped to the
 * terminal's width (100 columns at most when not a terminal); and the small public helpers
 * gt_rr_to_str(), gt_color_wanted() and gt_text_width(). */
#include "text_priv.h"

#include "gluetrace/base/parse.h"
#include "gluetrace/wire/rdata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size)
{
    char owner[GT_NAME_STRLEN], type[16], data[8192];
    gt_name_to_str(&rr->owner, owner, sizeof(owner));
    gt_type_to_str(rr->type, type, sizeof(type));
    gt_rr_data_str(rr, data, sizeof(data));
    int n = snprintf(buf, size, "%s %u %s %s %s", owner, (unsigned)rr->ttl,
                     rr->cls == GT_CLASS_IN ? "IN" : "CLASS?", type, data);
    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

bool gt_color_wanted(gt_color when, FILE *out)
{
    if (when != GT_COLOR_AUTO) {
        return when == GT_COLOR_ALWAYS;
    }
    const char *no = getenv("NO_COLOR"); /* https://no-color.org: any non-empty value */
    if (no != NULL && no[0] != '\0') {
        return false;
    }
    return isatty(fileno(out)) == 1;
}

/** Widest text written when the output is not a terminal (and -v is not given). */
#define TEXT_MAX_WIDTH 100
/** Width assumed for a terminal whose size cannot be read. */
#define TEXT_TTY_DEFAULT_WIDTH 80
/** Fewest columns left for text after a deep tree prefix (the line then runs wider). */
#define TEXT_MIN_ROOM 30

size_t gt_text_width(FILE *out, bool verbose)
{
    unsigned long long cols = 0;
    const char *env = getenv("COLUMNS");
    bool have_env = env != NULL && gt_parse_uint(env, 10000, &cols) == GT_OK && cols > 0;
    if (isatty(fileno(out)) == 1) {
        struct winsize ws;
        if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            return ws.ws_col;
        }
        return have_env ? (size_t)cols : TEXT_TTY_DEFAULT_WIDTH;
    }
    if (!have_env) {
        return verbose ? 0 : TEXT_MAX_WIDTH;
    }
    return !verbose && cols > TEXT_MAX_WIDTH ? TEXT_MAX_WIDTH : (size_t)cols;
}

void txt_l_init(tline *l)
{
    gt_buf_init_grow(&l->b);
    l->nspans = 0;
    l->open = false;
}

void txt_l_off(tline *l)
{
    if (l->open) {
        l->spans[l->nspans - 1].end = l->b.len;
        l->open = false;
    }
}

void txt_l_on(tline *l, const char *sgr)
{
    txt_l_off(l);
    if (l->nspans < LINE_MAX_SPANS) {
        l->spans[l->nspans++] = (span){l->b.len, SIZE_MAX, sgr};
        l->open = true;
    }
}

void txt_on(ctx *c, const char *sgr)
{
    if (c->color) {
        fprintf(c->out, "\033[%sm", sgr);
    }
}

void txt_off(ctx *c)
{
    if (c->color) {
        fputs("\033[0m", c->out);
    }
}

static const span *span_at(const tline *l, size_t i)
{
    for (size_t k = 0; k < l->nspans; k++) {
        if (i >= l->spans[k].start && i < l->spans[k].end) {
            return &l->spans[k];
        }
    }
    return NULL;
}

/*
 * Write line @p l wrapped to the width: the first row after @p first, the others after
 * @p cont, breaking at spaces (inside a word only when it is longer than a row). Frees @p l.
 */
void txt_emit(ctx *c, tline *l, const char *first, const char *cont)
{
    txt_l_off(l);
    if (l->b.err != GT_OK) {
        c->err = GT_ENOMEM;
        gt_buf_free(&l->b);
        return;
    }
    const char *t = gt_buf_str(&l->b);
    size_t n = l->b.len, pos = 0;
    const char *prefix = first;
    for (bool firstrow = true;; firstrow = false) {
        if (!firstrow) {
            while (pos < n && t[pos] == ' ') {
                pos++;
            }
        }
        size_t plen = strlen(prefix), room = SIZE_MAX;
        if (c->width > 0) {
            room = c->width > plen + TEXT_MIN_ROOM ? c->width - plen : TEXT_MIN_ROOM;
        }
        size_t end = n;
        if (n - pos > room) {
            end = pos + room;
            size_t k = end;
            while (k > pos && t[k] != ' ') {
                k--;
            }
            if (k > pos) {
                end = k;
            }
        }
        fputs(prefix, c->out);
        const span *cur = NULL;
        for (size_t i = pos; i < end; i++) {
            const span *s = c->color ? span_at(l, i) : NULL;
            if (s != cur) {
                if (cur != NULL) {
                    txt_off(c);
                }
                if (s != NULL) {
                    txt_on(c, s->sgr);
                }
                cur = s;
            }
            fputc(t[i], c->out);
        }
        if (cur != NULL) {
            txt_off(c);
        }
        fputc('\n', c->out);
        pos = end;
        if (pos >= n) {
            break;
        }
        prefix = cont;
    }
    gt_buf_free(&l->b);
}

const char *txt_sev_color(gt_severity s)
{
    return s == GT_SEV_ERROR ? C_RED : s == GT_SEV_WARNING ? C_YELLOW : C_BLUE;
}

void gt_answer_rrs_print(gt_buf *b, const gt_msg *m, const gt_answer *an, size_t max)
{
    size_t n = m ? an->nrrs : 0;
    for (size_t i = 0; i < n && i < max; i++) {
        if (an->rrs[i] >= m->count[GT_SEC_ANSWER]) {
            continue;
        }
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][an->rrs[i]];
        char type[16], data[512];
        if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
            snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
        }
        gt_buf_printf(b, "%s%s %s", i ? ", " : " ", gt_type_to_str(rr->type, type, sizeof(type)),
                      data);
    }
    if (n > max) {
        gt_buf_printf(b, ", ... (%zu records)", n);
    }
}
