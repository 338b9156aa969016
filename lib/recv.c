/*
 * recv.c - the receive walk (see recv.h).  RFC 5652 §3, §5.2 (nested
 * content types), RFC 3851 §3.4 (S/MIME entities inside S/MIME entities,
 * RFC 2634 §1.1 triple wrapping), RFC 3854 §3.4 (CMS directly as eContent),
 * DESIGN §3 rule 12 and §6 (nesting limit).
 */
#include "recv.h"
#include "asn1dump.h"
#include "inspect.h"
#include "x400ct.h"
#include "der.h"
#include "mime.h"
#include "oids.h"
#include "smime.h"
#include "store.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the most of a decrypted content read before deciding what it is */
#define DECIDE_MAX ((size_t)64 << 10)

struct walk {
	struct xe2e_ctx *ctx;
	const struct xe2e_recv_opts *o;
	struct xe2e_report *rep;
	struct xe2e_sink *out;
	struct xe2e_source *mem;         /* reused for the layers held in memory */
};

static int is_cms_type(const char *oid)
{
	return !strcmp(oid, XE2E_OID_SIGNED_DATA) || !strcmp(oid, XE2E_OID_ENVELOPED_DATA);
}

/* RFC 3854 §3.4: the object inside a layer whose content type is
 * id-signedData or id-envelopedData -- a ContentInfo (SEQUENCE { OID, ..})
 * as most agents write it, or the bare inner structure (SEQUENCE {
 * INTEGER, .. }), which gets its ContentInfo. */
static int inner_object(struct xe2e_buf *out, const struct xe2e_buf *c, const char *oid,
			struct xe2e_err *err)
{
	int ll;
	long l;

	xe2e_buf_reset(out);
	if (c->len < 4 || c->data[0] != 0x30 || c->len > (size_t)1 << 30)
		return xe2e_err_set(err, XE2E_EMALFORMED, "nested %s: not a CMS object",
				    xe2e_cms_type_name(oid));
	l = asn1_get_length_ber(c->data + 1, (int)c->len - 1, &ll);
	if (l < -1 || (size_t)(1 + ll) >= c->len)
		return xe2e_err_set(err, XE2E_EMALFORMED, "nested %s: not a CMS object",
				    xe2e_cms_type_name(oid));
	if (c->data[1 + ll] == 0x06)
		return xe2e_buf_add(out, c->data, c->len, err);
	return xe2e_cms_wrap(out, oid, c->data, c->len, err);
}

/*
 * RFC 3854 §4.3: the innermost content is X.400 (its type is not id-data)
 * and a signature covers it: every signer's certificate must carry the
 * originator's O/R address -- the one asked for, or an IPM heading's.
 * Then, if asked, the content becomes an application/x400-content entity
 * (§3.5).
 */
static int x400_checks(struct walk *w, const struct xe2e_layer *l, struct xe2e_buf *content,
		       struct xe2e_err *err)
{
	struct xe2e_buf from = XE2E_BUF_INIT, ent = XE2E_BUF_INIT;
	const char *want = w->o->x400_originator;
	int rc = 0, x400 = strcmp(l->content_type, XE2E_OID_DATA) && !is_cms_type(l->content_type);
	size_t i;

	if (!x400) {
		if (want)
			return xe2e_err_set(err, XE2E_ENAME,
					    "no signed X.400 content to compare the originator '%s' with", want);
		return 0;
	}
	if (!want && l->type == XE2E_LAYER_SIGNED && xe2e_x400_is_ipm(l->content_type)) {
		rc = xe2e_x400_ipm_originator(&from, content->data, content->len, err);
		if (rc == 1)
			want = (const char *)from.data;
		rc = rc < 0 ? rc : 0;
	}
	if (!rc && want && l->type != XE2E_LAYER_SIGNED)
		rc = xe2e_err_set(err, XE2E_ENAME,
				  "the X.400 content is not signed: no certificate to compare the originator '%s' with",
				  want);
	for (i = 0; !rc && want && i < l->n_signers; i++)
		rc = xe2e_pki_match_names((const char *)l->signers[i].names.data,
					  (const char *)l->signers[i].subject.data, XE2E_NAME_X400, want, err);
	if (!rc && w->o->x400_entity) {
		char spec[XE2E_X400_OID_MAX];

		xe2e_x400_content_spec(spec, l->content_type);
		rc = xe2e_x400_entity_make(&ent, spec, content->data, content->len, err);
		if (!rc)
			xe2e_buf_replace(content, &ent);
	}
	xe2e_buf_release(&from);
	xe2e_buf_release(&ent);
	return rc;
}

