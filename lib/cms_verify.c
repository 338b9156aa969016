/*
 * cms_verify.c - SignedData verification (RFC 5652 §5.4-§5.6), with the
 * certificate rules of RFC 3850 §4 (through pki.h) and the ESS
 * signing-certificate check (RFC 2634 §5.4, RFC 5035 §3).
 */
#include "cms.h"
#include "datetime.h"
#include "der.h"
#include "mime.h"
#include "oids.h"
#include "text.h"

#include <gnutls/abstract.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Everything one verification needs, to keep signatures short. */
struct vctx {
	asn1_node sd;
	const unsigned char *sd_der;
	size_t sd_len;
	const unsigned char *content;
	size_t content_len;
	char ectype[64];
	struct xe2e_ctx *ctx;
	struct xe2e_layer *l;             /* the record, with the message's
					     certificates and current CRLs */
};

/* RFC 5652 §5.3 sid: find the signer certificate among all we know. */
static int find_signer(const struct xe2e_cert **out, struct vctx *c, const char *si,
		       struct xe2e_err *err)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT;
	const struct xe2e_certs *lists[3] = { &c->l->certs, &c->ctx->untrusted,
					      &c->ctx->trust.anchors };
	char name[160], choice[64];
	int n = sizeof(choice), rc, ski;
	size_t l, i;

	snprintf(name, sizeof(name), "%s.sid", si);
	if (asn1_read_value(c->sd, name, choice, &n) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "SignerInfo: bad sid");
	ski = !strcmp(choice, "subjectKeyIdentifier");
	if (ski) {
		snprintf(name, sizeof(name), "%s.sid.subjectKeyIdentifier", si);
		rc = xe2e_der_read(&a, c->sd, name, "SignerInfo", err);
	} else {
		snprintf(name, sizeof(name), "%s.sid.issuerAndSerialNumber.issuer", si);
		rc = xe2e_der_read(&a, c->sd, name, "SignerInfo", err);
		snprintf(name, sizeof(name), "%s.sid.issuerAndSerialNumber.serialNumber", si);
		if (!rc)
			rc = xe2e_der_read(&b, c->sd, name, "SignerInfo", err);
	}
	for (l = 0; !rc && l < 3; l++)
		for (i = 0; i < lists[l]->n; i++)
			if (ski ? xe2e_cert_has_ski(lists[l]->v[i], a.data, a.len)
				: xe2e_cert_is(lists[l]->v[i], a.data, a.len, b.data, b.len)) {
				*out = lists[l]->v[i];
				goto out;
			}
	if (!rc)
		rc = xe2e_err_set(err, XE2E_ECERT,
				  "the signer's certificate is neither in the message nor given");
out:
	xe2e_buf_release(&a);
	xe2e_buf_release(&b);
	return rc;
}

/* Decode a single-valued attribute value as `type`. */
static int attr_value(asn1_node *out, struct vctx *c, const char *attr,
		      const char *type, const char *what, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	char name[192];
	int n, rc;

	snprintf(name, sizeof(name), "%s.attrValues", attr);
	rc = xe2e_der_count(c->sd, name, &n, err);
	if (!rc && n != 1)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "%s attribute must have exactly one value", what);
	snprintf(name, sizeof(name), "%s.attrValues.?1", attr);
	if (!rc)
		rc = xe2e_der_read(&v, c->sd, name, what, err);
	if (!rc)
		rc = xe2e_der_decode(out, type, v.data, v.len, what, err);
	xe2e_buf_release(&v);
	return rc;
}

