/*
 * inspect.c - the trees `xe2e inspect` shows (see inspect.h).  RFC 5652
 * §5.1-§5.3 (SignedData, SignerInfo), §6 (EnvelopedData), §11
 * (attributes: contentType, messageDigest, signingTime, countersignature),
 * RFC 3851 §2.5.2-§2.5.3 (sMIMECapabilities, encryption key preference),
 * RFC 2634 §5.4 / RFC 5035 §3 (ESS signingCertificate), RFC 5280 §4.1
 * (certificate fields), §5.1 (CRL fields).
 */
#include "inspect.h"
#include "cipher.h"
#include "cms.h"
#include "cpim.h"
#include "crypto.h"
#include "der.h"
#include "mime.h"
#include "oids.h"
#include "report.h"
#include "stanza.h"
#include "x400ct.h"

#include <gnutls/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OID_COUNTERSIGNATURE "1.2.840.113549.1.9.6"

/* "name (OID)" for an algorithm or type */
static void oid_named(struct xe2e_info *o, const char *key, const char *oid)
{
	struct xe2e_info *a = xe2e_info_obj(o, key);
	const char *n = xe2e_cms_type_name(oid);

	xe2e_info_str(a, "oid", oid);
	if (!strcmp(n, oid))
		n = xe2e_oid_name(oid);
	xe2e_info_str(a, "name", strcmp(n, oid) ? n : "unknown");
}

void xe2e_inspect_cert(struct xe2e_info *obj, const struct xe2e_cert *c)
{
	struct xe2e_buf issuer = XE2E_BUF_INIT;
	struct xe2e_info *ku, *k;
	const char *name;
	unsigned bit;
	size_t i;

	xe2e_info_str(obj, "subject", c->dn.len ? (const char *)c->dn.data : "");
	if (!xe2e_cert_issuer_text(&issuer, c, NULL))
		xe2e_info_str(obj, "issuer", (const char *)issuer.data);
	xe2e_buf_release(&issuer);
	xe2e_info_hex(obj, "serial", c->serial.data, c->serial.len, 32, 0);
	xe2e_info_int(obj, "version", c->version);
	xe2e_info_time(obj, "not_before", (long long)c->not_before);
	xe2e_info_time(obj, "not_after", (long long)c->not_after);
	k = xe2e_info_obj(obj, "key");
	xe2e_info_str(k, "algorithm", c->pk != GNUTLS_PK_UNKNOWN ? gnutls_pk_get_name(c->pk)
								 : xe2e_oid_name(c->key_oid));
	xe2e_info_int(k, "bits", c->key_bits);
	if (c->key_refused)
		xe2e_info_str(k, "refused", c->key_refused);
	xe2e_info_str(obj, "signature_algorithm", xe2e_oid_name(c->s.sigalg));
	xe2e_info_lines(obj, "names", (const char *)c->names.data);
	if (c->has_ku) {
		ku = xe2e_info_arr(obj, "key_usage");
		for (i = 0; (name = xe2e_ku_name(i, &bit)) != NULL; i++)
			if (c->ku & bit)
				xe2e_info_str(ku, NULL, name);
		xe2e_info_bool(obj, "key_usage_critical", c->ku_critical);
	}
	if (c->has_eku) {
		const char *p = c->eku.data ? (const char *)c->eku.data : "", *e;
		char oid[128];

		ku = xe2e_info_arr(obj, "extended_key_usage");
		while (*p) {
			e = strchr(p, '\n');
			if (!e)
				e = p + strlen(p);
			snprintf(oid, sizeof(oid), "%.*s", (int)(e - p), p);
			if (oid[0])
				xe2e_info_str(ku, NULL, xe2e_eku_name(oid));
			p = *e ? e + 1 : e;
		}
	}
	if (c->has_bc) {
		k = xe2e_info_obj(obj, "basic_constraints");
		xe2e_info_bool(k, "ca", c->ca);
		if (c->pathlen >= 0)
			xe2e_info_int(k, "path_len", c->pathlen);
	}
	if (c->ski.len)
		xe2e_info_hex(obj, "subject_key_id", c->ski.data, c->ski.len, 64, 1);
	if (c->aki.len)
		xe2e_info_hex(obj, "authority_key_id", c->aki.data, c->aki.len, 64, 1);
	xe2e_info_hex(obj, "sha256", c->sha256, sizeof(c->sha256), 32, 1);
}

