/*
 * xml.c - the XML tree of xml.h on expat (XML 1.0, Namespaces in XML 1.0),
 * with the restrictions of RFC 6120 §11.1 for streams.
 */
#include "xml.h"
#include "text.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_SEP '\x01'     /* cannot occur in XML 1.0 names or namespace names */
#define FRAG_ROOT "xe2e-fragments"
#define MAX_DECL 256      /* an XML declaration in fragment mode */

/* ------------------------------------------------------------ nodes */

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

struct xe2e_xml_node *xe2e_xml_elem_new(const char *ns, const char *local, const char *prefix)
{
	struct xe2e_xml_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = XE2E_XML_ELEM;
	n->ns = dup0(ns);
	n->local = dup0(local);
	n->prefix = dup0(prefix);
	if (!n->ns || !n->local || !n->prefix) {
		xe2e_xml_free(n);
		return NULL;
	}
	return n;
}

struct xe2e_xml_node *xe2e_xml_text_new(const void *p, size_t len, int cdata)
{
	struct xe2e_xml_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = XE2E_XML_TEXT;
	n->cdata = cdata;
	xe2e_buf_init(&n->text, 0);
	if (xe2e_buf_add(&n->text, p, len, NULL) || xe2e_buf_grow(&n->text, 0, NULL)) {
		xe2e_xml_free(n);
		return NULL;
	}
	return n;
}

void xe2e_xml_detach(struct xe2e_xml_node *n)
{
	struct xe2e_xml_node *p = n->parent;

	if (!p)
		return;
	if (n->prev)
		n->prev->next = n->next;
	else
		p->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		p->last = n->prev;
	n->parent = n->next = n->prev = NULL;
}

