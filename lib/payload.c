/*
 * payload.c - DESIGN §3 rule 11: stanza <-> Message/CPIM (RFC 3862, RFC 3922
 * §4), PIDF (RFC 3863, RFC 3922 §5), application/xmpp+xml (RFC 3923 §10).
 */
#include "payload.h"
#include "cpim.h"
#include "jid.h"
#include "mime.h"
#include "pidf.h"
#include "stanza.h"
#include "stream.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


const char *xe2e_payload_kind_name(enum xe2e_payload_kind k)
{
	static const char *const n[] = { "cpim", "pidf", "cpim+xmpp", "xmpp" };

	return n[k];
}

void xe2e_payload_init(struct xe2e_payload *p)
{
	memset(p, 0, sizeof(*p));
}

void xe2e_payload_release(struct xe2e_payload *p)
{
	xe2e_buf_release(&p->dropped);
	xe2e_buf_release(&p->sender);
	xe2e_buf_release(&p->recipient);
	xe2e_buf_release(&p->inner_from);
	xe2e_buf_release(&p->inner_to);
	xe2e_xml_free(p->stanza);
	xe2e_payload_init(p);
}

/* ------------------------------------------------------------ making */

/* The bare JID of j (as written) into out (replaced). */
static int bare_of(struct xe2e_buf *out, const struct xe2e_jid *j, struct xe2e_err *err)
{
	int rc;

	xe2e_buf_reset(out);
	rc = xe2e_jid_bare(out, j, err);
	return rc ? rc : xe2e_buf_grow(out, 0, err);
}

/* "Content-ID: <hex@domain>" (RFC 2045 §7; RFC 3922 §4.1.3: not from the
 * stanza id) */
static int content_id(struct xe2e_buf *out, const struct xe2e_payload_make *m, struct xe2e_err *err)
{
	unsigned char r[12];
	size_t i;
	int rc;

	rc = xe2e_ctx_random(m->ctx, r, sizeof(r), XE2E_RND_NONCE, err);
	if (!rc)
		rc = xe2e_buf_adds(out, "Content-ID: <", err);
	for (i = 0; !rc && i < sizeof(r); i++)
		rc = xe2e_buf_addf(out, err, "%02x", r[i]);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "@%s>\r\n", (char *)m->from->domain.data);
	return rc;
}

/* A child element holding text only, with no attribute but xml:lang. */
static int simple_child(const struct xe2e_xml_node *e)
{
	return xe2e_xml_n_children(e) == 0 &&
	       (e->n_attrs == 0 || (e->n_attrs == 1 && xe2e_xml_attr_get(e, XE2E_NS_XML, "lang")));
}

/* The stanza's child elements (white space between them ignored), up to
 * max; -1 if there is other text or more. */
static int elements(const struct xe2e_xml_node *s, const struct xe2e_xml_node **v, int max)
{
	const struct xe2e_xml_node *c;
	int n = 0;

	for (c = s->first; c; c = c->next) {
		if (c->kind == XE2E_XML_TEXT) {
			if (!xe2e_xml_is_space(c->text.data, c->text.len))
				return -1;
			continue;
		}
		if (n == max)
			return -1;
		v[n++] = c;
	}
	return n;
}

/* A language tag we write into a MIME header or take from one (RFC 5646
 * shape: ALPHA, DIGIT and '-', at most 35): nothing else can inject a line. */
static int lang_tag_ok(const char *l)
{
	size_t i, n = strlen(l);

	if (n == 0 || n > 35)
		return 0;
	for (i = 0; i < n; i++)
		if (!((l[i] >= 'A' && l[i] <= 'Z') || (l[i] >= 'a' && l[i] <= 'z') ||
		      (l[i] >= '0' && l[i] <= '9') || l[i] == '-'))
			return 0;
	return 1;
}

static int lang_is(const struct xe2e_xml_node *e, const char *lang)
{
	const char *l = xe2e_stanza_lang(e);

	return !l || (lang && !strcmp(l, lang) && lang_tag_ok(l));
}

static const char *const routing_attrs[] = { "to", "from", "id", "type" };

