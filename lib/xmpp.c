/*
 * xmpp.c - RFC 3923 send and receive of one stanza (see xmpp.h): §3-§5
 * (what is protected), §6.3 (names), §6.5 (sign, then encrypt), §6.6
 * (certificates), §6.9 (timestamps), DESIGN §3 rules 4-7 and 11.
 */
#include "xmpp.h"
#include "datetime.h"
#include "jid.h"
#include "mime.h"
#include "pki.h"
#include "recv.h"
#include "send.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* JID text s as a parsed JID; name says which one in messages. */
static int jid_of(struct xe2e_jid *j, const char *s, size_t len, const char *name,
		  struct xe2e_err *err)
{
	int rc = xe2e_jid_parse(j, s, len, err);

	if (rc && err)
		xe2e_err_set(err, XE2E_EMALFORMED, "%s: %s", name, err->msg);
	return rc;
}

/* A memory source on the heap (512 KiB of buffers), and its wipe: only
 * the bytes it can have copied (it may hold plaintext). */
static struct xe2e_source *mem_source(const unsigned char *p, size_t len)
{
	struct xe2e_source *s = malloc(sizeof(*s));

	if (s)
		xe2e_source_init_mem(s, p, len);
	return s;
}

static void free_source(struct xe2e_source *s)
{
	if (!s)
		return;
	xe2e_source_wipe(s);
	free(s);
}

/* ------------------------------------------------------------ wrap */

static int stamp_for(const struct xe2e_ctx *ctx, const struct xe2e_wrap_opts *o,
		     const struct xe2e_jid *from, int64_t *ms, struct xe2e_err *err)
{
	int64_t now = xe2e_ctx_clock_ms(ctx);

	/* rule 6: strictly increasing per sender, across runs */
	if (!o->state) {
		*ms = now;
		return 0;
	}
	return xe2e_state_next_stamp(o->state, (char *)from->bare_key.data, now, ms, err);
}

int xe2e_xmpp_wrap(const struct xe2e_ctx *ctx, const struct xe2e_wrap_opts *o,
		   struct xe2e_xml_node *stanza, struct xe2e_wrap_result *res,
		   struct xe2e_report *rep, struct xe2e_err *err)
{
	enum xe2e_stanza_kind kind = xe2e_stanza_kind(stanza);
	const char *from = xe2e_stanza_attr(stanza, "from"), *to = xe2e_stanza_attr(stanza, "to");
	struct xe2e_buf entity = XE2E_BUF_INIT, obj = XE2E_BUF_INIT, bare = XE2E_BUF_INIT;
	struct xe2e_send_layer layers[2];
	struct xe2e_send_opts so;
	struct xe2e_payload_make m;
	struct xe2e_source *src = NULL;
	struct xe2e_sink_buf sink;
	struct xe2e_jid jf, jt, jo;
	int rc = 0, include = 0;
	size_t n = 0;

