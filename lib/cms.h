/*
 * cms.h - Cryptographic Message Syntax (RFC 5652) on libtasn1: the one
 * ContentInfo reader, SignedData creation and verification, certs-only.
 *
 * S/MIME framing is smime.h's, EnvelopedData cms_env.h's, the walk over
 * nested layers recv.h's.  Not here: streaming of long content octets
 * (SignedData is held in memory: libtasn1 needs it whole).
 */
#ifndef XE2E_CMS_H
#define XE2E_CMS_H

#include <time.h>
#include <libtasn1.h>
#include "ber.h"
#include "buf.h"
#include "crypto.h"
#include "ctx.h"
#include "layer.h"
#include "pki.h"
#include "stream.h"

/* ---- ContentInfo (RFC 5652 §3) ---- */

struct xe2e_cms_info {
	char oid[64];                      /* contentType */
	struct xe2e_ber_hdr seq, content;  /* the SEQUENCE and [0] headers */
	uint64_t seq_start, content_start; /* offsets after each header */
	int ber;                           /* indefinite lengths: BER, not DER */
};

/*
 * Read a ContentInfo's header, contentType and the header of its [0]
 * content from s, which is left at the content's first octet.
 * -XE2E_EMALFORMED if it is not one.
 */
int xe2e_cms_open(struct xe2e_source *s, struct xe2e_cms_info *ci, struct xe2e_err *err);

/* The content element (the SignedData, ...) whole, at most max bytes,
 * into out (replaced), then close [0] and the ContentInfo. */
int xe2e_cms_read_content(struct xe2e_source *s, struct xe2e_cms_info *ci,
			  struct xe2e_buf *out, size_t max, struct xe2e_err *err);

/* After the content: end [0] and the ContentInfo; white space may follow,
 * nothing else. */
int xe2e_cms_close(struct xe2e_source *s, const struct xe2e_cms_info *ci,
		   struct xe2e_err *err);

/*
 * How a SignerIdentifier / RecipientIdentifier is shown (RFC 5652 §5.3,
 * §6.2.1), appended to out: "key id 0A:0B:.." for a subjectKeyIdentifier
 * (ski set: a is the key id), else "issuer 'RFC 4514 DN' serial HEX" (a
 * the raw issuer Name, b the serialNumber content octets).  The one form
 * for what was sent and what was received.
 */
int xe2e_cms_id_text(struct xe2e_buf *out, int ski, const struct xe2e_buf *a,
		     const struct xe2e_buf *b, struct xe2e_err *err);

/*
 * RFC 5652 §5.1, §6.1: the CertificateSet at `certs_name` and the
 * RevocationInfoChoices at "crls" of a decoded SignedData or OriginatorInfo
 * n into certs and crls (crls may be NULL).  Only plain Certificates and
 * CertificateLists (SEQUENCEs) count.  strict: more than the limits, or one
 * that does not parse, is an error; else (unauthenticated originatorInfo)
 * they are left out.  With ctx, certificates go through its parse memo.
 */
int xe2e_cms_cert_sets(struct xe2e_ctx *ctx, asn1_node n, const char *certs_name,
		       struct xe2e_certs *certs, struct xe2e_crls *crls, int strict,
		       struct xe2e_err *err);

/*
 * A whole ContentInfo held in memory, p[0..len) (BER or DER): its
 * contentType into oid and, when out is not NULL, its content (the
 * SignedData, ...) into out (replaced).  -XE2E_EMALFORMED if it is not one.
 */
int xe2e_cms_unwrap_mem(char oid[64], struct xe2e_buf *out, const unsigned char *p, size_t len,
			struct xe2e_err *err);

/* A ContentInfo around content of type oid (DER) appended to out. */
int xe2e_cms_wrap(struct xe2e_buf *out, const char *oid, const unsigned char *content,
		  size_t len, struct xe2e_err *err);

/* ---- SignedData (RFC 5652 §5) ---- */

