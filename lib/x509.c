/*
 * x509.c - name comparison, signatures and CRLs for path validation (see
 * x509.h).  RFC 5280 §4.1.1.3, §5.1-§5.3, §7.1; RFC 3279 §2.3.2; RFC 3850 §4.3.
 */
#include "x509.h"
#include "crypto.h"
#include "datetime.h"
#include "der.h"
#include "x400.h"

#include <ctype.h>
#include <string.h>

static int read_time(time_t *t, asn1_node n, const char *name, struct xe2e_err *err);

/* ---------------------------------------------------------------- names */

/* String types whose values §7.1 compares case-insensitively. */
static int is_dirstring(unsigned char tag)
{
	return tag == 0x0c || tag == 0x13 || tag == 0x14 || tag == 0x16;
}

/* Normalised value: trimmed, inner white space collapsed, ASCII lower case. */
static void norm(struct xe2e_buf *out, const unsigned char *p, size_t n)
{
	size_t i;
	int space = 0;

	xe2e_buf_reset(out);
	while (n && p[0] == ' ') {
		p++;
		n--;
	}
	while (n && p[n - 1] == ' ')
		n--;
	for (i = 0; i < n; i++) {
		if (isspace(p[i])) {
			space = 1;
			continue;
		}
		if (space)
			xe2e_buf_addc(out, ' ', NULL);
		space = 0;
		xe2e_buf_addc(out, (unsigned char)tolower(p[i]), NULL);
	}
}

/* Compare two AttributeTypeAndValue value encodings (TLV). */
static int value_equal(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	struct xe2e_buf na = XE2E_BUF_INIT, nb = XE2E_BUF_INIT;
	size_t ha, hb;
	long la, lb;
	int len_len, ok;

	if (a->len < 2 || b->len < 2)
		return 0;
	if (!is_dirstring(a->data[0]) || !is_dirstring(b->data[0]))
		return a->len == b->len && !memcmp(a->data, b->data, a->len);
	la = asn1_get_length_der(a->data + 1, (int)a->len - 1, &len_len);
	ha = 1 + (size_t)len_len;
	lb = asn1_get_length_der(b->data + 1, (int)b->len - 1, &len_len);
	hb = 1 + (size_t)len_len;
	if (la < 0 || lb < 0 || ha + (size_t)la > a->len || hb + (size_t)lb > b->len)
		return 0;
	norm(&na, a->data + ha, (size_t)la);
	norm(&nb, b->data + hb, (size_t)lb);
	ok = na.len == nb.len && (!na.len || !memcmp(na.data, nb.data, na.len));
	xe2e_buf_release(&na);
	xe2e_buf_release(&nb);
	return ok;
}

static int rdn_equal(asn1_node a, asn1_node b, int i)
{
	struct xe2e_buf va = XE2E_BUF_INIT, vb = XE2E_BUF_INIT;
	char name[64], ta[128], tb[128];
	int na, nb, j, k, found, ok = 1;

	snprintf(name, sizeof(name), "?%d", i);
	if (xe2e_der_count(a, name, &na, NULL) || xe2e_der_count(b, name, &nb, NULL) ||
	    na != nb)
		return 0;
	/* a multi-valued RDN is a set: every value of a has its match in b */
	for (j = 1; ok && j <= na; j++) {
		snprintf(name, sizeof(name), "?%d.?%d.type", i, j);
		if (xe2e_der_read_oid(ta, sizeof(ta), a, name, "Name", NULL))
			return 0;
		snprintf(name, sizeof(name), "?%d.?%d.value", i, j);
		if (xe2e_der_read(&va, a, name, "Name", NULL))
			break;
		found = 0;
		for (k = 1; !found && k <= nb; k++) {
			snprintf(name, sizeof(name), "?%d.?%d.type", i, k);
			if (xe2e_der_read_oid(tb, sizeof(tb), b, name, "Name", NULL) ||
			    strcmp(ta, tb))
				continue;
			snprintf(name, sizeof(name), "?%d.?%d.value", i, k);
			found = !xe2e_der_read(&vb, b, name, "Name", NULL) &&
				value_equal(&va, &vb);
		}
		ok = found;
	}
	xe2e_buf_release(&va);
	xe2e_buf_release(&vb);
	return ok;
}