static int check_ess(struct vctx *c, const char *attr, int v2,
		     const struct xe2e_cert *crt, struct xe2e_err *err)
{
	struct xe2e_buf h = XE2E_BUF_INIT;
	const struct xe2e_digest *d = xe2e_digest_by_name(v2 ? "sha256" : "sha1");
	unsigned char want[XE2E_MAX_DIGEST];
	char oid[128];
	asn1_node n = NULL;
	int rc;

	rc = attr_value(&n, c, attr, v2 ? "XE2E.SigningCertificateV2"
					: "XE2E.SigningCertificate",
			"signing-certificate", err);
	if (!rc && v2 && xe2e_der_present(n, "certs.?1.hashAlgorithm")) {
		rc = xe2e_der_read_oid(oid, sizeof(oid), n, "certs.?1.hashAlgorithm.algorithm",
				       "signing-certificate", err);
		if (!rc && !(d = xe2e_digest_by_oid(oid)))
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "signing-certificate hash '%s' unsupported", oid);
	}
	if (!rc)
		rc = xe2e_der_read(&h, n, "certs.?1.certHash", "signing-certificate", err);
	if (!rc) {
		xe2e_digest(d, crt->der.data, crt->der.len, want);
		if (h.len != d->hash->digest_size ||
		    gnutls_memcmp(h.data, want, h.len))
			rc = xe2e_err_set(err, XE2E_ESIGNATURE,
					  "signing-certificate attribute names another certificate");
	}
	asn1_delete_structure(&n);
	xe2e_buf_release(&h);
	return rc;
}

/*
 * RFC 5652 §5.4/§5.6 and §11: check the signed attributes of SignerInfo si
 * and give the bytes the signature covers (tbs, replaced).
 */
static int check_signed_attrs(struct xe2e_buf *tbs, struct xe2e_signer *s,
			      struct vctx *c, const char *si,
			      const unsigned char *md, const struct xe2e_cert *crt,
			      struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	char name[200], attr[160], oid[128], t[64];
	int n, i, rc, have_ct = 0, have_md = 0;
	asn1_node a = NULL;
	size_t start, end;

	snprintf(name, sizeof(name), "%s.signedAttrs", si);
	rc = xe2e_der_count(c->sd, name, &n, err);
	if (!rc && n > XE2E_MAX_ATTRS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d signed attributes",
				  XE2E_MAX_ATTRS);
	for (i = 1; !rc && i <= n; i++) {
		snprintf(attr, sizeof(attr), "%s.signedAttrs.?%d", si, i);
		snprintf(name, sizeof(name), "%s.attrType", attr);
		rc = xe2e_der_read_oid(oid, sizeof(oid), c->sd, name, "signed attribute", err);
		if (rc)
			break;
		asn1_delete_structure(&a);
		if (!strcmp(oid, XE2E_OID_AT_CONTENT_TYPE)) {
			if (have_ct++)
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "two contentType attributes");
			if (!rc)
				rc = attr_value(&a, c, attr, "XE2E.ContentType", "contentType", err);
			if (!rc)
				rc = xe2e_der_read_oid(t, sizeof(t), a, "", "contentType", err);
			if (!rc && strcmp(t, c->ectype))
				rc = xe2e_err_set(err, XE2E_ESIGNATURE,
						  "contentType attribute '%s' does not match content '%s'",
						  t, c->ectype);
		} else if (!strcmp(oid, XE2E_OID_AT_MESSAGE_DIGEST)) {
			if (have_md++)
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "two messageDigest attributes");
			if (!rc)
				rc = attr_value(&a, c, attr, "XE2E.MessageDigest", "messageDigest", err);
			if (!rc)
				rc = xe2e_der_read(&v, a, "", "messageDigest", err);
			if (!rc && (v.len != s->digest->hash->digest_size ||
				    gnutls_memcmp(v.data, md, v.len)))
				rc = xe2e_err_set(err, XE2E_ESIGNATURE,
						  "signature does not match content (message digest differs)");
		} else if (!strcmp(oid, XE2E_OID_AT_SIGNING_TIME)) {
			rc = attr_value(&a, c, attr, "XE2E.SigningTime", "signingTime", err);
			if (!rc)
				rc = xe2e_der_read_time(&s->signing_time, a, "", "signingTime", err);
			s->has_signing_time = !rc;
		} else if (!strcmp(oid, XE2E_OID_AT_SIGNING_CERT) ||
			   !strcmp(oid, XE2E_OID_AT_SIGNING_CERT2)) {
			rc = check_ess(c, attr, !strcmp(oid, XE2E_OID_AT_SIGNING_CERT2), crt, err);
		} else if (strcmp(oid, XE2E_OID_AT_SMIME_CAPS) &&
			   strcmp(oid, XE2E_OID_AT_ENC_KEY_PREF)) {
			/* DESIGN §3 rule 8: tolerated and listed */
			rc = xe2e_buf_addf(&s->unknown_attrs, err, "%s\n", oid);
		}
	}
	asn1_delete_structure(&a);
	xe2e_buf_release(&v);
	if (rc)
		return rc;
	if (!have_ct || !have_md)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "signed attributes lack %s (RFC 5652 §5.3)",
				    have_ct ? "messageDigest" : "contentType");
	/* RFC 5652 §5.4: the DER of the attributes under a SET OF tag, as received */
	snprintf(name, sizeof(name), "%s.signedAttrs", si);
	rc = xe2e_der_range(&start, &end, c->sd, c->sd_der, c->sd_len, name, err);
	xe2e_buf_reset(tbs);
	if (!rc)
		rc = xe2e_buf_add(tbs, c->sd_der + start, end - start + 1, err);
	if (!rc)
		tbs->data[0] = 0x31;
	return rc;
}

