/**
 * @file cli.h
 * @brief Command line to gt_config.
 */
#ifndef GLUETRACE_CLI_H
#define GLUETRACE_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "gluetrace/model/config.h"
#include "gluetrace/base/status.h"

/** What main should do after parsing. */
typedef enum {
    GT_CLI_RUN,          /**< trace */
    GT_CLI_HELP,         /**< print --help */
    GT_CLI_VERSION,      /**< print the version */
    GT_CLI_EXPLAIN,      /**< print the documentation of finding code cfg->explain */
    GT_CLI_EXPLAIN_LIST, /**< --explain list: every code, its severity and one line */
} gt_cli_action;

/**
 * Parse argv: options, then the operands NAME [TYPE] with dig's @ADDR (same as -s ADDR)
 * anywhere among them. Each -S address is checked to be one of this host's by binding a UDP
 * socket to it (nothing is sent). On error returns GT_EINVAL with a one-line message (no
 * program prefix, no newline) in @p err.
 */
gt_status gt_cli_parse(int argc, char **argv, gt_config *cfg, gt_cli_action *action, char *err,
                       size_t errlen);

/** Print the --help text. */
void gt_cli_help(FILE *out);

#endif
