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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void xe2e_smime_form_release(struct xe2e_smime_form *f)
{
	xe2e_buf_release(&f->header);
}

void xe2e_smime_msg_init(struct xe2e_smime_msg *m)
{
	memset(m, 0, sizeof(*m));
}

void xe2e_smime_msg_release(struct xe2e_smime_msg *m)
{
	xe2e_buf_release(&m->der);
	xe2e_buf_wipe(&m->content);
}

/* The PEM BEGIN line at s, whose label must name a CMS object (pem.h). */
static int pem_begin(struct xe2e_source *s, struct xe2e_err *err)
{
	struct xe2e_buf line = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX + 1];
	size_t l;
	int rc;

	rc = xe2e_source_line(s, &line, 128, err);
	l = line.len;
	while (!rc && l && (line.data[l - 1] == '\n' || line.data[l - 1] == '\r'))
		l--;
	if (!rc && (l < 16 || memcmp(line.data, "-----BEGIN ", 11) ||
		    memcmp(line.data + l - 5, "-----", 5) || l - 16 > XE2E_PEM_LABEL_MAX))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "PEM: expected a CMS or PKCS7 block");
	if (!rc) {
		memcpy(label, line.data + 11, l - 16);
		label[l - 16] = '\0';
		if (!xe2e_pem_label_is_cms(label))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "PEM: expected a CMS or PKCS7 block");
	}
	if (!rc)
		xe2e_source_base64(s, 1);
	xe2e_buf_release(&line);
	return rc;
}

/* The header block of a MIME entity, up to and with its empty line. */
static int read_header(struct xe2e_source *s, struct xe2e_buf *hdr, struct xe2e_err *err)
{
	struct xe2e_buf line = XE2E_BUF_INIT;
	int rc;

	for (;;) {
		rc = xe2e_source_line(s, &line, XE2E_MAX_HEADER_BLOCK, err);
		if (!rc)
			rc = xe2e_buf_add(hdr, line.data, line.len, err);
		if (!rc && hdr->len > XE2E_MAX_HEADER_BLOCK)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "MIME header block too long");
		if (rc || line.len == 0 || !strcmp((char *)line.data, "\n") ||
		    !strcmp((char *)line.data, "\r\n"))
			break;
	}
	xe2e_buf_release(&line);
	return rc;
}

/* RFC 3851 §3.2.2: the smime-types, and what we do not support. */
static int check_smime_type(const char *t, struct xe2e_err *err)
{
	if (!strcasecmp(t, "authEnveloped-data"))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "AuthEnvelopedData (AES-GCM, RFC 5083) is not supported");
	if (!strcasecmp(t, "compressed-data"))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED,
				    "CompressedData (RFC 3274) is not supported");
	return 0;
}

/* RFC 3851 §3.2, §3.4.3: the media types and signature protocols of S/MIME */
static int is_p7m_type(const char *type)
{
	return !strcmp(type, "application/pkcs7-mime") || !strcmp(type, "application/x-pkcs7-mime");
}

static int is_sig_protocol(const char *protocol)
{
	return !strcasecmp(protocol, "application/pkcs7-signature") ||
	       !strcasecmp(protocol, "application/x-pkcs7-signature");
}

static int recognise_mime(struct xe2e_source *s, struct xe2e_smime_form *f, struct xe2e_err *err)
{
	struct xe2e_mime_part part;
	struct xe2e_buf v = XE2E_BUF_INIT, param = XE2E_BUF_INIT;
	int rc;

	rc = read_header(s, &f->header, err);
	if (!rc && f->header.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	if (!rc)
		rc = xe2e_mime_split(&part, f->header.data, f->header.len, err);
	if (!rc && (rc = xe2e_mime_header(&v, &part, "Content-Type", err)) == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "not an S/MIME message: no Content-Type");
	if (rc < 0)
		goto out;
	rc = xe2e_mime_ctype(f->type, sizeof(f->type), (char *)v.data, err);
	if (rc)
		goto out;
	if (!strcmp(f->type, "multipart/signed")) {
		/* RFC 1847 §2.1: protocol must be present; RFC 3851 §3.4.3 */
		rc = xe2e_mime_param(&param, (char *)v.data, "protocol", err);
		if (rc == 1 && !is_sig_protocol((char *)param.data))
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "multipart/signed protocol '%.60s' is not S/MIME",
					  (char *)param.data);
		else if (rc == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "multipart/signed without protocol parameter");
		if (rc > 0)
			rc = xe2e_mime_param(&param, (char *)v.data, "micalg", err);
		if (rc == 1)
			snprintf(f->micalg, sizeof(f->micalg), "%s", (char *)param.data);
		if (rc >= 0)
			rc = xe2e_mime_param(&param, (char *)v.data, "boundary", err);
		if (rc == 0 || (rc == 1 && (param.len == 0 || param.len > 70)))
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "multipart/signed without a boundary of 1 to 70 characters");
		if (rc == 1) {
			memcpy(f->boundary, param.data, param.len + 1);
			f->kind = XE2E_FORM_MULTIPART;
		}
		goto out;
	}
	if (is_p7m_type(f->type)) {
		rc = xe2e_mime_param(&param, (char *)v.data, "smime-type", err);
		if (rc == 1) {
			snprintf(f->smime_type, sizeof(f->smime_type), "%s", (char *)param.data);
			rc = check_smime_type(f->smime_type, err);
		}
		if (rc < 0)
			goto out;
		rc = xe2e_mime_header(&v, &part, "Content-Transfer-Encoding", err);
		/* DESIGN §3 rule 1: base64, 7bit, 8bit and binary labels */
		if (rc == 1 && !strcasecmp((char *)v.data, "base64"))
			xe2e_source_base64(s, 0);
		else if (rc == 1 && strcasecmp((char *)v.data, "binary") &&
			 strcasecmp((char *)v.data, "8bit") && strcasecmp((char *)v.data, "7bit"))
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "unsupported Content-Transfer-Encoding '%.40s'", (char *)v.data);
		if (rc >= 0)
			f->kind = XE2E_FORM_P7M;
		goto out;
	}
	f->kind = XE2E_FORM_OTHER;
	rc = 0;