static int is_routing(const struct xe2e_xml_attr *a)
{
	size_t i;

	if (!strcmp(a->ns, XE2E_NS_XML))
		return !strcmp(a->local, "lang");
	for (i = 0; !a->ns[0] && i < 4; i++)
		if (!strcmp(a->local, routing_attrs[i]))
			return 1;
	return 0;
}

/* Rule 11: the text and PIDF forms carry only the routing attributes; a
 * stanza with any other attribute goes as xmpp+xml, which protects it. */
static int only_routing(const struct xe2e_xml_node *s)
{
	size_t i;

	for (i = 0; i < s->n_attrs; i++)
		if (!is_routing(&s->attrs[i]))
			return 0;
	return 1;
}

/* Rule 11: a message of [subject] body. */
static int message_is_text(const struct xe2e_xml_node *s, const struct xe2e_xml_node **subject,
			   const struct xe2e_xml_node **body)
{
	const struct xe2e_xml_node *v[2];
	const char *lang = xe2e_stanza_lang(s);
	int n = elements(s, v, 2), i;

	*subject = *body = NULL;
	if (n < 1 || !only_routing(s))
		return 0;
	if (n == 2 && !xe2e_xml_is(v[0], s->ns, "subject"))
		return 0;
	if (!xe2e_xml_is(v[n - 1], s->ns, "body"))
		return 0;
	for (i = 0; i < n; i++)
		if (!simple_child(v[i]) || !lang_is(v[i], lang))
			return 0;
	*subject = n == 2 ? v[0] : NULL;
	*body = v[n - 1];
	return 1;
}

/* Rule 11: directed presence of [show] [status]. */
static int presence_is_pidf(const struct xe2e_xml_node *s, const struct xe2e_xml_node **show,
			    const struct xe2e_xml_node **status)
{
	const struct xe2e_xml_node *v[2];
	const char *type = xe2e_stanza_attr(s, "type");
	int n = elements(s, v, 2), i = 0;
	struct xe2e_buf t = XE2E_BUF_INIT;
	int ok = 1;

	*show = *status = NULL;
	if (n < 0 || !xe2e_stanza_attr(s, "to") || (type && strcmp(type, "unavailable")) ||
	    !only_routing(s))
		return 0;
	if (i < n && xe2e_xml_is(v[i], s->ns, "show"))
		*show = v[i++];
	if (i < n && xe2e_xml_is(v[i], s->ns, "status"))
		*status = v[i++];
	if (i != n)
		return 0;
	if (*show) {
		ok = (*show)->n_attrs == 0 && simple_child(*show) && !xe2e_xml_text(&t, *show, 0, NULL) &&
		     xe2e_pidf_show_ok((char *)t.data);
		xe2e_buf_release(&t);
	}
	return ok && (!*status || simple_child(*status));
}

static int make_cpim(struct xe2e_buf *out, const struct xe2e_payload_make *m, const char *subject,
		     size_t subject_len, const char *subject_lang, const struct xe2e_buf *inner,
		     struct xe2e_err *err)
{
	struct xe2e_buf from = XE2E_BUF_INIT, to = XE2E_BUF_INIT;
	struct xe2e_cpim_build b;
	int rc;

	rc = bare_of(&from, m->from, err);
	if (!rc)
		rc = bare_of(&to, m->to, err);
	memset(&b, 0, sizeof(b));
	/* RFC 3922 §4.1.1-§4.1.2: im: URIs of the bare JIDs */
	if (!rc) {
		struct xe2e_buf fu = XE2E_BUF_INIT, tu = XE2E_BUF_INIT;

		rc = xe2e_buf_addf(&fu, err, "im:%s", (char *)from.data);
		if (!rc)
			rc = xe2e_buf_addf(&tu, err, "im:%s", (char *)to.data);
		b.from_uri = (char *)fu.data;
		b.to_uri = (char *)tu.data;
		b.datetime_ms = m->stamp_ms;
		b.subject = subject;
		b.subject_len = subject_len;
		b.subject_lang = subject_lang;
		b.entity = inner->data;
		b.entity_len = inner->len;
		if (!rc)
			rc = xe2e_cpim_build(out, &b, err);
		xe2e_buf_release(&fu);
		xe2e_buf_release(&tu);
	}
	xe2e_buf_release(&from);
	xe2e_buf_release(&to);
	return rc;
}

