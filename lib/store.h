/*
 * store.h - the certificate store (RFC 3850 §4 "store and protect"):
 * a directory of certificates, trust anchors and CRLs, one DER file each,
 * named by SHA-256 fingerprint:
 *
 *     DIR/anchors/<sha256>.der   DIR/certs/<sha256>.der   DIR/crls/<sha256>.der
 *
 * Readers take a shared flock on DIR/.lock, writers an exclusive one; each
 * file is written to a temporary name and renamed, so concurrent commands
 * never see a part.  Not here: deciding whether anything in it is valid
 * (path.c does that every time it is used).
 */
#ifndef XE2E_STORE_H
#define XE2E_STORE_H

#include "pki.h"

struct xe2e_store {
	char *dir;
	int lockfd;
	int writable;
};

/* Open (creating it when writable) and lock the store at dir. */
int xe2e_store_open(struct xe2e_store *s, const char *dir, int writable,
		    struct xe2e_err *err);
void xe2e_store_close(struct xe2e_store *s);

/* Add what the store holds: anchors to t->anchors, CRLs to t->crls, other
 * certificates to untrusted. */
int xe2e_store_load(const struct xe2e_store *s, struct xe2e_trust *t,
		    struct xe2e_certs *untrusted, struct xe2e_err *err);

/* Save one certificate (as anchor or not) / one CRL; *added is 1 when it
 * was new.  Needs a writable store. */
int xe2e_store_add_cert(const struct xe2e_store *s, const struct xe2e_cert *crt,
			int anchor, int *added, struct xe2e_err *err);
int xe2e_store_add_crl(const struct xe2e_store *s, const unsigned char *der,
		       size_t len, int *added, struct xe2e_err *err);

/* Save what a successful validation used (RFC 3850 §4, --cache): the
 * path's certificates below its anchor and the CRLs it consulted, not as
 * anchors.  At most *left new files are written (*left counts down); what
 * a message carries beyond that, or was not used, is never stored. */
int xe2e_store_add_path(const struct xe2e_store *s, const struct xe2e_path *path,
			size_t *left, struct xe2e_err *err);

/*
 * Read the certificates and CRLs of a file: PEM (CERTIFICATE, X509 CRL,
 * PKCS7, CMS blocks), DER certificate, DER CRL, or a certs-only message
 * (DER, PEM or application/pkcs7-mime; RFC 3851 §3.6).
 */
int xe2e_store_read_any(struct xe2e_certs *certs, struct xe2e_crls *crls,
			const char *path, struct xe2e_err *err);

/* Import what a file holds (xe2e_store_read_any): its certificates (as
 * anchors when anchor) and, unless anchor, its CRLs.  counts[0..3]
 * accumulate certificates seen and added, CRLs seen and added. */
int xe2e_store_import(const struct xe2e_store *s, const char *path, int anchor,
		      size_t counts[4], struct xe2e_err *err);

/* A line per anchor, certificate (with its names) and CRL of the store,
 * escaped for a terminal.  Appends to out. */
int xe2e_store_list(const struct xe2e_store *s, struct xe2e_buf *out, struct xe2e_err *err);

enum xe2e_export_form { XE2E_EXPORT_DER, XE2E_EXPORT_PEM, XE2E_EXPORT_SMIME };

/* A certs-only message (RFC 3851 §3.6) with the stored certificate that
 * answers to name and its issuers.  Appends to out. */
int xe2e_store_export(const struct xe2e_store *s, const char *name, enum xe2e_export_form form,
		      struct xe2e_buf *out, struct xe2e_err *err);

/* The one certificate of a or b that answers to name: a SHA-256
 * fingerprint prefix of 8+ hex digits, one of its names (email, JID, URI),
 * or a case-insensitive part of its subject.  -XE2E_EUSAGE if none or
 * several. */
int xe2e_store_find(const struct xe2e_cert **out, const struct xe2e_certs *a,
		    const struct xe2e_certs *b, const char *name, struct xe2e_err *err);

/* crt and its issuers found in a and b by name (no validation), up to a
 * self-issued certificate; chain[XE2E_MAX_CHAIN]. */
int xe2e_store_chain(const struct xe2e_cert **chain, size_t *n, const struct xe2e_cert *crt,
		     const struct xe2e_certs *a, const struct xe2e_certs *b);

#endif
