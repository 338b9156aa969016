/*
 * cert.c - the one certificate parser (see cert.h).  RFC 5280 §4.1
 * (structure), §4.2 (one instance per extension, criticality), §4.2.1.1-3,
 * 6, 9, 12, 13 (the extensions read here), §7.1 (self-issued); RFC 3279
 * §2.3.2 (DSA parameter inheritance); RFC 3850 §3 (PKCS #9 emailAddress);
 * RFC 3854 §4.3 (x400Address); RFC 6120 §13.7.1.4 (id-on-xmppAddr).
 */
#include "cert.h"
#include "policy.h"
#include "crypto.h"
#include "der.h"
#include "limits.h"
#include "text.h"
#include "x400.h"

#include <stdlib.h>
#include <string.h>

#define OID_XMPP       "1.3.6.1.5.5.7.8.5"
#define OID_EMAIL_ATTR "1.2.840.113549.1.9.1"
#define OID_DSA        "1.2.840.10040.4.1"
#define MAX_EXTENSIONS 64
#define MAX_NAMES      256     /* GeneralNames and subject attributes read */

struct xe2e_cert *xe2e_cert_ref(struct xe2e_cert *c)
{
	if (c)
		c->refs++;
	return c;
}

void xe2e_cert_unref(struct xe2e_cert *c)
{
	if (!c || --c->refs > 0)
		return;
	xe2e_buf_release(&c->der);
	xe2e_signed_release(&c->s);
	xe2e_buf_release(&c->serial);
	xe2e_buf_release(&c->issuer);
	xe2e_buf_release(&c->subject);
	xe2e_buf_release(&c->issuer_canon);
	xe2e_buf_release(&c->subject_canon);
	xe2e_buf_release(&c->dn);
	xe2e_buf_release(&c->spki);
	xe2e_buf_release(&c->dsa_y);
	xe2e_buf_release(&c->eku);
	xe2e_buf_release(&c->ski);
	xe2e_buf_release(&c->aki);
	xe2e_buf_release(&c->names);
	xe2e_buf_release(&c->nc_names);
	xe2e_nc_release(&c->nc);
	xe2e_dps_release(&c->dps);
	xe2e_buf_release(&c->policies);
	xe2e_buf_release(&c->mappings);
	free(c);
}

int xe2e_cert_same(const struct xe2e_cert *a, const struct xe2e_cert *b)
{
	return a == b || (a->der.len == b->der.len && !memcmp(a->der.data, b->der.data, a->der.len));
}

const char *xe2e_cert_name(const struct xe2e_cert *c)
{
	return c->dn.len ? (const char *)c->dn.data : "(empty subject)";
}

int xe2e_cert_issuer_text(struct xe2e_buf *out, const struct xe2e_cert *c,
			  struct xe2e_err *err)
{
	return xe2e_x509_name_text(out, &c->issuer, err);
}

/* Content of a TLV held in t (der.h). */
static int tlv_content(const struct xe2e_buf *t, const unsigned char **p, size_t *n)
{
	*p = xe2e_der_contents(t->data, t->len, -1, n);
	return *p ? 0 : -1;
}

/* An IA5String name (RFC 5280 §4.2.1.6): printable ASCII, no space. */
static int ascii_name_ok(const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* A UTF8String name: well-formed, nothing a message would have to escape. */
static int utf8_name_ok(const unsigned char *p, size_t n)
{
	size_t i = 0, k;
	unsigned cp;

	if (n == 0)
		return 0;
	while (i < n) {
		k = xe2e_utf8_char(p + i, n - i, &cp);
		if (!k || cp == 0 || xe2e_text_must_escape(cp) || cp == ' ')
			return 0;
		i += k;
	}
	return 1;
}

static int add_name(struct xe2e_cert *c, const char *kind, const unsigned char *p, size_t n,
		    int utf8, struct xe2e_err *err)
{
	if (!(utf8 ? utf8_name_ok(p, n) : ascii_name_ok(p, n)))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "certificate '%s': malformed %s name (empty, or with a NUL, "
				    "a space or a control character)", xe2e_cert_name(c), kind);
	return xe2e_buf_addf(&c->names, err, "%s:%.*s\n", kind, (int)n, (const char *)p);
}

/* RFC 5280 §4.2.1.6 GeneralNames: the kinds we compare names of.  Others
 * (directoryName, iPAddress, registeredID, ediPartyName, other otherName
 * types) are not names of a person and are skipped. */
