/*
 * The finding-code table. A code's severity is decided here and nowhere else; the name and
 * severity must match its heading in docs/findings.md (tests/unit/test_codes.c checks it).
 */
#include "gluetrace/model/codes.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* docs/findings.md, generated into the build by cmake/embed-text.cmake. */
extern const char gt_findings_md[];

/** One row of the registry. */
typedef struct code_info {
    const char *name;     /**< as printed and documented */
    gt_severity severity; /**< of every finding with this code */
    const char *fix;      /**< one line: what to do about it */
} code_info;

/* Indexed by gt_code: designated initializers keep a row beside its enum value. */
static const code_info codes[GT_F_COUNT] = {
    [GT_F_LAME_SERVER] = {"LAME_SERVER", GT_SEV_ERROR,
                          "remove the server from the parent's NS set and the zone's apex NS "
                          "set, or make it serve the zone"},
    [GT_F_UPWARD_REFERRAL] = {"UPWARD_REFERRAL", GT_SEV_ERROR,
                              "as for LAME_SERVER: take the server out of both NS sets or make "
                              "it serve the zone"},
    [GT_F_UNREACHABLE_SERVER] = {"UNREACHABLE_SERVER", GT_SEV_WARNING,
                                 "check the server and its firewall, and that the glue address "
                                 "is still the server's address"},
    [GT_F_FAMILY_SILENT] = {"FAMILY_SILENT", GT_SEV_WARNING,
                            "fix or disable that address family on this host; trace with -4 or "
                            "-6 meanwhile"},
    [GT_F_DNS_INTERCEPTED] = {"DNS_INTERCEPTED", GT_SEV_ERROR,
                              "nothing to fix in the zone: trace from another network or over a "
                              "tunnel; no trace from this one can be trusted"},
    [GT_F_GIVEN_SERVER_IS_RESOLVER] = {"GIVEN_SERVER_IS_RESOLVER", GT_SEV_ERROR,
                                       "give -s (@) an authoritative server of the name's zone "
                                       "or an ancestor; compare a resolver with "
                                       "--compare-resolver=ADDR"},
    [GT_F_MISSING_GLUE] = {"MISSING_GLUE", GT_SEV_ERROR,
                           "have the parent publish glue for the in-domain NS name, and set TC "
                           "when the glue does not fit"},
    [GT_F_GLUE_MISMATCH] = {"GLUE_MISMATCH", GT_SEV_ERROR,
                            "make the parent's glue and the zone's own A/AAAA records for the "
                            "NS name agree"},
    [GT_F_NS_SET_MISMATCH] = {"NS_SET_MISMATCH", GT_SEV_WARNING,
                              "make the zone's apex NS set and the parent's delegation list the "
                              "same names"},
    [GT_F_INCONSISTENT_REFERRALS] = {"INCONSISTENT_REFERRALS", GT_SEV_WARNING,
                                     "compare the serials of the parent's servers and fix the "
                                     "zone transfer of the stale one"},
    [GT_F_INCONSISTENT_ANSWERS] = {"INCONSISTENT_ANSWERS", GT_SEV_ERROR,
                                   "find the server with the old serial; fix its zone transfer "
                                   "or remove it"},
    [GT_F_SERIAL_MISMATCH] = {"SERIAL_MISMATCH", GT_SEV_WARNING,
                              "check the zone transfer (NOTIFY, IXFR/AXFR, ACLs) to the servers "
                              "with the old serial"},
    [GT_F_CHECK_INCOMPLETE] = {"CHECK_INCOMPLETE", GT_SEV_WARNING,
                               "make the zone's servers answer; the comparison with the parent "
                               "could not be made"},
    [GT_F_NS_IS_CNAME] = {"NS_IS_CNAME", GT_SEV_ERROR,
                          "point the NS record at the canonical name (the CNAME's target)"},
    [GT_F_TRUNCATED_REFERRAL] = {"TRUNCATED_REFERRAL", GT_SEV_INFO,
                                 "make sure TCP port 53 works; fewer or out-of-domain NS names "
                                 "keep referrals small"},
    [GT_F_IGNORED_GLUE] = {"IGNORED_GLUE", GT_SEV_WARNING,
                           "remove the stray zone data from the referring server"},
    [GT_F_IGNORED_ANSWER_RECORDS] = {"IGNORED_ANSWER_RECORDS", GT_SEV_WARNING,
                                     "remove the stray data (another zone's copy, an unrelated "
                                     "name) from the answering server"},
    [GT_F_ALREADY_ASKED] = {"ALREADY_ASKED", GT_SEV_INFO,
                            "give the zone a server of its own, or serve it on the listed one"},
    [GT_F_GLUELESS_CYCLE] = {"GLUELESS_CYCLE", GT_SEV_ERROR,
                             "give one NS name glue (in-domain) or use NS names in an "
                             "independent zone"},
    [GT_F_NO_ADDRESS] = {"NO_ADDRESS", GT_SEV_ERROR,
                         "create the NS name's address records, or remove it from the "
                         "delegation"},
    [GT_F_MALFORMED_RESPONSE] = {"MALFORMED_RESPONSE", GT_SEV_ERROR,
                                 "check the server software and anything on the path that "
                                 "rewrites DNS"},
    [GT_F_MISMATCHED_REPLY] = {"MISMATCHED_REPLY", GT_SEV_ERROR,
                               "check the path to the server (dig reports ID or question "
                               "mismatches too); fix a forwarder's ID handling, or treat it as "
                               "a spoofing attempt"},
    [GT_F_TCP_CLOSED] = {"TCP_CLOSED", GT_SEV_INFO,
                         "nothing when every query was answered; otherwise raise the server's "
                         "per-connection query limit"},
    [GT_F_LIMIT_REACHED] = {"LIMIT_REACHED", GT_SEV_WARNING,
                            "raise --max-queries if the delegation is genuinely that large; "
                            "otherwise the limit protected the run"},
    [GT_F_NO_ROUTE] = {"NO_ROUTE", GT_SEV_INFO,
                       "nothing to fix in DNS: give this host a route for the family, or trace "
                       "with -4 or -6"},
    [GT_F_NO_AUTHORITATIVE_DATA] = {"NO_AUTHORITATIVE_DATA", GT_SEV_ERROR,
                                    "make at least one listed server of the zone answer "
                                    "authoritatively for it (see the findings about its servers)"},
    [GT_F_SPECIAL_PURPOSE_ADDRESS] = {"SPECIAL_PURPOSE_ADDRESS", GT_SEV_WARNING,
                                      "give the NS name its real public address in the glue "
                                      "and in its own zone"},
    [GT_F_DNSSEC_DS_NO_KEY] = {"DNSSEC_DS_NO_KEY", GT_SEV_ERROR,
                               "publish the zone's current DS at the registrar, or re-add the key "
                               "the parent's DS designates"},
    [GT_F_DNSSEC_DNSKEY_MISSING] = {"DNSSEC_DNSKEY_MISSING", GT_SEV_ERROR,
                                    "sign the zone on every server (or remove the DS at the "
                                    "parent before serving it unsigned)"},
    [GT_F_DNSSEC_SIG_EXPIRED] = {"DNSSEC_SIG_EXPIRED", GT_SEV_ERROR,
                                 "re-sign the zone (check the signer runs and the server "
                                 "reloads), and the server clocks"},
    [GT_F_DNSSEC_SIG_INVALID] = {"DNSSEC_SIG_INVALID", GT_SEV_ERROR,
                                 "re-sign the zone with its published keys and reload every "
                                 "server"},
    [GT_F_DNSSEC_NO_DENIAL] = {"DNSSEC_NO_DENIAL", GT_SEV_ERROR,
                               "serve the signed NSEC/NSEC3 records of the zone with its "
                               "negative answers and referrals"},
    [GT_F_DNSSEC_DNSKEY_MISMATCH] = {"DNSSEC_DNSKEY_MISMATCH", GT_SEV_WARNING,
                                     "reload the zone on the stale server so every server "
                                     "serves the same DNSKEY set"},
    [GT_F_DNSSEC_SIG_EXPIRING] = {"DNSSEC_SIG_EXPIRING", GT_SEV_WARNING,
                                  "check that the signer runs and re-signs the zone before the "
                                  "date, and that every server reloads it"},
    [GT_F_DNSSEC_ALGORITHM] = {"DNSSEC_ALGORITHM", GT_SEV_WARNING,
                               "roll the zone to algorithm 13 or 8 and publish a SHA-256 DS "
                               "(digest type 2) of its current key at the parent"},
    [GT_F_DNSSEC_NSEC3_ITERATIONS] = {"DNSSEC_NSEC3_ITERATIONS", GT_SEV_WARNING,
                                      "re-sign with NSEC3 iterations 0 and an empty salt "
                                      "(RFC 9276), or with NSEC"},
    [GT_F_DNSSEC_NO_ANCHOR] = {"DNSSEC_NO_ANCHOR", GT_SEV_INFO,
                               "nothing to fix in DNS: pass --trust-anchor FILE to validate a "
                               "trace started from --hints or -s"},
    [GT_F_DNSSEC_WORK_LIMIT] = {"DNSSEC_WORK_LIMIT", GT_SEV_WARNING,
                                "sign the zone with one key per key tag and one RRSIG per key "
                                "and RRset, as validators after KeyTrap accept"},
    [GT_F_RATE_LIMITED] = {"RATE_LIMITED", GT_SEV_INFO,
                           "nothing to fix in DNS: lower --rate (or raise the server's rate "
                           "limit for this client) if it keeps happening"},
    [GT_F_STALE_RESOLVER_ADDRESS] = {"STALE_RESOLVER_ADDRESS", GT_SEV_ERROR,
                                     "flush the resolver's cache for the NS name, or wait for "
                                     "the TTL"},
    [GT_F_RESOLVER_ANSWER_DIFFERS] = {"RESOLVER_ANSWER_DIFFERS", GT_SEV_ERROR,
                                      "flush the resolver's cache for the name and for its NS "
                                      "names"},
    [GT_F_RESOLVER_FOLLOWS_CHILD] = {"RESOLVER_FOLLOWS_CHILD", GT_SEV_INFO,
                                     "nothing to flush: fix the parent's glue (see "
                                     "GLUE_MISMATCH) so both sides agree"},
    [GT_F_RESOLVER_STALE] = {"RESOLVER_STALE", GT_SEV_ERROR,
                             "flush the resolver's cache for the zone (the message names the "
                             "command), or wait until the time it gives"},
    [GT_F_RESOLVER_GHOST] = {"RESOLVER_GHOST", GT_SEV_ERROR,
                             "flush the resolver's cache for the zone the parent no longer "
                             "delegates (the message names the command)"},
    [GT_F_RESOLVER_FAILED] = {"RESOLVER_FAILED", GT_SEV_WARNING,
                              "read the reason: a bogus zone is fixed at the zone, an "
                              "unreachable or refusing resolver at the resolver"},
    [GT_F_RESOLVER_SERVED_STALE] = {"RESOLVER_SERVED_STALE", GT_SEV_WARNING,
                                    "make the authoritative servers reachable from the resolver; "
                                    "the stale answer goes once it can refresh"},
    [GT_F_RESOLVER_TTL_ABOVE_AUTH] = {"RESOLVER_TTL_ABOVE_AUTH", GT_SEV_INFO,
                                      "nothing to fix in the zone: the resolver keeps data "
                                      "longer than its TTL (a TTL floor); expect changes late"},
    [GT_F_DIG_MISLED_BY_RESOLVER] = {"DIG_MISLED_BY_RESOLVER", GT_SEV_ERROR,
                                     "trust the glue-faithful trace; flush dig's resolver cache "
                                     "for the NS name"},
    [GT_F_DIG_ANSWER_DIFFERS] = {"DIG_ANSWER_DIFFERS", GT_SEV_ERROR,
                                 "when DIG_MISLED_BY_RESOLVER names a step, flush that "
                                 "resolver's cache; otherwise the data changed since dig ran: "
                                 "compare with a fresh dig +trace"},
    [GT_F_DIG_STOPPED] = {"DIG_STOPPED", GT_SEV_INFO,
                          "read dig's error for that step; the glue-faithful trace shows the "
                          "path it could not take"},
    [GT_F_DIG_OUTPUT_UNPARSED] = {"DIG_OUTPUT_UNPARSED", GT_SEV_WARNING,
                                  "give the complete, unedited output of dig +trace (text or "
                                  "+yaml)"},
    [GT_F_DIG_DS_DIFFERS] = {"DIG_DS_DIFFERS", GT_SEV_WARNING,
                             "if the DS changed at the parent since dig ran, compare with a fresh "
                             "dig +trace +dnssec; if not, reload the parent's servers that serve "
                             "the old DS set"},
    [GT_F_DIG_ASKED_BROKEN_SERVER] = {"DIG_ASKED_BROKEN_SERVER", GT_SEV_INFO,
                                      "nothing to flush: fix the server dig asked, as the "
                                      "finding named here says (dig +trace asks one server per "
                                      "step, at random)"},
};