	memset(res, 0, sizeof(*res));
	xe2e_jid_init(&jf);
	xe2e_jid_init(&jt);
	xe2e_jid_init(&jo);
	if (kind == XE2E_STANZA_OTHER)
		return xe2e_err_set(err, XE2E_EMALFORMED, "<%s/> is not a message, presence or iq stanza",
				    stanza->local);
	if (xe2e_xml_child(stanza, XE2E_NS_E2E, "e2e") || xe2e_xml_child(stanza, XE2E_NS_E2E_RFC, "e2e"))
		return xe2e_err_set(err, XE2E_EMALFORMED, "the stanza already carries <e2e/>");
	/* RFC 3923 §2, §4.1: directed presence only; §1: one recipient */
	if (!to && kind == XE2E_STANZA_PRESENCE)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "presence without 'to' is broadcast presence, which RFC 3923 does not "
				    "protect (§2): direct it to one recipient");
	if (!to)
		return xe2e_err_set(err, XE2E_EMALFORMED, "the %s has no 'to' (RFC 3923 protects stanzas "
				    "sent to one recipient)", xe2e_stanza_kind_name(kind));
	if (!from && !o->from)
		return xe2e_err_set(err, XE2E_EUSAGE, "the stanza has no 'from': say who sends it");
	rc = jid_of(&jt, to, strlen(to), "'to'", err);
	if (!rc)
		rc = jid_of(&jf, from ? from : o->from, strlen(from ? from : o->from),
			    from ? "'from'" : "the sender", err);
	if (!rc && from && o->from) {
		rc = jid_of(&jo, o->from, strlen(o->from), "the sender", err);
		if (!rc && !xe2e_jid_bare_equal(&jf, &jo))
			rc = xe2e_err_set(err, XE2E_EUSAGE, "the stanza is from '%s', not '%s'", from, o->from);
	}
	/* rule 5: the signer certificate must name the sender (before signing) */
	if (!rc)
		rc = xe2e_jid_bare(&bare, &jf, err);
	if (!rc && o->cert)
		rc = xe2e_pki_match_names((char *)o->cert->names.data, xe2e_cert_name(o->cert),
					  XE2E_NAME_JID, (char *)bare.data, err);
	if (!rc)
		rc = stamp_for(ctx, o, &jf, &res->stamp_ms, err);
	memset(&m, 0, sizeof(m));
	m.from = &jf;
	m.to = &jt;
	m.stamp_ms = res->stamp_ms;
	m.ctx = ctx;
	if (!rc)
		rc = xe2e_payload_make(&entity, &res->payload, stanza, &m, err);
	/* rule 7 / §6.6 */
	if (!rc && o->cert) {
		include = o->certs == XE2E_CERTS_ALWAYS;
		if (o->certs == XE2E_CERTS_AUTO && o->state)
			rc = xe2e_state_certs_due(o->state, (char *)jf.bare_key.data,
						  (char *)jt.bare_key.data, res->stamp_ms, &include, err);
		else if (o->certs == XE2E_CERTS_AUTO)
			include = 1;
	}
	memset(layers, 0, sizeof(layers));
	if (!rc && o->cert) {
		/* §6.5: sign first */
		layers[n].kind = XE2E_SEND_SIGN;
		layers[n].sign.cert = o->cert;
		layers[n].sign.key = o->key;
		layers[n].sign.chain = include ? o->chain : NULL;
		layers[n].sign.include_certs = include;
		layers[n].sign.digest = o->digest;
		layers[n].sign.signing_time = (time_t)(res->stamp_ms / 1000);
		n++;
	}
	if (!rc && o->n_recips) {
		layers[n].kind = XE2E_SEND_ENCRYPT;
		layers[n].enc.ctx = ctx;
		layers[n].enc.recips = o->recips;
		layers[n].enc.n_recips = o->n_recips;
		layers[n].enc.use_ski = o->use_ski;
		layers[n].enc.alg = o->alg;
		n++;
	}
	if (!rc && n == 0)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "neither signing nor encrypting");
	if (!rc) {
		memset(&so, 0, sizeof(so));
		so.layers = layers;
		so.n = n;
		so.form = XE2E_OUT_SMIME;
		so.compat_micalg = o->compat;
		src = mem_source(entity.data, entity.len);
		xe2e_sink_buf_init(&sink, &obj);
		rc = src ? xe2e_send(ctx, &so, src, &sink.base, rep, err) : xe2e_err_oom(err);
		free_source(src);
	}
	if (!rc)
		rc = xe2e_stanza_e2e_put(stanza, obj.data, obj.len, err);
	if (!rc && include && o->certs == XE2E_CERTS_AUTO && o->state)
		rc = xe2e_state_certs_sent(o->state, (char *)jf.bare_key.data, (char *)jt.bare_key.data,
					   res->stamp_ms, err);
	res->certs_included = include;
	xe2e_buf_wipe(&entity);
	xe2e_buf_release(&obj);
	xe2e_buf_release(&bare);
	xe2e_jid_release(&jf);
	xe2e_jid_release(&jt);
	xe2e_jid_release(&jo);
	return rc;
}

/* ------------------------------------------------------------ unwrap */

