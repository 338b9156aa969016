/*
 * der.c - libtasn1 helpers (see der.h).  X.690 BER/DER via libtasn1 only.
 */
#include "der.h"
#include "datetime.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

extern const asn1_static_node xe2e_asn1_tab[];

static asn1_node defs;

static int load_defs(struct xe2e_err *err)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	if (defs)
		return 0;
	if (asn1_array2tree(xe2e_asn1_tab, &defs, msg) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "ASN.1 module: %s", msg);
	return 0;
}

int xe2e_der_new(asn1_node *out, const char *type, struct xe2e_err *err)
{
	int rc = load_defs(err);

	*out = NULL;
	if (rc)
		return rc;
	if (asn1_create_element(defs, type, out) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "cannot create ASN.1 type '%s'", type);
	return 0;
}

int xe2e_der_decode(asn1_node *out, const char *type, const unsigned char *p,
		    size_t len, const char *what, struct xe2e_err *err)
{
	int rc, ilen;

	rc = xe2e_der_new(out, type, err);
	if (rc)
		return rc;
	if (len > INT_MAX || len == 0) {
		asn1_delete_structure(out);
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: %s", what,
				    len ? "too large" : "empty");
	}
	ilen = (int)len;
	rc = asn1_der_decoding2(out, p, &ilen, 0, NULL);
	if (rc != ASN1_SUCCESS) {
		asn1_delete_structure(out);
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: not valid BER/DER (%s)",
				    what, asn1_strerror(rc));
	}
	if ((size_t)ilen != len) {
		asn1_delete_structure(out);
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "%s: %zu bytes of trailing data", what,
				    len - (size_t)ilen);
	}
	return 0;
}

int xe2e_der_encode(struct xe2e_buf *out, asn1_node node, const char *name,
		    struct xe2e_err *err)
{
	int n = 0, rc;
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	rc = asn1_der_coding(node, name, NULL, &n, msg);
	if (rc != ASN1_MEM_ERROR && rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "DER encoding of '%s': %s",
				    msg[0] ? msg : name, asn1_strerror(rc));
	rc = xe2e_buf_grow(out, (size_t)n, err);
	if (rc)
		return rc;
	rc = asn1_der_coding(node, name, out->data + out->len, &n, msg);
	if (rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "DER encoding of '%s': %s",
				    msg[0] ? msg : name, asn1_strerror(rc));
	out->len += (size_t)n;
	out->data[out->len] = '\0';
	return 0;
}

