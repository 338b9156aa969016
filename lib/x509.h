/*
 * x509.h - the parts of X.509 (RFC 5280) that path validation needs beside
 * the certificate itself (cert.h): name comparison by the rules of §7.1,
 * the signed bytes and signature of certificates and CRLs, signature
 * verification under a policy, and CRLs parsed down to their entry
 * extensions (§5.3).
 *
 * GnuTLS does every public-key operation.  Not here: certificates
 * (cert.h), building or validating paths (path.c).
 */
#ifndef XE2E_X509_H
#define XE2E_X509_H

#include <stdint.h>
#include <gnutls/abstract.h>
#include <libtasn1.h>
#include <time.h>
#include "buf.h"

enum xe2e_policy {
	XE2E_POLICY_MODERN,   /* refuses MD2/MD5 signatures and RSA keys < 1024 bits */
	XE2E_POLICY_RFC3850,  /* RFC 3850 §4.3: also md5WithRSA and RSA 512..1023 */
	XE2E_POLICY_STRICT    /* modern, and refuses what modern only warns about
				 (a CA certificate as an S/MIME end entity) */
};

/* RFC 5280 §7.1: equal Names (RDN by RDN, attribute values compared after
 * trimming, collapsing white space and ASCII case folding for the string
 * types; multi-valued RDNs as sets matched one to one).  Names that do not
 * decode are equal only byte for byte.  Returns 1 or 0. */
int xe2e_x509_name_equal(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);

/* The canonical form behind that comparison (out replaced): two Names are
 * equal by §7.1 exactly when their canonical forms are the same bytes.
 * -XE2E_EMALFORMED if der is not a Name (or has over 64 RDNs or over 16
 * values in one). */
int xe2e_x509_name_canon(struct xe2e_buf *out, const unsigned char *der, size_t len);

/* The signed part, algorithm and signature of a certificate or CRL. */
struct xe2e_signed {
	struct xe2e_buf tbs;
	char sigalg[128];
	struct xe2e_buf sig;
	int sig_partial;   /* the BIT STRING is not whole octets: never verifies */
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

/* A revoked serial: minimal INTEGER content octets at s.tbs.data + off;
 * issuer: 0 the CRL issuer, k the k-th certificateIssuer of an indirect
 * CRL (§5.3.3); reason: the CRLReason (§5.3.1; 0 when absent). */
struct xe2e_crl_serial {
	uint32_t off, len;
	uint16_t issuer;
	uint8_t reason;
};

/* RFC 5280 ReasonFlags (§4.2.1.13) as bits 1 << n, n the named bit; all
 * reasons are bits 1-8 (bit 0, "unused", is not a reason) */
#define XE2E_ALL_REASONS 0x1feu
#define XE2E_REASON_HOLD 6                 /* CRLReason certificateHold */
#define XE2E_REASON_REMOVE_FROM_CRL 8      /* CRLReason removeFromCRL */

/* A CRL, parsed. */
struct xe2e_crl {
	struct xe2e_buf der;
	unsigned char sha256[32];     /* fingerprint of der */
	struct xe2e_signed s;
	struct xe2e_buf issuer;       /* raw Name */
	struct xe2e_buf issuer_canon; /* its §7.1 canonical form (xe2e_x509_name_canon) */
	time_t this_update, next_update;
	int has_next;
	int delta;                    /* a delta CRL (§5.2.4): not complete */
	struct xe2e_buf number;       /* cRLNumber (§5.2.3), minimal content octets, or empty */
	struct xe2e_buf base;         /* a delta's BaseCRLNumber (§5.2.4), likewise */
	int only_user, only_ca;       /* issuing distribution point scope (§5.2.5) */
	int indirect;                 /* ... indirectCRL */
	unsigned some_reasons;        /* ... onlySomeReasons (XE2E_ALL_REASONS if absent) */
	int idp_named;                /* ... distributionPoint: 1 in idp_name, 0 none, -1 a
					 form we cannot read */
	struct xe2e_buf idp_name;     /* ... as a fullName (relative name resolved) */
	struct xe2e_buf idp;          /* the whole extension value, or empty */
	struct xe2e_buf *entry_issuers;   /* §7.1 canonical certificateIssuer names */
	size_t n_entry_issuers;
	const char *unusable;         /* why it cannot be used, or NULL (§5.3) */
	asn1_node node;               /* the TBSCertList without revokedCertificates */
	int n_revoked;
	struct xe2e_crl_serial *serials;  /* n_revoked, sorted (length, octets) */
};
int xe2e_crl_parse(struct xe2e_crl *c, const unsigned char *der, size_t len,
		   struct xe2e_err *err);
void xe2e_crl_release(struct xe2e_crl *c);
/* The entry for the certificate of issuer issuer_canon (§7.1 canonical)
 * with this serial (content octets, compared as a number): its reason
 * (0..10), or -1 when it is not listed. */
int xe2e_crl_entry(const struct xe2e_crl *c, const struct xe2e_buf *issuer_canon,
		   const unsigned char *serial, size_t len);
/* One distribution point of a certificate (RFC 5280 §4.2.1.13), read
 * once when the certificate is parsed. */
#define XE2E_MAX_DPS 32
struct xe2e_dp {
	struct xe2e_buf name;         /* distributionPoint (raw DistributionPointName), or empty */
	struct xe2e_buf crl_issuer;   /* cRLIssuer as a fullName ([0] GeneralNames), or empty */
	unsigned reasons;             /* reasons, or XE2E_ALL_REASONS */
};
struct xe2e_dps {
	struct xe2e_dp *v;
	size_t n;
};
/* A cRLDistributionPoints value: 1 to XE2E_MAX_DPS points, each with a
 * distributionPoint or a cRLIssuer; anything else -XE2E_EMALFORMED. */
int xe2e_dps_parse(struct xe2e_dps *out, const unsigned char *der, size_t len,
		   struct xe2e_err *err);
void xe2e_dps_release(struct xe2e_dps *d);
/*
 * RFC 5280 §6.3.3 (b): is CRL c, complete or delta, for distribution point
 * dp (NULL: the certificate has no cRLDistributionPoints -- its issuer,
 * every reason) of a certificate with issuer cert_issuer (raw and
 * canonical)?  (b)(1) the CRL issuer is the certificate's, or the point's
 * cRLIssuer for an indirect CRL; (b)(2)(i) a name of the CRL's issuing
 * distribution point is the point's (relative names resolved) or, without
 * one, its cRLIssuer.  1, 0, or -1 if that cannot be decided (a name form
 * we do not process): the caller treats the CRL as in scope and unusable.
 * The certificate-kind scope is the caller's.
 */
int xe2e_crl_covers_dp(const struct xe2e_crl *c, const struct xe2e_dp *dp,
		       const struct xe2e_buf *cert_issuer,
		       const struct xe2e_buf *cert_issuer_canon);
/* Compare two CRL numbers (minimal content octets) as numbers: <0, 0, >0. */
int xe2e_crl_number_cmp(const struct xe2e_buf *a, const struct xe2e_buf *b);

/* RFC 4514 form of a raw Name (out replaced). */
int xe2e_x509_name_text(struct xe2e_buf *out, const struct xe2e_buf *name,
			struct xe2e_err *err);

/* RFC 4514 form of the CRL issuer (out replaced). */
int xe2e_crl_issuer_dn(struct xe2e_buf *out, const struct xe2e_crl *c,
		       struct xe2e_err *err);

#endif