static int san_names(struct xe2e_cert *c, const struct xe2e_buf *v, struct xe2e_err *err)
{
	struct xe2e_buf g = XE2E_BUF_INIT, t = XE2E_BUF_INIT;
	asn1_node n = NULL, o = NULL;
	const unsigned char *p = NULL;
	char name[16], oid[64];
	size_t len;
	int count = 0, i, rc;

	rc = xe2e_der_decode(&n, "XE2E.GeneralNames", v->data, v->len, "subjectAltName", err);
	if (!rc)
		rc = xe2e_der_count(n, "", &count, err);
	if (!rc && count == 0)     /* GeneralNames ::= SEQUENCE SIZE (1..MAX) */
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate '%s': an empty subjectAltName",
				  xe2e_cert_name(c));
	if (!rc && count > MAX_NAMES)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate '%s': more than %d names",
				  xe2e_cert_name(c), MAX_NAMES);
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		rc = xe2e_der_read(&g, n, name, "subjectAltName", err);
		if (!rc && g.len < 2)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "subjectAltName: bad entry");
		if (rc)
			break;
		if (tlv_content(&g, &p, &len)) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "subjectAltName: bad entry");
			break;
		}
		/* every entry goes to the names name constraints see (nc.h);
		 * the ones a person is named by to names too */
		switch (g.data[0]) {
		case 0x81:  /* rfc822Name */
		case 0x82:  /* dNSName */
		case 0x86:  /* uniformResourceIdentifier */
			rc = add_name(c, g.data[0] == 0x81 ? "email" : g.data[0] == 0x82 ? "dns" : "uri",
				      p, len, 0, err);
			if (!rc)
				rc = xe2e_nc_add_name(&c->nc_names, g.data[0], p, len, err);
			break;
		case 0x87:  /* iPAddress: 4 or 16 octets */
			rc = len == 4 || len == 16 ? xe2e_nc_add_name(&c->nc_names, 0x87, p, len, err)
						   : xe2e_err_set(err, XE2E_EMALFORMED,
								  "subjectAltName: bad iPAddress");
			break;
		case 0xa4:  /* directoryName [4] EXPLICIT Name: its §7.1 form */
			rc = xe2e_x509_name_canon(&t, p, len)
			     ? xe2e_err_set(err, XE2E_EMALFORMED, "subjectAltName: bad directoryName")
			     : xe2e_nc_add_name(&c->nc_names, 0xa4, t.data, t.len, err);
			break;
		case 0xa0:  /* otherName: id-on-xmppAddr is a UTF8String */
			rc = xe2e_nc_add_name(&c->nc_names, 0xa0, "", 0, err);
			if (rc)
				break;
			g.data[0] = 0x30;
			asn1_delete_structure(&o);
			rc = xe2e_der_decode(&o, "XE2E.OtherName", g.data, g.len, "otherName", err);
			if (!rc)
				rc = xe2e_der_read_oid(oid, sizeof(oid), o, "typeId", "otherName", err);
			if (rc || strcmp(oid, OID_XMPP))
				break;
			rc = xe2e_der_read(&t, o, "value", "otherName", err);
			if (!rc && (t.len < 2 || t.data[0] != 0x0c || tlv_content(&t, &p, &len)))
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "certificate '%s': id-on-xmppAddr is not a UTF8String",
						  xe2e_cert_name(c));
			if (!rc)
				rc = add_name(c, "xmpp", p, len, 1, err);
			break;
		case 0xa3:  /* x400Address [3] IMPLICIT ORAddress */
			rc = xe2e_nc_add_name(&c->nc_names, 0xa3, "", 0, err);
			if (rc)
				break;
			g.data[0] = 0x30;
			rc = xe2e_x400_to_text(&t, g.data, g.len, err);
			if (!rc)
				rc = xe2e_buf_addf(&c->names, err, "x400:%s\n", (char *)t.data);
			break;
		default:    /* ediPartyName, registeredID: their form only */
			rc = xe2e_nc_add_name(&c->nc_names, g.data[0], "", 0, err);
			break;
		}
	}
	asn1_delete_structure(&n);
	asn1_delete_structure(&o);
	xe2e_buf_release(&g);
	xe2e_buf_release(&t);
	return rc;
}

/* RFC 3850 §3: PKCS #9 emailAddress attributes of the subject (IA5String;
 * some CAs write UTF8String or PrintableString: accepted when ASCII). */