void xe2e_xml_append(struct xe2e_xml_node *parent, struct xe2e_xml_node *child)
{
	xe2e_xml_detach(child);
	child->parent = parent;
	child->prev = parent->last;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

static void free_attr(struct xe2e_xml_attr *a)
{
	free(a->ns);
	free(a->local);
	free(a->prefix);
	xe2e_buf_release(&a->value);
}

void xe2e_xml_free(struct xe2e_xml_node *n)
{
	struct xe2e_xml_node *c, *next;
	size_t i;

	if (!n)
		return;
	xe2e_xml_detach(n);
	/* depth is bounded by the parser's cap and by what we build */
	for (c = n->first; c; c = next) {
		next = c->next;
		c->parent = NULL;
		xe2e_xml_free(c);
	}
	for (i = 0; i < n->n_attrs; i++)
		free_attr(&n->attrs[i]);
	for (i = 0; i < n->n_decls; i++) {
		free(n->decls[i].prefix);
		free(n->decls[i].uri);
	}
	free(n->attrs);
	free(n->decls);
	free(n->ns);
	free(n->local);
	free(n->prefix);
	xe2e_buf_release(&n->text);
	free(n);
}

static int add_decl(struct xe2e_xml_node *e, const char *prefix, const char *uri)
{
	struct xe2e_xml_decl *d = realloc(e->decls, (e->n_decls + 1) * sizeof(*d));

	if (!d)
		return -1;
	e->decls = d;
	d[e->n_decls].prefix = dup0(prefix);
	d[e->n_decls].uri = dup0(uri);
	if (!d[e->n_decls].prefix || !d[e->n_decls].uri) {
		free(d[e->n_decls].prefix);
		free(d[e->n_decls].uri);
		return -1;
	}
	e->n_decls++;
	return 0;
}

static int add_attr(struct xe2e_xml_node *e, const char *ns, const char *local, const char *prefix,
		    const void *v, size_t len)
{
	struct xe2e_xml_attr *a = realloc(e->attrs, (e->n_attrs + 1) * sizeof(*a));

	if (!a)
		return -1;
	e->attrs = a;
	a += e->n_attrs;
	memset(a, 0, sizeof(*a));
	a->ns = dup0(ns);
	a->local = dup0(local);
	a->prefix = dup0(prefix);
	xe2e_buf_init(&a->value, 0);
	if (!a->ns || !a->local || !a->prefix || xe2e_buf_add(&a->value, v, len, NULL) ||
	    xe2e_buf_grow(&a->value, 0, NULL)) {
		free_attr(a);
		return -1;
	}
	e->n_attrs++;
	return 0;
}

struct xe2e_xml_node *xe2e_xml_copy(const struct xe2e_xml_node *n)
{
	struct xe2e_xml_node *c, *k;
	const struct xe2e_xml_node *s;
	size_t i;

	if (n->kind == XE2E_XML_TEXT)
		return xe2e_xml_text_new(n->text.data, n->text.len, n->cdata);
	c = xe2e_xml_elem_new(n->ns, n->local, n->prefix);
	for (i = 0; c && i < n->n_decls; i++)
		if (add_decl(c, n->decls[i].prefix, n->decls[i].uri))
			goto fail;
	for (i = 0; c && i < n->n_attrs; i++)
		if (add_attr(c, n->attrs[i].ns, n->attrs[i].local, n->attrs[i].prefix,
			     n->attrs[i].value.data, n->attrs[i].value.len))
			goto fail;
	for (s = n->first; c && s; s = s->next) {
		k = xe2e_xml_copy(s);
		if (!k)
			goto fail;
		xe2e_xml_append(c, k);
	}
	return c;
fail:
	xe2e_xml_free(c);
	return NULL;
}

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

const struct xe2e_buf *xe2e_xml_attr_get(const struct xe2e_xml_node *e, const char *ns,
					 const char *local)
{
	size_t i;

	for (i = 0; e->kind == XE2E_XML_ELEM && i < e->n_attrs; i++)
		if (same(e->attrs[i].ns, ns) && !strcmp(e->attrs[i].local, local))
			return &e->attrs[i].value;
	return NULL;
}

int xe2e_xml_attr_set(struct xe2e_xml_node *e, const char *ns, const char *local,
		      const void *value, size_t len, struct xe2e_err *err)
{
	size_t i;

	/* in place when it exists: the attribute order stays */
	for (i = 0; i < e->n_attrs; i++)
		if (same(e->attrs[i].ns, ns) && !strcmp(e->attrs[i].local, local)) {
			xe2e_buf_reset(&e->attrs[i].value);
			if (xe2e_buf_add(&e->attrs[i].value, value, len, NULL) ||
			    xe2e_buf_grow(&e->attrs[i].value, 0, NULL))
				return xe2e_err_oom(err);
			return 0;
		}
	if (add_attr(e, ns, local, ns && !strcmp(ns, XE2E_NS_XML) ? "xml" : "", value, len))
		return xe2e_err_oom(err);
	return 0;
}

int xe2e_xml_is(const struct xe2e_xml_node *e, const char *ns, const char *local)
{
	return e && e->kind == XE2E_XML_ELEM && (!ns || !strcmp(e->ns, ns)) &&
	       !strcmp(e->local, local);
}

struct xe2e_xml_node *xe2e_xml_child(const struct xe2e_xml_node *e, const char *ns,
				     const char *local)
{
	struct xe2e_xml_node *c;

	for (c = e->first; c; c = c->next)
		if (xe2e_xml_is(c, ns, local))
			return c;
	return NULL;
}

size_t xe2e_xml_n_children(const struct xe2e_xml_node *e)
{
	const struct xe2e_xml_node *c;
	size_t n = 0;

	for (c = e->first; c; c = c->next)
		n += c->kind == XE2E_XML_ELEM;
	return n;
}

int xe2e_xml_is_space(const void *text, size_t len)
{
	const unsigned char *p = text;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

int xe2e_xml_text(struct xe2e_buf *out, const struct xe2e_xml_node *e, int elems_ok,
		  struct xe2e_err *err)
{
	const struct xe2e_xml_node *c;
	int rc = 0;

	for (c = e->first; !rc && c; c = c->next) {
		if (c->kind == XE2E_XML_TEXT)
			rc = xe2e_buf_add(out, c->text.data, c->text.len, err);
		else if (!elems_ok)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "<%s/> holds an element <%s/>", e->local,
					  c->local);
	}
	return rc ? rc : xe2e_buf_grow(out, 0, err);
}

/* ------------------------------------------------------------ writing */

struct scope {
	const char **prefix, **uri;
	size_t n, cap;
};

static int scope_push(struct scope *s, const char *prefix, const char *uri)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		const char **p = realloc(s->prefix, cap * sizeof(*p));

		if (!p)
			return -1;
		s->prefix = p;
		p = realloc(s->uri, cap * sizeof(*p));
		if (!p)
			return -1;
		s->uri = p;
		s->cap = cap;
	}
	s->prefix[s->n] = prefix;
	s->uri[s->n++] = uri;
	return 0;
}

/* The URI bound to prefix, or NULL ("" for an unbound default). */
static const char *scope_get(const struct scope *s, const char *prefix)
{
	size_t i = s->n;

	if (!strcmp(prefix, "xml"))
		return XE2E_NS_XML;
	while (i-- > 0)
		if (!strcmp(s->prefix[i], prefix))
			return s->uri[i];
	return prefix[0] ? NULL : "";
}

/* Is p[0..len) UTF-8 made of XML 1.0 Chars (§2.2)? */
int xe2e_xml_chars_ok(const void *text, size_t len)
{
	const unsigned char *p = text;
	size_t i = 0, n;
	unsigned cp = 0;

	while (i < len) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		if (!n)
			return 0;
		if (!(cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
		      (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)))
			return 0;
		i += n;
	}
	return 1;
}

