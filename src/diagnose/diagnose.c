/* Diagnosis of a finished result: every pass in the fixed order diagnose.h gives. */
#include "gluetrace/diagnose/diagnose.h"

#include <stdio.h>

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/diagnose/dnssec_chain.h"
#include "gluetrace/diagnose/dnssec_servers.h"
#include "gluetrace/diagnose/findings.h"
#include "gluetrace/diagnose/problems.h"
#include "gluetrace/diagnose/replies.h"
#include "gluetrace/diagnose/vsdig.h"

gt_status gt_diagnose(gt_result *r, const gt_config *cfg, const gt_diagnose_input *in,
                      gt_vsdig **vs, char *err, size_t errlen)
{
    if (vs != NULL) {
        *vs = NULL;
    }
    if (errlen > 0) {
        err[0] = '\0';
    }
    gt_status st = gt_answers_collect(r);
    if (st == GT_OK) {
        st = gt_findings_analyse(r, cfg); /* queries, referrals, resolver, network, dead ends */
    }
    if (st == GT_OK && in != NULL && in->nwire > 0) {
        st = gt_wire_findings(r, in->wire, in->nwire); /* adds, and drops UNREACHABLE_SERVER */
    }
    /* From here on findings are only added: DNSSEC statuses keep indexes into them. */
    if (st == GT_OK) {
        st = gt_dnssec_chain(r, cfg);
    }
    if (st == GT_OK) {
        st = gt_dnssec_servers(r);
    }
    if (st == GT_OK && in != NULL && in->ndigs > 0) {
        /* The dig comparison reads the trace's problems (those dig's output cannot show),
         * then adds its own findings: they join in the grouping below. */
        st = gt_problems_group(r);
        gt_vsdig *v = NULL;
        if (st == GT_OK) {
            st = gt_vsdig_compare_n(r, in->digs, in->diglens, in->ndigs, &v, err, errlen);
        }
        if (vs != NULL) {
            *vs = v;
            r->vsdig = v;
        } else {
            gt_vsdig_free(v);
        }
    }
    if (st == GT_OK) {
        st = gt_problems_group(r); /* last: nothing changes the findings after it */
    }
    return st;
}