int xe2e_x509_name_equal(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	asn1_node na = NULL, nb = NULL;
	int n1, n2, i, ok;

	if (alen == blen && !memcmp(a, b, alen))
		return 1;
	if (xe2e_der_decode(&na, "XE2E.Name", a, alen, "Name", NULL) ||
	    xe2e_der_decode(&nb, "XE2E.Name", b, blen, "Name", NULL)) {
		asn1_delete_structure(&na);
		return 0;
	}
	ok = !xe2e_der_count(na, "", &n1, NULL) && !xe2e_der_count(nb, "", &n2, NULL) &&
	     n1 == n2;
	for (i = 1; ok && i <= n1; i++)
		ok = rdn_equal(na, nb, i);
	asn1_delete_structure(&na);
	asn1_delete_structure(&nb);
	return ok;
}

int xe2e_x509_crt_name(struct xe2e_buf *out, gnutls_x509_crt_t crt, int issuer,
		       struct xe2e_err *err)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc = issuer ? gnutls_x509_crt_get_raw_issuer_dn(crt, &d)
			: gnutls_x509_crt_get_raw_dn(crt, &d);

	xe2e_buf_reset(out);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "certificate without %s name",
				    issuer ? "issuer" : "subject");
	rc = xe2e_buf_add(out, d.data, d.size, err);
	gnutls_free(d.data);
	return rc;
}

/* ------------------------------------------------------------ signatures */

void xe2e_signed_release(struct xe2e_signed *s)
{
	xe2e_buf_release(&s->tbs);
	xe2e_buf_release(&s->sig);
}

int xe2e_x509_split_signed(struct xe2e_signed *s, const unsigned char *der,
			   size_t len, int crl, struct xe2e_err *err)
{
	const char *type = crl ? "XE2E.XCertificateList" : "XE2E.XCertificate";
	const char *tbs = crl ? "tbsCertList" : "tbsCertificate";
	asn1_node n = NULL;
	size_t start, end;
	int bits, rc;

	memset(s, 0, sizeof(*s));
	rc = xe2e_der_decode(&n, type, der, len, crl ? "CRL" : "certificate", err);
	if (!rc)
		rc = xe2e_der_range(&start, &end, n, der, len, tbs, err);
	if (!rc)
		rc = xe2e_buf_add(&s->tbs, der + start, end - start + 1, err);
	if (!rc)
		rc = xe2e_der_read_oid(s->sigalg, sizeof(s->sigalg), n,
				       "signatureAlgorithm.algorithm", "signature", err);
	if (!rc)
		rc = xe2e_der_read(&s->sig, n, "signature", "signature", err);
	if (!rc) {
		/* libtasn1 gives a BIT STRING's length in bits */
		bits = 0;
		asn1_read_value(n, "signature", NULL, &bits);
		s->sig.len = (size_t)bits / 8;
	}
	asn1_delete_structure(&n);
	if (rc)
		xe2e_signed_release(s);
	return rc;
}

int xe2e_x509_key_ok(gnutls_pubkey_t pub, enum xe2e_policy policy,
		     struct xe2e_err *err)
{
	unsigned bits = 0;
	int pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);

	if (pk != GNUTLS_PK_RSA)
		return 0;
	if (bits < 512)
		return xe2e_err_set(err, XE2E_ECERT, "RSA key of %u bits is too small", bits);
	if (bits < 1024 && policy == XE2E_POLICY_MODERN)
		return xe2e_err_set(err, XE2E_ECERT,
				    "RSA key of %u bits refused by --policy modern (rfc3850 allows it)",
				    bits);
	return 0;
}

int xe2e_x509_verify(const struct xe2e_signed *s, gnutls_pubkey_t pub,
		     enum xe2e_policy policy, struct xe2e_err *err)
{
	const struct xe2e_digest *d = NULL;
	gnutls_pk_algorithm_t pk;
	gnutls_datum_t data = { s->tbs.data, (unsigned)s->tbs.len };
	gnutls_datum_t sig = { s->sig.data, (unsigned)s->sig.len };
	unsigned flags = 0;
	int rc;

