#include "gluetrace/base/status.h"

const char *gt_status_str(gt_status st)
{
    switch (st) {
    case GT_OK:
        return "success";
    case GT_ENOMEM:
        return "out of memory";
    case GT_EMALFORMED:
        return "malformed DNS message";
    case GT_EINVAL:
        return "invalid argument";
    case GT_ESPACE:
        return "buffer too small";
    case GT_ETIMEOUT:
        return "timeout";
    case GT_ECONNREFUSED:
        return "connection refused";
    case GT_ENETUNREACH:
        return "network unreachable";
    case GT_ETRANSPORT:
        return "transport error";
    case GT_EIO:
        return "I/O error";
    case GT_ELIMIT:
        return "limit reached";
    case GT_ECONNRESET:
        return "connection reset by the server";
    case GT_ECLOSED:
        return "connection closed by the server before the reply";
    case GT_ESHORTREAD:
        return "TCP stream ended inside a message";
    }
    return "unknown error";
}
