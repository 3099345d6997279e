#!/usr/bin/env bash
# Scenario 9 (glueless cycle): cycle.test NS ns.cycle.example., cycle.example NS
# ns.cycle.test., no glue anywhere: no address can ever be found.
. "$(dirname "$0")/lib.sh"

gt_run --timeout 500 --retries 0 www.cycle.test A
expect_rc 3
expect_finding GLUELESS_CYCLE
expect_finding NO_AUTHORITATIVE_DATA error "test. delegates cycle.test. to ns.cycle.example."
jq_true "main trace did not succeed" 'any(.traces[]; .kind == "main" and (.status | IN("failed","cycle")))'
jq_true "no answers" '(.answers|length) == 0'
jq_true "only root and TLD servers were asked" \
    'all(.queries[]; .server.address | test("^(127\\.53\\.[012]\\.[0-9]+|2001:db8:53:(:|1::|2::)[0-9]+)$"))'
jq_true "the run ended quickly (< 5 s)" '.stats.elapsed_ms < 5000'
jq_true "one problem: the cycle, in cycle.test. (no relaying server), no authoritative data under it" \
    '(.problems | length) == 1 and .problems[0].code == "GLUELESS_CYCLE" and .problems[0].zone == "cycle.test."
     and .problems[0].server == null and .problems[0]["then"] == ["NO_AUTHORITATIVE_DATA"]'
finish