void xe2e_inspect_crl(struct xe2e_info *obj, const struct xe2e_crl *c)
{
	gnutls_datum_t d = { (unsigned char *)c->issuer.data, (unsigned)c->issuer.len }, out;

	if (gnutls_x509_rdn_get2(&d, &out, 0) >= 0) {
		xe2e_info_strn(obj, "issuer", out.data, out.size);
		gnutls_free(out.data);
	}
	xe2e_info_time(obj, "this_update", (long long)c->this_update);
	if (c->has_next)
		xe2e_info_time(obj, "next_update", (long long)c->next_update);
	xe2e_info_int(obj, "entries", c->n_revoked);
	if (c->number.len)   /* RFC 5280 §5.2.3-§5.2.5 */
		xe2e_info_hex(obj, "crl_number", c->number.data, c->number.len, 32, 0);
	xe2e_info_bool(obj, "delta", c->delta);
	if (c->base.len)
		xe2e_info_hex(obj, "base_crl_number", c->base.data, c->base.len, 32, 0);
	if (c->idp.len) {
		xe2e_info_bool(obj, "indirect", c->indirect);
		if (c->some_reasons != XE2E_ALL_REASONS)
			xe2e_info_int(obj, "only_some_reasons", (long long)c->some_reasons);
	}
	xe2e_info_str(obj, "signature_algorithm", xe2e_oid_name(c->s.sigalg));
	if (c->unusable)
		xe2e_info_str(obj, "unusable", c->unusable);
	xe2e_info_hex(obj, "sha256", c->sha256, sizeof(c->sha256), 32, 1);
}

/* ------------------------------------------------------------ SignedData */

/* one attribute value decoded as type (the attribute's first value) */
static int attr_value(asn1_node *v, asn1_node n, const char *attr, const char *type,
		      struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	char name[200];
	int rc;

	snprintf(name, sizeof(name), "%s.attrValues.?1", attr);
	rc = xe2e_der_read(&raw, n, name, "attribute", err);
	if (!rc)
		rc = xe2e_der_decode(v, type, raw.data, raw.len, "attribute value", err);
	xe2e_buf_release(&raw);
	return rc;
}

static int signer_info(struct xe2e_info *o, asn1_node n, const char *si, int level,
		       struct xe2e_err *err);

/* RFC 5652 §11.4: a countersignature is a SignerInfo */
static int countersignature(struct xe2e_info *o, asn1_node n, const char *attr, int level,
			    struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	asn1_node cs = NULL;
	char name[200];
	int rc, count, i;

	snprintf(name, sizeof(name), "%s.attrValues", attr);
	rc = xe2e_der_count(n, name, &count, err);
	if (!rc && count > XE2E_MAX_SIGNERS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d countersignatures",
				  XE2E_MAX_SIGNERS);
	for (i = 1; !rc && i <= count && i <= XE2E_MAX_SIGNERS; i++) {
		snprintf(name, sizeof(name), "%s.attrValues.?%d", attr, i);
		rc = xe2e_der_read(&raw, n, name, "countersignature", err);
		asn1_delete_structure(&cs);
		if (!rc)
			rc = xe2e_der_decode(&cs, "XE2E.SignerInfo", raw.data, raw.len, "countersignature",
					     err);
		if (!rc)
			rc = signer_info(xe2e_info_obj(o, NULL), cs, "", level + 1, err);
	}
	asn1_delete_structure(&cs);
	xe2e_buf_release(&raw);
	return rc;
}