static int subject_emails(struct xe2e_cert *c, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	asn1_node n = NULL;
	const unsigned char *p = NULL;
	char name[48], oid[64];
	int rdns = 0, atvs, i, j, rc, seen = 0;
	size_t len;

	rc = xe2e_der_decode(&n, "XE2E.Name", c->subject.data, c->subject.len, "subject", err);
	if (!rc)
		rc = xe2e_der_count(n, "", &rdns, err);
	for (i = 1; !rc && i <= rdns; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		atvs = 0;
		rc = xe2e_der_count(n, name, &atvs, err);
		for (j = 1; !rc && j <= atvs; j++) {
			if (++seen > MAX_NAMES) {
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "subject: too many attributes");
				break;
			}
			snprintf(name, sizeof(name), "?%d.?%d.type", i, j);
			rc = xe2e_der_read_oid(oid, sizeof(oid), n, name, "subject", err);
			if (rc || strcmp(oid, OID_EMAIL_ATTR))
				continue;
			snprintf(name, sizeof(name), "?%d.?%d.value", i, j);
			rc = xe2e_der_read(&v, n, name, "subject", err);
			if (!rc && (v.len < 2 || (v.data[0] != 0x16 && v.data[0] != 0x0c &&
						  v.data[0] != 0x13) || tlv_content(&v, &p, &len)))
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "certificate '%s': bad emailAddress attribute",
						  xe2e_cert_name(c));
			if (!rc)
				rc = add_name(c, "email", p, len, 0, err);
			if (!rc)
				rc = xe2e_nc_add_name(&c->nc_names, XE2E_GN_SUBJECT_EMAIL, p, len, err);
		}
	}
	asn1_delete_structure(&n);
	xe2e_buf_release(&v);
	return rc;
}

static int read_bool(asn1_node n, const char *name, int *out)
{
	char v[8];
	int l = sizeof(v), rc = asn1_read_value(n, name, v, &l);

	if (rc == ASN1_ELEMENT_NOT_FOUND || rc == ASN1_VALUE_NOT_FOUND) {
		*out = 0;    /* DEFAULT FALSE */
		return 0;
	}
	if (rc != ASN1_SUCCESS || (strcmp(v, "TRUE") && strcmp(v, "FALSE")))
		return -1;
	*out = !strcmp(v, "TRUE");
	return 0;
}

/* A SkipCerts INTEGER (0..MAX) at name; values past the longest path are
 * all the same, so a large one is kept as XE2E_MAX_CHAIN + 1. */
static int skip_certs(int *out, asn1_node e, const char *name, const char *what,
		      struct xe2e_err *err)
{
	unsigned char v[16];
	int n = sizeof(v), i;

	if (asn1_read_value(e, name, v, &n) != ASN1_SUCCESS || n < 1 || (v[0] & 0x80))
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad SkipCerts", what);
	for (*out = 0, i = 0; i < n; i++)
		if ((*out = *out * 256 + v[i]) > XE2E_MAX_CHAIN)
			*out = XE2E_MAX_CHAIN + 1;
	return 0;
}

/* Decode v as `type`, a SEQUENCE SIZE (1..max) OF something: its count in
 * *n, or -XE2E_EMALFORMED naming `what`. */
static int seq_of(asn1_node *e, const char *type, const struct xe2e_buf *v, int max,
		  const char *what, int *n, struct xe2e_err *err)
{
	int rc = xe2e_der_decode(e, type, v->data, v->len, what, err);

	*n = 0;
	if (!rc)
		rc = xe2e_der_count(*e, "", n, err);
	if (!rc && (*n < 1 || *n > max))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "%s: %s", what, *n ? "too many entries" : "empty");
	return rc;
}

/*
 * certificatePolicies (§4.2.1.4: each policy once, qualifiers decoded),
 * policyMappings (§4.2.1.5), policyConstraints (§4.2.1.11: not an empty
 * SEQUENCE) and inhibitAnyPolicy (§4.2.1.14); policy.c processes them.
 */
