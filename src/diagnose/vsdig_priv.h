/*
 * Private to the --vs-dig modules: what the dig +trace reader (digread.c) produces, what the
 * comparison (vsdig.c) adds to it, and what the report (vsdig_report.c) words and prints.
 * Nothing outside src/diagnose includes this header; the public face is gluetrace/diagnose/
 * vsdig.h.
 */
#ifndef GLUETRACE_VSDIG_PRIV_H
#define GLUETRACE_VSDIG_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/array.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/wire/wire.h"

/** Longest input line looked at; longer lines are counted as not understood. */
#define GT_DIG_MAX_LINE 8192
/** Most blocks (dig steps) read; dig +trace rarely exceeds ten. */
#define GT_DIG_MAX_STEPS 128
/** Most records kept per block. */
#define GT_DIG_MAX_RRS 512
/** Most error/notice lines kept per block. */
#define GT_DIG_MAX_NOTES 8
/** Most addresses gluetrace knows for one NS name that are reported. */
#define GT_DIG_MAX_KNOWN 32
/** Longest RDATA text kept per record. */
#define GT_DIG_MAX_RDATA 2048
/** Most differing RRSIGs noted per block. */
#define GT_DIG_MAX_SIGS 8
/** Most DS records compared per referral. */
#define GT_DIG_MAX_DS 16
/** Most dig +trace runs read from one --vs-dig input (all files together). */
#define GT_DIG_MAX_RUNS 64
/** Most problems of the trace listed as not shown by dig's output. */
#define GT_DIG_MAX_UNSEEN 8
/** Most distinct places (server and judgement) where dig's runs ended that are counted. */
#define GT_DIG_MAX_ENDS 32

/** A record as dig printed it. */
typedef struct vd_rr {
    gt_name owner; /**< owner name */
    uint32_t ttl;  /**< TTL as printed */
    uint16_t type; /**< RR type */
    char *data;    /**< RDATA text, whitespace collapsed; owned */
} vd_rr;

/** What a block of dig output was. */
typedef enum {
    VD_ROOT,     /**< dig's first query: the root NS set from its resolver */
    VD_REFERRAL, /**< a referral to a zone below the one asked */
    VD_ANSWER,   /**< the final reply (answer, CNAME, or negative with SOA) */
    VD_STOPPED,  /**< records (or none) without a reply line: dig gave up */
    VD_OTHER,    /**< a reply that is neither a referral nor an answer for the name */
} vd_kind;

/**
 * What gluetrace saw from the very address dig asked at a step, asked as a server of the same
 * zone: the judgement of the server, not of where dig took its address from.
 */
typedef enum {
    VD_J_NONE,       /**< not judged: the resolver step, no reply, or nothing to compare */
    VD_J_OK,         /**< that address gave gluetrace a usable reply, the one dig printed */
    VD_J_NOT_ASKED,  /**< gluetrace asked no query of that address as a server of that zone */
    VD_J_LAME,       /**< lame: an error RCODE (REFUSED, SERVFAIL, ...) or no AA */
    VD_J_UPWARD,     /**< lame: a referral to the zone asked or above it (or sideways) */
    VD_J_TIMEOUT,    /**< no reply: timeout, or port unreachable / connection refused */
    VD_J_OLD_SERIAL, /**< it answered from a copy of the zone whose serial is behind another
                          server's */
    VD_J_DIFFERENT,  /**< its answer to gluetrace is not the data dig printed */
} vd_judge;

/** Result of checking the address dig used. */
typedef enum {
    VD_NA,      /**< nothing to check (resolver step, no reply) */
    VD_MATCH,   /**< among gluetrace's addresses for that NS name */
    VD_MISLED,  /**< not among them: the resolver's address */
    VD_UNKNOWN, /**< gluetrace has no address for that name at that zone */
} vd_check;

/** How dig's DS set at a referral compares with the DS sets the parent's servers gave. */
typedef enum {
    VD_DS_NA,      /**< not compared: not a referral, or dig printed no DNSSEC records */
    VD_DS_SAME,    /**< the same set (also: both empty) as at least one parent server gave */
    VD_DS_DIFFERS, /**< no parent server gave gluetrace that set */
    VD_DS_NO_DATA, /**< gluetrace asked without DO (--no-dnssec): nothing to compare with */
} vd_ds_check;

