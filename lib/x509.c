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
#include <stdlib.h>
#include <string.h>


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

#define MAX_RDN_VALUES 16
#define MAX_RDNS 64

struct ava {
	struct xe2e_buf b;
};

static int ava_cmp(const void *x, const void *y)
{
	const struct xe2e_buf *a = &((const struct ava *)x)->b, *b = &((const struct ava *)y)->b;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->data, b->data, n);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Length-prefixed field of the canonical form. */
static int put(struct xe2e_buf *out, const void *p, size_t n)
{
	unsigned char l[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
			       (unsigned char)(n >> 8), (unsigned char)n };

	return xe2e_buf_add(out, l, 4, NULL) || xe2e_buf_add(out, p, n, NULL);
}

/* One AttributeTypeAndValue: its type, then the value normalised by §7.1
 * for the directory string types (whatever the string type), else the
 * value's encoding as it is. */
static int canon_ava(struct xe2e_buf *out, asn1_node n, int i, int j)
{
	struct xe2e_buf v = XE2E_BUF_INIT, nv = XE2E_BUF_INIT;
	char name[64], oid[128];
	int len_len, rc;
	long l;

	snprintf(name, sizeof(name), "?%d.?%d.type", i, j);
	if (xe2e_der_read_oid(oid, sizeof(oid), n, name, "Name", NULL))
		return -1;
	snprintf(name, sizeof(name), "?%d.?%d.value", i, j);
	if (xe2e_der_read(&v, n, name, "Name", NULL) || v.len < 2)
		return -1;
	rc = put(out, oid, strlen(oid));
	if (!rc && is_dirstring(v.data[0])) {
		l = asn1_get_length_der(v.data + 1, (int)v.len - 1, &len_len);
		if (l < 0 || (size_t)(1 + len_len) + (size_t)l != v.len)
			rc = -1;
		if (!rc) {
			norm(&nv, v.data + 1 + len_len, (size_t)l);
			rc = xe2e_buf_addc(out, 'S', NULL) || put(out, nv.data, nv.len);
		}
	} else if (!rc) {
		rc = xe2e_buf_addc(out, 'R', NULL) || put(out, v.data, v.len);
	}
	xe2e_buf_release(&v);
	xe2e_buf_release(&nv);
	return rc ? -1 : 0;
}

int xe2e_x509_name_canon(struct xe2e_buf *out, const unsigned char *der, size_t len)
{
	struct ava avas[MAX_RDN_VALUES];
	asn1_node n = NULL;
	char name[16];
	int rdns = 0, k, i, j, rc;

	xe2e_buf_reset(out);
	memset(avas, 0, sizeof(avas));
	rc = xe2e_der_decode(&n, "XE2E.Name", der, len, "Name", NULL) ||
	     xe2e_der_count(n, "", &rdns, NULL) || rdns > MAX_RDNS ? -1 : 0;
	for (i = 1; !rc && i <= rdns; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		if (xe2e_der_count(n, name, &k, NULL) || k < 1 || k > MAX_RDN_VALUES) {
			rc = -1;
			break;
		}
		/* an RDN is a set: its values in a fixed order, duplicates kept */
		for (j = 0; !rc && j < k; j++) {
			xe2e_buf_reset(&avas[j].b);
			rc = canon_ava(&avas[j].b, n, i, j + 1);
		}
		if (rc)
			break;
		qsort(avas, (size_t)k, sizeof(avas[0]), ava_cmp);
		rc = xe2e_buf_addc(out, (unsigned char)k, NULL);
		for (j = 0; !rc && j < k; j++)
			rc = put(out, avas[j].b.data, avas[j].b.len);
	}
	for (j = 0; j < MAX_RDN_VALUES; j++)
		xe2e_buf_release(&avas[j].b);
	asn1_delete_structure(&n);
	if (!rc)
		rc = xe2e_buf_grow(out, 0, NULL);
	return rc ? -XE2E_EMALFORMED : 0;
}