static int policy_extension(struct xe2e_cert *c, const char *oid, int crit,
			    const struct xe2e_buf *v, struct xe2e_err *err)
{
	asn1_node e = NULL;
	char name[64], a[128], b[128];
	int rc, n = 0, k, q, nq;

	if (!strcmp(oid, "2.5.29.32")) {
		rc = seq_of(&e, "XE2E.CertificatePolicies", v, XE2E_MAX_CERT_POLICIES,
			    "certificatePolicies", &n, err);
		for (k = 1; !rc && k <= n; k++) {
			snprintf(name, sizeof(name), "?%d.policyIdentifier", k);
			rc = xe2e_der_read_oid(a, sizeof(a), e, name, "certificatePolicies", err);
			if (!rc && xe2e_text_has_line(&c->policies, a))
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "certificatePolicies: policy %s appears twice", a);
			snprintf(name, sizeof(name), "?%d.policyQualifiers", k);
			nq = 0;
			if (!rc && xe2e_der_present(e, name))
				rc = xe2e_der_count(e, name, &nq, err);
			if (!rc && (nq > XE2E_MAX_CERT_POLICIES || (nq == 0 && xe2e_der_present(e, name))))
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificatePolicies: %s qualifiers",
						  nq ? "too many" : "empty");
			for (q = 1; !rc && q <= nq; q++) {
				snprintf(name, sizeof(name), "?%d.policyQualifiers.?%d.policyQualifierId",
					 k, q);
				rc = xe2e_der_read_oid(b, sizeof(b), e, name, "certificatePolicies", err);
			}
			if (!rc)
				rc = xe2e_buf_addf(&c->policies, err, "%s\n", a);
		}
		c->has_policies = !rc;
	} else if (!strcmp(oid, "2.5.29.33")) {
		rc = seq_of(&e, "XE2E.PolicyMappings", v, XE2E_MAX_CERT_POLICIES, "policyMappings",
			    &n, err);
		for (k = 1; !rc && k <= n; k++) {
			snprintf(name, sizeof(name), "?%d.issuerDomainPolicy", k);
			rc = xe2e_der_read_oid(a, sizeof(a), e, name, "policyMappings", err);
			snprintf(name, sizeof(name), "?%d.subjectDomainPolicy", k);
			if (!rc)
				rc = xe2e_der_read_oid(b, sizeof(b), e, name, "policyMappings", err);
			if (!rc)
				rc = xe2e_buf_addf(&c->mappings, err, "%s %s\n", a, b);
		}
	} else if (!strcmp(oid, "2.5.29.36")) {
		c->has_pc = 1;
		c->pc_critical = crit;
		rc = xe2e_der_decode(&e, "XE2E.PolicyConstraints", v->data, v->len,
				     "policyConstraints", err);
		if (!rc && xe2e_der_present(e, "requireExplicitPolicy"))
			rc = skip_certs(&c->require_explicit, e, "requireExplicitPolicy",
					"policyConstraints", err);
		if (!rc && xe2e_der_present(e, "inhibitPolicyMapping"))
			rc = skip_certs(&c->inhibit_mapping, e, "inhibitPolicyMapping",
					"policyConstraints", err);
		if (!rc && c->require_explicit < 0 && c->inhibit_mapping < 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "policyConstraints: empty");
	} else {
		c->ia_critical = crit;
		rc = xe2e_der_decode(&e, "XE2E.SkipCerts", v->data, v->len, "inhibitAnyPolicy", err);
		if (!rc)
			rc = skip_certs(&c->inhibit_any, e, "", "inhibitAnyPolicy", err);
	}
	asn1_delete_structure(&e);
	return rc;
}

