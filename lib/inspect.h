/*
 * inspect.h - what `xe2e inspect` shows of each layer, as info.h trees:
 * certificates, CRLs, a SignedData's structure and every SignerInfo with
 * its attributes decoded, an EnvelopedData's recipients and parameters,
 * the MIME framing, a stanza and its protected payload, the innermost
 * content.  Built from the project's own parsers and ASN.1 module (cert.h,
 * x509.h, cms.h, the XE2E types): nothing here parses bytes another way.
 *
 * Never shown: private keys, content-encryption keys, plaintext (the
 * content only when the caller asks).  Every string from input is escaped
 * where it is rendered (info.h).
 *
 * Not here: walking the layers (recv.c does, with recv_opts.inspect).
 */
#ifndef XE2E_INSPECT_H
#define XE2E_INSPECT_H

#include "cert.h"
#include "ctx.h"
#include "info.h"
#include "layer.h"
#include "smime.h"
#include "x509.h"
#include "xml.h"

/* Certificate and CRL members into the object obj. */
void xe2e_inspect_cert(struct xe2e_info *obj, const struct xe2e_cert *c);
void xe2e_inspect_crl(struct xe2e_info *obj, const struct xe2e_crl *c);

/*
 * A SignedData (the DER/BER of the structure, not its ContentInfo) into
 * obj: version, digestAlgorithms, eContentType, detached, certificates,
 * crls, signerInfos (sid, algorithms, signed attributes decoded,
 * unsigned attributes with countersignatures to XE2E_INSPECT_COUNTER
 * levels).  -XE2E_EMALFORMED when a part does not decode (obj keeps what
 * was read before it).
 */
#define XE2E_INSPECT_COUNTER 3
int xe2e_inspect_signed(struct xe2e_info *obj, struct xe2e_ctx *ctx, const unsigned char *sd,
			size_t len, struct xe2e_err *err);

/* An EnvelopedData from its record (recipients, cipher, IV, RC2 bits,
 * originatorInfo certificates and CRLs, sizes). */
void xe2e_inspect_enveloped(struct xe2e_info *obj, const struct xe2e_layer *l);

/* The S/MIME framing f was recognised as ("mime" member: media type,
 * smime-type, micalg, boundary, transfer encoding); for multipart/signed
 * the sizes of its two parts. */
void xe2e_inspect_form(struct xe2e_info *obj, const struct xe2e_smime_form *f, size_t content_len,
		       size_t signature_len);

/* The innermost content p[0..len) of content type oid: size, SHA-256, and
 * for a MIME entity its Content-Type (a Message/CPIM one's headers); the
 * bytes themselves only with show. */
void xe2e_inspect_content(struct xe2e_info *obj, const unsigned char *p, size_t len,
			  const char *oid, int show);

/* A stanza: kind, routing attributes, child elements. */
void xe2e_inspect_stanza(struct xe2e_info *obj, const struct xe2e_xml_node *stanza);

#endif