	if (!strcmp(s->sigalg, "1.2.840.113549.1.1.2") || !strcmp(s->sigalg, "1.2.840.113549.1.1.3"))
		return xe2e_err_set(err, XE2E_ECERT, "MD2/MD4 signatures are refused");
	rc = xe2e_sigalg_by_oid(s->sigalg, &pk, &d, err);
	if (rc)
		return rc;
	if (!d)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "signature algorithm %s names no digest",
				    s->sigalg);
	if (d->gnutls == GNUTLS_DIG_MD5) {
		if (policy == XE2E_POLICY_MODERN)
			return xe2e_err_set(err, XE2E_ECERT,
					    "md5WithRSAEncryption refused by --policy modern (rfc3850 allows it)");
		flags |= GNUTLS_VERIFY_ALLOW_BROKEN;   /* MD5 only: RFC 3850 §4.3 */
	}
	if ((int)pk != gnutls_pubkey_get_pk_algorithm(pub, NULL))
		return xe2e_err_set(err, XE2E_ECERT, "signature algorithm does not fit the issuer key");
	rc = gnutls_pubkey_verify_data2(pub, gnutls_pk_to_sign(pk, d->gnutls),
					flags | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &data, &sig);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_ECERT, "signature does not verify");
	return 0;
}

/* RFC 3279 §2.3.2: a DSA key without parameters inherits its issuer's. */
static int dsa_inherit(gnutls_pubkey_t *out, gnutls_x509_crt_t crt,
		       gnutls_pubkey_t issuer_pub, struct xe2e_err *err)
{
	gnutls_datum_t p = { 0 }, q = { 0 }, g = { 0 }, y0 = { 0 }, der = { 0 };
	struct xe2e_buf bits = XE2E_BUF_INIT, y = XE2E_BUF_INIT;
	asn1_node cert = NULL, yn = NULL;
	int rc, nbits = 0;

	if (!issuer_pub || gnutls_pubkey_get_pk_algorithm(issuer_pub, NULL) != GNUTLS_PK_DSA)
		return xe2e_err_set(err, XE2E_ECERT, "DSA key without parameters and no DSA issuer");
	rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0 ?
	     xe2e_err_set(err, XE2E_EMALFORMED, "cannot encode certificate") : 0;
	if (!rc)
		rc = xe2e_der_decode(&cert, "XE2E.XCertificate", der.data, der.size, "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&bits, cert, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey",
				   "DSA key", err);
	if (!rc) {
		asn1_read_value(cert, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey", NULL, &nbits);
		rc = xe2e_der_decode(&yn, "XE2E.DSAPublicKey", bits.data, (size_t)nbits / 8, "DSA key", err);
	}
	if (!rc)
		rc = xe2e_der_read(&y, yn, "", "DSA key", err);
	if (!rc && gnutls_pubkey_export_dsa_raw(issuer_pub, &p, &q, &g, &y0) < 0)
		rc = xe2e_err_set(err, XE2E_ECERT, "cannot read the issuer's DSA parameters");
	if (!rc) {
		gnutls_datum_t yd = { y.data, (unsigned)y.len };

		if (gnutls_pubkey_init(out) < 0)
			rc = xe2e_err_oom(err);
		else if (gnutls_pubkey_import_dsa_raw(*out, &p, &q, &g, &yd) < 0) {
			gnutls_pubkey_deinit(*out);
			*out = NULL;
			rc = xe2e_err_set(err, XE2E_ECERT, "bad DSA key");
		}
	}
	gnutls_free(p.data);
	gnutls_free(q.data);
	gnutls_free(g.data);
	gnutls_free(y0.data);
	gnutls_free(der.data);
	asn1_delete_structure(&cert);
	asn1_delete_structure(&yn);
	xe2e_buf_release(&bits);
	xe2e_buf_release(&y);
	return rc;
}

int xe2e_x509_pubkey(gnutls_pubkey_t *out, gnutls_x509_crt_t crt,
		     gnutls_pubkey_t issuer_pub, struct xe2e_err *err)
{
	*out = NULL;
	if (gnutls_pubkey_init(out) < 0)
		return xe2e_err_oom(err);
	if (gnutls_pubkey_import_x509(*out, crt, 0) >= 0)
		return 0;
	gnutls_pubkey_deinit(*out);
	*out = NULL;
	if (gnutls_x509_crt_get_pk_algorithm(crt, NULL) == GNUTLS_PK_DSA)
		return dsa_inherit(out, crt, issuer_pub, err);
	return xe2e_err_set(err, XE2E_EUNSUPPORTED, "unsupported public key");
}

/* ------------------------------------------------------------------ CRLs */

static int read_time(time_t *t, asn1_node n, const char *name, struct xe2e_err *err)
{
	char choice[32], v[32], path[96];
	int l = sizeof(choice), gen;

	if (asn1_read_value(n, name, choice, &l) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "CRL: bad time");
	gen = !strcmp(choice, "generalTime");
	snprintf(path, sizeof(path), "%s.%s", name, choice);
	l = sizeof(v) - 1;
	if (asn1_read_value(n, path, v, &l) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "CRL: bad time");
	v[l] = '\0';
	return xe2e_time_parse_asn1(t, v, gen, err);
}

/* Is any extension under `exts` critical and not in `known`?  Also reports
 * whether oid `flag` is present. */
static int unknown_critical(asn1_node n, const char *exts, const char *const *known,
			    const char *flag, int *has_flag)
{
	char name[160], oid[128], crit[8];
	int count = 0, i, l, k, bad = 0, is_known;

	if (xe2e_der_count(n, exts, &count, NULL))
		return 1;
	for (i = 1; i <= count; i++) {
		snprintf(name, sizeof(name), "%s.?%d.extnID", exts, i);
		if (xe2e_der_read_oid(oid, sizeof(oid), n, name, "extension", NULL))
			return 1;
		if (flag && !strcmp(oid, flag))
			*has_flag = 1;
		snprintf(name, sizeof(name), "%s.?%d.critical", exts, i);
		l = sizeof(crit);
		if (asn1_read_value(n, name, crit, &l) != ASN1_SUCCESS || strcmp(crit, "TRUE"))
			continue;
		for (is_known = 0, k = 0; known[k]; k++)
			is_known |= !strcmp(oid, known[k]);
		bad |= !is_known;
	}
	return bad;
}

static int read_bool(asn1_node n, const char *name)
{
	char v[8];
	int l = sizeof(v);

	return asn1_read_value(n, name, v, &l) == ASN1_SUCCESS && !strcmp(v, "TRUE");
}

/* RFC 5280 §5.2.5: the scope of the CRL.  Only the certificate-kind scopes
 * are processed; anything else makes the CRL unusable (reason returned). */
static const char *parse_idp(struct xe2e_crl *c)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	asn1_node idp = NULL;
	char name[96], oid[64];
	const char *why = NULL;
	int n = 0, i;

	xe2e_der_count(c->node, "tbsCertList.crlExtensions", &n, NULL);
	for (i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "tbsCertList.crlExtensions.?%d.extnID", i);
		if (xe2e_der_read_oid(oid, sizeof(oid), c->node, name, "CRL", NULL) ||
		    strcmp(oid, "2.5.29.28"))
			continue;
		snprintf(name, sizeof(name), "tbsCertList.crlExtensions.?%d.extnValue", i);
		if (xe2e_der_read(&v, c->node, name, "CRL", NULL) ||
		    xe2e_der_decode(&idp, "XE2E.IssuingDistributionPoint", v.data, v.len, "IDP", NULL)) {
			why = "its issuing distribution point is malformed";
			break;
		}
		c->only_user = read_bool(idp, "onlyContainsUserCerts");
		c->only_ca = read_bool(idp, "onlyContainsCACerts");
		if (xe2e_der_present(idp, "distributionPoint") &&
		    xe2e_der_read(&c->idp_dp, idp, "distributionPoint", "IDP", NULL))
			why = "its issuing distribution point is malformed";
		else if (xe2e_der_present(idp, "onlySomeReasons"))
			why = "CRLs for some reasons only are not supported";
		else if (read_bool(idp, "indirectCRL"))
			why = "indirect CRLs are not supported";
		else if (read_bool(idp, "onlyContainsAttributeCerts"))
			why = "it is for attribute certificates";
		break;
	}
	asn1_delete_structure(&idp);
	xe2e_buf_release(&v);
	return why;
}