/* One extension: decode what we process; note a critical one we do not. */
static int extension(struct xe2e_cert *c, const char *oid, int crit,
		     const struct xe2e_buf *v, struct xe2e_err *err)
{
	/* harmless to ignore: issuerAltName, freshestCRL (delta CRLs are
	 * found among the CRLs given).  authorityInfoAccess and
	 * subjectInfoAccess are decoded (their branch below) and not used. */
	static const char *const ignorable[] = {
		"2.5.29.18", "2.5.29.46", NULL
	};
	struct xe2e_buf b = XE2E_BUF_INIT;
	asn1_node e = NULL;
	char name[32], eoid[128];
	int rc = 0, bits = 0, n = 0, k;

	if (!strcmp(oid, "2.5.29.32") || !strcmp(oid, "2.5.29.33") ||
	    !strcmp(oid, "2.5.29.36") || !strcmp(oid, "2.5.29.54")) {
		rc = policy_extension(c, oid, crit, v, err);
	} else if (!strcmp(oid, "2.5.29.15")) {                 /* §4.2.1.3 keyUsage */
		rc = xe2e_der_decode(&e, "XE2E.KeyUsage", v->data, v->len, "keyUsage", err);
		if (!rc)
			rc = xe2e_der_read_bits(&b, &bits, e, "", "keyUsage", err);
		if (!rc && !xe2e_der_bits_ok(e, v->data, v->len, ""))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "keyUsage: malformed BIT STRING");
		if (!rc) {
			/* only the bits the BIT STRING has: unused ones are masked */
			unsigned first = b.len > 0 ? b.data[0] : 0;

			if (bits < 8)
				first &= (unsigned)(0xff00 >> bits) & 0xff;
			c->has_ku = 1;
			c->ku_critical = crit;
			c->ku = first |
				(bits > 8 && b.len > 1 && (b.data[1] & 0x80) ? GNUTLS_KEY_DECIPHER_ONLY : 0);
		}
	} else if (!strcmp(oid, "2.5.29.37")) {          /* §4.2.1.12 extKeyUsage */
		rc = xe2e_der_decode(&e, "XE2E.ExtKeyUsageSyntax", v->data, v->len, "extKeyUsage", err);
		if (!rc)
			rc = xe2e_der_count(e, "", &n, err);
		if (!rc && n > MAX_NAMES)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "extKeyUsage: too many purposes");
		for (k = 1; !rc && k <= n; k++) {
			snprintf(name, sizeof(name), "?%d", k);
			rc = xe2e_der_read_oid(eoid, sizeof(eoid), e, name, "extKeyUsage", err);
			if (!rc)
				rc = xe2e_buf_addf(&c->eku, err, "%s\n", eoid);
		}
		c->has_eku = !rc;
	} else if (!strcmp(oid, "2.5.29.19")) {          /* §4.2.1.9 basicConstraints */
		rc = xe2e_der_decode(&e, "XE2E.BasicConstraints", v->data, v->len,
				     "basicConstraints", err);
		if (!rc && read_bool(e, "cA", &c->ca))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "basicConstraints: bad cA");
		c->pathlen = -1;
		if (!rc && xe2e_der_present(e, "pathLenConstraint") &&
		    xe2e_der_read_uint(&c->pathlen, e, "pathLenConstraint", "basicConstraints", err))
			rc = -XE2E_EMALFORMED;
		c->has_bc = !rc;
		c->bc_critical = crit;
	} else if (!strcmp(oid, "1.3.6.1.5.5.7.1.1") ||  /* §4.2.2.1 authorityInfoAccess */
		   !strcmp(oid, "1.3.6.1.5.5.7.1.11")) {  /* §4.2.2.2 subjectInfoAccess */
		/* not used, but read: one that does not decode fails the
		 * certificate (fail closed), critical or not */
		rc = seq_of(&e, "XE2E.AuthorityInfoAccessSyntax", v, MAX_NAMES, "information access",
			    &n, err);
		for (k = 1; !rc && k <= n; k++) {
			snprintf(name, sizeof(name), "?%d.accessMethod", k);
			rc = xe2e_der_read_oid(eoid, sizeof(eoid), e, name, "information access", err);
		}
		/* MUST be non-critical (§4.2.2.1-§4.2.2.2); xe2e fetches
		 * nothing, so a critical one is information it cannot process
		 * (§4.2: the certificate is rejected) */
		if (!rc && crit && !c->bad_ext[0])
			snprintf(c->bad_ext, sizeof(c->bad_ext), "%s", oid);
	} else if (!strcmp(oid, "2.5.29.30")) {          /* §4.2.1.10 nameConstraints */
		rc = xe2e_nc_parse(&c->nc, v->data, v->len, crit, err);
	} else if (!strcmp(oid, "2.5.29.17")) {          /* §4.2.1.6 subjectAltName */
		c->san_critical = crit;
		c->has_san = 1;
		rc = san_names(c, v, err);
	} else if (!strcmp(oid, "2.5.29.14")) {          /* §4.2.1.2 subjectKeyIdentifier */
		rc = xe2e_der_decode(&e, "XE2E.SubjectKeyIdentifier", v->data, v->len,
				     "subjectKeyIdentifier", err);
		if (!rc)
			rc = xe2e_der_read(&c->ski, e, "", "subjectKeyIdentifier", err);
	} else if (!strcmp(oid, "2.5.29.35")) {          /* §4.2.1.1 authorityKeyIdentifier */
		c->aki_critical = crit;
		rc = xe2e_der_decode(&e, "XE2E.AuthorityKeyIdentifier", v->data, v->len,
				     "authorityKeyIdentifier", err);
		if (!rc && xe2e_der_present(e, "keyIdentifier"))
			rc = xe2e_der_read(&c->aki, e, "keyIdentifier", "authorityKeyIdentifier", err);
	} else if (!strcmp(oid, "2.5.29.31")) {          /* §4.2.1.13 cRLDistributionPoints */
		rc = xe2e_dps_parse(&c->dps, v->data, v->len, err);
	} else if (crit && !c->bad_ext[0]) {
		for (k = 0; ignorable[k] && strcmp(oid, ignorable[k]); k++)
			;
		if (!ignorable[k])
			snprintf(c->bad_ext, sizeof(c->bad_ext), "%s", oid);
	}
	asn1_delete_structure(&e);
	xe2e_buf_release(&b);
	if (rc && err && err->code == XE2E_EMALFORMED && !strstr(err->msg, "certificate '"))
		xe2e_err_set(err, XE2E_EMALFORMED, "certificate '%s': %s", xe2e_cert_name(c), err->msg);
	return rc;
}

