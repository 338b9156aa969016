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
#include <limits.h>
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
	size_t cl;
	int rc;

	snprintf(name, sizeof(name), "?%d.?%d.type", i, j);
	if (xe2e_der_read_oid(oid, sizeof(oid), n, name, "Name", NULL))
		return -1;
	snprintf(name, sizeof(name), "?%d.?%d.value", i, j);
	if (xe2e_der_read(&v, n, name, "Name", NULL) || v.len < 2)
		return -1;
	rc = put(out, oid, strlen(oid));
	if (!rc && is_dirstring(v.data[0])) {
		const unsigned char *c = xe2e_der_contents(v.data, v.len, -1, &cl);

		if (!c)
			rc = -1;
		if (!rc) {
			norm(&nv, c, cl);
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
	     xe2e_buf_eq(&ca, &cb);
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
	const char *what = crl ? "CRL" : "certificate";
	asn1_node n = NULL;
	size_t start, end;
	int bits, rc;

	memset(s, 0, sizeof(*s));
	rc = xe2e_der_decode(&n, "XE2E.SignedShell", der, len, what, err);
	if (!rc)
		rc = xe2e_der_range(&start, &end, n, der, len, "tbs", err);
	if (!rc)
		rc = xe2e_buf_add(&s->tbs, der + start, end - start + 1, err);
	if (!rc)
		rc = xe2e_der_read_oid(s->sigalg, sizeof(s->sigalg), n,
				       "signatureAlgorithm.algorithm", "signature", err);
	if (!rc)
		rc = xe2e_der_read_bits(&s->sig, &bits, n, "signature", "signature", err);
	if (!rc && !xe2e_der_bits_ok(n, der, len, "signature"))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "%s: malformed signature BIT STRING", what);
	/* a signature that is not whole octets is a bad signature, not a
	 * malformed certificate (PKITS 4.1.2 flips the unused-bits octet) */
	s->sig_partial = !rc && bits % 8;
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

	if (s->sig_partial)
		return xe2e_err_set(err, XE2E_ECERT, "the signature is not a whole number of octets");
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

/* Append tag, DER length and the octets a then b to out. */
static int put_tlv(struct xe2e_buf *out, unsigned char tag, const unsigned char *a, size_t alen,
		   const unsigned char *b, size_t blen)
{
	unsigned char l[16];
	int ll = (int)sizeof(l);

	if (alen > UINT_MAX / 2 || blen > UINT_MAX / 2)
		return -1;
	asn1_length_der((unsigned long)(alen + blen), l, &ll);
	return xe2e_buf_addc(out, tag, NULL) || xe2e_buf_add(out, l, (size_t)ll, NULL) ||
	       xe2e_buf_add(out, a, alen, NULL) || xe2e_buf_add(out, b, blen, NULL) ? -1 : 0;
}

/* The extensions of a CRL or of an entry, read in one pass. */
#define MAX_EXTS 32
struct exts {
	int n;
	struct {
		char oid[128];
		int critical;
		struct xe2e_buf value;   /* extnValue's contents */
	} v[MAX_EXTS];
};

static void exts_release(struct exts *x)
{
	int i;

	for (i = 0; i < MAX_EXTS; i++)
		xe2e_buf_release(&x->v[i].value);
}

/* RFC 5280 §4.2, §5.2, §5.3: the extensions under `exts` into x (its
 * buffers reused): at most max, each OID once, each readable -- else -1
 * (malformed).  An unreadable critical flag reads as critical. */
static int read_extensions(struct exts *x, asn1_node n, const char *exts, int max)
{
	char name[160], crit[8];
	int count = 0, i, j, l;

	x->n = 0;
	if (xe2e_der_count(n, exts, &count, NULL) || count > max || count > MAX_EXTS)
		return -1;
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "%s.?%d.extnID", exts, i + 1);
		if (xe2e_der_read_oid(x->v[i].oid, sizeof(x->v[i].oid), n, name, "extension", NULL))
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(x->v[i].oid, x->v[j].oid))
				return -1;
		snprintf(name, sizeof(name), "%s.?%d.critical", exts, i + 1);
		l = sizeof(crit);
		/* absent, it reads as its DEFAULT FALSE */
		x->v[i].critical = !(asn1_read_value(n, name, crit, &l) == ASN1_SUCCESS &&
				     strcmp(crit, "TRUE"));
		snprintf(name, sizeof(name), "%s.?%d.extnValue", exts, i + 1);
		if (xe2e_der_read(&x->v[i].value, n, name, "extension", NULL))
			return -1;
		x->n = i + 1;
	}
	return 0;
}

