/*
 * pki.h - certificates, keys, CRLs, trust anchors, path validation and names
 * (RFC 3850 §4, RFC 5280 §6) on top of GnuTLS.
 *
 * GnuTLS parses certificates and keys and does every public-key operation;
 * paths are built and validated in path.c by RFC 5280 §6.1 and §6.3.3,
 * because GnuTLS's own verifier is wrong on 18 PKITS cases of §4.1-§4.7
 * (DESIGN §7): it rejects name chaining by §7.1 and DSA parameter
 * inheritance, accepts a missing or stale CRL, and ignores the key usage of
 * CRL signers.  RFC 3850 §4.4 key usage rules apply to the end entity.
 *
 * Not here (yet): certificates GnuTLS cannot import (x400Address SAN), the
 * certificate store, certificate policies and name constraints (a critical
 * extension of those kinds fails the path).
 */
#ifndef XE2E_PKI_H
#define XE2E_PKI_H

#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <time.h>
#include "buf.h"
#include "limits.h"

/* An owned list of certificates. */
struct xe2e_certs {
	gnutls_x509_crt_t *v;
	size_t n, alloc;
};

struct xe2e_crl;

/* An owned list of parsed CRLs (x509.h). */
struct xe2e_crls {
	struct xe2e_crl **v;
	size_t n, alloc;
};

void xe2e_certs_init(struct xe2e_certs *c);
void xe2e_certs_release(struct xe2e_certs *c);
/* Append crt, taking ownership (deinit on failure too). */
int xe2e_certs_push(struct xe2e_certs *c, gnutls_x509_crt_t crt,
		    struct xe2e_err *err);
/* Import one DER certificate and append it. */
int xe2e_certs_add_der(struct xe2e_certs *c, const unsigned char *der,
		       size_t len, struct xe2e_err *err);
/* Append every certificate in a PEM or DER file; 0 certificates is an error. */
int xe2e_certs_load(struct xe2e_certs *c, const char *path, struct xe2e_err *err);
/* As xe2e_certs_load, or every .pem, .crt, .cer or .der file of a directory. */
int xe2e_certs_load_path(struct xe2e_certs *c, const char *path,
			 struct xe2e_err *err);

void xe2e_crls_init(struct xe2e_crls *c);
void xe2e_crls_release(struct xe2e_crls *c);
int xe2e_crls_add_der(struct xe2e_crls *c, const unsigned char *der, size_t len,
		      struct xe2e_err *err);
int xe2e_crls_load(struct xe2e_crls *c, const char *path, struct xe2e_err *err);
/* Drop (and free) the CRLs that are not current at xe2e_pki_now(). */
void xe2e_crls_keep_current(struct xe2e_crls *c);

/*
 * Load a private key (PEM or DER; PKCS#1, PKCS#8, encrypted PKCS#8 with
 * pass).  Caller owns *out (gnutls_privkey_deinit).  A wrong or missing
 * passphrase is -XE2E_EUSAGE; an unreadable file -XE2E_EIO; anything else
 * -XE2E_EMALFORMED.
 */
int xe2e_pki_load_key(gnutls_privkey_t *out, const char *path, const char *pass,
		      struct xe2e_err *err);

/* 0 if key is the private key of crt, else -XE2E_EUSAGE. */
int xe2e_pki_key_matches(gnutls_privkey_t key, gnutls_x509_crt_t crt,
			 const char *key_path, struct xe2e_err *err);

/* Validation time: the clock unless set (also makes GnuTLS use it). */
void xe2e_pki_set_time(time_t t);
time_t xe2e_pki_now(void);

/* Trust anchors and known CRLs. */
struct xe2e_trust {
	struct xe2e_certs anchors;
	struct xe2e_crls crls;
};

void xe2e_trust_init(struct xe2e_trust *t);
void xe2e_trust_release(struct xe2e_trust *t);

enum xe2e_purpose {
	XE2E_PURPOSE_ANY,
	XE2E_PURPOSE_SIGN,     /* digitalSignature or nonRepudiation */
	XE2E_PURPOSE_ENCRYPT,  /* keyEncipherment */
	XE2E_PURPOSE_CRL_SIGN, /* cRLSign (a CRL issuer, RFC 5280 §6.3.3 (f)) */
	XE2E_PURPOSE_CERT_SIGN /* a CA: basicConstraints cA and keyCertSign */
};

enum xe2e_crl_mode {
	XE2E_CRL_AUTO,         /* require a usable CRL when one is known for the CA */
	XE2E_CRL_REQUIRE,      /* every certificate needs a usable CRL */
	XE2E_CRL_IF_PRESENT    /* check what usable CRLs there are */
};

