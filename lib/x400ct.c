/*
 * x400ct.c - X.400 content types, the IPM originator, application/x400-content
 * (x400ct.h).
 */
#include "x400ct.h"

#include <libtasn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "der.h"
#include "err.h"
#include "mime.h"
#include "x400.h"

/*
 * Built-in content types (X.411 BuiltInContentType, an INTEGER) and the
 * OBJECT IDENTIFIER each has as eContentType (RFC 3854 §3.2, §3.3 want
 * "the object identifier for the content type"; RFC 3854 has no table, so
 * the OIDs are the content standards' own message content types: X.420
 * IPMSObjectIdentifiers id-mct-p2-1984 {id-mct 0}, id-mct-p2-1988
 * {id-mct 1} with id-mct {2 6 1 10}; X.435 EDIMSObjectIdentifiers
 * id-mct-pedi {2 6 7 10 0}).  0 and 1 have no OID, nor has 40 (voice) that
 * we know of: give a dotted OID for any other content type.
 */
static const struct {
	int n;
	const char *oid, *name;
	int ipm;
} types[] = {
	{ 2, "2.6.1.10.0", "id-mct-p2-1984", 1 },
	{ 22, "2.6.1.10.1", "id-mct-p2-1988", 1 },
	{ 35, "2.6.7.10.0", "id-mct-pedi", 0 },
};

#define N_TYPES (sizeof(types) / sizeof(types[0]))

/* X.660 dotted form: arcs of decimal digits without leading zeros, at
 * least two, the first 0..2 and, under 0 and 1, the second under 40. */
static int dotted_ok(const char *s)
{
	unsigned long arc[2] = { 0, 0 };
	size_t arcs = 0, digits = 0, i, len = strlen(s);

	if (len == 0 || len >= XE2E_X400_OID_MAX)
		return 0;
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (!digits)
				return 0;
			arcs++;
			digits = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || (digits == 1 && s[i - 1] == '0') || ++digits > 18)
			return 0;
		if (arcs < 2)
			arc[arcs] = arc[arcs] * 10 + (unsigned long)(s[i] - '0');
	}
	return arcs >= 2 && arc[0] <= 2 && (arc[0] == 2 || arc[1] < 40);
}

int xe2e_x400_content_type(char oid[XE2E_X400_OID_MAX], const char *spec, struct xe2e_err *err)
{
	size_t i;
	char *end;
	long n;

	oid[0] = '\0';
	if (spec[0] >= '0' && spec[0] <= '9' && !strchr(spec, '.')) {
		n = strtol(spec, &end, 10);
		for (i = 0; !*end && i < N_TYPES; i++)
			if (types[i].n == n) {
				snprintf(oid, XE2E_X400_OID_MAX, "%s", types[i].oid);
				return 0;
			}
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "no OID is known for built-in content type '%.20s' (known: 2, 22, 35; or give a dotted OID)",
				    spec);
	}
	if (!dotted_ok(spec))
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "X.400 content type '%.80s' is neither a built-in integer nor a dotted OID", spec);
	/* a CMS or S/MIME content type is not X.400 content (RFC 3854 §2.4):
	 * labelling bytes so would make them a nested layer */
	if (!strncmp(spec, "1.2.840.113549.1.7.", 19) || !strncmp(spec, "1.2.840.113549.1.9.16.1.", 24))
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "'%.80s' is a CMS content type, not an X.400 content type", spec);
	snprintf(oid, XE2E_X400_OID_MAX, "%s", spec);
	return 0;
}

const char *xe2e_x400_content_name(const char *oid)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (!strcmp(types[i].oid, oid))
			return types[i].name;
	return NULL;
}

void xe2e_x400_content_spec(char spec[XE2E_X400_OID_MAX], const char *oid)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (!strcmp(types[i].oid, oid)) {
			snprintf(spec, XE2E_X400_OID_MAX, "%d", types[i].n);
			return;
		}
	snprintf(spec, XE2E_X400_OID_MAX, "%s", oid);
}

int xe2e_x400_is_ipm(const char *oid)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (!strcmp(types[i].oid, oid))
			return types[i].ipm;
	return 0;
}

/* The heading element that is the originator: [0] constructed. */
static int find_originator(size_t *start, size_t *end, asn1_node ipm, const unsigned char *p,
			   size_t len, struct xe2e_err *err)
{
	char name[64];
	size_t s, e;
	int i, n, rc, found = 0;

	rc = xe2e_der_count(ipm, "ipm.heading", &n, err);
	for (i = 1; !rc && i <= n; i++) {
		snprintf(name, sizeof(name), "ipm.heading.?%d", i);
		rc = xe2e_der_range(&s, &e, ipm, p, len, name, err);
		if (rc)
			break;
		/* X.420 Heading: originator [0] (constructed); only one */
		if ((p[s] & 0xdf) == 0x80 && p[s] != 0xa0)
			return xe2e_err_set(err, XE2E_EMALFORMED, "IPM heading: a primitive originator field");
		if (p[s] == 0xa0) {
			if (found)
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "IPM heading: more than one originator field");
			*start = s;
			*end = e;
			found = 1;
		}
	}
	return rc ? rc : found;
}

