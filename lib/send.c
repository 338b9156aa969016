/*
 * send.c - the send list (see send.h).  RFC 5652 §5, §6; RFC 3851 §3.1
 * (canonical entities), §3.2-§3.4 (S/MIME framing and nesting); RFC 3854
 * §3.4 (CMS directly as eContent).
 */
#include "send.h"
#include "der.h"
#include "mime.h"
#include "oids.h"
#include "pem.h"
#include "smime.h"
#include "x400ct.h"

#include <libtasn1.h>
#include <stdlib.h>
#include <string.h>

struct sender {
	const struct xe2e_ctx *ctx;
	const struct xe2e_send_opts *o;
	struct xe2e_report *rep;
	int innermost_signed;              /* X.400: the innermost protection */
	int x400;                          /* RFC 3854 content or nesting */
	int inner;                         /* the input is a ContentInfo */
	char inner_oid[64];                /* ... of this type */
	enum xe2e_send_form form;          /* the last layer's */
	char ectype[64];                   /* of an application/x400-content input */
};

static int record_sign(struct sender *s, const struct xe2e_sign_params *p, const char *ectype,
		       const char *framing, struct xe2e_err *err)
{
	struct xe2e_layer *l = xe2e_layer_new(XE2E_LAYER_SIGNED);
	struct xe2e_signer *r;
	int null_params, rc = xe2e_report_add(s->rep, l, err);

	if (rc)
		return rc;
	snprintf(l->framing, sizeof(l->framing), "%s", framing);
	snprintf(l->content_type, sizeof(l->content_type), "%s", ectype);
	l->detached = !p->embed;
	l->n_signers = 1;
	r = &l->signers[0];
	r->digest = p->digest;
	r->has_signing_time = 1;
	r->signing_time = p->signing_time;
	snprintf(r->sigalg, sizeof(r->sigalg), "%s",
		 xe2e_oid_name(xe2e_sigalg_oid((gnutls_pk_algorithm_t)
					       gnutls_privkey_get_pk_algorithm(p->key, NULL),
					       p->digest, &null_params)));
	rc = xe2e_buf_adds(&r->subject, p->cert->dn.len ? (char *)p->cert->dn.data : "", err);
	if (!rc)
		rc = xe2e_buf_adds(&r->names, p->cert->names.data ? (char *)p->cert->names.data : "", err);
	return rc;
}

static int record_encrypt(struct sender *s, const struct xe2e_encrypt_params *p,
			  const char *ectype, const char *framing, struct xe2e_err *err)
{
	struct xe2e_layer *l = xe2e_layer_new(XE2E_LAYER_ENVELOPED);
	struct xe2e_buf id = XE2E_BUF_INIT;
	size_t i;
	int rc = xe2e_report_add(s->rep, l, err);

	if (rc)
		return rc;
	snprintf(l->framing, sizeof(l->framing), "%s", framing);
	snprintf(l->content_type, sizeof(l->content_type), "%s", ectype);
	snprintf(l->cipher, sizeof(l->cipher), "%s", p->alg->name);
	l->recipients = calloc(p->n_recips ? p->n_recips : 1, sizeof(*l->recipients));
	if (!l->recipients)
		return xe2e_err_oom(err);
	l->n_recipients = p->n_recips;
	for (i = 0; !rc && i < p->n_recips; i++) {
		struct xe2e_recipient *r = &l->recipients[i];
		const struct xe2e_cert *c = p->recips[i];

		snprintf(r->kind, sizeof(r->kind), "ktri");
		snprintf(r->alg, sizeof(r->alg), "rsaEncryption");
		r->usable = 1;
		/* the recipient identifier as the receive side shows it */
		xe2e_buf_reset(&id);
		rc = p->use_ski ? xe2e_cms_id_text(&id, 1, &c->ski, NULL, err)
				: xe2e_cms_id_text(&id, 0, &c->issuer, &c->serial, err);
		if (!rc)
			snprintf(r->id, sizeof(r->id), "%s", (char *)id.data);
	}
	xe2e_buf_release(&id);
	return rc;
}

/* The content of ContentInfo p (the SignedData, ...) into out (replaced). */
static int bare(struct xe2e_buf *out, const unsigned char *p, size_t len, struct xe2e_err *err)
{
	char oid[64];

	return xe2e_cms_unwrap_mem(oid, out, p, len, err);
}
/* RFC 3854 §3.4: layers hold each other directly, not as S/MIME entities */
static int nesting(const struct sender *s)
{
	return s->o->cms_nesting || s->x400;
}

/* RFC 3854 §3.2.1, §3.3.1, §3.4.1: X.400 layers are signed-x400 or
 * enveloped-x400, named after the innermost protection */