struct xe2e_validate_opts {
	enum xe2e_purpose purpose;
	int policy;            /* enum xe2e_policy (x509.h) */
	enum xe2e_crl_mode crl;
};

/* A validated path: chain[0] is the end entity, chain[n-1] the anchor;
 * crl[i] the CRL that was consulted for chain[i] (or NULL).  Certificates
 * and CRLs are borrowed from the inputs. */
struct xe2e_path {
	gnutls_x509_crt_t chain[XE2E_MAX_CHAIN + 1];
	const struct xe2e_crl *crl[XE2E_MAX_CHAIN + 1];
	size_t n;
};

/*
 * Build a path from leaf through `untrusted` (any order, unrelated ones
 * ignored; RFC 3850 §2.3) to an anchor of t, and validate it at
 * xe2e_pki_now() for purpose (RFC 3850 §4.4), policy modern, CRLs required
 * where known.  -XE2E_ECERT with a message naming the certificate and the
 * reason.  Every path candidate is tried before failing.
 */
int xe2e_pki_validate(struct xe2e_path *path, const struct xe2e_trust *t,
		      gnutls_x509_crt_t leaf, const struct xe2e_certs *untrusted,
		      enum xe2e_purpose purpose, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/* The same with every option. */
int xe2e_pki_validate2(struct xe2e_path *path, const struct xe2e_trust *t,
		       gnutls_x509_crt_t leaf, const struct xe2e_certs *untrusted,
		       const struct xe2e_validate_opts *o, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/* What the usage rules look at, from whichever parser read the certificate. */
struct xe2e_usage {
	const char *dn;          /* for messages */
	int empty_subject, san_critical;
	int has_ku, ca;
	unsigned ku;             /* GNUTLS_KEY_* bits */
	const char *eku;         /* OIDs, one per line ("" if none) */
};
int xe2e_pki_usage_rules(const struct xe2e_usage *u, enum xe2e_purpose purpose,
			 struct xe2e_err *err);

/* Key usage and extended key usage of crt for purpose (RFC 3850 §4.4):
 * -XE2E_ECERT naming the certificate.  Part of xe2e_pki_validate too. */
int xe2e_pki_check_usage(gnutls_x509_crt_t crt, enum xe2e_purpose purpose,
			 struct xe2e_err *err);

struct xe2e_rawcert;
struct xe2e_crl;

/*
 * Validate an end entity that GnuTLS cannot import (xe2e_rawcert, x509.h):
 * validity, critical extensions, signature with an issuer's key, the
 * issuer's own path (as a CA), revocation, usage.  path receives the
 * issuer's path (issuer first), *leaf_crl the CRL consulted for the leaf.
 */
int xe2e_pki_validate_raw(struct xe2e_path *path, const struct xe2e_crl **leaf_crl,
			  const struct xe2e_trust *t, const struct xe2e_rawcert *leaf,
			  const struct xe2e_certs *untrusted,
			  const struct xe2e_validate_opts *o, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/* RFC 4514 string of the subject (issuer = 0) or issuer (issuer = 1). */
int xe2e_pki_dn(struct xe2e_buf *out, gnutls_x509_crt_t crt, int issuer,
		struct xe2e_err *err);

/*
 * The certificate's names, one per line as "kind:value": email (rfc822Name
 * and PKCS#9 emailAddress), xmpp (id-on-xmppAddr), uri, dns.  out replaced.
 */
int xe2e_pki_names(struct xe2e_buf *out, gnutls_x509_crt_t crt,
		   struct xe2e_err *err);

enum xe2e_name_kind { XE2E_NAME_JID, XE2E_NAME_EMAIL, XE2E_NAME_X400 };

/* Is want one of names ("kind:value" lines as xe2e_pki_names gives them):
 * a bare JID (DESIGN §3 rule 5), an addr-spec (domain case-insensitive), or
 * an O/R address compared attribute by attribute (x400.h)?  0, or
 * -XE2E_ENAME listing names and naming dn. */
int xe2e_pki_match_names(const char *names, const char *dn, enum xe2e_name_kind kind,
			 const char *want, struct xe2e_err *err);

/* RFC 5652 §5.3, §6.2.1: is crt the certificate named by issuer (raw
 * Name) and serial (INTEGER content octets; leading zeros ignored), or by
 * subjectKeyIdentifier ski?  1 or 0. */
int xe2e_pki_crt_is(gnutls_x509_crt_t crt, const unsigned char *issuer, size_t ilen,
		    const unsigned char *serial, size_t slen);
int xe2e_pki_crt_has_ski(gnutls_x509_crt_t crt, const unsigned char *ski, size_t len);

/* DER of a certificate (out replaced). */
int xe2e_pki_crt_der(struct xe2e_buf *out, gnutls_x509_crt_t crt,
		     struct xe2e_err *err);

#endif
