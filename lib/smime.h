/*
 * smime.h - S/MIME message forms around CMS objects (RFC 3851 §3):
 * multipart/signed (RFC 1847, §3.4.3), application/pkcs7-mime (§3.2, §3.4.2),
 * PEM armour, and recognising which of these (or bare DER) an input is.
 *
 * Not here: CMS itself (cms.h) or generic MIME parsing (mime.h).
 */
#ifndef XE2E_SMIME_H
#define XE2E_SMIME_H

#include "buf.h"
#include "crypto.h"
#include "pem.h"
#include "stream.h"

enum xe2e_smime_form {
	XE2E_FORM_DER,        /* bare BER/DER ContentInfo */
	XE2E_FORM_PEM,        /* PEM armoured ContentInfo */
	XE2E_FORM_MULTIPART,  /* multipart/signed */
	XE2E_FORM_P7M         /* application/pkcs7-mime */
};

/* What an input was, and the CMS object it carries. */
struct xe2e_smime_msg {
	enum xe2e_smime_form form;
	struct xe2e_buf der;       /* ContentInfo encoding */
	struct xe2e_buf content;   /* multipart/signed: the signed first part in
				      canonical form (RFC 3851 §3.1.1) */
	char smime_type[32];       /* application/pkcs7-mime smime-type, or "" */
	char micalg[32];           /* multipart/signed micalg, or "" */
};

void xe2e_smime_msg_init(struct xe2e_smime_msg *m);
void xe2e_smime_msg_release(struct xe2e_smime_msg *m);

/*
 * Recognise and unpack an input: DER (starts with a SEQUENCE tag), PEM
 * ("-----BEGIN CMS-----" or "-----BEGIN PKCS7-----"), or a MIME entity whose
 * Content-Type is multipart/signed (protocol application/pkcs7-signature or
 * the x- form) or application/pkcs7-mime (or x-pkcs7-mime).
 * -XE2E_EMALFORMED naming what is wrong.
 */
int xe2e_smime_parse(struct xe2e_smime_msg *m, const unsigned char *p,
		     size_t len, struct xe2e_err *err);

/*
 * Write a multipart/signed message: entity (canonical), then the detached
 * signature sig_der as application/pkcs7-signature in base64.  micalg is the
 * parameter value to write.  A fresh random boundary is checked not to occur
 * in the entity.  Appends to out.
 */
int xe2e_smime_write_multipart(struct xe2e_buf *out, const unsigned char *entity,
			       size_t entity_len, const unsigned char *sig_der,
			       size_t sig_len, const char *micalg,
			       struct xe2e_err *err);

/* Write application/pkcs7-mime; smime-type=TYPE; name=smime.p7m with the
 * base64 of der.  Appends to out. */
int xe2e_smime_write_p7m(struct xe2e_buf *out, const unsigned char *der,
			 size_t len, const char *smime_type,
			 struct xe2e_err *err);

/* Just the MIME header block of application/pkcs7-mime (body to follow in
 * base64).  Appends to out. */
int xe2e_smime_p7m_header(struct xe2e_buf *out, const char *smime_type,
			  struct xe2e_err *err);

/*
 * Position a streaming source at the first octet of the CMS object: bare
 * BER/DER, PEM (base64 decoding switched on), or an application/pkcs7-mime
 * entity whose header block is read and checked (smime-type, if present,
 * must equal want_type when that is not NULL).
 */
int xe2e_smime_open_source(struct xe2e_source *s, const char *want_type,
			   struct xe2e_err *err);

/* application/pkcs7-mime; smime-type=certs-only; name=smime.p7c (RFC 3851
 * §3.6) holding der in base64.  Appends to out. */
int xe2e_smime_write_certs_only(struct xe2e_buf *out, const unsigned char *der,
				size_t len, struct xe2e_err *err);

#endif
