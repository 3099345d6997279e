/* --vs-dig: to be written (issue: findings / dig comparison). */
#include "gluetrace/vsdig.h"

#include <stdio.h>

gt_status gt_vsdig_compare(gt_result *r, const char *text, size_t len, gt_vsdig **out, char *err,
                           size_t errlen)
{
    (void)r;
    (void)text;
    (void)len;
    *out = NULL;
    snprintf(err, errlen, "--vs-dig is not implemented yet");
    return GT_EINVAL;
}

void gt_vsdig_print(FILE *out, const gt_vsdig *v)
{
    (void)out;
    (void)v;
}

json_t *gt_vsdig_json(const gt_vsdig *v)
{
    (void)v;
    return json_object();
}

void gt_vsdig_free(gt_vsdig *v)
{
    (void)v;
}
