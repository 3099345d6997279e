# shellcheck shell=bash
# Assertion helpers shared by the lab scenario tests. A scenario script sources
# this file, calls gt_run (one gluetrace run in the lab namespace), then the
# expect_* helpers on that run's JSON, and ends with `finish`.
#
# env: GLUETRACE (path of the gluetrace binary, required), GT_LAB_NS.
# Every failed expectation prints one "FAIL:" line; finish exits 1 if any did.
# Nothing here skips: a missing binary or tool is a failure.

set -uo pipefail
SCEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SCEN_DIR/../lib.sh"

SCENARIO=$(basename "$0" .sh)
FAILS=0
CHECKS=0
GT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtlab-$SCENARIO.XXXXXX")
trap 'rm -rf "$GT_TMP"' EXIT
GT_JSON=$GT_TMP/none.json   # JSON of the current run
GT_RC=-1                    # exit code of the current run
GT_DESC=""                  # what the current run was

fail() { FAILS=$((FAILS + 1)); printf 'FAIL: [%s] %s\n' "$GT_DESC" "$*"; }
pass() { CHECKS=$((CHECKS + 1)); [[ -n ${LAB_VERBOSE:-} ]] && printf 'ok:   [%s] %s\n' "$GT_DESC" "$*"; return 0; }
# Fatal problems with the setup itself: stop this scenario at once.
abort() { printf 'FAIL: [%s] %s\n' "$SCENARIO" "$*"; exit 1; }

command -v jq >/dev/null || abort "jq is required for the lab scenario tests"
[[ -n ${GLUETRACE:-} ]] || abort "GLUETRACE is not set (the path of the gluetrace binary)"
[[ -x $GLUETRACE ]] || abort "gluetrace binary not executable: $GLUETRACE"
lab_is_up || abort "lab $GT_LAB_NS is not up (tests/lab/up)"

# gt_run [OPTIONS...] NAME [TYPE]: run gluetrace in the namespace against the lab
# hints with JSON output; sets GT_JSON and GT_RC. The JSON must be one object.
GT_RUNS=0
gt_run() {
    GT_RUNS=$((GT_RUNS + 1))
    GT_JSON=$GT_TMP/run$GT_RUNS.json
    GT_DESC="gluetrace $*"
    timeout 120 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" -o json "$@" \
        >"$GT_JSON" 2>"$GT_TMP/run$GT_RUNS.err"
    GT_RC=$?
    if [[ $GT_RC -eq 124 ]]; then
        fail "gluetrace did not finish within 120 s"
    fi
    if ! jq -e 'type == "object"' "$GT_JSON" >/dev/null 2>&1; then
        fail "output is not one JSON object (exit $GT_RC); stderr: $(head -c 400 "$GT_TMP/run$GT_RUNS.err")"
        echo '{}' > "$GT_JSON"
        return 1
    fi
    contract_checks
}

# jq_true DESCRIPTION FILTER [jq args...]: the filter must print true for the current run.
jq_true() {
    local desc=$1 filter=$2 out
    shift 2
    out=$(jq -e "$@" "$filter" "$GT_JSON" 2>&1)
    if [[ $? -eq 0 && $out == true ]]; then pass "$desc"; else fail "$desc"; fi
}

# expect_rc N: gluetrace's exit code.
expect_rc() {
    if [[ $GT_RC -eq $1 ]]; then pass "exit $1"; else fail "exit code $GT_RC, expected $1"; fi
}

