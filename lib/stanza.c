/*
 * stanza.c - XMPP stanzas for RFC 3923 (see stanza.h): RFC 6120 §4.7-§4.8
 * (the stream and its namespaces), §8 (stanzas, §8.3 errors), RFC 3923 §7
 * and §9 (<e2e/>).
 */
#include "stanza.h"
#include "stream.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PRE 4096     /* bytes held to tell a stream from a sequence */

enum xe2e_stanza_kind xe2e_stanza_kind(const struct xe2e_xml_node *e)
{
	if (!e || e->kind != XE2E_XML_ELEM ||
	    (strcmp(e->ns, XE2E_NS_CLIENT) && strcmp(e->ns, XE2E_NS_SERVER)))
		return XE2E_STANZA_OTHER;
	if (!strcmp(e->local, "message"))
		return XE2E_STANZA_MESSAGE;
	if (!strcmp(e->local, "presence"))
		return XE2E_STANZA_PRESENCE;
	if (!strcmp(e->local, "iq"))
		return XE2E_STANZA_IQ;
	return XE2E_STANZA_OTHER;
}

const char *xe2e_stanza_kind_name(enum xe2e_stanza_kind k)
{
	static const char *const names[] = { "message", "presence", "iq", "other" };

	return names[k];
}

const char *xe2e_stanza_attr(const struct xe2e_xml_node *e, const char *name)
{
	const struct xe2e_buf *v = xe2e_xml_attr_get(e, NULL, name);

	return v ? (const char *)v->data : NULL;
}

const char *xe2e_stanza_lang(const struct xe2e_xml_node *e)
{
	const struct xe2e_buf *v = xe2e_xml_attr_get(e, XE2E_NS_XML, "lang");

	return v ? (const char *)v->data : NULL;
}

/* ------------------------------------------------------------ reading */

struct xe2e_stanza_reader {
	struct xe2e_xml_reader *x;
	struct xe2e_xml_limits lim;
	int decided, stream, failed;
	struct xe2e_err err;
	unsigned char pre[MAX_PRE];
	size_t n_pre;
	const struct xe2e_xml_node *header;
};

int xe2e_stanza_reader_new(struct xe2e_stanza_reader **out, size_t max_bytes, struct xe2e_err *err)
{
	struct xe2e_stanza_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return xe2e_err_oom(err);
	r->lim = xe2e_xml_default_limits(max_bytes);
	*out = r;
	return 0;
}

void xe2e_stanza_reader_free(struct xe2e_stanza_reader *r)
{
	if (!r)
		return;
	xe2e_xml_reader_free(r->x);
	free(r);
}

static int space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/*
 * RFC 6120 §4.2: a stream opens with <stream:stream>; anything else is read
 * as a sequence of stanzas.  1 decided (r->stream set), 0 need more bytes.
 */
static int decide(struct xe2e_stanza_reader *r, int final)
{
	static const char tag[] = "<stream:stream";
	const unsigned char *p = r->pre, *end = r->pre + r->n_pre, *q;

	if (end - p < 3 && !final && !memcmp(p, "\xef\xbb\xbf", (size_t)(end - p)))
		return 0;                                  /* part of a byte order mark */
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	if (end - p >= 5 && !memcmp(p, "<?xml", 5)) {
		q = memmem(p, (size_t)(end - p), "?>", 2);
		if (!q)
			return final || r->n_pre == MAX_PRE;   /* the XML reader will complain */
		p = q + 2;
	} else if (end - p < 5 && !final && !memcmp(p, "<?xml", (size_t)(end - p))) {
		return 0;
	}
	while (p < end && space(*p))
		p++;
	if ((size_t)(end - p) < sizeof(tag) && !final && r->n_pre < MAX_PRE &&
	    !memcmp(p, tag, (size_t)(end - p)))
		return 0;
	r->stream = (size_t)(end - p) >= sizeof(tag) && !memcmp(p, tag, sizeof(tag) - 1) &&
		    (space(p[sizeof(tag) - 1]) || p[sizeof(tag) - 1] == '>' || p[sizeof(tag) - 1] == '/');
	return 1;
}

int xe2e_stanza_reader_feed(struct xe2e_stanza_reader *r, const void *p, size_t n, int final,
			    struct xe2e_err *err)
{
	const unsigned char *q = p;
	size_t take;
	int rc;