static int read_bool(asn1_node n, const char *name)
{
	char v[8];
	int l = sizeof(v);

	return asn1_read_value(n, name, v, &l) == ASN1_SUCCESS && !strcmp(v, "TRUE");
}

/* A ReasonFlags BIT STRING at name as XE2E_ALL_REASONS bits; -1 if it
 * does not decode. */
static int reason_flags(unsigned *out, asn1_node n, const char *name)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	int bits = 0, k;

	*out = 0;
	if (xe2e_der_read_bits(&b, &bits, n, name, "reasons", NULL)) {
		xe2e_buf_release(&b);
		return -1;
	}
	for (k = 0; k < bits && k < 9 && (size_t)k / 8 < b.len; k++)
		if (b.data[k / 8] & (0x80 >> (k % 8)))
			*out |= 1u << k;
	xe2e_buf_release(&b);
	return 0;
}

/* Two GeneralNames lists (raw, SEQUENCE OF) share a name; directory
 * names compare by §7.1, others byte for byte. */
static int general_names_meet(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	struct xe2e_buf x = XE2E_BUF_INIT, y = XE2E_BUF_INIT;
	asn1_node na = NULL, nb = NULL;
	char name[16];
	int n1 = 0, n2 = 0, i, j, hit = 0;
	size_t c1, c2;

	if (xe2e_buf_eq(a, b))
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
			if (xe2e_buf_eq(&x, &y)) {
				hit = 1;
			} else if (x.len > 2 && y.len > 2 && x.data[0] == 0xa4 && y.data[0] == 0xa4) {
				/* directoryName [4] EXPLICIT Name */
				const unsigned char *cx = xe2e_der_contents(x.data, x.len, 0xa4, &c1);
				const unsigned char *cy = xe2e_der_contents(y.data, y.len, 0xa4, &c2);

				hit = cx && cy && xe2e_x509_name_equal(cx, c1, cy, c2);
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

/* A DistributionPointName (raw, EXPLICIT-tagged CHOICE) as a FullName
 * ([0] GeneralNames): fullName as it is; nameRelativeToCRLIssuer is the
 * CRL issuer's Name `base` with that RDN appended, a directoryName
 * (RFC 5280 §4.2.1.13, §5.2.5).  0, or -1 for a form we cannot read. */
static int dp_full_name(struct xe2e_buf *out, const struct xe2e_buf *dpn,
			const struct xe2e_buf *base)
{
	struct xe2e_buf name = XE2E_BUF_INIT, dir = XE2E_BUF_INIT;
	const unsigned char *rdn, *rdns;
	size_t rlen, blen;
	int rc = -1;

	xe2e_buf_reset(out);
	if (xe2e_der_contents(dpn->data, dpn->len, 0xa0, &rlen))
		return xe2e_buf_add(out, dpn->data, dpn->len, NULL) ? -1 : 0;
	rdn = xe2e_der_contents(dpn->data, dpn->len, 0xa1, &rlen);
	rdns = base ? xe2e_der_contents(base->data, base->len, 0x30, &blen) : NULL;
	if (!rdn || !rdns || !rlen)
		return -1;
	/* SEQUENCE { base's RDNs, SET { the RDN's attributes } } */
	if (!put_tlv(&dir, 0x31, rdn, rlen, NULL, 0) &&
	    !put_tlv(&name, 0x30, rdns, blen, dir.data, dir.len)) {
		xe2e_buf_reset(&dir);
		if (!put_tlv(&dir, 0xa4, name.data, name.len, NULL, 0) &&
		    !put_tlv(out, 0xa0, dir.data, dir.len, NULL, 0))
			rc = 0;
	}
	xe2e_buf_release(&name);
	xe2e_buf_release(&dir);
	return rc;
}

/* Does `names` (a fullName: [0] GeneralNames) name the CRL issuer? */
static int names_crl_issuer(const struct xe2e_crl *c, const struct xe2e_buf *names)
{
	struct xe2e_buf mine = XE2E_BUF_INIT, one = XE2E_BUF_INIT;
	int hit = 0;

	if (!put_tlv(&mine, 0xa4, c->issuer.data, c->issuer.len, NULL, 0) &&
	    !put_tlv(&one, 0xa0, mine.data, mine.len, NULL, 0))
		hit = general_names_meet(names, &one);
	xe2e_buf_release(&mine);
	xe2e_buf_release(&one);
	return hit;
}

/* RFC 5280 §5.2.5: the scope of the CRL (the caller keeps the extension
 * value in c->idp).  Attribute-certificate CRLs and one that does not
 * decode are unusable (the reason returned). */
static const char *parse_idp(struct xe2e_crl *c)
{
	asn1_node idp = NULL;
	const char *why = NULL;

	c->some_reasons = XE2E_ALL_REASONS;
	if (xe2e_der_decode(&idp, "XE2E.IssuingDistributionPoint", c->idp.data, c->idp.len, "IDP",
			    NULL))
		return "its issuing distribution point is malformed";
	c->only_user = read_bool(idp, "onlyContainsUserCerts");
	c->only_ca = read_bool(idp, "onlyContainsCACerts");
	c->indirect = read_bool(idp, "indirectCRL");
	if (xe2e_der_present(idp, "distributionPoint")) {
		struct xe2e_buf raw = XE2E_BUF_INIT;

		if (xe2e_der_read(&raw, idp, "distributionPoint", "IDP", NULL))
			why = "its issuing distribution point is malformed";
		/* as a fullName once, the form points are compared in */
		c->idp_named = why || dp_full_name(&c->idp_name, &raw, &c->issuer) ? -1 : 1;
		xe2e_buf_release(&raw);
	}
	if (!why && xe2e_der_present(idp, "onlySomeReasons") &&
	    reason_flags(&c->some_reasons, idp, "onlySomeReasons"))
		why = "its issuing distribution point is malformed";
	else if (!why && read_bool(idp, "onlyContainsAttributeCerts"))
		why = "it is for attribute certificates";
	else if (!why && c->only_user + c->only_ca > 1)   /* §5.2.5: at most one */
		why = "its issuing distribution point is malformed";
	asn1_delete_structure(&idp);
	return why;
}

/* A CRLNumber / BaseCRLNumber extension value v (§5.2.3-§5.2.4: 0..MAX,
 * at most 20 octets) as minimal content octets in out; 0, or -1 bad. */
static int crl_number(struct xe2e_buf *out, const struct xe2e_buf *v)
{
	asn1_node n = NULL;
	unsigned char num[32];
	const unsigned char *p = num;
	size_t l;
	int rc = 0, nl = sizeof(num);

	if (xe2e_der_decode(&n, "XE2E.CRLNumber", v->data, v->len, "CRL number", NULL) ||
	    asn1_read_value(n, "", num, &nl) != ASN1_SUCCESS || nl < 1 || nl > 21 || (num[0] & 0x80))
		rc = -1;
	l = (size_t)nl;
	if (!rc) {
		xe2e_der_int_minimal(&p, &l);
		rc = xe2e_buf_add(out, p, l, NULL) ? -1 : 0;
	}
	asn1_delete_structure(&n);
	return rc;
}

/* RFC 5280 §5.2 over the CRL's extensions x: cRLNumber, deltaCRLIndicator
 * and issuingDistributionPoint read; why the CRL is unusable (an unknown
 * critical extension -- a critical cRLNumber is known -- or one of ours
 * that does not decode), or NULL. */
static const char *crl_extensions(struct xe2e_crl *c, const struct exts *x)
{
	/* processed, or harmless to ignore: authorityKeyIdentifier, freshestCRL */
	static const char *const known[] = { "2.5.29.35", "2.5.29.46", NULL };
	const char *why = NULL, *w;
	int i, k;

	for (i = 0; i < x->n; i++) {
		const char *oid = x->v[i].oid;
		const struct xe2e_buf *v = &x->v[i].value;

		w = NULL;
		if (!strcmp(oid, "2.5.29.20")) {
			if (crl_number(&c->number, v))
				w = "its cRLNumber is malformed";
		} else if (!strcmp(oid, "2.5.29.27")) {   /* §5.2.4 */
			c->delta = 1;
			if (crl_number(&c->base, v))
				w = "its deltaCRLIndicator is malformed";
		} else if (!strcmp(oid, "2.5.29.28")) {   /* §5.2.5 */
			w = xe2e_buf_add(&c->idp, v->data, v->len, NULL)
				    ? "its issuing distribution point is malformed" : parse_idp(c);
		} else {
			for (k = 0; known[k] && strcmp(oid, known[k]); k++)
				;
			if (!known[k] && x->v[i].critical)
				why = "it has an unknown critical extension";
		}
		if (w && !why)   /* an unknown critical extension is the reason given */
			why = w;
	}
	return why;
}

int xe2e_crl_number_cmp(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->len ? memcmp(a->data, b->data, a->len) : 0;
}

/* One TLV at *p (before end) with a one-octet tag and a definite length:
 * its tag, contents and the octet after it; -1 when there is none. */
static int tlv(const unsigned char **p, const unsigned char *end, unsigned char *tag,
	       const unsigned char **cont, size_t *clen)
{
	const unsigned char *q = *p;
	size_t avail = (size_t)(end - q), l = 0, ll = 1, k, i;

	/* X.690 §8.1.3: definite length, short or long form (at most 4 octets,
	 * all of them present) */
	if (end < q || avail < 2 || (q[0] & 0x1f) == 0x1f)
		return -1;
	if (q[1] < 0x80) {
		l = q[1];
	} else {
		k = q[1] & 0x7f;
		if (k == 0 || k > 4 || avail < 2 + k)
			return -1;
		for (i = 0; i < k; i++)
			l = l << 8 | q[2 + i];
		ll = 1 + k;
	}
	if (l > avail - 1 - ll)
		return -1;
	*tag = q[0];
	*cont = q + 1 + ll;
	*clen = l;
	*p = *cont + l;
	return 0;
}

/* X.680 UTCTime / GeneralizedTime contents as RFC 5280 §4.1.2.5 allows. */
static int time_ok(unsigned char tag, const unsigned char *v, size_t len)
{
	char t[20];
	time_t x;

	if (len >= sizeof(t) || (tag != 0x17 && tag != 0x18))
		return 0;
	memcpy(t, v, len);
	t[len] = '\0';
	return !xe2e_time_parse_asn1(&x, t, tag == 0x18, NULL);
}

static int serial_cmp(const void *a, const void *b, void *base)
{
	const struct xe2e_crl_serial *x = a, *y = b;
	const unsigned char *t = base;

	int d;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	d = memcmp(t + x->off, t + y->off, x->len);
	return d ? d : (int)x->issuer - (int)y->issuer;
}

#define MAX_ENTRY_ISSUERS 65535   /* certificateIssuer extensions in one CRL */

/* §5.3.3: the certificateIssuer names of an entry (GeneralNames DER at
 * v): its first directoryName, canonical, appended to c->entry_issuers;
 * one without a directoryName names no issuer of a certificate (an empty
 * canonical form matches none).  -1 if it does not decode. */
static int entry_issuer(struct xe2e_crl *c, const unsigned char *v, size_t vl)
{
	struct xe2e_buf g = XE2E_BUF_INIT, canon = XE2E_BUF_INIT, *t;
	asn1_node n = NULL;
	char name[16];
	const unsigned char *dn;
	size_t dl;
	int count = 0, i, rc = 0;

	if (c->n_entry_issuers >= MAX_ENTRY_ISSUERS ||
	    xe2e_der_decode(&n, "XE2E.GeneralNames", v, vl, "certificateIssuer", NULL) ||
	    xe2e_der_count(n, "", &count, NULL) || count < 1)
		rc = -1;
	for (i = 1; !rc && i <= count && !canon.len; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		if (xe2e_der_read(&g, n, name, "certificateIssuer", NULL))
			rc = -1;
		else if (g.len && g.data[0] == 0xa4 &&
			 (!(dn = xe2e_der_contents(g.data, g.len, 0xa4, &dl)) ||
			  xe2e_x509_name_canon(&canon, dn, dl)))
			rc = -1;
	}
	if (!rc && !(t = realloc(c->entry_issuers, (c->n_entry_issuers + 1) * sizeof(*t))))
		rc = -1;
	if (!rc) {
		c->entry_issuers = t;
		c->entry_issuers[c->n_entry_issuers++] = canon;
	} else {
		xe2e_buf_release(&canon);
	}
	asn1_delete_structure(&n);
	xe2e_buf_release(&g);
	return rc;
}

/* The extensions x of one entry (§5.3): its reason and, for an indirect
 * CRL, the certificate issuer from this entry on (*issuer); an unknown
 * critical one noted in *unknown.  -1 if malformed. */
static int entry_extensions(struct xe2e_crl *c, const struct exts *x, uint8_t *reason,
			    uint16_t *issuer, int *unknown)
{
	asn1_node r = NULL;
	int i, rc = 0, val;

	if (x->n < 1)   /* SEQUENCE SIZE (1..MAX) */
		return -1;
	for (i = 0; !rc && i < x->n; i++) {
		const char *oid = x->v[i].oid;
		const struct xe2e_buf *v = &x->v[i].value;

		if (!strcmp(oid, "2.5.29.21")) {   /* §5.3.1 reasonCode */
			if (xe2e_der_decode(&r, "XE2E.CRLReason", v->data, v->len, "reasonCode", NULL) ||
			    xe2e_der_read_uint(&val, r, "", "reasonCode", NULL) || val > 10 || val == 7)
				rc = -1;
			else
				*reason = (uint8_t)val;
			asn1_delete_structure(&r);
		} else if (!strcmp(oid, "2.5.29.29")) {   /* §5.3.3 certificateIssuer */
			if (entry_issuer(c, v->data, v->len))
				rc = -1;
			else
				*issuer = (uint16_t)c->n_entry_issuers;
		} else if (strcmp(oid, "2.5.29.24") && x->v[i].critical) {   /* invalidityDate */
			*unknown = 1;
		}
	}
	return rc;
}

/*
 * RFC 5280 §5.1.2.6 revokedCertificates (contents at p, len octets, inside
 * the TBSCertList in c->s.tbs): each entry checked for its form, its serial
 * kept as an offset into c->s.tbs (minimal form, sorted: one binary search
 * per lookup), and only an entry with extensions decoded -- a million
 * entries cost a few megabytes, never a tree of every entry.
 */
static int crl_entries(struct xe2e_crl *c, const unsigned char *p, size_t len,
		       struct xe2e_err *err)
{
	const unsigned char *q = p, *end = p + len, *e, *eend, *v, *ent;
	size_t n = 0, cap = 0, vl, el;
	unsigned char tag;
	asn1_node en = NULL;
	uint16_t issuer = 0;   /* §5.3.3: the CRL issuer until an entry names another */
	size_t at = 0;         /* the entry being read, from 1 */
	int unknown = 0, bad;
	struct exts *x = calloc(1, sizeof(*x));   /* one for every entry: buffers reused */

	if (!x)
		return xe2e_err_oom(err);

	while (q < end) {
		at++;
		ent = q;
		if (tlv(&q, end, &tag, &e, &el) || tag != 0x30)
			goto bad;
		eend = e + el;
		/* userCertificate INTEGER, revocationDate Time, crlEntryExtensions? */
		if (tlv(&e, eend, &tag, &v, &vl) || tag != 0x02 || vl == 0 || vl > 64)
			goto bad;
		if (n == cap) {
			struct xe2e_crl_serial *t;

			cap = cap ? cap * 2 : 64;
			t = realloc(c->serials, cap * sizeof(*t));
			if (!t) {
				exts_release(x);
				free(x);
				return xe2e_err_oom(err);
			}
			c->serials = t;
		}
		xe2e_der_int_minimal(&v, &vl);
		c->serials[n].off = (uint32_t)(v - c->s.tbs.data);
		c->serials[n].len = (uint32_t)vl;
		c->serials[n].reason = 0;
		c->serials[n++].issuer = issuer;
		if (tlv(&e, eend, &tag, &v, &vl) || !time_ok(tag, v, vl))
			goto bad;
		if (e == eend)
			continue;
		if (tlv(&e, eend, &tag, &v, &vl) || tag != 0x30 || e != eend)
			goto bad;
		if (xe2e_der_decode(&en, "XE2E.RevokedCertificate", ent, (size_t)(q - ent), "CRL entry",
				    NULL))
			goto bad;
		/* §5.3: at most 16, each once */
		bad = read_extensions(x, en, "crlEntryExtensions", 16) ||
		      entry_extensions(c, x, &c->serials[n - 1].reason, &issuer, &unknown);
		c->serials[n - 1].issuer = issuer;
		asn1_delete_structure(&en);
		if (bad)
			goto bad;
	}
	if (n > INT_MAX)
		goto bad;
	exts_release(x);
	free(x);
	if (unknown && !c->unusable)   /* §5.3: fail closed */
		c->unusable = "an entry has an unknown critical extension";
	c->n_revoked = (int)n;
	if (n)
		qsort_r(c->serials, n, sizeof(*c->serials), serial_cmp, c->s.tbs.data);
	return 0;
bad:
	exts_release(x);
	free(x);
	return xe2e_err_set(err, XE2E_EMALFORMED, "CRL: malformed revoked certificate entry %zu",
			    at);
}

int xe2e_crl_parse(struct xe2e_crl *c, const unsigned char *der, size_t len,
		   struct xe2e_err *err)
{
	struct xe2e_buf rest = XE2E_BUF_INIT;
	const unsigned char *p, *end, *body, *at[9], *cont[8];
	size_t blen, clen[8], n = 0, i = 0, r = 0;
	unsigned char tag[8];
	int rc;

	memset(c, 0, sizeof(*c));
	rc = xe2e_buf_add(&c->der, der, len, err);
	xe2e_digest(xe2e_digest_by_name("sha256"), der, len, c->sha256);
	if (!rc)
		rc = xe2e_x509_split_signed(&c->s, der, len, 1, err);
	if (rc)
		goto out;
	/* §5.1.2: [version], signature, issuer, thisUpdate, [nextUpdate],
	 * [revokedCertificates], [0] crlExtensions -- the list is cut out
	 * and read by crl_entries, the rest decoded as usual */
	p = c->s.tbs.data;
	end = p + c->s.tbs.len;
	if (tlv(&p, end, &tag[0], &body, &blen) || tag[0] != 0x30 || p != end)
		goto bad;
	p = body;
	end = body + blen;
	for (n = 0; p < end; n++) {
		if (n == 8)
			goto bad;
		at[n] = p;
		if (tlv(&p, end, &tag[n], &cont[n], &clen[n]))
			goto bad;
	}
	at[n] = end;
	if (i < n && tag[i] == 0x02)
		i++;
	if (i + 3 > n || tag[i] != 0x30 || tag[i + 1] != 0x30 || (tag[i + 2] != 0x17 && tag[i + 2] != 0x18))
		goto bad;
	i += 3;
	if (i < n && (tag[i] == 0x17 || tag[i] == 0x18))
		i++;
	if (i < n && tag[i] == 0x30)
		r = i++;
	if (i < n && tag[i] == 0xa0)
		i++;
	if (i != n)
		goto bad;
	if (r) {
		rc = put_tlv(&rest, 0x30, body, (size_t)(at[r] - body), at[r + 1],
			     (size_t)(end - at[r + 1]));
		if (rc)
			rc = xe2e_err_oom(err);
		if (!rc)
			rc = crl_entries(c, cont[r], clen[r], err);
	} else {
		rc = xe2e_buf_add(&rest, c->s.tbs.data, c->s.tbs.len, err);
	}
	if (!rc)
		rc = xe2e_der_decode(&c->node, "XE2E.TBSCertList", rest.data, rest.len, "CRL", err);
	if (!rc)
		rc = xe2e_der_read(&c->issuer, c->node, "issuer", "CRL", err);
	if (!rc && xe2e_x509_name_canon(&c->issuer_canon, c->issuer.data, c->issuer.len))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "CRL: bad issuer name");
	if (!rc)
		rc = xe2e_der_read_time(&c->this_update, c->node, "thisUpdate", "CRL", err);
	if (!rc && xe2e_der_present(c->node, "nextUpdate")) {
		rc = xe2e_der_read_time(&c->next_update, c->node, "nextUpdate", "CRL", err);
		c->has_next = 1;
	}
	if (rc)
		goto out;
	c->some_reasons = XE2E_ALL_REASONS;
	if (xe2e_der_present(c->node, "crlExtensions")) {
		struct exts *x = calloc(1, sizeof(*x));
		const char *why;

		/* §5.2: each extension once, all readable, else malformed */
		if (!x || read_extensions(x, c->node, "crlExtensions", MAX_EXTS)) {
			rc = x ? xe2e_err_set(err, XE2E_EMALFORMED,
					      "CRL: a duplicate or unreadable extension, or too many")
			       : xe2e_err_oom(err);
		} else if ((why = crl_extensions(c, x)) != NULL && !c->unusable) {
			c->unusable = why;
		}
		if (x)
			exts_release(x);
		free(x);
		if (rc)
			goto out;
	}
	/* §5.3.3: only an indirect CRL names other certificate issuers */
	if (c->n_entry_issuers && !c->indirect && !c->unusable)
		c->unusable = "an entry names a certificate issuer but the CRL is not indirect";
	goto out;
bad:
	rc = xe2e_err_set(err, XE2E_EMALFORMED, "CRL: malformed tbsCertList");
out:
	xe2e_buf_release(&rest);
	if (rc)
		xe2e_crl_release(c);
	return rc;
}

int xe2e_dps_parse(struct xe2e_dps *out, const unsigned char *der, size_t len,
		   struct xe2e_err *err)
{
	asn1_node n = NULL;
	char name[48];
	size_t a, b, clen;
	const unsigned char *p;
	int count = 0, k, rc;

	memset(out, 0, sizeof(*out));
	rc = xe2e_der_decode(&n, "XE2E.CRLDistributionPoints", der, len, "cRLDistributionPoints", err);
	if (!rc)
		rc = xe2e_der_count(n, "", &count, err);
	if (!rc && (count < 1 || count > XE2E_MAX_DPS))   /* SEQUENCE SIZE (1..MAX) */
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "cRLDistributionPoints: %s",
				  count ? "more than 32 distribution points" : "empty");
	if (!rc && !(out->v = calloc((size_t)count, sizeof(*out->v))))
		rc = xe2e_err_oom(err);
	for (k = 1; !rc && k <= count; k++) {
		struct xe2e_dp *dp = &out->v[out->n++];

		dp->reasons = XE2E_ALL_REASONS;
		snprintf(name, sizeof(name), "?%d.reasons", k);
		if (xe2e_der_present(n, name) && reason_flags(&dp->reasons, n, name))
			rc = -1;
		snprintf(name, sizeof(name), "?%d.distributionPoint", k);
		if (!rc && xe2e_der_present(n, name) && xe2e_der_read(&dp->name, n, name, "CRLDP", NULL))
			rc = -1;
		/* the [2] IMPLICIT GeneralNames kept as a fullName, the form
		 * names are compared in */
		snprintf(name, sizeof(name), "?%d.cRLIssuer", k);
		if (!rc && xe2e_der_present(n, name) &&
		    (xe2e_der_range(&a, &b, n, der, len, name, NULL) || b < a || b >= len ||
		     !(p = xe2e_der_contents(der + a, b - a + 1, 0xa2, &clen)) ||
		     put_tlv(&dp->crl_issuer, 0xa0, p, clen, NULL, 0)))
			rc = -1;
		/* §4.2.1.13: never the reasons alone */
		if (!rc && !dp->name.len && !dp->crl_issuer.len)
			rc = -1;
		if (rc == -1)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "cRLDistributionPoints: distribution point %d is malformed", k);
	}
	asn1_delete_structure(&n);
	if (rc)
		xe2e_dps_release(out);
	return rc;
}

