#!/usr/bin/env bash
# ctest lab.prerequisites: fails, naming what is missing, when configuration found the lab,
# hostile-server or fuzz prerequisites incomplete (their tests are then not registered).
# Otherwise checks that every program configuration found is still there.
# Usage: prerequisites.sh MISSING FOUND...   (MISSING: ';'-separated names, may be empty;
#        FOUND: paths of the programs found)
set -u
missing=${1:-}
shift || true
if [[ -n $missing ]]; then
    echo "lab prerequisites missing: ${missing//;/ }: run scripts/install-deps"
    exit 1
fi
gone=()
for p in "$@"; do
    [[ -x $p ]] || gone+=("$p")
done
if ((${#gone[@]} > 0)); then
    echo "lab prerequisites missing: ${gone[*]} (removed since configuration): run scripts/install-deps"
    exit 1
fi
echo "lab prerequisites: all $# programs present"