	if (r->failed) {
		if (err)
			*err = r->err;
		return -(int)r->err.code;
	}
	if (!r->decided) {
		take = n < MAX_PRE - r->n_pre ? n : MAX_PRE - r->n_pre;
		memcpy(r->pre + r->n_pre, q, take);
		r->n_pre += take;
		q += take;
		n -= take;
		if (!decide(r, final && n == 0))
			return 0;
		r->decided = 1;
		rc = xe2e_xml_reader_new(&r->x, r->stream ? NULL : XE2E_NS_CLIENT, &r->lim, &r->err);
		if (!rc)
			rc = xe2e_xml_reader_feed(r->x, r->pre, r->n_pre, final && n == 0, &r->err);
		if (rc) {
			r->failed = 1;
			if (err)
				*err = r->err;
			return rc;
		}
		if (!n)          /* final, if it is, was passed on with the held bytes */
			return 0;
	}
	rc = xe2e_xml_reader_feed(r->x, q, n, final, &r->err);
	if (rc) {
		r->failed = 1;
		if (err)
			*err = r->err;
	}
	return rc;
}

enum xe2e_stanza_event xe2e_stanza_reader_next(struct xe2e_stanza_reader *r,
					       struct xe2e_xml_node **node)
{
	enum xe2e_xml_event ev;

	*node = NULL;
	if (!r->x || r->failed)
		return XE2E_STANZA_EV_NONE;
	ev = xe2e_xml_reader_next(r->x, node);
	switch (ev) {
	case XE2E_XML_EV_ROOT:
		r->header = *node;
		return XE2E_STANZA_EV_HEADER;
	case XE2E_XML_EV_CHILD:
		return XE2E_STANZA_EV_STANZA;
	case XE2E_XML_EV_END:
		return XE2E_STANZA_EV_END;
	default:
		return XE2E_STANZA_EV_NONE;
	}
}

const struct xe2e_xml_node *xe2e_stanza_reader_header(const struct xe2e_stanza_reader *r)
{
	return r->header;
}

int xe2e_stanza_reader_had_decl(const struct xe2e_stanza_reader *r)
{
	return r->x && xe2e_xml_reader_had_decl(r->x);
}

/* ------------------------------------------------------------ writing */

/* The bindings a stanza is read in: the header's declarations, or the
 * jabber:client default of a bare sequence. */
static size_t stanza_scope(struct xe2e_xml_scope *s, size_t max, const struct xe2e_xml_node *header)
{
	size_t i, n = 0;

	if (!header) {
		s[0].prefix = "";
		s[0].uri = XE2E_NS_CLIENT;
		return 1;
	}
	for (i = 0; i < header->n_decls && n < max; i++) {
		s[n].prefix = header->decls[i].prefix;
		s[n++].uri = header->decls[i].uri;
	}
	if (n < max && header->prefix[0]) {
		s[n].prefix = header->prefix;
		s[n++].uri = header->ns;
	}
	return n;
}

int xe2e_stanza_write_header(struct xe2e_buf *out, const struct xe2e_xml_node *header,
			     int had_decl, struct xe2e_err *err)
{
	int rc = had_decl ? xe2e_buf_adds(out, "<?xml version='1.0'?>", err) : 0;

	return rc ? rc : xe2e_xml_write_start(out, header, NULL, 0, err);
}

int xe2e_stanza_write_end(struct xe2e_buf *out, const struct xe2e_xml_node *header,
			  struct xe2e_err *err)
{
	if (header->prefix[0])
		return xe2e_buf_addf(out, err, "</%s:%s>", header->prefix, header->local);
	return xe2e_buf_addf(out, err, "</%s>", header->local);
}

