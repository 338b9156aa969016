/*
 * pidf.h - PIDF documents (RFC 3863) for directed presence (RFC 3923 §4),
 * with the XMPP mapping of RFC 3922 §5 that DESIGN §3 rule 11 fixes: one
 * tuple; <basic> open or closed; the XMPP <show> value verbatim in
 * <im:im> (urn:ietf:params:xml:ns:pidf:im); <status> as the tuple's
 * <note> with its xml:lang; the DateTime as <timestamp>.
 *
 * Built documents start with an XML declaration (RFC 3863 §4.1 MUST):
 *     <?xml version='1.0' encoding='UTF-8'?>
 *     <presence xmlns='urn:ietf:params:xml:ns:pidf'
 *       xmlns:im='urn:ietf:params:xml:ns:pidf:im' entity='pres:juliet@example.com'>
 *       <tuple id='balcony'><status><basic>open</basic><im:im>away</im:im></status>
 *       <note xml:lang='en'>retired to the chamber</note>
 *       <timestamp>2003-12-09T23:53:11.310Z</timestamp></tuple></presence>
 * (one line; shown folded).
 *
 * Parsing (xml.h caps, comments dropped): the root <presence/> in the PIDF
 * namespace with an entity; exactly one <tuple/> with a <status/>; a
 * status child we do not know with mustUnderstand true is
 * -XE2E_EUNSUPPORTED; <im:im> must be away, chat, dnd, xa or busy (read
 * as dnd); the timestamp must be an RFC 3339 date-time.  Not here: JIDs
 * (the entity is returned as written), the replay rule.
 */
#ifndef XE2E_PIDF_H
#define XE2E_PIDF_H

#include <stdint.h>
#include "buf.h"

#define XE2E_NS_PIDF    "urn:ietf:params:xml:ns:pidf"
#define XE2E_NS_PIDF_IM "urn:ietf:params:xml:ns:pidf:im"

struct xe2e_pidf_build {
	const char *entity;          /* "pres:juliet@example.com" */
	const char *tuple_id;        /* an NCName */
	int open;                    /* <basic>open</basic>, else closed */
	const char *show;            /* away|chat|dnd|xa, or NULL */
	const char *note;            /* UTF-8, or NULL */
	size_t note_len;
	const char *note_lang;       /* or NULL */
	int64_t timestamp_ms;
};

/* 1 if s is a show value RFC 3922 §4 maps (away, chat, dnd, xa). */
int xe2e_pidf_show_ok(const char *s);

/* Build the document into out (appended). */
int xe2e_pidf_build(struct xe2e_buf *out, const struct xe2e_pidf_build *b, struct xe2e_err *err);

struct xe2e_pidf {
	struct xe2e_buf entity;      /* as written ("pres:...") */
	int open;                    /* basic open (or no basic) */
	int has_show;
	char show[8];                /* away|chat|dnd|xa */
	int has_note, note_has_lang;
	struct xe2e_buf note, note_lang;
	int has_timestamp;
	int64_t timestamp_ms;
};

void xe2e_pidf_init(struct xe2e_pidf *p);
void xe2e_pidf_release(struct xe2e_pidf *p);

/* Parse the document doc[0..len) into p (replaced). */
int xe2e_pidf_parse(struct xe2e_pidf *p, const unsigned char *doc, size_t len,
		    struct xe2e_err *err);

/* 1 if s is an NCName we write as a tuple id ([A-Za-z_][A-Za-z0-9._-]*,
 * at most 64 bytes). */
int xe2e_pidf_ncname(const char *s);

#endif
