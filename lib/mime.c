/*
 * mime.c - MIME entity parsing and emitting (see mime.h).
 * RFC 2045 (§5 Content-Type, §6 transfer encodings), RFC 2046 §5.1
 * (multipart), RFC 5322 §2.2 (header fields), RFC 3851 §3.1.1 (canonical).
 */
#include "mime.h"
#include "limits.h"
#include "stream.h"

#include <ctype.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <nettle/base64.h>
#include <string.h>
#include <strings.h>

int xe2e_mime_canon(struct xe2e_buf *out, const unsigned char *p, size_t len,
		    struct xe2e_err *err)
{
	size_t i, run = 0;
	int rc;

	rc = xe2e_buf_grow(out, len + len / 16, err);
	if (rc)
		return rc;
	for (i = 0; i < len; i++) {
		if (p[i] != '\r' && p[i] != '\n')
			continue;
		rc = xe2e_buf_add(out, p + run, i - run, err);
		if (!rc)
			rc = xe2e_buf_add(out, "\r\n", 2, err);
		if (rc)
			return rc;
		if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
			i++;
		run = i + 1;
	}
	return xe2e_buf_add(out, p + run, len - run, err);
}

/* Length of the line starting at p (excluding its line break) and of the
 * line break (0 at end of data). */
static size_t line_at(const unsigned char *p, size_t len, size_t *brk)
{
	const unsigned char *nl = memchr(p, '\n', len);
	size_t n;

	if (!nl) {
		*brk = 0;
		return len;
	}
	n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r') {
		*brk = 2;
		return n - 1;
	}
	*brk = 1;
	return n;
}

static int is_ftext(unsigned char c)
{
	return c >= 33 && c <= 126 && c != ':';
}

int xe2e_mime_split(struct xe2e_mime_part *e, const unsigned char *p,
		    size_t len, struct xe2e_err *err)
{
	size_t pos = 0, n, brk, k;
	unsigned fields = 0;

	memset(e, 0, sizeof(*e));
	e->p = p;
	e->len = len;
	e->hdr = p;
	e->entity = 1;
	for (;;) {
		if (pos >= len)
			return xe2e_err_what(err, XE2E_WHAT_NOT_ENTITY,
					     xe2e_err_set(err, XE2E_EMALFORMED,
							  "not a MIME entity: no empty line after the header fields"));
		n = line_at(p + pos, len - pos, &brk);
		if (n == 0 && brk) {
			e->hdr_len = pos;
			e->body = p + pos + brk;
			e->body_len = len - pos - brk;
			return 0;
		}
		if (pos > XE2E_MAX_HEADER_BLOCK || fields > XE2E_MAX_HEADERS)
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "MIME header block longer than %zu bytes",
					    (size_t)XE2E_MAX_HEADER_BLOCK);
		if (p[pos] == ' ' || p[pos] == '\t') {
			if (pos == 0)
				return xe2e_err_what(err, XE2E_WHAT_NOT_ENTITY,
						     xe2e_err_set(err, XE2E_EMALFORMED,
								  "not a MIME entity: starts with a continuation line"));
		} else {
			for (k = 0; k < n && is_ftext(p[pos + k]); k++)
				;
			if (k == 0 || k >= n || p[pos + k] != ':')
				return xe2e_err_what(err, XE2E_WHAT_NOT_ENTITY,
						     xe2e_err_set(err, XE2E_EMALFORMED,
								  "not a MIME entity: bad header line %u",
								  fields + 1));
			fields++;
		}
		pos += n + brk;
	}
}

static int is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

int xe2e_mime_header(struct xe2e_buf *val, const struct xe2e_mime_part *e,
		     const char *name, struct xe2e_err *err)
{
	size_t pos = 0, n, brk, nlen = strlen(name), k;
	const unsigned char *h = e->hdr;
	int found = 0, rc;

	xe2e_buf_reset(val);
	while (pos < e->hdr_len) {
		n = line_at(h + pos, e->hdr_len - pos, &brk);
		if (!found) {
			if (n > nlen && h[pos + nlen] == ':' &&
			    !strncasecmp((const char *)h + pos, name, nlen)) {
				found = 1;
				rc = xe2e_buf_add(val, h + pos + nlen + 1, n - nlen - 1, err);
				if (rc)
					return rc;
			}
		} else if (n > 0 && is_wsp(h[pos])) {
			rc = xe2e_buf_add(val, h + pos, n, err); /* unfold */
			if (rc)
				return rc;
		} else {
			break;
		}
		pos += n + brk;
	}
	if (!found)
		return 0;
	rc = xe2e_buf_grow(val, 0, err);
	if (rc)
		return rc;
	/* trim */
	for (k = 0; k < val->len && is_wsp(val->data[k]); k++)
		;
	memmove(val->data, val->data + k, val->len - k);
	val->len -= k;
	while (val->len && is_wsp(val->data[val->len - 1]))
		val->len--;
	val->data[val->len] = '\0';
	return 1;
}