int xe2e_stanza_write(struct xe2e_buf *out, const struct xe2e_xml_node *stanza,
		      const struct xe2e_xml_node *header, struct xe2e_err *err)
{
	struct xe2e_xml_scope s[64];
	size_t n = stanza_scope(s, 64, header), mark = out->len;
	int rc = xe2e_xml_write(out, stanza, s, n, err);

	if (rc && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	return rc;
}

/* ------------------------------------------------------------ <e2e/> */

int xe2e_stanza_is_e2e(const struct xe2e_xml_node *c)
{
	return xe2e_xml_is(c, XE2E_NS_E2E, "e2e") || xe2e_xml_is(c, XE2E_NS_E2E_RFC, "e2e");
}

int xe2e_stanza_e2e_get(struct xe2e_buf *out, const struct xe2e_xml_node *stanza,
			const struct xe2e_xml_node **e2e, struct xe2e_err *err)
{
	struct xe2e_buf t = XE2E_BUF_INIT;
	const struct xe2e_xml_node *c, *found = NULL;
	size_t a, b;
	int rc = 0;

	if (e2e)
		*e2e = NULL;
	for (c = stanza->first; c; c = c->next) {
		if (!xe2e_stanza_is_e2e(c))
			continue;
		if (found)   /* RFC 3923 §9: one object */
			return xe2e_err_set(err, XE2E_EMALFORMED, "the stanza has more than one <e2e/>");
		found = c;
	}
	if (!found)
		return 0;
	/* §9: character data only; DESIGN §3 rule 3: CDATA sections joined,
	 * white space between them ignored -- and escaped text (what servers
	 * make of CDATA) taken as it is when there is no CDATA at all */
	{
		const struct xe2e_xml_node *k;
		int cdata = 0;

		for (k = found->first; k; k = k->next)
			cdata |= k->kind == XE2E_XML_TEXT && k->cdata;
		for (k = found->first; !rc && k; k = k->next) {
			if (k->kind != XE2E_XML_TEXT) {
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "<e2e/> holds an element <%s/>",
						  k->local);
				break;
			}
			if (cdata && !k->cdata && xe2e_xml_is_space(k->text.data, k->text.len))
				continue;
			rc = xe2e_buf_add(&t, k->text.data, k->text.len, err);
		}
		if (!rc)
			rc = xe2e_buf_grow(&t, 0, err);
	}
	for (a = 0; !rc && a < t.len && space(t.data[a]); a++)
		;
	for (b = t.len; !rc && b > a && space(t.data[b - 1]); b--)
		;
	if (!rc && a == b)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "the <e2e/> element is empty");
	if (!rc)
		rc = xe2e_buf_add(out, t.data + a, b - a, err);
	if (!rc)
		rc = xe2e_buf_grow(out, 0, err);
	xe2e_buf_wipe(&t);
	if (!rc && e2e)
		*e2e = found;
	return rc ? rc : 1;
}

int xe2e_stanza_e2e_put(struct xe2e_xml_node *stanza, const unsigned char *obj, size_t len,
			struct xe2e_err *err)
{
	struct xe2e_xml_node *e, *t;
	int rc;

	e = xe2e_xml_elem_new(XE2E_NS_E2E, "e2e", NULL);
	t = xe2e_xml_text_new(NULL, 0, 1);
	if (!e || !t) {
		xe2e_xml_free(e);
		xe2e_xml_free(t);
		return xe2e_err_oom(err);
	}
	/* DESIGN §3 rule 2: LF inside CDATA (an XML parser makes CRLF LF anyway) */
	rc = xe2e_buf_add_lf(&t->text, obj, len, err);
	if (rc) {
		xe2e_xml_free(e);
		xe2e_xml_free(t);
		return rc;
	}
	while (stanza->first)
		xe2e_xml_free(stanza->first);
	xe2e_xml_append(e, t);
	xe2e_xml_append(stanza, e);
	return 0;
}

/* ------------------------------------------------------------ §7 */

enum xe2e_e2e_condition xe2e_stanza_condition(int code)
{
	switch (code < 0 ? -code : code) {
	case XE2E_ETIMESTAMP: return XE2E_E2E_BAD_TIMESTAMP;
	case XE2E_ESIGNATURE:
	case XE2E_ECERT:
	case XE2E_ENAME: return XE2E_E2E_SIGNATURE_UNVERIFIED;
	case XE2E_EDECRYPT: return XE2E_E2E_DECRYPTION_FAILED;
	case XE2E_EUNSUPPORTED: return XE2E_E2E_NOT_IMPLEMENTED;
	case XE2E_EIO: return XE2E_E2E_INTERNAL;
	default: return XE2E_E2E_BAD_REQUEST;
	}
}