static int make_text(struct xe2e_buf *out, const struct xe2e_xml_node *s,
		     const struct xe2e_xml_node *subject, const struct xe2e_xml_node *body,
		     const struct xe2e_payload_make *m, struct xe2e_err *err)
{
	struct xe2e_buf inner = XE2E_BUF_INIT, text = XE2E_BUF_INIT, subj = XE2E_BUF_INIT;
	const char *lang = xe2e_stanza_lang(body);
	int rc;

	/* RFC 3922 §4.1: text/plain; charset=utf-8 */
	rc = xe2e_buf_adds(&inner, "Content-type: text/plain; charset=utf-8\r\n", err);
	if (!rc)
		rc = content_id(&inner, m, err);
	if (!rc && lang)
		rc = xe2e_buf_addf(&inner, err, "Content-Language: %s\r\n", lang);
	if (!rc)
		rc = xe2e_xml_text(&text, body, 0, err);
	if (!rc)
		rc = xe2e_mime_put_body(&inner, text.data, text.len, 1, 1, err);
	if (!rc && subject)
		rc = xe2e_xml_text(&subj, subject, 0, err);
	if (!rc)
		rc = make_cpim(out, m, subject ? (char *)subj.data : NULL, subj.len,
			       subject ? xe2e_stanza_lang(subject) : NULL, &inner, err);
	xe2e_buf_wipe(&inner);
	xe2e_buf_wipe(&text);
	xe2e_buf_wipe(&subj);
	(void)s;
	return rc;
}