static int one_attr(struct xe2e_info *list, asn1_node n, const char *attr, int level,
		    struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	struct xe2e_info *o = xe2e_info_obj(list, NULL), *a;
	char name[256], oid[128], t[128];
	asn1_node x = NULL;
	time_t when;
	int rc, count, i;

	snprintf(name, sizeof(name), "%s.attrType", attr);
	rc = xe2e_der_read_oid(oid, sizeof(oid), n, name, "attribute", err);
	if (rc)
		return rc;
	oid_named(o, "type", oid);
	if (!strcmp(oid, XE2E_OID_AT_CONTENT_TYPE)) {
		rc = attr_value(&x, n, attr, "XE2E.ContentType", err);
		if (!rc)
			rc = xe2e_der_read_oid(t, sizeof(t), x, "", "contentType", err);
		if (!rc)
			oid_named(o, "value", t);
	} else if (!strcmp(oid, XE2E_OID_AT_MESSAGE_DIGEST)) {
		rc = attr_value(&x, n, attr, "XE2E.MessageDigest", err);
		if (!rc)
			rc = xe2e_der_read(&v, x, "", "messageDigest", err);
		if (!rc)
			xe2e_info_hex(o, "value", v.data, v.len, 64, 0);
	} else if (!strcmp(oid, XE2E_OID_AT_SIGNING_TIME)) {
		rc = attr_value(&x, n, attr, "XE2E.SigningTime", err);
		if (!rc)
			rc = xe2e_der_read_time(&when, x, "", "signingTime", err);
		if (!rc)
			xe2e_info_time(o, "value", (long long)when);
	} else if (!strcmp(oid, XE2E_OID_AT_SMIME_CAPS)) {
		rc = attr_value(&x, n, attr, "XE2E.SMIMECapabilities", err);
		if (!rc)
			rc = xe2e_der_count(x, "", &count, err);
		a = xe2e_info_arr(o, "value");
		if (!rc && count > 64)
			xe2e_info_int(o, "more_not_shown", count - 64);
		for (i = 1; !rc && i <= count && i <= 64; i++) {
			snprintf(name, sizeof(name), "?%d.capabilityID", i);
			rc = xe2e_der_read_oid(t, sizeof(t), x, name, "sMIMECapabilities", err);
			if (!rc)
				xe2e_info_str(a, NULL, strcmp(xe2e_oid_name(t), t) ? xe2e_oid_name(t)
							: xe2e_cms_type_name(t));
		}
	} else if (!strcmp(oid, XE2E_OID_AT_ENC_KEY_PREF)) {
		char choice[48];
		int l = sizeof(choice);

		rc = attr_value(&x, n, attr, "XE2E.SMIMEEncryptionKeyPreference", err);
		if (!rc && asn1_read_value(x, "", choice, &l) != ASN1_SUCCESS)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "SMIMEEncryptionKeyPreference: bad choice");
		a = xe2e_info_obj(o, "value");
		xe2e_info_str(a, "form", rc ? "" : choice);
		if (!rc && !strcmp(choice, "issuerAndSerialNumber")) {
			rc = xe2e_der_read(&v, x, "issuerAndSerialNumber.serialNumber", "keyPreference", err);
			if (!rc)
				xe2e_info_hex(a, "serial", v.data, v.len, 32, 0);
		} else if (!rc && !strcmp(choice, "subjectAltKeyIdentifier")) {
			rc = xe2e_der_read(&v, x, "subjectAltKeyIdentifier", "keyPreference", err);
			if (!rc)
				xe2e_info_hex(a, "key_id", v.data, v.len, 64, 1);
		}
	} else if (!strcmp(oid, XE2E_OID_AT_SIGNING_CERT) || !strcmp(oid, XE2E_OID_AT_SIGNING_CERT2)) {
		int v2 = !strcmp(oid, XE2E_OID_AT_SIGNING_CERT2);

		rc = attr_value(&x, n, attr, v2 ? "XE2E.SigningCertificateV2" : "XE2E.SigningCertificate",
				err);
		if (!rc)
			rc = xe2e_der_count(x, "certs", &count, err);
		if (!rc && count > 16)
			xe2e_info_int(o, "more_not_shown", count - 16);
		a = xe2e_info_arr(o, "value");
		for (i = 1; !rc && i <= count && i <= 16; i++) {
			struct xe2e_info *c = xe2e_info_obj(a, NULL);

			snprintf(name, sizeof(name), "certs.?%d.hashAlgorithm.algorithm", i);
			if (v2 && xe2e_der_present(x, name)) {
				rc = xe2e_der_read_oid(t, sizeof(t), x, name, "ESSCertIDv2", err);
				xe2e_info_str(c, "hash", rc ? "" : xe2e_oid_name(t));
			} else {
				xe2e_info_str(c, "hash", v2 ? "sha256" : "sha1");
			}
			snprintf(name, sizeof(name), "certs.?%d.certHash", i);
			if (!rc)
				rc = xe2e_der_read(&v, x, name, "ESSCertID", err);
			if (!rc)
				xe2e_info_hex(c, "cert_hash", v.data, v.len, 64, 0);
			snprintf(name, sizeof(name), "certs.?%d.issuerSerial", i);
			xe2e_info_bool(c, "issuer_serial", xe2e_der_present(x, name));
		}
	} else if (!strcmp(oid, OID_COUNTERSIGNATURE) && level < XE2E_INSPECT_COUNTER) {
		rc = countersignature(xe2e_info_arr(o, "value"), n, attr, level, err);
	} else {
		/* unknown: its type, how many values and their length */
		long long total = 0;

		snprintf(name, sizeof(name), "%s.attrValues", attr);
		rc = xe2e_der_count(n, name, &count, err);
		if (!rc && count > XE2E_MAX_ATTRS)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "an attribute with more than %d values",
					  XE2E_MAX_ATTRS);
		for (i = 1; !rc && i <= count; i++) {
			snprintf(name, sizeof(name), "%s.attrValues.?%d", attr, i);
			rc = xe2e_der_read(&v, n, name, "attribute", err);
			total += (long long)v.len;
		}
		if (!rc) {
			xe2e_info_int(o, "values", count);
			xe2e_info_int(o, "length", total);
		}
	}
	asn1_delete_structure(&x);
	xe2e_buf_release(&v);
	return rc;
}

