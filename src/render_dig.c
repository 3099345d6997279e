/* dig +trace layout: to be written (issue: findings / dig comparison). */
#include "gluetrace/render.h"

gt_status gt_render_dig(FILE *out, const gt_result *r, const gt_config *cfg)
{
    (void)out;
    (void)r;
    (void)cfg;
    return GT_EINVAL;
}
