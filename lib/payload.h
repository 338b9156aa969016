/*
 * payload.h - which object a stanza becomes before it is protected, and
 * the stanza that object gives back (DESIGN §3 rule 11; RFC 3923 §3.1,
 * §4.1, §5, §10; RFC 3922 §4-§5).
 *
 *   message whose children are [<subject/>] <body/> (in that order, text
 *   only, no attributes but an xml:lang equal to the stanza's)
 *       -> Message/CPIM around text/plain (the lang as Content-Language /
 *          Subject:;lang=)
 *   presence with a `to`, no type or type unavailable, whose children are
 *   [<show/>] [<status/>] (show away|chat|dnd|xa; status text with any
 *   xml:lang)
 *       -> application/pidf+xml
 *   anything else -> application/xmpp+xml inside Message/CPIM (so that it
 *   has a DateTime); received bare, it is accepted too ("no timestamp").
 *
 * Every entity is written in canonical form (CRLF); a text that a MIME
 * text body cannot carry exactly (a CR, a line over 998 octets) goes in
 * base64.  Opening an object rebuilds the stanza from it and from the
 * outer stanza's routing attributes (to, from, id, type, xml:lang; any
 * other outer attribute is not protected and is left out): the outer to
 * and from win (the server stamps from; the caller checks them against
 * the object), while what the object protects wins over the outer stanza
 * and must agree with it -- an xmpp+xml stanza's type, id and xml:lang, a
 * PIDF's basic status as the presence type -- else -XE2E_ESIGNATURE (the
 * unprotected part contradicts the protected one).  A Message/CPIM text
 * message's type is not protected (CPIM has no place for it).  The result
 * is equal as XML to what was wrapped (white space between child elements
 * aside).
 *
 * Not here: protection (xmpp.h), comparing the JIDs named (the caller).
 */
#ifndef XE2E_PAYLOAD_H
#define XE2E_PAYLOAD_H

#include <stdint.h>
#include "buf.h"
#include "ctx.h"
#include "jid.h"
#include "xml.h"

enum xe2e_payload_kind {
	XE2E_PAYLOAD_CPIM_TEXT,      /* Message/CPIM, text/plain */
	XE2E_PAYLOAD_PIDF,           /* application/pidf+xml */
	XE2E_PAYLOAD_CPIM_XMPP,      /* Message/CPIM, application/xmpp+xml */
	XE2E_PAYLOAD_XMPP            /* application/xmpp+xml, bare */
};

const char *xe2e_payload_kind_name(enum xe2e_payload_kind k);

struct xe2e_payload_make {
	const struct xe2e_jid *from; /* the sender (the stanza's from or --from), parsed */
	const struct xe2e_jid *to;   /* the stanza's to, parsed */
	int64_t stamp_ms;            /* the DateTime / timestamp */
	const struct xe2e_ctx *ctx;  /* random Content-IDs and tuple ids */
};

/* The object for stanza (rule 11) into entity (appended) and its kind. */
int xe2e_payload_make(struct xe2e_buf *entity, enum xe2e_payload_kind *kind,
		      const struct xe2e_xml_node *stanza, const struct xe2e_payload_make *m,
		      struct xe2e_err *err);

struct xe2e_payload {
	enum xe2e_payload_kind kind;
	int has_timestamp;
	int64_t timestamp_ms;
	struct xe2e_buf sender;      /* the JID in CPIM From / PIDF entity (scheme
					removed), "" if none */
	struct xe2e_buf recipient;   /* the JID in CPIM To, "" if none */
	struct xe2e_buf inner_from, inner_to;   /* an xmpp+xml stanza's own, "" */
	struct xe2e_buf dropped;     /* what of the outer stanza was not kept: "@name"
					lines for its attributes beyond the routing ones */
	struct xe2e_xml_node *stanza;           /* the stanza rebuilt (owned) */
};

void xe2e_payload_init(struct xe2e_payload *p);
void xe2e_payload_release(struct xe2e_payload *p);

/* Open the object entity[0..len) received in `outer` into p (replaced):
 * -XE2E_EMALFORMED naming the problem (also text XML cannot carry),
 * -XE2E_EUNSUPPORTED for an object type none of the above,
 * -XE2E_ESIGNATURE as above. */
int xe2e_payload_open(struct xe2e_payload *p, const unsigned char *entity, size_t len,
		      const struct xe2e_xml_node *outer, struct xe2e_err *err);

#endif
