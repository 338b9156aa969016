/*
 * cms_env.c - EnvelopedData (see cms_env.h).
 * RFC 5652 §6.1-§6.3 (structures, versions, padding), §6.2.1 (ktri),
 * RFC 3370 §4.2.1 (rsaEncryption key transport), RFC 3218 §2.3 and DESIGN §3
 * rule 9 (a failed RSA unwrap continues with a random key and fails late,
 * indistinguishably from a padding error), RFC 3565 (AES), RFC 3370 §5.
 */
#include "cms_env.h"
#include "ber.h"
#include "cms.h"
#include "crypto.h"
#include "der.h"
#include "oids.h"

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/rsa.h>

#include <stdlib.h>
#include <string.h>

#define MAX_ELEMENT ((size_t)1 << 20)   /* RecipientInfos and the like */
#define MAX_CONTENT_DEPTH 8

struct xe2e_encryptor {
	struct xe2e_encrypt_params p;
	struct xe2e_sink *out;
	struct xe2e_sink_octets octets;
	struct xe2e_buf ct;
	struct xe2e_sink_buf ctsink;
	asn1_node ed;
	uint8_t cek[XE2E_CIPHER_MAX_KEY], iv[XE2E_CIPHER_MAX_BLOCK];
	struct xe2e_cipher cipher;       /* last: large */
};

static const unsigned char der_null[] = { 0x05, 0x00 };

static int write_rid(asn1_node ed, const char *ri, const struct xe2e_cert *crt, int ski,
		     struct xe2e_err *err)
{
	char name[96];
	int rc;

	snprintf(name, sizeof(name), "%s.ktri.rid", ri);
	if (ski) {
		if (!crt->ski.len)
			return xe2e_err_set(err, XE2E_EUNSUPPORTED,
					    "recipient certificate '%s' has no subjectKeyIdentifier",
					    xe2e_cert_name(crt));
		rc = xe2e_der_write(ed, name, "subjectKeyIdentifier", 1, err);
		snprintf(name, sizeof(name), "%s.ktri.rid.subjectKeyIdentifier", ri);
		return rc ? rc : xe2e_der_write(ed, name, crt->ski.data, crt->ski.len, err);
	}
	rc = xe2e_der_write(ed, name, "issuerAndSerialNumber", 1, err);
	snprintf(name, sizeof(name), "%s.ktri.rid.issuerAndSerialNumber", ri);
	return rc ? rc : xe2e_cms_write_ias(ed, name, crt, err);
}

/* RFC 5652 §6.2.1, RFC 3370 §4.2.1: one KeyTransRecipientInfo */
struct padding_rnd {
	const struct xe2e_ctx *ctx;
	int failed;
};

/* Nettle's random callback, through the context (ctx.h: every draw). */
static void padding_random(void *p, size_t n, uint8_t *dst)
{
	struct padding_rnd *r = p;

	if (xe2e_ctx_random(r->ctx, dst, n, XE2E_RND_RANDOM, NULL))
		r->failed = 1;
}

/* RFC 3370 §4.2.1, RFC 8017 §7.2.1: RSAES-PKCS1-v1_5 encryption of the CEK
 * with Nettle, so that its padding comes from the context's generator
 * (GnuTLS's encryption draws its own). */
static int rsa_wrap(struct xe2e_buf *out, const struct xe2e_ctx *ctx, const struct xe2e_cert *crt,
		    const uint8_t *cek, size_t cek_len, struct xe2e_err *err)
{
	gnutls_datum_t m = { NULL, 0 }, e = { NULL, 0 };
	struct padding_rnd r = { ctx, 0 };
	struct rsa_public_key k;
	gnutls_pubkey_t pub = NULL;
	mpz_t c;
	int rc;

	if (crt->pk != GNUTLS_PK_RSA || xe2e_cert_pubkey(&pub, crt, NULL, NULL))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "recipient key of '%s' is not RSA (only RSA key transport is supported)",
				    xe2e_cert_name(crt));
	rc = gnutls_pubkey_export_rsa_raw(pub, &m, &e);
	gnutls_pubkey_deinit(pub);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "recipient key of '%s' is unusable",
				    xe2e_cert_name(crt));
	rsa_public_key_init(&k);
	mpz_init(c);
	nettle_mpz_set_str_256_u(k.n, m.size, m.data);
	nettle_mpz_set_str_256_u(k.e, e.size, e.data);
	rc = 0;
	if (!rsa_public_key_prepare(&k))
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "recipient key of '%s' is unusable",
				  xe2e_cert_name(crt));
	else if (!rsa_encrypt(&k, &r, padding_random, cek_len, cek, c) || r.failed)
		rc = xe2e_err_set(err, XE2E_EIO, "RSA encryption failed for '%s'", xe2e_cert_name(crt));
	if (!rc)
		rc = xe2e_buf_grow(out, k.size, err);
	if (!rc) {
		nettle_mpz_get_str_256(k.size, out->data, c);
		out->len = k.size;
	}
	mpz_clear(c);
	rsa_public_key_clear(&k);
	gnutls_free(m.data);
	gnutls_free(e.data);
	return rc;
}

