/*
 * cert.h - the one certificate type of xe2e: an X.509 certificate (RFC 5280
 * §4) parsed with the project's ASN.1 module, so that every certificate --
 * with an x400Address name (RFC 3854 §4.3) or not, with a key type GnuTLS
 * cannot use or not -- is the same thing to path validation, CMS, the store
 * and reports.  GnuTLS only turns the SubjectPublicKeyInfo into a public key
 * and renders names as RFC 4514 text.
 *
 * Parsing fails closed: a field or an extension we read that does not
 * decode, a duplicate extension (§4.2), extensions in a v1/v2 certificate,
 * a subjectAltName or emailAddress value with an embedded NUL, a control or
 * line-breaking character or bytes outside its string type is
 * -XE2E_EMALFORMED, never "absent".  The subject DN is kept as GnuTLS
 * renders it (RFC 4514; a NUL as #hex) and escaped wherever it is shown:
 * it is never matched against anything but by the §7.1 canonical form.
 *
 * Not here: validation (path.c, name constraints nc.c, the policy tree
 * policy.c).
 */
#ifndef XE2E_CERT_H
#define XE2E_CERT_H

#include <gnutls/abstract.h>
#include <string.h>
#include <time.h>
#include "buf.h"
#include "nc.h"
#include "x509.h"

struct xe2e_cert {
	unsigned refs;
	struct xe2e_buf der;
	struct xe2e_signed s;          /* tbsCertificate, signatureAlgorithm, signature */
	int version;                   /* 1, 2 or 3 */
	struct xe2e_buf serial;        /* serialNumber content octets, as encoded */
	struct xe2e_buf issuer, subject;   /* Names, raw DER */
	struct xe2e_buf issuer_canon, subject_canon;  /* RFC 5280 §7.1 canonical forms:
						 equal bytes = equal names */
	struct xe2e_buf dn;            /* the subject as RFC 4514 text ("" if empty) */
	time_t not_before, not_after;
	struct xe2e_buf spki;          /* SubjectPublicKeyInfo DER */
	char key_oid[64];              /* its algorithm */
	gnutls_pk_algorithm_t pk;      /* GNUTLS_PK_UNKNOWN: a key GnuTLS cannot use */
	unsigned key_bits;
	const char *key_refused;       /* why a key GnuTLS reads is not used, or NULL */
	int dsa_inherits;              /* a DSA key without parameters (RFC 3279 §2.3.2) */
	struct xe2e_buf dsa_y;         /* its public value (INTEGER content octets) */
	int has_ku, ku_critical;
	unsigned ku;                   /* GNUTLS_KEY_* bits */
	int has_bc, ca, pathlen;       /* pathlen -1: no pathLenConstraint */
	int bc_critical;
	int has_pc, pc_critical;       /* policyConstraints (§4.2.1.11) */
	int require_explicit, inhibit_mapping;   /* its SkipCerts values, -1 absent */
	int inhibit_any;               /* inhibitAnyPolicy SkipCerts (§4.2.1.14), -1 absent */
	int ia_critical;
	int has_policies;              /* certificatePolicies (§4.2.1.4) is there */
	struct xe2e_buf policies;      /* its policy OIDs, one per line, each once */
	struct xe2e_buf mappings;      /* policyMappings (§4.2.1.5): "issuer subject" lines */
	int has_eku;
	struct xe2e_buf eku;           /* extendedKeyUsage OIDs, one per line */
	struct xe2e_buf ski, aki;      /* subject / authority key identifier, or empty */
	int aki_critical;              /* §4.2.1.1: it MUST NOT be */
	int san_critical;
	/* the certificate's names, one per line as "kind:value": email
	 * (rfc822Name, PKCS #9 emailAddress in the subject), xmpp
	 * (id-on-xmppAddr), uri, dns, x400 (O/R address text form, x400.h) */
	struct xe2e_buf names;
	struct xe2e_dps dps;           /* cRLDistributionPoints (§4.2.1.13), or none */
	struct xe2e_nc nc;             /* nameConstraints (§4.2.1.10), if present */
	struct xe2e_buf nc_names;      /* its names as name constraints see them (nc.h) */
	int has_san;                   /* a subjectAltName extension is there */
	char bad_ext[128];             /* first critical extension not processed, or "" */
	unsigned char sha256[32];      /* fingerprint of der */
	int self_issued;               /* subject equals issuer (RFC 5280 §7.1) */
};

/* RFC 5280 §7.1: the subject of issuer is the issuer name of c. */
static inline int xe2e_cert_issued_by(const struct xe2e_cert *c, const struct xe2e_cert *issuer)
{
	return xe2e_buf_eq(&c->issuer_canon, &issuer->subject_canon);
}


/*
 * Parse one DER certificate.  *out has one reference (xe2e_cert_unref).
 * -XE2E_EMALFORMED naming what is wrong (and the subject, once known).
 */
int xe2e_cert_parse(struct xe2e_cert **out, const unsigned char *der, size_t len,
		    struct xe2e_err *err);

/* Another reference / drop one (frees at zero; NULL is ignored). */
struct xe2e_cert *xe2e_cert_ref(struct xe2e_cert *c);
void xe2e_cert_unref(struct xe2e_cert *c);

/* 1 if a and b are the same certificate (same DER). */
int xe2e_cert_same(const struct xe2e_cert *a, const struct xe2e_cert *b);

/* The subject for messages: its RFC 4514 text, or "(empty subject)". */
const char *xe2e_cert_name(const struct xe2e_cert *c);

/* The issuer as RFC 4514 text (out replaced). */
int xe2e_cert_issuer_text(struct xe2e_buf *out, const struct xe2e_cert *c,
			  struct xe2e_err *err);

/*
 * The public key, owned by the caller (gnutls_pubkey_deinit).  A DSA key
 * without parameters takes them from issuer_pub (may be NULL).  A key
 * GnuTLS cannot use: -XE2E_EUNSUPPORTED naming its algorithm.
 */
int xe2e_cert_pubkey(gnutls_pubkey_t *out, const struct xe2e_cert *c,
		     gnutls_pubkey_t issuer_pub, struct xe2e_err *err);

/* RFC 5652 §5.3, §6.2.1: is c the certificate named by issuer (raw Name,
 * byte for byte) and serial (INTEGER content octets, compared as a
 * number), or by subjectKeyIdentifier ski?  1 or 0. */
int xe2e_cert_is(const struct xe2e_cert *c, const unsigned char *issuer, size_t ilen,
		 const unsigned char *serial, size_t slen);
int xe2e_cert_has_ski(const struct xe2e_cert *c, const unsigned char *ski, size_t len);

#endif
