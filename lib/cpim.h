/*
 * cpim.h - Message/CPIM objects (RFC 3862) as RFC 3923 §3 uses them: the
 * MIME header block of the object ("Content-type: Message/CPIM"), an empty
 * line, the CPIM message headers (From, To, cc, DateTime, Subject, NS,
 * Require), an empty line, and the encapsulated MIME entity.
 *
 * Built objects are in canonical form (every line ends CRLF, RFC 3862 §2.2)
 * exactly as DESIGN §2 shows them:
 *     Content-type: Message/CPIM CRLF CRLF
 *     From: <im:juliet@example.com> CRLF
 *     To: <im:romeo@example.net> CRLF
 *     DateTime: 2003-12-09T23:45:36.660Z CRLF
 *     [Subject:[;lang=xx] text CRLF]
 *     CRLF
 *     ENTITY
 * Subject text is escaped per RFC 3862 §3.5 (\\ \" \' \b \t \n \r for
 * those characters, \uXXXX for any other control character).
 *
 * Parsing is strict where RFC 3862 is (§2.2, §3.6: one header per line, no
 * folding, exactly one SP after the colon -- "Subject:;lang=fr x" form for
 * parameters -- header names case-sensitive, NAMECHAR only, UTF-8 values
 * without control characters) and accepts LF as well as CRLF line ends.
 * Exactly one From, at least one To (the first is kept), at most one
 * DateTime, Subject at most once per lang; a Require naming a header this
 * module does not process is -XE2E_EUNSUPPORTED; NS is accepted and a
 * prefixed header is ignored unless required; unknown headers are ignored.
 * Caps: 100 headers, 998 octets per header line (RFC 5322 §2.1.1), the
 * whole object at most its caller's limit.
 *
 * Not here: what the entity is (payload.h), JIDs (jid.h), the replay rule
 * (state.h).
 */
#ifndef XE2E_CPIM_H
#define XE2E_CPIM_H

#include <stdint.h>
#include "buf.h"

#define XE2E_CPIM_MAX_HEADERS 100
#define XE2E_CPIM_MAX_LINE    998

/* What a built object says. */
struct xe2e_cpim_build {
	const char *from_uri;        /* "im:juliet@example.com" (no angle brackets) */
	const char *to_uri;          /* "im:romeo@example.net" */
	int64_t datetime_ms;         /* milliseconds since the epoch, UTC */
	const char *subject;         /* UTF-8, or NULL: no Subject header */
	size_t subject_len;
	const char *subject_lang;    /* or NULL: no ;lang= parameter */
	const unsigned char *entity; /* the encapsulated MIME entity, canonical */
	size_t entity_len;
};

/* Build the object into out (appended). -XE2E_EMALFORMED for a URI with a
 * control character, a space, '<' or '>' or a lang that is not a
 * language tag (ALPHA, DIGIT, '-'). */
int xe2e_cpim_build(struct xe2e_buf *out, const struct xe2e_cpim_build *b,
		    struct xe2e_err *err);

/* A parsed object: every field is a copy; entity points into the input. */
struct xe2e_cpim {
	struct xe2e_buf from_uri, from_name;   /* URI without <>, formal name or "" */
	struct xe2e_buf to_uri, to_name;       /* the first To */
	size_t n_to;
	int has_datetime;
	int64_t datetime_ms;
	struct xe2e_buf datetime;              /* the DateTime value as written */
	int has_subject;
	struct xe2e_buf subject;               /* unescaped */
	struct xe2e_buf subject_lang;          /* "" when none */
	const unsigned char *entity;           /* the encapsulated entity */
	size_t entity_len;
};

void xe2e_cpim_init(struct xe2e_cpim *c);
void xe2e_cpim_release(struct xe2e_cpim *c);

/* Parse the object at p[0..len) (starting with its MIME header block) into
 * c (replaced).  -XE2E_EMALFORMED naming the problem (input escaped). */
int xe2e_cpim_parse(struct xe2e_cpim *c, const unsigned char *p, size_t len,
		    struct xe2e_err *err);

#endif
