/*
 * Minimal test assertions for gluetrace's unit tests. Each test program counts checks and
 * ends with gt_test_done(), which prints "N passed, N failed" and returns the exit status.
 */
#ifndef GLUETRACE_TEST_TAP_H
#define GLUETRACE_TEST_TAP_H

#include <stdio.h>
#include <string.h>

static unsigned gt_test_passed;
static unsigned gt_test_failed;

#define GT_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (cond) {                                                                                \
            gt_test_passed++;                                                                      \
        } else {                                                                                   \
            gt_test_failed++;                                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define GT_CHECK_INT(got, want)                                                                    \
    do {                                                                                           \
        long long gt_g_ = (long long)(got), gt_w_ = (long long)(want);                             \
        if (gt_g_ == gt_w_) {                                                                      \
            gt_test_passed++;                                                                      \
        } else {                                                                                   \
            gt_test_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, #got, gt_g_,     \
                    gt_w_);                                                                        \
        }                                                                                          \
    } while (0)

#define GT_CHECK_STR(got, want)                                                                    \
    do {                                                                                           \
        const char *gt_g_ = (got), *gt_w_ = (want);                                                \
        if (gt_g_ != NULL && strcmp(gt_g_, gt_w_) == 0) {                                          \
            gt_test_passed++;                                                                      \
        } else {                                                                                   \
            gt_test_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,        \
                    gt_g_ ? gt_g_ : "(null)", gt_w_);                                              \
        }                                                                                          \
    } while (0)

static inline int gt_test_done(void)
{
    printf("%u passed, %u failed\n", gt_test_passed, gt_test_failed);
    return gt_test_failed == 0 && gt_test_passed > 0 ? 0 : 1;
}

#endif
