/*
 * Shared declarations of the fuzz targets. Each target defines LLVMFuzzerTestOneInput(); built
 * with clang and -fsanitize=fuzzer it is a libFuzzer program, built with any compiler and
 * replay.c it is a plain program that runs every file of a corpus through the target.
 * A target reports a finding by calling fuzz_fail(), which aborts (libFuzzer then saves the
 * input as a crash artifact; the replay test fails).
 */
#ifndef GLUETRACE_FUZZ_H
#define GLUETRACE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** Abort with a message: an invariant of the code under test does not hold. */
#define fuzz_fail(what)                                                                            \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, what);                \
        abort();                                                                                   \
    } while (0)

#define fuzz_assert(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fuzz_fail(#cond);                                                                      \
        }                                                                                          \
    } while (0)

#endif