/* RFC 5652 §11.1-§11.3: these "MUST NOT be an unsigned attribute". */
static int check_unsigned_attrs(struct vctx *c, const char *si, struct xe2e_err *err)
{
	char name[96], oid[128];
	int n, i, rc;

	snprintf(name, sizeof(name), "%s.unsignedAttrs", si);
	rc = xe2e_der_count(c->sd, name, &n, err);
	if (!rc && n > XE2E_MAX_ATTRS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d unsigned attributes",
				  XE2E_MAX_ATTRS);
	for (i = 1; !rc && i <= n; i++) {
		snprintf(name, sizeof(name), "%s.unsignedAttrs.?%d.attrType", si, i);
		rc = xe2e_der_read_oid(oid, sizeof(oid), c->sd, name, "unsigned attribute", err);
		if (!rc && (!strcmp(oid, XE2E_OID_AT_CONTENT_TYPE) ||
			    !strcmp(oid, XE2E_OID_AT_MESSAGE_DIGEST) ||
			    !strcmp(oid, XE2E_OID_AT_SIGNING_TIME)))
			rc = xe2e_err_set(err, XE2E_ESIGNATURE,
					  "%s is an unsigned attribute (RFC 5652 §11 requires it signed)",
					  xe2e_oid_name(oid));
	}
	return rc;
}

static int verify_signer(struct xe2e_signer *s, struct vctx *c, int idx,
			 struct xe2e_err *err)
{
	struct xe2e_buf tbs = XE2E_BUF_INIT, sig = XE2E_BUF_INIT;
	unsigned char md[XE2E_MAX_DIGEST];
	char si[32], name[96], oid[128];
	const struct xe2e_digest *implied = NULL;
	const struct xe2e_cert *crt = NULL;
	gnutls_pk_algorithm_t pk;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t data, sd;
	unsigned flags = 0;
	int rc, validated = 0;