static const char *smime_type(const struct sender *s, const char *plain)
{
	if (!s->x400)
		return plain;
	return s->innermost_signed ? "signed-x400" : "enveloped-x400";
}

/* The framed output of the last layer, or the object between layers. */
static int frame(struct sender *s, struct xe2e_buf *out, const struct xe2e_buf *der,
		 const char *smime_type, const struct xe2e_buf *entity, const char *micalg,
		 int last, struct xe2e_err *err)
{
	xe2e_buf_reset(out);
	if (last && s->form == XE2E_OUT_DER)
		return xe2e_buf_add(out, der->data, der->len, err);
	if (last && s->form == XE2E_OUT_PEM)
		return xe2e_pem_write(out, der->data, der->len, "CMS", err);
	if (!last && nesting(s))          /* RFC 3854 §3.4.1: the structure itself */
		return bare(out, der->data, der->len, err);
	if (entity)
		return xe2e_smime_write_multipart(out, s->ctx, entity->data, entity->len,
						  der->data, der->len, micalg, err);
	return xe2e_smime_write_p7m(out, der->data, der->len, smime_type, err);
}

static const char *framing_of(const struct sender *s, int last, int multipart,
			      const char *smime_type)
{
	static char f[80];

	if (last && s->form == XE2E_OUT_DER)
		return "DER";
	if (last && s->form == XE2E_OUT_PEM)
		return "PEM";
	if (!last && nesting(s))
		return "DER";
	if (multipart)
		return "multipart/signed";
	snprintf(f, sizeof(f), "application/pkcs7-mime; smime-type=%s", smime_type);
	return f;
}

static int sign_layer(struct sender *s, const struct xe2e_send_layer *y, struct xe2e_buf *content,
		      const char *ectype, int last, struct xe2e_err *err)
{
	struct xe2e_sign_params p = y->sign;
	struct xe2e_buf der = XE2E_BUF_INIT, framed = XE2E_BUF_INIT;
	int multipart, rc;

	p.econtent_type = ectype;
	p.reproducible = s->ctx->rng.reproducible;
	p.embed = s->o->opaque || nesting(s);
	multipart = !p.embed && !(last && s->form != XE2E_OUT_SMIME);
	rc = xe2e_cms_sign(&der, content->data, content->len, &p, err);
	if (!rc)
		rc = frame(s, &framed, &der, smime_type(s, "signed-data"), multipart ? content : NULL,
			   s->o->compat_micalg ? p.digest->micalg_old : p.digest->micalg, last, err);
	if (!rc)
		rc = record_sign(s, &p, ectype,
				 framing_of(s, last, multipart, smime_type(s, "signed-data")), err);
	if (!rc)
		xe2e_buf_replace(content, &framed);
	xe2e_buf_release(&der);
	xe2e_buf_release(&framed);
	return rc;
}

static int encrypt_layer(struct sender *s, const struct xe2e_send_layer *y,
			 struct xe2e_buf *content, const char *ectype, int last,
			 struct xe2e_err *err)
{
	struct xe2e_encrypt_params p = y->enc;
	struct xe2e_buf der = XE2E_BUF_INIT, framed = XE2E_BUF_INIT;
	struct xe2e_encryptor *e = NULL;
	struct xe2e_sink_buf sb;
	int rc;

	p.ctx = s->ctx;
	p.content_type = ectype;
	p.stream = 0;
	xe2e_sink_buf_init(&sb, &der);
	der.max = 2 * XE2E_MAX_INPUT;
	rc = xe2e_encrypt_begin(&e, &p, &sb.base, err);
	if (!rc)
		rc = xe2e_sink_write(xe2e_encryptor_sink(e), content->data, content->len, err);
	if (!rc)
		rc = xe2e_encrypt_end(e, err);
	xe2e_encryptor_free(e);
	if (!rc)
		rc = frame(s, &framed, &der, smime_type(s, "enveloped-data"), NULL, NULL, last, err);
	if (!rc)
		rc = record_encrypt(s, &p, ectype,
				    framing_of(s, last, 0, smime_type(s, "enveloped-data")), err);
	if (!rc)
		xe2e_buf_replace(content, &framed);
	xe2e_buf_release(&der);
	xe2e_buf_release(&framed);
	return rc;
}

/* The one layer, an EnvelopedData, in constant memory (indefinite BER). */
static int encrypt_stream(struct sender *s, const struct xe2e_send_layer *y,
			  struct xe2e_source *in, struct xe2e_sink *out, struct xe2e_err *err)
{
	struct xe2e_encrypt_params p = y->enc;
	struct xe2e_encryptor *e = NULL;
	struct xe2e_sink_b64 b64;
	struct xe2e_buf hdr = XE2E_BUF_INIT;
	struct xe2e_sink *frame_sink = out;
	int rc = 0, armour = s->form != XE2E_OUT_DER;