/** An RRSIG dig printed that none of gluetrace's replies for the same RRset carries. */
typedef struct vd_sig {
    gt_name owner;       /**< owner of the signed RRset */
    uint16_t covered;    /**< its type */
    uint8_t alg;         /**< algorithm */
    uint16_t tag;        /**< key tag */
    uint32_t expiration; /**< signature expiration (seconds, RFC 4034 3.1.5) */
    uint32_t inception;  /**< signature inception */
    gt_name signer;      /**< signer's name */
    char gluetrace[256]; /**< the RRSIGs gluetrace got for that RRset, or "none" */
} vd_sig;

/** An address gluetrace knows for an NS name, and where it came from. */
typedef struct vd_known {
    gt_addr addr;                                    /**< the address */
    const char *source;                              /**< "glue", "subtrace", "hints", "user" */
    char from[GT_NAME_STRLEN + GT_ADDR_STRLEN + 32]; /**< "glue from NAME (ADDR)", ... */
} vd_known;

/** One block of dig output (filled by the reader) and what the comparison made of it. */
typedef struct vd_step {
    size_t line;    /**< line of the block's last line (1-based) */
    vd_rr *rrs;     /**< records of the block; owned */
    size_t nrrs;    /**< number of @ref rrs */
    size_t caprrs;  /**< capacity of @ref rrs */
    bool received;  /**< a ";; Received" line (or yaml message) closed the block */
    gt_addr addr;   /**< the address dig asked */
    bool have_addr; /**< @ref addr is set */
    char server_text[GT_NAME_STRLEN]; /**< the name in "(NAME)" as printed, escaped */
    gt_name server;                   /**< that name, when it is a name */
    bool have_server;                 /**< @ref server is set */
    bool server_inferred; /**< the name was not printed (yaml): matched from gluetrace's data */
    unsigned long bytes;  /**< reply size dig printed */
    unsigned long ms;     /**< round trip dig printed */
    char *notes[GT_DIG_MAX_NOTES]; /**< error lines dig printed for this step; owned */
    size_t nnotes;                 /**< number of @ref notes */
    char noaddr[GT_NAME_STRLEN];   /**< "couldn't get address for" this name ("" for none) */

    /* filled by the comparison */
    vd_kind kind;                           /**< what the block was */
    gt_name zone;                           /**< zone the server was asked as a server of */
    gt_name referral;                       /**< VD_REFERRAL: the zone referred to */
    vd_check check;                         /**< the address check */
    vd_known known[GT_DIG_MAX_KNOWN];       /**< gluetrace's addresses for the server's name */
    size_t nknown;                          /**< number of @ref known */
    size_t match;                           /**< VD_MATCH: index in known */
    vd_ds_check ds_check;                   /**< VD_REFERRAL: dig's DS set against gluetrace's */
    char ds_dig[512];                       /**< dig's DS set, "TAG ALG DIGEST-TYPE" per record */
    char ds_gt[512];                        /**< the DS set gluetrace got (the closest one) */
    size_t nds_dig;                         /**< records in dig's DS set */
    gt_dnssec_state zone_dnssec;            /**< gluetrace's DNSSEC status of the zone referred to
                                                 (GT_DNSSEC_OFF: not judged) */
    char zone_reason[GT_DNSSEC_REASON_MAX]; /**< and why, for bogus/indeterminate */
    size_t sigs_compared;                   /**< RRSIGs dig printed that were compared */
    vd_sig sigs[GT_DIG_MAX_SIGS];           /**< those that differ from gluetrace's */
    size_t nsigs;                           /**< entries in @ref sigs */
    size_t sigs_differ;                     /**< how many differ (may exceed @ref nsigs) */
    vd_judge judge;                         /**< what gluetrace saw from that address */
    char judge_text[256];                   /**< "REFUSED: lame", "serial 1, behind ..." */
    gt_code judge_code;                     /**< the finding on that server (GT_F_COUNT: none) */
    gt_query_id judge_query;                /**< gluetrace's query of that address, 0: none */
    uint32_t serial;                        /**< VD_J_OLD_SERIAL: the serial of its copy */
    uint32_t newest_serial;                 /**< and the newest any server of the zone gave */
    char newest_by[GT_NAME_STRLEN];         /**< the server that gave it */
} vd_step;