static int put_escaped(struct xe2e_buf *out, const unsigned char *p, size_t len, int attr,
		       struct xe2e_err *err)
{
	size_t i, start = 0;
	const char *rep;
	int rc = 0;

	if (!xe2e_xml_chars_ok(p, len))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "text holds a character XML cannot carry (a control character or invalid UTF-8)");
	for (i = 0; !rc && i < len; i++) {
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\r': rep = "&#13;"; break;
		case '\'': rep = attr ? "&apos;" : NULL; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		default: rep = NULL;
		}
		if (!rep)
			continue;
		rc = xe2e_buf_add(out, p + start, i - start, err);
		if (!rc)
			rc = xe2e_buf_adds(out, rep, err);
		start = i + 1;
	}
	return rc ? rc : xe2e_buf_add(out, p + start, len - start, err);
}

/* CDATA sections, split so that "]]>" never occurs inside one. */
static int put_cdata(struct xe2e_buf *out, const unsigned char *p, size_t len, struct xe2e_err *err)
{
	size_t i, start = 0;
	int rc;

	if (!xe2e_xml_chars_ok(p, len))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "text holds a character XML cannot carry (a control character or invalid UTF-8)");
	rc = xe2e_buf_adds(out, "<![CDATA[", err);
	for (i = 0; !rc && i + 2 < len; i++) {
		if (p[i] != ']' || p[i + 1] != ']' || p[i + 2] != '>')
			continue;
		/* end the section after "]]", start a new one before ">" */
		rc = xe2e_buf_add(out, p + start, i + 2 - start, err);
		if (!rc)
			rc = xe2e_buf_adds(out, "]]><![CDATA[", err);
		start = i + 2;
	}
	if (!rc)
		rc = xe2e_buf_add(out, p + start, len - start, err);
	return rc ? rc : xe2e_buf_adds(out, "]]>", err);
}

static int write_node(struct xe2e_buf *out, const struct xe2e_xml_node *n, struct scope *s,
		      int start_only, struct xe2e_err *err);

static int put_name(struct xe2e_buf *out, const char *prefix, const char *local, struct xe2e_err *err)
{
	if (prefix[0])
		return xe2e_buf_addf(out, err, "%s:%s", prefix, local);
	return xe2e_buf_adds(out, local, err);
}

static int put_decl(struct xe2e_buf *out, const char *prefix, const char *uri, struct xe2e_err *err)
{
	int rc = prefix[0] ? xe2e_buf_addf(out, err, " xmlns:%s='", prefix)
			   : xe2e_buf_adds(out, " xmlns='", err);

	if (!rc)
		rc = put_escaped(out, (const unsigned char *)uri, strlen(uri), 1, err);
	return rc ? rc : xe2e_buf_addc(out, '\'', err);
}