void xe2e_unwrap_result_init(struct xe2e_unwrap_result *r)
{
	memset(r, 0, sizeof(*r));
}

void xe2e_unwrap_result_release(struct xe2e_unwrap_result *r)
{
	xe2e_buf_release(&r->dropped);
	xe2e_buf_release(&r->jid);
	xe2e_buf_release(&r->jid_key);
	xe2e_buf_wipe(&r->payload);
	xe2e_buf_wipe(&r->stanza);
	xe2e_unwrap_result_init(r);
}

/* What the walk opened: signed (a signer verified), encrypted (a layer
 * decrypted); a layer left unopened is this stanza's failure. */
static int walked(struct xe2e_unwrap_result *res, const struct xe2e_report *rep, struct xe2e_err *err)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		const struct xe2e_layer *l = rep->layers[i];

		if (l->type == XE2E_LAYER_SIGNED && l->n_signers)
			res->is_signed = 1;
		else if (l->type == XE2E_LAYER_ENVELOPED)
			res->is_encrypted = 1;
		else if (l->type == XE2E_LAYER_UNOPENED && strstr(l->note, "encrypted"))
			return xe2e_err_set(err, XE2E_EDECRYPT, "the stanza is encrypted and no key was given");
		else if (l->type == XE2E_LAYER_UNOPENED)
			return xe2e_err_set(err, XE2E_ECERT,
					    "the stanza is signed and no trust anchor was given to verify it");
		else if (l->type == XE2E_LAYER_CERTS_ONLY)
			return xe2e_err_set(err, XE2E_ESIGNATURE, "the object is certs-only: nothing is signed");
	}
	return 0;
}

static int require(const struct xe2e_unwrap_opts *o, const struct xe2e_unwrap_result *res,
		   struct xe2e_err *err)
{
	if ((o->require == XE2E_REQUIRE_SIGNED || o->require == XE2E_REQUIRE_BOTH) && !res->is_signed)
		return xe2e_err_set(err, XE2E_ESIGNATURE, "the stanza is not signed (a signature is required)");
	if ((o->require == XE2E_REQUIRE_ENCRYPTED || o->require == XE2E_REQUIRE_BOTH) &&
	    !res->is_encrypted)
		return xe2e_err_set(err, XE2E_EDECRYPT, "the stanza is not encrypted (encryption is required)");
	return 0;
}

/* Is JID text s (may be empty: then not checked) the same bare JID as j? */
static int same_bare(const struct xe2e_buf *s, const struct xe2e_jid *j, const char *what,
		     struct xe2e_err *err)
{
	struct xe2e_jid k;
	int rc;

	if (!s->len)
		return 0;
	xe2e_jid_init(&k);
	rc = jid_of(&k, (char *)s->data, s->len, what, err);
	if (!rc && !xe2e_jid_bare_equal(&k, j))
		rc = xe2e_err_set(err, XE2E_ENAME, "%s is '%s', the stanza's is '%s'", what,
				  (char *)s->data, (char *)j->bare_key.data);
	xe2e_jid_release(&k);
	return rc;
}

/* Rule 5 and RFC 3923 §6.3, plus what the protected object itself says
 * about sender and recipient (a stanza re-addressed by anyone on the way
 * fails here). */
static int check_names(const struct xe2e_xml_node *stanza, const struct xe2e_payload *pl,
		       const struct xe2e_report *rep, struct xe2e_unwrap_result *res,
		       struct xe2e_err *err)
{
	const char *from = xe2e_stanza_attr(stanza, "from"), *to = xe2e_stanza_attr(stanza, "to");
	struct xe2e_jid jf, jt;
	size_t i, k;
	int rc = 0;