static int add_recipient(asn1_node ed, const struct xe2e_ctx *ctx, const struct xe2e_cert *crt,
			 int ski, const uint8_t *cek, size_t cek_len, struct xe2e_err *err)
{
	struct xe2e_buf enc = XE2E_BUF_INIT;
	int rc;

	rc = rsa_wrap(&enc, ctx, crt, cek, cek_len, err);
	if (rc)
		return rc;
	rc = xe2e_der_write(ed, "recipientInfos", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(ed, "recipientInfos.?LAST", "ktri", 1, err);
	if (!rc)
		rc = xe2e_der_write(ed, "recipientInfos.?LAST.ktri.version", ski ? "2" : "0", 0, err);
	if (!rc)
		rc = write_rid(ed, "recipientInfos.?LAST", crt, ski, err);
	if (!rc)
		rc = xe2e_der_write(ed, "recipientInfos.?LAST.ktri.keyEncryptionAlgorithm.algorithm",
				    XE2E_OID_RSA_ENCRYPTION, 1, err);
	if (!rc)
		rc = xe2e_der_write(ed, "recipientInfos.?LAST.ktri.keyEncryptionAlgorithm.parameters",
				    der_null, sizeof(der_null), err);
	if (!rc)
		rc = xe2e_der_write(ed, "recipientInfos.?LAST.ktri.encryptedKey", enc.data,
				    enc.len, err);
	xe2e_buf_release(&enc);
	return rc;
}

/* Encode element `name` of n and write it to out. */
static int emit(struct xe2e_sink *out, asn1_node n, const char *name, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	int rc = xe2e_der_encode(&b, n, name, err);

	if (!rc)
		rc = xe2e_sink_write(out, b.data, b.len, err);
	xe2e_buf_release(&b);
	return rc;
}

/* The BER header up to the first content octet (stream mode). */
static int stream_header(struct xe2e_encryptor *e, struct xe2e_err *err)
{
	asn1_node ci = NULL;
	int rc;

	rc = xe2e_der_new(&ci, "XE2E.ContentInfo", err);
	if (!rc)
		rc = xe2e_der_write(ci, "contentType", XE2E_OID_ENVELOPED_DATA, 1, err);
	if (!rc)
		rc = xe2e_ber_write_indef(e->out, 0x30, err);
	if (!rc)
		rc = emit(e->out, ci, "contentType", err);
	if (!rc)
		rc = xe2e_ber_write_indef(e->out, 0xa0, err);
	if (!rc)
		rc = xe2e_ber_write_indef(e->out, 0x30, err);
	if (!rc)
		rc = emit(e->out, e->ed, "version", err);
	if (!rc)
		rc = emit(e->out, e->ed, "recipientInfos", err);
	if (!rc)
		rc = xe2e_ber_write_indef(e->out, 0x30, err);
	if (!rc)
		rc = emit(e->out, e->ed, "encryptedContentInfo.contentType", err);
	if (!rc)
		rc = emit(e->out, e->ed, "encryptedContentInfo.contentEncryptionAlgorithm", err);
	if (!rc) /* encryptedContent [0] IMPLICIT OCTET STRING, constructed */
		rc = xe2e_ber_write_indef(e->out, 0xa0, err);
	asn1_delete_structure(&ci);
	return rc;
}

int xe2e_encrypt_begin(struct xe2e_encryptor **out, const struct xe2e_encrypt_params *p,
		       struct xe2e_sink *sink, struct xe2e_err *err)
{
	struct xe2e_encryptor *e;
	struct xe2e_buf ivder = XE2E_BUF_INIT;
	size_t i;
	int rc;

	*out = NULL;
	if (p->n_recips == 0 || p->n_recips > XE2E_MAX_RECIPIENTS)
		return xe2e_err_set(err, XE2E_EUSAGE, "between 1 and %d recipients are needed",
				    XE2E_MAX_RECIPIENTS);
	if (p->alg->key_size > sizeof(e->cek) || p->alg->block_size > sizeof(e->iv))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "cipher %s: key too long", p->alg->name);
	e = calloc(1, sizeof(*e));
	if (!e)
		return xe2e_err_oom(err);
	e->p = *p;
	e->out = sink;
	rc = xe2e_ctx_random(p->ctx, e->cek, p->alg->key_size, XE2E_RND_KEY, err);
	if (!rc)
		rc = xe2e_ctx_random(p->ctx, e->iv, p->alg->block_size, XE2E_RND_RANDOM, err);
	if (!rc)
		rc = xe2e_der_new(&e->ed, "XE2E.EnvelopedData", err);
	/* RFC 5652 §6.1: version 2 when a ktri has version 2 (SKI), else 0 */
	if (!rc)
		rc = xe2e_der_write(e->ed, "version", p->use_ski ? "2" : "0", 0, err);
	if (!rc)
		rc = xe2e_der_write(e->ed, "originatorInfo", NULL, 0, err);
	for (i = 0; !rc && i < p->n_recips; i++)
		rc = add_recipient(e->ed, p->ctx, p->recips[i], p->use_ski, e->cek, p->alg->key_size,
				   err);
	if (!rc)
		rc = xe2e_der_write(e->ed, "encryptedContentInfo.contentType",
				    p->content_type ? p->content_type : XE2E_OID_DATA, 1, err);
	if (!rc)
		rc = xe2e_der_write(e->ed, "encryptedContentInfo.contentEncryptionAlgorithm.algorithm",
				    p->alg->oid, 1, err);
	if (!rc) /* RFC 3565 §4.1, RFC 3370 §5.1: parameters are the IV */
		rc = xe2e_der_simple(&ivder, ASN1_ETYPE_OCTET_STRING, e->iv, p->alg->block_size, err);
	if (!rc)
		rc = xe2e_der_write(e->ed, "encryptedContentInfo.contentEncryptionAlgorithm.parameters",
				    ivder.data, ivder.len, err);
	if (!rc)
		rc = xe2e_der_write(e->ed, "unprotectedAttrs", NULL, 0, err);
	xe2e_buf_release(&ivder);
	if (!rc && p->stream) {
		rc = xe2e_der_write(e->ed, "encryptedContentInfo.encryptedContent", NULL, 0, err);
		if (!rc)
			rc = stream_header(e, err);
		xe2e_sink_octets_init(&e->octets, sink);
		if (!rc)
			rc = xe2e_cipher_init(&e->cipher, p->alg, e->cek, e->iv, 0,
					      &e->octets.base, err);
	} else if (!rc) {
		xe2e_sink_buf_init(&e->ctsink, &e->ct);
		/* DESIGN §6: in-memory paths hold at most 64 MiB of input */
		e->ct.max = 2 * XE2E_MAX_INPUT;
		rc = xe2e_cipher_init(&e->cipher, p->alg, e->cek, e->iv, 0,
				      &e->ctsink.base, err);
	}
	if (rc) {
		xe2e_encryptor_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

struct xe2e_sink *xe2e_encryptor_sink(struct xe2e_encryptor *e)
{
	return &e->cipher.base;
}

int xe2e_encrypt_end(struct xe2e_encryptor *e, struct xe2e_err *err)
{
	struct xe2e_buf der = XE2E_BUF_INIT, ci = XE2E_BUF_INIT;
	int rc, i;

	rc = xe2e_cipher_final(&e->cipher, err);
	if (rc)
		return rc;
	if (e->p.stream) {
		/* encryptedContent, EncryptedContentInfo, EnvelopedData, [0], ContentInfo */
		for (i = 0; !rc && i < 5; i++)
			rc = xe2e_ber_write_eoc(e->out, err);
		return rc;
	}
	rc = xe2e_der_write(e->ed, "encryptedContentInfo.encryptedContent", e->ct.data,
			    e->ct.len, err);
	if (!rc)
		rc = xe2e_der_encode(&der, e->ed, "", err);
	if (!rc)
		rc = xe2e_cms_wrap(&ci, XE2E_OID_ENVELOPED_DATA, der.data, der.len, err);
	if (!rc)
		rc = xe2e_sink_write(e->out, ci.data, ci.len, err);
	xe2e_buf_release(&ci);
	xe2e_buf_release(&der);
	return rc;
}

void xe2e_encryptor_free(struct xe2e_encryptor *e)
{
	if (!e)
		return;
	xe2e_cipher_wipe(&e->cipher);
	gnutls_memset(e->cek, 0, sizeof(e->cek));
	asn1_delete_structure(&e->ed);
	xe2e_buf_release(&e->ct);
	free(e);
}

/* ------------------------------------------------------------------ decrypt */

struct dctx {
	struct xe2e_source *src;
	struct xe2e_ctx *ctx;
	struct xe2e_layer *l;
	const struct xe2e_decrypt_params *p;
	asn1_node ris;                      /* RecipientInfos */
	int n_ris;
	const struct xe2e_cipher_alg *alg;
	uint8_t iv[XE2E_CIPHER_MAX_BLOCK];
	int used;                           /* RecipientInfo the key came from */
};

/* "issuer 'DN' serial 0A0B" or "key id 01:02…" for the no-match message. */
static int describe_rid(struct xe2e_buf *out, asn1_node ris, int i, struct xe2e_err *err)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT;
	char name[96], choice[48];
	int n = sizeof(choice), rc, ski;

	snprintf(name, sizeof(name), "?%d.ktri.rid", i);
	if (asn1_read_value(ris, name, choice, &n) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "RecipientInfo: bad rid");
	ski = !strcmp(choice, "subjectKeyIdentifier");
	if (ski) {
		snprintf(name, sizeof(name), "?%d.ktri.rid.subjectKeyIdentifier", i);
		rc = xe2e_der_read(&a, ris, name, "RecipientInfo", err);
	} else {
		snprintf(name, sizeof(name), "?%d.ktri.rid.issuerAndSerialNumber.issuer", i);
		rc = xe2e_der_read(&a, ris, name, "RecipientInfo", err);
		snprintf(name, sizeof(name), "?%d.ktri.rid.issuerAndSerialNumber.serialNumber", i);
		if (!rc)
			rc = xe2e_der_read(&b, ris, name, "RecipientInfo", err);
	}
	if (!rc)
		rc = xe2e_cms_id_text(out, ski, &a, &b, err);
	xe2e_buf_release(&a);
	xe2e_buf_release(&b);
	return rc;
}

static int is_ktri(asn1_node ris, int i)
{
	char name[32], choice[16];
	int n = sizeof(choice);

	snprintf(name, sizeof(name), "?%d", i);
	return asn1_read_value(ris, name, choice, &n) == ASN1_SUCCESS && !strcmp(choice, "ktri");
}

/* Does RecipientInfo i name crt? */
static int rid_matches(asn1_node ris, int i, const struct xe2e_cert *crt)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT;
	char name[96], choice[48];
	int n = sizeof(choice), ok = 0;

	snprintf(name, sizeof(name), "?%d.ktri.rid", i);
	if (asn1_read_value(ris, name, choice, &n) != ASN1_SUCCESS)
		return 0;
	if (!strcmp(choice, "subjectKeyIdentifier")) {
		snprintf(name, sizeof(name), "?%d.ktri.rid.subjectKeyIdentifier", i);
		ok = !xe2e_der_read(&a, ris, name, "rid", NULL) &&
		     xe2e_cert_has_ski(crt, a.data, a.len);
	} else {
		snprintf(name, sizeof(name), "?%d.ktri.rid.issuerAndSerialNumber.issuer", i);
		ok = !xe2e_der_read(&a, ris, name, "rid", NULL);
		snprintf(name, sizeof(name), "?%d.ktri.rid.issuerAndSerialNumber.serialNumber", i);
		ok = ok && !xe2e_der_read(&b, ris, name, "rid", NULL) &&
		     xe2e_cert_is(crt, a.data, a.len, b.data, b.len);
	}
	xe2e_buf_release(&a);
	xe2e_buf_release(&b);
	return ok;
}

