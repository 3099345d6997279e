/*
 * Scripted "worlds" (tests/support/miniauth) shared by the renderer unit tests
 * (tests/unit/test_render.c) and the output test driver (tests/output/render_driver.c).
 * No network: every server is answered in-process, so every run is deterministic.
 */
#ifndef GLUETRACE_TEST_WORLDS_H
#define GLUETRACE_TEST_WORLDS_H

#include <stddef.h>
#include <string.h>

/* Two root servers; the test. TLD (two addresses of one server) and net. TLD with glue. */
#define GT_WORLD_ROOTS                                                                             \
    "@198.51.100.1 .", ". NS a.root.test.", ". NS b.root.test.", "test. NS ns1.nic.test.",         \
        "ns1.nic.test. A 198.51.100.10", "ns1.nic.test. AAAA 2001:db8::10",                        \
        "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20", "@198.51.100.2 .",                 \
        ". NS a.root.test.", ". NS b.root.test.", "test. NS ns1.nic.test.",                        \
        "ns1.nic.test. A 198.51.100.10", "ns1.nic.test. AAAA 2001:db8::10",                        \
        "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20"

#define GT_WORLD_TEST_TLD(addr)                                                                    \
    "@" addr " test.", "test. SOA ns1.nic.test. h.nic.test. 1 2 3 4 5", "test. NS ns1.nic.test.",  \
        "ns1.nic.test. A 198.51.100.10", "ns1.nic.test. AAAA 2001:db8::10",                        \
        "example.test. NS ns1.example.test.", "example.test. NS ns2.example.test.",                \
        "ns1.example.test. A 198.51.100.30", "ns2.example.test. AAAA 2001:db8::30",                \
        "glueless.test. NS ns.other.net.", "hostile.test. NS ns\\027[2J.hostile.test.",            \
        "ns\\027[2J.hostile.test. A 198.51.100.70", "hostile.test. NS ns.lame.test.",              \
        "ns.lame.test. A 198.51.100.71"

#define GT_WORLD_EXAMPLE(addr)                                                                     \
    "@" addr " example.test.", "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",    \
        "example.test. NS ns1.example.test.", "example.test. NS ns2.example.test.",                \
        "ns1.example.test. A 198.51.100.30", "ns2.example.test. AAAA 2001:db8::30",                \
        "www.example.test. A 192.0.2.1", "www.example.test. A 192.0.2.11"

static const char *const gt_world_lines[] = {
    GT_WORLD_ROOTS,
    GT_WORLD_TEST_TLD("198.51.100.10"),
    GT_WORLD_TEST_TLD("2001:db8::10"),
    GT_WORLD_EXAMPLE("198.51.100.30"),
    GT_WORLD_EXAMPLE("2001:db8::30"),
    /* glueless.test is served by ns.other.net: its address comes from a sub-trace. */
    "@198.51.100.20 net.",
    "net. SOA ns1.nic.net. h.nic.net. 1 2 3 4 5",
    "net. NS ns1.nic.net.",
    "ns1.nic.net. A 198.51.100.20",
    "other.net. NS ns1.other.net.",
    "ns1.other.net. A 198.51.100.40",
    "@198.51.100.40 other.net.",
    "other.net. SOA ns1.other.net. h.other.net. 1 2 3 4 5",
    "other.net. NS ns1.other.net.",
    "ns1.other.net. A 198.51.100.40",
    "ns.other.net. A 198.51.100.50",
    "@198.51.100.50 glueless.test.",
    "glueless.test. SOA ns.other.net. h.glueless.test. 1 2 3 4 5",
    "glueless.test. NS ns.other.net.",
    "www.glueless.test. A 192.0.2.2",
    /* hostile.test: an NS name with an ESC sequence, answers that name quotes, backslashes
     * and control bytes; its second server refuses (a failure to show). */
    "@198.51.100.70 hostile.test.",
    "hostile.test. SOA ns\\027[2J.hostile.test. h.hostile.test. 1 2 3 4 5",
    "hostile.test. NS ns\\027[2J.hostile.test.",
    "hostile.test. NS ns.lame.test.",
    "ns\\027[2J.hostile.test. A 198.51.100.70",
    "x\\\"y\\\\z\\007\\027[31m.hostile.test. A 192.0.2.66",
    "x\\\"y\\\\z\\007\\027[31m.hostile.test. TXT \"quote\\\"d\\\\ \\007bell\"",
    "!198.51.100.71 refuse",
    NULL,
};

/** The hostile name as the user types it, and in presentation format. */
#define GT_WORLD_HOSTILE_NAME "x\\\"y\\\\z\\007\\027[31m.hostile.test."

static const char gt_world_hints[] = ". 3600000 NS a.root.test.\n"
                                     ". 3600000 NS b.root.test.\n"
                                     "a.root.test. 3600000 A 198.51.100.1\n"
                                     "b.root.test. 3600000 A 198.51.100.2\n";

#endif
