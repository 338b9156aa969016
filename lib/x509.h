/*
 * x509.h - the parts of X.509 (RFC 5280) that GnuTLS does not give us or
 * gets wrong for path validation: name comparison by the rules of §7.1,
 * the signed bytes and signature of certificates and CRLs, signature
 * verification under a policy, DSA parameter inheritance (RFC 3279 §2.3.2),
 * and CRLs parsed down to their entry extensions (§5.3).
 *
 * GnuTLS still parses certificates and does every public-key operation.
 * Not here: building or validating paths (path.h).
 */
#ifndef XE2E_X509_H
#define XE2E_X509_H

#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <libtasn1.h>
#include <time.h>
#include "buf.h"

enum xe2e_policy {
	XE2E_POLICY_MODERN,   /* refuses MD2/MD5 signatures and RSA keys < 1024 bits */
	XE2E_POLICY_RFC3850   /* RFC 3850 §4.3: also md5WithRSA and RSA 512..1023 */
};

/* RFC 5280 §7.1: equal Names (RDN by RDN, attribute values compared after
 * trimming, collapsing white space and ASCII case folding for the string
 * types).  Unparsable names compare byte for byte.  Returns 1 or 0. */
int xe2e_x509_name_equal(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);

/* The signed part, algorithm and signature of a certificate or CRL. */
struct xe2e_signed {
	struct xe2e_buf tbs;
	char sigalg[128];
	struct xe2e_buf sig;
};
void xe2e_signed_release(struct xe2e_signed *s);
int xe2e_x509_split_signed(struct xe2e_signed *s, const unsigned char *der,
			   size_t len, int crl, struct xe2e_err *err);

/* Verify s with pub under policy: 0, -XE2E_ECERT (bad or refused, with
 * the reason), -XE2E_EUNSUPPORTED (unknown algorithm). */
int xe2e_x509_verify(const struct xe2e_signed *s, gnutls_pubkey_t pub,
		     enum xe2e_policy policy, struct xe2e_err *err);

/* A key acceptable under policy (RSA size): 0 or -XE2E_ECERT. */
int xe2e_x509_key_ok(gnutls_pubkey_t pub, enum xe2e_policy policy,
		     struct xe2e_err *err);

/* Public key of crt; a DSA key without parameters takes them from
 * issuer_pub (may be NULL).  Caller owns *out. */
int xe2e_x509_pubkey(gnutls_pubkey_t *out, gnutls_x509_crt_t crt,
		     gnutls_pubkey_t issuer_pub, struct xe2e_err *err);

/* Raw issuer or subject Name of a certificate (out replaced). */
int xe2e_x509_crt_name(struct xe2e_buf *out, gnutls_x509_crt_t crt, int issuer,
		       struct xe2e_err *err);

/* A CRL, parsed. */
struct xe2e_crl {
	struct xe2e_buf der;
	struct xe2e_signed s;
	struct xe2e_buf issuer;       /* raw Name */
	time_t this_update, next_update;
	int has_next;
	int delta;                    /* a delta CRL (§5.2.4): not complete */
	int only_user, only_ca;       /* issuing distribution point scope (§5.2.5) */
	struct xe2e_buf idp_dp;       /* its DistributionPointName, raw, or empty */
	const char *unusable;         /* why it cannot be used, or NULL (§5.3) */
	asn1_node node;
	int n_revoked;
};
int xe2e_crl_parse(struct xe2e_crl *c, const unsigned char *der, size_t len,
		   struct xe2e_err *err);
void xe2e_crl_release(struct xe2e_crl *c);
/* 1 if the certificate with this serial (content octets) is listed. */
int xe2e_crl_lists(const struct xe2e_crl *c, const unsigned char *serial,
		   size_t len);
/* 1 if the CRL's issuing distribution point (if any) is one of crt's
 * CRL distribution points (RFC 5280 §6.3.3 (b)(2)(i)). */
int xe2e_crl_covers_dp(const struct xe2e_crl *c, gnutls_x509_crt_t crt);

/*
 * A certificate that GnuTLS cannot import (an x400Address in its
 * subjectAltName, RFC 3854 §4.3), parsed with our module: what path
 * validation of an end entity needs.  names holds "kind:value" lines as
 * xe2e_pki_names() does, with "x400:" for O/R addresses.
 */
struct xe2e_rawcert {
	struct xe2e_buf der, issuer, subject, serial;
	struct xe2e_signed s;
	time_t not_before, not_after;
	gnutls_pubkey_t pub;
	int has_ku, ku_critical;
	unsigned ku;                  /* GNUTLS_KEY_* bits */
	struct xe2e_buf eku;          /* OIDs, one per line */
	struct xe2e_buf names;
	int san_critical, ca;
	char bad_ext[128];            /* a critical extension not processed, or "" */
};
int xe2e_rawcert_parse(struct xe2e_rawcert *c, const unsigned char *der, size_t len,
		       struct xe2e_err *err);
void xe2e_rawcert_release(struct xe2e_rawcert *c);

/* RFC 4514 form of a raw Name (out replaced). */
int xe2e_x509_name_text(struct xe2e_buf *out, const struct xe2e_buf *name,
			struct xe2e_err *err);

/* RFC 4514 form of the CRL issuer (out replaced). */
int xe2e_crl_issuer_dn(struct xe2e_buf *out, const struct xe2e_crl *c,
		       struct xe2e_err *err);

#endif
