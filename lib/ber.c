/*
 * ber.c - incremental BER framing (see ber.h).  X.690 §8.1.2-§8.1.5
 * (identifier, length, end-of-contents), §8.7 (constructed OCTET STRING).
 */
#include "ber.h"
#include "der.h"

#define MAX_DEPTH 32

int xe2e_ber_read_hdr(struct xe2e_source *s, struct xe2e_ber_hdr *h,
		      struct xe2e_err *err)
{
	unsigned char b;
	unsigned n, i;
	int rc;

	h->raw_len = 0;
	rc = xe2e_source_read_exact(s, &b, 1, err);
	if (rc)
		return rc;
	if ((b & 0x1f) == 0x1f)
		return xe2e_err_set(err, XE2E_EMALFORMED, "BER: high tag numbers are not used in CMS");
	h->tag = b;
	h->constructed = (b & 0x20) != 0;
	h->raw[h->raw_len++] = b;
	rc = xe2e_source_read_exact(s, &b, 1, err);
	if (rc)
		return rc;
	h->raw[h->raw_len++] = b;
	h->indefinite = 0;
	h->len = 0;
	if (b < 0x80) {
		h->len = b;
		return 0;
	}
	if (b == 0x80) {
		if (!h->constructed)
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "BER: indefinite length on a primitive element");
		h->indefinite = 1;
		return 0;
	}
	n = b & 0x7f;
	if (n > 8)
		return xe2e_err_set(err, XE2E_EMALFORMED, "BER: length too large");
	for (i = 0; i < n; i++) {
		rc = xe2e_source_read_exact(s, &b, 1, err);
		if (rc)
			return rc;
		h->raw[h->raw_len++] = b;
		if (h->len >> 55)
			return xe2e_err_set(err, XE2E_EMALFORMED, "BER: length too large");
		h->len = (h->len << 8) | b;
	}
	return 0;
}

int xe2e_ber_is_eoc(const struct xe2e_ber_hdr *h)
{
	return h->tag == 0 && !h->indefinite && h->len == 0;
}

int xe2e_ber_expect_tag(const struct xe2e_ber_hdr *h, unsigned char tag, const char *what,
			struct xe2e_err *err)
{
	if (h->tag != tag)
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s expected (tag 0x%02X, not 0x%02X)",
				    what, tag, h->tag);
	return 0;
}

static int copy_content(struct xe2e_source *s, uint64_t len, struct xe2e_buf *out,
			size_t max, struct xe2e_err *err)
{
	int rc;

	if (len > max || out->len + len > max)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "BER: element longer than %zu bytes", max);
	rc = xe2e_buf_grow(out, (size_t)len, err);
	if (rc)
		return rc;
	rc = xe2e_source_read_exact(s, out->data + out->len, (size_t)len, err);
	if (rc)
		return rc;
	out->len += (size_t)len;
	out->data[out->len] = '\0';
	return 0;
}

int xe2e_ber_read_rest(struct xe2e_source *s, const struct xe2e_ber_hdr *h,
		       struct xe2e_buf *out, size_t max, struct xe2e_err *err)
{
	struct xe2e_ber_hdr in;
	int depth = 0, rc;

	rc = xe2e_buf_add(out, h->raw, h->raw_len, err);
	if (rc)
		return rc;
	if (!h->indefinite)
		return copy_content(s, h->len, out, max, err);
	/* no recursion on input: an explicit depth count */
	depth = 1;
	while (depth > 0) {
		rc = xe2e_ber_read_hdr(s, &in, err);
		if (!rc)
			rc = xe2e_buf_add(out, in.raw, in.raw_len, err);
		if (rc)
			return rc;
		if (xe2e_ber_is_eoc(&in)) {
			depth--;
		} else if (in.indefinite) {
			if (++depth > MAX_DEPTH)
				return xe2e_err_set(err, XE2E_EMALFORMED, "BER: nested too deeply");
		} else {
			rc = copy_content(s, in.len, out, max, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int xe2e_ber_read_tlv(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
		      struct xe2e_err *err)
{
	struct xe2e_ber_hdr h;
	int rc;

	xe2e_buf_reset(out);
	rc = xe2e_ber_read_hdr(s, &h, err);
	return rc ? rc : xe2e_ber_read_rest(s, &h, out, max, err);
}

int xe2e_ber_close(struct xe2e_source *s, const struct xe2e_ber_hdr *h,
		   uint64_t start, struct xe2e_err *err)
{
	struct xe2e_ber_hdr e;
	int rc;

	if (!h->indefinite) {
		if (s->consumed - start != h->len)
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "BER: element length does not match its content");
		return 0;
	}
	rc = xe2e_ber_read_hdr(s, &e, err);
	if (!rc && !xe2e_ber_is_eoc(&e))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "BER: end-of-contents expected");
	return rc;
}

int xe2e_ber_write_indef(struct xe2e_sink *s, unsigned char tag, struct xe2e_err *err)
{
	unsigned char h[2] = { tag, 0x80 };

	return xe2e_sink_write(s, h, 2, err);
}

int xe2e_ber_write_eoc(struct xe2e_sink *s, struct xe2e_err *err)
{
	static const unsigned char eoc[2] = { 0, 0 };

	return xe2e_sink_write(s, eoc, 2, err);
}

static int octets_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
			struct xe2e_err *err)
{
	struct xe2e_sink_octets *o = (struct xe2e_sink_octets *)s;
	unsigned char tl[ASN1_MAX_TL_SIZE];
	unsigned tl_len = sizeof(tl);
	int rc;

	/* libtasn1 writes the identifier and length octets of each chunk */
	if (asn1_encode_simple_der(ASN1_ETYPE_OCTET_STRING, p, (unsigned)n, tl,
				   &tl_len) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EIO, "cannot encode an OCTET STRING chunk");
	rc = xe2e_sink_write(o->next, tl, tl_len, err);
	return rc ? rc : xe2e_sink_write(o->next, p, n, err);
}

void xe2e_sink_octets_init(struct xe2e_sink_octets *s, struct xe2e_sink *next)
{
	s->base.write = octets_write;
	s->base.finish = NULL;
	s->next = next;
}
