/**
 * @file status.h
 * @brief The one status type returned by every gluetrace function that can fail.
 */
#ifndef GLUETRACE_STATUS_H
#define GLUETRACE_STATUS_H

/** Result of an operation. GT_OK is zero; everything else is an error. */
typedef enum {
    GT_OK = 0,       /**< success */
    GT_ENOMEM,       /**< out of memory */
    GT_EMALFORMED,   /**< malformed DNS data (bounds, compression, lengths) */
    GT_EINVAL,       /**< invalid argument or input text */
    GT_ESPACE,       /**< output buffer too small */
    GT_ETIMEOUT,     /**< no reply within the timeout on every try */
    GT_ECONNREFUSED, /**< port unreachable / connection refused */
    GT_ENETUNREACH,  /**< no route for this address family or address */
    GT_ETRANSPORT,   /**< other transport failure */
    GT_EIO,          /**< file or system I/O error */
    GT_ELIMIT,       /**< a configured limit was reached */
    GT_ECONNRESET,   /**< the server reset the connection before its reply was complete */
    GT_ECLOSED,      /**< the server closed the connection before sending any of the reply */
    GT_ESHORTREAD,   /**< a TCP stream ended inside a message (fewer bytes than its length
                          prefix promised) */
} gt_status;

/** @return a static, human-readable description of @p st; never NULL. */
const char *gt_status_str(gt_status st);

#endif