	p.ctx = s->ctx;
	p.content_type = XE2E_OID_DATA;
	p.stream = 1;
	if (s->form == XE2E_OUT_SMIME)
		rc = xe2e_smime_p7m_header(&hdr, "enveloped-data", err);
	else if (s->form == XE2E_OUT_PEM)
		rc = xe2e_buf_adds(&hdr, "-----BEGIN CMS-----\n", err);
	if (!rc)
		rc = xe2e_sink_write(out, hdr.data, hdr.len, err);
	xe2e_sink_b64_init(&b64, out);
	if (armour)
		frame_sink = &b64.base;
	if (!rc)
		rc = xe2e_encrypt_begin(&e, &p, frame_sink, err);
	if (!rc)
		rc = xe2e_mime_stream_entity(in, s->o->ctype, xe2e_encryptor_sink(e), err);
	if (!rc)
		rc = xe2e_encrypt_end(e, err);
	if (!rc && armour)
		rc = xe2e_sink_finish(&b64.base, err);
	if (!rc && s->form == XE2E_OUT_PEM)
		rc = xe2e_sink_write(out, "-----END CMS-----\n", 18, err);
	if (!rc)
		rc = record_encrypt(s, &p, XE2E_OID_DATA,
				    framing_of(s, 1, 0, "enveloped-data"), err);
	xe2e_encryptor_free(e);
	xe2e_buf_release(&hdr);
	return rc;
}

/*
 * The input as the first layer's content: a canonical MIME entity; X.400
 * content as it is (RFC 3854 §3); or, for a ContentInfo to nest (--inner,
 * or detected), the structure inside it (§3.4.1), its type in inner_oid.
 */
static int read_content(struct sender *s, struct xe2e_source *in, struct xe2e_buf *content,
			struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	int rc;

	rc = xe2e_source_read_all(in, &raw, s->ctx->max_input, err);
	if (!rc && (s->inner || (s->o->inner_cms < 0 && !s->o->econtent_type && !s->o->ctype))) {
		if (xe2e_send_is_cms(s->inner_oid, raw.data, raw.len))
			s->x400 = s->inner = 1;
		else if (s->inner)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "the input is not a CMS SignedData or EnvelopedData ContentInfo");
	}
	if (!rc && !s->x400 && !s->o->ctype && s->o->inner_cms != 0) {
		/* RFC 3854 §3.5: unprotected X.400 content carried in MIME */
		struct xe2e_buf c = XE2E_BUF_INIT;
		int k = xe2e_x400_entity_open(&c, s->ectype, raw.data, raw.len, err);

		if (k < 0)
			rc = k;
		if (k == 1) {
			xe2e_buf_replace(&raw, &c);
			s->x400 = 1;
		}
		xe2e_buf_wipe(&c);
	}
	if (!rc && s->inner)
		rc = bare(content, raw.data, raw.len, err);
	else if (!rc && s->x400 && raw.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	else if (!rc && s->x400)
		rc = xe2e_buf_add(content, raw.data, raw.len, err);
	else if (!rc && s->o->ctype)
		rc = xe2e_mime_make_entity(content, s->o->ctype, raw.data, raw.len, err);
	else if (!rc && raw.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	else if (!rc)
		rc = xe2e_mime_canon_entity(content, raw.data, raw.len, err);
	xe2e_buf_wipe(&raw);
	return rc;
}

int xe2e_send_is_cms(char oid[64], const unsigned char *p, size_t len)
{
	if (len < 2 || p[0] != 0x30 || xe2e_cms_unwrap_mem(oid, NULL, p, len, NULL) ||
	    (strcmp(oid, XE2E_OID_SIGNED_DATA) && strcmp(oid, XE2E_OID_ENVELOPED_DATA))) {
		oid[0] = '\0';
		return 0;
	}
	return 1;
}
/*
 * RFC 3854 §3.4.1: "the smime-type ... MUST be consistent with that
 * appropriate to the innermost protection layer": for a nested input, the
 * innermost layer that can be seen.  SignedData layers are looked into
 * (eContentType, eContent: a ContentInfo or the bare structure); of an
 * EnvelopedData only encryptedContentInfo.contentType is visible, and
 * id-signedData there means a signature inside.  1 signed, 0 enveloped.
 * An input that does not decode is left to the layers to refuse.
 */
static int innermost_signed(const char *type, const struct xe2e_buf *structure)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT, ec = XE2E_BUF_INIT;
	struct xe2e_buf *cur = &a, *next = &b, *t;
	asn1_node n = NULL;
	char oid[64], inner[64];
	size_t used;
	int depth, ret = 1;

	snprintf(oid, sizeof(oid), "%s", type);
	if (xe2e_buf_add(cur, structure->data, structure->len, NULL))
		goto out;
	for (depth = 0; depth < XE2E_MAX_LAYERS; depth++) {
		if (!strcmp(oid, XE2E_OID_ENVELOPED_DATA)) {
			ret = !xe2e_der_decode(&n, "XE2E.EnvelopedData", cur->data, cur->len, "", NULL) &&
			      !xe2e_der_read_oid(inner, sizeof(inner), n,
						 "encryptedContentInfo.contentType", "", NULL) &&
			      !strcmp(inner, XE2E_OID_SIGNED_DATA);
			break;
		}
		if (xe2e_der_decode(&n, "XE2E.SignedData", cur->data, cur->len, "", NULL) ||
		    xe2e_der_read_oid(oid, sizeof(oid), n, "encapContentInfo.eContentType", "", NULL) ||
		    (strcmp(oid, XE2E_OID_SIGNED_DATA) && strcmp(oid, XE2E_OID_ENVELOPED_DATA)) ||
		    xe2e_der_read(&ec, n, "encapContentInfo.eContent", "", NULL) ||
		    xe2e_der_octets_ber(next, &used, ec.data, ec.len, "", NULL))
			break;               /* signed over the content: signed */
		asn1_delete_structure(&n);
		/* a ContentInfo inside: its content */
		if (xe2e_send_is_cms(inner, next->data, next->len) && !bare(cur, next->data, next->len, NULL)) {
			snprintf(oid, sizeof(oid), "%s", inner);
			continue;
		}
		t = cur;
		cur = next;
		next = t;
	}
out:
	asn1_delete_structure(&n);
	xe2e_buf_wipe(&a);
	xe2e_buf_wipe(&b);
	xe2e_buf_wipe(&ec);
	return ret;
}