static const code_info *info(gt_code c)
{
    return (unsigned)c < GT_F_COUNT ? &codes[c] : NULL;
}

const char *gt_code_name(gt_code c)
{
    const code_info *i = info(c);
    return i ? i->name : "UNKNOWN";
}

gt_severity gt_code_severity(gt_code c)
{
    const code_info *i = info(c);
    return i ? i->severity : GT_SEV_ERROR;
}

const char *gt_code_fix(gt_code c)
{
    const code_info *i = info(c);
    return i ? i->fix : "";
}

const char *gt_code_doc(gt_code c, size_t *len)
{
    *len = 0;
    const code_info *i = info(c);
    if (i == NULL) {
        return NULL;
    }
    char head[80];
    int n = snprintf(head, sizeof(head), "\n### `%s`", i->name);
    if (n < 0 || (size_t)n >= sizeof(head)) {
        return NULL;
    }
    const char *start = strstr(gt_findings_md, head);
    if (start == NULL) {
        return NULL;
    }
    start++; /* past the newline */
    const char *end = strstr(start + 1, "\n#");
    *len = end ? (size_t)(end - start) + 1 : strlen(start);
    return start;
}

/* Whom each code is about (codes.h), indexed by gt_code; docs/findings.md has the same table. */
static const gt_subject subjects[GT_F_COUNT] = {
    [GT_F_LAME_SERVER] = GT_SUBJ_SERVER,
    [GT_F_UPWARD_REFERRAL] = GT_SUBJ_SERVER,
    [GT_F_UNREACHABLE_SERVER] = GT_SUBJ_SERVER,
    [GT_F_FAMILY_SILENT] = GT_SUBJ_NETWORK,
    [GT_F_DNS_INTERCEPTED] = GT_SUBJ_NETWORK,
    [GT_F_GIVEN_SERVER_IS_RESOLVER] = GT_SUBJ_RUN,
    [GT_F_MISSING_GLUE] = GT_SUBJ_ZONE,
    [GT_F_GLUE_MISMATCH] = GT_SUBJ_ZONE,
    [GT_F_NS_SET_MISMATCH] = GT_SUBJ_ZONE,
    [GT_F_INCONSISTENT_REFERRALS] = GT_SUBJ_SERVER,
    [GT_F_INCONSISTENT_ANSWERS] = GT_SUBJ_SERVER,
    [GT_F_SERIAL_MISMATCH] = GT_SUBJ_SERVER,
    [GT_F_CHECK_INCOMPLETE] = GT_SUBJ_SERVER,
    [GT_F_NS_IS_CNAME] = GT_SUBJ_ZONE,
    [GT_F_TRUNCATED_REFERRAL] = GT_SUBJ_ZONE,
    [GT_F_IGNORED_GLUE] = GT_SUBJ_SERVER,
    [GT_F_IGNORED_ANSWER_RECORDS] = GT_SUBJ_SERVER,
    [GT_F_ALREADY_ASKED] = GT_SUBJ_ZONE,
    [GT_F_GLUELESS_CYCLE] = GT_SUBJ_ZONE,
    [GT_F_NO_ADDRESS] = GT_SUBJ_ZONE,
    [GT_F_MALFORMED_RESPONSE] = GT_SUBJ_SERVER,
    [GT_F_MISMATCHED_REPLY] = GT_SUBJ_NETWORK,
    [GT_F_TCP_CLOSED] = GT_SUBJ_SERVER,
    [GT_F_LIMIT_REACHED] = GT_SUBJ_RUN,
    [GT_F_NO_ROUTE] = GT_SUBJ_NETWORK,
    [GT_F_NO_AUTHORITATIVE_DATA] = GT_SUBJ_ZONE,
    [GT_F_SPECIAL_PURPOSE_ADDRESS] = GT_SUBJ_ZONE,
    [GT_F_DNSSEC_DS_NO_KEY] = GT_SUBJ_ZONE,
    [GT_F_DNSSEC_DNSKEY_MISSING] = GT_SUBJ_SERVER,
    [GT_F_DNSSEC_SIG_EXPIRED] = GT_SUBJ_SERVER,
    [GT_F_DNSSEC_SIG_INVALID] = GT_SUBJ_SERVER,
    [GT_F_DNSSEC_NO_DENIAL] = GT_SUBJ_SERVER,
    [GT_F_DNSSEC_DNSKEY_MISMATCH] = GT_SUBJ_SERVER,
    [GT_F_DNSSEC_SIG_EXPIRING] = GT_SUBJ_ZONE,
    [GT_F_DNSSEC_ALGORITHM] = GT_SUBJ_ZONE,
    [GT_F_DNSSEC_NSEC3_ITERATIONS] = GT_SUBJ_ZONE,
    [GT_F_DNSSEC_NO_ANCHOR] = GT_SUBJ_RUN,
    [GT_F_DNSSEC_WORK_LIMIT] = GT_SUBJ_SERVER,
    [GT_F_RATE_LIMITED] = GT_SUBJ_SERVER,
    [GT_F_STALE_RESOLVER_ADDRESS] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_ANSWER_DIFFERS] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_FOLLOWS_CHILD] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_STALE] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_GHOST] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_FAILED] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_SERVED_STALE] = GT_SUBJ_RESOLVER,
    [GT_F_RESOLVER_TTL_ABOVE_AUTH] = GT_SUBJ_RESOLVER,
    [GT_F_DIG_MISLED_BY_RESOLVER] = GT_SUBJ_RESOLVER,
    [GT_F_DIG_ANSWER_DIFFERS] = GT_SUBJ_RESOLVER,
    [GT_F_DIG_STOPPED] = GT_SUBJ_RUN,
    [GT_F_DIG_OUTPUT_UNPARSED] = GT_SUBJ_RUN,
    [GT_F_DIG_DS_DIFFERS] = GT_SUBJ_RESOLVER,
    [GT_F_DIG_ASKED_BROKEN_SERVER] = GT_SUBJ_SERVER,
};

gt_subject gt_code_subject(gt_code c)
{
    return (unsigned)c < GT_F_COUNT ? subjects[c] : GT_SUBJ_NONE;
}

const char *gt_subject_str(gt_subject s)
{
    static const char *const names[] = {
        [GT_SUBJ_NONE] = "none",         [GT_SUBJ_ZONE] = "zone",       [GT_SUBJ_SERVER] = "server",
        [GT_SUBJ_RESOLVER] = "resolver", [GT_SUBJ_NETWORK] = "network", [GT_SUBJ_RUN] = "run"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "none";
}

gt_status gt_code_from_name(const char *name, gt_code *out)
{
    for (unsigned c = 0; name != NULL && c < GT_F_COUNT; c++) {
        if (strcasecmp(codes[c].name, name) == 0) {
            *out = (gt_code)c;
            return GT_OK;
        }
    }
    return GT_EINVAL;
}

const char *gt_severity_str(gt_severity s)
{
    static const char *const names[] = {
        [GT_SEV_INFO] = "info", [GT_SEV_WARNING] = "warning", [GT_SEV_ERROR] = "error"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "error";
}
