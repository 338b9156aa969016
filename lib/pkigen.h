/*
 * pkigen.h - a test PKI for XMPP and S/MIME (`xe2e pki init`): a root CA,
 * an intermediate, and end entities for the identities given, built with
 * GnuTLS's certificate-writing API (RFC 5280 profile; RFC 3923 §6.3 and
 * RFC 6120 §13.7.1.4 names: id-on-xmppAddr, im: and pres: URIs, the
 * rfc822Name; RFC 3850 §4.4 key usage; RFC 3854 §4.3 x400Address through
 * the project's ASN.1 module) and v2 CRLs.
 *
 * Every random draw -- key generation seeds, serial numbers -- comes from
 * the context's source (ctx.h).  With a reproducible source (fixture.h)
 * RSA keys come from GnuTLS's provable generation (FIPS 186-4 B.3.2)
 * seeded by it and DSA keys from Nettle's generation with it as the random
 * function, so the same seed and time give the same files byte for byte;
 * otherwise GnuTLS's normal generation.
 *
 * Not here: validating what it makes (cert-check does), printing.
 */
#ifndef XE2E_PKIGEN_H
#define XE2E_PKIGEN_H

#include <time.h>
#include "buf.h"
#include "ctx.h"

#define XE2E_PKIGEN_MAX_IDS 64          /* --user and --x400 each */
#define XE2E_PKIGEN_MAX_DAYS 36500
#define XE2E_PKIGEN_MAX_ADDR 64         /* an identity is the CN (ub-common-name) */
#define XE2E_PKIGEN_LAST_TIME ((time_t)253402300799)   /* 9999-12-31T23:59:59Z */

struct xe2e_pkigen_opts {
	const char *const *users;          /* e-mail addresses / bare JIDs */
	size_t n_users;
	const char *const *x400;           /* O/R addresses (x400.h text form) */
	size_t n_x400;
	unsigned bits;                     /* RSA modulus: 2048, 3072 or 4096 */
	unsigned days;                     /* validity from now (1 .. MAX_DAYS) */
	int split;                         /* also NAME-sign and NAME-enc */
	int dsa;                           /* also NAME-dsa (DSA-2048 signer) */
	int expired, revoked;              /* also expired.* / revoked.* */
	time_t now;                        /* 0: the context's clock */
};

/* One file of the result. */
struct xe2e_pkigen_file {
	char name[300];                    /* relative to the directory */
	char what[200];                    /* one line: what it is */
	int secret;                        /* a private key: written 0600 */
	struct xe2e_buf data;
};

struct xe2e_pkigen {
	size_t n;
	struct xe2e_pkigen_file *v;
};

/* 1 if addr is an identity pki accepts: ASCII local@domain of at most
 * XE2E_PKIGEN_MAX_ADDR characters, the local part of letters, digits and
 * . _ + -, the domain LDH labels. */
int xe2e_pkigen_user_ok(const char *addr);

/* Make every file in memory (nothing written).  -XE2E_EUSAGE for bad
 * options (naming them), -XE2E_EIO for a GnuTLS failure.  out is
 * released with xe2e_pkigen_release (also on failure). */
int xe2e_pkigen_make(struct xe2e_pkigen *out, const struct xe2e_ctx *ctx,
		     const struct xe2e_pkigen_opts *o, struct xe2e_err *err);

/* Write the files into dir (created if missing), each atomically, keys
 * 0600.  A directory that already holds ca.key is refused unless force. */
int xe2e_pkigen_write(const struct xe2e_pkigen *g, const char *dir, int force,
		      struct xe2e_err *err);

/* Wipe (keys) and free. */
void xe2e_pkigen_release(struct xe2e_pkigen *g);

#endif