static int is_token(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?=", c);
}

int xe2e_mime_ctype(char *type, size_t size, const char *value,
		    struct xe2e_err *err)
{
	const char *s = value;
	size_t n = 0;
	int slash = 0;

	while (is_wsp((unsigned char)*s))
		s++;
	while (*s && (is_token((unsigned char)*s) || (*s == '/' && !slash))) {
		if (*s == '/')
			slash = 1;
		if (n + 1 >= size)
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "Content-Type too long");
		type[n++] = (char)tolower((unsigned char)*s++);
	}
	type[n] = '\0';
	if (!slash || type[0] == '/' || type[n - 1] == '/')
		return xe2e_err_set(err, XE2E_EMALFORMED, "bad Content-Type '%.60s'",
				    value);
	return 0;
}

int xe2e_mime_param(struct xe2e_buf *out, const char *value, const char *name,
		    struct xe2e_err *err)
{
	const char *s = strchr(value, ';');
	size_t nlen = strlen(name), k;
	int rc, match;

	xe2e_buf_reset(out);
	while (s && *s == ';') {
		s++;
		while (is_wsp((unsigned char)*s))
			s++;
		for (k = 0; is_token((unsigned char)s[k]); k++)
			;
		match = k == nlen && !strncasecmp(s, name, nlen);
		s += k;
		while (is_wsp((unsigned char)*s))
			s++;
		if (*s != '=')
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "bad parameter in '%.60s'", value);
		s++;
		while (is_wsp((unsigned char)*s))
			s++;
		xe2e_buf_reset(out);
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				rc = xe2e_buf_addc(out, (unsigned char)*s, err);
				if (rc)
					return rc;
			}
			if (*s != '"')
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "unterminated quoted string in '%.60s'",
						    value);
			s++;
		} else {
			/* RFC 3923 §3.2 and RFC 3851 examples write
			 * protocol=application/pkcs7-signature unquoted: a '/' is
			 * read as part of the value */
			for (k = 0; is_token((unsigned char)s[k]) || s[k] == '/'; k++)
				;
			rc = xe2e_buf_add(out, s, k, err);
			if (rc)
				return rc;
			s += k;
		}
		/* a found value is always a C string, "" for param="" */
		if (match)
			return (rc = xe2e_buf_grow(out, 0, err)) ? rc : 1;
		while (is_wsp((unsigned char)*s))
			s++;
	}
	xe2e_buf_reset(out);
	return 0;
}

/*
 * Is there a delimiter line for boundary b at p[pos]?  (RFC 2046 §5.1.1:
 * "--" boundary, then "--" for the close delimiter, then transport padding.)
 * On success *close says which and *next is the offset after its line break.
 */
static int delimiter_at(const unsigned char *p, size_t len, size_t pos,
			const char *b, size_t blen, int *close, size_t *next)
{
	size_t n, brk, k;

	n = line_at(p + pos, len - pos, &brk);
	if (n < blen + 2 || p[pos] != '-' || p[pos + 1] != '-' ||
	    memcmp(p + pos + 2, b, blen))
		return 0;
	k = blen + 2;
	*close = 0;
	if (n >= k + 2 && p[pos + k] == '-' && p[pos + k + 1] == '-') {
		*close = 1;
		k += 2;
	}
	for (; k < n; k++)
		if (!is_wsp(p[pos + k]))
			return 0;
	*next = pos + n + brk;
	return 1;
}

int xe2e_mime_multipart(struct xe2e_mime_part *parts, size_t max, size_t *n,
			const unsigned char *body, size_t len,
			const char *boundary, struct xe2e_err *err)
{
	size_t blen = strlen(boundary), pos = 0, start = 0, end, next = 0, lb, brk;
	int close = 0, in_part = 0;

	*n = 0;
	if (blen == 0 || blen > 70)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "multipart boundary must be 1 to 70 characters");
	while (pos < len) {
		if (delimiter_at(body, len, pos, boundary, blen, &close, &next)) {
			if (in_part) {
				/* the line break before the delimiter belongs to it */
				end = pos;
				if (end > start && body[end - 1] == '\n')
					end--;
				if (end > start && body[end - 1] == '\r')
					end--;
				if (*n >= max)
					return xe2e_err_set(err, XE2E_EMALFORMED,
							    "multipart has more than %zu parts", max);
				if (xe2e_mime_split(&parts[*n], body + start, end - start, NULL)) {
					memset(&parts[*n], 0, sizeof(parts[*n]));
					parts[*n].p = parts[*n].body = body + start;
					parts[*n].len = parts[*n].body_len = end - start;
				}
				(*n)++;
			}
			if (close)
				return 0;
			in_part = 1;
			start = pos = next;
			continue;
		}
		lb = line_at(body + pos, len - pos, &brk);
		pos += lb + brk;
		if (!brk)
			break;
	}
	return xe2e_err_set(err, XE2E_EMALFORMED,
			    "multipart: closing boundary '--%.70s--' not found", boundary);
}