/*
 * RFC 3218 §2.3: unwrap the CEK of RecipientInfo i into cek (which the caller
 * filled with random bytes).  Returns 1 if it unwrapped, 0 if not, without
 * telling why; <0 only for structural problems of the message.
 */
static int unwrap(struct dctx *c, int i, uint8_t *cek, struct xe2e_err *err)
{
	struct xe2e_buf ek = XE2E_BUF_INIT, padded = XE2E_BUF_INIT;
	char name[96], oid[128];
	unsigned bits = 0;
	size_t mlen;
	gnutls_datum_t d;
	int rc;

	snprintf(name, sizeof(name), "?%d.ktri.keyEncryptionAlgorithm.algorithm", i);
	rc = xe2e_der_read_oid(oid, sizeof(oid), c->ris, name, "RecipientInfo", err);
	if (rc)
		return rc;
	if (strcmp(oid, XE2E_OID_RSA_ENCRYPTION))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "unsupported key transport algorithm '%s'", oid);
	snprintf(name, sizeof(name), "?%d.ktri.encryptedKey", i);
	rc = xe2e_der_read(&ek, c->ris, name, "RecipientInfo", err);
	if (rc)
		return rc;
	gnutls_privkey_get_pk_algorithm(c->p->key, &bits);
	mlen = (bits + 7) / 8;
	rc = 0;
	if (ek.len <= mlen && mlen <= 1024) {
		/* DESIGN §7: left-pad an encryptedKey shorter than the modulus */
		rc = xe2e_buf_grow(&padded, mlen, err);
		if (!rc) {
			memset(padded.data, 0, mlen - ek.len);
			memcpy(padded.data + mlen - ek.len, ek.data, ek.len);
			padded.len = mlen;
			d.data = padded.data;
			d.size = (unsigned)mlen;
			/* leaves cek untouched on any padding failure */
			rc = gnutls_privkey_decrypt_data2(c->p->key, 0, &d, cek, c->alg->key_size) == 0;
		}
	}
	xe2e_buf_release(&ek);
	xe2e_buf_wipe(&padded);
	return rc;
}

