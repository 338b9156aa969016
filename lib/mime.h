/*
 * mime.h - MIME entities: header fields, Content-Type parameters, multipart
 * bodies, the RFC 3851 §3.1.1 canonical form, base64 (Nettle).
 *
 * Parsers take (p, len) and accept CRLF or bare LF line ends (XML and many
 * mail stores turn CRLF into LF, DESIGN §3 rule 2); they never copy the
 * entity, parts point into the caller's bytes.  Emitters write CRLF.
 *
 * Not here: anything S/MIME specific (smime.h) or CMS (cms.h).
 */
#ifndef XE2E_MIME_H
#define XE2E_MIME_H

#include "buf.h"

/* A view of one entity inside a caller-owned byte range. */
struct xe2e_mime_part {
	const unsigned char *p;    /* whole entity (or body part) */
	size_t len;
	const unsigned char *hdr;  /* header block, without the empty line */
	size_t hdr_len;
	const unsigned char *body; /* body after the empty line */
	size_t body_len;
	int entity;                /* p holds a header block (else: bytes only,
				      hdr_len 0 and body = p) */
};

/*
 * Canonical form (RFC 3851 §3.1.1, RFC 5751 §3.1.1): every line break is
 * CRLF; bare LF and bare CR become CRLF.  Appends to out.
 */
int xe2e_mime_canon(struct xe2e_buf *out, const unsigned char *p, size_t len,
		    struct xe2e_err *err);

/*
 * Canonical form of a whole entity: its header block always, its body
 * unless Content-Transfer-Encoding is binary (RFC 3851 §3.1.2), which stays
 * byte for byte.  -XE2E_EMALFORMED if p is not an entity.  Appends to out.
 */
int xe2e_mime_canon_entity(struct xe2e_buf *out, const unsigned char *p,
			   size_t len, struct xe2e_err *err);

/*
 * Split an entity into header block and body.  The header block must be
 * syntactically valid header fields (RFC 5322 §2.2, folding allowed) and be
 * followed by an empty line; an entity starting with an empty line has no
 * header fields.  -XE2E_EMALFORMED naming the problem otherwise.
 */
int xe2e_mime_split(struct xe2e_mime_part *e, const unsigned char *p,
		    size_t len, struct xe2e_err *err);

/*
 * Value of the first header field `name` (case-insensitive), unfolded and
 * trimmed, into val (replaced).  Returns 1 found, 0 absent, <0 error.
 */
int xe2e_mime_header(struct xe2e_buf *val, const struct xe2e_mime_part *e,
		     const char *name, struct xe2e_err *err);

/* Media type of a Content-Type value, lowercased ("multipart/signed"),
 * into type[size].  -XE2E_EMALFORMED if it has no type/subtype. */
int xe2e_mime_ctype(char *type, size_t size, const char *value,
		    struct xe2e_err *err);

/* Parameter `name` of a Content-Type-like value (token or quoted-string),
 * into out (replaced).  Returns 1 found, 0 absent, <0 error. */
int xe2e_mime_param(struct xe2e_buf *out, const char *value, const char *name,
		    struct xe2e_err *err);

/*
 * Body parts of a multipart body (RFC 2046 §5.1.1) with `boundary`: up to
 * max parts into parts[], count in *n.  Each part excludes the line break
 * that precedes the next delimiter.  A part is bytes (RFC 1847 §2.1: what
 * was signed need not be an entity, and may be empty); where it is an
 * entity it is also split into header block and body (entity = 1).
 */
int xe2e_mime_multipart(struct xe2e_mime_part *parts, size_t max, size_t *n,
			const unsigned char *body, size_t len,
			const char *boundary, struct xe2e_err *err);

/* Decode a body according to its Content-Transfer-Encoding value (NULL:
 * 7bit); base64, 7bit, 8bit and binary are known.  out replaced. */
int xe2e_mime_decode_body(struct xe2e_buf *out, const struct xe2e_mime_part *e,
			  struct xe2e_err *err);

/* Base64 (RFC 2045 §6.8) with lines of line_len characters ending CRLF
 * (line_len 0: one line, no line end).  Appends to out. */
int xe2e_base64_encode(struct xe2e_buf *out, const void *p, size_t len,
		       size_t line_len, struct xe2e_err *err);

/* Decode base64, skipping white space.  Appends to out. */
int xe2e_base64_decode(struct xe2e_buf *out, const unsigned char *p, size_t len,
		       struct xe2e_err *err);

/*
 * The rest of an entity whose Content-Type line(s) are written: a
 * Content-Transfer-Encoding of base64 when p is not text (text 0) or a text
 * body cannot carry it, the empty line, then p in canonical form or base64.
 * exact: text must come back byte for byte (then a CR means base64).
 */
int xe2e_mime_put_body(struct xe2e_buf *out, const unsigned char *p, size_t len, int text,
		       int exact, struct xe2e_err *err);

/*
 * Make a MIME entity from raw bytes and a media type: text types that are valid
 * as text (no NUL, lines under 998 octets) is carried as is in canonical
 * form, anything else in base64.  Appends to out.
 */
int xe2e_mime_make_entity(struct xe2e_buf *out, const char *ctype,
			  const unsigned char *p, size_t len,
			  struct xe2e_err *err);

struct xe2e_source;
struct xe2e_sink;

/*
 * Stream a MIME entity from `in` to `out` in canonical form.  With ctype,
 * the input is raw content: text types are carried as they are, anything
 * else in base64.  Without, the input must be an entity: its header block
 * is checked before anything is written; a binary body passes unchanged.
 * Constant memory.
 */
int xe2e_mime_stream_entity(struct xe2e_source *in, const char *ctype,
			    struct xe2e_sink *out, struct xe2e_err *err);

#endif