static int make_pidf(struct xe2e_buf *out, const struct xe2e_xml_node *s,
		     const struct xe2e_xml_node *show, const struct xe2e_xml_node *status,
		     const struct xe2e_payload_make *m, struct xe2e_err *err)
{
	struct xe2e_buf doc = XE2E_BUF_INIT, bare = XE2E_BUF_INIT, ent = XE2E_BUF_INIT;
	struct xe2e_buf sh = XE2E_BUF_INIT, note = XE2E_BUF_INIT;
	struct xe2e_pidf_build b;
	const struct xe2e_jid *j = m->from;
	char id[24];
	unsigned char r[4];
	int rc;

	memset(&b, 0, sizeof(b));
	rc = bare_of(&bare, j, err);
	if (!rc)
		rc = xe2e_buf_addf(&ent, err, "pres:%s", (char *)bare.data);
	/* RFC 3922 §5.1: the resource SHOULD be the tuple id (when it is an NCName) */
	if (!rc && j->has_resource && xe2e_pidf_ncname((char *)j->resource.data)) {
		b.tuple_id = (char *)j->resource.data;
	} else if (!rc) {
		rc = xe2e_ctx_random(m->ctx, r, sizeof(r), XE2E_RND_NONCE, err);
		snprintf(id, sizeof(id), "t%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
		b.tuple_id = id;
	}
	b.entity = (char *)ent.data;
	b.open = !xe2e_stanza_attr(s, "type");
	if (!rc && show) {
		rc = xe2e_xml_text(&sh, show, 0, err);
		b.show = (char *)sh.data;
	}
	if (!rc && status) {
		rc = xe2e_xml_text(&note, status, 0, err);
		b.note = (char *)note.data;
		b.note_len = note.len;
		b.note_lang = xe2e_stanza_lang(status);
	}
	b.timestamp_ms = m->stamp_ms;
	if (!rc)
		rc = xe2e_pidf_build(&doc, &b, err);
	/* RFC 3923 §4.2 (Example 8): the PIDF itself, no CPIM around it */
	if (!rc)
		rc = xe2e_buf_adds(out, "Content-type: application/pidf+xml; charset=utf-8\r\n", err);
	if (!rc)
		rc = content_id(out, m, err);
	if (!rc)
		rc = xe2e_mime_put_body(out, doc.data, doc.len, 1, 1, err);
	xe2e_buf_wipe(&doc);
	xe2e_buf_release(&bare);
	xe2e_buf_release(&ent);
	xe2e_buf_wipe(&sh);
	xe2e_buf_wipe(&note);
	return rc;
}

static int make_xmpp(struct xe2e_buf *out, const struct xe2e_xml_node *s,
		     const struct xe2e_payload_make *m, struct xe2e_err *err)
{
	static const struct xe2e_xml_scope client[] = { { "", XE2E_NS_CLIENT } };
	struct xe2e_buf doc = XE2E_BUF_INIT, inner = XE2E_BUF_INIT;
	int rc;

	/* RFC 3923 §10: <xmpp xmlns='jabber:client'> with exactly one stanza */
	rc = xe2e_buf_adds(&doc, "<?xml version='1.0' encoding='UTF-8'?>\n<xmpp xmlns='jabber:client'>",
			   err);
	if (!rc)
		rc = xe2e_xml_write(&doc, s, client, 1, err);
	if (!rc)
		rc = xe2e_buf_adds(&doc, "</xmpp>", err);
	if (!rc)
		rc = xe2e_buf_adds(&inner, "Content-type: application/xmpp+xml; charset=utf-8\r\n", err);
	if (!rc)
		rc = content_id(&inner, m, err);
	if (!rc)
		rc = xe2e_mime_put_body(&inner, doc.data, doc.len, 1, 1, err);
	/* DESIGN §2: inside Message/CPIM, for its DateTime */
	if (!rc)
		rc = make_cpim(out, m, NULL, 0, NULL, &inner, err);
	xe2e_buf_wipe(&doc);
	xe2e_buf_wipe(&inner);
	return rc;
}

int xe2e_payload_make(struct xe2e_buf *entity, enum xe2e_payload_kind *kind,
		      const struct xe2e_xml_node *stanza, const struct xe2e_payload_make *m,
		      struct xe2e_err *err)
{
	const struct xe2e_xml_node *a, *b;
	enum xe2e_stanza_kind k = xe2e_stanza_kind(stanza);

	if (k == XE2E_STANZA_OTHER)
		return xe2e_err_set(err, XE2E_EMALFORMED, "<%s/> is not a stanza", stanza->local);
	if (k == XE2E_STANZA_MESSAGE && message_is_text(stanza, &a, &b)) {
		*kind = XE2E_PAYLOAD_CPIM_TEXT;
		return make_text(entity, stanza, a, b, m, err);
	}
	if (k == XE2E_STANZA_PRESENCE && presence_is_pidf(stanza, &a, &b)) {
		*kind = XE2E_PAYLOAD_PIDF;
		return make_pidf(entity, stanza, a, b, m, err);
	}
	*kind = XE2E_PAYLOAD_CPIM_XMPP;
	return make_xmpp(entity, stanza, m, err);
}

/* ------------------------------------------------------------ opening */

/* "im:x" / "pres:x" / "xmpp:x" without the scheme, %XX decoded (RFC 3922
 * §3.2). */
static int uri_jid(struct xe2e_buf *out, const struct xe2e_buf *uri, struct xe2e_err *err)
{
	static const char *const schemes[] = { "im:", "pres:", "xmpp:" };
	const char *u = (const char *)uri->data;
	size_t i, k, n = 0;
	int rc = 0;

	xe2e_buf_reset(out);
	for (k = 0; k < 3; k++)
		if (!strncasecmp(u, schemes[k], strlen(schemes[k]))) {
			n = strlen(schemes[k]);
			break;
		}
	if (k == 3)
		return xe2e_err_set(err, XE2E_EMALFORMED, "'%s' is not an im:, pres: or xmpp: URI", u);
	for (i = n; !rc && i < uri->len; i++) {
		unsigned v;

		if (u[i] == '%' && i + 2 < uri->len && sscanf(u + i + 1, "%2x", &v) == 1 &&
		    strchr("0123456789abcdefABCDEF", u[i + 1]) && strchr("0123456789abcdefABCDEF", u[i + 2])) {
			if (v == 0)
				return xe2e_err_set(err, XE2E_EMALFORMED, "a NUL in URI '%s'", u);
			rc = xe2e_buf_addc(out, (unsigned char)v, err);
			i += 2;
		} else {
			rc = xe2e_buf_addc(out, (unsigned char)u[i], err);
		}
	}
	return rc ? rc : xe2e_buf_grow(out, 0, err);
}

/* The outer attributes that are not routing ones: not protected, left out
 * (and reported). */
static int note_dropped(struct xe2e_payload *p, const struct xe2e_xml_node *outer,
			struct xe2e_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < outer->n_attrs; i++)
		if (!is_routing(&outer->attrs[i]))
			rc = xe2e_buf_addf(&p->dropped, err, "@%s%s%s\n", outer->attrs[i].ns,
					   outer->attrs[i].ns[0] ? " " : "", outer->attrs[i].local);
	return rc;
}