static int read_algorithm(struct dctx *c, const struct xe2e_buf *der, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT, iv = XE2E_BUF_INIT;
	asn1_node a = NULL, prm = NULL;
	char oid[128];
	int rc, ver = 0;
	unsigned bits;

	rc = xe2e_der_decode(&a, "XE2E.AlgorithmIdentifier", der->data, der->len,
			     "contentEncryptionAlgorithm", err);
	if (!rc)
		rc = xe2e_der_read_oid(oid, sizeof(oid), a, "algorithm", "contentEncryptionAlgorithm", err);
	if (!rc)
		rc = xe2e_der_read(&v, a, "parameters", "contentEncryptionAlgorithm", err);
	if (rc)
		goto out;
	if (!strcmp(oid, XE2E_OID_RC2_CBC)) {
		/* RFC 3370 §5.2 / RFC 2268 §6: version 160, 120, 58 = 40, 64,
		 * 128 effective bits; any other size is refused */
		rc = xe2e_der_decode(&prm, "XE2E.RC2CBCParameter", v.data, v.len, "RC2 parameters", err);
		if (!rc)
			rc = xe2e_der_read_uint(&ver, prm, "rc2ParameterVersion", "RC2 parameters", err);
		if (!rc)
			rc = xe2e_der_read(&iv, prm, "iv", "RC2 parameters", err);
		if (rc)
			goto out;
		bits = ver == 160 ? 40 : ver == 120 ? 64 : ver == 58 ? 128 : 0;
		c->l->rc2_bits = bits;
		c->alg = xe2e_cipher_rc2(bits);
		if (!c->alg) {
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "unsupported RC2 effective key size (parameter version %d; "
					  "40, 64 and 128 bits are supported)", ver);
			goto out;
		}
	} else {
		c->alg = xe2e_cipher_by_oid(oid);
		if (!c->alg) {
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "unsupported content encryption algorithm '%s'", oid);
			goto out;
		}
		rc = xe2e_der_decode(&prm, "XE2E.CBCParameter", v.data, v.len, "IV", err);
		if (!rc)
			rc = xe2e_der_read(&iv, prm, "", "IV", err);
		if (rc)
			goto out;
	}
	if (c->alg->key_size > XE2E_CIPHER_MAX_KEY || c->alg->block_size > sizeof(c->iv))
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "cipher %s: key too long", c->alg->name);
	else if (iv.len != c->alg->block_size)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "IV of %zu bytes, expected %zu",
				  iv.len, c->alg->block_size);
	else
		memcpy(c->iv, iv.data, iv.len);
	if (!rc && iv.len <= sizeof(c->l->iv)) {    /* public: for the record */
		memcpy(c->l->iv, iv.data, iv.len);
		c->l->iv_len = iv.len;
	}