int xe2e_x509_name_equal(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	struct xe2e_buf ca = XE2E_BUF_INIT, cb = XE2E_BUF_INIT;
	int ok;

	if (alen == blen && !memcmp(a, b, alen))
		return 1;
	ok = !xe2e_x509_name_canon(&ca, a, alen) && !xe2e_x509_name_canon(&cb, b, blen) &&
	     ca.len == cb.len && !memcmp(ca.data, cb.data, ca.len);
	xe2e_buf_release(&ca);
	xe2e_buf_release(&cb);
	return ok;
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
				    "RSA key of %u bits refused by policy modern (policy rfc3850 allows it)",
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
					    "md5WithRSAEncryption refused by policy modern (policy rfc3850 allows it)");
		/* RFC 3850 §4.3, DESIGN §7: this flag allows RSA-MD5 and
		 * nothing else (never ALLOW_BROKEN: it would allow MD2) */
		flags |= GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5;
	}
	if ((int)pk != gnutls_pubkey_get_pk_algorithm(pub, NULL))
		return xe2e_err_set(err, XE2E_ECERT, "signature algorithm does not fit the issuer key");
	rc = gnutls_pubkey_verify_data2(pub, gnutls_pk_to_sign(pk, d->gnutls),
					flags | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &data, &sig);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_ECERT, "signature does not verify");
	return 0;
}

/* ------------------------------------------------------------------ CRLs */

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
	xe2e_digest(xe2e_digest_by_name("sha256"), der, len, c->sha256);
	if (!rc)
		rc = xe2e_x509_split_signed(&c->s, der, len, 1, err);
	if (!rc)
		rc = xe2e_der_decode(&c->node, "XE2E.XCertificateList", der, len, "CRL", err);
	if (!rc)
		rc = xe2e_der_read(&c->issuer, c->node, "tbsCertList.issuer", "CRL", err);
	if (!rc && xe2e_x509_name_canon(&c->issuer_canon, c->issuer.data, c->issuer.len))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "CRL: bad issuer name");
	if (!rc)
		rc = xe2e_der_read_time(&c->this_update, c->node, "tbsCertList.thisUpdate", "CRL", err);
	if (!rc && xe2e_der_present(c->node, "tbsCertList.nextUpdate")) {
		rc = xe2e_der_read_time(&c->next_update, c->node, "tbsCertList.nextUpdate", "CRL", err);
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

int xe2e_crl_covers_dp(const struct xe2e_crl *c, const struct xe2e_buf *crldp)
{
	struct xe2e_buf dp = XE2E_BUF_INIT;
	asn1_node n = NULL;
	char name[48];
	int count = 0, i, hit = 0;

	if (!c->idp_dp.len)
		return 1;
	/* RFC 5280 §6.3.3 (b)(2)(i): a name of the IDP must be one of the
	 * certificate's distribution point */
	if (!crldp || !crldp->len)
		return 0;
	if (!xe2e_der_decode(&n, "XE2E.CRLDistributionPoints", crldp->data, crldp->len, "CRLDP", NULL))
		xe2e_der_count(n, "", &count, NULL);
	for (i = 1; !hit && i <= count; i++) {
		snprintf(name, sizeof(name), "?%d.distributionPoint", i);
		if (xe2e_der_present(n, name) && !xe2e_der_read(&dp, n, name, "CRLDP", NULL))
			hit = dp.len && dp.data[0] == 0xa0 && c->idp_dp.data[0] == 0xa0 &&
			      general_names_meet(&dp, &c->idp_dp);
	}
	asn1_delete_structure(&n);
	xe2e_buf_release(&dp);
	return hit;
}

void xe2e_crl_release(struct xe2e_crl *c)
{
	xe2e_buf_release(&c->issuer_canon);
	xe2e_buf_release(&c->idp_dp);
	xe2e_buf_release(&c->der);
	xe2e_signed_release(&c->s);
	xe2e_buf_release(&c->issuer);
	asn1_delete_structure(&c->node);
}

int xe2e_crl_lists(const struct xe2e_crl *c, const unsigned char *serial,
		   size_t len)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	char name[96];
	int i, hit = 0;

	/* serials compare as numbers: a non-minimal encoding hides nothing */
	for (i = 1; !hit && i <= c->n_revoked; i++) {
		snprintf(name, sizeof(name), "tbsCertList.revokedCertificates.?%d.userCertificate", i);
		if (xe2e_der_read(&v, c->node, name, "CRL", NULL)) {
			hit = 1;     /* an entry we cannot read: fail closed */
			break;
		}
		hit = xe2e_der_int_equal(v.data, v.len, serial, len);
	}
	xe2e_buf_release(&v);
	return hit;
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