/** Verdicts. */
typedef enum {
    VD_AGREES,
    VD_DS_DIFFERS_V, /**< same servers and answer, but another DS set at a referral */
    VD_PARTIAL,
    VD_STOPPED_V,
    VD_DIFFERS,
    VD_MISLED_V,
    VD_BROKEN_V, /**< dig's path went through a server gluetrace found broken */
    VD_UNSEEN_V, /**< same answer, but the trace has problems dig's output cannot show */
} vd_verdict;

/** A problem of the trace that dig's output does not show, and why it could not. */
typedef struct vd_unseen {
    gt_code code;                /**< the problem's code */
    char server[GT_NAME_STRLEN]; /**< its server ("" for a zone's problem) */
    gt_name zone;                /**< its zone */
    const char *why;             /**< why dig could not see it (static text) */
} vd_unseen;

/** One dig +trace run: the blocks of one output and what the comparison made of them. */
typedef struct vd_run {
    size_t first_line;    /**< the run's first line in the input (1-based) */
    size_t input;         /**< which input (file) it came from, 0-based */
    bool yaml;            /**< the input was dig +yaml */
    char version[64];     /**< dig version from the header line, "" when absent */
    vd_step *steps;       /**< the blocks, in input order; owned */
    size_t nsteps;        /**< number of @ref steps */
    size_t capsteps;      /**< capacity of @ref steps */
    size_t unparsed;      /**< lines not understood */
    size_t unparsed_line; /**< the first of them */
    bool truncated;       /**< a limit cut the input short */
    bool have_answer;     /**< dig reached a final reply */
    size_t answer_step;   /**< that reply's step */
    bool answer_same;     /**< that reply's data is among gluetrace's answers */
    char dig_answer[512]; /**< short text of dig's final data */
    char gt_answer[512];  /**< short text of gluetrace's answers */
    bool dnssec;          /**< dig printed DNSSEC records (dig +dnssec, its default) */
    size_t ds_compared;   /**< referrals whose DS sets were compared */
    size_t ds_differ;     /**< of those, the ones that differ */
    size_t sigs_compared; /**< RRSIGs dig printed that were compared */
    size_t sigs_differ;   /**< of those, the ones no reply gluetrace got carries */
    vd_verdict verdict;   /**< the verdict */
    char *message;        /**< the verdict sentence; owned */
    bool have_cause;      /**< a step where dig's path went wrong was found */
    size_t cause_step;    /**< that step */
    vd_unseen unseen[GT_DIG_MAX_UNSEEN]; /**< problems of the trace dig's output does not show */
    size_t nunseen;                      /**< entries in @ref unseen */
    size_t unseen_total;                 /**< how many (may exceed @ref nunseen) */
    size_t extra_links; /**< CNAME links gluetrace followed beyond dig's final reply */
    bool dnssec_unseen; /**< dig printed RRSIGs of a chain gluetrace finds bogus */
    size_t shown;       /**< problems of the trace dig's own error lines show */
} vd_run;

/** Where dig's runs ended: a server (or the resolver's address) and its judgement. */
typedef struct vd_end {
    char server[GT_NAME_STRLEN]; /**< the server's name, or its address when unnamed */
    gt_name zone;                /**< the zone it was asked as a server of */
    char addrs[256];             /**< the addresses dig asked it at, ", "-separated */
    vd_verdict verdict;          /**< the run's verdict */
    vd_judge judge;              /**< the judgement of that server's reply */
    char what[256];              /**< "lame: REFUSED", "the glue-faithful answer", ... */
    gt_code code;                /**< the finding on that server (GT_F_COUNT: none) */
    size_t runs;                 /**< runs that ended there */
} vd_end;