static void describe_form(struct xe2e_layer *l, const struct xe2e_smime_form *f, int ber)
{
	switch (f->kind) {
	case XE2E_FORM_MULTIPART:
		snprintf(l->framing, sizeof(l->framing), "multipart/signed");
		break;
	case XE2E_FORM_P7M:
		snprintf(l->framing, sizeof(l->framing), "%.40s%s%.24s", f->type,
			 f->smime_type[0] ? "; smime-type=" : "", f->smime_type);
		break;
	case XE2E_FORM_PEM:
		snprintf(l->framing, sizeof(l->framing), "PEM");
		break;
	default:
		snprintf(l->framing, sizeof(l->framing), "%s", ber ? "BER" : "DER");
	}
}

/*
 * A sink that holds the first bytes of a decrypted content until it can
 * tell whether another layer follows: then it keeps everything in memory;
 * otherwise it passes everything on to the output.
 */
struct decide {
	struct xe2e_sink base;
	struct walk *w;
	const struct xe2e_layer *l;      /* its content_type is known before content */
	struct xe2e_buf mem;
	int mode;                        /* 0 deciding, 1 passing on, 2 keeping */
};

static int decide_now(struct decide *d, int at_end, struct xe2e_err *err)
{
	const unsigned char *p = d->mem.data;
	size_t n = d->mem.len;
	int rc;

	/* CMS inside, or content x400_checks must see (whatever its type:
	 * --x400-originator fails closed on content that is not X.400) */
	if (is_cms_type(d->l->content_type) || d->w->o->x400_originator || d->w->o->x400_entity ||
	    d->w->o->inspect) {     /* inspect: nothing out before the padding is known good */
		d->mode = 2;
		return 0;
	}
	if (strcmp(d->l->content_type, XE2E_OID_DATA)) {
		/* X.400 content to check or frame is held (x400_checks) */
		d->mode = d->w->o->x400_originator || d->w->o->x400_entity ? 2 : 1;
	} else {
		/* id-data: a header block must be complete to tell */
		if (!at_end && n < DECIDE_MAX && (!p || (!memmem(p, n, "\n\n", 2) &&
							  !memmem(p, n, "\n\r\n", 3))))
			return 0;
		d->mode = p && xe2e_smime_is_entity(p, n) ? 2 : 1;
	}
	if (d->mode == 1 && n) {
		rc = xe2e_sink_write(d->w->out, p, n, err);
		xe2e_buf_wipe(&d->mem);
		return rc;
	}
	return 0;
}

static int decide_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
			struct xe2e_err *err)
{
	struct decide *d = (struct decide *)s;
	int rc;

	if (d->mode == 1)
		return xe2e_sink_write(d->w->out, p, n, err);
	if (d->mem.len + n > d->w->ctx->max_input)
		return xe2e_err_set(err, XE2E_EMALFORMED, "an inner layer is larger than %zu bytes",
				    d->w->ctx->max_input);
	rc = xe2e_buf_add(&d->mem, p, n, err);
	return rc || d->mode ? rc : decide_now(d, 0, err);
}

static int write_out(struct walk *w, const struct xe2e_buf *b, struct xe2e_err *err)
{
	return xe2e_sink_write(w->out, b->data, b->len, err);
}