int xe2e_x400_ipm_originator(struct xe2e_buf *out, const unsigned char *p, size_t len,
			     struct xe2e_err *err)
{
	asn1_node ipm = NULL, od = NULL;
	struct xe2e_buf ora = XE2E_BUF_INIT;
	unsigned char hdr[16];
	size_t s = 0, e = 0, a, b, c, d;
	char sel[32];
	int rc, hl = 0, found = 0, len_sel = (int)sizeof(sel);

	xe2e_buf_reset(out);
	rc = xe2e_der_decode(&ipm, "XE2E.IPMInformationObject", p, len, "X.400 IPM content", err);
	if (!rc && asn1_read_value(ipm, "", sel, &len_sel) != ASN1_SUCCESS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "X.400 IPM content: neither an IPM nor an IPN");
	if (!rc && strcmp(sel, "ipm"))
		goto done;                   /* an IPN has no originator */
	if (!rc)
		rc = find_originator(&s, &e, ipm, p, len, err);
	if (rc <= 0)
		goto done;
	rc = xe2e_der_decode(&od, "XE2E.OriginatorField", p + s, e - s + 1, "IPM originator", err);
	if (!rc && !xe2e_der_present(od, "formal-name"))
		goto done;                   /* a free-form name only */
	/* the ORAddress components of the ORName, as an ORAddress SEQUENCE */
	if (!rc)
		rc = xe2e_der_range(&a, &b, od, p + s, e - s + 1, "formal-name.builtInStandardAttributes", err);
	d = b;
	if (!rc && xe2e_der_present(od, "formal-name.builtInDomainDefinedAttributes")) {
		rc = xe2e_der_range(&c, &d, od, p + s, e - s + 1,
				    "formal-name.builtInDomainDefinedAttributes", err);
	}
	if (!rc && xe2e_der_present(od, "formal-name.extensionAttributes"))
		rc = xe2e_der_range(&c, &d, od, p + s, e - s + 1, "formal-name.extensionAttributes", err);
	if (!rc) {
		hdr[0] = 0x30;
		asn1_length_der(d - a + 1, hdr + 1, &hl);
		rc = xe2e_buf_add(&ora, hdr, (size_t)hl + 1, err);
	}
	if (!rc)
		rc = xe2e_buf_add(&ora, p + s + a, d - a + 1, err);
	if (!rc)
		rc = xe2e_x400_to_text(out, ora.data, ora.len, err);
	if (rc && err)
		xe2e_err_set(err, err->code, "IPM originator: %s", err->msg);
	found = !rc;
done:
	asn1_delete_structure(&ipm);
	asn1_delete_structure(&od);
	xe2e_buf_release(&ora);
	return rc < 0 ? rc : found;
}

int xe2e_x400_entity_make(struct xe2e_buf *out, const char *spec, const unsigned char *p,
			  size_t len, struct xe2e_err *err)
{
	char oid[XE2E_X400_OID_MAX];
	int rc = xe2e_x400_content_type(oid, spec, err);

	if (!rc)
		rc = xe2e_buf_addf(out, err,
				   "Content-Type: application/x400-content; content-type=%s\r\n"
				   "Content-Transfer-Encoding: base64\r\n\r\n", spec);
	if (!rc)
		rc = xe2e_base64_encode(out, p, len, 76, err);
	return rc;
}

int xe2e_x400_entity_open(struct xe2e_buf *content, char oid[XE2E_X400_OID_MAX],
			  const unsigned char *p, size_t len, struct xe2e_err *err)
{
	struct xe2e_mime_part e;
	struct xe2e_buf v = XE2E_BUF_INIT, t = XE2E_BUF_INIT;
	char type[64];
	int rc;

	if (xe2e_mime_split(&e, p, len, NULL) ||
	    xe2e_mime_header(&v, &e, "Content-Type", NULL) != 1 ||
	    xe2e_mime_ctype(type, sizeof(type), (char *)v.data, NULL) ||
	    strcmp(type, "application/x400-content")) {
		xe2e_buf_release(&v);
		return 0;
	}
	rc = xe2e_mime_param(&t, (char *)v.data, "content-type", err);
	if (rc == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "application/x400-content without a content-type parameter");
	if (rc > 0)
		rc = xe2e_x400_content_type(oid, (char *)t.data, err);
	if (rc == -XE2E_EUSAGE)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "application/x400-content: %s", err->msg);
	if (!rc)
		rc = xe2e_mime_decode_body(content, &e, err);
	xe2e_buf_release(&v);
	xe2e_buf_release(&t);
	return rc ? rc : 1;
}
