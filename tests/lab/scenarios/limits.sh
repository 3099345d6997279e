#!/usr/bin/env bash
# Limits on real servers: a query budget far too small for the glueless scenario stops
# the trace cleanly with LIMIT_REACHED, having sent exactly the budget, and exit 3.
. "$(dirname "$0")/lib.sh"

gt_run --max-queries 6 www.glueless.test A
expect_rc 3
expect_finding LIMIT_REACHED warning "query budget of 6"
jq_true "exactly 6 queries went out" '.stats.queries == 6 and ([.queries[] | select(.cached_from == null)] | length) == 6'
jq_true "the run is quick" '.stats.elapsed_ms < 3000'

# The same trace with room enough completes.
gt_run --max-queries 200 www.glueless.test A
expect_rc 0
expect_no_finding LIMIT_REACHED
finish