	xe2e_jid_init(&jf);
	xe2e_jid_init(&jt);
	/* the server stamps from (RFC 6120 §8.1.2.1); without one, the sender
	 * the object names is what the signer must be */
	if (from)
		rc = jid_of(&jf, from, strlen(from), "'from'", err);
	else if (pl->sender.len)
		rc = jid_of(&jf, (char *)pl->sender.data, pl->sender.len, "the object's sender", err);
	else
		rc = xe2e_err_set(err, XE2E_ENAME, "the stanza has no 'from' and the object names no sender");
	if (!rc)
		rc = xe2e_jid_bare(&res->jid, &jf, err);
	if (!rc)
		rc = xe2e_buf_add(&res->jid_key, jf.bare_key.data, jf.bare_key.len, err);
	for (i = 0; !rc && i < rep->n; i++)
		for (k = 0; !rc && rep->layers[i]->type == XE2E_LAYER_SIGNED &&
			    k < rep->layers[i]->n_signers; k++) {
			const struct xe2e_signer *s = &rep->layers[i]->signers[k];

			rc = xe2e_pki_match_names((char *)s->names.data, (char *)s->subject.data,
						  XE2E_NAME_JID, (char *)res->jid.data, err);
		}
	if (!rc && from)
		rc = same_bare(&pl->sender, &jf, pl->kind == XE2E_PAYLOAD_PIDF ? "the PIDF entity"
									   : "the CPIM From", err);
	if (!rc)
		rc = same_bare(&pl->inner_from, &jf, "the inner stanza's from", err);
	if (!rc && to) {
		rc = jid_of(&jt, to, strlen(to), "'to'", err);
		if (!rc)
			rc = same_bare(&pl->recipient, &jt, "the CPIM To", err);
		if (!rc)
			rc = same_bare(&pl->inner_to, &jt, "the inner stanza's to", err);
	} else if (!rc && (pl->recipient.len || pl->inner_to.len)) {
		/* a stanza stripped of its 'to' could be anyone's: the object says whose */
		rc = xe2e_err_set(err, XE2E_ENAME, "the stanza has no 'to'; the object is for '%s'",
				  (char *)(pl->recipient.len ? pl->recipient.data : pl->inner_to.data));
	}
	xe2e_jid_release(&jf);
	xe2e_jid_release(&jt);
	return rc;
}

/* Rule 6: within 5 minutes of now, later than what was accepted from this
 * sender in the last 10 minutes; recorded when accepted. */
static int check_time(struct xe2e_ctx *ctx, const struct xe2e_unwrap_opts *o,
		      const struct xe2e_payload *pl, struct xe2e_unwrap_result *res,
		      struct xe2e_err *err)
{
	int64_t now = o->have_now ? o->now_ms : xe2e_ctx_clock_ms(ctx), d;
	char t[40] = "";
	int rc;

	res->has_timestamp = pl->has_timestamp;
	res->timestamp_ms = pl->timestamp_ms;
	if (!pl->has_timestamp) {
		/* only a bare xmpp+xml object has none (DESIGN §2) */
		if (pl->kind != XE2E_PAYLOAD_XMPP) {
			res->timestamp = "old";
			return xe2e_err_set(err, XE2E_ETIMESTAMP, "the object has no timestamp (RFC 3923 §6.9)");
		}
		res->timestamp = "none";
		return 0;
	}
	xe2e_time_format_ms(t, sizeof(t), pl->timestamp_ms);
	d = now - pl->timestamp_ms;
	if (d > XE2E_TIMESTAMP_WINDOW_MS) {
		res->timestamp = "old";
		return xe2e_err_set(err, XE2E_ETIMESTAMP, "old timestamp %s (%lld s before now)", t,
				    (long long)(d / 1000));
	}
	if (-d > XE2E_TIMESTAMP_WINDOW_MS) {
		res->timestamp = "future";
		return xe2e_err_set(err, XE2E_ETIMESTAMP, "future timestamp %s (%lld s after now)", t,
				    (long long)(-d / 1000));
	}
	if (o->state) {
		rc = xe2e_state_accept(o->state, (char *)res->jid_key.data, pl->timestamp_ms, now, err);
		if (rc == -XE2E_ETIMESTAMP)
			res->timestamp = "decreasing";
		if (rc)
			return rc;
	}
	res->timestamp = "ok";
	return 0;
}

