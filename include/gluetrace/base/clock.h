/**
 * @file clock.h
 * @brief The one millisecond clock: CLOCK_MONOTONIC in milliseconds, for every elapsed time
 *        and deadline of a run (the transport's deadline() uses the same clock).
 */
#ifndef GLUETRACE_BASE_CLOCK_H
#define GLUETRACE_BASE_CLOCK_H

/** @return CLOCK_MONOTONIC now, in milliseconds (fractional). */
double gt_clock_ms(void);

#endif
