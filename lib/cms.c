/*
 * cms.c - the one ContentInfo reader and writer (see cms.h).
 * RFC 5652 §3 (ContentInfo), X.690 §8.1 (BER framing, read incrementally
 * so that an EnvelopedData's long content can stream).
 */
#include "cms.h"
#include "der.h"
#include "oids.h"
#include "x400ct.h"
#include "x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xe2e_cms_open(struct xe2e_source *s, struct xe2e_cms_info *ci, struct xe2e_err *err)
{
	struct xe2e_buf tlv = XE2E_BUF_INIT;
	asn1_node n = NULL;
	int rc;

	memset(ci, 0, sizeof(*ci));
	rc = xe2e_ber_read_hdr(s, &ci->seq, err);
	if (!rc)
		rc = xe2e_ber_expect_tag(&ci->seq, 0x30, "CMS ContentInfo", err);
	ci->seq_start = s->consumed;
	if (!rc)
		rc = xe2e_ber_read_tlv(s, &tlv, 256, err);
	if (!rc)
		rc = xe2e_der_decode(&n, "XE2E.ContentType", tlv.data, tlv.len, "ContentInfo", err);
	if (!rc)
		rc = xe2e_der_read_oid(ci->oid, sizeof(ci->oid), n, "", "ContentInfo", err);
	if (!rc)
		rc = xe2e_ber_read_hdr(s, &ci->content, err);
	if (!rc)
		rc = xe2e_ber_expect_tag(&ci->content, 0xa0, "ContentInfo content", err);
	ci->content_start = s->consumed;
	ci->ber = ci->seq.indefinite || ci->content.indefinite;
	asn1_delete_structure(&n);
	xe2e_buf_release(&tlv);
	return rc;
}

int xe2e_cms_close(struct xe2e_source *s, const struct xe2e_cms_info *ci,
		   struct xe2e_err *err)
{
	int rc = xe2e_ber_close(s, &ci->content, ci->content_start, err);

	if (!rc)
		rc = xe2e_ber_close(s, &ci->seq, ci->seq_start, err);
	if (!rc && (rc = xe2e_source_skip_space(s, err)) > 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "trailing data after the CMS object");
	return rc < 0 ? rc : 0;
}

int xe2e_cms_read_content(struct xe2e_source *s, struct xe2e_cms_info *ci,
			  struct xe2e_buf *out, size_t max, struct xe2e_err *err)
{
	struct xe2e_ber_hdr h;
	int rc;

	xe2e_buf_reset(out);
	rc = xe2e_ber_read_hdr(s, &h, err);
	if (!rc)
		rc = xe2e_ber_read_rest(s, &h, out, max, err);
	if (!rc && h.indefinite)
		ci->ber = 1;
	return rc ? rc : xe2e_cms_close(s, ci, err);
}

int xe2e_cms_cert_sets(struct xe2e_ctx *ctx, asn1_node n, const char *certs_name,
		       struct xe2e_certs *certs, struct xe2e_crls *crls, int strict,
		       struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	char name[48];
	int rc, count, i, k;

	rc = xe2e_der_count(n, certs_name, &count, err);
	if (!rc && strict && count > XE2E_MAX_CERTS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d certificates in the message",
				  XE2E_MAX_CERTS);
	for (i = 1; !rc && i <= count && i <= XE2E_MAX_CERTS; i++) {
		snprintf(name, sizeof(name), "%s.?%d", certs_name, i);
		rc = xe2e_der_read(&v, n, name, certs_name, err);
		if (rc || !v.len || v.data[0] != 0x30)
			continue;
		k = ctx ? xe2e_ctx_cert_add(ctx, certs, v.data, v.len, strict ? err : NULL)
			: xe2e_certs_add_der(certs, v.data, v.len, strict ? err : NULL);
		if (strict)
			rc = k;
	}
	if (!rc && crls)
		rc = xe2e_der_count(n, "crls", &count, err);
	if (!rc && crls && strict && count > XE2E_MAX_CRLS)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "more than %d CRLs in the message", XE2E_MAX_CRLS);
	for (i = 1; !rc && crls && i <= count && i <= XE2E_MAX_CRLS; i++) {
		snprintf(name, sizeof(name), "crls.?%d", i);
		rc = xe2e_der_read(&v, n, name, "crls", err);
		if (rc || !v.len || v.data[0] != 0x30)
			continue;
		k = xe2e_crls_add_der(crls, v.data, v.len, strict ? err : NULL);
		if (strict)
			rc = k;
	}
	xe2e_buf_release(&v);
	return rc;
}

int xe2e_cms_id_text(struct xe2e_buf *out, int ski, const struct xe2e_buf *a,
		     const struct xe2e_buf *b, struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT;
	size_t k;
	int rc;

	if (ski) {
		rc = xe2e_buf_adds(out, "key id ", err);
		for (k = 0; !rc && k < a->len; k++)
			rc = xe2e_buf_addf(out, err, "%s%02X", k ? ":" : "", a->data[k]);
		return rc;
	}
	rc = xe2e_x509_name_text(&dn, a, NULL) ? xe2e_buf_adds(out, "issuer '(unreadable)'", err)
					       : xe2e_buf_addf(out, err, "issuer '%s'", (char *)dn.data);
	if (!rc)
		rc = xe2e_buf_adds(out, " serial ", err);
	for (k = 0; !rc && k < b->len; k++)
		rc = xe2e_buf_addf(out, err, "%02X", b->data[k]);
	xe2e_buf_release(&dn);
	return rc;
}

int xe2e_cms_unwrap_mem(char oid[64], struct xe2e_buf *out, const unsigned char *p, size_t len,
			struct xe2e_err *err)
{
	struct xe2e_source *src = malloc(sizeof(*src));   /* 512 KiB: not on the stack */
	struct xe2e_cms_info ci;
	int rc;

	oid[0] = '\0';
	if (!src)
		return xe2e_err_oom(err);
	xe2e_source_init_mem(src, p, len);
	rc = xe2e_cms_open(src, &ci, err);
	if (!rc)
		snprintf(oid, 64, "%s", ci.oid);
	if (!rc && out)
		rc = xe2e_cms_read_content(src, &ci, out, len, err);
	xe2e_source_wipe(src);
	free(src);
	return rc;
}

int xe2e_cms_wrap(struct xe2e_buf *out, const char *oid, const unsigned char *content,
		  size_t len, struct xe2e_err *err)
{
	asn1_node ci = NULL;
	int rc = xe2e_der_new(&ci, "XE2E.ContentInfo", err);

	if (!rc)
		rc = xe2e_der_write(ci, "contentType", oid, 1, err);
	if (!rc)
		rc = xe2e_der_write(ci, "content", content, len, err);
	if (!rc)
		rc = xe2e_der_encode(out, ci, "", err);
	asn1_delete_structure(&ci);
	return rc;
}

const char *xe2e_cms_type_name(const char *oid)
{
	const char *x400 = xe2e_x400_content_name(oid);

	return x400 ? x400 : xe2e_oid_name(oid);
}
