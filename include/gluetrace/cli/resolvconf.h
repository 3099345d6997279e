/**
 * @file resolvconf.h
 * @brief The resolvers of --compare-resolver: resolv.conf (read only when asked), the named
 *        sets of public resolvers, and the comma lists that name them.
 *
 * gluetrace never asks the system resolver for anything on its own: this file is opened
 * only when the user asks for a comparison without naming the resolver, or names `system`.
 */
#ifndef GLUETRACE_RESOLVCONF_H
#define GLUETRACE_RESOLVCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"

/** The system resolver configuration file. */
#define GT_RESOLV_CONF "/etc/resolv.conf"

/** Most nameserver lines of resolv.conf used (glibc uses 3; more are kept, up to this). */
#define GT_RESOLV_CONF_MAX_NS 8

/**
 * Every usable "nameserver ADDR" line of @p text, in order (resolv.conf syntax: '#' or ';'
 * comments; an IPv6 zone suffix "%eth0" is dropped), at most @p cap of them.
 * @return GT_OK with at least one address, or GT_EINVAL with a one-line reason in @p err
 */
gt_status gt_resolvconf_parse(const char *text, gt_addr *out, size_t cap, size_t *n, char *err,
                              size_t errlen);

/** Read @p path (at most 64 KiB) and parse it as above; GT_EIO when it cannot be read. */
gt_status gt_resolvconf_load(const char *path, gt_addr *out, size_t cap, size_t *n, char *err,
                             size_t errlen);

/**
 * The published service addresses of a named public resolver set ("google", "cloudflare",
 * "quad9", "opendns"): IPv4 first, then IPv6.
 * @param[out] addrs static strings; @param[out] n how many
 * @return false when @p name is no such set
 */
bool gt_resolver_set(const char *name, const char *const **addrs, size_t *n);

/**
 * Whether every comma-separated item of @p arg is an address, `system` or a named set (used
 * to tell `--compare-resolver LIST NAME` from `--compare-resolver NAME`).
 */
bool gt_resolver_list_valid(const char *arg);

/** Whether @p arg is a comma list of addresses only (no `system`, no named set). */
bool gt_resolver_list_addresses(const char *arg);

/**
 * Append the resolvers of the comma list @p arg (addresses, `system`, named sets) to
 * @p list (@p n used of GT_MAX_RESOLVERS). `system` becomes one entry of family 0 that
 * gt_resolver_list_system() replaces; an address already listed is not added again.
 * @return GT_OK, or GT_EINVAL with a one-line reason in @p err (bad item, too many)
 */
gt_status gt_resolver_list_add(gt_resolver_spec *list, size_t *n, const char *arg, char *err,
                               size_t errlen);

/**
 * Replace the `system` entry of @p list (if any) by the addresses @p sys (@p nsys of them,
 * from resolv.conf), each marked "system", skipping addresses already listed.
 * @return GT_OK, or GT_EINVAL when the list would exceed GT_MAX_RESOLVERS
 */
gt_status gt_resolver_list_system(gt_resolver_spec *list, size_t *n, const gt_addr *sys,
                                  size_t nsys, char *err, size_t errlen);

/** Whether @p list holds a `system` entry still to be read. */
bool gt_resolver_list_wants_system(const gt_resolver_spec *list, size_t n);

#endif