struct xe2e_sign_params {
	const struct xe2e_cert *cert;      /* signer certificate */
	gnutls_privkey_t key;              /* its private key (RSA or DSA) */
	const struct xe2e_certs *chain;    /* extra certificates to include, or NULL */
	int include_certs;                 /* include signer cert and chain */
	const struct xe2e_digest *digest;
	int embed;                         /* encapsulate content (opaque signing) */
	time_t signing_time;
	const char *econtent_type;         /* eContentType OID; NULL: id-data */
	int reproducible;                  /* DSA/ECDSA: the RFC 6979 nonce (set
					      from ctx.h's rng by the send list) */
};

/*
 * Sign content[0..len) (RFC 5652 §5) with signed attributes as DESIGN §3
 * rule 8.  DER ContentInfo appended to out.
 */
int xe2e_cms_sign(struct xe2e_buf *out, const unsigned char *content,
		  size_t len, const struct xe2e_sign_params *p,
		  struct xe2e_err *err);

/* The content of a detached signature. */
struct xe2e_detached;
/*
 * The signed content of SignedData sd[0..len) without verifying anything
 * (inspect without trust anchors): the eContent, or d for a detached one
 * (both: they must be the same bytes), its eContentType and the number of
 * SignerInfos.  Errors as xe2e_cms_verify's for the same problems.
 */
int xe2e_cms_signed_content(struct xe2e_buf *content, char ectype[64], size_t *n_signers,
			    const unsigned char *sd, size_t len, const struct xe2e_detached *d,
			    struct xe2e_err *err);

/* The content of a detached signature. */
struct xe2e_detached {
	const unsigned char *p;
	size_t len;
	int canon_fallback;                /* if it does not verify, try its
					      canonical CRLF form (RFC 3851 §3.1.1) */
};

/*
 * Verify a SignedData (the ContentInfo's content, BER or DER): every
 * SignerInfo's signature, its signed attributes, and its certificate path
 * for signing (RFC 3850 §4, at the context's validation time, never the
 * signingTime), with the message's certificates and current CRLs (RFC 3850
 * §2.3, §5).  The record goes to l (type SIGNED, or CERTS_ONLY with no
 * signer: then nothing is verified and the return is 0), the signed content
 * to content (replaced; wiped on failure).  d: the content given beside
 * the signature (required when it is detached; when the content is also
 * encapsulated, the two must be the same bytes).  Returns 0 or
 * -XE2E_EMALFORMED / -XE2E_ESIGNATURE / -XE2E_ECERT / -XE2E_EUNSUPPORTED
 * with a message naming the signer.
 */
int xe2e_cms_verify(struct xe2e_ctx *ctx, struct xe2e_layer *l, struct xe2e_buf *content,
		    const unsigned char *sd, size_t len, const struct xe2e_detached *d,
		    struct xe2e_err *err) __attribute__((warn_unused_result));

/* Write crt's issuer (raw Name) and serial number as the
 * IssuerAndSerialNumber at `prefix` of node n (RFC 5652 §10.2.4). */
int xe2e_cms_write_ias(asn1_node n, const char *prefix, const struct xe2e_cert *crt,
		       struct xe2e_err *err);

/*
 * A certs-only message (RFC 3851 §3.6, RFC 5652 §5: SignedData without
 * signers): DER ContentInfo with the certificates appended to out.
 */
int xe2e_cms_certs_only(struct xe2e_buf *out, const struct xe2e_cert *const *certs,
			size_t n, struct xe2e_err *err);

/* The certificates and CRLs of a SignedData ContentInfo (certs-only or
 * not) in memory. */
int xe2e_cms_read_certs(struct xe2e_certs *certs, struct xe2e_crls *crls,
			const unsigned char *der, size_t len, struct xe2e_err *err);

/* A name for a content type OID in messages and reports ("id-signedData",
 * an X.400 content type's "id-mct-p2-1988"), or the OID itself. */
const char *xe2e_cms_type_name(const char *oid);

#endif