	snprintf(si, sizeof(si), "signerInfos.?%d", idx);
	snprintf(name, sizeof(name), "%s.digestAlgorithm.algorithm", si);
	rc = xe2e_der_read_oid(oid, sizeof(oid), c->sd, name, "SignerInfo", err);
	if (rc)
		goto out;
	s->digest = xe2e_digest_by_oid(oid);
	if (!s->digest) {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "unsupported digest algorithm '%s'", oid);
		goto out;
	}
	snprintf(name, sizeof(name), "%s.signatureAlgorithm.algorithm", si);
	rc = xe2e_der_read_oid(oid, sizeof(oid), c->sd, name, "SignerInfo", err);
	if (!rc)
		rc = xe2e_sigalg_by_oid(oid, &pk, &implied, err);
	if (rc)
		goto out;
	snprintf(s->sigalg, sizeof(s->sigalg), "%s", xe2e_oid_name(oid));
	if (implied && implied != s->digest) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "signature algorithm %s does not match digest %s",
				  s->sigalg, s->digest->name);
		goto out;
	}
	rc = find_signer(&crt, c, si, err);
	if (rc)
		goto out;
	rc = xe2e_buf_adds(&s->subject, crt->dn.len ? (char *)crt->dn.data : "", err);
	if (!rc)
		rc = xe2e_buf_adds(&s->names, crt->names.data ? (char *)crt->names.data : "", err);
	if (!rc)
		rc = check_unsigned_attrs(c, si, err);
	if (rc)
		goto named;
	xe2e_digest(s->digest, c->content, c->content_len, md);
	snprintf(name, sizeof(name), "%s.signedAttrs", si);
	if (xe2e_der_present(c->sd, name)) {
		rc = check_signed_attrs(&tbs, s, c, si, md, crt, err);
		if (rc)
			goto named;
		data.data = tbs.data;
		data.size = (unsigned)tbs.len;
	} else if (strcmp(c->ectype, XE2E_OID_DATA)) {
		/* RFC 5652 §5.3: signed attributes MUST be present when the
		 * content type is not id-data; else the type could be relabelled */
		rc = xe2e_err_set(err, XE2E_ESIGNATURE,
				  "signature without signed attributes over content type %s "
				  "(RFC 5652 §5.3 requires them)", xe2e_oid_name(c->ectype));
		goto named;
	} else {
		/* RFC 5652 §5.4: without attributes the content itself is signed */
		data.data = (unsigned char *)c->content;
		data.size = (unsigned)c->content_len;
	}
	snprintf(name, sizeof(name), "%s.signature", si);
	rc = xe2e_der_read(&sig, c->sd, name, "SignerInfo", err);
	if (rc)
		goto out;
	/* RFC 3279 §2.3.2: a DSA key without parameters has them only
	 * through its path, which is then validated first */
	if (crt->dsa_inherits) {
		rc = xe2e_ctx_validate(c->ctx, &s->path, crt, &c->l->certs, &c->l->crls,
				       XE2E_PURPOSE_SIGN, err);
		validated = !rc;
		if (!rc)
			rc = xe2e_pki_leaf_key(&pub, &s->path, err);
	} else {
		rc = xe2e_cert_pubkey(&pub, crt, NULL, err);
	}
	if (rc)
		goto named;
	if ((int)pk != gnutls_pubkey_get_pk_algorithm(pub, NULL)) {
		rc = xe2e_err_set(err, XE2E_ESIGNATURE,
				  "signature algorithm %s does not fit the signer's key",
				  s->sigalg);
		goto named;
	}
	/* the older RFC 3923 drafts used MD5: receive only (DESIGN §7: this
	 * flag allows RSA-MD5 and nothing else) */
	if (s->digest->gnutls == GNUTLS_DIG_MD5)
		flags |= GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5;
	sd.data = sig.data;
	sd.size = (unsigned)sig.len;
	rc = gnutls_pubkey_verify_data2(pub, gnutls_pk_to_sign(pk, s->digest->gnutls),
					flags, &data, &sd);
	if (rc < 0) {
		rc = xe2e_err_set(err, rc == GNUTLS_E_PK_SIG_VERIFY_FAILED
					       ? XE2E_ESIGNATURE : XE2E_EUNSUPPORTED,
				  rc == GNUTLS_E_PK_SIG_VERIFY_FAILED
					  ? "signature does not match content"
					  : "cannot verify %s signature: %s",
				  s->sigalg, gnutls_strerror(rc));
		goto named;
	}
	rc = validated ? 0 : xe2e_ctx_validate(c->ctx, &s->path, crt, &c->l->certs, &c->l->crls,
					       XE2E_PURPOSE_SIGN, err);
	if (rc)       /* no chain is shown for a path that did not validate */
		s->path.n = 0;