static int extensions(struct xe2e_cert *c, asn1_node cert, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT, seen = XE2E_BUF_INIT;
	char name[96], oid[128], line[132];
	int count = 0, i, rc, cr;

	rc = xe2e_der_count(cert, "tbsCertificate.extensions", &count, err);
	if (!rc && c->version != 3)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "certificate '%s': extensions in a version %d certificate",
				  xe2e_cert_name(c), c->version);
	if (!rc && count > MAX_EXTENSIONS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate '%s': more than %d extensions",
				  xe2e_cert_name(c), MAX_EXTENSIONS);
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnID", i);
		rc = xe2e_der_read_oid(oid, sizeof(oid), cert, name, "extension", err);
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.critical", i);
		if (!rc && read_bool(cert, name, &cr))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "extension %s: bad critical flag", oid);
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnValue", i);
		if (!rc)
			rc = xe2e_der_read(&v, cert, name, "extension", err);
		if (rc)
			break;
		/* RFC 5280 §4.2: at most one instance of an extension */
		snprintf(line, sizeof(line), "\n%s\n", oid);
		if (seen.len && memmem(seen.data, seen.len, line, strlen(line))) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate '%s' has two %s extensions",
					  xe2e_cert_name(c), oid);
			break;
		}
		rc = xe2e_buf_adds(&seen, seen.len ? line + 1 : line, err);
		if (!rc)
			rc = extension(c, oid, cr, &v, err);
	}
	xe2e_buf_release(&v);
	xe2e_buf_release(&seen);
	return rc;
}

/* Bits of a big-endian unsigned integer (leading zero octets allowed). */
static unsigned int_bits(const gnutls_datum_t *d)
{
	unsigned i = 0, b;

	while (i < d->size && d->data[i] == 0)
		i++;
	if (i == d->size)
		return 0;
	for (b = 8; b > 0 && !(d->data[i] & (1u << (b - 1))); b--)
		;
	return (d->size - i - 1) * 8 + b;
}

/* Is one operation with this key affordable (limits.h)?  NULL, or why
 * not.  The signature check of a hostile certificate or CRL costs a full
 * exponentiation by the public exponent. */
static const char *key_cost(gnutls_pubkey_t pub, gnutls_pk_algorithm_t pk)
{
	gnutls_datum_t a = { NULL, 0 }, b = { NULL, 0 }, q = { NULL, 0 }, g = { NULL, 0 }, y = { NULL, 0 };
	const char *why = NULL;

	if (pk == GNUTLS_PK_RSA || pk == GNUTLS_PK_RSA_PSS) {
		if (gnutls_pubkey_export_rsa_raw2(pub, &a, &b, 0) < 0)
			return "its RSA key cannot be read";
		if (int_bits(&a) > XE2E_MAX_RSA_BITS)
			why = "its RSA modulus is larger than 16384 bits";
		else if (int_bits(&b) > XE2E_MAX_RSA_E_BITS)
			why = "its RSA public exponent is larger than 64 bits";
	} else if (pk == GNUTLS_PK_DSA) {
		if (gnutls_pubkey_export_dsa_raw2(pub, &a, &q, &g, &y, 0) < 0)
			return "its DSA key cannot be read";
		if (int_bits(&a) > XE2E_MAX_DSA_P_BITS)
			why = "its DSA p is larger than 4096 bits";
		else if (int_bits(&q) > XE2E_MAX_DSA_Q_BITS)
			why = "its DSA q is larger than 256 bits";
	}
	gnutls_free(a.data);
	gnutls_free(b.data);
	gnutls_free(q.data);
	gnutls_free(g.data);
	gnutls_free(y.data);
	return why;
}