static const struct {
	const char *type, *defined, *app;
} conditions[] = {
	{ "modify", "not-acceptable", "bad-timestamp" },
	{ "modify", "not-acceptable", "signature-unverified" },
	{ "modify", "bad-request", "decryption-failed" },
	{ "modify", "bad-request", NULL },
	{ "cancel", "feature-not-implemented", NULL },
	{ "wait", "internal-server-error", NULL },
};

static int copy_attr(struct xe2e_xml_node *to, const char *name, const struct xe2e_xml_node *from,
		     const char *from_name, struct xe2e_err *err)
{
	const struct xe2e_buf *v = xe2e_xml_attr_get(from, NULL, from_name);

	return v ? xe2e_xml_attr_set(to, NULL, name, v->data, v->len, err) : 0;
}

int xe2e_stanza_error(struct xe2e_xml_node **out, const struct xe2e_xml_node *received,
		      enum xe2e_e2e_condition cond, struct xe2e_err *err)
{
	const struct xe2e_xml_node *c;
	struct xe2e_xml_node *s, *e = NULL, *d = NULL, *a = NULL, *k;
	const char *type = xe2e_stanza_attr(received, "type");
	int rc = 0;

	*out = NULL;
	/* RFC 6120 §8.3.1 rule 8: never answer an error with an error; §8.2.3:
	 * nor an iq result (only a get or set is answered) */
	if (xe2e_stanza_kind(received) == XE2E_STANZA_OTHER || (type && !strcmp(type, "error")) ||
	    (xe2e_stanza_kind(received) == XE2E_STANZA_IQ && (!type || !strcmp(type, "result"))))
		return 0;
	s = xe2e_xml_elem_new(received->ns, received->local, received->prefix);
	if (!s)
		return xe2e_err_oom(err);
	/* §8.3.1 rules 2 and 3: addressed back, the same id */
	rc = copy_attr(s, "from", received, "to", err);
	if (!rc)
		rc = copy_attr(s, "to", received, "from", err);
	if (!rc)
		rc = copy_attr(s, "id", received, "id", err);
	if (!rc)
		rc = xe2e_xml_attr_set(s, NULL, "type", "error", 5, err);
	for (c = received->first; !rc && c; c = c->next) {
		if (!xe2e_stanza_is_e2e(c))
			continue;
		k = xe2e_xml_copy(c);
		if (!k)
			rc = xe2e_err_oom(err);
		else
			xe2e_xml_append(s, k);
	}
	if (!rc) {
		e = xe2e_xml_elem_new(received->ns, "error", received->prefix);
		d = xe2e_xml_elem_new(XE2E_NS_STANZAS, conditions[cond].defined, NULL);
		a = conditions[cond].app ? xe2e_xml_elem_new(XE2E_NS_E2E, conditions[cond].app, NULL) : NULL;
		if (!e || !d || (conditions[cond].app && !a))
			rc = xe2e_err_oom(err);
	}
	if (!rc)
		rc = xe2e_xml_attr_set(e, NULL, "type", conditions[cond].type,
				       strlen(conditions[cond].type), err);
	if (rc) {
		xe2e_xml_free(e);
		xe2e_xml_free(d);
		xe2e_xml_free(a);
		xe2e_xml_free(s);
		return rc;
	}
	xe2e_xml_append(e, d);
	if (a)
		xe2e_xml_append(e, a);
	xe2e_xml_append(s, e);
	*out = s;
	return 0;
}

int xe2e_stanza_error_condition(const struct xe2e_xml_node *stanza)
{
	const struct xe2e_xml_node *e = xe2e_xml_child(stanza, stanza->ns, "error"), *c;

	for (c = e ? e->first : NULL; c; c = c->next) {
		if (c->kind != XE2E_XML_ELEM ||
		    (strcmp(c->ns, XE2E_NS_E2E) && strcmp(c->ns, XE2E_NS_E2E_RFC)))
			continue;
		if (!strcmp(c->local, "bad-timestamp"))
			return XE2E_E2E_BAD_TIMESTAMP;
		if (!strcmp(c->local, "signature-unverified") || !strcmp(c->local, "unverified-signature"))
			return XE2E_E2E_SIGNATURE_UNVERIFIED;
		if (!strcmp(c->local, "decryption-failed"))
			return XE2E_E2E_DECRYPTION_FAILED;
	}
	return -1;
}