int xe2e_mime_decode_body(struct xe2e_buf *out, const struct xe2e_mime_part *e,
			  struct xe2e_err *err)
{
	struct xe2e_buf cte = XE2E_BUF_INIT;
	int rc;

	xe2e_buf_reset(out);
	rc = xe2e_mime_header(&cte, e, "Content-Transfer-Encoding", err);
	if (rc < 0)
		goto out;
	/* DESIGN §3 rule 1: accept base64, 7bit, 8bit and binary labels */
	if (rc == 0 || !strcasecmp((char *)cte.data, "7bit") ||
	    !strcasecmp((char *)cte.data, "8bit") ||
	    !strcasecmp((char *)cte.data, "binary"))
		rc = xe2e_buf_add(out, e->body, e->body_len, err);
	else if (!strcasecmp((char *)cte.data, "base64"))
		rc = xe2e_base64_decode(out, e->body, e->body_len, err);
	else
		rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
				  "unsupported Content-Transfer-Encoding '%.40s'",
				  (char *)cte.data);
out:
	xe2e_buf_release(&cte);
	return rc;
}

int xe2e_base64_encode(struct xe2e_buf *out, const void *p, size_t len,
		       size_t line_len, struct xe2e_err *err)
{
	const unsigned char *s = p;
	size_t chunk, enc, lines;
	int rc;

	if (line_len == 0)
		line_len = (size_t)-1 / 2;
	line_len -= line_len % 4;
	if (line_len == 0)
		return xe2e_err_set(err, XE2E_EIO, "bad base64 line length");
	lines = len / (line_len / 4 * 3) + 1;
	rc = xe2e_buf_grow(out, BASE64_ENCODE_RAW_LENGTH(len) + 2 * lines, err);
	if (rc)
		return rc;
	while (len) {
		chunk = line_len / 4 * 3;
		if (chunk > len)
			chunk = len;
		enc = BASE64_ENCODE_RAW_LENGTH(chunk);
		rc = xe2e_buf_grow(out, enc + 2, err);
		if (rc)
			return rc;
		base64_encode_raw((char *)out->data + out->len, chunk, s);
		out->len += enc;
		if (line_len < (size_t)-1 / 4) {
			out->data[out->len++] = '\r';
			out->data[out->len++] = '\n';
		}
		out->data[out->len] = '\0';
		s += chunk;
		len -= chunk;
	}
	return 0;
}

int xe2e_base64_decode(struct xe2e_buf *out, const unsigned char *p, size_t len,
		       struct xe2e_err *err)
{
	struct base64_decode_ctx ctx;
	size_t dlen;
	int rc;

	rc = xe2e_buf_grow(out, BASE64_DECODE_LENGTH(len), err);
	if (rc)
		return rc;
	base64_decode_init(&ctx);
	dlen = BASE64_DECODE_LENGTH(len);
	if (!base64_decode_update(&ctx, &dlen, out->data + out->len, len,
				  (const char *)p) ||
	    !base64_decode_final(&ctx))
		return xe2e_err_set(err, XE2E_EMALFORMED, "invalid base64 data");
	out->len += dlen;
	out->data[out->len] = '\0';
	return 0;
}

/* RFC 5322 §2.1.1: a line is at most 998 octets; no NUL in text. */
/* Can a text body carry p: no NUL, lines of at most 998 octets (RFC 5322
 * §2.1.1); exact: no CR either (canonical form would change it). */
static int is_text(const unsigned char *p, size_t len, int exact)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == 0 || (exact && p[i] == '\r'))
			return 0;
		if (p[i] == '\n' || p[i] == '\r')
			col = 0;
		else if (++col > 998)
			return 0;
	}
	return 1;
}

int xe2e_mime_put_body(struct xe2e_buf *out, const unsigned char *p, size_t len, int text,
		       int exact, struct xe2e_err *err)
{
	int rc;

	if (!text || !is_text(p, len, exact)) {
		rc = xe2e_buf_adds(out, "Content-Transfer-Encoding: base64\r\n\r\n", err);
		return rc ? rc : xe2e_base64_encode(out, p, len, 76, err);
	}
	rc = xe2e_buf_adds(out, "\r\n", err);
	return rc ? rc : xe2e_mime_canon(out, p, len, err);
}