/* SubjectPublicKeyInfo: algorithm, and whether GnuTLS can use the key. */
static int public_key(struct xe2e_cert *c, asn1_node cert, const unsigned char *der,
		      size_t len, struct xe2e_err *err)
{
	struct xe2e_buf bits = XE2E_BUF_INIT;
	asn1_node y = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d;
	size_t s, e;
	int rc, nbits = 0;

	rc = xe2e_der_range(&s, &e, cert, der, len, "tbsCertificate.subjectPublicKeyInfo", err);
	if (!rc)
		rc = xe2e_buf_add(&c->spki, der + s, e - s + 1, err);
	if (!rc)
		rc = xe2e_der_read_oid(c->key_oid, sizeof(c->key_oid), cert,
				       "tbsCertificate.subjectPublicKeyInfo.algorithm.algorithm",
				       "subjectPublicKeyInfo", err);
	if (rc)
		return rc;
	c->pk = GNUTLS_PK_UNKNOWN;
	if (!strcmp(c->key_oid, OID_DSA) &&
	    !xe2e_der_present(cert, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters")) {
		/* RFC 3279 §2.3.2: parameters come from the issuer */
		rc = xe2e_der_read_bits(&bits, &nbits, cert,
					"tbsCertificate.subjectPublicKeyInfo.subjectPublicKey", "DSA key", err);
		if (!rc && (nbits % 8 || !xe2e_der_bits_ok(cert, der, len,
							    "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey")))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "DSA key: not a whole number of octets");
		if (!rc)
			rc = xe2e_der_decode(&y, "XE2E.DSAPublicKey", bits.data, bits.len, "DSA key", err);
		if (!rc)
			rc = xe2e_der_read(&c->dsa_y, y, "", "DSA key", err);
		asn1_delete_structure(&y);
		xe2e_buf_release(&bits);
		c->dsa_inherits = !rc;
		c->pk = GNUTLS_PK_DSA;
		return rc;
	}
	if (gnutls_pubkey_init(&pub) < 0)
		return xe2e_err_oom(err);
	d.data = c->spki.data;
	d.size = (unsigned)c->spki.len;
	if (gnutls_pubkey_import(pub, &d, GNUTLS_X509_FMT_DER) >= 0) {
		c->pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(pub, &c->key_bits);
		c->key_refused = key_cost(pub, c->pk);
	}
	gnutls_pubkey_deinit(pub);
	return 0;
}

static int parse(struct xe2e_cert *c, const unsigned char *der, size_t len,
		 struct xe2e_err *err)
{
	const struct xe2e_digest *sha256 = xe2e_digest_by_name("sha256");
	struct xe2e_buf v = XE2E_BUF_INIT;
	asn1_node cert = NULL, val = NULL;
	gnutls_datum_t dn = { NULL, 0 }, txt = { NULL, 0 };
	int rc, ver = 0;