static int write_elem(struct xe2e_buf *out, const struct xe2e_xml_node *n, struct scope *s,
		      int start_only, struct xe2e_err *err)
{
	size_t mark = s->n, first_new, i, k;
	const struct xe2e_xml_node *c;
	char gen[16][16];
	const char **aprefix = NULL;
	const char *epfx;
	int rc = 0, g = 0;

	/* the declarations the element had, where they change the scope --
	 * but never one that would bind the element's own prefix to another
	 * namespace than its name's (a re-scoped stanza): its name wins */
	for (i = 0; !rc && i < n->n_decls; i++) {
		const char *cur = scope_get(s, n->decls[i].prefix);

		if (!strcmp(n->decls[i].prefix, n->ns[0] ? n->prefix : "") &&
		    strcmp(n->decls[i].uri, n->ns))
			continue;
		if (!cur || strcmp(cur, n->decls[i].uri))
			rc = scope_push(s, n->decls[i].prefix, n->decls[i].uri);
	}
	first_new = mark;
	/* the element's own name */
	epfx = n->prefix;
	if (!rc && !n->ns[0]) {
		epfx = "";
		if (scope_get(s, "")[0])
			rc = scope_push(s, "", "");
	} else if (!rc) {
		const char *cur = scope_get(s, epfx);

		if (!cur || strcmp(cur, n->ns))
			rc = scope_push(s, epfx, n->ns);
	}
	/* attribute prefixes (an attribute never takes the default namespace) */
	if (!rc && n->n_attrs) {
		aprefix = calloc(n->n_attrs, sizeof(*aprefix));
		if (!aprefix)
			rc = -1;
	}
	for (i = 0; !rc && i < n->n_attrs; i++) {
		const struct xe2e_xml_attr *a = &n->attrs[i];
		const char *cur;

		if (!a->ns[0] || !strcmp(a->ns, XE2E_NS_XML)) {
			aprefix[i] = a->ns[0] ? "xml" : "";
			continue;
		}
		cur = a->prefix[0] ? scope_get(s, a->prefix) : NULL;
		if (cur && !strcmp(cur, a->ns)) {
			aprefix[i] = a->prefix;
			continue;
		}
		if (a->prefix[0] && strcmp(a->prefix, "xml") && strcmp(a->prefix, "xmlns")) {
			/* the prefix is free on this element? */
			int taken = 0;

			for (k = first_new; k < s->n; k++)
				taken |= !strcmp(s->prefix[k], a->prefix);
			if (!taken) {
				rc = scope_push(s, a->prefix, a->ns);
				aprefix[i] = a->prefix;
				continue;
			}
		}
		do {
			if (g == 16) {
				rc = xe2e_err_set(err, XE2E_EUNSUPPORTED, "too many attribute namespaces");
				break;
			}
			snprintf(gen[g], sizeof(gen[g]), "ns%d", g + 1);
		} while (scope_get(s, gen[g]) && ++g);
		if (!rc) {
			rc = scope_push(s, gen[g], a->ns);
			aprefix[i] = gen[g++];
		}
	}
	if (rc == -1)
		rc = xe2e_err_oom(err);
	if (!rc)
		rc = xe2e_buf_addc(out, '<', err);
	if (!rc)
		rc = put_name(out, epfx, n->local, err);
	for (k = first_new; !rc && k < s->n; k++)
		rc = put_decl(out, s->prefix[k], s->uri[k], err);
	for (i = 0; !rc && i < n->n_attrs; i++) {
		rc = xe2e_buf_addc(out, ' ', err);
		if (!rc)
			rc = put_name(out, aprefix[i], n->attrs[i].local, err);
		if (!rc)
			rc = xe2e_buf_adds(out, "='", err);
		if (!rc)
			rc = put_escaped(out, n->attrs[i].value.data, n->attrs[i].value.len, 1, err);
		if (!rc)
			rc = xe2e_buf_addc(out, '\'', err);
	}
	free(aprefix);
	if (!rc && start_only) {
		rc = xe2e_buf_addc(out, '>', err);
	} else if (!rc && !n->first) {
		rc = xe2e_buf_adds(out, "/>", err);
	} else if (!rc) {
		rc = xe2e_buf_addc(out, '>', err);
		for (c = n->first; !rc && c; c = c->next)
			rc = write_node(out, c, s, 0, err);
		if (!rc)
			rc = xe2e_buf_adds(out, "</", err);
		if (!rc)
			rc = put_name(out, epfx, n->local, err);
		if (!rc)
			rc = xe2e_buf_addc(out, '>', err);
	}
	if (!start_only)
		s->n = mark;
	return rc;
}

static int write_node(struct xe2e_buf *out, const struct xe2e_xml_node *n, struct scope *s,
		      int start_only, struct xe2e_err *err)
{
	if (n->kind == XE2E_XML_TEXT)
		return n->cdata && n->text.len ? put_cdata(out, n->text.data, n->text.len, err)
					       : put_escaped(out, n->text.data, n->text.len, 0, err);
	return write_elem(out, n, s, start_only, err);
}

static int write_in(struct xe2e_buf *out, const struct xe2e_xml_node *n,
		    const struct xe2e_xml_scope *scope, size_t n_scope, int start_only,
		    struct xe2e_err *err)
{
	struct scope s = { NULL, NULL, 0, 0 };
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < n_scope; i++)
		if (scope_push(&s, scope[i].prefix, scope[i].uri))
			rc = xe2e_err_oom(err);
	if (!rc)
		rc = write_node(out, n, &s, start_only, err);
	free(s.prefix);
	free(s.uri);
	return rc;
}

int xe2e_xml_write(struct xe2e_buf *out, const struct xe2e_xml_node *n,
		   const struct xe2e_xml_scope *scope, size_t n_scope, struct xe2e_err *err)
{
	return write_in(out, n, scope, n_scope, 0, err);
}

int xe2e_xml_write_start(struct xe2e_buf *out, const struct xe2e_xml_node *e,
			 const struct xe2e_xml_scope *scope, size_t n_scope, struct xe2e_err *err)
{
	return write_in(out, e, scope, n_scope, 1, err);
}

/* ------------------------------------------------------------ parsing */

struct xe2e_xml_limits xe2e_xml_default_limits(size_t max_bytes)
{
	struct xe2e_xml_limits l = { 64, 64, max_bytes, 0 };

	return l;
}

struct pending_decl {
	char *prefix, *uri;
};