void xe2e_dps_release(struct xe2e_dps *d)
{
	while (d->n) {
		xe2e_buf_release(&d->v[--d->n].name);
		xe2e_buf_release(&d->v[d->n].crl_issuer);
	}
	free(d->v);
	d->v = NULL;
}

int xe2e_crl_covers_dp(const struct xe2e_crl *c, const struct xe2e_dp *dp,
		       const struct xe2e_buf *cert_issuer,
		       const struct xe2e_buf *cert_issuer_canon)
{
	struct xe2e_buf have = XE2E_BUF_INIT;
	int rc;

	/* no extension: one point, the certificate's issuer, all reasons; a
	 * CRL partitioned by distribution point is not it */
	if (!dp)
		return xe2e_buf_eq(&c->issuer_canon, cert_issuer_canon) && !c->idp_named;
	/* (b)(1): a point with a cRLIssuer is served by that issuer's
	 * indirect CRL (§4.2.1.13); else by the certificate's issuer */
	if (dp->crl_issuer.len ? !c->indirect || !names_crl_issuer(c, &dp->crl_issuer)
			       : !xe2e_buf_eq(&c->issuer_canon, cert_issuer_canon))
		return 0;
	if (c->idp_named <= 0)
		return c->idp_named < 0 ? -1 : 1;
	/* (b)(2)(i); §4.2.1.13: a relative name is relative to the cRLIssuer
	 * (which names this CRL's issuer), else to the certificate's issuer */
	if (!dp->name.len)
		return general_names_meet(&dp->crl_issuer, &c->idp_name);
	rc = dp_full_name(&have, &dp->name, dp->crl_issuer.len ? &c->issuer : cert_issuer) ? -1
		: general_names_meet(&have, &c->idp_name);
	xe2e_buf_release(&have);
	return rc;
}