int xe2e_crl_parse(struct xe2e_crl *c, const unsigned char *der, size_t len,
		   struct xe2e_err *err)
{
	/* RFC 5280 §5.2 and §5.3: what we can process */
	static const char *const crl_known[] = { "2.5.29.35", "2.5.29.20", "2.5.29.46",
						 "2.5.29.28", NULL };
	static const char *const entry_known[] = { "2.5.29.21", "2.5.29.24", "2.5.29.23", NULL };
	char name[96];
	int rc, i, idp = 0, indirect = 0;

	memset(c, 0, sizeof(*c));
	rc = xe2e_buf_add(&c->der, der, len, err);
	if (!rc)
		rc = xe2e_x509_split_signed(&c->s, der, len, 1, err);
	if (!rc)
		rc = xe2e_der_decode(&c->node, "XE2E.XCertificateList", der, len, "CRL", err);
	if (!rc)
		rc = xe2e_der_read(&c->issuer, c->node, "tbsCertList.issuer", "CRL", err);
	if (!rc)
		rc = read_time(&c->this_update, c->node, "tbsCertList.thisUpdate", err);
	if (!rc && xe2e_der_present(c->node, "tbsCertList.nextUpdate")) {
		rc = read_time(&c->next_update, c->node, "tbsCertList.nextUpdate", err);
		c->has_next = 1;
	}
	if (!rc)
		rc = xe2e_der_count(c->node, "tbsCertList.revokedCertificates", &c->n_revoked, err);
	if (rc) {
		xe2e_crl_release(c);
		return rc;
	}
	if (xe2e_der_present(c->node, "tbsCertList.crlExtensions")) {
		if (unknown_critical(c->node, "tbsCertList.crlExtensions", crl_known,
				     "2.5.29.27", &c->delta))
			c->unusable = "it has an unknown critical extension";
		idp = 0;
		unknown_critical(c->node, "tbsCertList.crlExtensions", crl_known, "2.5.29.28", &idp);
		if (idp) {
			const char *why = parse_idp(c);

			if (!c->unusable)
				c->unusable = why;
		}
	}
	for (i = 1; !c->unusable && i <= c->n_revoked; i++) {
		snprintf(name, sizeof(name), "tbsCertList.revokedCertificates.?%d.crlEntryExtensions", i);
		if (!xe2e_der_present(c->node, name))
			continue;
		if (unknown_critical(c->node, name, entry_known, "2.5.29.29", &indirect))
			c->unusable = "an entry has an unknown critical extension";
		else if (indirect)
			c->unusable = "indirect CRLs are not supported";
	}
	return 0;
}