out:
	asn1_delete_structure(&a);
	asn1_delete_structure(&prm);
	xe2e_buf_release(&v);
	xe2e_buf_release(&iv);
	return rc;
}

/* Feed len content octets from the source through the cipher. */
static int pump(struct xe2e_source *s, uint64_t len, struct xe2e_sink *cipher,
		unsigned char *chunk, struct xe2e_err *err)
{
	size_t take;
	int rc;

	while (len) {
		take = len < XE2E_STREAM_CHUNK ? (size_t)len : XE2E_STREAM_CHUNK;
		rc = xe2e_source_read_exact(s, chunk, take, err);
		if (!rc)
			rc = xe2e_sink_write(cipher, chunk, take, err);
		if (rc)
			return rc;
		len -= take;
	}
	return 0;
}

/* encryptedContent [0] IMPLICIT OCTET STRING: primitive, or constructed of
 * (possibly nested) chunks, definite or indefinite (X.690 §8.7). */
static int read_content(struct xe2e_source *s, const struct xe2e_ber_hdr *h,
			struct xe2e_sink *cipher, struct xe2e_err *err)
{
	struct { struct xe2e_ber_hdr h; uint64_t start; } st[MAX_CONTENT_DEPTH];
	struct xe2e_ber_hdr c;
	unsigned char *chunk;
	int depth = 0, rc = 0;

	chunk = malloc(XE2E_STREAM_CHUNK);
	if (!chunk)
		return xe2e_err_oom(err);
	if (!h->constructed) {
		rc = pump(s, h->len, cipher, chunk, err);
		goto out;
	}
	st[0].h = *h;
	st[0].start = s->consumed;
	depth = 1;
	while (!rc && depth > 0) {
		struct xe2e_ber_hdr *top = &st[depth - 1].h;
		uint64_t used = s->consumed - st[depth - 1].start;

		if (!top->indefinite && used >= top->len) {
			if (used > top->len)
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "encryptedContent: bad lengths");
			depth--;
			continue;
		}
		rc = xe2e_ber_read_hdr(s, &c, err);
		if (rc)
			break;
		if (xe2e_ber_is_eoc(&c)) {
			if (!top->indefinite)
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "encryptedContent: stray end-of-contents");
			depth--;
		} else if (c.tag == 0x04) {
			rc = pump(s, c.len, cipher, chunk, err);
		} else if (c.tag == 0x24) {
			if (depth == MAX_CONTENT_DEPTH) {
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "encryptedContent: nested too deeply");
				break;
			}
			st[depth].h = c;
			st[depth].start = s->consumed;
			depth++;
		} else {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "encryptedContent: unexpected element (tag 0x%02X)", c.tag);
		}
	}
out:
	free(chunk);
	return rc;
}

/* After the content: close EncryptedContentInfo, skip unprotectedAttrs,
 * close EnvelopedData, [0] and ContentInfo; only white space may follow. */