int xe2e_mime_make_entity(struct xe2e_buf *out, const char *ctype,
			  const unsigned char *p, size_t len,
			  struct xe2e_err *err)
{
	char type[128];
	size_t i;
	int rc;

	rc = xe2e_mime_ctype(type, sizeof(type), ctype, err);
	if (rc)
		return rc;
	for (i = 0; ctype[i]; i++)
		if (ctype[i] == '\r' || ctype[i] == '\n')
			return xe2e_err_set(err, XE2E_EUSAGE,
					    "line break in content type");
	rc = xe2e_buf_addf(out, err, "Content-Type: %s\r\n", ctype);
	return rc ? rc : xe2e_mime_put_body(out, p, len, !strncmp(type, "text/", 5), 0, err);
}

/* RFC 3851 §3.1.1-§3.1.2: binary transfer encoding keeps its body bytes */
static int body_is_binary(const struct xe2e_mime_part *e, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	int rc = xe2e_mime_header(&v, e, "Content-Transfer-Encoding", err);

	if (rc == 1)
		rc = !strcasecmp((char *)v.data, "binary");
	xe2e_buf_release(&v);
	return rc;
}

int xe2e_mime_canon_entity(struct xe2e_buf *out, const unsigned char *p, size_t len,
			   struct xe2e_err *err)
{
	struct xe2e_mime_part e;
	int rc = xe2e_mime_split(&e, p, len, err);

	if (!rc)
		rc = body_is_binary(&e, err);
	if (rc <= 0)
		return rc ? rc : xe2e_mime_canon(out, p, len, err);
	rc = xe2e_mime_canon(out, p, (size_t)(e.body - p), err);
	return rc ? rc : xe2e_buf_add(out, e.body, e.body_len, err);
}

int xe2e_mime_stream_entity(struct xe2e_source *in, const char *ctype,
			    struct xe2e_sink *out, struct xe2e_err *err)
{
	struct xe2e_buf hdr = XE2E_BUF_INIT, line = XE2E_BUF_INIT;
	struct xe2e_sink_canon canon;
	struct xe2e_sink_b64 b64;
	struct xe2e_mime_part part;
	unsigned char *chunk = NULL;
	char type[128];
	size_t got, i;
	int rc, text = 1, canon_body_raw = 0;

	xe2e_sink_canon_init(&canon, out);
	if (ctype) {
		rc = xe2e_mime_ctype(type, sizeof(type), ctype, err);
		for (i = 0; !rc && ctype[i]; i++)
			if (ctype[i] == '\r' || ctype[i] == '\n')
				rc = xe2e_err_set(err, XE2E_EUSAGE, "line break in content type");
		if (rc)
			return rc;
		/* text types as they are (canonical); anything else in base64 */
		text = !strncmp(type, "text/", 5);
		rc = xe2e_buf_addf(&hdr, err, "Content-Type: %s\r\n%s\r\n", ctype,
				   text ? "" : "Content-Transfer-Encoding: base64\r\n");
	} else {
		/* the header block must be valid before anything is written */
		for (;;) {
			rc = xe2e_source_line(in, &line, XE2E_MAX_HEADER_BLOCK, err);
			if (!rc)
				rc = xe2e_buf_add(&hdr, line.data, line.len, err);
			if (!rc && hdr.len > XE2E_MAX_HEADER_BLOCK)
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "MIME header block too long");
			if (rc || line.len == 0 || !strcmp((char *)line.data, "\n") ||
			    !strcmp((char *)line.data, "\r\n"))
				break;
		}
		if (!rc && hdr.len == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
		if (!rc)
			rc = xe2e_mime_split(&part, hdr.data, hdr.len, err);
		if (!rc) {
			rc = body_is_binary(&part, err);
			if (rc > 0) {
				canon_body_raw = 1;
				rc = 0;
			}
		}
	}
	if (!rc)
		rc = xe2e_sink_write(ctype ? out : &canon.base, hdr.data, hdr.len, err);
	if (rc)
		goto out;
	canon.raw = canon_body_raw;
	chunk = malloc(XE2E_STREAM_CHUNK);
	if (!chunk) {
		rc = xe2e_err_oom(err);
		goto out;
	}
	xe2e_sink_b64_init(&b64, out);
	for (;;) {
		rc = xe2e_source_read(in, chunk, XE2E_STREAM_CHUNK, &got, err);
		if (rc || !got)
			break;
		rc = xe2e_sink_write(text ? &canon.base : &b64.base, chunk, got, err);
		if (rc)
			break;
	}
	if (!rc && !text)
		rc = xe2e_sink_finish(&b64.base, err);
out:
	if (chunk) {
		gnutls_memset(chunk, 0, XE2E_STREAM_CHUNK);
		free(chunk);
	}
	xe2e_buf_release(&hdr);
	xe2e_buf_release(&line);
	return rc;
}
