# What a bulk line (gluetrace -f -o jsonl) concludes about its name, without what depends on
# timing or on what earlier names of the same run taught the session: query ids, round trips,
# counts of queries and traces, and RATE_LIMITED (a fact about the run, not about the name).
# Two runs agree on a name when these objects are equal.
# usage: jq -cR -f verdict.jq OUTPUT.jsonl   (lines that are not JSON, e.g. cut off, are skipped)
fromjson? | select(.type == "summary") | {
    name: .query.name,
    type: .query.type,
    status: .traces[0].status,
    dnssec: .dnssec.answer.status,
    # answers are chains of links, each with its alternatives (docs/json.md): compared without
    # their query ids, with records and servers in a fixed order
    answers: ([.answers[] | walk(if type == "object" then del(.queries)
        | (if (.rrs | type) == "array" then .rrs |= sort else . end)
        | (if (.servers | type) == "array" then .servers |= sort else . end) else . end)] | sort),
    findings: ([.findings[] | select(.code != "RATE_LIMITED") | del(.query)] | sort),
    exit_code
}