struct xe2e_xml_reader {
	XML_Parser p;
	struct xe2e_xml_limits lim;
	int fragments;                 /* synthetic root */
	int whole;                     /* keep the root's children (xe2e_xml_parse) */
	int failed, ended, had_decl, finished;
	struct xe2e_err err;
	size_t depth;                  /* of the element being built; root = 1 */
	size_t bytes;                  /* held by the current child of the root */
	struct xe2e_xml_node *root, *cur;
	int root_reported;
	struct xe2e_xml_node *q_first, *q_last;   /* completed children (linked by next) */
	struct pending_decl *pend;
	size_t n_pend;
	int in_cdata;
	long long fed, mark;           /* bytes given to expat; end of its last event */
	/* fragment mode, before the first element: the optional XML declaration */
	int pre_done;
	unsigned char pre[MAX_DECL];
	size_t n_pre;
	const char *fragment_ns;
};

static void fail(struct xe2e_xml_reader *r, enum xe2e_code code, const char *msg)
{
	if (!r->failed) {
		r->failed = 1;
		xe2e_err_set(&r->err, code, "%s", msg);
	}
	XML_StopParser(r->p, XML_FALSE);
}

/* Where expat's last event ended: bytes after it are one token still
 * being read (expat 2.5 re-reads an unfinished token on every call). */
static void mark(struct xe2e_xml_reader *r)
{
	XML_Index i = XML_GetCurrentByteIndex(r->p);

	if (i >= 0)
		r->mark = (long long)i + XML_GetCurrentByteCount(r->p);
}

static int charge(struct xe2e_xml_reader *r, size_t n)
{
	if (n > r->lim.max_bytes || r->bytes > r->lim.max_bytes - n) {
		fail(r, XE2E_EMALFORMED, "an XML element is larger than the limit");
		return -1;
	}
	r->bytes += n;
	return 0;
}

/* "uri\1local\1prefix" / "uri\1local" / "local" */
static int split_name(const char *name, char **ns, char **local, char **prefix)
{
	const char *a = strchr(name, NS_SEP), *b = a ? strchr(a + 1, NS_SEP) : NULL;

	if (!a) {
		*ns = strdup("");
		*local = strdup(name);
		*prefix = strdup("");
	} else {
		*ns = strndup(name, (size_t)(a - name));
		*local = b ? strndup(a + 1, (size_t)(b - a - 1)) : strdup(a + 1);
		*prefix = strdup(b ? b + 1 : "");
	}
	if (!*ns || !*local || !*prefix) {
		free(*ns);
		free(*local);
		free(*prefix);
		return -1;
	}
	return 0;
}

static void XMLCALL on_ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
	struct xe2e_xml_reader *r = ud;
	struct pending_decl *d;

	if (r->failed)
		return;
	mark(r);
	if (r->n_pend >= r->lim.max_attrs) {
		fail(r, XE2E_EMALFORMED, "an XML element has more attributes than the limit");
		return;
	}
	d = realloc(r->pend, (r->n_pend + 1) * sizeof(*d));
	if (!d) {
		fail(r, XE2E_EIO, "out of memory");
		return;
	}
	r->pend = d;
	d[r->n_pend].prefix = dup0(prefix);
	d[r->n_pend].uri = dup0(uri);
	if (!d[r->n_pend].prefix || !d[r->n_pend].uri) {
		free(d[r->n_pend].prefix);
		free(d[r->n_pend].uri);
		fail(r, XE2E_EIO, "out of memory");
		return;
	}
	r->n_pend++;
}

