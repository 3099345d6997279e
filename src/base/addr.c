#include "gluetrace/base/addr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

gt_status gt_addr_parse(const char *s, gt_addr *out)
{
    memset(out, 0, sizeof(*out));
    out->port = 53;
    if (s == NULL) {
        return GT_EINVAL;
    }
    if (inet_pton(AF_INET, s, out->bytes) == 1) {
        out->family = AF_INET;
        return GT_OK;
    }
    if (inet_pton(AF_INET6, s, out->bytes) == 1) {
        out->family = AF_INET6;
        return GT_OK;
    }
    return GT_EINVAL;
}

void gt_addr_from_bytes(gt_addr *out, const uint8_t *bytes, size_t len)
{
    memset(out, 0, sizeof(*out));
    out->port = 53;
    out->family = len == 4 ? AF_INET : AF_INET6;
    memcpy(out->bytes, bytes, len == 4 ? 4 : 16);
}

const char *gt_addr_to_str(const gt_addr *a, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    if (inet_ntop(a->family, a->bytes, buf, (socklen_t)size) == NULL) {
        buf[0] = '\0';
    }
    return buf;
}

bool gt_addr_eq(const gt_addr *a, const gt_addr *b)
{
    size_t n = a->family == AF_INET ? 4 : 16;
    return a->family == b->family && a->port == b->port && memcmp(a->bytes, b->bytes, n) == 0;
}