/* The rebuilt stanza: outer's name and routing attributes, no children. */
static struct xe2e_xml_node *shell(const struct xe2e_xml_node *outer)
{
	struct xe2e_xml_node *s = xe2e_xml_elem_new(outer->ns, outer->local, outer->prefix);
	size_t i;

	for (i = 0; s && i < outer->n_attrs; i++) {
		const struct xe2e_xml_attr *a = &outer->attrs[i];

		if (is_routing(a) &&
		    xe2e_xml_attr_set(s, a->ns[0] ? a->ns : NULL, a->local, a->value.data, a->value.len,
				      NULL)) {
			xe2e_xml_free(s);
			return NULL;
		}
	}
	return s;
}

static int add_text_child(struct xe2e_xml_node *s, const char *local, const void *text, size_t len,
			  const char *lang, struct xe2e_err *err)
{
	struct xe2e_xml_node *e, *t = NULL;

	/* XML 1.0 §2.2: a CPIM Subject escape or a text/plain body may hold
	 * characters no stanza can carry; refuse them here, not when writing */
	if (!xe2e_xml_chars_ok(text, len))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "the protected <%s/> holds a character XML cannot carry (a control character or invalid UTF-8)",
				    local);
	e = xe2e_xml_elem_new(s->ns, local, s->prefix);
	if (!e || (len && !(t = xe2e_xml_text_new(text, len, 0)))) {
		xe2e_xml_free(e);
		return xe2e_err_oom(err);
	}
	if (t)
		xe2e_xml_append(e, t);
	xe2e_xml_append(s, e);
	return lang && lang[0] ? xe2e_xml_attr_set(e, XE2E_NS_XML, "lang", lang, strlen(lang), err) : 0;
}

static int need_kind(const struct xe2e_xml_node *outer, const char *local, const char *what,
		     struct xe2e_err *err)
{
	if (strcmp(outer->local, local))
		return xe2e_err_set(err, XE2E_EMALFORMED, "%s arrived in a <%s/> stanza", what, outer->local);
	return 0;
}

/* A text/plain entity's text: its charset must be UTF-8 (or US-ASCII). */
static int open_text(struct xe2e_buf *text, const struct xe2e_mime_part *e, const char *ctype_value,
		     struct xe2e_err *err)
{
	struct xe2e_buf cs = XE2E_BUF_INIT, cte = XE2E_BUF_INIT, raw = XE2E_BUF_INIT;
	int rc = xe2e_mime_param(&cs, ctype_value, "charset", err), b64;

	if (rc == 1 && strcasecmp((char *)cs.data, "utf-8") && strcasecmp((char *)cs.data, "us-ascii"))
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "text in charset '%s' (UTF-8 is supported)",
				  (char *)cs.data);
	if (rc >= 0)
		rc = xe2e_mime_header(&cte, e, "Content-Transfer-Encoding", err);
	b64 = rc == 1 && !strcasecmp((char *)cte.data, "base64");
	if (rc >= 0)
		rc = xe2e_mime_decode_body(&raw, e, err);
	/* canonical CRLF back to the LF of XML text; base64 is exact */
	if (!rc)
		rc = b64 ? xe2e_buf_add(text, raw.data, raw.len, err)
			 : xe2e_buf_add_lf(text, raw.data, raw.len, err);
	if (!rc && !xe2e_utf8_valid(text->data, text->len))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "the text is not valid UTF-8");
	xe2e_buf_release(&cs);
	xe2e_buf_release(&cte);
	xe2e_buf_wipe(&raw);
	return rc < 0 ? rc : 0;
}