static void clear_pending(struct xe2e_xml_reader *r)
{
	size_t i;

	for (i = 0; i < r->n_pend; i++) {
		free(r->pend[i].prefix);
		free(r->pend[i].uri);
	}
	r->n_pend = 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xe2e_xml_reader *r = ud;
	struct xe2e_xml_node *e;
	char *ns, *local, *prefix;
	size_t i, n = 0;

	if (r->failed)
		return;
	mark(r);
	r->depth++;
	if (r->fragments && r->depth == 1) {       /* the synthetic root */
		clear_pending(r);
		r->root = xe2e_xml_elem_new(r->fragment_ns, FRAG_ROOT, "");
		if (!r->root)
			fail(r, XE2E_EIO, "out of memory");
		r->cur = r->root;
		return;
	}
	if (r->depth > r->lim.max_depth + 1) {
		fail(r, XE2E_EMALFORMED, "XML nested deeper than the limit");
		return;
	}
	if (r->depth == 2 && !r->whole)
		r->bytes = 0;
	if (split_name(name, &ns, &local, &prefix)) {
		fail(r, XE2E_EIO, "out of memory");
		return;
	}
	e = xe2e_xml_elem_new(NULL, NULL, NULL);
	if (!e) {
		free(ns);
		free(local);
		free(prefix);
		fail(r, XE2E_EIO, "out of memory");
		return;
	}
	free(e->ns);
	free(e->local);
	free(e->prefix);
	e->ns = ns;
	e->local = local;
	e->prefix = prefix;
	if (r->cur)
		xe2e_xml_append(r->cur, e);
	else
		r->root = e;
	r->cur = e;
	if (charge(r, strlen(ns) + strlen(local) + strlen(prefix) + 16))
		return;
	for (i = 0; atts[i]; i += 2)
		n++;
	/* namespace declarations are attributes too (they cost the writer) */
	if (n + r->n_pend > r->lim.max_attrs) {
		fail(r, XE2E_EMALFORMED, "an XML element has more attributes than the limit");
		return;
	}
	for (i = 0; i < r->n_pend; i++) {
		if (charge(r, strlen(r->pend[i].prefix) + strlen(r->pend[i].uri) + 16))
			return;
		if (add_decl(e, r->pend[i].prefix, r->pend[i].uri)) {
			fail(r, XE2E_EIO, "out of memory");
			return;
		}
	}
	clear_pending(r);
	for (i = 0; atts[i]; i += 2) {
		size_t vl = strlen(atts[i + 1]);

		if (charge(r, strlen(atts[i]) + vl + 16))
			return;
		if (split_name(atts[i], &ns, &local, &prefix)) {
			fail(r, XE2E_EIO, "out of memory");
			return;
		}
		if (add_attr(e, ns, local, prefix, atts[i + 1], vl)) {
			free(ns);
			free(local);
			free(prefix);
			fail(r, XE2E_EIO, "out of memory");
			return;
		}
		free(ns);
		free(local);
		free(prefix);
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xe2e_xml_reader *r = ud;
	struct xe2e_xml_node *done = r->cur;

	(void)name;
	if (r->failed)
		return;
	mark(r);
	r->depth--;
	if (r->depth == 0) {                       /* the root's end */
		r->ended = 1;
		r->cur = NULL;
		return;
	}
	r->cur = done->parent;
	if (r->depth == 1 && !r->whole) {          /* a completed child of the root */
		xe2e_xml_detach(done);
		done->next = NULL;
		if (r->q_last)
			r->q_last->next = done;
		else
			r->q_first = done;
		r->q_last = done;
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xe2e_xml_reader *r = ud;
	struct xe2e_xml_node *t;

	if (r->failed || len <= 0)
		return;
	mark(r);
	if (r->depth <= 1 && !r->whole) {
		/* between stanzas: white space (keepalives) only */
		if (!xe2e_xml_is_space((const unsigned char *)s, (size_t)len))
			fail(r, XE2E_EMALFORMED, "text outside an element");
		return;
	}
	if (!r->cur || charge(r, (size_t)len))
		return;
	t = r->cur->last;
	if (t && t->kind == XE2E_XML_TEXT && t->cdata == r->in_cdata) {
		if (xe2e_buf_add(&t->text, s, (size_t)len, NULL))
			fail(r, XE2E_EIO, "out of memory");
		return;
	}
	t = xe2e_xml_text_new(s, (size_t)len, r->in_cdata);
	if (!t) {
		fail(r, XE2E_EIO, "out of memory");
		return;
	}
	xe2e_xml_append(r->cur, t);
}

static void XMLCALL on_cdata_start(void *ud)
{
	((struct xe2e_xml_reader *)ud)->in_cdata = 1;
	mark(ud);
}

static void XMLCALL on_cdata_end(void *ud)
{
	((struct xe2e_xml_reader *)ud)->in_cdata = 0;
	mark(ud);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	fail(ud, XE2E_EMALFORMED, "a DOCTYPE is not allowed");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *v, int vl,
			      const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
			      const XML_Char *notation)
{
	fail(ud, XE2E_EMALFORMED, "entity declarations are not allowed");
}

static void XMLCALL on_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
	fail(ud, XE2E_EMALFORMED, "processing instructions are not allowed");
}

static void XMLCALL on_comment(void *ud, const XML_Char *data)
{
	struct xe2e_xml_reader *r = ud;

	mark(r);
	if (!r->lim.allow_comments)
		fail(r, XE2E_EMALFORMED, "comments are not allowed in an XMPP stream");
}

static void XMLCALL on_xmldecl(void *ud, const XML_Char *version, const XML_Char *encoding,
			       int standalone)
{
	struct xe2e_xml_reader *r = ud;

	mark(r);
	r->had_decl = 1;
	if (encoding && strcasecmp(encoding, "UTF-8"))
		fail(r, XE2E_EMALFORMED, "the XML encoding is not UTF-8");
}

int xe2e_xml_reader_new(struct xe2e_xml_reader **out, const char *fragment_ns,
			const struct xe2e_xml_limits *lim, struct xe2e_err *err)
{
	struct xe2e_xml_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return xe2e_err_oom(err);
	r->lim = *lim;
	r->fragments = fragment_ns != NULL;
	r->fragment_ns = fragment_ns;
	r->pre_done = !r->fragments;
	r->p = XML_ParserCreateNS("UTF-8", NS_SEP);
	if (!r->p) {
		free(r);
		return xe2e_err_oom(err);
	}
	XML_SetReturnNSTriplet(r->p, 1);
	XML_SetUserData(r->p, r);
	XML_SetParamEntityParsing(r->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetElementHandler(r->p, on_start, on_end);
	XML_SetCharacterDataHandler(r->p, on_text);
	XML_SetCdataSectionHandler(r->p, on_cdata_start, on_cdata_end);
	XML_SetNamespaceDeclHandler(r->p, on_ns_start, NULL);
	XML_SetStartDoctypeDeclHandler(r->p, on_doctype);
	XML_SetEntityDeclHandler(r->p, on_entity);
	XML_SetProcessingInstructionHandler(r->p, on_pi);
	XML_SetCommentHandler(r->p, on_comment);
	XML_SetXmlDeclHandler(r->p, on_xmldecl);
	*out = r;
	return 0;
}

void xe2e_xml_reader_free(struct xe2e_xml_reader *r)
{
	struct xe2e_xml_node *n, *next;

	if (!r)
		return;
	for (n = r->q_first; n; n = next) {
		next = n->next;
		n->next = NULL;
		xe2e_xml_free(n);
	}
	clear_pending(r);
	free(r->pend);
	xe2e_xml_free(r->root);
	XML_ParserFree(r->p);
	free(r);
}

static int parse_bytes(struct xe2e_xml_reader *r, const char *p, size_t n, int final)
{
	while (!r->failed && (n || final)) {
		int chunk = n > (1u << 30) ? 1 << 30 : (int)n;

		if (XML_Parse(r->p, p, chunk, final && (size_t)chunk == n) == XML_STATUS_ERROR &&
		    !r->failed) {
			enum XML_Error e = XML_GetErrorCode(r->p);
			char msg[200];

			snprintf(msg, sizeof(msg), "XML not well-formed at line %lu: %s",
				 (unsigned long)XML_GetCurrentLineNumber(r->p), XML_ErrorString(e));
			fail(r, XE2E_EMALFORMED, msg);
		}
		r->fed += chunk;
		if (!n)          /* final with nothing left: p may be NULL */
			break;
		if (!r->failed && r->fed - r->mark > (long long)XE2E_XML_MAX_TOKEN)
			fail(r, XE2E_EMALFORMED, "an XML tag is larger than the limit (1 MiB)");
		p += chunk;
		n -= (size_t)chunk;
		if (!n)
			break;
	}
	return r->failed ? -1 : 0;
}

/* XML 1.0 §2.8 XMLDecl after "<?xml" up to "?>": version '1.0', then an
 * optional encoding that is UTF-8, then an optional standalone. */
static int decl_ok(const unsigned char *p, size_t n)
{
	static const char *const names[] = { "version", "encoding", "standalone" };
	char v[32];
	size_t i = 0, k, vl;
	int next = 0, seen_version = 0;
	unsigned char q;

	for (;;) {
		size_t sp = i;

		while (i < n && strchr(" \t\r\n", p[i]))
			i++;
		if (i == n)
			return seen_version;
		if (i == sp)
			return 0;
		for (k = (size_t)next; k < 3; k++)
			if (n - i > strlen(names[k]) && !memcmp(p + i, names[k], strlen(names[k])))
				break;
		if (k == 3 || (k == 0) != !seen_version)
			return 0;
		i += strlen(names[k]);
		while (i < n && strchr(" \t\r\n", p[i]))
			i++;
		if (i >= n || p[i++] != '=')
			return 0;
		while (i < n && strchr(" \t\r\n", p[i]))
			i++;
		if (i >= n || (p[i] != '\'' && p[i] != '"'))
			return 0;
		q = p[i++];
		for (vl = 0; i < n && p[i] != q; i++)
			if (vl + 1 < sizeof(v))
				v[vl++] = (char)p[i];
			else
				return 0;
		if (i++ >= n)
			return 0;
		v[vl] = '\0';
		if ((k == 0 && strcmp(v, "1.0")) || (k == 1 && strcasecmp(v, "UTF-8")) ||
		    (k == 2 && strcmp(v, "yes") && strcmp(v, "no")))
			return 0;
		seen_version |= k == 0;
		next = (int)k + 1;
	}
}

/* Fragment mode: hold back an XML declaration (not allowed after the
 * synthetic root's start tag), then open the root. */
static int pre_feed(struct xe2e_xml_reader *r, const unsigned char **p, size_t *n, int final)
{
	static const char decl[] = "<?xml";
	unsigned char *end;
	char root[160];
	size_t take, i;

	take = *n < sizeof(r->pre) - r->n_pre ? *n : sizeof(r->pre) - r->n_pre;
	memcpy(r->pre + r->n_pre, *p, take);
	r->n_pre += take;
	*p += take;
	*n -= take;
	/* a UTF-8 byte order mark is dropped (wait for all of it) */
	if (r->n_pre < 3 && !final && !memcmp(r->pre, "\xef\xbb\xbf", r->n_pre))
		return 0;
	i = r->n_pre >= 3 && !memcmp(r->pre, "\xef\xbb\xbf", 3) ? 3 : 0;
	if (r->n_pre - i < 5 && !final && !memcmp(r->pre + i, decl, r->n_pre - i))
		return 0;                          /* not yet decided */
	if (r->n_pre - i >= 5 && !memcmp(r->pre + i, decl, 5) &&
	    (r->n_pre - i == 5 || strchr(" \t\r\n", r->pre[i + 5]))) {
		end = memmem(r->pre, r->n_pre, "?>", 2);
		if (!end) {
			if (!final && r->n_pre < sizeof(r->pre))
				return 0;
			fail(r, XE2E_EMALFORMED, "unterminated XML declaration");
			return -1;
		}
		/* give expat the declaration alone as a document of its own? No:
		 * check it here (version 1.0, UTF-8) and drop it */
		r->had_decl = 1;
		if (!decl_ok(r->pre + i + 5, (size_t)(end - r->pre) - i - 5)) {
			fail(r, XE2E_EMALFORMED, "the XML declaration is not version 1.0, UTF-8");
			return -1;
		}
		i = (size_t)(end - r->pre) + 2;
	}
	/* a DOCTYPE would come after the synthetic root: name it */
	{
		size_t k = i;

		while (k < r->n_pre && strchr(" \t\r\n", r->pre[k]))
			k++;
		if (r->n_pre - k >= 9 && !memcmp(r->pre + k, "<!DOCTYPE", 9)) {
			fail(r, XE2E_EMALFORMED, "a DOCTYPE is not allowed");
			return -1;
		}
	}
	r->pre_done = 1;
	snprintf(root, sizeof(root), "<%s xmlns='", FRAG_ROOT);
	if (parse_bytes(r, root, strlen(root), 0) ||
	    parse_bytes(r, r->fragment_ns, strlen(r->fragment_ns), 0) ||
	    parse_bytes(r, "'>", 2, 0) ||
	    parse_bytes(r, (const char *)r->pre + i, r->n_pre - i, 0))
		return -1;
	return 0;
}

int xe2e_xml_reader_feed(struct xe2e_xml_reader *r, const void *p, size_t n, int final,
			 struct xe2e_err *err)
{
	const unsigned char *q = p;

	/* nothing comes after the end */
	if (r->finished && !r->failed) {
		if (n)
			fail(r, XE2E_EMALFORMED, "input after the end");
		goto out;
	}
	r->finished = final;
	if (!r->failed && !r->pre_done)
		pre_feed(r, &q, &n, final);
	if (!r->failed && r->pre_done) {
		if (r->fragments && final) {
			static const char close[] = "</" FRAG_ROOT ">";

			if (!parse_bytes(r, (const char *)q, n, 0))
				parse_bytes(r, close, strlen(close), 1);
		} else {
			parse_bytes(r, (const char *)q, n, final);
		}
	}
out:
	if (r->failed) {
		if (err)
			*err = r->err;
		return -(int)r->err.code;
	}
	return 0;
}

enum xe2e_xml_event xe2e_xml_reader_next(struct xe2e_xml_reader *r, struct xe2e_xml_node **node)
{
	*node = NULL;
	if (r->failed)
		return XE2E_XML_EV_NONE;
	if (!r->fragments && r->root && !r->root_reported) {
		r->root_reported = 1;
		*node = r->root;
		return XE2E_XML_EV_ROOT;
	}
	if (r->q_first) {
		*node = r->q_first;
		r->q_first = r->q_first->next;
		if (!r->q_first)
			r->q_last = NULL;
		(*node)->next = NULL;
		return XE2E_XML_EV_CHILD;
	}
	return r->ended ? XE2E_XML_EV_END : XE2E_XML_EV_NONE;
}

int xe2e_xml_reader_had_decl(const struct xe2e_xml_reader *r)
{
	return r->had_decl;
}

int xe2e_xml_parse(struct xe2e_xml_node **root, const unsigned char *p, size_t len,
		   const struct xe2e_xml_limits *lim, struct xe2e_err *err)
{
	struct xe2e_xml_reader *r;
	int rc;

	*root = NULL;
	rc = xe2e_xml_reader_new(&r, NULL, lim, err);
	if (rc)
		return rc;
	r->whole = 1;
	r->bytes = 0;
	rc = xe2e_xml_reader_feed(r, p, len, 1, err);
	if (!rc && !r->ended)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "XML document without a root element");
	if (!rc) {
		*root = r->root;
		r->root = NULL;
	}
	xe2e_xml_reader_free(r);
	return rc;
}
