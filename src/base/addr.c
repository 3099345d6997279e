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

static bool v4_special(const uint8_t *b)
{
    return b[0] == 0 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] & 0xf0) == 224 ||
           (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
}

bool gt_addr_is_special(const gt_addr *a)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (a->family == AF_INET) {
        return v4_special(a->bytes);
    }
    if (a->family != AF_INET6) {
        return false;
    }
    const uint8_t *b = a->bytes;
    bool zero15 = true;
    for (size_t i = 0; i < 15; i++) {
        zero15 &= b[i] == 0;
    }
    if (zero15 && (b[15] == 0 || b[15] == 1)) {
        return true; /* :: and ::1 */
    }
    if (b[0] == 0xff || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)) {
        return true;
    }
    return memcmp(b, mapped, sizeof(mapped)) == 0 && v4_special(b + 12);
}

bool gt_addr_eq(const gt_addr *a, const gt_addr *b)
{
    size_t n = a->family == AF_INET ? 4 : 16;
    return a->family == b->family && a->port == b->port && memcmp(a->bytes, b->bytes, n) == 0;
}
