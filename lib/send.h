/*
 * send.h - the send side: an ordered list of protections applied to a
 * content (sign, encrypt, sign, ...), each layer's output the next one's
 * input, the last one framed for its transport; one record per layer
 * (layer.h).  Between layers the object is an S/MIME entity (RFC 3851
 * §3.4, mail) unless the list asks for CMS directly (eContentType
 * id-signedData / id-envelopedData, RFC 3854 §3.4).
 *
 * A list of one EnvelopedData can stream (indefinite-length BER, constant
 * memory); anything else is held in memory (the context's max_input).
 * Not here: stanzas (a later layer on top), reading keys.
 */
#ifndef XE2E_SEND_H
#define XE2E_SEND_H

#include "cms.h"
#include "cms_env.h"
#include "ctx.h"
#include "layer.h"
#include "stream.h"

enum xe2e_send_kind { XE2E_SEND_SIGN, XE2E_SEND_ENCRYPT };

struct xe2e_send_layer {
	enum xe2e_send_kind kind;
	struct xe2e_sign_params sign;      /* for SIGN (econtent_type set by the list) */
	struct xe2e_encrypt_params enc;    /* for ENCRYPT (ctx and content_type too) */
};

enum xe2e_send_form {
	XE2E_OUT_SMIME,    /* MIME: multipart/signed, application/pkcs7-mime */
	XE2E_OUT_DER,      /* the bare ContentInfo */
	XE2E_OUT_PEM,      /* ... in PEM armour ("CMS") */
	XE2E_OUT_AUTO      /* DER for X.400 content (RFC 3854 §3.2), else MIME */
};

struct xe2e_send_opts {
	const struct xe2e_send_layer *layers;
	size_t n;
	enum xe2e_send_form form;
	int opaque;                        /* a signature encapsulates its content
					      (application/pkcs7-mime signed-data) */
	int compat_micalg;                 /* RFC 3851 micalg spelling (sha1) */
	int cms_nesting;                   /* inner layers as CMS, not S/MIME entities */
	int stream;                        /* a lone EnvelopedData: stream it */
	const char *ctype;                 /* the input is raw content of this media
					      type (NULL: a MIME entity) */
	/* RFC 3854 (X.400 content): with econtent_type or inner_cms set, the
	 * input is binary, never MIME nor canonicalised (§3); every layer holds
	 * the one before directly (§3.4, as cms_nesting), signatures
	 * encapsulate, and MIME framing is smime-type signed-x400 or
	 * enveloped-x400 */
	const char *econtent_type;         /* the input is X.400 content of this
					      type (dotted OID) */
	int inner_cms;                     /* 1: the input is a CMS ContentInfo
					      (SignedData or EnvelopedData);
					      -1: if it is one (detected); 0 no */
};

/*
 * RFC 3854 §3.4: is p[0..len) a ContentInfo of SignedData or EnvelopedData
 * (the input of a nesting layer)?  Its contentType OID into oid, 1; else 0.
 */
int xe2e_send_is_cms(char oid[64], const unsigned char *p, size_t len);

/*
 * Read the content from in, apply the layers, write the result to out and
 * one record per layer to rep.  A MIME entity is checked and put in
 * canonical form first (RFC 3851 §3.1.1).  Returns 0 or the failing
 * layer's error; nothing is guaranteed about out on failure (callers write
 * to an atomic output).
 */
int xe2e_send(const struct xe2e_ctx *ctx, const struct xe2e_send_opts *o,
	      struct xe2e_source *in, struct xe2e_sink *out, struct xe2e_report *rep,
	      struct xe2e_err *err);

#endif