/* RFC 6120 §4.8.3: re-scope the stanza from one content namespace to the
 * other -- the stanza and its descendants in that namespace, not what sits
 * inside an extension element in another one.  A declaration of the old
 * default namespace on a renamed element goes with it. */
static int rename_ns(struct xe2e_xml_node *e, const char *from, const char *to)
{
	struct xe2e_xml_node *c;
	size_t i;
	char *n;

	if (e->kind != XE2E_XML_ELEM || strcmp(e->ns, from))
		return 0;
	if (!(n = strdup(to)))
		return -1;
	free(e->ns);
	e->ns = n;
	for (i = 0; i < e->n_decls; i++)
		if (!strcmp(e->decls[i].prefix, e->prefix) && !strcmp(e->decls[i].uri, from)) {
			if (!(n = strdup(to)))
				return -1;
			free(e->decls[i].uri);
			e->decls[i].uri = n;
		}
	for (c = e->first; c; c = c->next)   /* depth bounded by the parse caps */
		if (rename_ns(c, from, to))
			return -1;
	return 0;
}

/* The protected value of attribute name wins; an outer one must agree. */
static int protected_attr(struct xe2e_xml_node *s, const struct xe2e_xml_node *outer,
			  const char *ns, const char *name, int outer_may_add, struct xe2e_err *err)
{
	const struct xe2e_buf *in = xe2e_xml_attr_get(s, ns, name), *out = xe2e_xml_attr_get(outer, ns, name);

	if (in && out && (in->len != out->len || memcmp(in->data, out->data, in->len)))
		return xe2e_err_set(err, XE2E_ESIGNATURE, "the stanza's %s '%s' is not the protected '%s'",
				    name, (char *)out->data, (char *)in->data);
	if (!in && out && !outer_may_add)
		return xe2e_err_set(err, XE2E_ESIGNATURE, "the stanza has %s '%s'; the protected one has none",
				    name, (char *)out->data);
	if (!in && out)
		return xe2e_xml_attr_set(s, ns, name, out->data, out->len, err);
	return 0;
}