static int read_trailer(struct xe2e_source *s, struct xe2e_ber_hdr *hs, uint64_t *starts,
			struct xe2e_err *err)
{
	struct xe2e_buf skip = XE2E_BUF_INIT;
	struct xe2e_ber_hdr h;
	int rc;

	rc = xe2e_ber_close(s, &hs[3], starts[3], err);     /* EncryptedContentInfo */
	if (!rc && (hs[2].indefinite || s->consumed - starts[2] < hs[2].len)) {
		rc = xe2e_ber_read_hdr(s, &h, err);
		if (!rc && h.tag == 0xa1) {                    /* unprotectedAttrs */
			rc = xe2e_ber_read_rest(s, &h, &skip, MAX_ELEMENT, err);
			if (!rc && hs[2].indefinite)
				rc = xe2e_ber_close(s, &hs[2], starts[2], err);
		} else if (!rc && !(hs[2].indefinite && xe2e_ber_is_eoc(&h))) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "EnvelopedData: unexpected element");
		}
		if (!rc && !hs[2].indefinite)
			rc = xe2e_ber_close(s, &hs[2], starts[2], err);
	} else if (!rc) {
		rc = xe2e_ber_close(s, &hs[2], starts[2], err);
	}
	if (!rc)
		rc = xe2e_ber_close(s, &hs[1], starts[1], err);
	if (!rc)
		rc = xe2e_ber_close(s, &hs[0], starts[0], err);
	if (!rc && (rc = xe2e_source_skip_space(s, err)) > 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "trailing data after the CMS object");
	xe2e_buf_release(&skip);
	return rc < 0 ? rc : 0;
}

static int choose_key(struct dctx *c, uint8_t *cek, int *key_ok, struct xe2e_err *err)
{
	struct xe2e_buf names = XE2E_BUF_INIT;
	struct xe2e_err skip;
	uint8_t tmp[XE2E_CIPHER_MAX_KEY];
	int i, rc = 0, match = -1, any = 0, tried = 0, r;

	for (i = 1; i <= c->n_ris && match < 0; i++) {
		if (!is_ktri(c->ris, i))
			continue;
		any = 1;
		if (c->p->cert && rid_matches(c->ris, i, c->p->cert))
			match = i;
	}
	if (c->p->cert && match < 0) {
		for (i = 1; !rc && i <= c->n_ris; i++)
			if (is_ktri(c->ris, i)) {
				size_t before = names.len;

				rc = xe2e_buf_adds(&names, names.len ? "; " : "", err);
				if (!rc)
					rc = describe_rid(&names, c->ris, i, err);
				/* one line of at most XE2E_ERR_MSG_MAX: list what fits */
				if (!rc && names.len > 150) {
					names.len = before;
					rc = xe2e_buf_addf(&names, err, "%s%d more",
							   before ? "; " : "", c->n_ris - i + 1);
					break;
				}
			}
		if (!rc)
			rc = xe2e_err_set(err, XE2E_EDECRYPT,
					  "no recipient is '%s' (recipients: %s)",
					  xe2e_cert_name(c->p->cert),
					  names.len ? (char *)names.data : "none with key transport");
		goto out;
	}
	if (!any) {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "no key transport recipient (only RSA key transport is supported)");
		goto out;
	}
	if (match > 0) {
		r = unwrap(c, match, cek, err);
		if (r < 0)
			rc = r;
		else
			*key_ok = r;
		c->used = r > 0 ? match : 0;
		goto out;
	}
	/* --key alone: try every key transport recipient; one whose algorithm
	 * we do not support is not ours to open, so it is skipped */
	for (i = 1; i <= c->n_ris; i++) {
		if (!is_ktri(c->ris, i))
			continue;
		rc = xe2e_ctx_random(c->ctx, tmp, c->alg->key_size, XE2E_RND_KEY, err);
		if (rc)
			break;
		r = unwrap(c, i, tmp, &skip);
		if (r == -XE2E_EUNSUPPORTED)
			continue;
		if (r < 0) {
			rc = err ? (*err = skip, r) : r;
			break;
		}
		tried = 1;
		if (r && !*key_ok) {
			memcpy(cek, tmp, c->alg->key_size);
			*key_ok = 1;
			c->used = i;
		}
	}
	if (!rc && !tried)
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "no recipient uses a key transport algorithm we support "
				  "(only rsaEncryption)");
	gnutls_memset(tmp, 0, sizeof(tmp));
out:
	xe2e_buf_release(&names);
	return rc;
}

/* RFC 5652 §6.1 originatorInfo: the sender's certificates and CRLs */
static int read_originator(struct xe2e_ctx *ctx, struct xe2e_layer *l, struct xe2e_buf *tlv,
			   struct xe2e_err *err)
{
	asn1_node n = NULL;
	int rc;

	tlv->data[0] = 0x30;   /* [0] IMPLICIT OriginatorInfo, decoded as the SEQUENCE */
	rc = xe2e_der_decode(&n, "XE2E.OriginatorInfo", tlv->data, tlv->len, "originatorInfo", err);
	/* nothing authenticates them: what does not parse is left out */
	if (!rc)
		rc = xe2e_cms_cert_sets(ctx, n, "certs", &l->certs, &l->crls, 0, err);
	asn1_delete_structure(&n);
	return rc;
}

