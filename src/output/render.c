/* The one place that picks a renderer for an output format. */
#include "gluetrace/output/render.h"

#include <stdint.h>

gt_status gt_render(gt_format format, FILE *out, const gt_result *r, const gt_config *cfg)
{
    switch (format) {
    case GT_FMT_JSON:
        return gt_render_json(out, r, cfg);
    case GT_FMT_JSONL:
        return gt_render_jsonl_end(out, r, cfg);
    case GT_FMT_DOT:
        return gt_render_dot(out, r, cfg);
    case GT_FMT_DIG:
        return gt_render_dig(out, r, cfg);
    case GT_FMT_SHORT:
        return gt_render_short(out, r, cfg);
    case GT_FMT_TEXT:
    default:
        return gt_render_text(out, r, cfg);
    }
}

void gt_render_hooks(const gt_config *cfg, gt_trace_hooks *hooks)
{
    /* Every field: a member added to gt_trace_hooks (cancel) must not be left undefined. */
    *hooks = (gt_trace_hooks){.on_query = NULL, .arg = NULL};
    if (cfg->format == GT_FMT_JSONL) {
        hooks->on_query = gt_render_jsonl_query;
        hooks->arg = (void *)(uintptr_t)cfg; /* read only: the callback takes it as const */
    }
}