/* Two GeneralNames lists (raw, SEQUENCE OF) share a name; directory
 * names compare by §7.1, others byte for byte. */
static int general_names_meet(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	struct xe2e_buf x = XE2E_BUF_INIT, y = XE2E_BUF_INIT;
	asn1_node na = NULL, nb = NULL;
	char name[16];
	int n1 = 0, n2 = 0, i, j, hit = 0, l1, l2;
	long c1, c2;

	if (a->len == b->len && !memcmp(a->data, b->data, a->len))
		return 1;
	if (xe2e_der_decode(&na, "XE2E.FullName", a->data, a->len, "name", NULL) ||
	    xe2e_der_decode(&nb, "XE2E.FullName", b->data, b->len, "name", NULL))
		goto out;
	xe2e_der_count(na, "", &n1, NULL);
	xe2e_der_count(nb, "", &n2, NULL);
	for (i = 1; !hit && i <= n1; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		if (xe2e_der_read(&x, na, name, "name", NULL))
			break;
		for (j = 1; !hit && j <= n2; j++) {
			snprintf(name, sizeof(name), "?%d", j);
			if (xe2e_der_read(&y, nb, name, "name", NULL))
				break;
			if (x.len == y.len && !memcmp(x.data, y.data, x.len)) {
				hit = 1;
			} else if (x.len > 2 && y.len > 2 && x.data[0] == 0xa4 && y.data[0] == 0xa4) {
				/* directoryName [4] EXPLICIT Name */
				c1 = asn1_get_length_der(x.data + 1, (int)x.len - 1, &l1);
				c2 = asn1_get_length_der(y.data + 1, (int)y.len - 1, &l2);
				hit = c1 >= 0 && c2 >= 0 &&
				      (size_t)(1 + l1) + (size_t)c1 == x.len &&
				      (size_t)(1 + l2) + (size_t)c2 == y.len &&
				      xe2e_x509_name_equal(x.data + 1 + l1, (size_t)c1,
							   y.data + 1 + l2, (size_t)c2);
			}
		}
	}
out:
	asn1_delete_structure(&na);
	asn1_delete_structure(&nb);
	xe2e_buf_release(&x);
	xe2e_buf_release(&y);
	return hit;
}

