#!/usr/bin/env bash
# docs/bulk.md's recipes, run as written (issue 24): the GNU parallel recipe (GNU parallel
# from Debian, the sshlogin ":" that runs each job on this machine), the Kubernetes Indexed
# Job's shell with each completion index, and the merge and TSV recipes. The shard outputs,
# merged, give exactly the verdicts of one unsharded run (tests/lab/verdict.jq). The recipes
# are read out of docs/bulk.md, so a recipe edited there is the recipe tested here.
. "$(dirname "$0")/lib.sh"
GT_DESC=bulk_recipes
DOC=$SCEN_DIR/../../../docs/bulk.md
command -v parallel >/dev/null || { fail "GNU parallel is not installed (scripts/install-deps)"; finish; }

# block HEADING: the first fenced code block after the line HEADING in docs/bulk.md
block() {
    awk -v h="$1" '$0 == h { on = 1; next } on && /^```/ { if (inb) exit; inb = 1; next }
        inb { print }' "$DOC"
}
parallel_recipe=$(block '### Recipe: GNU parallel over ssh')
k8s_manifest=$(block '### Recipe: a Kubernetes Indexed Job')
merge_recipe=$(block '### Merging the outputs')
[[ $parallel_recipe == *"parallel "* && $k8s_manifest == *JOB_COMPLETION_INDEX* &&
    $merge_recipe == *"jq "* ]] && pass "docs/bulk.md has the three recipes" ||
    { fail "could not read the recipes out of docs/bulk.md"; finish; }

# "gluetrace" in the recipes is the built one, pointed at the lab's root hints.
mkdir -p "$GT_TMP/bin" "$GT_TMP/par" "$GT_TMP/k8s/lists" "$GT_TMP/k8s/out"
printf '#!/bin/sh\nexec %q --hints %q "$@"\n' "$GLUETRACE" "$LAB_HINTS" >"$GT_TMP/bin/gluetrace"
chmod +x "$GT_TMP/bin/gluetrace"
in_lab() { # DIR COMMAND-TEXT: run the text with bash in DIR inside the lab, within 300 s
    (cd "$1" && timeout 300 ip netns exec "$GT_LAB_NS" env PATH="$GT_TMP/bin:$PATH" \
        HOME="$GT_TMP" bash -c "$2")
}
"$SCEN_DIR/../names" 120 >"$GT_TMP/names.txt"
NNAMES=$(sort -u "$GT_TMP/names.txt" | wc -l)
verdicts() { awk 1 "$@" | jq -cR -f "$SCEN_DIR/../verdict.jq" | sort; }
same() { if cmp -s "$2" "$3"; then pass "$1"; else fail "$1: $(diff "$2" "$3" | head -n 6 | tr '\n' ' ')"; fi; }

in_lab "$GT_TMP" "gluetrace -f names.txt -o jsonl --concurrency 16 > full.jsonl 2>/dev/null"
verdicts "$GT_TMP/full.jsonl" >"$GT_TMP/full.v"
[[ $(wc -l <"$GT_TMP/full.v") -eq $NNAMES ]] && pass "unsharded run: $NNAMES verdicts" ||
    fail "unsharded run: $(wc -l <"$GT_TMP/full.v") verdicts for $NNAMES names"

# --- GNU parallel, every job on this machine (sshlogin ":") -----------------------------------
cp "$GT_TMP/names.txt" "$GT_TMP/par/names.txt"
echo ":" >"$GT_TMP/par/hosts.txt"
in_lab "$GT_TMP/par" "$parallel_recipe" 2>"$GT_TMP/par.err"
rc=$?
[[ $rc -eq 0 || $rc -eq 1 ]] && pass "the GNU parallel recipe ran (exit $rc)" ||
    fail "the GNU parallel recipe exited $rc: $(tail -n 3 "$GT_TMP/par.err" | tr '\n' ' ')"
nshards=$(grep -oE 'seq 0 [0-9]+' <<<"$parallel_recipe" | awk '{print $3 + 1}')
nfiles=$(find "$GT_TMP/par" -name 'shard-*.jsonl' | wc -l)
[[ $nfiles -eq $nshards ]] && pass "GNU parallel wrote $nshards shard files" ||
    fail "GNU parallel wrote $nfiles shard files, the recipe has $nshards shards"
in_lab "$GT_TMP/par" "$merge_recipe" >"$GT_TMP/par/tsv" 2>"$GT_TMP/par/merge.err"
verdicts "$GT_TMP/par/all.jsonl" >"$GT_TMP/par.v"
same "GNU parallel recipe + merge recipe = the unsharded run" "$GT_TMP/full.v" "$GT_TMP/par.v"
# the TSV recipe: a row per name, with the problems' codes of that name
[[ $(wc -l <"$GT_TMP/par/tsv") -eq $NNAMES ]] && pass "TSV recipe: a row per name" ||
    fail "TSV recipe: $(wc -l <"$GT_TMP/par/tsv") rows for $NNAMES names"
want=$(jq -r '[.query.name, ([.problems[].code] | join(","))] | @tsv' "$GT_TMP/full.jsonl" | sort)
got=$(cut -f1,4 "$GT_TMP/par/tsv" | sort)
[[ $got == "$want" ]] && pass "TSV recipe: each name's problem codes" ||
    fail "TSV recipe columns 1 and 4 are not the names' problem codes"
grep -q 'LAME_SERVER' "$GT_TMP/par/tsv" && pass "TSV recipe: the lame names carry LAME_SERVER" ||
    fail "TSV recipe: no LAME_SERVER row (the lab's lame.test names are in the list)"

# --- Kubernetes Indexed Job: the container's shell for each completion index ------------------
ncomp=$(sed -n 's/^ *completions: *\([0-9]*\).*/\1/p' <<<"$k8s_manifest")
# the args list item: from "- f=" to the end of the exec line, as the container's sh -c gets it
script=$(awk '/^ *- f=/ { on = 1; sub(/^ *- /, "") } on { print } on && /--resume/ { exit }' \
    <<<"$k8s_manifest" | sed 's/^ *//' | tr '\n' ' ')
script=${script//\/lists\//$GT_TMP/k8s/lists/}
script=${script//\/out\//$GT_TMP/k8s/out/}
cp "$GT_TMP/names.txt" "$GT_TMP/k8s/lists/names.txt"
[[ $ncomp -gt 1 && $script == *'$JOB_COMPLETION_INDEX'* ]] && pass "the manifest: $ncomp completions" ||
    fail "could not read completions and the shell out of the manifest"
for ((i = 0; i < ncomp; i++)); do
    in_lab "$GT_TMP/k8s" "JOB_COMPLETION_INDEX=$i sh -c '$script'" 2>>"$GT_TMP/k8s.err"
done
# a pod restarted after its shard finished appends nothing
in_lab "$GT_TMP/k8s" "JOB_COMPLETION_INDEX=0 sh -c '$script'" 2>>"$GT_TMP/k8s.err"
verdicts "$GT_TMP"/k8s/out/shard-*.jsonl >"$GT_TMP/k8s.v"
same "Indexed Job shards 0..$((ncomp - 1)), one pod restarted = the unsharded run" \
    "$GT_TMP/full.v" "$GT_TMP/k8s.v"
finish
