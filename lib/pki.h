/*
 * pki.h - certificate and CRL lists, keys, trust anchors, path validation
 * and names (RFC 3850 §4, RFC 5280 §6).
 *
 * Certificates are xe2e_cert (cert.h), parsed by our own module; GnuTLS
 * does every public-key operation.  Paths are built and validated in path.c
 * by RFC 5280 §6.1 and §6.3.3, because GnuTLS's own verifier is wrong on 18
 * PKITS cases of §4.1-§4.7 (DESIGN §7).  RFC 3850 §4.4 key usage rules apply
 * to the end entity.  Path building has a work budget: a crafted set of
 * certificates cannot make it take long.
 *
 * Name constraints are in nc.c, certificate policies in policy.c.  Not
 * here: the certificate store (store.h).
 */
#ifndef XE2E_PKI_H
#define XE2E_PKI_H

#include <gnutls/abstract.h>
#include <time.h>
#include "buf.h"
#include "cert.h"
#include "limits.h"
#include "policy.h"

/* An owned list of certificates (each entry holds one reference). */
struct xe2e_certs {
	struct xe2e_cert **v;
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
/* Append crt, taking over the caller's reference (dropped on failure too). */
int xe2e_certs_push(struct xe2e_certs *c, struct xe2e_cert *crt, struct xe2e_err *err);
/* Append crt with a new reference. */
int xe2e_certs_add(struct xe2e_certs *c, struct xe2e_cert *crt, struct xe2e_err *err);
/* Parse one DER certificate and append it. */
int xe2e_certs_add_der(struct xe2e_certs *c, const unsigned char *der,
		       size_t len, struct xe2e_err *err);
/* 1 if the list holds crt (the same DER). */
int xe2e_certs_has(const struct xe2e_certs *c, const struct xe2e_cert *crt);
/* Append every certificate of a file: PEM CERTIFICATE blocks, or one DER
 * certificate; none is an error naming the file. */
int xe2e_certs_load(struct xe2e_certs *c, const char *path, struct xe2e_err *err);
/* As xe2e_certs_load, or every .pem, .crt, .cer or .der file of a directory. */
int xe2e_certs_load_path(struct xe2e_certs *c, const char *path,
			 struct xe2e_err *err);

void xe2e_crls_init(struct xe2e_crls *c);
void xe2e_crls_release(struct xe2e_crls *c);
int xe2e_crls_add_der(struct xe2e_crls *c, const unsigned char *der, size_t len,
		      struct xe2e_err *err);
/* PEM "X509 CRL" blocks or one DER CRL. */
int xe2e_crls_load(struct xe2e_crls *c, const char *path, struct xe2e_err *err);
/* Drop (and free) the CRLs that are not current at now. */
void xe2e_crls_keep_current(struct xe2e_crls *c, time_t now);

/*
 * Load a private key (PEM or DER; PKCS#1, PKCS#8, encrypted PKCS#8 with
 * pass).  Caller owns *out (gnutls_privkey_deinit).  A wrong or missing
 * passphrase is -XE2E_EUSAGE; an unreadable file -XE2E_EIO; anything else
 * -XE2E_EMALFORMED.
 */
int xe2e_pki_load_key(gnutls_privkey_t *out, const char *path, const char *pass,
		      struct xe2e_err *err);

/* 0 if key is the private key of crt, else -XE2E_EUSAGE. */
int xe2e_pki_key_matches(gnutls_privkey_t key, const struct xe2e_cert *crt,
			 const char *key_path, struct xe2e_err *err);

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
	XE2E_CRL_AUTO,         /* require a usable CRL when an authentic one is known */
	XE2E_CRL_REQUIRE,      /* every certificate needs a usable CRL */
	XE2E_CRL_IF_PRESENT    /* check what usable CRLs there are */
};

struct xe2e_validate_opts {
	enum xe2e_purpose purpose;
	int policy;            /* enum xe2e_policy (x509.h) */
	enum xe2e_crl_mode crl;
	time_t now;            /* the validation time */
	struct xe2e_policy_inputs pol;   /* certificate policy inputs (RFC 5280 §6.1.1) */
};

/* The default options for a purpose at time now: policy modern, CRL check
 * auto (a context gives its own: xe2e_ctx_validate_opts). */
struct xe2e_validate_opts xe2e_validate_defaults(enum xe2e_purpose purpose, time_t now);

/* A validated path: chain[0] is the end entity, chain[n-1] the anchor;
 * crl[i] the CRL that was consulted for chain[i] (or NULL).  Certificates
 * and CRLs are borrowed from the inputs.  warning: what was allowed with a
 * warning (RFC 3850 rules that --policy strict enforces), or "".
 * policies: the authority- and user-constrained policy sets (RFC 5280
 * §6.1.6; both {anyPolicy} for a certificate that is itself an anchor). */
struct xe2e_path {
	const struct xe2e_cert *chain[XE2E_MAX_CHAIN + 1];
	const struct xe2e_crl *crl[XE2E_MAX_CHAIN + 1];
	size_t n;
	char warning[XE2E_ERR_MSG_MAX];
	struct xe2e_policy_sets policies;
};

/*
 * Build a path from leaf through `untrusted` (any order, unrelated ones
 * ignored; RFC 3850 §2.3) to an anchor of t, and validate it at
 * o->now under o.  Every path
 * candidate is tried, within the work budget XE2E_MAX_PATH_WORK; when it is
 * spent, -XE2E_ECERT "path building gave up after N candidates".
 * -XE2E_ECERT with a message naming the certificate and the reason;
 * -XE2E_EUNSUPPORTED for a key or algorithm we cannot check.
 */
int xe2e_pki_validate(struct xe2e_path *path, const struct xe2e_trust *t,
		      const struct xe2e_cert *leaf, const struct xe2e_certs *untrusted,
		      const struct xe2e_validate_opts *o, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/*
 * What can be checked of an end entity without a path (no trust anchor):
 * validity at o->now, critical extensions, key usage for o->purpose
 * (RFC 3850 §4.4), and the CA-as-end-entity rule (warning in *warning[size],
 * or refused under --policy strict).  -XE2E_ECERT naming the certificate.
 */
int xe2e_pki_check_leaf(const struct xe2e_cert *leaf, const struct xe2e_validate_opts *o,
			char *warning, size_t size, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/* The public key of path->chain[0] with the parameters it inherits along
 * the path (RFC 5280 §6.1.4 (f), RFC 3279 §2.3.2).  Caller owns *out. */
int xe2e_pki_leaf_key(gnutls_pubkey_t *out, const struct xe2e_path *path,
		      struct xe2e_err *err);

enum xe2e_name_kind { XE2E_NAME_JID, XE2E_NAME_EMAIL, XE2E_NAME_X400 };

/* Is want one of names ("kind:value" lines as xe2e_cert names holds them):
 * a bare JID (DESIGN §3 rule 5), an addr-spec (domain case-insensitive), or
 * an O/R address compared attribute by attribute (x400.h)?  0, or
 * -XE2E_ENAME listing names and naming dn. */
int xe2e_pki_match_names(const char *names, const char *dn, enum xe2e_name_kind kind,
			 const char *want, struct xe2e_err *err);

#endif
