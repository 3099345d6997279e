#!/usr/bin/env bash
# -o json and -o jsonl validate against docs/gluetrace.schema.json (additionalProperties
# false everywhere: any drift of the output from the schema fails here).
. "$(dirname "$0")/lib.sh"
[[ -x ${GT_PYTHON3:-} ]] || { echo "FAIL: python3 not found"; exit 1; }
i=0
for n in "${NAMES[@]}"; do
    for opts in "" "-v" "--one" "-4"; do
        i=$((i + 1))
        # shellcheck disable=SC2086
        drive -o json $opts "$n" > "$TMP/$i.json"
        check "json $opts $n valid" "$GT_PYTHON3" "$OUT_DIR/validate.py" "$GT_SCHEMA" json "$TMP/$i.json"
        # shellcheck disable=SC2086
        drive -o jsonl $opts "$n" > "$TMP/$i.jsonl"
        check "jsonl $opts $n valid" "$GT_PYTHON3" "$OUT_DIR/validate.py" "$GT_SCHEMA" jsonl "$TMP/$i.jsonl"
    done
done
# The schema must reject drift: an extra field and a wrong enum value.
"$GT_PYTHON3" - "$TMP/1.json" "$TMP/drift1.json" "$TMP/drift2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["queries"][0]["surprise"] = 1
json.dump(d, open(sys.argv[2], "w"))
d = json.load(open(sys.argv[1]))
d["queries"][0]["server"]["source"] = "recursor"
json.dump(d, open(sys.argv[3], "w"))
PY
for f in drift1 drift2; do
    check "schema rejects $f" bash -c "! '$GT_PYTHON3' '$OUT_DIR/validate.py' '$GT_SCHEMA' json '$TMP/$f.json' >/dev/null"
done
finish
