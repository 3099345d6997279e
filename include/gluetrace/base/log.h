/**
 * @file log.h
 * @brief User-facing messages on stderr: one line each, prefixed "gluetrace: ".
 */
#ifndef GLUETRACE_LOG_H
#define GLUETRACE_LOG_H

#include "gluetrace/base/array.h" /* GT_PRINTF */

/** "gluetrace: error: ..." */
void gt_err(const char *fmt, ...) GT_PRINTF(1, 2);
/** "gluetrace: warning: ..." */
void gt_warn(const char *fmt, ...) GT_PRINTF(1, 2);
/** "gluetrace: ..." */
void gt_note(const char *fmt, ...) GT_PRINTF(1, 2);

#endif