/* A layer this run cannot open: recorded, and itself the content. */
static int unopened(struct walk *w, struct xe2e_layer *l, const struct xe2e_buf *cur,
		    const char *what, const char *why, struct xe2e_err *err)
{
	l->type = XE2E_LAYER_UNOPENED;
	snprintf(l->note, sizeof(l->note), "%s, %s", what, why);
	/* RFC 3854 §4.3 asked for: fail closed, the content cannot be seen */
	if (w->o->x400_originator)
		return xe2e_err_set(err, XE2E_ENAME,
				    "the originator '%s' cannot be checked: a layer is %s, %s",
				    w->o->x400_originator, what, why);
	return write_out(w, cur, err);
}

/* The outermost layer must be what the command is for. */
static int first_is(struct walk *w, size_t depth, int signed_data, struct xe2e_err *err)
{
	if (depth || w->o->first == XE2E_RECV_ANY)
		return 0;
	if (w->o->first == XE2E_RECV_SIGNED && !signed_data)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "not a signed message: it is encrypted (EnvelopedData)");
	/* RFC 3854 §3.4.1: an outer signature around the encryption (triple
	 * wrapping) is verified and peeled when there is trust to verify it */
	if (w->o->first == XE2E_RECV_ENVELOPED && signed_data && !w->o->verify)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "not an encrypted message: it is signed (SignedData; give --ca "
				    "or --store to verify it and decrypt what it holds)");
	return 0;
}

/* A verdict verify would give, as opposed to input we cannot read. */
static int is_verdict(int rc)
{
	return rc == -XE2E_ESIGNATURE || rc == -XE2E_ECERT || rc == -XE2E_ENAME ||
	       rc == -XE2E_ETIMESTAMP || rc == -XE2E_EUNSUPPORTED || rc == -XE2E_EDECRYPT;
}

static void verdict(struct xe2e_info *info, const char *key, int rc, const struct xe2e_err *err)
{
	struct xe2e_info *v = xe2e_info_obj(info, key);

	xe2e_info_str(v, "result", rc ? "failed" : "ok");
	if (rc) {
		xe2e_info_int(v, "exit", xe2e_exit_status(err ? err->code : XE2E_EIO));
		xe2e_info_str(v, "error", err ? err->msg : "");
	}
}

/* inspect: the SignedData's tree, then verify's verdict (with trust) or
 * none, and the content either way */
static int inspect_signed(struct walk *w, struct xe2e_layer *l, const unsigned char *sd,
			  size_t len, const struct xe2e_detached *d, struct xe2e_buf *next,
			  struct xe2e_err *err)
{
	struct xe2e_err e;
	size_t n = 0;
	int rc;

	l->type = XE2E_LAYER_UNOPENED;     /* until it could be read */
	rc = xe2e_inspect_signed(xe2e_info_obj(l->info, "signed_data"), w->ctx, sd, len, err);
	if (rc)
		return rc;
	if (w->o->verify) {
		/* the structure was read: whatever verify says of it is a
		 * verdict, with or without --ca the exit status is the same */
		xe2e_err_clear(&e);
		rc = xe2e_cms_verify(w->ctx, l, next, sd, len, d, &e);
		verdict(l->info, "verification", rc, &e);
		{       /* each signer verify got to: its certificate and chain */
			struct xe2e_info *v = xe2e_info_arr(l->info, "verified_signers"), *s, *c;
			size_t i, k;

			for (i = 0; i < l->n_signers; i++) {
				s = xe2e_info_obj(v, NULL);
				xe2e_info_strn(s, "subject", l->signers[i].subject.data,
					       l->signers[i].subject.len);
				xe2e_info_bool(s, "ok", !rc || i + 1 < l->n_signers);
				c = xe2e_info_arr(s, "chain");
				for (k = 0; k < l->signers[i].path.n; k++)
					xe2e_info_str(c, NULL, xe2e_cert_name(l->signers[i].path.chain[k]));
				if (l->signers[i].path.warning[0])
					xe2e_info_str(s, "warning", l->signers[i].path.warning);
			}
		}
		if (!rc)
			return 0;
		/* a signer that did not verify is not one of the record's
		 * signers (what --json lists as verified) */
		l->n_signers = 0;
	} else {
		xe2e_info_str(xe2e_info_obj(l->info, "verification"), "result",
			      "not verified (no trust anchor given)");
	}
	rc = xe2e_cms_signed_content(next, l->content_type, &n, sd, len, d, err);
	l->type = n ? XE2E_LAYER_SIGNED : XE2E_LAYER_CERTS_ONLY;
	if (rc && err && err->what == XE2E_WHAT_NO_CONTENT) {
		/* a detached signature shown without its content: the walk ends */
		xe2e_info_str(l->info, "content", "detached, not given (--detached FILE)");
		return 1;
	}
	return rc;
}

