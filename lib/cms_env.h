/*
 * cms_env.h - CMS EnvelopedData (RFC 3852 §6 / RFC 5652 §6) with RSA
 * PKCS#1 v1.5 key transport (RFC 3370 §4.2.1) and the content ciphers of
 * cipher.h, in constant memory.
 *
 * libtasn1 encodes and decodes every structure (RecipientInfos, algorithm
 * identifiers, version); ber.h frames only the long encryptedContent.
 * Not here: S/MIME framing (smime.h), choosing or checking recipient
 * certificates (pki.h; the caller checks them first).
 */
#ifndef XE2E_CMS_ENV_H
#define XE2E_CMS_ENV_H

#include <gnutls/abstract.h>
#include "cipher.h"
#include "cms.h"
#include "ctx.h"
#include "layer.h"
#include "pki.h"
#include "stream.h"

struct xe2e_encrypt_params {
	const struct xe2e_ctx *ctx;           /* its generator: CEK, IV, padding */
	struct xe2e_cert *const *recips;      /* borrowed, RSA keys */
	size_t n_recips;
	int use_ski;                          /* rid = subjectKeyIdentifier */
	const struct xe2e_cipher_alg *alg;
	int stream;                           /* indefinite-length BER */
	const char *content_type;             /* of the content; NULL: id-data */
};

struct xe2e_encryptor;

/*
 * Start encrypting for p->recips (fresh random CEK and IV).  With p->stream
 * the BER header is written to out at once and the content octets follow
 * as they come; otherwise the whole DER ContentInfo goes to out at the end.
 * Write the plaintext to xe2e_encryptor_sink(), then call _end.
 */
int xe2e_encrypt_begin(struct xe2e_encryptor **e, const struct xe2e_encrypt_params *p,
		       struct xe2e_sink *out, struct xe2e_err *err);
struct xe2e_sink *xe2e_encryptor_sink(struct xe2e_encryptor *e);
int xe2e_encrypt_end(struct xe2e_encryptor *e, struct xe2e_err *err);
void xe2e_encryptor_free(struct xe2e_encryptor *e);

struct xe2e_decrypt_params {
	gnutls_privkey_t key;                 /* NULL: describe only (inspect):
						 the structure is read to its end
						 and recorded, nothing decrypted */
	const struct xe2e_cert *cert;         /* NULL: try every RecipientInfo */
	int keep_originator;                  /* originatorInfo certificates and
						 CRLs into the layer record */
};

/*
 * Decrypt the EnvelopedData whose ContentInfo header xe2e_cms_open read from
 * src (ci), writing plaintext to out and the record (recipients of every
 * kind, cipher, content type) to l.  Any failure of key transport or of the
 * content padding is the same -XE2E_EDECRYPT "decryption failed", reported
 * only after all content was processed (RFC 3218 §2.3); the output must then
 * be discarded.  No RecipientInfo for the key: -XE2E_EDECRYPT naming the
 * recipients.  Without p->cert, RecipientInfos with a key transport
 * algorithm we do not support are skipped; none we support:
 * -XE2E_EUNSUPPORTED.  Malformed input: -XE2E_EMALFORMED; unknown
 * algorithms (an RC2 effective key size other than 40, 64 or 128 bits
 * included): -XE2E_EUNSUPPORTED.
 */
int xe2e_cms_decrypt(struct xe2e_ctx *ctx, struct xe2e_source *src, const struct xe2e_cms_info *ci,
		     const struct xe2e_decrypt_params *p, struct xe2e_sink *out,
		     struct xe2e_layer *l, struct xe2e_err *err)
	__attribute__((warn_unused_result));

#endif