static int open_xmpp(struct xe2e_payload *p, const unsigned char *doc, size_t len,
		     const struct xe2e_xml_node *outer, struct xe2e_err *err)
{
	static const char *const routing[] = { "to", "from" };
	struct xe2e_xml_limits lim = xe2e_xml_default_limits(4 * len + 4096);
	struct xe2e_xml_node *root = NULL, *s = NULL, *c;
	const struct xe2e_buf *v;
	size_t i, n = 0;
	int rc;

	lim.allow_comments = 1;
	rc = xe2e_xml_parse(&root, doc, len, &lim, err);
	if (rc)
		return rc;
	/* RFC 3923 §10: <xmpp/>, its default namespace jabber:client or
	 * jabber:server, exactly one stanza child */
	if (strcmp(root->local, "xmpp") ||
	    (strcmp(root->ns, XE2E_NS_CLIENT) && strcmp(root->ns, XE2E_NS_SERVER))) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED,
				  "application/xmpp+xml: the root is not <xmpp/> in jabber:client");
		goto out;
	}
	for (c = root->first; c; c = c->next) {
		if (c->kind == XE2E_XML_TEXT) {
			if (!xe2e_xml_is_space(c->text.data, c->text.len)) {
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "application/xmpp+xml: text in <xmpp/>");
				goto out;
			}
			continue;
		}
		n++;
		s = c;
	}
	if (n != 1 || xe2e_stanza_kind(s) == XE2E_STANZA_OTHER) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "application/xmpp+xml: <xmpp/> must hold one stanza");
		goto out;
	}
	rc = need_kind(outer, s->local, "an xmpp+xml stanza of another kind", err);
	if (rc)
		goto out;
	v = xe2e_xml_attr_get(s, NULL, "from");
	if (v)
		rc = xe2e_buf_add(&p->inner_from, v->data, v->len, err);
	v = xe2e_xml_attr_get(s, NULL, "to");
	if (!rc && v)
		rc = xe2e_buf_add(&p->inner_to, v->data, v->len, err);
	xe2e_xml_detach(s);
	/* to and from: the outer ones (the server stamps from; the caller
	 * compares them with the protected ones); type, id and xml:lang: the
	 * protected ones, which the outer stanza must not contradict (a server
	 * adds xml:lang when there is none) */
	for (i = 0; !rc && i < 2; i++) {
		v = xe2e_xml_attr_get(outer, NULL, routing[i]);
		if (v)
			rc = xe2e_xml_attr_set(s, NULL, routing[i], v->data, v->len, err);
	}
	if (!rc)
		rc = protected_attr(s, outer, NULL, "type", 0, err);
	if (!rc)
		rc = protected_attr(s, outer, NULL, "id", 0, err);
	if (!rc)
		rc = protected_attr(s, outer, XE2E_NS_XML, "lang", 1, err);
	if (!rc && strcmp(s->ns, outer->ns)) {
		char *from = strdup(s->ns);

		if (!from || rename_ns(s, from, outer->ns))
			rc = xe2e_err_oom(err);
		free(from);
	}
	if (!rc)
		rc = note_dropped(p, outer, err);
	if (!rc) {
		p->stanza = s;
		s = NULL;
	}
	xe2e_xml_free(s);
out:
	xe2e_xml_free(root);
	return rc;
}

static int open_cpim(struct xe2e_payload *p, const unsigned char *entity, size_t len,
		     const struct xe2e_xml_node *outer, struct xe2e_err *err)
{
	struct xe2e_buf ct = XE2E_BUF_INIT, text = XE2E_BUF_INIT, lang = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_mime_part e;
	char type[128];
	int rc;

	xe2e_cpim_init(&c);
	rc = xe2e_cpim_parse(&c, entity, len, err);
	if (!rc)
		rc = uri_jid(&p->sender, &c.from_uri, err);
	if (!rc && c.n_to)
		rc = uri_jid(&p->recipient, &c.to_uri, err);
	p->has_timestamp = c.has_datetime;
	p->timestamp_ms = c.datetime_ms;
	if (!rc)
		rc = xe2e_mime_split(&e, c.entity, c.entity_len, err);
	if (!rc && (rc = xe2e_mime_header(&ct, &e, "Content-Type", err)) == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "the entity in Message/CPIM has no Content-Type");
	if (rc == 1)
		rc = xe2e_mime_ctype(type, sizeof(type), (char *)ct.data, err);
	if (!rc && !strcmp(type, "text/plain")) {
		p->kind = XE2E_PAYLOAD_CPIM_TEXT;
		rc = need_kind(outer, "message", "a text message", err);
		if (!rc)
			rc = open_text(&text, &e, (char *)ct.data, err);
		if (!rc && xe2e_mime_header(&lang, &e, "Content-Language", err) < 0)
			rc = -XE2E_EMALFORMED;
		if (!rc && lang.len && !lang_tag_ok((char *)lang.data))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "Content-Language '%s' is not a language tag",
					  (char *)lang.data);
		if (!rc && c.subject_lang.len && !lang_tag_ok((char *)c.subject_lang.data))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "Subject lang '%s' is not a language tag",
					  (char *)c.subject_lang.data);
		if (!rc)
			rc = note_dropped(p, outer, err);
		if (!rc && !(p->stanza = shell(outer)))
			rc = xe2e_err_oom(err);
		if (!rc && c.has_subject)
			rc = add_text_child(p->stanza, "subject", c.subject.data, c.subject.len,
					    (char *)c.subject_lang.data, err);
		if (!rc)
			rc = add_text_child(p->stanza, "body", text.data, text.len,
					    lang.len ? (char *)lang.data : NULL, err);
	} else if (!rc && !strcmp(type, "application/xmpp+xml")) {
		p->kind = XE2E_PAYLOAD_CPIM_XMPP;
		rc = open_text(&text, &e, (char *)ct.data, err);
		if (!rc)
			rc = open_xmpp(p, text.data, text.len, outer, err);
	} else if (!rc) {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "Message/CPIM carrying %s", type);
	}
	xe2e_cpim_release(&c);
	xe2e_buf_release(&ct);
	xe2e_buf_wipe(&text);
	xe2e_buf_release(&lang);
	return rc;
}