static int signed_layer(struct walk *w, struct xe2e_layer *l, const unsigned char *sd, size_t len,
			const struct xe2e_detached *d, struct xe2e_buf *next, struct xe2e_err *err)
{
	if (w->o->inspect)
		return inspect_signed(w, l, sd, len, d, next, err);
	{
	int rc = xe2e_cms_verify(w->ctx, l, next, sd, len, d, err);

	if (!rc && l->type == XE2E_LAYER_CERTS_ONLY && w->o->first == XE2E_RECV_SIGNED &&
	    w->rep->n == 1)
		rc = xe2e_err_set(err, XE2E_ESIGNATURE, "the message has no signer (certs-only)");
	return rc;
	}
}

/* inspect: where the encoding of obj[0..len) stops being well-formed,
 * added to the layer's error */
static void name_offset(const unsigned char *obj, size_t len, struct xe2e_err *err)
{
	struct xe2e_err e;
	size_t bad;

	if (!err || !len || xe2e_asn1_dump(NULL, obj, len, &bad, &e) == 0)
		return;
	if (strlen(err->msg) + strlen(e.msg) + 40 < sizeof(err->msg))
		xe2e_err_set(err, err->code, "%s (the encoding stops at byte %zu: %s)", err->msg, bad,
			     e.msg);
}

/*
 * One layer at src (whose bytes are cur when they are in memory, else
 * cur is NULL).  The content goes to next (*more: another layer may
 * follow) or, when it is the innermost, to the output.
 */
