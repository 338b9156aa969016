/*
 * smime.c - S/MIME message forms (see smime.h).
 * RFC 3851 §3.1-§3.4 (and RFC 5751), RFC 1847 §2.1 (multipart/signed),
 * RFC 3923 §6 examples (Content-Disposition of the signature part),
 * RFC 7468 (PEM armour).
 */
#include "smime.h"
#include "limits.h"
#include "mime.h"
#include "pem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void xe2e_smime_msg_init(struct xe2e_smime_msg *m)
{
	memset(m, 0, sizeof(*m));
}

void xe2e_smime_msg_release(struct xe2e_smime_msg *m)
{
	xe2e_buf_release(&m->der);
	xe2e_buf_wipe(&m->content);
}

static const char *skip_space(const unsigned char *p, size_t len, size_t *off)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	*off = i;
	return (const char *)p + i;
}

static int parse_pem(struct xe2e_smime_msg *m, const unsigned char *p, size_t len,
		     struct xe2e_err *err)
{
	char label[XE2E_PEM_LABEL_MAX];
	size_t pos = 0;
	int rc = xe2e_pem_next(&m->der, label, p, len, &pos, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || !xe2e_pem_label_is_cms(label))
		return xe2e_err_set(err, XE2E_EMALFORMED, "PEM: expected a CMS or PKCS7 block");
	m->form = XE2E_FORM_PEM;
	return 0;
}

static int parse_mime(struct xe2e_smime_msg *m, const unsigned char *p,
		      size_t len, struct xe2e_err *err)
{
	struct xe2e_mime_part top, parts[2];
	struct xe2e_buf v = XE2E_BUF_INIT, param = XE2E_BUF_INIT;
	char type[128], ptype[128];
	size_t n;
	int rc;

	rc = xe2e_mime_split(&top, p, len, err);
	if (rc)
		return rc;
	rc = xe2e_mime_header(&v, &top, "Content-Type", err);
	if (rc == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "not an S/MIME message: no Content-Type");
	if (rc < 0)
		goto out;
	rc = xe2e_mime_ctype(type, sizeof(type), (char *)v.data, err);
	if (rc)
		goto out;
	if (!strcmp(type, "multipart/signed")) {
		/* RFC 1847 §2.1: protocol must be present; RFC 3851 §3.4.3 */
		rc = xe2e_mime_param(&param, (char *)v.data, "protocol", err);
		if (rc == 1 && strcasecmp((char *)param.data, "application/pkcs7-signature") &&
		    strcasecmp((char *)param.data, "application/x-pkcs7-signature"))
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "multipart/signed protocol '%.60s' is not S/MIME",
					  (char *)param.data);
		else if (rc == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "multipart/signed without protocol parameter");
		if (rc < 0)
			goto out;
		rc = xe2e_mime_param(&param, (char *)v.data, "micalg", err);
		if (rc < 0)
			goto out;
		if (rc == 1)
			snprintf(m->micalg, sizeof(m->micalg), "%s", (char *)param.data);
		rc = xe2e_mime_param(&param, (char *)v.data, "boundary", err);
		if (rc == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "multipart/signed without boundary parameter");
		if (rc < 0)
			goto out;
		rc = xe2e_mime_multipart(parts, 2, &n, top.body, top.body_len,
					 (char *)param.data, err);
		if (rc)
			goto out;
		if (n != 2) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "multipart/signed must have 2 parts, not %zu", n);
			goto out;
		}
		rc = xe2e_mime_header(&v, &parts[1], "Content-Type", err);
		if (rc == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "signature part has no Content-Type");
		if (rc < 0)
			goto out;
		rc = xe2e_mime_ctype(ptype, sizeof(ptype), (char *)v.data, err);
		if (rc)
			goto out;
		if (strcmp(ptype, "application/pkcs7-signature") &&
		    strcmp(ptype, "application/x-pkcs7-signature")) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "signature part is '%.60s', not application/pkcs7-signature",
					  ptype);
			goto out;
		}
		m->form = XE2E_FORM_MULTIPART;
		/* DESIGN §3 rule 2: digest the canonical (CRLF) form */
		rc = xe2e_mime_canon(&m->content, parts[0].p, parts[0].len, err);
		if (!rc)
			rc = xe2e_mime_decode_body(&m->der, &parts[1], err);
		goto out;
	}
	if (!strcmp(type, "application/pkcs7-mime") ||
	    !strcmp(type, "application/x-pkcs7-mime")) {
		rc = xe2e_mime_param(&param, (char *)v.data, "smime-type", err);
		if (rc < 0)
			goto out;
		if (rc == 1)
			snprintf(m->smime_type, sizeof(m->smime_type), "%s",
				 (char *)param.data);
		m->form = XE2E_FORM_P7M;
		rc = xe2e_mime_decode_body(&m->der, &top, err);
		goto out;
	}
	rc = xe2e_err_set(err, XE2E_EMALFORMED,
			  "not an S/MIME message: Content-Type is '%.60s'", type);
