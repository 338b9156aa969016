/*
 * limits.h - named caps against hostile input (DESIGN §6).
 *
 * Every parser checks its input against one of these; all are defaults that a
 * command may lower or raise through its options.  Nothing else lives here.
 */
#ifndef XE2E_LIMITS_H
#define XE2E_LIMITS_H

#define XE2E_MAX_INPUT        ((size_t)64 << 20)  /* in-memory input: 64 MiB */
#define XE2E_MAX_HEADER_BLOCK ((size_t)64 << 10)  /* one MIME header block: 64 KiB */
#define XE2E_MAX_HEADERS      1000                /* header fields in one block */
#define XE2E_MAX_MULTIPART_DEPTH 8
#define XE2E_MAX_CMS_NESTING  8                   /* default nesting limit (DESIGN §6) */
#define XE2E_MAX_LAYERS       32                  /* the most a limit may be raised to */
#define XE2E_MAX_RECIPIENTS   100
#define XE2E_MAX_CERTS        64                  /* certificates per message */
#define XE2E_MAX_CRLS         64                  /* CRLs per message */
#define XE2E_MAX_SIGNERS      16                  /* SignerInfos per SignedData */
#define XE2E_MAX_ATTRS        64                  /* attributes per SignerInfo */
#define XE2E_MAX_CHAIN        16                  /* certificates in one path */
/* path building work per validation: issuer candidates tried plus
 * signatures checked (certificates and CRLs), nested CRL-issuer paths
 * included */
#define XE2E_MAX_PATH_WORK    1024
/* public keys whose operations cost more than this are refused when a
 * certificate is parsed: one hostile key must not cost seconds (OpenSSL
 * has the same RSA caps) */
#define XE2E_MAX_RSA_BITS     16384               /* RSA modulus */
#define XE2E_MAX_RSA_E_BITS   64                  /* RSA public exponent */
#define XE2E_MAX_DSA_P_BITS   4096                /* DSA p */
#define XE2E_MAX_DSA_Q_BITS   256                 /* DSA q (FIPS 186: 160-256) */
/* certificates and CRLs one message may add to a store (--cache) */
#define XE2E_MAX_CACHE_ADD    32
#define XE2E_MAX_CA_FILES     1024                /* files read from a --ca DIR */
#define XE2E_MAX_PASSPHRASE   1024
/* encrypt/decrypt stream (indefinite BER, constant memory) above this size,
 * or whenever the input is not a regular file */
#define XE2E_STREAM_THRESHOLD ((long long)16 << 20)

#endif