static int one_layer(struct walk *w, struct xe2e_source *src, const struct xe2e_buf *cur,
		     size_t depth, struct xe2e_buf *next, int *more, struct xe2e_err *err)
{
	struct xe2e_buf sd = XE2E_BUF_INIT, part = XE2E_BUF_INIT, whole = XE2E_BUF_INIT;
	struct xe2e_source *own = NULL;
	struct xe2e_decrypt_params dp;
	struct xe2e_smime_form f;
	struct xe2e_cms_info ci;
	struct xe2e_detached det;
	struct xe2e_layer *l;
	struct decide *ds = NULL;
	int rc;

	*more = 0;
	xe2e_buf_reset(next);
	l = xe2e_layer_new(XE2E_LAYER_SIGNED);
	rc = xe2e_report_add(w->rep, l, err);
	if (rc)
		return rc;
	if (w->o->inspect && !(l->info = xe2e_info_new()))
		return xe2e_err_oom(err);
	rc = xe2e_smime_recognise(src, &f, err);
	if (rc && w->o->inspect) {
		l->type = XE2E_LAYER_UNOPENED;
		snprintf(l->framing, sizeof(l->framing), "not recognised");
		if (err && strlen(err->msg) + 20 < sizeof(err->msg) && !strstr(err->msg, "byte"))
			xe2e_err_set(err, err->code, "%s (at byte 0 of the layer)", err->msg);
	}
	if (rc)
		goto out;
	describe_form(l, &f, 0);
	if (f.kind == XE2E_FORM_OTHER && w->o->inspect &&
	    !strcmp(f.type, "application/x400-content")) {
		/* RFC 3855 §2: X.400 content as a MIME entity, not a layer of
		 * protection: shown as the content it is */
		char oid[XE2E_X400_OID_MAX];

		l->type = XE2E_LAYER_UNOPENED;
		snprintf(l->framing, sizeof(l->framing), "application/x400-content");
		snprintf(l->note, sizeof(l->note), "X.400 content (RFC 3855), not protected");
		rc = xe2e_buf_add(&whole, f.header.data, f.header.len, err);
		if (!rc)
			rc = xe2e_source_read_all(src, &whole, w->ctx->max_input, err);
		if (!rc)
			rc = xe2e_x400_entity_open(&part, oid, whole.data, whole.len, err);
		if (rc == 1) {
			snprintf(l->content_type, sizeof(l->content_type), "%s", oid);
			rc = xe2e_sink_write(w->out, part.data, part.len, err);
		} else if (rc == 0) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "not an application/x400-content entity");
		}
		whole.len = 0;      /* not a CMS object: no offset to name */
		goto out;
	}
	if (f.kind == XE2E_FORM_OTHER) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "not an S/MIME message: Content-Type is '%.60s'",
				  f.type);
		goto out;
	}
	if (f.kind == XE2E_FORM_MULTIPART) {
		rc = first_is(w, depth, 1, err);
		if (!rc && !w->o->verify && cur && !w->o->inspect) {
			rc = unopened(w, l, cur, "signed", "not verified (no trust anchor given)", err);
			goto out;
		}
		if (!rc && depth == 0 && w->o->detached)
			rc = xe2e_err_set(err, XE2E_EUSAGE,
					  "a content was given, but the multipart/signed carries one");
		if (!rc)
			rc = xe2e_smime_read_multipart(src, &f, &part, &sd, w->ctx->max_input, err);
		if (rc)
			goto out;
		if (w->o->inspect) {
			size_t bad;

			l->type = XE2E_LAYER_UNOPENED;     /* until it could be read */
			xe2e_inspect_form(l->info, &f, part.len, sd.len);
			rc = xe2e_buf_add(&whole, sd.data, sd.len, err);
			if (!rc && w->o->der)
				(void)xe2e_asn1_dump(xe2e_info_arr(l->info, "der"), sd.data, sd.len, &bad, NULL);
			if (rc)
				goto out;
		}
		/* the signature part: a ContentInfo of a SignedData */
		xe2e_source_wipe(w->mem);     /* it may have held this layer */
		xe2e_source_init_mem(w->mem, sd.data, sd.len);
		rc = xe2e_cms_open(w->mem, &ci, err);
		if (!rc && strcmp(ci.oid, XE2E_OID_SIGNED_DATA))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "the signature part holds %s, not SignedData",
					  xe2e_cms_type_name(ci.oid));
		if (!rc)
			rc = xe2e_cms_read_content(w->mem, &ci, &sd, w->ctx->max_input, err);
		det.p = part.data;
		det.len = part.len;
		det.canon_fallback = 0;
		if (!rc)
			rc = signed_layer(w, l, sd.data, sd.len, &det, next, err);
		*more = !rc;
		if (rc == 1)
			rc = 0;
		goto out;
	}
	if (w->o->inspect) {
		/* the whole object in memory: its outline, and the offset where it
		 * stops being well-formed if it does */
		size_t bad;

		l->type = XE2E_LAYER_UNOPENED;     /* until it could be read */
		xe2e_inspect_form(l->info, &f, 0, 0);
		rc = xe2e_source_read_all(src, &whole, w->ctx->max_input, err);
		own = rc ? NULL : malloc(sizeof(*own));
		if (!rc && !own)
			rc = xe2e_err_oom(err);
		if (rc)
			goto out;
		xe2e_source_init_mem(own, whole.data, whole.len);
		src = own;
		if (w->o->der)
			(void)xe2e_asn1_dump(xe2e_info_arr(l->info, "der"), whole.data, whole.len, &bad, NULL);
	}
	rc = xe2e_cms_open(src, &ci, err);
	if (rc)
		goto out;
	describe_form(l, &f, ci.ber);
	if (!strcmp(ci.oid, XE2E_OID_SIGNED_DATA)) {
		rc = first_is(w, depth, 1, err);
		if (!rc && !w->o->verify && !w->o->inspect) {
			rc = cur ? unopened(w, l, cur, "signed", "not verified (no trust anchor given)", err)
				 : xe2e_err_set(err, XE2E_EMALFORMED,
						"not an encrypted message: it is signed (SignedData)");
			goto out;
		}
		if (!rc)
			rc = xe2e_cms_read_content(src, &ci, &sd, w->ctx->max_input, err);
		if (!rc && ci.ber)
			describe_form(l, &f, 1);
		if (!rc)
			rc = signed_layer(w, l, sd.data, sd.len, depth ? NULL : w->o->detached, next, err);
		*more = !rc;
		if (rc == 1)
			rc = 0;
	} else if (!strcmp(ci.oid, XE2E_OID_ENVELOPED_DATA)) {
		l->type = XE2E_LAYER_ENVELOPED;
		rc = first_is(w, depth, 0, err);
		if (!rc && !w->o->key && w->o->inspect) {
			/* described: recipients, parameters, read to its end */
			memset(&dp, 0, sizeof(dp));
			dp.keep_originator = 1;
			rc = xe2e_cms_decrypt(w->ctx, src, &ci, &dp, NULL, l, err);
			xe2e_inspect_enveloped(xe2e_info_obj(l->info, "enveloped_data"), l);
			if (rc == -XE2E_EUNSUPPORTED) {
				/* an algorithm xe2e cannot use: a verdict, as with a key */
				verdict(l->info, "decryption", rc, err);
				rc = 0;
			} else {
				xe2e_info_str(xe2e_info_obj(l->info, "decryption"), "result",
					      "not decrypted (no key given)");
			}
			goto out;
		}
		if (!rc && !w->o->key) {
			rc = cur ? unopened(w, l, cur, "encrypted", "not decrypted (no key given)", err)
				 : xe2e_err_set(err, XE2E_EMALFORMED,
						"not a signed message: it is encrypted (EnvelopedData)");
			goto out;
		}
		if (rc)
			goto out;
		ds = calloc(1, sizeof(*ds));
		if (!ds) {
			rc = xe2e_err_oom(err);
			goto out;
		}
		ds->base.write = decide_write;
		ds->w = w;
		ds->l = l;
		memset(&dp, 0, sizeof(dp));
		dp.key = w->o->key;
		dp.cert = w->o->key_cert;
		dp.keep_originator = w->o->keep_originator;
		dp.keep_originator |= w->o->inspect;
		rc = xe2e_cms_decrypt(w->ctx, src, &ci, &dp, &ds->base, l, err);
		if (!rc && ds->mode == 0)
			rc = decide_now(ds, 1, err);
		if (w->o->inspect) {
			xe2e_inspect_enveloped(xe2e_info_obj(l->info, "enveloped_data"), l);
			verdict(l->info, "decryption", rc, err);
			if (is_verdict(rc)) {       /* recorded; the walk ends here */
				rc = 0;
				goto out;
			}
		}
		if (!rc && ds->mode == 2) {
			*more = 1;
			rc = xe2e_buf_add(next, ds->mem.data, ds->mem.len, err);
		}
	} else if (!strcmp(ci.oid, "1.2.840.113549.1.9.16.1.23")) {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "AuthEnvelopedData (AES-GCM, RFC 5083) is not supported");
	} else {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "CMS content type %s is not supported",
				  xe2e_cms_type_name(ci.oid));
	}
