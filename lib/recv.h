/*
 * recv.h - the receive walk: peel the layers of a message one at a time --
 * S/MIME form (multipart/signed, application/pkcs7-mime, PEM, BER/DER) ->
 * ContentInfo -> SignedData / EnvelopedData / certs-only -> the content,
 * which may itself be another layer -- leaving a record for each
 * (layer.h), up to the context's nesting limit (DESIGN §3 rule 12, §6).
 *
 * A layer follows another when the content type says so (eContentType
 * id-signedData or id-envelopedData: the object itself, RFC 3854 §3.4) or
 * when id-data content is an S/MIME entity (RFC 3851 §3.4 triple
 * wrapping).  A layer the caller cannot open (no key, no trust anchor) ends
 * the walk: it is recorded as unopened and is itself the content.
 *
 * The outermost layer is read from a stream; an EnvelopedData there is
 * decrypted in constant memory straight to the output unless another layer
 * follows.  Everything else is held in memory (at most the context's
 * max_input).  Not here: where the output goes (output.h), stanzas (later).
 */
#ifndef XE2E_RECV_H
#define XE2E_RECV_H

#include "cms.h"
#include "cms_env.h"
#include "ctx.h"
#include "layer.h"
#include "stream.h"

enum xe2e_recv_first {
	XE2E_RECV_ANY,
	XE2E_RECV_SIGNED,      /* the outermost layer must be a SignedData */
	XE2E_RECV_ENVELOPED    /* ... an EnvelopedData */
};

struct xe2e_recv_opts {
	enum xe2e_recv_first first;
	int verify;                        /* open SignedData (the context's trust) */
	gnutls_privkey_t key;              /* open EnvelopedData with this key, or NULL */
	const struct xe2e_cert *key_cert;  /* selects the RecipientInfo, or NULL */
	const struct xe2e_detached *detached;   /* content of the outermost signature */
	int keep_originator;               /* originatorInfo into the records */
	/* RFC 3854 §4.3: the signer of X.400 content must name its originator:
	 * this O/R address (x400.h text form), or else, for an IPM, the
	 * heading's originator; mismatch -XE2E_ENAME listing the addresses */
	const char *x400_originator;
	int x400_entity;                   /* write X.400 content as an
					      application/x400-content entity */
	/* inspect: every layer gets an info tree (layer.h); signed layers are
	 * opened without trust anchors (verify's verdict recorded when
	 * `verify`, never failing the walk), an EnvelopedData without a key is
	 * described and ends the walk, a decryption that fails is recorded and
	 * ends it; with der each CMS object's ASN.1 outline is added; a
	 * malformed layer's error names the byte offset where its encoding
	 * stops being well-formed */
	int inspect;
	int der;
};

/*
 * Walk the message at in, write the innermost content to out, and append
 * a record per layer to rep (on failure too: as far as it got, the failing
 * layer last).  Returns 0 or the failing layer's error; a layer beyond
 * ctx->max_depth is -XE2E_EMALFORMED naming the limit.
 */
int xe2e_receive(struct xe2e_ctx *ctx, const struct xe2e_recv_opts *o, struct xe2e_source *in,
		 struct xe2e_sink *out, struct xe2e_report *rep, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/*
 * RFC 3850 §4 --cache: save in the context's store what the walk's
 * validations used (signers' paths and the CRLs they consulted) and, of
 * unauthenticated originatorInfo, what validates against the store's
 * anchors; at most XE2E_MAX_CACHE_ADD files.
 */
int xe2e_receive_cache(struct xe2e_ctx *ctx, const struct xe2e_report *rep,
		       struct xe2e_err *err);

#endif
