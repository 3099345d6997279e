/* Graphviz output: to be written (issue: outputs). */
#include "gluetrace/render.h"

gt_status gt_render_dot(FILE *out, const gt_result *r, const gt_config *cfg)
{
    (void)out;
    (void)r;
    (void)cfg;
    return GT_EINVAL;
}
