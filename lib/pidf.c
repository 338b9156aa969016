/*
 * pidf.c - PIDF (RFC 3863 §4) for RFC 3923 §4, mapped per RFC 3922 §5 and
 * DESIGN §3 rule 11 (see pidf.h).
 */
#include "pidf.h"
#include "datetime.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xe2e_pidf_ncname(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
				  s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static struct xe2e_xml_node *text_elem(struct xe2e_xml_node *parent, const char *ns,
				       const char *local, const char *prefix, const void *text,
				       size_t len)
{
	struct xe2e_xml_node *e = xe2e_xml_elem_new(ns, local, prefix), *t;

	if (!e)
		return NULL;
	xe2e_xml_append(parent, e);
	if (len) {
		t = xe2e_xml_text_new(text, len, 0);
		if (!t)
			return NULL;
		xe2e_xml_append(e, t);
	}
	return e;
}

int xe2e_pidf_show_ok(const char *s)
{
	return !strcmp(s, "away") || !strcmp(s, "chat") || !strcmp(s, "dnd") || !strcmp(s, "xa");
}

int xe2e_pidf_build(struct xe2e_buf *out, const struct xe2e_pidf_build *b, struct xe2e_err *err)
{
	static const struct xe2e_xml_scope none[] = { { "", "" } };
	struct xe2e_xml_node *root, *tuple, *status, *e;
	char ts[40];
	int rc = 0;

	if (!xe2e_pidf_ncname(b->tuple_id))
		return xe2e_err_set(err, XE2E_EMALFORMED, "tuple id '%s' is not an NCName", b->tuple_id);
	if (b->show && !xe2e_pidf_show_ok(b->show))
		return xe2e_err_set(err, XE2E_EMALFORMED, "presence <show/> '%s' is not away, chat, dnd or xa",
				    b->show);
	root = xe2e_xml_elem_new(XE2E_NS_PIDF, "presence", NULL);
	if (!root)
		return xe2e_err_oom(err);
	/* the declarations on the root, in this order (the writer keeps them) */
	root->decls = calloc(2, sizeof(*root->decls));
	if (!root->decls) {
		xe2e_xml_free(root);
		return xe2e_err_oom(err);
	}
	root->decls[0].prefix = strdup("");
	root->decls[0].uri = strdup(XE2E_NS_PIDF);
	root->decls[1].prefix = strdup("im");
	root->decls[1].uri = strdup(XE2E_NS_PIDF_IM);
	root->n_decls = 2;
	if (!root->decls[0].prefix || !root->decls[0].uri || !root->decls[1].prefix ||
	    !root->decls[1].uri)
		rc = xe2e_err_oom(err);
	if (!rc)
		rc = xe2e_xml_attr_set(root, NULL, "entity", b->entity, strlen(b->entity), err);
	tuple = rc ? NULL : text_elem(root, XE2E_NS_PIDF, "tuple", NULL, NULL, 0);
	if (!rc && !tuple)
		rc = xe2e_err_oom(err);
	if (!rc)
		rc = xe2e_xml_attr_set(tuple, NULL, "id", b->tuple_id, strlen(b->tuple_id), err);
	status = rc ? NULL : text_elem(tuple, XE2E_NS_PIDF, "status", NULL, NULL, 0);
	if (!rc && (!status || !text_elem(status, XE2E_NS_PIDF, "basic", NULL,
					  b->open ? "open" : "closed", b->open ? 4 : 6)))
		rc = xe2e_err_oom(err);
	if (!rc && b->show && !text_elem(status, XE2E_NS_PIDF_IM, "im", "im", b->show, strlen(b->show)))
		rc = xe2e_err_oom(err);
	if (!rc && b->note) {
		e = xe2e_xml_elem_new(XE2E_NS_PIDF, "note", NULL);
		if (!e) {
			rc = xe2e_err_oom(err);
		} else {
			struct xe2e_xml_node *t = b->note_len ? xe2e_xml_text_new(b->note, b->note_len, 0) : NULL;

			xe2e_xml_append(tuple, e);
			if (b->note_len && !t)
				rc = xe2e_err_oom(err);
			else if (t)
				xe2e_xml_append(e, t);
			if (!rc && b->note_lang)
				rc = xe2e_xml_attr_set(e, XE2E_NS_XML, "lang", b->note_lang,
						       strlen(b->note_lang), err);
		}
	}
	if (!rc && xe2e_time_format_ms(ts, sizeof(ts), b->timestamp_ms))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: the timestamp is out of range");
	if (!rc && !text_elem(tuple, XE2E_NS_PIDF, "timestamp", NULL, ts, strlen(ts)))
		rc = xe2e_err_oom(err);
	if (!rc)
		rc = xe2e_buf_adds(out, "<?xml version='1.0' encoding='UTF-8'?>\n", err);
	if (!rc)
		rc = xe2e_xml_write(out, root, none, 1, err);
	xe2e_xml_free(root);
	return rc;
}

void xe2e_pidf_init(struct xe2e_pidf *p)
{
	memset(p, 0, sizeof(*p));
}

void xe2e_pidf_release(struct xe2e_pidf *p)
{
	xe2e_buf_release(&p->entity);
	xe2e_buf_release(&p->note);
	xe2e_buf_release(&p->note_lang);
	xe2e_pidf_init(p);
}

