/*
 * cms.h - Cryptographic Message Syntax (RFC 3852 / RFC 5652) on libtasn1:
 * SignedData creation and verification.
 *
 * Input and output are ContentInfo encodings; S/MIME framing is smime.h's.
 * Not here: EnvelopedData (cms_env.h), streaming of long content octets.
 */
#ifndef XE2E_CMS_H
#define XE2E_CMS_H

#include <time.h>
#include <libtasn1.h>
#include "buf.h"
#include "crypto.h"
#include "pki.h"

struct xe2e_sign_params {
	const struct xe2e_cert *cert;      /* signer certificate */
	gnutls_privkey_t key;              /* its private key (RSA or DSA) */
	const struct xe2e_certs *chain;    /* extra certificates to include, or NULL */
	int include_certs;                 /* include signer cert and chain */
	const struct xe2e_digest *digest;
	int embed;                         /* encapsulate content (opaque signing) */
	time_t signing_time;
};

/*
 * Sign content[0..len) (RFC 5652 §5) with id-data as eContentType, signed
 * attributes as DESIGN §3 rule 8.  DER ContentInfo appended to out.
 */
int xe2e_cms_sign(struct xe2e_buf *out, const unsigned char *content,
		  size_t len, const struct xe2e_sign_params *p,
		  struct xe2e_err *err);

/* What verification found out about one SignerInfo. */
struct xe2e_signer {
	struct xe2e_buf subject;       /* RFC 4514 subject of the signer cert */
	struct xe2e_buf names;         /* xe2e_pki_names() lines */
	struct xe2e_buf chain;         /* subjects of the validated path, one per line */
	struct xe2e_path path;         /* that path (borrowed from the inputs and
					  the result's certs and crls) */
	struct xe2e_buf unknown_attrs; /* OIDs of signed attributes not understood */
	int has_signing_time;
	time_t signing_time;           /* claimed; never used for validation */
	const struct xe2e_digest *digest;
	char sigalg[64];
};

struct xe2e_verify_params {
	const struct xe2e_trust *trust;
	const struct xe2e_certs *extra;    /* untrusted certificates from the user */
	const struct xe2e_validate_opts *validate;   /* NULL: defaults (purpose sign) */
	const unsigned char *detached;     /* content of a detached signature */
	size_t detached_len;
	int canon_fallback;                /* if the detached bytes do not verify,
					      try their canonical CRLF form */
};

struct xe2e_verified {
	struct xe2e_buf content;           /* the signed content */
	struct xe2e_certs certs;           /* the message's certificates */
	struct xe2e_crls crls;             /* the message's current CRLs (used for
					      path building; stale ones dropped) */
	char content_type[64];             /* eContentType */
	int also_detached;                 /* the content was encapsulated and also
					      given beside it, byte for byte */
	size_t n_signers;
	struct xe2e_signer signers[XE2E_MAX_SIGNERS];
};

void xe2e_verified_init(struct xe2e_verified *v);
void xe2e_verified_release(struct xe2e_verified *v);

/*
 * Verify a SignedData ContentInfo (BER or DER): every SignerInfo's signature,
 * its contentType and messageDigest attributes, and its certificate path for
 * signing at xe2e_pki_now() (RFC 3850 §4, never the signingTime), with the
 * message's certificates and current CRLs added to p's (RFC 3850 §2.3, §5).
 * Returns 0, or -XE2E_EMALFORMED / -XE2E_ESIGNATURE / -XE2E_ECERT /
 * -XE2E_EUNSUPPORTED with a message naming the signer.
 */
int xe2e_cms_verify(struct xe2e_verified *v, const unsigned char *der,
		    size_t len, const struct xe2e_verify_params *p,
		    struct xe2e_err *err) __attribute__((warn_unused_result));

/*
 * Verify a SignedData and every SignedData nested in it through
 * eContentType id-signedData (RFC 5652 §5.2, RFC 3854 §3.4; the inner object
 * a ContentInfo or a bare SignedData), outermost first, into layers[0..*n)
 * (each initialised by the caller, at most max).  p's detached content
 * applies to the outermost layer only.  A layer beyond max:
 * -XE2E_EMALFORMED naming the limit.  A failure names its layer.
 */
int xe2e_cms_verify_nested(struct xe2e_verified *layers, size_t max, size_t *n,
			   const unsigned char *der, size_t len,
			   const struct xe2e_verify_params *p, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/* Write crt's issuer (raw Name) and serial number as the
 * IssuerAndSerialNumber at `prefix` of node n (RFC 5652 §10.2.4). */
int xe2e_cms_write_ias(asn1_node n, const char *prefix, const struct xe2e_cert *crt,
		       struct xe2e_err *err);

/*
 * A certs-only message (RFC 3851 §3.6, RFC 5652 §5: SignedData without
 * signers): DER ContentInfo with the certificates (and CRLs) appended to out.
 */
int xe2e_cms_certs_only(struct xe2e_buf *out, const struct xe2e_cert *const *certs,
			size_t n, struct xe2e_err *err);

/* The certificates and CRLs of any SignedData (certs-only or not). */
int xe2e_cms_read_certs(struct xe2e_certs *certs, struct xe2e_crls *crls,
			const unsigned char *der, size_t len, struct xe2e_err *err);

#endif