/* RFC 5652 §6.2: every RecipientInfo, whatever its kind, for the record. */
static int list_recipients(struct dctx *c, struct xe2e_err *err)
{
	static const char *const alg_of[][2] = {
		{ "ktri", "ktri.keyEncryptionAlgorithm.algorithm" },
		{ "kari", "kari.keyEncryptionAlgorithm.algorithm" },
		{ "kekri", "kekri.keyEncryptionAlgorithm.algorithm" },
		{ "pwri", "pwri.keyEncryptionAlgorithm.algorithm" },
		{ "ori", "ori.oriType" },
	};
	struct xe2e_buf id = XE2E_BUF_INIT, v = XE2E_BUF_INIT;
	char name[96], choice[16], oid[128] = "";
	int i, n, rc = 0;
	size_t k;

	c->l->recipients = calloc((size_t)c->n_ris, sizeof(*c->l->recipients));
	if (!c->l->recipients)
		return xe2e_err_oom(err);
	c->l->n_recipients = (size_t)c->n_ris;
	for (i = 1; !rc && i <= c->n_ris; i++) {
		struct xe2e_recipient *r = &c->l->recipients[i - 1];

		snprintf(name, sizeof(name), "?%d", i);
		n = sizeof(choice);
		if (asn1_read_value(c->ris, name, choice, &n) != ASN1_SUCCESS) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "RecipientInfo %d: unknown kind", i);
			break;
		}
		snprintf(r->kind, sizeof(r->kind), "%.7s", choice);
		for (k = 0; k < sizeof(alg_of) / sizeof(alg_of[0]); k++) {
			if (strcmp(choice, alg_of[k][0]))
				continue;
			snprintf(name, sizeof(name), "?%d.%s", i, alg_of[k][1]);
			rc = xe2e_der_read_oid(oid, sizeof(oid), c->ris, name, "RecipientInfo", err);
			if (!rc)
				snprintf(r->alg, sizeof(r->alg), "%s", xe2e_oid_name(oid));
		}
		xe2e_buf_reset(&id);
		if (!rc && !strcmp(choice, "ktri")) {
			rc = describe_rid(&id, c->ris, i, err);
			r->usable = !strcmp(oid, XE2E_OID_RSA_ENCRYPTION);
		} else if (!rc && !strcmp(choice, "kekri")) {
			snprintf(name, sizeof(name), "?%d.kekri.kekid.keyIdentifier", i);
			rc = xe2e_der_read(&v, c->ris, name, "RecipientInfo", err);
			if (!rc)
				rc = xe2e_buf_adds(&id, "key id ", err);
			for (k = 0; !rc && k < v.len && k < 32; k++)
				rc = xe2e_buf_addf(&id, err, "%s%02X", k ? ":" : "", v.data[k]);
		}
		if (!rc)
			snprintf(r->id, sizeof(r->id), "%s", id.len ? (char *)id.data : "");
	}
	xe2e_buf_release(&id);
	xe2e_buf_release(&v);
	return rc;
}

/* counts what the described-only content would have decrypted */
struct counter {
	struct xe2e_sink base;
	unsigned long long n;
};

static int count_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		       struct xe2e_err *err)
{
	(void)p;
	(void)err;
	((struct counter *)s)->n += n;
	return 0;
}

int xe2e_cms_decrypt(struct xe2e_ctx *ctx, struct xe2e_source *src, const struct xe2e_cms_info *ci,
		     const struct xe2e_decrypt_params *p, struct xe2e_sink *out,
		     struct xe2e_layer *l, struct xe2e_err *err)
{
	/* hs: ContentInfo, [0], EnvelopedData, EncryptedContentInfo */
	struct xe2e_ber_hdr hs[4], h;
	uint64_t starts[4];
	struct xe2e_buf tlv = XE2E_BUF_INIT;
	struct xe2e_cipher *ciph = NULL;
	struct dctx c;
	uint8_t cek[XE2E_CIPHER_MAX_KEY];
	int rc, key_ok = 0, pk;
	asn1_node n = NULL;