	rc = xe2e_buf_add(&c->der, der, len, err);
	if (!rc)
		rc = xe2e_x509_split_signed(&c->s, der, len, 0, err);
	if (!rc)
		rc = xe2e_der_decode(&cert, "XE2E.XCertificate", der, len, "certificate", err);
	if (!rc && xe2e_der_present(cert, "tbsCertificate.version"))
		rc = xe2e_der_read_uint(&ver, cert, "tbsCertificate.version", "certificate", err);
	if (!rc && ver > 2)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: unknown version %d", ver + 1);
	c->version = ver + 1;
	if (!rc)
		rc = xe2e_der_read(&c->serial, cert, "tbsCertificate.serialNumber", "certificate", err);
	if (!rc && c->serial.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: empty serial number");
	if (!rc)
		rc = xe2e_der_read(&c->issuer, cert, "tbsCertificate.issuer", "certificate", err);
	if (!rc)
		rc = xe2e_der_read(&c->subject, cert, "tbsCertificate.subject", "certificate", err);
	/* both Names must decode (§7.1 forms); the subject is rendered too */
	if (!rc && xe2e_x509_name_canon(&c->issuer_canon, c->issuer.data, c->issuer.len))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: bad issuer name");
	if (!rc && xe2e_x509_name_canon(&c->subject_canon, c->subject.data, c->subject.len))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: bad subject name");
	if (!rc && c->subject.len > 2) {
		dn.data = c->subject.data;
		dn.size = (unsigned)c->subject.len;
		if (gnutls_x509_rdn_get2(&dn, &txt, 0) < 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: unreadable subject");
		else
			rc = xe2e_buf_add(&c->dn, txt.data, txt.size, err);
		gnutls_free(txt.data);
	}
	if (!rc)
		rc = xe2e_buf_grow(&c->dn, 0, err);
	if (!rc)
		rc = xe2e_der_read(&v, cert, "tbsCertificate.validity", "certificate", err);
	if (!rc)
		rc = xe2e_der_decode(&val, "XE2E.Validity", v.data, v.len, "validity", err);
	if (!rc)
		rc = xe2e_der_read_time(&c->not_before, val, "notBefore", "certificate validity", err);
	if (!rc)
		rc = xe2e_der_read_time(&c->not_after, val, "notAfter", "certificate validity", err);
	if (!rc)
		rc = public_key(c, cert, der, len, err);
	if (!rc && c->version == 1 &&
	    (xe2e_der_present(cert, "tbsCertificate.issuerUniqueID") ||
	     xe2e_der_present(cert, "tbsCertificate.subjectUniqueID")))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "certificate: unique identifiers in a v1 certificate");
	c->pathlen = -1;
	c->require_explicit = c->inhibit_mapping = c->inhibit_any = -1;
	if (!rc && xe2e_der_present(cert, "tbsCertificate.extensions"))
		rc = extensions(c, cert, err);
	if (!rc)
		rc = subject_emails(c, err);
	if (!rc)
		rc = xe2e_buf_grow(&c->names, 0, err);
	if (!rc)
		rc = xe2e_buf_grow(&c->eku, 0, err);
	if (!rc) {
		xe2e_digest(sha256, der, len, c->sha256);
		c->self_issued = xe2e_cert_issued_by(c, c);
	}
	asn1_delete_structure(&cert);
	asn1_delete_structure(&val);
	xe2e_buf_release(&v);
	return rc;
}

int xe2e_cert_parse(struct xe2e_cert **out, const unsigned char *der, size_t len,
		    struct xe2e_err *err)
{
	struct xe2e_cert *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return xe2e_err_oom(err);
	c->refs = 1;
	rc = parse(c, der, len, err);
	if (rc) {
		xe2e_cert_unref(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* RFC 3279 §2.3.2: the issuer's p, q, g with our y. */
static int dsa_inherit(gnutls_pubkey_t *out, const struct xe2e_cert *c,
		       gnutls_pubkey_t issuer_pub, struct xe2e_err *err)
{
	gnutls_datum_t p = { 0 }, q = { 0 }, g = { 0 }, y0 = { 0 };
	gnutls_datum_t y = { c->dsa_y.data, (unsigned)c->dsa_y.len };
	int rc = 0;

	if (!issuer_pub || gnutls_pubkey_get_pk_algorithm(issuer_pub, NULL) != GNUTLS_PK_DSA)
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate '%s': DSA key without parameters and no DSA issuer",
				    xe2e_cert_name(c));
	if (gnutls_pubkey_export_dsa_raw(issuer_pub, &p, &q, &g, &y0) < 0)
		rc = xe2e_err_set(err, XE2E_ECERT, "cannot read the issuer's DSA parameters");
	if (!rc && gnutls_pubkey_init(out) < 0)
		rc = xe2e_err_oom(err);
	else if (!rc && gnutls_pubkey_import_dsa_raw(*out, &p, &q, &g, &y) < 0) {
		gnutls_pubkey_deinit(*out);
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s': bad DSA key", xe2e_cert_name(c));
	}
	if (rc)
		*out = NULL;
	gnutls_free(p.data);
	gnutls_free(q.data);
	gnutls_free(g.data);
	gnutls_free(y0.data);
	return rc;
}

int xe2e_cert_pubkey(gnutls_pubkey_t *out, const struct xe2e_cert *c,
		     gnutls_pubkey_t issuer_pub, struct xe2e_err *err)
{
	gnutls_datum_t d = { c->spki.data, (unsigned)c->spki.len };

	*out = NULL;
	if (c->dsa_inherits)
		return dsa_inherit(out, c, issuer_pub, err);
	if (c->pk == GNUTLS_PK_UNKNOWN)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "certificate '%s': unsupported public key (%s)",
				    xe2e_cert_name(c), xe2e_oid_name(c->key_oid));
	if (c->key_refused)
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "certificate '%s': %s",
				    xe2e_cert_name(c), c->key_refused);
	if (gnutls_pubkey_init(out) < 0)
		return xe2e_err_oom(err);
	if (gnutls_pubkey_import(*out, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_pubkey_deinit(*out);
		*out = NULL;
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "certificate '%s': unusable public key",
				    xe2e_cert_name(c));
	}
	return 0;
}

int xe2e_cert_is(const struct xe2e_cert *c, const unsigned char *issuer, size_t ilen,
		 const unsigned char *serial, size_t slen)
{
	return c->issuer.len == ilen && !memcmp(c->issuer.data, issuer, ilen) &&
	       xe2e_der_int_equal(c->serial.data, c->serial.len, serial, slen);
}

int xe2e_cert_has_ski(const struct xe2e_cert *c, const unsigned char *ski, size_t len)
{
	return c->ski.len && c->ski.len == len && !memcmp(c->ski.data, ski, len);
}