int xe2e_crl_covers_dp(const struct xe2e_crl *c, gnutls_x509_crt_t crt)
{
	struct xe2e_buf dp = XE2E_BUF_INIT;
	gnutls_datum_t ext = { NULL, 0 };
	asn1_node n = NULL;
	unsigned crit;
	char name[48];
	int count = 0, i, hit = 0;

	if (!c->idp_dp.len)
		return 1;
	/* RFC 5280 §6.3.3 (b)(2)(i): a name of the IDP must be one of the
	 * certificate's distribution point */
	if (gnutls_x509_crt_get_extension_by_oid2(crt, "2.5.29.31", 0, &ext, &crit) < 0)
		return 0;
	if (!xe2e_der_decode(&n, "XE2E.CRLDistributionPoints", ext.data, ext.size, "CRLDP", NULL))
		xe2e_der_count(n, "", &count, NULL);
	for (i = 1; !hit && i <= count; i++) {
		snprintf(name, sizeof(name), "?%d.distributionPoint", i);
		if (xe2e_der_present(n, name) && !xe2e_der_read(&dp, n, name, "CRLDP", NULL))
			hit = dp.len && dp.data[0] == 0xa0 && c->idp_dp.data[0] == 0xa0 &&
			      general_names_meet(&dp, &c->idp_dp);
	}
	asn1_delete_structure(&n);
	gnutls_free(ext.data);
	xe2e_buf_release(&dp);
	return hit;
}

void xe2e_crl_release(struct xe2e_crl *c)
{
	xe2e_buf_release(&c->idp_dp);
	xe2e_buf_release(&c->der);
	xe2e_signed_release(&c->s);
	xe2e_buf_release(&c->issuer);
	asn1_delete_structure(&c->node);
}

int xe2e_crl_lists(const struct xe2e_crl *c, const unsigned char *serial,
		   size_t len)
{
	unsigned char v[128];
	char name[96];
	int i, l;

	for (i = 1; i <= c->n_revoked; i++) {
		snprintf(name, sizeof(name), "tbsCertList.revokedCertificates.?%d.userCertificate", i);
		l = sizeof(v);
		if (asn1_read_value(c->node, name, v, &l) == ASN1_SUCCESS &&
		    (size_t)l == len && !memcmp(v, serial, len))
			return 1;
	}
	return 0;
}

int xe2e_x509_name_text(struct xe2e_buf *out, const struct xe2e_buf *name,
			struct xe2e_err *err)
{
	gnutls_datum_t dn = { name->data, (unsigned)name->len }, str = { 0 };
	int rc;

	xe2e_buf_reset(out);
	if (gnutls_x509_rdn_get2(&dn, &str, 0) < 0)
		return xe2e_buf_adds(out, "(unreadable name)", err);
	rc = xe2e_buf_add(out, str.data, str.size, err);
	gnutls_free(str.data);
	return rc ? rc : xe2e_buf_grow(out, 0, err);
}

int xe2e_crl_issuer_dn(struct xe2e_buf *out, const struct xe2e_crl *c,
		       struct xe2e_err *err)
{
	return xe2e_x509_name_text(out, &c->issuer, err);
}

/* ------------------------------------------------------- raw certificates */

#define OID_XMPP "1.3.6.1.5.5.7.8.5"
#define OID_EMAIL_ATTR "1.2.840.113549.1.9.1"

/* Content of a primitive TLV (tag checked by the caller). */
static int tlv_content(const struct xe2e_buf *t, const unsigned char **p, size_t *n)
{
	int ll;
	long l;

	if (t->len < 2)
		return -1;
	l = asn1_get_length_der(t->data + 1, (int)t->len - 1, &ll);
	if (l < 0 || (size_t)(1 + ll) + (size_t)l != t->len)
		return -1;
	*p = t->data + 1 + ll;
	*n = (size_t)l;
	return 0;
}

static int add_name(struct xe2e_buf *names, const char *kind, const unsigned char *p,
		    size_t n, struct xe2e_err *err)
{
	if (memchr(p, '\n', n) || memchr(p, 0, n))
		return 0;
	return xe2e_buf_addf(names, err, "%s:%.*s\n", kind, (int)n, (const char *)p);
}