	memset(&c, 0, sizeof(c));
	c.src = src;
	c.ctx = ctx;
	c.l = l;
	c.p = p;
	l->type = XE2E_LAYER_ENVELOPED;
	pk = p->key ? gnutls_privkey_get_pk_algorithm(p->key, NULL) : GNUTLS_PK_RSA;
	if (pk != GNUTLS_PK_RSA)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "the key is not RSA (only RSA key transport is supported)");
	hs[0] = ci->seq;
	starts[0] = ci->seq_start;
	hs[1] = ci->content;
	starts[1] = ci->content_start;
	rc = xe2e_ber_read_hdr(src, &hs[2], err);
	if (!rc)
		rc = xe2e_ber_expect_tag(&hs[2], 0x30, "EnvelopedData", err);
	starts[2] = src->consumed;
	if (!rc)   /* version: any; the RecipientInfo choices say what matters */
		rc = xe2e_ber_read_tlv(src, &tlv, 16, err);
	if (!rc && tlv.len == 3 && tlv.data[0] == 0x02 && tlv.data[1] == 1)
		l->version = tlv.data[2];
	if (!rc)
		rc = xe2e_ber_read_hdr(src, &h, err);
	if (!rc && h.tag == 0xa0) {   /* originatorInfo: not needed to decrypt */
		xe2e_buf_reset(&tlv);
		rc = xe2e_ber_read_rest(src, &h, &tlv, MAX_ELEMENT, err);
		if (!rc && p->keep_originator)
			rc = read_originator(ctx, l, &tlv, err);
		if (!rc)
			rc = xe2e_ber_read_hdr(src, &h, err);
	}
	if (!rc)
		rc = xe2e_ber_expect_tag(&h, 0x31, "RecipientInfos", err);
	xe2e_buf_reset(&tlv);
	if (!rc)
		rc = xe2e_ber_read_rest(src, &h, &tlv, MAX_ELEMENT, err);
	if (!rc)
		rc = xe2e_der_decode(&c.ris, "XE2E.RecipientInfos", tlv.data, tlv.len,
				     "RecipientInfos", err);
	if (!rc)
		rc = asn1_number_of_elements(c.ris, "", &c.n_ris) == ASN1_SUCCESS && c.n_ris > 0 ? 0 :
		     xe2e_err_set(err, XE2E_EMALFORMED, "RecipientInfos: empty");
	if (!rc && c.n_ris > XE2E_MAX_RECIPIENTS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d recipients", XE2E_MAX_RECIPIENTS);
	if (!rc)
		rc = list_recipients(&c, err);
	if (!rc)
		rc = xe2e_ber_read_hdr(src, &hs[3], err);
	if (!rc)
		rc = xe2e_ber_expect_tag(&hs[3], 0x30, "EncryptedContentInfo", err);
	starts[3] = src->consumed;
	if (!rc)
		rc = xe2e_ber_read_tlv(src, &tlv, 256, err);
	if (!rc)
		rc = xe2e_der_decode(&n, "XE2E.ContentType", tlv.data, tlv.len, "EncryptedContentInfo", err);
	if (!rc)
		rc = xe2e_der_read_oid(l->content_type, sizeof(l->content_type), n, "",
				       "EncryptedContentInfo", err);
	asn1_delete_structure(&n);
	if (!rc)
		rc = xe2e_ber_read_tlv(src, &tlv, 4096, err);
	if (!rc)
		rc = read_algorithm(&c, &tlv, err);
	if (rc)
		goto out;
	snprintf(l->cipher, sizeof(l->cipher), "%s", c.alg->name);
	if (!p->key) {      /* described only: the structure read to its end */
		struct counter cnt = { { count_write, NULL }, 0 };

		rc = xe2e_ber_read_hdr(src, &h, err);
		if (!rc && h.tag != 0x80 && h.tag != 0xa0)
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "the encrypted content is not in the message (detached)");
		if (!rc)
			rc = read_content(src, &h, &cnt.base, err);
		l->enc_len = cnt.n;
		if (!rc)
			rc = read_trailer(src, hs, starts, err);
		goto out;
	}
	/* RFC 3218: a random key unless unwrapping succeeds; fail late */
	rc = xe2e_ctx_random(ctx, cek, sizeof(cek), XE2E_RND_KEY, err);
	if (!rc)
		rc = choose_key(&c, cek, &key_ok, err);
	if (!rc)
		rc = xe2e_ber_read_hdr(src, &h, err);
	if (!rc && h.tag != 0x80 && h.tag != 0xa0)
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "the encrypted content is not in the message (detached)");
	if (rc)
		goto out;
	ciph = malloc(sizeof(*ciph));
	if (!ciph) {
		rc = xe2e_err_oom(err);
		goto out;
	}
	rc = xe2e_cipher_init(ciph, c.alg, cek, c.iv, 1, out, err);
	gnutls_memset(cek, 0, sizeof(cek));
	if (!rc)
		rc = read_content(src, &h, &ciph->base, err);
	if (!rc)
		rc = xe2e_cipher_final(ciph, err);
	if (!rc)
		rc = read_trailer(src, hs, starts, err);
	/* DESIGN §3 rule 9: one message for every key or padding failure */
	if (!rc && (!key_ok || !ciph->pad_ok))
		rc = xe2e_err_set(err, XE2E_EDECRYPT, "decryption failed");
	if (!rc && c.used > 0)
		l->recipients[c.used - 1].used = 1;
out:
	if (ciph) {
		xe2e_cipher_wipe(ciph);
		free(ciph);
	}
	gnutls_memset(cek, 0, sizeof(cek));
	asn1_delete_structure(&c.ris);
	xe2e_buf_release(&tlv);
	return rc;
}