static int attrs(struct xe2e_info *o, asn1_node n, const char *si, const char *which, int level,
		 struct xe2e_err *err)
{
	struct xe2e_info *list;
	char name[160], attr[180];
	int rc, count, i;

	snprintf(name, sizeof(name), "%s%s%s", si, si[0] ? "." : "", which);
	if (!xe2e_der_present(n, name))
		return 0;
	rc = xe2e_der_count(n, name, &count, err);
	if (!rc && count > XE2E_MAX_ATTRS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "more than %d attributes", XE2E_MAX_ATTRS);
	list = xe2e_info_arr(o, !strcmp(which, "signedAttrs") ? "signed_attributes"
							       : "unsigned_attributes");
	for (i = 1; !rc && i <= count; i++) {
		snprintf(attr, sizeof(attr), "%s.?%d", name, i);
		rc = one_attr(list, n, attr, level, err);
	}
	return rc;
}

static int signer_info(struct xe2e_info *o, asn1_node n, const char *si, int level,
		       struct xe2e_err *err)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT;
	char name[160], choice[48], oid[128];
	const char *d = si[0] ? "." : "";
	int rc, l = sizeof(choice), v;

	snprintf(name, sizeof(name), "%s%sversion", si, d);
	rc = xe2e_der_read_uint(&v, n, name, "SignerInfo", err);
	if (!rc)
		xe2e_info_int(o, "version", v);
	snprintf(name, sizeof(name), "%s%ssid", si, d);
	if (!rc && asn1_read_value(n, name, choice, &l) != ASN1_SUCCESS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "SignerInfo: bad sid");
	if (!rc) {
		int ski = !strcmp(choice, "subjectKeyIdentifier");

		snprintf(name, sizeof(name), "%s%ssid.%s", si, d,
			 ski ? "subjectKeyIdentifier" : "issuerAndSerialNumber.issuer");
		rc = xe2e_der_read(&a, n, name, "SignerInfo", err);
		snprintf(name, sizeof(name), "%s%ssid.issuerAndSerialNumber.serialNumber", si, d);
		if (!rc && !ski)
			rc = xe2e_der_read(&b, n, name, "SignerInfo", err);
		if (!rc) {
			struct xe2e_info *s = xe2e_info_obj(o, "sid");

			xe2e_info_str(s, "form", ski ? "subjectKeyIdentifier" : "issuerAndSerialNumber");
			if (ski) {
				xe2e_info_hex(s, "key_id", a.data, a.len, 64, 1);
			} else {
				gnutls_datum_t dn = { a.data, (unsigned)a.len }, txt;

				if (gnutls_x509_rdn_get2(&dn, &txt, 0) >= 0) {
					xe2e_info_strn(s, "issuer", txt.data, txt.size);
					gnutls_free(txt.data);
				} else {
					rc = xe2e_err_set(err, XE2E_EMALFORMED, "SignerInfo: bad issuer name");
				}
				xe2e_info_hex(s, "serial", b.data, b.len, 32, 0);
			}
		}
	}
	snprintf(name, sizeof(name), "%s%sdigestAlgorithm.algorithm", si, d);
	if (!rc)
		rc = xe2e_der_read_oid(oid, sizeof(oid), n, name, "SignerInfo", err);
	if (!rc)
		oid_named(o, "digest_algorithm", oid);
	snprintf(name, sizeof(name), "%s%ssignatureAlgorithm.algorithm", si, d);
	if (!rc)
		rc = xe2e_der_read_oid(oid, sizeof(oid), n, name, "SignerInfo", err);
	if (!rc)
		oid_named(o, "signature_algorithm", oid);
	snprintf(name, sizeof(name), "%s%ssignature", si, d);
	if (!rc)
		rc = xe2e_der_read(&a, n, name, "SignerInfo", err);
	if (!rc)
		xe2e_info_int(o, "signature_length", (long long)a.len);
	if (!rc)
		rc = attrs(o, n, si, "signedAttrs", level, err);
	if (!rc)
		rc = attrs(o, n, si, "unsignedAttrs", level, err);
	xe2e_buf_release(&a);
	xe2e_buf_release(&b);
	return rc;
}