out:
	if (rc && w->o->inspect)
		name_offset(whole.data, whole.len, err);
	if (own) {
		xe2e_source_wipe(own);
		free(own);
	}
	xe2e_buf_wipe(&whole);
	if (ds) {
		xe2e_buf_wipe(&ds->mem);
		free(ds);
	}
	xe2e_smime_form_release(&f);
	xe2e_buf_release(&sd);
	xe2e_buf_wipe(&part);
	return rc;
}

int xe2e_receive(struct xe2e_ctx *ctx, const struct xe2e_recv_opts *o, struct xe2e_source *in,
		 struct xe2e_sink *out, struct xe2e_report *rep, struct xe2e_err *err)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT, *cur = NULL, *next = &a, *t;
	struct xe2e_source *src = in;
	struct walk w;
	size_t depth, max = ctx->max_depth ? ctx->max_depth : XE2E_MAX_CMS_NESTING;
	int rc = 0, more = 1;

	if (max > XE2E_MAX_LAYERS)
		max = XE2E_MAX_LAYERS;
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.o = o;
	w.rep = rep;
	w.out = out;
	w.mem = malloc(sizeof(*w.mem));
	if (!w.mem)
		return xe2e_err_oom(err);
	xe2e_source_init_mem(w.mem, NULL, 0);
	for (depth = 0; !rc && more; depth++) {
		if (depth == max) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "more than %zu nested layers (the nesting limit)", max);
			break;
		}
		rc = one_layer(&w, src, cur, depth, next, &more, err);
		if (rc && depth && err)
			xe2e_err_set(err, err->code, "layer %zu: %s", depth + 1, err->msg);
		if (rc || !more)
			break;
		/* what the content is: the next layer, or the content itself */
		{
			const struct xe2e_layer *l = rep->layers[rep->n - 1];

			t = cur ? cur : &b;
			if (is_cms_type(l->content_type)) {
				rc = inner_object(t, next, l->content_type, err);
			} else if (!strcmp(l->content_type, XE2E_OID_DATA) &&
				   xe2e_smime_is_entity(next->data, next->len)) {
				xe2e_buf_reset(t);
				rc = xe2e_buf_add(t, next->data, next->len, err);
			} else {
				/* inspect shows the X.400 type; it checks no names */
				rc = o->inspect ? 0 : x400_checks(&w, l, next, err);
				if (!rc)
					rc = write_out(&w, next, err);
				more = 0;
				break;
			}
			cur = t;
			next = cur == &a ? &b : &a;
			xe2e_source_wipe(w.mem);
			xe2e_source_init_mem(w.mem, cur->data, cur->len);
			src = w.mem;
		}
	}
	/* decrypt: the walk must have opened an EnvelopedData */
	if (!rc && o->first == XE2E_RECV_ENVELOPED) {
		size_t i;

		for (i = 0; i < rep->n && rep->layers[i]->type != XE2E_LAYER_ENVELOPED; i++)
			;
		if (i == rep->n)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "not an encrypted message: no layer is an EnvelopedData");
	}
	xe2e_buf_wipe(&a);
	xe2e_buf_wipe(&b);
	xe2e_source_wipe(w.mem);
	free(w.mem);
	return rc;
}

int xe2e_receive_cache(struct xe2e_ctx *ctx, const struct xe2e_report *rep,
		       struct xe2e_err *err)
{
	size_t l, i, left = XE2E_MAX_CACHE_ADD;
	int rc = 0;

	if (!ctx->store)
		return 0;
	for (l = 0; !rc && l < rep->n; l++) {
		const struct xe2e_layer *y = rep->layers[l];

		for (i = 0; !rc && y->type == XE2E_LAYER_SIGNED && i < y->n_signers; i++)
			rc = xe2e_store_add_path(ctx->store, &y->signers[i].path, &left, err);
		/* unauthenticated originatorInfo: what validates against the
		 * store's own anchors (a forged CRL cannot poison the store) */
		for (i = 0; !rc && left && y->type == XE2E_LAYER_ENVELOPED && i < y->certs.n; i++) {
			struct xe2e_path path;

			if (!xe2e_ctx_validate_by_store(ctx, &path, y->certs.v[i], &y->certs, &y->crls,
							XE2E_PURPOSE_ANY, NULL))
				rc = xe2e_store_add_path(ctx->store, &path, &left, err);
		}
	}
	return rc;
}
