/*
 * smime.h - S/MIME message forms around CMS objects (RFC 3851 §3):
 * multipart/signed (RFC 1847, §3.4.3), application/pkcs7-mime (§3.2,
 * §3.4.2), PEM armour and bare BER/DER -- the one recogniser that tells
 * which of these an input is, for streams and memory alike, and the writers.
 *
 * Not here: CMS itself (cms.h) or generic MIME parsing (mime.h).
 */
#ifndef XE2E_SMIME_H
#define XE2E_SMIME_H

#include "buf.h"
#include "ctx.h"
#include "crypto.h"
#include "pem.h"
#include "stream.h"

enum xe2e_smime_kind {
	XE2E_FORM_DER,        /* bare BER/DER ContentInfo */
	XE2E_FORM_PEM,        /* PEM armoured ContentInfo */
	XE2E_FORM_MULTIPART,  /* multipart/signed */
	XE2E_FORM_P7M,        /* application/pkcs7-mime */
	XE2E_FORM_OTHER       /* a MIME entity that is not S/MIME */
};

/* What the recogniser found at the start of an input. */
struct xe2e_smime_form {
	enum xe2e_smime_kind kind;
	char type[128];            /* MIME media type, lowercased, or "" */
	char smime_type[32];       /* application/pkcs7-mime smime-type, or "" */
	char micalg[32];           /* multipart/signed micalg, or "" */
	char boundary[72];         /* multipart/signed boundary */
	struct xe2e_buf header;    /* the MIME header block as read (with its
				      empty line), or empty */
};

void xe2e_smime_form_release(struct xe2e_smime_form *f);

/*
 * Recognise the input at s: bare BER/DER (a SEQUENCE tag), PEM with a CMS
 * label (pem.h; base64 decoding is switched on), or a MIME entity whose
 * header block is read: multipart/signed (protocol application/pkcs7-
 * signature or the x- form; the body stays in s), application/pkcs7-mime
 * or x-pkcs7-mime (the body's transfer encoding is switched on, so that s
 * continues with the CMS object), or another type (XE2E_FORM_OTHER; the
 * body stays in s).  smime-type authEnveloped-data and compressed-data are
 * -XE2E_EUNSUPPORTED; anything else -XE2E_EMALFORMED naming the problem.
 */
int xe2e_smime_recognise(struct xe2e_source *s, struct xe2e_smime_form *f,
			 struct xe2e_err *err);

/* Is p[0..len) an S/MIME entity (RFC 3851 §3.4: multipart/signed with an
 * S/MIME protocol, or application/pkcs7-mime), by the same type rules as
 * xe2e_smime_recognise?  1 or 0. */
int xe2e_smime_is_entity(const unsigned char *p, size_t len);

/* A multipart/signed, its header already recognised (f), split: the
 * signed bytes (part 1, in canonical form -- RFC 3851 §3.1.1) and the
 * signature's DER (part 2, decoded).  At most max bytes are read from s. */
int xe2e_smime_read_multipart(struct xe2e_source *s, const struct xe2e_smime_form *f,
			      struct xe2e_buf *content, struct xe2e_buf *sig, size_t max,
			      struct xe2e_err *err);

/* What an input in memory was, and the CMS object it carries (for callers
 * that need only the object: the store's certs-only import). */
struct xe2e_smime_msg {
	enum xe2e_smime_kind form;
	struct xe2e_buf der;       /* ContentInfo encoding */
	struct xe2e_buf content;   /* multipart/signed: the signed first part */
	char smime_type[32];
	char micalg[32];
};

void xe2e_smime_msg_init(struct xe2e_smime_msg *m);
void xe2e_smime_msg_release(struct xe2e_smime_msg *m);
int xe2e_smime_parse(struct xe2e_smime_msg *m, const unsigned char *p,
		     size_t len, struct xe2e_err *err);

/*
 * Write a multipart/signed message: entity (canonical), then the detached
 * signature sig_der as application/pkcs7-signature in base64.  micalg is the
 * parameter value to write.  A fresh random boundary (from the context's
 * generator) is checked not to occur in the entity.  Appends to out.
 */
int xe2e_smime_write_multipart(struct xe2e_buf *out, const struct xe2e_ctx *ctx,
			       const unsigned char *entity, size_t entity_len,
			       const unsigned char *sig_der, size_t sig_len, const char *micalg,
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

/* application/pkcs7-mime; smime-type=certs-only; name=smime.p7c (RFC 3851
 * §3.6) holding der in base64.  Appends to out. */
int xe2e_smime_write_certs_only(struct xe2e_buf *out, const unsigned char *der,
				size_t len, struct xe2e_err *err);

#endif
