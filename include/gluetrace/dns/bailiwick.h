/**
 * @file bailiwick.h
 * @brief Extracting a referral's NS set and the glue we may use (RFC 9471).
 */
#ifndef GLUETRACE_BAILIWICK_H
#define GLUETRACE_BAILIWICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"
#include "gluetrace/wire/wire.h"

/** Most NS names taken from one referral; the rest are counted in @ref gt_referral.ns_dropped. */
#define GT_MAX_NS_PER_REFERRAL 32
/** Most glue addresses taken from one referral. */
#define GT_MAX_GLUE_PER_REFERRAL 64
/** Most ignored additional records remembered for reporting. */
#define GT_MAX_IGNORED_PER_REFERRAL 32

/** Where an accepted glue record sits relative to the delegation (RFC 9471 section 2). */
typedef enum {
    GT_GLUE_NONE = 0,
    GT_GLUE_IN_DOMAIN, /**< NS name under the delegated zone */
    GT_GLUE_SIBLING,   /**< NS name under the referring server's zone, not the delegated one */
} gt_glue_kind;

/** An address record from ADDITIONAL that may be used as a next hop. */
typedef struct gt_glue {
    gt_name name;
    gt_addr addr;
    gt_glue_kind kind;
} gt_glue;

/** An ADDITIONAL record that was not used, and why it was not. */
typedef struct gt_ignored {
    gt_name name;
    uint16_t type;
    gt_addr addr;       /**< valid when type is A or AAAA */
    const char *reason; /**< static text: "out of bailiwick", "not an NS name of the referral" */
} gt_ignored;

/** A referral as the engine uses it. */
typedef struct gt_referral {
    gt_name zone; /**< the delegated zone (owner of the NS RRset) */
    gt_name *ns;  /**< NS names, in reply order, duplicates removed */
    size_t nns;
    size_t ns_dropped; /**< NS names beyond GT_MAX_NS_PER_REFERRAL */
    gt_glue *glue;     /**< accepted glue */
    size_t nglue;
    gt_ignored *ignored; /**< rejected additional records */
    size_t nignored;
    size_t glue_dropped;    /**< usable glue beyond GT_MAX_GLUE_PER_REFERRAL, not taken */
    size_t ignored_dropped; /**< ignored records beyond GT_MAX_IGNORED_PER_REFERRAL, not listed */
} gt_referral;

/**
 * Classify one glue owner name: in-domain when under @p child, sibling when under @p parent,
 * GT_GLUE_NONE (out of bailiwick) otherwise.
 */
gt_glue_kind gt_bailiwick_kind(const gt_name *owner, const gt_name *child, const gt_name *parent);

/**
 * Build the referral to @p child from a reply sent by a server of zone @p parent: NS records of
 * AUTHORITY owned by @p child, A/AAAA of ADDITIONAL accepted when owned by one of those NS names
 * and in bailiwick; every other ADDITIONAL record (except OPT) is listed as ignored. Glue of an
 * NS name dropped by GT_MAX_NS_PER_REFERRAL is ignored with its own reason; what the limits
 * leave out is counted in ns_dropped, glue_dropped and ignored_dropped.
 * @param out zeroed by the call; release with gt_referral_clear()
 */
gt_status gt_referral_extract(const gt_msg *m, const gt_name *child, const gt_name *parent,
                              gt_referral *out);

/**
 * @return true when both referrals delegate the same zone to the same NS names with the same
 *         accepted glue (order and case aside)
 */
bool gt_referral_same(const gt_referral *a, const gt_referral *b);

/** Free the arrays of a referral; the struct may be reused. */
void gt_referral_clear(gt_referral *r);

/** @return "in-domain", "sibling" or "none". */
const char *gt_glue_kind_str(gt_glue_kind k);

#endif