static int count(const struct xe2e_xml_node *e, const char *ns, const char *local)
{
	const struct xe2e_xml_node *c;
	int n = 0;

	for (c = e->first; c; c = c->next)
		n += xe2e_xml_is(c, ns, local);
	return n;
}

static int must_understand(const struct xe2e_xml_node *e)
{
	const struct xe2e_buf *v = xe2e_xml_attr_get(e, XE2E_NS_PIDF, "mustUnderstand");

	return v && (!strcmp((char *)v->data, "1") || !strcmp((char *)v->data, "true"));
}

int xe2e_pidf_parse(struct xe2e_pidf *p, const unsigned char *doc, size_t len,
		    struct xe2e_err *err)
{
	struct xe2e_xml_limits lim = xe2e_xml_default_limits(4 * len + 4096);
	struct xe2e_xml_node *root = NULL, *tuple, *status, *basic, *im, *note, *ts, *c;
	struct xe2e_buf v = XE2E_BUF_INIT;
	const struct xe2e_buf *a;
	int rc;

	xe2e_pidf_release(p);
	lim.allow_comments = 1;
	rc = xe2e_xml_parse(&root, doc, len, &lim, err);
	if (rc)
		return rc;
	/* RFC 3863 §4.1.1-§4.1.7 */
	if (!xe2e_xml_is(root, XE2E_NS_PIDF, "presence")) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: the root is not <presence/> in %s",
				  XE2E_NS_PIDF);
		goto out;
	}
	a = xe2e_xml_attr_get(root, NULL, "entity");
	if (!a || !a->len) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: <presence/> has no entity");
		goto out;
	}
	rc = xe2e_buf_add(&p->entity, a->data, a->len, err);
	if (!rc)
		rc = xe2e_buf_grow(&p->entity, 0, err);
	if (!rc && count(root, XE2E_NS_PIDF, "tuple") != 1)
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "PIDF: %d tuples (one is supported)",
				  count(root, XE2E_NS_PIDF, "tuple"));
	if (rc)
		goto out;
	tuple = xe2e_xml_child(root, XE2E_NS_PIDF, "tuple");
	status = xe2e_xml_child(tuple, XE2E_NS_PIDF, "status");
	if (!status || count(tuple, XE2E_NS_PIDF, "status") != 1) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: a tuple needs one <status/>");
		goto out;
	}
	for (c = status->first; c; c = c->next)
		if (c->kind == XE2E_XML_ELEM && !xe2e_xml_is(c, XE2E_NS_PIDF, "basic") &&
		    !xe2e_xml_is(c, XE2E_NS_PIDF_IM, "im") && must_understand(c)) {
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "PIDF: status element <%s/> must be understood", c->local);
			goto out;
		}
	p->open = 1;
	basic = xe2e_xml_child(status, XE2E_NS_PIDF, "basic");
	if (basic) {
		rc = xe2e_xml_text(&v, basic, 0, err);
		if (!rc && !strcmp((char *)v.data, "closed"))
			p->open = 0;
		else if (!rc && strcmp((char *)v.data, "open"))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: <basic/> is neither open nor closed");
	}
	im = rc ? NULL : xe2e_xml_child(status, XE2E_NS_PIDF_IM, "im");
	if (im) {
		xe2e_buf_reset(&v);
		rc = xe2e_xml_text(&v, im, 0, err);
		if (!rc && !strcmp((char *)v.data, "busy"))   /* RFC 3922 §5.2 */
			xe2e_buf_reset(&v), rc = xe2e_buf_adds(&v, "dnd", err);
		if (!rc && !xe2e_pidf_show_ok((char *)v.data))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "PIDF: <im:im/> '%s' has no XMPP <show/>",
					  (char *)v.data);
		if (!rc) {
			p->has_show = 1;
			snprintf(p->show, sizeof(p->show), "%s", (char *)v.data);
		}
	}
	/* the tuple's note, else the presence's */
	note = xe2e_xml_child(tuple, XE2E_NS_PIDF, "note");
	if (!note)
		note = xe2e_xml_child(root, XE2E_NS_PIDF, "note");
	if (!rc && note) {
		p->has_note = 1;
		rc = xe2e_xml_text(&p->note, note, 0, err);
		a = xe2e_xml_attr_get(note, XE2E_NS_XML, "lang");
		if (!rc && a) {
			p->note_has_lang = 1;
			rc = xe2e_buf_add(&p->note_lang, a->data, a->len, err);
			if (!rc)
				rc = xe2e_buf_grow(&p->note_lang, 0, err);
		}
	}
	ts = rc ? NULL : xe2e_xml_child(tuple, XE2E_NS_PIDF, "timestamp");
	if (ts) {
		xe2e_buf_reset(&v);
		rc = xe2e_xml_text(&v, ts, 0, err);
		if (!rc)
			rc = xe2e_time_parse_ms(&p->timestamp_ms, (char *)v.data, v.len, err);
		if (!rc)
			p->has_timestamp = 1;
	}
out:
	xe2e_buf_release(&v);
	xe2e_xml_free(root);
	if (rc)
		xe2e_pidf_release(p);
	return rc;
}