# Structural rules of the JSON contract that hold for every run.
contract_checks() {
    jq_true "every error and warning finding is in exactly one problem, every info finding in one note" \
        '([.findings | to_entries[] | select(.value.severity != "info") | .key] | sort)
             == ([.problems[].findings[]] | sort)
         and ([.findings | to_entries[] | select(.value.severity == "info") | .key] | sort)
             == ([.notes[].findings[]] | sort)
         and all(.notes[]; .severity == "info") and all(.problems[]; .severity != "info")'
    jq_true "exit 3 always comes with an error finding that says why (NO_AUTHORITATIVE_DATA)" \
        '.exit_code != 3 or any(.findings[]; .code == "NO_AUTHORITATIVE_DATA" and .severity == "error")'
    jq_true "alternatives of one link come from servers that were asked for that link's name" \
        '(.queries | map({key: (.id | tostring), value: .qname}) | from_entries) as $qn
         | all(.answers[]; .name as $n | all(.alternatives[].queries[]; $qn[tostring] == $n))'
    jq_true "query, queries, traces, answers, findings and stats present" \
        '(.query|type)=="object" and (.queries|type)=="array" and (.traces|type)=="array"
         and (.answers|type)=="array" and (.findings|type)=="array" and (.stats|type)=="object"'
    jq_true "query ids are unique and every parent is an earlier query" \
        '[.queries[].id] as $ids | ($ids|length) == ($ids|unique|length)
         and all(.queries[]; .parent == null or (.parent as $p | $ids | index($p) != null))'
    jq_true "hints servers have no parent; glue servers name the referral they came from" \
        'all(.queries[]; (.server.source != "hints" or .parent == null)
             and (.server.source != "glue" or (.server.glue_from != null and .server.glue_from.query == .parent)))'
    # glue_from names the server whose referral supplied the glue, and that
    # referral's accepted glue holds this server's name and address.
    jq_true "glue servers are in the accepted glue of the referral they came from" \
        '. as $r | all(.queries[] | select(.server.source == "glue");
            .server as $s | [$r.queries[] | select(.id == $s.glue_from.query)] as $p
            | ($p|length) == 1 and $p[0].server.address == $s.glue_from.address
              and $p[0].outcome == "referral"
              and any($p[0].referral.glue[]; .name == $s.name and .address == $s.address))'
    jq_true "glue_kind is in-domain or sibling exactly when the source is glue" \
        'all(.queries[]; if .server.source == "glue" then (.server.glue_kind | IN("in-domain","sibling"))
                          else .server.glue_kind == null end)'
    jq_true "names are absolute (trailing dot)" \
        'all(.queries[]; (.qname|endswith(".")) and (.zone|endswith("."))
             and (.server.name == null or (.server.name|endswith("."))))'
    jq_true "no (address, qname, qtype, transport) is sent twice (census samples and CD=1 aside)" \
        '[.queries[] | select(.cached_from == null and .outcome != "error")
          | [.server.address, (.qname|ascii_downcase), .qtype, .transport, .cd, .sample]]
         | length == (unique|length)'
    jq_true "no reply means rcode null; referral outcome carries a referral" \
        'all(.queries[]; (if (.outcome | IN("timeout","unreachable")) then .rcode == null else true end)
             and (if .outcome == "referral" then (.referral|type) == "object" else true end))'
    jq_true "every address asked is a lab address (127.53/16 or 2001:db8:53::/48)" \
        'all(.queries[]; .server.address | test("^(127\\.53\\.[0-9]+\\.[0-9]+|2001:db8:53:[0-9a-f:]*)$"))'
}

# expect_answer NAME TYPE DATA: a final RRset of the main trace holds this RR.
expect_answer() {
    jq_true "final answer $1 $2 $3" \
        'any(.answers[].alternatives[].rrs[]; (.name|ascii_downcase) == $n and .type == $t and .data == $d)' \
        --arg n "$1" --arg t "$2" --arg d "$3"
}

# expect_only_answer_data DATA...: the final answers' data are exactly these (as a set).
expect_only_answer_data() {
    local want
    want=$(printf '%s\n' "$@" | jq -R . | jq -s 'sort')
    jq_true "final answer data exactly $*" '([.answers[].alternatives[].rrs[].data] | unique) == $w' --argjson w "$want"
}

# expect_answer_servers ADDR...: the answers were returned by exactly these addresses.
expect_answer_servers() {
    local want
    want=$(printf '%s\n' "$@" | jq -R . | jq -s 'sort')
    jq_true "answer servers exactly $*" '([.answers[].alternatives[].servers[]] | unique) == $w' --argjson w "$want"
}

