/*
 * crypto.h - algorithm tables and primitives: digests (Nettle), signature
 * algorithm identifiers (RFC 3370, RFC 5754).  Random bytes come from the
 * context (ctx.h).
 *
 * Public-key operations go through GnuTLS abstract keys (see pki.h, cms.h);
 * this module does not load keys and does not know CMS structures.
 */
#ifndef XE2E_CRYPTO_H
#define XE2E_CRYPTO_H

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <nettle/nettle-meta.h>
#include "buf.h"

#define XE2E_MAX_DIGEST 64

struct xe2e_digest {
	const char *name;        /* "sha256": option value */
	const char *micalg;      /* RFC 5751 form: "sha-256" */
	const char *micalg_old;  /* RFC 3851 form: "sha256" */
	const char *oid;         /* digest algorithm OID */
	const struct nettle_hash *hash;
	gnutls_digest_algorithm_t gnutls;
	int sign_ok;             /* may be used to make new signatures */
};

/* Look-ups; NULL when unknown.  Names are case-insensitive ("sha-256" too). */
const struct xe2e_digest *xe2e_digest_by_name(const char *name);
const struct xe2e_digest *xe2e_digest_by_oid(const char *oid);
const struct xe2e_digest *xe2e_digest_by_micalg(const char *micalg);

/* out[0..hash->digest_size) = H(p[0..len)). */
void xe2e_digest(const struct xe2e_digest *d, const void *p, size_t len,
		 unsigned char *out);

/*
 * Signature algorithm of a SignerInfo (RFC 3370 §3, RFC 5754 §3):
 * rsaEncryption, {md5,sha1,sha2}WithRSAEncryption, id-dsa, id-dsa-with-sha1,
 * dsa-with-sha256.  *pk receives the key type; *implied the digest named by
 * the OID itself (NULL for rsaEncryption/id-dsa).  -XE2E_EUNSUPPORTED if unknown.
 */
int xe2e_sigalg_by_oid(const char *oid, gnutls_pk_algorithm_t *pk,
		       const struct xe2e_digest **implied, struct xe2e_err *err);

/* OID to write as signatureAlgorithm for key type pk with digest d; NULL if
 * the combination is not supported.  *null_params: parameters are NULL. */
const char *xe2e_sigalg_oid(gnutls_pk_algorithm_t pk,
			    const struct xe2e_digest *d, int *null_params);

/* Short name of a signature algorithm OID for reports ("rsaEncryption"). */
const char *xe2e_oid_name(const char *oid);

#endif
