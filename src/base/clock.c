/* The one millisecond clock (clock.h). */
#include "gluetrace/base/clock.h"

#include <time.h>

double gt_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
