/**
 * @file resolvconf.h
 * @brief The local resolver's address, read only for --compare-resolver.
 *
 * gluetrace never asks the system resolver for anything on its own: this file is opened
 * only when the user asks for a comparison without naming the resolver.
 */
#ifndef GLUETRACE_RESOLVCONF_H
#define GLUETRACE_RESOLVCONF_H

#include <stddef.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"

/** The system resolver configuration file. */
#define GT_RESOLV_CONF "/etc/resolv.conf"

/**
 * The first usable "nameserver ADDR" line of @p text (resolv.conf syntax: '#' or ';'
 * comments; an IPv6 zone suffix "%eth0" is dropped).
 * @return GT_OK, or GT_EINVAL with a one-line reason in @p err
 */
gt_status gt_resolvconf_parse(const char *text, gt_addr *out, char *err, size_t errlen);

/** Read @p path (at most 64 KiB) and parse it as above; GT_EIO when it cannot be read. */
gt_status gt_resolvconf_load(const char *path, gt_addr *out, char *err, size_t errlen);

#endif
