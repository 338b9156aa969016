/*
 * cms_sign.c - SignedData creation (RFC 5652 §5, RFC 3851 §2).
 * Signed attributes: contentType, messageDigest (RFC 5652 §11.1-§11.2),
 * signingTime (§11.3), sMIMECapabilities and sMIMEEncryptionKeyPreference
 * (RFC 3851 §2.5.2-§2.5.3), ESS signingCertificate (RFC 2634 §5.4) for SHA-1,
 * signingCertificateV2 (RFC 5035) otherwise.
 */
#include "cms.h"
#include "datetime.h"
#include "der.h"
#include "oids.h"

#include <gnutls/abstract.h>
#include <string.h>

#define SI "signerInfos.?1"

/* Encode a whole single-type structure into out (replaced). */
static int encode_node(struct xe2e_buf *out, asn1_node n, struct xe2e_err *err)
{
	xe2e_buf_reset(out);
	return xe2e_der_encode(out, n, "", err);
}

static int add_attr(asn1_node sd, const char *oid, const struct xe2e_buf *val,
		    struct xe2e_err *err)
{
	int rc;

	rc = xe2e_der_write(sd, SI ".signedAttrs", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".signedAttrs.?LAST.attrType", oid, 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".signedAttrs.?LAST.attrValues", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".signedAttrs.?LAST.attrValues.?LAST",
				    val->data, val->len, err);
	return rc;
}

int xe2e_cms_write_ias(asn1_node n, const char *prefix, const struct xe2e_cert *crt,
		       struct xe2e_err *err)
{
	char name[128];
	int rc;

	snprintf(name, sizeof(name), "%s.issuer", prefix);
	rc = xe2e_der_write(n, name, crt->issuer.data, crt->issuer.len, err);
	snprintf(name, sizeof(name), "%s.serialNumber", prefix);
	if (!rc)
		rc = xe2e_der_write(n, name, crt->serial.data, crt->serial.len, err);
	return rc;
}

static int attr_content_type(struct xe2e_buf *out, const char *oid, struct xe2e_err *err)
{
	asn1_node n = NULL;
	int rc;

	rc = xe2e_der_new(&n, "XE2E.ContentType", err);
	if (!rc)
		rc = xe2e_der_write(n, "", oid, 1, err);
	if (!rc)
		rc = encode_node(out, n, err);
	asn1_delete_structure(&n);
	return rc;
}

static int attr_signing_time(struct xe2e_buf *out, time_t t, struct xe2e_err *err)
{
	char s[32];
	int gen, rc;
	asn1_node n = NULL;

	xe2e_time_format_asn1(s, sizeof(s), t, &gen);
	rc = xe2e_der_new(&n, "XE2E.SigningTime", err);
	if (!rc)
		rc = xe2e_der_write(n, "", gen ? "generalTime" : "utcTime", 1, err);
	if (!rc)
		rc = xe2e_der_write(n, gen ? "generalTime" : "utcTime", s, strlen(s), err);
	if (!rc)
		rc = encode_node(out, n, err);
	asn1_delete_structure(&n);
	return rc;
}

static int attr_capabilities(struct xe2e_buf *out, struct xe2e_err *err)
{
	/* RFC 3851 §2.5.2: in order of preference */
	static const char *const caps[] = {
		XE2E_OID_AES256_CBC, XE2E_OID_AES192_CBC, XE2E_OID_AES128_CBC,
		XE2E_OID_DES_EDE3_CBC,
	};
	asn1_node n = NULL;
	size_t i;
	int rc;

	rc = xe2e_der_new(&n, "XE2E.SMIMECapabilities", err);
	for (i = 0; !rc && i < sizeof(caps) / sizeof(caps[0]); i++) {
		rc = xe2e_der_write(n, "", "NEW", 1, err);
		if (!rc)
			rc = xe2e_der_write(n, "?LAST.capabilityID", caps[i], 1, err);
		if (!rc)
			rc = xe2e_der_write(n, "?LAST.parameters", NULL, 0, err);
	}
	if (!rc)
		rc = encode_node(out, n, err);
	asn1_delete_structure(&n);
	return rc;
}

static int attr_key_pref(struct xe2e_buf *out, const struct xe2e_cert *crt,
			 struct xe2e_err *err)
{
	asn1_node n = NULL;
	int rc;

	rc = xe2e_der_new(&n, "XE2E.SMIMEEncryptionKeyPreference", err);
	if (!rc)
		rc = xe2e_der_write(n, "", "issuerAndSerialNumber", 1, err);
	if (!rc)
		rc = xe2e_cms_write_ias(n, "issuerAndSerialNumber", crt, err);
	if (!rc)
		rc = encode_node(out, n, err);
	asn1_delete_structure(&n);
	return rc;
}

static int attr_signing_cert(struct xe2e_buf *out, const struct xe2e_cert *crt, int v1,
			     struct xe2e_err *err)
{
	const struct xe2e_digest *d = xe2e_digest_by_name(v1 ? "sha1" : "sha256");
	unsigned char h[XE2E_MAX_DIGEST];
	asn1_node n = NULL;
	int rc;