int xe2e_send(const struct xe2e_ctx *ctx, const struct xe2e_send_opts *o,
	      struct xe2e_source *in, struct xe2e_sink *out, struct xe2e_report *rep,
	      struct xe2e_err *err)
{
	struct xe2e_buf content = XE2E_BUF_INIT;
	struct sender s;
	const char *ectype = o->econtent_type ? o->econtent_type : XE2E_OID_DATA;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.o = o;
	s.rep = rep;
	s.inner = o->inner_cms > 0;
	s.x400 = o->econtent_type || s.inner;
	if (o->n == 0)
		return xe2e_err_set(err, XE2E_EUSAGE, "nothing to apply");
	if (o->n == 1 && o->layers[0].kind == XE2E_SEND_ENCRYPT && o->stream && !s.x400) {
		unsigned char c = 0;

		/* a ContentInfo to detect (DER SEQUENCE) is held in memory */
		if (o->inner_cms >= 0 || o->ctype || xe2e_source_peek(in, &c, NULL) != 1 || c != 0x30) {
			s.form = o->form == XE2E_OUT_AUTO ? XE2E_OUT_SMIME : o->form;
			return encrypt_stream(&s, &o->layers[0], in, out, err);
		}
	}
	rc = read_content(&s, in, &content, err);
	/* RFC 3854 §3.2: X.400 content goes bare unless MIME was asked for */
	s.form = o->form == XE2E_OUT_AUTO ? (s.x400 ? XE2E_OUT_DER : XE2E_OUT_SMIME) : o->form;
	if (s.ectype[0])
		ectype = s.ectype;
	s.innermost_signed = o->layers[0].kind == XE2E_SEND_SIGN;
	if (!rc && s.inner) {
		/* RFC 3854 §3.4: the inner object directly, typed as what it is */
		ectype = s.inner_oid;
		s.innermost_signed = innermost_signed(s.inner_oid, &content);
	}
	for (i = 0; !rc && i < o->n; i++) {
		int last = i + 1 == o->n;

		rc = o->layers[i].kind == XE2E_SEND_SIGN
		     ? sign_layer(&s, &o->layers[i], &content, ectype, last, err)
		     : encrypt_layer(&s, &o->layers[i], &content, ectype, last, err);
		/* RFC 3854 §3.4: the next layer holds this one directly */
		if (nesting(&s))
			ectype = o->layers[i].kind == XE2E_SEND_SIGN ? XE2E_OID_SIGNED_DATA
								       : XE2E_OID_ENVELOPED_DATA;
	}
	if (!rc)
		rc = xe2e_sink_write(out, content.data, content.len, err);
	xe2e_buf_wipe(&content);
	return rc;
}
