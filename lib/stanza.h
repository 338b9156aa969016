/*
 * stanza.h - XMPP stanzas (RFC 6120 §8) as RFC 3923 handles them: reading
 * them from a stream (a whole <stream:stream> with its header, or a
 * sequence of top-level stanzas), writing them back in that context, the
 * <e2e/> element (§9: the protected object as character data) and the
 * recipient error stanzas of §7.
 *
 * Reading is incremental: a stanza is handed on as soon as its end tag is
 * parsed (xml.h has the caps).  In a sequence of stanzas without a stream
 * header the default namespace is jabber:client.
 *
 * <e2e/> on receive: the one <e2e/> child in urn:ietf:params:xml:ns:xmpp-e2e
 * (or the RFC 3923 examples' urn:ietf:params:xml:xmpp-e2e); all its
 * character data -- CDATA sections, escaped text or a mix, as servers
 * re-serialise it (DESIGN §7, Prosody) -- with leading and trailing XML
 * white space removed (the RFC's examples start the CDATA with a line
 * break).  On send: one CDATA section (split at "]]>"), LF line ends
 * (DESIGN §3 rules 2 and 3).
 *
 * Not here: what the object is (payload.h) or how it is protected (xmpp.h).
 */
#ifndef XE2E_STANZA_H
#define XE2E_STANZA_H

#include "xml.h"

#define XE2E_NS_CLIENT   "jabber:client"
#define XE2E_NS_SERVER   "jabber:server"
#define XE2E_NS_STREAMS  "http://etherx.jabber.org/streams"
#define XE2E_NS_E2E      "urn:ietf:params:xml:ns:xmpp-e2e"
#define XE2E_NS_E2E_RFC  "urn:ietf:params:xml:xmpp-e2e"    /* RFC 3923 §7 examples */
#define XE2E_NS_STANZAS  "urn:ietf:params:xml:ns:xmpp-stanzas"

enum xe2e_stanza_kind {
	XE2E_STANZA_MESSAGE, XE2E_STANZA_PRESENCE, XE2E_STANZA_IQ,
	XE2E_STANZA_OTHER                 /* not a stanza (stream features, errors...) */
};

/* message, presence or iq in jabber:client or jabber:server; else OTHER. */
enum xe2e_stanza_kind xe2e_stanza_kind(const struct xe2e_xml_node *e);
const char *xe2e_stanza_kind_name(enum xe2e_stanza_kind k);

/* An attribute without namespace as a C string (NULL if absent). */
const char *xe2e_stanza_attr(const struct xe2e_xml_node *e, const char *name);
/* Its xml:lang, or NULL. */
const char *xe2e_stanza_lang(const struct xe2e_xml_node *e);

/* ---- reading ---- */

enum xe2e_stanza_event {
	XE2E_STANZA_EV_NONE,       /* feed more */
	XE2E_STANZA_EV_HEADER,     /* the stream header (borrowed; use its name,
				    * attributes and declarations only: a stanza still
				    * being parsed hangs below it) */
	XE2E_STANZA_EV_STANZA,     /* a top-level element (the caller's) */
	XE2E_STANZA_EV_END         /* </stream:stream>, or the end of the sequence */
};

struct xe2e_stanza_reader;

/* max_bytes: the most one stanza may hold (xml.h). */
int xe2e_stanza_reader_new(struct xe2e_stanza_reader **r, size_t max_bytes, struct xe2e_err *err);
void xe2e_stanza_reader_free(struct xe2e_stanza_reader *r);
int xe2e_stanza_reader_feed(struct xe2e_stanza_reader *r, const void *p, size_t n, int final,
			    struct xe2e_err *err);
enum xe2e_stanza_event xe2e_stanza_reader_next(struct xe2e_stanza_reader *r,
					       struct xe2e_xml_node **node);
/* The stream header once seen, or NULL (a sequence of stanzas). */
const struct xe2e_xml_node *xe2e_stanza_reader_header(const struct xe2e_stanza_reader *r);
/* 1 if the input began with an XML declaration. */
int xe2e_stanza_reader_had_decl(const struct xe2e_stanza_reader *r);

/* ---- writing (in the context a reader found: header may be NULL) ---- */

/* The XML declaration (if had_decl) and the stream header's start tag. */
int xe2e_stanza_write_header(struct xe2e_buf *out, const struct xe2e_xml_node *header,
			     int had_decl, struct xe2e_err *err);
/* The stream's end tag. */
int xe2e_stanza_write_end(struct xe2e_buf *out, const struct xe2e_xml_node *header,
			  struct xe2e_err *err);
/* A stanza as it is read inside header's stream (or at top level),
 * appended whole or not at all (a stream written so stays well-formed). */
int xe2e_stanza_write(struct xe2e_buf *out, const struct xe2e_xml_node *stanza,
		      const struct xe2e_xml_node *header, struct xe2e_err *err);

/* ---- <e2e/> ---- */

/* 1 if c is an <e2e/> element (RFC 3923 namespace, or the draft's). */
int xe2e_stanza_is_e2e(const struct xe2e_xml_node *c);

/*
 * The object carried by the stanza's <e2e/> child into out (appended) and
 * that child in *e2e (may be NULL).  Returns 1, or 0 when the stanza has
 * no <e2e/> (nothing appended); -XE2E_EMALFORMED for two of them, an
 * element inside one, or an empty one.
 */
int xe2e_stanza_e2e_get(struct xe2e_buf *out, const struct xe2e_xml_node *stanza,
			const struct xe2e_xml_node **e2e, struct xe2e_err *err);

/* Replace every child of stanza by one <e2e/> carrying obj[0..len) (CRLF
 * written as LF). */
int xe2e_stanza_e2e_put(struct xe2e_xml_node *stanza, const unsigned char *obj, size_t len,
			struct xe2e_err *err);

/* ---- RFC 3923 §7 ---- */

enum xe2e_e2e_condition {
	XE2E_E2E_BAD_TIMESTAMP,          /* not-acceptable + bad-timestamp (§7 case 3) */
	XE2E_E2E_SIGNATURE_UNVERIFIED,   /* not-acceptable + signature-unverified (case 4) */
	XE2E_E2E_DECRYPTION_FAILED,      /* bad-request + decryption-failed (case 5) */
	XE2E_E2E_BAD_REQUEST,            /* bad-request (a malformed object) */
	XE2E_E2E_NOT_IMPLEMENTED,        /* feature-not-implemented, cancel */
	XE2E_E2E_INTERNAL                /* internal-server-error, wait (our I/O) */
};

/* The condition for an xe2e error code (DESIGN §4). */
enum xe2e_e2e_condition xe2e_stanza_condition(int code);

/*
 * The error stanza answering `received` (RFC 3923 §7, RFC 6120 §8.3): the
 * same kind, from and to swapped, the same id, type='error', the received
 * <e2e/> (if any) copied, then <error type='modify'> with the defined and
 * the application condition.  *out NULL and 0 when no error may be sent (a
 * stanza of type error is never answered, RFC 6120 §8.3.1).
 */
int xe2e_stanza_error(struct xe2e_xml_node **out, const struct xe2e_xml_node *received,
		      enum xe2e_e2e_condition cond, struct xe2e_err *err);

/* The application condition of an error stanza's <error/> (either
 * namespace, either spelling of signature-unverified), or -1. */
int xe2e_stanza_error_condition(const struct xe2e_xml_node *stanza);

#endif