int xe2e_xmpp_unwrap(struct xe2e_ctx *ctx, const struct xe2e_unwrap_opts *o,
		     const struct xe2e_xml_node *stanza, struct xe2e_unwrap_result *res,
		     struct xe2e_report *rep, struct xe2e_err *err)
{
	struct xe2e_buf text = XE2E_BUF_INIT, canon = XE2E_BUF_INIT;
	const char *type = xe2e_stanza_attr(stanza, "type");
	struct xe2e_recv_opts ro;
	struct xe2e_source *src;
	struct xe2e_sink_buf sink;
	struct xe2e_payload pl;
	unsigned hits;
	int rc;

	xe2e_unwrap_result_release(res);
	xe2e_payload_init(&pl);
	res->kind = xe2e_stanza_kind(stanza);
	if (res->kind == XE2E_STANZA_OTHER) {
		res->no_e2e = 1;
		return xe2e_err_set(err, XE2E_EMALFORMED, "<%s/> is not a stanza", stanza->local);
	}
	rc = xe2e_stanza_e2e_get(&text, stanza, NULL, err);
	if (rc == 0 || (rc == 1 && type && !strcmp(type, "error"))) {
		res->no_e2e = 1;
		rc = xe2e_err_set(err, XE2E_EMALFORMED, rc ? "an error stanza (%s)" : "the %s carries no <e2e/>",
				  rc ? "type='error'" : xe2e_stanza_kind_name(res->kind));
		goto out;
	}
	if (rc < 0)
		goto out;
	/* rule 2: the receiver makes it canonical again before digesting */
	rc = xe2e_mime_canon(&canon, text.data, text.len, err);
	memset(&ro, 0, sizeof(ro));
	ro.first = XE2E_RECV_ANY;
	ro.verify = ctx->trust.anchors.n > 0 || ctx->store;
	ro.key = o->key;
	ro.key_cert = o->key_cert;
	hits = xe2e_ctx_chain_hits(ctx);
	if (!rc) {
		src = mem_source(canon.data, canon.len);
		xe2e_sink_buf_init(&sink, &res->payload);
		rc = src ? xe2e_receive(ctx, &ro, src, &sink.base, rep, err) : xe2e_err_oom(err);
		free_source(src);
		/* the walk calls that malformed for a message to verify */
		if (rc && !o->key && rep->n && rep->layers[rep->n - 1]->type == XE2E_LAYER_ENVELOPED)
			rc = xe2e_err_set(err, XE2E_EDECRYPT, "the stanza is encrypted and no key was given");
	}
	res->chains_remembered = xe2e_ctx_chain_hits(ctx) - hits;
	if (!rc)
		rc = walked(res, rep, err);
	if (!rc)
		rc = require(o, res, err);
	if (!rc)
		rc = xe2e_payload_open(&pl, res->payload.data, res->payload.len, stanza, err);
	if (!rc) {
		res->have_payload = 1;
		res->payload_kind = pl.kind;
		rc = check_names(stanza, &pl, rep, res, err);
	}
	/* written once, here, so that it is known to be writable before the
	 * timestamp is recorded as accepted */
	if (!rc)
		rc = xe2e_stanza_write(&res->stanza, pl.stanza, o->header, err);
	if (!rc)
		rc = xe2e_buf_add(&res->dropped, pl.dropped.data, pl.dropped.len, err);
	if (!rc)
		rc = check_time(ctx, o, &pl, res, err);
	if (rc)
		xe2e_buf_wipe(&res->stanza);
	/* what a server added beside <e2e/> (a <delay/>, a stanza id) is not
	 * protected: it is not given back, and it is reported */
	if (!rc) {
		const struct xe2e_xml_node *c;

		for (c = stanza->first; !rc && c; c = c->next)
			if (c->kind == XE2E_XML_ELEM && !xe2e_stanza_is_e2e(c))
				rc = xe2e_buf_addf(&res->dropped, err, "%s%s%s\n", c->ns, c->ns[0] ? " " : "",
						   c->local);
	}
out:
	xe2e_payload_release(&pl);
	xe2e_buf_wipe(&text);
	xe2e_buf_wipe(&canon);
	if (rc)
		xe2e_buf_wipe(&res->payload);
	return rc;
}