/* RFC 5280 §4.2.1.6 GeneralNames, and x400Address per RFC 3854 §4.3 */
static int san_names(struct xe2e_rawcert *c, const struct xe2e_buf *v, struct xe2e_err *err)
{
	struct xe2e_buf g = XE2E_BUF_INIT, t = XE2E_BUF_INIT;
	asn1_node n = NULL, o = NULL;
	const unsigned char *p;
	char name[16], oid[64];
	size_t len;
	int count = 0, i, rc;

	rc = xe2e_der_decode(&n, "XE2E.GeneralNames", v->data, v->len, "subjectAltName", err);
	if (!rc)
		rc = xe2e_der_count(n, "", &count, err);
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		rc = xe2e_der_read(&g, n, name, "subjectAltName", err);
		if (rc || g.len < 2)
			break;
		switch (g.data[0]) {
		case 0x81:
		case 0x82:
		case 0x86:
			if (!tlv_content(&g, &p, &len))
				rc = add_name(&c->names, g.data[0] == 0x81 ? "email" :
					      g.data[0] == 0x82 ? "dns" : "uri", p, len, err);
			break;
		case 0xa0:  /* otherName: id-on-xmppAddr */
			g.data[0] = 0x30;
			asn1_delete_structure(&o);
			if (xe2e_der_decode(&o, "XE2E.OtherName", g.data, g.len, "otherName", NULL) ||
			    xe2e_der_read_oid(oid, sizeof(oid), o, "typeId", "otherName", NULL) ||
			    strcmp(oid, OID_XMPP) || xe2e_der_read(&t, o, "value", "otherName", NULL) ||
			    t.len < 2 || t.data[0] != 0x0c || tlv_content(&t, &p, &len))
				break;
			rc = add_name(&c->names, "xmpp", p, len, err);
			break;
		case 0xa3:  /* x400Address [3] IMPLICIT ORAddress */
			g.data[0] = 0x30;
			rc = xe2e_x400_to_text(&t, g.data, g.len, err);
			if (!rc)
				rc = add_name(&c->names, "x400", t.data, t.len, err);
			break;
		}
	}
	asn1_delete_structure(&n);
	asn1_delete_structure(&o);
	xe2e_buf_release(&g);
	xe2e_buf_release(&t);
	return rc;
}

/* RFC 3850 §3: PKCS #9 emailAddress attributes of the subject */
static int subject_emails(struct xe2e_rawcert *c, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	asn1_node n = NULL;
	const unsigned char *p;
	char name[48], oid[64];
	int rdns = 0, atvs, i, j, rc;
	size_t len;

	rc = xe2e_der_decode(&n, "XE2E.Name", c->subject.data, c->subject.len, "subject", err);
	if (!rc)
		rc = xe2e_der_count(n, "", &rdns, err);
	for (i = 1; !rc && i <= rdns; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		atvs = 0;
		rc = xe2e_der_count(n, name, &atvs, err);
		for (j = 1; !rc && j <= atvs; j++) {
			snprintf(name, sizeof(name), "?%d.?%d.type", i, j);
			if (xe2e_der_read_oid(oid, sizeof(oid), n, name, "subject", NULL) ||
			    strcmp(oid, OID_EMAIL_ATTR))
				continue;
			snprintf(name, sizeof(name), "?%d.?%d.value", i, j);
			if (!xe2e_der_read(&v, n, name, "subject", NULL) && v.len && v.data[0] == 0x16 &&
			    !tlv_content(&v, &p, &len))
				rc = add_name(&c->names, "email", p, len, err);
		}
	}
	asn1_delete_structure(&n);
	xe2e_buf_release(&v);
	return rc;
}

