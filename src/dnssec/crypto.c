/*
 * libcrypto set-up, once per process: OpenSSL's own initialisation (its configuration file,
 * error strings, the default provider's algorithm tables) and the algorithms DNSSEC uses,
 * fetched once. The first use of each costs far more than every later one (about 0.8 ms in
 * all against a whole validation of 0.6 ms, docs/performance.md), so the engine calls
 * gt_dnssec_warm_up() right after the first queries of a trace leave: the cost is paid while
 * they are in flight instead of after the last reply.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "internal.h"

/** Digest names for libcrypto, indexed by dsec_md_id. */
static const char *const md_names[DSEC_MD_COUNT] = {"SHA1", "SHA256", "SHA384", "SHA512"};

/* Key types and signature algorithms of the supported DNSSEC algorithms (verify.c). */
static const char *const key_names[] = {"RSA", "EC", "ED25519", "ED448"};
static const char *const sig_names[] = {"RSA", "ECDSA", "ED25519", "ED448"};

/** The fetched digests; process-wide, kept until exit (freed with libcrypto's own state). */
static EVP_MD *md_cache[DSEC_MD_COUNT];
static CRYPTO_ONCE warm_once = CRYPTO_ONCE_STATIC_INIT;

static void warm_up(void)
{
    /* The configuration file is read as libcrypto would on first use. Not loaded: its error
     * strings (~0.2 ms; nothing here prints libcrypto's errors) and the legacy tables of every
     * cipher and digest by name (~0.3 ms on the first fetch; algorithms are fetched from the
     * providers by name here). No exit handler: the process is ending and its memory goes
     * with it (valgrind calls that "still reachable"). */
    if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                                OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS |
                                OPENSSL_INIT_NO_ATEXIT,
                            NULL) != 1) {
        return; /* every later use fails and says so (GT_DSEC_NOMEM / BAD_KEY) */
    }
    for (size_t i = 0; i < DSEC_MD_COUNT; i++) {
        md_cache[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
    }
    /* Fetched once, these stay in libcrypto's method store: later implicit fetches by name
     * (EVP_PKEY_CTX_new_from_name, EVP_DigestVerifyInit_ex) find them there. */
    for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
        EVP_KEYMGMT_free(EVP_KEYMGMT_fetch(NULL, key_names[i], NULL));
        EVP_SIGNATURE_free(EVP_SIGNATURE_fetch(NULL, sig_names[i], NULL));
    }
}

void gt_dnssec_warm_up(void)
{
    (void)CRYPTO_THREAD_run_once(&warm_once, warm_up);
}

const EVP_MD *dsec_md(dsec_md_id id)
{
    gt_dnssec_warm_up();
    return id < DSEC_MD_COUNT ? md_cache[id] : NULL;
}
