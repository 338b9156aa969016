/*
 * xml.h - a small namespace-aware XML tree on expat, for stanzas, PIDF
 * documents and application/xmpp+xml objects: parse (a whole document, or
 * incrementally: the root's start tag and each completed child of the
 * root, as soon as its end tag is read), build, serialise.
 *
 * Hostile input (DESIGN §6, RFC 6120 §11.1): no DOCTYPE (so no entity
 * declarations and no expansion beyond the five predefined entities), an
 * encoding other than UTF-8 refused, processing instructions refused,
 * comments refused in streams (dropped in documents), element depth,
 * attributes (namespace declarations included) per element, the bytes of
 * one element (names, attribute values and text it holds) and of one tag
 * still being read (XE2E_XML_MAX_TOKEN: expat re-reads an unfinished tag
 * each time it is fed) capped.  On any cap or allocation failure the
 * parser is stopped and the error returned; a reader that failed stays
 * failed.
 *
 * Names: an element or attribute has a namespace URI ("" for none), a local
 * name and the prefix it was written with ("" for none).  Serialisation
 * writes each element with the namespace declarations it had in the input
 * when they are not already in scope, and declares whatever else a name
 * needs, so the output is equal as XML (RFC 6120 §4.8.3 rules of scope) to
 * what was parsed; text is escaped (& < > and CR as a character reference),
 * attribute values single-quoted, CDATA sections kept as CDATA (split at
 * "]]>").  Not here: what a stanza is (stanza.h).
 */
#ifndef XE2E_XML_H
#define XE2E_XML_H

#include <stddef.h>
#include "buf.h"

#define XE2E_NS_XML    "http://www.w3.org/XML/1998/namespace"
#define XE2E_NS_XMLNS  "http://www.w3.org/2000/xmlns/"
#define XE2E_XML_MAX_TOKEN ((size_t)1 << 20)   /* one start tag, comment... */

enum xe2e_xml_kind { XE2E_XML_ELEM, XE2E_XML_TEXT };

struct xe2e_xml_attr {
	char *ns, *local, *prefix;     /* NUL-terminated, never NULL */
	struct xe2e_buf value;
};

struct xe2e_xml_decl {                 /* xmlns[:prefix]='uri' written on an element */
	char *prefix;                  /* "" for the default namespace */
	char *uri;                     /* "" undeclares the default */
};

struct xe2e_xml_node {
	enum xe2e_xml_kind kind;
	struct xe2e_xml_node *parent, *first, *last, *next, *prev;
	/* elements */
	char *ns, *local, *prefix;
	struct xe2e_xml_attr *attrs;
	size_t n_attrs;
	struct xe2e_xml_decl *decls;
	size_t n_decls;
	/* text */
	struct xe2e_buf text;
	int cdata;                     /* it was (is to be written as) CDATA */
};

struct xe2e_xml_limits {
	size_t max_depth;              /* element depth below the document root (64) */
	size_t max_attrs;              /* attributes per element (64) */
	size_t max_bytes;              /* bytes one completed element may hold */
	int allow_comments;            /* drop comments (documents) instead of refusing */
};

/* DESIGN §6 defaults: depth 64, 64 attributes, max_bytes as given. */
struct xe2e_xml_limits xe2e_xml_default_limits(size_t max_bytes);

/* ---- building and reading trees ---- */

/* 1 if text[0..len) is UTF-8 made only of XML 1.0 Chars (§2.2: no C0
 * control but TAB, LF, CR; no surrogates, U+FFFE, U+FFFF), else 0. */
int xe2e_xml_chars_ok(const void *text, size_t len);

/* A new element (ns/prefix may be NULL for ""); NULL on out of memory. */
struct xe2e_xml_node *xe2e_xml_elem_new(const char *ns, const char *local, const char *prefix);
/* A new text node holding p[0..len). */
struct xe2e_xml_node *xe2e_xml_text_new(const void *p, size_t len, int cdata);
/* Free n and everything below it (n is detached first). */
void xe2e_xml_free(struct xe2e_xml_node *n);
/* Deep copy; NULL on out of memory. */
struct xe2e_xml_node *xe2e_xml_copy(const struct xe2e_xml_node *n);