# expect_asked ADDR ZONE [SOURCE [GLUE_KIND]]: ADDR was asked as ZONE (with that provenance).
expect_asked() {
    jq_true "asked $1 as $2${3:+ (source $3)}${4:+ ($4 glue)}" \
        'any(.queries[]; .server.address == $a and .zone == $z
             and ($s == "" or .server.source == $s) and ($k == "" or .server.glue_kind == $k))' \
        --arg a "$1" --arg z "$2" --arg s "${3:-}" --arg k "${4:-}"
}

# expect_outcome ADDR OUTCOME [RCODE]: some query to ADDR had this outcome (and rcode;
# "null" for no reply).
expect_outcome() {
    jq_true "$1 gave $2${3:+ ($3)}" \
        'any(.queries[]; .server.address == $a and .outcome == $o
             and ($r == "" or (.rcode|tostring) == $r))' \
        --arg a "$1" --arg o "$2" --arg r "${3:-}"
}

# expect_not_asked ADDR...: none of these addresses was ever sent a query.
expect_not_asked() {
    local a
    for a in "$@"; do
        jq_true "never asked $a" 'all(.queries[]; .server.address != $a)' --arg a "$a"
    done
}

# expect_trace KIND NAME [STATUS]: a trace of this kind for this name exists.
expect_trace() {
    jq_true "$1 trace for $2${3:+ with status $3}" \
        'any(.traces[]; .kind == $k and (.name|ascii_downcase) == $n and ($s == "" or .status == $s))' \
        --arg k "$1" --arg n "$2" --arg s "${3:-}"
}

# expect_finding CODE [SEVERITY [TEXT [SERVER]]]: a finding with this code (and severity,
# a message containing TEXT, a server field containing SERVER).
expect_finding() {
    jq_true "finding $1${2:+ ($2)}${3:+ mentioning '$3'}${4:+ about $4}" \
        'any(.findings[]; .code == $c and ($s == "" or .severity == $s)
             and ($t == "" or (.message | contains($t))) and ($v == "" or ((.server // "") | contains($v))))' \
        --arg c "$1" --arg s "${2:-}" --arg t "${3:-}" --arg v "${4:-}"
}

# expect_no_finding CODE: no finding with this code.
expect_no_finding() {
    jq_true "no $1 finding" 'all(.findings[]; .code != $c)' --arg c "$1"
}

# expect_no_errors: no error-severity finding (a clean delegation).
expect_no_errors() {
    jq_true "no error findings" 'all(.findings[]; .severity != "error")'
}

# expect_main_status STATUS: status of the main trace (trace id 0).
expect_main_status() {
    jq_true "main trace status $1" 'any(.traces[]; .kind == "main" and .status == $s)' --arg s "$1"
}

# dig_trace NAME TYPE: run dig +trace in the namespace (it resolves NS names with the
# lab resolver, as dig does); prints its output. Sets DIG_LAST_SERVER (the address of
# the server that gave the final answer) and DIG_ANSWER (its A data, one per line).
dig_trace() {
    local out
    out=$(timeout 60 ip netns exec "$GT_LAB_NS" dig +trace +nodnssec +time=2 +tries=1 "$1" "$2" 2>&1)
    DIG_LAST_SERVER=$(awk '/^;; Received .* from / {s=$0} END {sub(/.* from /, "", s); sub(/#.*/, "", s); print s}' <<< "$out")
    DIG_ANSWER=$(awk -v n="$1." '$1 == n && $4 == "A" {print $5}' <<< "$out" | sort -u)
    printf '%s\n' "$out"
}

finish() {
    if [[ $FAILS -gt 0 ]]; then
        printf '%s: %d of %d checks failed\n' "$SCENARIO" "$FAILS" "$((FAILS + CHECKS))"
        exit 1
    fi
    printf '%s: all %d checks passed\n' "$SCENARIO" "$CHECKS"
    exit 0
}