	xe2e_digest(d, crt->der.data, crt->der.len, h);
	rc = xe2e_der_new(&n, v1 ? "XE2E.SigningCertificate" : "XE2E.SigningCertificateV2",
			  err);
	if (!rc)
		rc = xe2e_der_write(n, "certs", "NEW", 1, err);
	if (!rc && !v1) /* DEFAULT id-sha256: absent */
		rc = xe2e_der_write(n, "certs.?LAST.hashAlgorithm", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(n, "certs.?LAST.certHash", h, d->hash->digest_size, err);
	if (!rc)
		rc = xe2e_der_write(n, "certs.?LAST.issuerSerial", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(n, "policies", NULL, 0, err);
	if (!rc)
		rc = encode_node(out, n, err);
	asn1_delete_structure(&n);
	return rc;
}

static int signed_attrs(asn1_node sd, const unsigned char *content, size_t len,
			const struct xe2e_sign_params *p, struct xe2e_err *err)
{
	unsigned char md[XE2E_MAX_DIGEST];
	struct xe2e_buf v = XE2E_BUF_INIT;
	int rc;

	xe2e_digest(p->digest, content, len, md);
	rc = attr_content_type(&v, p->econtent_type ? p->econtent_type : XE2E_OID_DATA, err);
	if (!rc)
		rc = add_attr(sd, XE2E_OID_AT_CONTENT_TYPE, &v, err);
	if (!rc) {
		xe2e_buf_reset(&v);
		rc = xe2e_der_simple(&v, ASN1_ETYPE_OCTET_STRING, md,
				     p->digest->hash->digest_size, err);
	}
	if (!rc)
		rc = add_attr(sd, XE2E_OID_AT_MESSAGE_DIGEST, &v, err);
	if (!rc)
		rc = attr_signing_time(&v, p->signing_time, err);
	if (!rc)
		rc = add_attr(sd, XE2E_OID_AT_SIGNING_TIME, &v, err);
	if (!rc)
		rc = attr_capabilities(&v, err);
	if (!rc)
		rc = add_attr(sd, XE2E_OID_AT_SMIME_CAPS, &v, err);
	if (!rc)
		rc = attr_key_pref(&v, p->cert, err);
	if (!rc)
		rc = add_attr(sd, XE2E_OID_AT_ENC_KEY_PREF, &v, err);
	if (!rc)
		rc = attr_signing_cert(&v, p->cert, !strcmp(p->digest->name, "sha1"), err);
	if (!rc)
		rc = add_attr(sd, strcmp(p->digest->name, "sha1") ? XE2E_OID_AT_SIGNING_CERT2
								   : XE2E_OID_AT_SIGNING_CERT,
			      &v, err);
	xe2e_buf_release(&v);
	return rc;
}

static int add_cert(asn1_node sd, const struct xe2e_cert *crt, struct xe2e_err *err)
{
	int rc = xe2e_der_write(sd, "certificates", "NEW", 1, err);

	if (!rc)
		rc = xe2e_der_write(sd, "certificates.?LAST", crt->der.data, crt->der.len, err);
	return rc;
}

/* RFC 5652 §5.4: the signature covers the DER of the attributes with an
 * EXPLICIT SET OF tag, not the [0] IMPLICIT one they carry in SignerInfo. */
static int sign_attrs(asn1_node sd, const struct xe2e_sign_params *p,
		      gnutls_pk_algorithm_t pk, struct xe2e_err *err)
{
	struct xe2e_buf tbs = XE2E_BUF_INIT;
	gnutls_datum_t data, sig = { NULL, 0 };
	int rc;

	rc = xe2e_der_encode(&tbs, sd, SI ".signedAttrs", err);
	if (rc)
		goto out;
	if (tbs.len < 2 || tbs.data[0] != 0xA0) {
		rc = xe2e_err_set(err, XE2E_EIO, "unexpected signed attributes encoding");
		goto out;
	}
	tbs.data[0] = 0x31;
	data.data = tbs.data;
	data.size = (unsigned)tbs.len;
	rc = gnutls_privkey_sign_data2(p->key, gnutls_pk_to_sign(pk, p->digest->gnutls),
				       p->reproducible && pk != GNUTLS_PK_RSA
				       ? GNUTLS_PRIVKEY_FLAG_REPRODUCIBLE : 0, &data, &sig);
	if (rc < 0) {
		rc = xe2e_err_set(err, rc == GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM ||
					       rc == GNUTLS_E_INSUFFICIENT_SECURITY
					   ? XE2E_EUNSUPPORTED : XE2E_EIO,
				  "signing failed: %s", gnutls_strerror(rc));
		goto out;
	}
	rc = xe2e_der_write(sd, SI ".signature", sig.data, sig.size, err);
	gnutls_free(sig.data);
out:
	xe2e_buf_release(&tbs);
	return rc;
}

int xe2e_cms_sign(struct xe2e_buf *out, const unsigned char *content,
		  size_t len, const struct xe2e_sign_params *p,
		  struct xe2e_err *err)
{
	static const unsigned char der_null[] = { 0x05, 0x00 };
	struct xe2e_buf tmp = XE2E_BUF_INIT;
	asn1_node sd = NULL;
	gnutls_pk_algorithm_t pk;
	const char *sigoid, *ectype = p->econtent_type && strcmp(p->econtent_type, XE2E_OID_DATA)
				      ? p->econtent_type : XE2E_OID_DATA;
	int rc, null_params;
	size_t i;

	pk = (gnutls_pk_algorithm_t)gnutls_privkey_get_pk_algorithm(p->key, NULL);
	sigoid = xe2e_sigalg_oid(pk, p->digest, &null_params);
	if (!sigoid || !p->digest->sign_ok)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "cannot sign with a %s key and %s",
				    gnutls_pk_get_name(pk), p->digest->name);
	rc = xe2e_der_new(&sd, "XE2E.SignedData", err);
	if (rc)
		return rc;
	/* RFC 5652 §5.1: version 1 for issuerAndSerialNumber over id-data,
	 * 3 for any other eContentType */
	rc = xe2e_der_write(sd, "version", strcmp(ectype, XE2E_OID_DATA) ? "3" : "1", 0, err);
	if (!rc)
		rc = xe2e_der_write(sd, "digestAlgorithms", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, "digestAlgorithms.?LAST.algorithm", p->digest->oid, 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, "digestAlgorithms.?LAST.parameters", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(sd, "encapContentInfo.eContentType", ectype, 1, err);
	if (!rc && p->embed) {
		rc = xe2e_der_simple(&tmp, ASN1_ETYPE_OCTET_STRING, content, len, err);
		if (!rc)
			rc = xe2e_der_write(sd, "encapContentInfo.eContent", tmp.data,
					    tmp.len, err);
		xe2e_buf_release(&tmp);
	} else if (!rc) {
		rc = xe2e_der_write(sd, "encapContentInfo.eContent", NULL, 0, err);
	}
	if (!rc && p->include_certs) {
		rc = add_cert(sd, p->cert, err);
		for (i = 0; !rc && p->chain && i < p->chain->n; i++)
			rc = add_cert(sd, p->chain->v[i], err);
	} else if (!rc) {
		rc = xe2e_der_write(sd, "certificates", NULL, 0, err);
	}
	if (!rc)
		rc = xe2e_der_write(sd, "crls", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(sd, "signerInfos", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".version", "1", 0, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".sid", "issuerAndSerialNumber", 1, err);
	if (!rc)
		rc = xe2e_cms_write_ias(sd, SI ".sid.issuerAndSerialNumber", p->cert, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".digestAlgorithm.algorithm", p->digest->oid, 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".digestAlgorithm.parameters", NULL, 0, err);
	if (!rc)
		rc = signed_attrs(sd, content, len, p, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".signatureAlgorithm.algorithm", sigoid, 1, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".signatureAlgorithm.parameters",
				    null_params ? der_null : NULL,
				    null_params ? sizeof(der_null) : 0, err);
	if (!rc)
		rc = xe2e_der_write(sd, SI ".unsignedAttrs", NULL, 0, err);
	if (!rc)
		rc = sign_attrs(sd, p, pk, err);
	if (!rc)
		rc = xe2e_der_encode(&tmp, sd, "", err);
	if (!rc)
		rc = xe2e_cms_wrap(out, XE2E_OID_SIGNED_DATA, tmp.data, tmp.len, err);
	asn1_delete_structure(&sd);
	xe2e_buf_release(&tmp);
	return rc;
}

int xe2e_cms_certs_only(struct xe2e_buf *out, const struct xe2e_cert *const *certs,
			size_t n, struct xe2e_err *err)
{
	struct xe2e_buf sd = XE2E_BUF_INIT;
	asn1_node n1 = NULL;
	size_t i;
	int rc;

	rc = xe2e_der_new(&n1, "XE2E.SignedData", err);
	if (!rc)
		rc = xe2e_der_write(n1, "version", "1", 0, err);
	if (!rc)
		rc = xe2e_der_write(n1, "encapContentInfo.eContentType", XE2E_OID_DATA, 1, err);
	if (!rc)
		rc = xe2e_der_write(n1, "encapContentInfo.eContent", NULL, 0, err);
	for (i = 0; !rc && i < n; i++)
		rc = add_cert(n1, certs[i], err);
	if (!rc && n == 0)
		rc = xe2e_der_write(n1, "certificates", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(n1, "crls", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_encode(&sd, n1, "", err);
	if (!rc)
		rc = xe2e_cms_wrap(out, XE2E_OID_SIGNED_DATA, sd.data, sd.len, err);
	asn1_delete_structure(&n1);
	xe2e_buf_release(&sd);
	return rc;
}