int xe2e_inspect_signed(struct xe2e_info *obj, struct xe2e_ctx *ctx, const unsigned char *sd,
			size_t len, struct xe2e_err *err)
{
	struct xe2e_certs certs;
	struct xe2e_crls crls;
	struct xe2e_info *a;
	asn1_node n = NULL;
	char name[48], oid[128];
	int rc, v, count, i;
	size_t k;

	xe2e_certs_init(&certs);
	xe2e_crls_init(&crls);
	rc = xe2e_der_decode(&n, "XE2E.SignedData", sd, len, "SignedData", err);
	if (!rc)
		rc = xe2e_der_read_uint(&v, n, "version", "SignedData", err);
	if (!rc)
		xe2e_info_int(obj, "version", v);
	if (!rc)
		rc = xe2e_der_count(n, "digestAlgorithms", &count, err);
	if (!rc && count > 16)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than 16 digest algorithms");
	a = xe2e_info_arr(obj, "digest_algorithms");
	for (i = 1; !rc && i <= count && i <= 16; i++) {
		snprintf(name, sizeof(name), "digestAlgorithms.?%d.algorithm", i);
		rc = xe2e_der_read_oid(oid, sizeof(oid), n, name, "SignedData", err);
		if (!rc)
			xe2e_info_str(a, NULL, xe2e_oid_name(oid));
	}
	if (!rc)
		rc = xe2e_der_read_oid(oid, sizeof(oid), n, "encapContentInfo.eContentType",
				       "SignedData", err);
	if (!rc)
		oid_named(obj, "econtent_type", oid);
	if (!rc)
		xe2e_info_bool(obj, "detached", !xe2e_der_present(n, "encapContentInfo.eContent"));
	/* the certificates and CRLs through the same parsers as verify */
	if (!rc)
		rc = xe2e_cms_cert_sets(ctx, n, "certificates", &certs, &crls, 1, err);
	a = xe2e_info_arr(obj, "certificates");
	for (k = 0; !rc && k < certs.n; k++)
		xe2e_inspect_cert(xe2e_info_obj(a, NULL), certs.v[k]);
	a = xe2e_info_arr(obj, "crls");
	for (k = 0; !rc && k < crls.n; k++)
		xe2e_inspect_crl(xe2e_info_obj(a, NULL), crls.v[k]);
	if (!rc)
		rc = xe2e_der_count(n, "signerInfos", &count, err);
	if (!rc && count > XE2E_MAX_SIGNERS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d signers", XE2E_MAX_SIGNERS);
	a = xe2e_info_arr(obj, "signer_infos");
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "signerInfos.?%d", i);
		rc = signer_info(xe2e_info_obj(a, NULL), n, name, 0, err);
	}
	asn1_delete_structure(&n);
	xe2e_certs_release(&certs);
	xe2e_crls_release(&crls);
	return rc;
}