void xe2e_xml_append(struct xe2e_xml_node *parent, struct xe2e_xml_node *child);
void xe2e_xml_detach(struct xe2e_xml_node *n);

/* Set (replace) attribute ns/local (ns NULL: none; the xml: namespace gets
 * prefix "xml").  0 or -XE2E_EIO. */
int xe2e_xml_attr_set(struct xe2e_xml_node *e, const char *ns, const char *local,
		      const void *value, size_t len, struct xe2e_err *err);
/* The value of attribute ns/local, or NULL. */
const struct xe2e_buf *xe2e_xml_attr_get(const struct xe2e_xml_node *e, const char *ns,
					 const char *local);

/* 1 if e is an element ns/local (ns NULL: any namespace). */
int xe2e_xml_is(const struct xe2e_xml_node *e, const char *ns, const char *local);
/* The first child element ns/local, or NULL. */
struct xe2e_xml_node *xe2e_xml_child(const struct xe2e_xml_node *e, const char *ns,
				     const char *local);
/* Number of child elements. */
size_t xe2e_xml_n_children(const struct xe2e_xml_node *e);
/* 1 if text[0..len) is only XML white space (SP, TAB, CR, LF; none too). */
int xe2e_xml_is_space(const void *text, size_t len);
/* All character data directly in e (text and CDATA, in order), appended;
 * -XE2E_EMALFORMED if e has child elements and elems_ok is 0. */
int xe2e_xml_text(struct xe2e_buf *out, const struct xe2e_xml_node *e, int elems_ok,
		  struct xe2e_err *err);

/* ---- serialising ---- */

/* In-scope bindings the output will be read in (e.g. the stream's default
 * namespace jabber:client): a prefix ("" default) and its URI. */
struct xe2e_xml_scope {
	const char *prefix, *uri;
};

/* Write n (an element or text) into out (appended), read in the scope
 * given (n_scope bindings; the xml prefix is always bound). */
int xe2e_xml_write(struct xe2e_buf *out, const struct xe2e_xml_node *n,
		   const struct xe2e_xml_scope *scope, size_t n_scope, struct xe2e_err *err);

/* Only e's start tag (with the declarations and attributes as above), as
 * for an XMPP stream header. */
int xe2e_xml_write_start(struct xe2e_buf *out, const struct xe2e_xml_node *e,
			 const struct xe2e_xml_scope *scope, size_t n_scope, struct xe2e_err *err);

/* ---- parsing ---- */

/* A whole document p[0..len): its root element (caller frees). */
int xe2e_xml_parse(struct xe2e_xml_node **root, const unsigned char *p, size_t len,
		   const struct xe2e_xml_limits *lim, struct xe2e_err *err);

enum xe2e_xml_event {
	XE2E_XML_EV_NONE,          /* need more input */
	XE2E_XML_EV_ROOT,          /* the root's start tag (node without children) */
	XE2E_XML_EV_CHILD,         /* a completed child of the root */
	XE2E_XML_EV_END            /* the root's end tag: nothing more */
};

struct xe2e_xml_reader;

/*
 * An incremental reader.  fragment_ns non-NULL: the input is a sequence of
 * elements without a common root (each a "child"), read as if inside a root
 * whose default namespace is fragment_ns; an XML declaration may precede
 * them.  NULL: one document whose root's children are reported one by one.
 */
int xe2e_xml_reader_new(struct xe2e_xml_reader **r, const char *fragment_ns,
			const struct xe2e_xml_limits *lim, struct xe2e_err *err);
void xe2e_xml_reader_free(struct xe2e_xml_reader *r);

/* Feed p[0..n) (final: the input ends here). */
int xe2e_xml_reader_feed(struct xe2e_xml_reader *r, const void *p, size_t n, int final,
			 struct xe2e_err *err);

/* The next event; *node (ROOT: borrowed, valid until the reader is freed;
 * CHILD: the caller's, to free) or NULL.  EV_NONE: feed more. */
enum xe2e_xml_event xe2e_xml_reader_next(struct xe2e_xml_reader *r, struct xe2e_xml_node **node);

/* 1 if the input had an XML declaration. */
int xe2e_xml_reader_had_decl(const struct xe2e_xml_reader *r);

#endif