void xe2e_crl_release(struct xe2e_crl *c)
{
	free(c->serials);
	c->serials = NULL;
	c->n_revoked = 0;
	xe2e_buf_release(&c->issuer_canon);
	xe2e_buf_release(&c->idp_name);
	xe2e_buf_release(&c->idp);
	xe2e_buf_release(&c->number);
	xe2e_buf_release(&c->base);
	while (c->n_entry_issuers)
		xe2e_buf_release(&c->entry_issuers[--c->n_entry_issuers]);
	free(c->entry_issuers);
	c->entry_issuers = NULL;
	xe2e_buf_release(&c->der);
	xe2e_signed_release(&c->s);
	xe2e_buf_release(&c->issuer);
	asn1_delete_structure(&c->node);
}

/* Is entry e about a certificate of issuer canon? */
static int entry_for(const struct xe2e_crl *c, const struct xe2e_crl_serial *e,
		     const struct xe2e_buf *canon)
{
	const struct xe2e_buf *who = e->issuer ? &c->entry_issuers[e->issuer - 1] : &c->issuer_canon;

	return xe2e_buf_eq(who, canon);
}

int xe2e_crl_entry(const struct xe2e_crl *c, const struct xe2e_buf *issuer_canon,
		   const unsigned char *serial, size_t len)
{
	size_t lo = 0, hi = (size_t)c->n_revoked, mid, k;
	const struct xe2e_crl_serial *e;
	int d;

	/* serials compare as numbers: a non-minimal encoding hides nothing */
	xe2e_der_int_minimal(&serial, &len);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = &c->serials[mid];
		d = e->len != len ? (e->len < len ? -1 : 1) : memcmp(c->s.tbs.data + e->off, serial, len);
		if (d < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	/* lo: the first entry with this serial; one per issuer follows */
	for (k = lo; k < (size_t)c->n_revoked; k++) {
		e = &c->serials[k];
		if (e->len != len || memcmp(c->s.tbs.data + e->off, serial, len))
			break;
		if (entry_for(c, e, issuer_canon))
			return e->reason;
	}
	return -1;
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