/* ------------------------------------------------------------ EnvelopedData */

void xe2e_inspect_enveloped(struct xe2e_info *obj, const struct xe2e_layer *l)
{
	struct xe2e_info *a, *r;
	size_t i;

	xe2e_info_int(obj, "version", l->version);
	a = xe2e_info_arr(obj, "recipient_infos");
	for (i = 0; i < l->n_recipients; i++) {
		r = xe2e_info_obj(a, NULL);
		xe2e_info_str(r, "type", l->recipients[i].kind);
		xe2e_info_str(r, "rid", l->recipients[i].id);
		xe2e_info_str(r, "key_encryption_algorithm", l->recipients[i].alg);
		xe2e_info_bool(r, "usable", l->recipients[i].usable);
	}
	r = xe2e_info_obj(obj, "content_encryption");
	xe2e_info_str(r, "algorithm", l->cipher);
	xe2e_info_hex(r, "iv", l->iv, l->iv_len, 16, 0);
	if (l->rc2_bits)
		xe2e_info_int(r, "rc2_effective_key_bits", l->rc2_bits);
	if (l->enc_len)
		xe2e_info_int(obj, "encrypted_content_length", (long long)l->enc_len);
	a = xe2e_info_arr(obj, "originator_certificates");
	for (i = 0; i < l->certs.n; i++)
		xe2e_inspect_cert(xe2e_info_obj(a, NULL), l->certs.v[i]);
	a = xe2e_info_arr(obj, "originator_crls");
	for (i = 0; i < l->crls.n; i++)
		xe2e_inspect_crl(xe2e_info_obj(a, NULL), l->crls.v[i]);
}

/* ------------------------------------------------------------ framing, content */

static void header_field(struct xe2e_info *o, const char *key, const struct xe2e_mime_part *e,
			 const char *name)
{
	struct xe2e_buf v = XE2E_BUF_INIT;

	if (xe2e_mime_header(&v, e, name, NULL) == 1)
		xe2e_info_strn(o, key, v.data, v.len);
	xe2e_buf_release(&v);
}

void xe2e_inspect_form(struct xe2e_info *obj, const struct xe2e_smime_form *f, size_t content_len,
		       size_t signature_len)
{
	struct xe2e_mime_part e;
	struct xe2e_info *m;

	if (f->kind != XE2E_FORM_MULTIPART && f->kind != XE2E_FORM_P7M)
		return;
	m = xe2e_info_obj(obj, "mime");
	xe2e_info_str(m, "type", f->type);
	if (f->smime_type[0])
		xe2e_info_str(m, "smime_type", f->smime_type);
	if (f->micalg[0])
		xe2e_info_str(m, "micalg", f->micalg);
	if (f->boundary[0])
		xe2e_info_str(m, "boundary", f->boundary);
	if (f->header.len && !xe2e_mime_split(&e, f->header.data, f->header.len, NULL)) {
		header_field(m, "content_type", &e, "Content-Type");
		header_field(m, "transfer_encoding", &e, "Content-Transfer-Encoding");
		header_field(m, "disposition", &e, "Content-Disposition");
	}
	if (f->kind == XE2E_FORM_MULTIPART) {
		xe2e_info_int(m, "content_part_length", (long long)content_len);
		xe2e_info_int(m, "signature_part_length", (long long)signature_len);
	}
}

