/* Diagnosis of a finished result: answers first (the findings compare them), then
 * findings, then DNSSEC along the main trace (and each server's status), then the findings
 * grouped into problems. */
#include "gluetrace/diagnose/diagnose.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/diagnose/dnssec_chain.h"
#include "gluetrace/diagnose/dnssec_servers.h"
#include "gluetrace/diagnose/findings.h"
#include "gluetrace/diagnose/problems.h"

gt_status gt_diagnose(gt_result *r, const gt_config *cfg)
{
    gt_status st = gt_answers_collect(r);
    if (st == GT_OK) {
        st = gt_findings_analyse(r, cfg);
    }
    if (st == GT_OK) {
        st = gt_dnssec_chain(r, cfg);
    }
    if (st == GT_OK) {
        st = gt_dnssec_servers(r);
    }
    if (st == GT_OK) {
        st = gt_problems_group(r);
    }
    return st;
}