struct gt_vsdig {
    vd_run *runs;                 /**< the runs, in input order; owned */
    size_t nruns;                 /**< entries in @ref runs */
    size_t capruns;               /**< allocated entries */
    bool truncated;               /**< more than GT_DIG_MAX_RUNS runs: the rest not compared */
    vd_end ends[GT_DIG_MAX_ENDS]; /**< where the runs ended, most frequent first */
    size_t nends;                 /**< entries in @ref ends */
    vd_verdict verdict;           /**< the verdict (one run: its own; several: the first run's
                                       whose path went wrong, else the first's) */
    char *message;                /**< the verdict sentence; owned */
};

/* ---- digread.c: the reader ---- */

/**
 * Read one dig +trace output (text or +yaml, detected) into @p v's steps and counters;
 * @p first_line is the number of its first line in the whole input.
 * @return GT_OK or GT_ENOMEM; text that is not understood is counted, never an error
 */
gt_status gt_vd_read(vd_run *v, const char *text, size_t len, size_t first_line);

/** Free what a step owns (not the step itself). */
void gt_vd_step_free(vd_step *st);

/** Parse @p n bytes of @p s as a domain name. @return false when it is not one. */
bool gt_vd_parse_name(const char *s, size_t n, gt_name *out);

/** Queries of the traces that decide where a trace goes (not checks or resolver traces). */
bool gt_vd_usable_query(const gt_result *r, const gt_query *q);

/** Is dig record @p d in the ANSWER section of @p m (TTL aside)? */
bool gt_vd_rr_in_msg(const vd_rr *d, const gt_msg *m);

/** dig's final data in step @p s: a record of the type asked, or a CNAME on the chain. */
bool gt_vd_is_answer_rr(const gt_result *r, const vd_step *s, const vd_rr *rr);

/* ---- vsdig_judge.c: the servers dig asked ---- */

/** Judge every step by gluetrace's reply from the same address; sets the run's cause. */
void gt_vd_judge_steps(const gt_result *r, vd_run *v);

/** The problems of @p r that dig's output does not show, the CNAME links it did not follow
 *  and whether it printed signatures of a bogus chain. */
void gt_vd_unseen(const gt_result *r, vd_run *v);

/** Servers (by name) of @p zone that gave gluetrace a usable reply to the question, of
 *  @p total asked. */
size_t gt_vd_servers_answering(const gt_result *r, const gt_name *zone, size_t *total);

/** Where each run ended, counted (vs->ends). */
void gt_vd_ends(const gt_result *r, gt_vsdig *vs);

/* ---- vsdig_dnssec.c: DS sets and RRSIGs ---- */

/**
 * Compare the DS sets dig printed at each referral with those the parent's servers gave
 * gluetrace, and each RRSIG dig printed with the RRSIGs gluetrace's replies from servers of
 * the same zone carry; adds DIG_DS_DIFFERS. Nothing happens when dig printed no DNSSEC record.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_vd_dnssec(gt_result *r, vd_run *v);

/* ---- vsdig_report.c: wording ---- */

/** Append printf-style to the NUL-terminated text in @p buf; a cut ends in "...". */
void gt_vd_append(char *buf, size_t size, const char *fmt, ...) GT_PRINTF(3, 4);

/** @p n in presentation format in @p buf. @return buf */
const char *gt_vd_name(const gt_name *n, char *buf, size_t size);

/** gluetrace's addresses for the step's server, ", "-separated, into @p buf. */
void gt_vd_known_list(const vd_step *st, char *buf, size_t size);

/** "the parent's glue says" / "gluetrace's sub-trace from the root found" / ... */
const char *gt_vd_known_says(const vd_step *st);

/**
 * Decide the verdict of a finished comparison and write its sentence into v->message.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_vd_verdict(const gt_result *r, vd_run *v);

/** "REFUSED: lame", ... : the judgement's name in JSON. */
const char *gt_vd_judge_name(vd_judge j);

/** A step's server as "name (address)" ("?" for an unknown name) into @p buf. @return buf */
const char *gt_vd_step_server(const vd_step *s, char *buf, size_t size);

/** Free what a run owns (not the run itself). */
void gt_vd_run_free(vd_run *v);

#endif