int xe2e_der_read_bits(struct xe2e_buf *out, int *bits, asn1_node node, const char *name,
		       const char *what, struct xe2e_err *err)
{
	unsigned etype = 0;
	int n = 0, rc;

	xe2e_buf_reset(out);
	if (bits)
		*bits = 0;
	rc = asn1_read_value_type(node, name, NULL, &n, &etype);
	if (rc == ASN1_SUCCESS && n == 0)
		return xe2e_buf_grow(out, 0, err);
	if (rc != ASN1_MEM_ERROR || n < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: missing %s", what, name);
	rc = xe2e_buf_grow(out, (size_t)n, err);
	if (rc)
		return rc;
	rc = asn1_read_value(node, name, out->data, &n);
	if (rc != ASN1_SUCCESS || n < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: cannot read %s", what, name);
	if (etype == ASN1_ETYPE_BIT_STRING) {
		if (bits)
			*bits = n;
		n = (n + 7) / 8;
	}
	out->len = (size_t)n;
	out->data[out->len] = '\0';
	return 0;
}

int xe2e_der_bits_ok(asn1_node node, const unsigned char *der, size_t len, const char *name)
{
	size_t a = 0, b = 0, hl;

	/* X.690 §8.6.2.2-3: an unused-bits octet of 0..7, 0 when there are no
	 * bits (libtasn1 takes 8 and more and drops octets) */
	if (xe2e_der_range(&a, &b, node, der, len, name, NULL) || b < a || b >= len || der[a] != 0x03 ||
	    b - a < 2)
		return 0;
	hl = der[a + 1] < 0x80 ? 2 : 2 + (size_t)(der[a + 1] & 0x7f);
	if (a + hl > b)
		return 0;
	return der[a + hl] <= 7 && (a + hl < b || der[a + hl] == 0);
}

int xe2e_der_read(struct xe2e_buf *out, asn1_node node, const char *name,
		  const char *what, struct xe2e_err *err)
{
	return xe2e_der_read_bits(out, NULL, node, name, what, err);
}

int xe2e_der_present(asn1_node node, const char *name)
{
	/* after decoding, libtasn1 removes the nodes of absent OPTIONALs */
	return asn1_find_node(node, name) != NULL;
}

int xe2e_der_read_oid(char *oid, size_t size, asn1_node node, const char *name,
		      const char *what, struct xe2e_err *err)
{
	int n = (int)size, rc;

	rc = asn1_read_value(node, name, oid, &n);
	if (rc != ASN1_SUCCESS || n <= 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: missing or bad %s",
				    what, name);
	oid[size - 1] = '\0';
	/* libtasn1 cuts a longer OID to 127 characters without saying so:
	 * one that long may be another OID's prefix (fail closed) */
	if (strlen(oid) >= 127 || strlen(oid) + 1 >= size)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: object identifier too long in %s",
				    what, name);
	return 0;
}

int xe2e_der_read_uint(int *out, asn1_node node, const char *name,
		       const char *what, struct xe2e_err *err)
{
	unsigned char v[8];
	int n = sizeof(v), rc, i;
	long x = 0;

	rc = asn1_read_value(node, name, v, &n);
	if (rc != ASN1_SUCCESS || n < 1 || n > 4 || (v[0] & 0x80))
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad %s", what, name);
	for (i = 0; i < n; i++)
		x = (x << 8) | v[i];
	if (x > INT_MAX)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad %s", what, name);
	*out = (int)x;
	return 0;
}

int xe2e_der_write(asn1_node node, const char *name, const void *val,
		   size_t len, struct xe2e_err *err)
{
	int rc;

	if (len > INT_MAX)
		return xe2e_err_set(err, XE2E_EIO, "value for '%s' too large", name);
	rc = asn1_write_value(node, name, val, (int)len);
	if (rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "cannot set ASN.1 '%s': %s", name,
				    asn1_strerror(rc));
	return 0;
}

int xe2e_der_count(asn1_node node, const char *name, int *n,
		   struct xe2e_err *err)
{
	int rc = asn1_number_of_elements(node, name, n);

	if (rc == ASN1_ELEMENT_NOT_FOUND) {
		*n = 0;
		return 0;
	}
	if (rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "cannot count '%s'", name);
	return 0;
}

int xe2e_der_range(size_t *start, size_t *end, asn1_node node,
		   const unsigned char *der, size_t len, const char *name,
		   struct xe2e_err *err)
{
	int s, e, rc;

	if (len > INT_MAX)
		return xe2e_err_set(err, XE2E_EMALFORMED, "input too large");
	rc = asn1_der_decoding_startEnd(node, der, (int)len, name, &s, &e);
	if (rc != ASN1_SUCCESS || s < 0 || e < s || (size_t)e >= len)
		return xe2e_err_set(err, XE2E_EMALFORMED, "cannot locate '%s'", name);
	*start = (size_t)s;
	*end = (size_t)e;
	return 0;
}

int xe2e_der_simple(struct xe2e_buf *out, unsigned etype, const void *p,
		    size_t len, struct xe2e_err *err)
{
	unsigned char tl[ASN1_MAX_TL_SIZE];
	unsigned tl_len = sizeof(tl);
	int rc;

	if (len > UINT_MAX)
		return xe2e_err_set(err, XE2E_EIO, "value too large");
	rc = asn1_encode_simple_der(etype, p, (unsigned)len, tl, &tl_len);
	if (rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "DER encoding: %s", asn1_strerror(rc));
	rc = xe2e_buf_add(out, tl, tl_len, err);
	if (rc)
		return rc;
	return xe2e_buf_add(out, p, len, err);
}

int xe2e_der_octets_ber(struct xe2e_buf *out, size_t *used,
			const unsigned char *p, size_t len, const char *what,
			struct xe2e_err *err)
{
	unsigned char *s = NULL;
	unsigned slen = 0, blen = 0;
	int rc;

	if (len > UINT_MAX)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: too large", what);
	if (len >= 2 && p[0] == 0x04 && p[1] == 0x00) {
		/* an empty primitive OCTET STRING (libtasn1 refuses it) */
		xe2e_buf_reset(out);
		*used = 2;
		return xe2e_buf_grow(out, 0, err);
	}
	rc = asn1_decode_simple_ber(ASN1_ETYPE_OCTET_STRING, p, (unsigned)len,
				    &s, &slen, &blen);
	if (rc != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad OCTET STRING (%s)",
				    what, asn1_strerror(rc));
	xe2e_buf_reset(out);
	rc = xe2e_buf_add(out, s, slen, err);
	free(s);
	if (rc)
		return rc;
	*used = blen;
	return 0;
}

int xe2e_der_read_time(time_t *t, asn1_node n, const char *name, const char *what,
		       struct xe2e_err *err)
{
	char choice[32], v[32], path[160];
	int l = sizeof(choice), gen;

	if (asn1_read_value(n, name, choice, &l) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad time", what);
	gen = !strcmp(choice, "generalTime");
	if (!gen && strcmp(choice, "utcTime"))
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad time", what);
	/* a Time that is the whole structure has the bare choice as its path */
	snprintf(path, sizeof(path), "%s%s%s", name, name[0] ? "." : "", choice);
	l = sizeof(v) - 1;
	if (asn1_read_value(n, path, v, &l) != ASN1_SUCCESS || l < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad time", what);
	v[l] = '\0';
	if (xe2e_time_parse_asn1(t, v, gen, err))
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s: bad time '%s'", what, v);
	return 0;
}

const unsigned char *xe2e_der_contents(const unsigned char *p, size_t len, int tag, size_t *clen)
{
	long c;
	int l;

	if (len < 2 || len > INT_MAX || (tag >= 0 && p[0] != (unsigned char)tag))
		return NULL;
	c = asn1_get_length_der(p + 1, (int)len - 1, &l);
	if (c < 0 || (size_t)(1 + l) + (size_t)c != len)
		return NULL;
	*clen = (size_t)c;
	return p + 1 + l;
}

void xe2e_der_int_minimal(const unsigned char **p, size_t *len)
{
	while (*len > 1 && (((*p)[0] == 0x00 && !((*p)[1] & 0x80)) ||
			    ((*p)[0] == 0xff && ((*p)[1] & 0x80)))) {
		(*p)++;
		(*len)--;
	}
}

int xe2e_der_int_equal(const unsigned char *a, size_t alen,
		       const unsigned char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return 0;
	xe2e_der_int_minimal(&a, &alen);
	xe2e_der_int_minimal(&b, &blen);
	return alen == blen && !memcmp(a, b, alen);
}