static int open_pidf(struct xe2e_payload *p, const struct xe2e_mime_part *e, const char *ctype,
		     const struct xe2e_xml_node *outer, struct xe2e_err *err)
{
	struct xe2e_buf doc = XE2E_BUF_INIT;
	struct xe2e_pidf f;
	int rc;

	xe2e_pidf_init(&f);
	p->kind = XE2E_PAYLOAD_PIDF;
	rc = need_kind(outer, "presence", "a PIDF document", err);
	if (!rc)
		rc = open_text(&doc, e, ctype, err);
	if (!rc)
		rc = xe2e_pidf_parse(&f, doc.data, doc.len, err);
	if (!rc)
		rc = uri_jid(&p->sender, &f.entity, err);
	p->has_timestamp = f.has_timestamp;
	p->timestamp_ms = f.timestamp_ms;
	if (!rc && !(p->stanza = shell(outer)))
		rc = xe2e_err_oom(err);
	/* RFC 3922 §5.2: open -> no type, closed -> unavailable; protected, so
	 * the outer type must say the same */
	if (!rc) {
		const char *t = xe2e_stanza_attr(outer, "type");

		if (f.open ? t != NULL : (!t || strcmp(t, "unavailable")))
			rc = xe2e_err_set(err, XE2E_ESIGNATURE, "the presence type '%s' is not the protected "
					  "basic status %s", t ? t : "(none)", f.open ? "open" : "closed");
	}
	if (!rc)
		rc = note_dropped(p, outer, err);
	if (!rc && f.has_show)
		rc = add_text_child(p->stanza, "show", f.show, strlen(f.show), NULL, err);
	if (!rc && f.has_note)
		rc = add_text_child(p->stanza, "status", f.note.data, f.note.len,
				    f.note_has_lang ? (char *)f.note_lang.data : NULL, err);
	xe2e_pidf_release(&f);
	xe2e_buf_wipe(&doc);
	return rc;
}

int xe2e_payload_open(struct xe2e_payload *p, const unsigned char *entity, size_t len,
		      const struct xe2e_xml_node *outer, struct xe2e_err *err)
{
	struct xe2e_buf ct = XE2E_BUF_INIT, doc = XE2E_BUF_INIT;
	struct xe2e_mime_part e;
	char type[128];
	int rc;

	xe2e_payload_release(p);
	rc = xe2e_mime_split(&e, entity, len, err);
	if (!rc && (rc = xe2e_mime_header(&ct, &e, "Content-Type", err)) == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "the protected object has no Content-Type");
	if (rc == 1)
		rc = xe2e_mime_ctype(type, sizeof(type), (char *)ct.data, err);
	if (!rc && !strcmp(type, "message/cpim")) {
		rc = open_cpim(p, entity, len, outer, err);
	} else if (!rc && !strcmp(type, "application/pidf+xml")) {
		rc = open_pidf(p, &e, (char *)ct.data, outer, err);
	} else if (!rc && !strcmp(type, "application/xmpp+xml")) {
		p->kind = XE2E_PAYLOAD_XMPP;
		rc = open_text(&doc, &e, (char *)ct.data, err);
		if (!rc)
			rc = open_xmpp(p, doc.data, doc.len, outer, err);
	} else if (!rc) {
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "the protected object is %s (Message/CPIM, PIDF or xmpp+xml expected)",
				  type);
	}
	xe2e_buf_release(&ct);
	xe2e_buf_wipe(&doc);
	if (rc)
		xe2e_payload_release(p);
	return rc;
}
