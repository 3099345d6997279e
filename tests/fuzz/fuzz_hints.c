/*
 * Fuzz target (c): the root hints parser (named.root layout), which also exercises the
 * presentation-format name, type and RDATA parsers. Invariants: the result respects the
 * documented limits, every server has at least one address, and a failure fills the error
 * text with one NUL-terminated line.
 */
#include <string.h>

#include "fuzz.h"
#include "gluetrace/dns/hints.h"

/** Hints files are read up to 1 MiB; fuzz inputs beyond 64 KiB add nothing. */
#define FUZZ_HINTS_MAX 65536

static gt_hints hints;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_HINTS_MAX) {
        return 0;
    }
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    char err[256];
    memset(err, 'x', sizeof(err));
    gt_status st = gt_hints_parse(text, &hints, err, sizeof(err));
    if (st == GT_OK) {
        fuzz_assert(hints.nservers >= 1 && hints.nservers <= GT_MAX_HINT_SERVERS);
        for (size_t i = 0; i < hints.nservers; i++) {
            fuzz_assert(hints.servers[i].naddrs >= 1);
            fuzz_assert(hints.servers[i].naddrs <= GT_MAX_HINT_ADDRS);
        }
    } else {
        fuzz_assert(st == GT_EINVAL || st == GT_ELIMIT);
        fuzz_assert(memchr(err, '\0', sizeof(err)) != NULL);
        fuzz_assert(strchr(err, '\n') == NULL);
    }
    /* The same text as one name: must not crash whatever it holds. */
    gt_name n;
    if (size < 2048 && gt_name_from_str(&n, text) == GT_OK) {
        fuzz_assert(n.len >= 1 && n.len <= GT_NAME_MAX);
    }
    free(text);
    return 0;
}