void xe2e_inspect_content(struct xe2e_info *obj, const unsigned char *p, size_t len,
			  const char *oid, int show)
{
	struct xe2e_mime_part e;
	unsigned char d[32];

	xe2e_info_int(obj, "length", (long long)len);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, p, len, d);
	xe2e_info_hex(obj, "sha256", d, sizeof(d), 32, 0);
	if (oid && oid[0])
		oid_named(obj, "content_type", oid);
	if ((!oid || !strcmp(oid, XE2E_OID_DATA)) && len &&
	    !xe2e_mime_split(&e, p, len, NULL) && e.hdr_len) {
		struct xe2e_info *m = xe2e_info_obj(obj, "mime");

		struct xe2e_buf ct = XE2E_BUF_INIT;

		header_field(m, "content_type", &e, "Content-Type");
		header_field(m, "transfer_encoding", &e, "Content-Transfer-Encoding");
		xe2e_info_int(m, "body_length", (long long)e.body_len);
		/* RFC 3862 §3: a Message/CPIM object's message headers */
		if (xe2e_mime_header(&ct, &e, "Content-Type", NULL) == 1 &&
		    !strncasecmp((const char *)ct.data, "message/cpim", 12)) {
			struct xe2e_cpim c;
			struct xe2e_info *h = xe2e_info_obj(obj, "cpim");
			struct xe2e_err pe;

			xe2e_cpim_init(&c);
			if (xe2e_cpim_parse(&c, p, len, &pe)) {
				xe2e_info_str(h, "error", pe.msg);
			} else {
				xe2e_info_strn(h, "from", c.from_uri.data, c.from_uri.len);
				if (c.from_name.len)
					xe2e_info_strn(h, "from_name", c.from_name.data, c.from_name.len);
				xe2e_info_strn(h, "to", c.to_uri.data, c.to_uri.len);
				xe2e_info_int(h, "to_count", (long long)c.n_to);
				if (c.has_datetime)
					xe2e_info_strn(h, "datetime", c.datetime.data, c.datetime.len);
				if (c.has_subject)
					xe2e_info_strn(h, "subject", c.subject.data, c.subject.len);
				xe2e_info_int(h, "entity_length", (long long)c.entity_len);
			}
			xe2e_cpim_release(&c);
		}
		xe2e_buf_release(&ct);
	}
	if (show)
		xe2e_info_strn(obj, "content", p, len);
}

void xe2e_inspect_stanza(struct xe2e_info *obj, const struct xe2e_xml_node *s)
{
	static const char *const attrs[] = { "from", "to", "type", "id", "xml:lang" };
	const struct xe2e_xml_node *c;
	struct xe2e_info *a;
	size_t i, shown = 0, more = 0;

	xe2e_info_str(obj, "kind", xe2e_stanza_kind_name(xe2e_stanza_kind(s)));
	xe2e_info_str(obj, "namespace", s->ns);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		const char *v = i == 4 ? xe2e_stanza_lang(s) : xe2e_stanza_attr(s, attrs[i]);

		if (v)
			xe2e_info_str(obj, i == 4 ? "lang" : attrs[i], v);
	}
	a = xe2e_info_arr(obj, "children");
	for (c = s->first; c; c = c->next) {
		struct xe2e_info *e;
		const struct xe2e_xml_node *t;

		if (c->kind != XE2E_XML_ELEM)
			continue;
		if (++shown > 64) {          /* the rest counted, not shown */
			more++;
			continue;
		}
		e = xe2e_info_obj(a, NULL);
		xe2e_info_str(e, "element", c->local);
		if (c->ns[0])
			xe2e_info_str(e, "namespace", c->ns);
		/* a short text child is shown (body, show, status) */
		t = c->first;
		if (t && !t->next && t->kind != XE2E_XML_ELEM && !xe2e_stanza_is_e2e(c)) {
			xe2e_info_strn(e, "text", t->text.data, t->text.len > 200 ? 200 : t->text.len);
			if (t->text.len > 200)
				xe2e_info_int(e, "text_length", (long long)t->text.len);
		}
		if (xe2e_stanza_is_e2e(c))
			xe2e_info_bool(e, "e2e", 1);
	}
	if (more)
		xe2e_info_int(obj, "children_not_shown", (long long)more);
}