static int raw_extensions(struct xe2e_rawcert *c, asn1_node cert, struct xe2e_err *err)
{
	/* as path.c processes or may ignore them */
	static const char *const ignorable[] = {
		"2.5.29.18", "2.5.29.14", "2.5.29.35", "2.5.29.32", "2.5.29.31", "2.5.29.46",
		"1.3.6.1.5.5.7.1.1", "1.3.6.1.5.5.7.1.11", NULL
	};
	struct xe2e_buf v = XE2E_BUF_INIT, b = XE2E_BUF_INIT;
	asn1_node e = NULL;
	char name[96], oid[128], crit[8];
	int count = 0, i, k, rc, l, bits, cr, n;

	rc = xe2e_der_count(cert, "tbsCertificate.extensions", &count, err);
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnID", i);
		rc = xe2e_der_read_oid(oid, sizeof(oid), cert, name, "extension", err);
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.critical", i);
		l = sizeof(crit);
		cr = asn1_read_value(cert, name, crit, &l) == ASN1_SUCCESS && !strcmp(crit, "TRUE");
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnValue", i);
		if (!rc)
			rc = xe2e_der_read(&v, cert, name, "extension", err);
		if (rc)
			break;
		asn1_delete_structure(&e);
		if (!strcmp(oid, "2.5.29.15")) {         /* keyUsage */
			rc = xe2e_der_decode(&e, "XE2E.KeyUsage", v.data, v.len, "keyUsage", err);
			bits = 0;
			if (!rc)
				rc = xe2e_der_read(&b, e, "", "keyUsage", err);
			if (!rc) {
				asn1_read_value(e, "", NULL, &bits);
				c->has_ku = 1;
				c->ku_critical = cr;
				c->ku = (bits > 0 && b.len > 0 ? b.data[0] : 0) |
					(bits > 8 && b.len > 1 && (b.data[1] & 0x80) ? GNUTLS_KEY_DECIPHER_ONLY : 0);
			}
		} else if (!strcmp(oid, "2.5.29.37")) {  /* extKeyUsage */
			rc = xe2e_der_decode(&e, "XE2E.ExtKeyUsageSyntax", v.data, v.len, "extKeyUsage", err);
			n = 0;
			if (!rc)
				rc = xe2e_der_count(e, "", &n, err);
			for (k = 1; !rc && k <= n; k++) {
				snprintf(name, sizeof(name), "?%d", k);
				rc = xe2e_der_read_oid(oid, sizeof(oid), e, name, "extKeyUsage", err);
				if (!rc)
					rc = xe2e_buf_addf(&c->eku, err, "%s\n", oid);
			}
		} else if (!strcmp(oid, "2.5.29.19")) {  /* basicConstraints */
			rc = xe2e_der_decode(&e, "XE2E.BasicConstraints", v.data, v.len,
					     "basicConstraints", err);
			l = sizeof(crit);
			c->ca = !rc && asn1_read_value(e, "cA", crit, &l) == ASN1_SUCCESS &&
				!strcmp(crit, "TRUE");
		} else if (!strcmp(oid, "2.5.29.17")) {  /* subjectAltName */
			c->san_critical = cr;
			rc = san_names(c, &v, err);
		} else if (cr && !c->bad_ext[0]) {
			for (k = 0; ignorable[k] && strcmp(oid, ignorable[k]); k++)
				;
			if (!ignorable[k])
				snprintf(c->bad_ext, sizeof(c->bad_ext), "%s", oid);
		}
	}
	asn1_delete_structure(&e);
	xe2e_buf_release(&v);
	xe2e_buf_release(&b);
	return rc;
}

int xe2e_rawcert_parse(struct xe2e_rawcert *c, const unsigned char *der, size_t len,
		       struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	asn1_node cert = NULL, val = NULL;
	gnutls_datum_t spki;
	size_t s, e;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = xe2e_buf_add(&c->der, der, len, err);
	if (!rc)
		rc = xe2e_x509_split_signed(&c->s, der, len, 0, err);
	if (!rc)
		rc = xe2e_der_decode(&cert, "XE2E.XCertificate", der, len, "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&c->issuer, cert, "tbsCertificate.issuer", "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&c->subject, cert, "tbsCertificate.subject", "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&c->serial, cert, "tbsCertificate.serialNumber", "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&v, cert, "tbsCertificate.validity", "certificate", err);
	if (!rc)
		rc = xe2e_der_decode(&val, "XE2E.Validity", v.data, v.len, "validity", err);
	if (!rc)
		rc = read_time(&c->not_before, val, "notBefore", err);
	if (!rc)
		rc = read_time(&c->not_after, val, "notAfter", err);
	if (!rc)
		rc = xe2e_der_range(&s, &e, cert, der, len, "tbsCertificate.subjectPublicKeyInfo", err);
	if (!rc && gnutls_pubkey_init(&c->pub) < 0)
		rc = xe2e_err_oom(err);
	if (!rc) {
		spki.data = (unsigned char *)der + s;
		spki.size = (unsigned)(e - s + 1);
		if (gnutls_pubkey_import(c->pub, &spki, GNUTLS_X509_FMT_DER) < 0)
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "certificate: unsupported public key");
	}
	if (!rc && xe2e_der_present(cert, "tbsCertificate.extensions"))
		rc = raw_extensions(c, cert, err);
	if (!rc)
		rc = subject_emails(c, err);
	asn1_delete_structure(&cert);
	asn1_delete_structure(&val);
	xe2e_buf_release(&v);
	if (rc)
		xe2e_rawcert_release(c);
	return rc;
}

void xe2e_rawcert_release(struct xe2e_rawcert *c)
{
	xe2e_buf_release(&c->der);
	xe2e_buf_release(&c->issuer);
	xe2e_buf_release(&c->subject);
	xe2e_buf_release(&c->serial);
	xe2e_buf_release(&c->eku);
	xe2e_buf_release(&c->names);
	xe2e_signed_release(&c->s);
	if (c->pub)
		gnutls_pubkey_deinit(c->pub);
	c->pub = NULL;
}
