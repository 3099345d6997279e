/**
 * @file addr.h
 * @brief Server addresses (IPv4/IPv6 plus port), parsing and printing.
 */
#ifndef GLUETRACE_ADDR_H
#define GLUETRACE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"

/** Longest text gt_addr_to_str() writes, including the NUL. */
#define GT_ADDR_STRLEN 48

/** An IPv4 or IPv6 server address. */
typedef struct gt_addr {
    int family;        /**< AF_INET or AF_INET6 */
    uint8_t bytes[16]; /**< address in network order (4 or 16 bytes used) */
    uint16_t port;     /**< UDP/TCP port, host order (53 unless said otherwise) */
} gt_addr;

/**
 * Parse a numeric IPv4 or IPv6 address (no names, no port).
 * @param s text such as "192.0.2.1" or "2001:db8::1"
 * @param out set on success, port 53
 * @return GT_OK or GT_EINVAL
 */
gt_status gt_addr_parse(const char *s, gt_addr *out);

/** Build an address from 4 (IPv4) or 16 (IPv6) raw bytes, port 53. */
void gt_addr_from_bytes(gt_addr *out, const uint8_t *bytes, size_t len);

/** Write the address (without port) into @p buf of @p size bytes; returns buf. */
const char *gt_addr_to_str(const gt_addr *a, char *buf, size_t size);

/**
 * Whether @p a can never be a public server: IPv4 0.0.0.0/8 (this network, unspecified),
 * 127.0.0.0/8 (loopback), 169.254.0.0/16 (link-local), 224.0.0.0/4 (multicast),
 * 255.255.255.255 (broadcast); IPv6 :: and ::1, fe80::/10 (link-local), ff00::/8
 * (multicast), and IPv4-mapped forms of the IPv4 ranges (RFC 6890 registries).
 */
bool gt_addr_is_special(const gt_addr *a);

/** @return true when family, bytes and port are equal. */
bool gt_addr_eq(const gt_addr *a, const gt_addr *b);

#endif