named:
	/* STYLE: name the signer in the message */
	if (rc && err && s->subject.len) {
		char esc[XE2E_ERR_MSG_MAX];

		xe2e_text_escape(esc, sizeof(esc), s->subject.data, s->subject.len);
		if (strlen(err->msg) + strlen(esc) + 16 < sizeof(err->msg) && !strstr(err->msg, esc))
			xe2e_err_set(err, err->code, "%s (signer '%s')", err->msg, esc);
	}
out:
	if (pub)
		gnutls_pubkey_deinit(pub);
	xe2e_buf_release(&tbs);
	xe2e_buf_release(&sig);
	return rc;
}

/*
 * The signed content of a decoded SignedData: its eContent (a constructed
 * BER OCTET STRING joined), or the detached content d; both given: they
 * must be the same bytes (*also_detached then set).
 */
static int signed_content(struct xe2e_buf *content, int *also_detached, asn1_node sd,
			  const struct xe2e_detached *d, struct xe2e_err *err)
{
	struct xe2e_buf ec = XE2E_BUF_INIT;
	size_t used;
	int rc = 0;

	*also_detached = 0;
	if (xe2e_der_present(sd, "encapContentInfo.eContent")) {
		/* DESIGN §7: [0] EXPLICIT ANY, the OCTET STRING may be constructed BER */
		rc = xe2e_der_read(&ec, sd, "encapContentInfo.eContent", "SignedData", err);
		if (!rc)
			rc = xe2e_der_octets_ber(content, &used, ec.data, ec.len, "eContent", err);
		if (!rc && used != ec.len)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "eContent: trailing data");
		/* a content given beside an encapsulating signature (the first
		 * part of a multipart/signed, a separate file) is what the reader
		 * sees: it is covered only if it is the same bytes */
		if (!rc && d && (content->len != d->len || memcmp(content->data, d->p, d->len)))
			rc = xe2e_err_set(err, XE2E_ESIGNATURE,
					  "the signature carries its own content, which differs from "
					  "the content given beside it");
		*also_detached = !rc && d;
	} else if (d) {
		xe2e_buf_reset(content);
		rc = xe2e_buf_add(content, d->p, d->len, err);
	} else {
		rc = xe2e_err_what(err, XE2E_WHAT_NO_CONTENT,
				   xe2e_err_set(err, XE2E_EMALFORMED,
						"detached signature without the signed content"));
	}
	xe2e_buf_release(&ec);
	return rc;
}

int xe2e_cms_signed_content(struct xe2e_buf *content, char ectype[64], size_t *n_signers,
			    const unsigned char *sd, size_t len, const struct xe2e_detached *d,
			    struct xe2e_err *err)
{
	asn1_node n = NULL;
	int rc, also, count = 0;

	rc = xe2e_der_decode(&n, "XE2E.SignedData", sd, len, "SignedData", err);
	if (!rc)
		rc = xe2e_der_read_oid(ectype, 64, n, "encapContentInfo.eContentType", "SignedData", err);
	if (!rc)
		rc = signed_content(content, &also, n, d, err);
	if (!rc)
		rc = xe2e_der_count(n, "signerInfos", &count, err);
	*n_signers = (size_t)count;
	asn1_delete_structure(&n);
	return rc;
}