out:
	xe2e_buf_release(&v);
	xe2e_buf_release(&param);
	if (rc > 0)
		rc = 0;
	return rc;
}

int xe2e_smime_parse(struct xe2e_smime_msg *m, const unsigned char *p,
		     size_t len, struct xe2e_err *err)
{
	size_t off;
	const char *s;
	int rc;

	if (len == 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	if (p[0] == 0x30) {
		m->form = XE2E_FORM_DER;
		return xe2e_buf_add(&m->der, p, len, err);
	}
	s = skip_space(p, len, &off);
	(void)s;
	if (xe2e_pem_is(p, len))
		rc = parse_pem(m, p + off, len - off, err);
	else
		rc = parse_mime(m, p, len, err);
	if (!rc && m->der.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no CMS object in the input");
	return rc;
}

int xe2e_smime_write_multipart(struct xe2e_buf *out, const unsigned char *entity,
			       size_t entity_len, const unsigned char *sig_der,
			       size_t sig_len, const char *micalg,
			       struct xe2e_err *err)
{
	unsigned char rnd[12];
	char boundary[64];
	size_t i;
	int rc;

	rc = xe2e_random(rnd, sizeof(rnd), GNUTLS_RND_NONCE, err);
	if (rc)
		return rc;
	memcpy(boundary, "----=_xe2e_", 11);
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(boundary + 11 + 2 * i, 3, "%02X", rnd[i]);
	if (memmem(entity, entity_len, boundary, strlen(boundary)))
		return xe2e_err_set(err, XE2E_EIO, "boundary collision, try again");
	/* RFC 3851 §3.4.3.2; RFC 3923 §6.3 example headers */
	rc = xe2e_buf_addf(out, err,
			   "MIME-Version: 1.0\r\n"
			   "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
			   " micalg=%s;\r\n boundary=\"%s\"\r\n"
			   "\r\n"
			   "This is an S/MIME signed message\r\n"
			   "\r\n"
			   "--%s\r\n",
			   micalg, boundary, boundary);
	if (!rc)
		rc = xe2e_buf_add(out, entity, entity_len, err);
	if (!rc)
		rc = xe2e_buf_addf(out, err,
				   "\r\n--%s\r\n"
				   "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
				   "Content-Transfer-Encoding: base64\r\n"
				   "Content-Disposition: attachment; handling=required;"
				   " filename=smime.p7s\r\n"
				   "\r\n",
				   boundary);
	if (!rc)
		rc = xe2e_base64_encode(out, sig_der, sig_len, 64, err);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "\r\n--%s--\r\n", boundary);
	return rc;
}

int xe2e_smime_p7m_header(struct xe2e_buf *out, const char *smime_type,
			  struct xe2e_err *err)
{
	/* RFC 3851 §3.2.1-§3.2.2 */
	return xe2e_buf_addf(out, err,
			   "MIME-Version: 1.0\r\n"
			   "Content-Type: application/pkcs7-mime; smime-type=%s;"
			   " name=smime.p7m\r\n"
			   "Content-Transfer-Encoding: base64\r\n"
			   "Content-Disposition: attachment; filename=smime.p7m\r\n"
			   "\r\n",
			   smime_type);
}

int xe2e_smime_write_p7m(struct xe2e_buf *out, const unsigned char *der,
			 size_t len, const char *smime_type,
			 struct xe2e_err *err)
{
	int rc = xe2e_smime_p7m_header(out, smime_type, err);

	if (!rc)
		rc = xe2e_base64_encode(out, der, len, 64, err);
	return rc;
}

int xe2e_smime_open_source(struct xe2e_source *s, const char *want_type,
			   struct xe2e_err *err)
{
	struct xe2e_buf hdr = XE2E_BUF_INIT, v = XE2E_BUF_INIT, line = XE2E_BUF_INIT;
	struct xe2e_mime_part part;
	char type[128];
	unsigned char c;
	int rc;

	rc = xe2e_source_peek(s, &c, err);
	if (rc == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	if (rc < 0 || c == 0x30)
		return rc < 0 ? rc : 0;                        /* DER / BER */
	rc = xe2e_source_skip_space(s, err);
	if (rc == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	if (rc < 0)
		return rc;
	rc = xe2e_source_peek(s, &c, err);
	if (rc > 0 && c == '-') {                              /* PEM (RFC 7468) */
		char label[XE2E_PEM_LABEL_MAX + 1];
		size_t l;

		rc = xe2e_source_line(s, &line, 128, err);
		l = line.len;
		while (!rc && l && (line.data[l - 1] == '\n' || line.data[l - 1] == '\r'))
			l--;
		/* the same labels as in memory (pem.h) */
		if (!rc && (l < 16 || memcmp(line.data, "-----BEGIN ", 11) ||
			    memcmp(line.data + l - 5, "-----", 5) || l - 16 > XE2E_PEM_LABEL_MAX))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "PEM: expected a CMS or PKCS7 block");
		if (!rc) {
			memcpy(label, line.data + 11, l - 16);
			label[l - 16] = '\0';
			if (!xe2e_pem_label_is_cms(label))
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "PEM: expected a CMS or PKCS7 block");
		}
		if (!rc)
			xe2e_source_base64(s, 1);
		goto out;
	}
	/* a MIME header block, then the body */
	for (;;) {
		rc = xe2e_source_line(s, &line, XE2E_MAX_HEADER_BLOCK, err);
		if (!rc)
			rc = xe2e_buf_add(&hdr, line.data, line.len, err);
		if (!rc && hdr.len > XE2E_MAX_HEADER_BLOCK)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "MIME header block too long");
		if (rc)
			goto out;
		if (line.len == 0 || !strcmp((char *)line.data, "\n") ||
		    !strcmp((char *)line.data, "\r\n"))
			break;
	}
	rc = xe2e_mime_split(&part, hdr.data, hdr.len, err);
	if (!rc && (rc = xe2e_mime_header(&v, &part, "Content-Type", err)) == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "not an S/MIME message: no Content-Type");
	if (rc < 0)
		goto out;
	rc = xe2e_mime_ctype(type, sizeof(type), (char *)v.data, err);
	if (rc)
		goto out;
	if (strcmp(type, "application/pkcs7-mime") && strcmp(type, "application/x-pkcs7-mime")) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "not an application/pkcs7-mime message (Content-Type '%.60s')", type);
		goto out;
	}
	rc = xe2e_mime_param(&line, (char *)v.data, "smime-type", err);
	if (rc == 1 && want_type && strcasecmp((char *)line.data, want_type)) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "smime-type is '%.40s', not %s",
				  (char *)line.data, want_type);
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = xe2e_mime_header(&v, &part, "Content-Transfer-Encoding", err);
	if (rc == 1 && !strcasecmp((char *)v.data, "base64"))
		xe2e_source_base64(s, 0);
	else if (rc == 1 && strcasecmp((char *)v.data, "binary") &&
		 strcasecmp((char *)v.data, "8bit") && strcasecmp((char *)v.data, "7bit"))
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "unsupported Content-Transfer-Encoding '%.40s'", (char *)v.data);
	rc = rc < 0 ? rc : 0;
out:
	xe2e_buf_release(&hdr);
	xe2e_buf_release(&v);
	xe2e_buf_release(&line);
	return rc;
}

int xe2e_smime_write_certs_only(struct xe2e_buf *out, const unsigned char *der,
				size_t len, struct xe2e_err *err)
{
	/* RFC 3851 §3.6 */
	int rc = xe2e_buf_adds(out, "MIME-Version: 1.0\r\n"
			       "Content-Type: application/pkcs7-mime; smime-type=certs-only;"
			       " name=smime.p7c\r\n"
			       "Content-Transfer-Encoding: base64\r\n"
			       "Content-Disposition: attachment; filename=smime.p7c\r\n"
			       "\r\n", err);

	if (!rc)
		rc = xe2e_base64_encode(out, der, len, 64, err);
	return rc;
}