out:
	xe2e_buf_release(&v);
	xe2e_buf_release(&param);
	return rc < 0 ? rc : 0;
}

int xe2e_smime_is_entity(const unsigned char *p, size_t len)
{
	struct xe2e_mime_part e;
	struct xe2e_buf v = XE2E_BUF_INIT, prm = XE2E_BUF_INIT;
	char type[128];
	int yes = 0;

	if (!xe2e_mime_split(&e, p, len, NULL) && xe2e_mime_header(&v, &e, "Content-Type", NULL) == 1 &&
	    !xe2e_mime_ctype(type, sizeof(type), (char *)v.data, NULL))
		yes = is_p7m_type(type) ||
		      (!strcmp(type, "multipart/signed") &&
		       xe2e_mime_param(&prm, (char *)v.data, "protocol", NULL) == 1 &&
		       is_sig_protocol((char *)prm.data));
	xe2e_buf_release(&v);
	xe2e_buf_release(&prm);
	return yes;
}

int xe2e_smime_recognise(struct xe2e_source *s, struct xe2e_smime_form *f,
			 struct xe2e_err *err)
{
	unsigned char c;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = xe2e_source_peek(s, &c, err);
	if (rc == 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	if (rc < 0)
		return rc;
	if (c == 0x30) {
		f->kind = XE2E_FORM_DER;
		return 0;
	}
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		/* PEM may follow white space; a MIME entity may not */
		rc = xe2e_source_skip_space(s, err);
		if (rc == 0)
			return xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
		if (rc < 0)
			return rc;
		rc = xe2e_source_peek(s, &c, err);
		if (rc < 0)
			return rc;
		if (c != '-')
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "not an S/MIME message: starts with white space");
	}
	if (c == '-') {
		f->kind = XE2E_FORM_PEM;
		return pem_begin(s, err);
	}
	return recognise_mime(s, f, err);
}

int xe2e_smime_read_multipart(struct xe2e_source *s, const struct xe2e_smime_form *f,
			      struct xe2e_buf *content, struct xe2e_buf *sig, size_t max,
			      struct xe2e_err *err)
{
	struct xe2e_buf body = XE2E_BUF_INIT, v = XE2E_BUF_INIT;
	struct xe2e_mime_part parts[2];
	char ptype[128];
	size_t n;
	int rc;

	rc = xe2e_source_read_all(s, &body, max, err);
	if (!rc)
		rc = xe2e_mime_multipart(parts, 2, &n, body.data, body.len, f->boundary, err);
	if (!rc && n != 2)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "multipart/signed must have 2 parts, not %zu", n);
	if (rc)
		goto out;
	if (!parts[1].entity || (rc = xe2e_mime_header(&v, &parts[1], "Content-Type", err)) == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "signature part has no Content-Type");
	if (rc < 0)
		goto out;
	rc = xe2e_mime_ctype(ptype, sizeof(ptype), (char *)v.data, err);
	if (!rc && !is_sig_protocol(ptype))   /* ptype is lower case already */
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "signature part is '%.60s', not application/pkcs7-signature", ptype);
	/* RFC 1847 §2.1: the signed part is the bytes between the boundaries;
	 * DESIGN §3 rule 2: digested in canonical (CRLF) form */
	xe2e_buf_reset(content);
	if (!rc)
		rc = xe2e_mime_canon(content, parts[0].p, parts[0].len, err);
	if (!rc)
		rc = xe2e_buf_grow(content, 0, err);
	if (!rc)
		rc = xe2e_mime_decode_body(sig, &parts[1], err);
	if (!rc && sig->len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty signature part");
out:
	xe2e_buf_wipe(&body);
	xe2e_buf_release(&v);
	return rc;
}

int xe2e_smime_parse(struct xe2e_smime_msg *m, const unsigned char *p,
		     size_t len, struct xe2e_err *err)
{
	struct xe2e_source *s = malloc(sizeof(*s));
	struct xe2e_smime_form f;
	int rc;

	if (!s)
		return xe2e_err_oom(err);
	xe2e_source_init_mem(s, p, len);
	memset(&f, 0, sizeof(f));
	rc = xe2e_smime_recognise(s, &f, err);
	m->form = f.kind;
	memcpy(m->smime_type, f.smime_type, sizeof(m->smime_type));
	memcpy(m->micalg, f.micalg, sizeof(m->micalg));
	if (!rc && f.kind == XE2E_FORM_OTHER)
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "not an S/MIME message: Content-Type is '%.60s'", f.type);
	else if (!rc && f.kind == XE2E_FORM_MULTIPART)
		rc = xe2e_smime_read_multipart(s, &f, &m->content, &m->der, len, err);
	else if (!rc)
		rc = xe2e_source_read_all(s, &m->der, len, err);
	if (!rc && m->der.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no CMS object in the input");
	xe2e_smime_form_release(&f);
	free(s);
	return rc;
}

int xe2e_smime_write_multipart(struct xe2e_buf *out, const struct xe2e_ctx *ctx,
			       const unsigned char *entity, size_t entity_len,
			       const unsigned char *sig_der, size_t sig_len, const char *micalg,
			       struct xe2e_err *err)
{
	unsigned char rnd[12];
	char boundary[64];
	size_t i;
	int rc;

	rc = xe2e_ctx_random(ctx, rnd, sizeof(rnd), XE2E_RND_NONCE, err);
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