static int verify_once(struct xe2e_ctx *ctx, struct xe2e_layer *l, struct xe2e_buf *content,
		       const unsigned char *sd, size_t len, const struct xe2e_detached *d,
		       struct xe2e_err *err)
{
	struct vctx c;
	int rc, n, i;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.l = l;
	rc = xe2e_der_decode(&c.sd, "XE2E.SignedData", sd, len, "SignedData", err);
	if (rc)
		goto out;
	c.sd_der = sd;
	c.sd_len = len;
	rc = xe2e_der_read_oid(c.ectype, sizeof(c.ectype), c.sd,
			       "encapContentInfo.eContentType", "SignedData", err);
	if (rc)
		goto out;
	snprintf(l->content_type, sizeof(l->content_type), "%s", c.ectype);
	l->detached = !xe2e_der_present(c.sd, "encapContentInfo.eContent");
	rc = signed_content(content, &l->also_detached, c.sd, d, err);
	if (rc)
		goto out;
	c.content = content->data;
	c.content_len = content->len;
	xe2e_certs_release(&l->certs);
	xe2e_crls_release(&l->crls);
	rc = xe2e_cms_cert_sets(ctx, c.sd, "certificates", &l->certs, &l->crls, 1, err);
	/* a stale CRL from the sender is no evidence: left out, not failing */
	if (!rc)
		xe2e_crls_keep_current(&l->crls, xe2e_ctx_now(ctx));
	if (!rc)
		rc = xe2e_der_count(c.sd, "signerInfos", &n, err);
	if (!rc && n == 0) {
		/* RFC 3851 §3.6: a certs-only message; nothing to verify */
		l->type = XE2E_LAYER_CERTS_ONLY;
		goto out;
	}
	l->type = XE2E_LAYER_SIGNED;
	if (!rc && n > XE2E_MAX_SIGNERS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d signers",
				  XE2E_MAX_SIGNERS);
	for (i = 1; !rc && i <= n; i++) {
		rc = verify_signer(&l->signers[i - 1], &c, i, err);
		l->n_signers = (size_t)i;
	}
out:
	asn1_delete_structure(&c.sd);
	if (rc)
		xe2e_buf_wipe(content);
	return rc;
}

static void signers_reset(struct xe2e_layer *l)
{
	size_t i;

	for (i = 0; i < XE2E_MAX_SIGNERS; i++) {
		xe2e_buf_release(&l->signers[i].subject);
		xe2e_buf_release(&l->signers[i].names);
		xe2e_buf_release(&l->signers[i].unknown_attrs);
	}
	memset(l->signers, 0, sizeof(l->signers));
	l->n_signers = 0;
}

int xe2e_cms_verify(struct xe2e_ctx *ctx, struct xe2e_layer *l, struct xe2e_buf *content,
		    const unsigned char *sd, size_t len, const struct xe2e_detached *d,
		    struct xe2e_err *err)
{
	struct xe2e_detached q;
	struct xe2e_buf canon = XE2E_BUF_INIT;
	int rc;

	rc = verify_once(ctx, l, content, sd, len, d, err);
	if (rc != -XE2E_ESIGNATURE || !d || !d->canon_fallback)
		return rc;
	/* RFC 3851 §3.1.1: a text content may have been signed in canonical
	 * form (openssl cms without -binary); try that form too */
	if (xe2e_mime_canon(&canon, d->p, d->len, NULL) ||
	    (canon.len == d->len && !memcmp(canon.data, d->p, canon.len))) {
		xe2e_buf_release(&canon);
		return rc;
	}
	q.p = canon.data;
	q.len = canon.len;
	q.canon_fallback = 0;
	signers_reset(l);
	rc = verify_once(ctx, l, content, sd, len, &q, err);
	xe2e_buf_wipe(&canon);
	return rc;
}

int xe2e_cms_read_certs(struct xe2e_certs *certs, struct xe2e_crls *crls,
			const unsigned char *der, size_t len, struct xe2e_err *err)
{
	struct xe2e_buf sd = XE2E_BUF_INIT;
	asn1_node n = NULL;
	char oid[64];
	int rc;

	rc = xe2e_cms_unwrap_mem(oid, &sd, der, len, err);
	if (!rc && strcmp(oid, XE2E_OID_SIGNED_DATA))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "not a certs-only message (content type %s)",
				  xe2e_cms_type_name(oid));
	if (!rc)
		rc = xe2e_der_decode(&n, "XE2E.SignedData", sd.data, sd.len, "SignedData", err);
	if (!rc)
		rc = xe2e_cms_cert_sets(NULL, n, "certificates", certs, crls, 1, err);
	asn1_delete_structure(&n);
	xe2e_buf_release(&sd);
	return rc;
}
